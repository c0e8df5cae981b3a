"""Hands tray views to the tray from a thread of their own.

pystray's xorg backend runs an update by messaging its X event loop and waiting for the
answer; if that loop stalls, the caller stalls with it. Fed from here, a stuck tray only stops
the icon from changing: the worker loop (engine, nudges, control socket) keeps going. Views are
coalesced: only the newest waiting one is applied.
"""

from __future__ import annotations

import logging
import threading

from sitbreak.adapters.base import Tray, TrayView

log = logging.getLogger(__name__)


class TrayFeed:
    def __init__(self, tray: Tray) -> None:
        self._tray = tray
        self._latest: TrayView | None = None
        self._closed = False
        self._cv = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="sitbreak-tray-feed", daemon=True)
        self._thread.start()

    def push(self, view: TrayView) -> None:
        with self._cv:
            self._latest = view
            self._cv.notify()

    def close(self) -> None:
        with self._cv:
            self._closed = True
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._latest is None and not self._closed:
                    self._cv.wait()
                view, self._latest = self._latest, None
                if self._closed or view is None:
                    return
            try:
                self._tray.update(view)
            except Exception as exc:
                log.warning("tray update failed: %s", exc)
