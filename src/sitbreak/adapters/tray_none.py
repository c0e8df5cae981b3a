"""No tray possible (no display, headless): the tray the daemon runs when nothing can show one.

Its own module so a daemon that has a tray (or none) never loads the pystray adapter."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sitbreak.adapters.base import TrayView


class NoTray:
    """No tray possible (no display, headless): ``run`` just blocks until ``stop``."""

    name = "none"
    has_menu = False

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def run(self, on_ready: Callable[[], None]) -> None:
        on_ready()
        self._stopped.wait()

    def update(self, view: TrayView) -> None:
        pass

    def stop(self) -> None:
        self._stopped.set()
