"""Picks the platform parts through the adapters' factories (each says why it chose what)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.adapters.base import CardOpener, Notifier, Picked, Tray, TrayActions
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.history_sink import HistorySink, LogSink, TeeSink
from sitbreak.daemon.runtime import ClockSource, Parts

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """An adapter factory, or None while that adapter is not installed/merged yet."""
    try:
        fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return fn


def _log_pick(kind: str, picked: Picked[Any]) -> None:
    log.info("%s: %s", kind, picked.name)
    for candidate, why in picked.reasons:
        log.debug("  %s %s: %s", kind, candidate, why)


def clocks() -> ClockSource:
    try:
        mod = importlib.import_module("sitbreak.adapters.clocks")
    except ImportError:  # until the adapters' clocks land
        mod = importlib.import_module("sitbreak.daemon._clock_fallback")
    source: ClockSource = mod.Clocks()
    return source


def history(settings: Settings) -> Callable[[], HistorySink]:
    """A factory for the worker thread: the log lines plus the SQLite history if enabled."""
    recorder_for = _optional("sitbreak.history.config", "recorder_for")

    def make() -> HistorySink:
        sinks: list[HistorySink] = [LogSink()]
        if recorder_for is not None:
            recorder = recorder_for(settings)  # None when [history] enabled = false
            if recorder is not None:
                log.info("history: %s", recorder.path)
                sinks.append(recorder)
        return TeeSink(*sinks)

    return make


def card_opener(settings: Settings, *, demo: bool = False) -> CardOpener | None:
    """The Tk card in a child process: the content library's opener (it knows the user's
    content dir and can shorten holds for the demo), else the adapters' plain one."""
    tk_opener = _optional("sitbreak.card.opener", "TkCardOpener")
    if tk_opener is not None:
        content_dir = Path(settings.content.dir).expanduser() if settings.content.dir else None
        opener: CardOpener = tk_opener(content_dir=content_dir, hold_scale=0.1 if demo else None)
        return opener
    process_opener = _optional("sitbreak.adapters.card", "CardProcessOpener")
    if process_opener is not None:
        plain: CardOpener = process_opener()
        return plain
    return None


def pick(settings: Settings, *, headless: bool, demo: bool = False) -> Parts:
    parts = Parts(idle=None, notifier=TerminalNotifier(), card=NoCard(), history=LogSink())
    parts.make_history = history(settings)
    select_idle = _optional("sitbreak.adapters.idle", "select_idle_source")
    if select_idle is not None:
        picked_idle = select_idle(settings.activity.source)
        _log_pick("activity source", picked_idle)
        parts.idle = picked_idle.impl
    select_session = _optional("sitbreak.adapters.session", "select_session_watcher")
    if select_session is not None:
        picked_session = select_session()
        _log_pick("session watcher", picked_session)
        parts.watchers.append(picked_session.impl)
    if headless:
        return parts
    select_notifier = _optional("sitbreak.adapters.notify", "select_notifier")
    if select_notifier is not None:
        sound = settings.notifications.sound
        respect_dnd = settings.notifications.respect_dnd

        async def make() -> Notifier:
            picked: Picked[Notifier] = await select_notifier(sound=sound)
            _log_pick("notifier", picked)
            dnd = getattr(picked.impl, "dnd_active", None)
            if respect_dnd and dnd is not None:
                parts.quiet = dnd  # a nudge waits while do-not-disturb is on
            return picked.impl

        parts.make_notifier = make
    card = card_opener(settings, demo=demo)
    if card is not None:
        parts.card = card
    return parts


def pick_tray(actions: TrayActions) -> Tray | None:
    select_tray = _optional("sitbreak.adapters.tray", "select_tray")
    if select_tray is None:
        return None
    picked: Picked[Tray | None] = select_tray(actions)
    _log_pick("tray", picked)
    return picked.impl
