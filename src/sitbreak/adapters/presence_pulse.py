"""Linux: a microphone in use, seen over the PulseAudio protocol (PulseAudio itself and
PipeWire's pipewire-pulse both speak it).

Library: ``pulsectl`` — pure-Python ctypes bindings to the system's libpulse (no compiler, no
wheels to build), MIT, maintained since 2014 with releases through 2024, and it exposes libpulse's
event subscription. (``pulsectl-asyncio`` wraps the same bindings for asyncio; one thread that
sleeps inside libpulse's poll until the server sends an event is simpler and costs nothing while
nothing changes.)

A call = some capture stream (a "source output") records from a real input — a source that is
not a sink's monitor — or from the default source (on a machine without a microphone, or where
the user picked a monitor as their input, that is what applications record from). Level meters
(pavucontrol, a settings panel) use peak-detect streams and are not counted. Only *whether*:
stream names, application names and audio are never read or stored.

The thread subscribes to source, source-output and server changes and wakes only when the server
sends one; it never polls. If no server answers (not started yet, or gone), it tries again every
RECONNECT_S without spawning one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import PresenceReading
from sitbreak.i18n import N_, Text

log = logging.getLogger(__name__)

RECONNECT_S = 60.0
CONNECT_TIMEOUT_S = 2.0
_NO_INDEX = 0xFFFFFFFF  # PA_INVALID_INDEX: a source that monitors no sink


def capturing(source_outputs: list[Any], sources: list[Any], default_source: str | None) -> bool:
    """Is some application recording from a microphone? (pulsectl info objects)"""
    by_index = {s.index: s for s in sources}
    for out in source_outputs:
        if getattr(out, "resample_method", "") == "peaks":
            continue  # a level meter, not a recording
        src = by_index.get(out.source)
        if src is None:
            continue
        if src.monitor_of_sink == _NO_INDEX or src.name == default_source:
            return True
    return False


class PulseMicrophone:
    name = "microphone (PulseAudio protocol)"
    pushes = True

    def __init__(self, server: str | None = None) -> None:
        self._server = server  # None: libpulse's default ($PULSE_SERVER, the user's socket)
        self._call = False
        self._state = Text(N_("not started"))
        self._on_change: Callable[[], None] | None = None
        self._closing = threading.Event()
        self._pulse: Any = None
        self._thread: threading.Thread | None = None

    async def start(self, on_change: Callable[[], None]) -> None:
        import pulsectl  # noqa: F401  (fail here, in the factory's log, not in the thread)

        self._on_change = on_change
        self._thread = threading.Thread(target=self._run, name="sitbreak-pulse", daemon=True)
        self._thread.start()

    def read(self) -> PresenceReading:
        return PresenceReading(call=self._call)

    def describe(self) -> Text:
        if self._call:
            return Text(N_("{state}; in use now"), state=self._state)
        return Text(N_("{state}; not in use now"), state=self._state)

    def probe(self) -> Text:
        """Connect once and look (for `sitbreak doctor`, no thread)."""
        import pulsectl

        pulse = pulsectl.Pulse("sitbreak-doctor", server=self._server, connect=False)
        try:
            pulse.connect(autospawn=False, timeout=CONNECT_TIMEOUT_S)
            self._call = self._look(pulse)
            info = pulse.server_info()
            self._state = Text(N_("connected to {server} {version}"),
                               server=info.server_name, version=info.server_version)
        finally:
            pulse.close()
        return self.describe()

    async def close(self) -> None:
        self._closing.set()
        pulse = self._pulse
        if pulse is not None:
            pulse.event_listen_stop()
        thread = self._thread
        if thread is not None:
            from sitbreak.oneshot import in_thread

            await in_thread(thread.join, 2.0)

    # -- the watching thread ----------------------------------------------------------------

    def _run(self) -> None:
        import pulsectl

        while not self._closing.is_set():
            pulse = pulsectl.Pulse("sitbreak", server=self._server, connect=False)
            try:
                pulse.connect(autospawn=False, timeout=CONNECT_TIMEOUT_S)
                info = pulse.server_info()
                self._state = Text(N_("watching {server} {version}"),
                                   server=info.server_name, version=info.server_version)
                log.info("microphone: watching %s", info.server_name)
                self._watch(pulse)
            except Exception as exc:  # no server, or it went away
                gone = Text(N_("no server: {error}"), error=str(exc))
                if self._state != gone:
                    log.info("microphone: no PulseAudio/PipeWire server (%s); retrying every "
                             "%.0f s", exc, RECONNECT_S)
                self._state = gone
            finally:
                self._pulse = None
                pulse.close()
            self._set(False)
            self._closing.wait(RECONNECT_S)

    def _watch(self, pulse: Any) -> None:
        import pulsectl

        changed = [True]

        def on_event(_ev: Any) -> None:
            changed[0] = True
            raise pulsectl.PulseLoopStop  # query outside the callback, as libpulse requires

        pulse.event_mask_set("source", "source_output", "server")
        pulse.event_callback_set(on_event)
        self._pulse = pulse
        while not self._closing.is_set():
            if changed[0]:
                changed[0] = False
                self._set(self._look(pulse))
            pulse.event_listen()  # sleeps in libpulse's poll until the server sends an event

    @staticmethod
    def _look(pulse: Any) -> bool:
        default = pulse.server_info().default_source_name
        return capturing(pulse.source_output_list(), pulse.source_list(), default)

    def _set(self, call: bool) -> None:
        if call != self._call:
            self._call = call
            log.info("microphone: %s", "in use" if call else "free")
            if self._on_change is not None:
                self._on_change()
