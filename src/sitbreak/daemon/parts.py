"""Picks the platform parts through the adapters' factories (each says why it chose what)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sitbreak.adapters.base import Tray, TrayActions
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.history_sink import LogSink
from sitbreak.daemon.runtime import ClockSource, Parts

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


def clocks() -> ClockSource:
    import importlib

    try:
        mod = importlib.import_module("sitbreak.adapters.clocks")
    except ImportError:  # until the adapters' clocks land
        mod = importlib.import_module("sitbreak.daemon._clock_fallback")
    source: ClockSource = mod.Clocks()
    return source


def pick(settings: Settings, *, headless: bool) -> Parts:
    return Parts(idle=None, notifier=TerminalNotifier(), card=NoCard(), history=LogSink())


def pick_tray(actions: TrayActions) -> Tray | None:
    return None
