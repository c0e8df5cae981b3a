"""X11 idle counter: the MIT-SCREEN-SAVER extension, asked directly on the X socket
(``x11_wire``: no client library resident in the daemon).

Uses its own connection and rebuilds it after any error. Sees XTEST input too, so injected input
counts.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

log = logging.getLogger(__name__)


class XScreenSaverIdle:
    name = "x11-screensaver"

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._lock = threading.Lock()
        self._display: Any = None
        self._failing = False
        self._connect()  # raises if there is no X server or no extension: the factory says why

    def _connect(self) -> None:
        from sitbreak.adapters.x11_wire import X11Wire

        d = X11Wire(self._display_name)
        try:
            d.idle_ms()  # raises without the extension: the factory says why
        except BaseException:
            d.close()
            raise
        self._display = d

    def _query_ms(self) -> int:
        return int(self._display.idle_ms())

    def seconds_since_last_input(self) -> float:
        """Never raises: after an X error the connection is rebuilt once; if that fails too,
        0.0 ("input just now") is returned and one warning is logged per outage."""
        with self._lock:
            try:
                if self._display is None:
                    self._connect()
                ms = self._query_ms()
            except Exception as first:
                self._drop()
                try:
                    self._connect()
                    ms = self._query_ms()
                except Exception as exc:
                    self._drop()
                    if not self._failing:
                        log.warning("X11 idle counter unavailable (%s; then %s)", first, exc)
                    self._failing = True
                    return 0.0
            if self._failing:
                log.info("X11 idle counter available again")
                self._failing = False
            return ms / 1000.0

    def _drop(self) -> None:
        d, self._display = self._display, None
        if d is not None:
            with contextlib.suppress(Exception):
                d.close()

    def close(self) -> None:
        with self._lock:
            self._drop()
