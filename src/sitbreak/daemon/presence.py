"""The worker loop's presence sources: a call (microphone, camera) or an idle inhibitor, fed to
the engine as CallStart/CallEnd and InhibitStart/InhibitEnd when the combined answer changes.

Sources that push (the microphone's subscription, D-Bus signals) are heard at once. Sources that
must look (the camera, the Windows consent store, CoreAudio) are asked only when the answer
matters: at a wake-up while the user is at the desk and either the input gap has reached
away_after (a call would keep them sitting) or a nudge is due (a call holds it back); and on a
slow beat (``BEAT_S``) while one of them reports a call, to see it end. Never while the user
types with nothing due, and never while they are away: the cost stays about zero.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sitbreak.adapters.base import PresenceReading, PresenceSource
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger("sitbreak.daemon.runtime")

BEAT_S = 15.0  # during a call a looking source reported: how often to look again


class PresenceFeed:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._readings: dict[int, PresenceReading] = {}  # last answer of each source
        self.call = False
        self.inhibited = False
        self.looks = 0  # how often the looking sources were asked (tests, footprint)

    @property
    def sources(self) -> list[PresenceSource]:
        return self._rt.parts.presence

    async def start(self) -> None:
        for source in self.sources:
            try:
                await source.start(self._rt.threadsafe(self._pushed))
            except Exception as exc:
                log.warning("presence source %s did not start: %s", source.name, exc)
        self._combine(self._rt.clocks.now(), look=False)

    async def close(self) -> None:
        for source in self.sources:
            try:
                await source.close()
            except Exception as exc:
                log.debug("closing presence source %s: %s", source.name, exc)

    def _pushed(self) -> None:
        """A pushing source changed its answer (on the worker loop)."""
        now = self._rt.clocks.now()
        self._rt.sample_idle(now)  # what the user did up to now, before the evidence changes
        self._combine(now, look=False)
        self._rt.after_change()

    def at_wake(self, now: float, idle_s: float | None) -> None:
        """Before the engine judges ``now``: ask the looking sources if it matters."""
        if self._matters(now, idle_s):
            self._combine(now, look=True)

    def next_beat(self, now: float) -> float | None:
        looking = [s for s in self.sources if not s.pushes]
        if any(self._reads(s).call or self._reads(s).inhibited for s in looking):
            return now + BEAT_S
        return None

    # -- internals ------------------------------------------------------------------------

    def _reads(self, source: PresenceSource) -> PresenceReading:
        return self._readings.get(id(source), PresenceReading())

    def _matters(self, now: float, idle_s: float | None) -> bool:
        looking = [s for s in self.sources if not s.pushes]
        if not looking:
            return False
        if any(self._reads(s).call or self._reads(s).inhibited for s in looking):
            return True  # see it end
        st = self._rt.require_engine().status(now)
        if st.presence != "sitting":
            return False  # away, locked, asleep, standing: evidence changes nothing
        gap_open = idle_s is None or idle_s >= self._rt.policy.away_after - 1.0
        due = st.next_nudge_at is not None and st.next_nudge_at <= now
        return gap_open or due

    def _combine(self, now: float, look: bool) -> None:
        for source in self.sources:
            if source.pushes or look:
                try:
                    if not source.pushes:
                        self.looks += 1
                    self._readings[id(source)] = source.read()
                except Exception as exc:
                    log.debug("presence source %s failed: %s", source.name, exc)
                    self._readings[id(source)] = PresenceReading()
        call = any(self._reads(s).call for s in self.sources)
        inhibited = any(self._reads(s).inhibited for s in self.sources)
        if call != self.call:
            self.call = call
            log.info("presence: %s", "in a call" if call else "call ended")
            self._rt.feed((ev.CallStart if call else ev.CallEnd)(at=now))
        if inhibited != self.inhibited:
            self.inhibited = inhibited
            log.info("presence: idle inhibitor %s", "held" if inhibited else "released")
            self._rt.feed((ev.InhibitStart if inhibited else ev.InhibitEnd)(at=now))
