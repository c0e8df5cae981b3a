"""pynput listener source (opt-in extra ``sitbreak[listener]``; automatic fallback when no OS
idle counter answers).

Callbacks take no arguments and only store a timestamp: pynput decodes events in-process, but
nothing here ever sees which key or where. Listeners are daemon threads; ``close`` stops them and
joins with a timeout (the xorg listener only wakes on the next X event after ``stop``).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from sitbreak.adapters.clocks import engine_now

log = logging.getLogger(__name__)

_JOIN_TIMEOUT_S = 1.0


class ListenerIdle:
    name = "pynput-listener"

    def __init__(self, *, keyboard: bool = True) -> None:
        from pynput import keyboard as kb
        from pynput import mouse

        self._last = engine_now()
        self._listeners: list[Any] = [
            mouse.Listener(on_move=self._touch, on_click=self._touch, on_scroll=self._touch)
        ]
        if keyboard:
            self._listeners.append(kb.Listener(on_press=self._touch, on_release=self._touch))
        for listener in self._listeners:
            listener.daemon = True
            listener.start()
        for listener in self._listeners:
            listener.wait()  # until its hook is installed (or it failed)

    def _touch(self) -> None:
        # runs on pynput's thread (inside the OS hook on Windows): a single store, nothing else
        self._last = engine_now()

    def seconds_since_last_input(self) -> float:
        return max(0.0, engine_now() - self._last)

    def close(self) -> None:
        for listener in self._listeners:
            listener.stop()
            # pynput's xorg stop() sends RecordDisableContext on the recording connection
            # itself, which the server does not act on until the next input event (pynput
            # PR #583); sending it on the listener's other connection wakes the thread now.
            stop_display = getattr(listener, "_display_stop", None)
            context = getattr(listener, "_context", None)
            if stop_display is not None and context is not None:
                with contextlib.suppress(Exception):
                    stop_display.record_disable_context(context)
                    stop_display.flush()
        for listener in self._listeners:
            listener.join(_JOIN_TIMEOUT_S)
            if listener.is_alive():
                log.debug("pynput listener still alive after stop (wakes on the next event)")
        self._listeners.clear()


class NoIdle:
    """No idle counter at all: the user is always taken as present (timer-only mode)."""

    name = "none"
    always_present = True  # the runtime reads it as "present since the wake-up was due"

    def seconds_since_last_input(self) -> float:
        return 0.0

    def close(self) -> None:
        pass
