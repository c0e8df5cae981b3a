"""Picks the platform parts through the adapters' factories (each says why it chose what).

Adapter modules are imported inside the functions: `sitbreak status` and friends never pay for
them, and no platform work happens at import time.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.adapters.base import (
    CardOpener,
    Notifier,
    Picked,
    PresenceSource,
    Tray,
    TrayActions,
)
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.history_sink import HistorySink, LogSink, Record, TeeSink
from sitbreak.daemon.wiring import ClockSource, Parts
from sitbreak.i18n import _

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


def _log_pick(kind: str, picked: Picked[Any]) -> None:
    log.info("%s: %s", kind, picked.name)
    for reason in picked.reasons:  # English: log lines are for bug reports
        log.debug("  %s %s: %s", kind, reason.candidate, reason.why)


def clocks() -> ClockSource:
    from sitbreak.adapters.clocks import Clocks

    return Clocks()


def history(settings: Settings, *, demo: bool = False) -> Callable[[], HistorySink]:
    """A factory for the worker thread (a SQLite connection stays on the thread that opened
    it): the log lines plus the history database unless ``[history] enabled = false``. The
    demo writes a scratch database, removed at exit: its minutes are not the user's history."""

    def make() -> HistorySink:
        from sitbreak.history.config import recorder_for

        sinks: list[HistorySink] = [LogSink()]
        if demo:
            if settings.history.enabled:
                sinks += scratch_history()
            return TeeSink(*sinks)
        recorder = recorder_for(settings)
        if recorder is not None:
            log.info("history: %s", recorder.path)
            sinks.append(recorder)
        return TeeSink(*sinks)

    return make


def scratch_history() -> list[HistorySink]:
    """A recorder on a fresh private directory, and the sink that removes it on close."""
    from sitbreak.history import Recorder
    from sitbreak.history.store import DB_NAME

    scratch = Path(tempfile.mkdtemp(prefix="sitbreak-demo-"))  # 0700, a new name
    recorder = Recorder(scratch / DB_NAME, retention_days=None, keep_trying=True)
    log.info("demo: history goes to a scratch database %s (removed at exit)", recorder.path)
    return [recorder, RemovedOnClose(scratch)]


class RemovedOnClose:
    """Closed after the recorder: removes its scratch directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, rec: Record, wall_offset: float) -> None:
        pass

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        pass

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


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
    parts.make_history = history(settings, demo=demo)
    picked_idle = select_idle_source(settings.activity.source)
    _log_pick("activity source", picked_idle)
    parts.idle = picked_idle.impl
    picked_session = select_session_watcher()
    _log_pick("session watcher", picked_session)
    parts.watchers.append(picked_session.impl)
    parts.presence = presence_sources(settings)
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
        await gnome_breaks_notice(picked.impl)
        return picked.impl

    from sitbreak.adapters.screen_reader import ScreenReader
    from sitbreak.daemon.stats_window import StatsWindow

    parts.make_notifier = make_notifier
    parts.card = card_opener(settings, demo=demo)
    parts.screen_reader = ScreenReader().running
    parts.stats_window = StatsWindow(config)
    return parts


def presence_sources(settings: Settings) -> list[PresenceSource]:
    """Calls and idle inhibitors: each source can be turned off in ``[presence]``."""
    from sitbreak.adapters.presence import PresenceChoice, select_presence_sources

    p = settings.presence
    picked = select_presence_sources(
        PresenceChoice(p.microphone, p.camera, p.inhibitors, p.camera_dir))
    _log_pick("presence sources", picked)
    return picked.impl


async def gnome_breaks_notice(notifier: Notifier, env: DesktopEnv | None = None) -> None:
    """On GNOME with its own movement breaks on, say so once (ever) and how to be nagged only
    by one of us; ``sitbreak doctor`` says it every time."""

    from sitbreak.adapters import gnome_breaks
    from sitbreak.daemon import paths

    env = env or DesktopEnv.detect()
    if not env.gnome:
        return
    from sitbreak.oneshot import in_thread

    reminders = await in_thread(gnome_breaks.read)
    if reminders.state != "on":
        return
    log.warning("GNOME's movement breaks are on: %s", reminders.advice())
    if not gnome_breaks.mark_noticed(paths.gnome_breaks_marker()):
        return  # told before (or the marker cannot be written: never repeat it every start)
    every = (_(" every {minutes} min").format(minutes=reminders.interval_s // 60)
             if reminders.interval_s else "")
    await notifier.alert(
        _("sitbreak: GNOME's movement breaks are on"),
        _("GNOME also reminds you to move{every}. To be nagged only once, turn GNOME's movement "
          "breaks off: {command} (or Settings → Wellbeing → Break Reminders → Movement). This "
          "notice is shown once; `sitbreak doctor` repeats it.").format(
            every=every, command=reminders.fix_command()),
    )


def pick_tray(actions: TrayActions) -> Tray:
    from sitbreak.adapters.tray import select_tray

    picked = select_tray(actions)
    _log_pick("tray", picked)
    return picked.impl
