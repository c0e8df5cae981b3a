"""Picks the platform parts through the adapters' factories (each says why it chose what).

Adapter modules are imported inside the functions: `sitbreak status` and friends never pay for
them, and no platform work happens at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.adapters.base import CardOpener, Notifier, Picked, Tray, TrayActions
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.history_sink import HistorySink, LogSink, TeeSink
from sitbreak.daemon.wiring import ClockSource, Parts

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


def _log_pick(kind: str, picked: Picked[Any]) -> None:
    log.info("%s: %s", kind, picked.name)
    for candidate, why in picked.reasons:
        log.debug("  %s %s: %s", kind, candidate, why)


def clocks() -> ClockSource:
    from sitbreak.adapters.clocks import Clocks

    return Clocks()


def history(settings: Settings) -> Callable[[], HistorySink]:
    """A factory for the worker thread (a SQLite connection stays on the thread that opened
    it): the log lines plus the history database unless ``[history] enabled = false``."""

    def make() -> HistorySink:
        from sitbreak.history.config import recorder_for

        sinks: list[HistorySink] = [LogSink()]
        recorder = recorder_for(settings)
        if recorder is not None:
            log.info("history: %s", recorder.path)
            sinks.append(recorder)
        return TeeSink(*sinks)

    return make


def card_command(settings: Settings, *, demo: bool = False) -> list[str]:
    """``python -m sitbreak.card`` with the user's content dir, the ``[card]`` settings and,
    in the demo, holds shortened tenfold (the item id goes last)."""
    from sitbreak.adapters.card import default_command

    command = default_command()
    if settings.content.dir:
        command += ["--dir", str(Path(settings.content.dir).expanduser())]
    card = settings.card
    command += ["--theme", card.theme, "--text-scale", f"{card.text_scale:g}"]
    command += ["--sound" if card.sound else "--no-sound"]
    if demo:
        command += ["--hold-scale", "0.1"]
    return command


def card_opener(settings: Settings, *, demo: bool = False) -> CardOpener:
    """The Tk card in a child process."""
    from sitbreak.adapters.card import CardProcessOpener

    return CardProcessOpener(card_command(settings, demo=demo))


def pick(
    settings: Settings, *, headless: bool, demo: bool = False, config: Path | None = None
) -> Parts:
    """Everything but the tray (which needs the runtime's actions: ``pick_tray``). Headless:
    nudges go to the terminal and there is no card."""
    from sitbreak.adapters.idle import select_idle_source
    from sitbreak.adapters.session import select_session_watcher

    parts = Parts(idle=None, notifier=TerminalNotifier(), card=NoCard(), history=LogSink())
    parts.make_history = history(settings)
    picked_idle = select_idle_source(settings.activity.source)
    _log_pick("activity source", picked_idle)
    parts.idle = picked_idle.impl
    picked_session = select_session_watcher()
    _log_pick("session watcher", picked_session)
    parts.watchers.append(picked_session.impl)
    if headless:
        return parts

    sound = settings.notifications.sound
    respect_dnd = settings.notifications.respect_dnd

    async def make_notifier() -> Notifier:  # D-Bus: must connect on the worker loop
        from sitbreak.adapters.notify import select_notifier

        picked = await select_notifier(sound=sound)
        _log_pick("notifier", picked)
        if respect_dnd:
            parts.quiet = picked.impl.dnd_active  # a nudge waits while do-not-disturb is on
        return picked.impl

    from sitbreak.adapters.screen_reader import ScreenReader
    from sitbreak.daemon.stats_window import StatsWindow

    parts.make_notifier = make_notifier
    parts.card = card_opener(settings, demo=demo)
    parts.screen_reader = ScreenReader().running
    parts.stats_window = StatsWindow(config)
    return parts


def pick_tray(actions: TrayActions) -> Tray:
    from sitbreak.adapters.tray import select_tray

    picked = select_tray(actions)
    _log_pick("tray", picked)
    return picked.impl
