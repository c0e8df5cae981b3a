"""What the daemon keeps of what happened: each finished record goes to the history sink (and the
status's break count), and the sitting span in progress is kept there too, so that a quit, a
logout, SIGTERM or SIGKILL loses at most the seconds since the last wake-up.

The span is noted at the wake-ups the engine's deadlines already cause and after every event
(no timer of its own): only when its last known input moved, so an away user costs no writes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitbreak.daemon.history_sink import Record
from sitbreak.engine import commands as cmd

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LastBreak:
    cause: str
    length_s: float
    ended_at: float


class RecordKeeper:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self.last_break: LastBreak | None = None
        self.breaks = 0
        self._noted: tuple[float, float] | None = None  # (start, end) last handed to the sink

    def _offset(self) -> float:
        clocks = self._rt.clocks
        return clocks.wall() - clocks.now()

    def record(self, rec: Record) -> None:
        if isinstance(rec, cmd.BreakRecorded):
            self.breaks += 1
            self.last_break = LastBreak(rec.cause, rec.to - rec.from_, rec.to)
        if isinstance(rec, cmd.SittingSpan):
            self._noted = None
        try:
            self._rt.parts.history.record(rec, self._offset())
        except Exception:
            log.exception("history sink failed")

    def note_span(self, latest_input: float | None = None) -> None:
        """Hand the span in progress to the history if its end moved. ``latest_input``: an
        input newer than the engine has seen (at shutdown, from one last idle reading)."""
        engine = self._rt.engine
        if engine is None or engine.sit_start is None or engine.last_input is None:
            return
        start, end = engine.sit_start, max(engine.sit_start, engine.last_input)
        if (latest_input is not None and engine.status().presence == "sitting"
                and end < latest_input < end + engine.policy.away_after):
            end = latest_input  # still the same span: no gap long enough for a break
        if self._noted == (start, end):
            return
        self._noted = (start, end)
        try:
            self._rt.parts.history.open_span(start, end, self._offset())
        except Exception:
            log.exception("history sink failed")

    def at_shutdown(self) -> None:
        """The span as far as the idle counter can tell now; closing the sink closes it."""
        idle = self._rt.read_idle()
        self.note_span(None if idle is None else self._rt.clocks.now() - idle)
