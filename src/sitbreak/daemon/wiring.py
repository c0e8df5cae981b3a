"""What the worker loop is built from: the parts the composition root picked, and the clocks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sitbreak.adapters.base import (
    CardOpener,
    IdleSource,
    Notifier,
    NudgeView,
    PresenceSource,
    SessionWatcher,
    Tray,
)
from sitbreak.daemon.history_sink import HistorySink, NullSink
from sitbreak.engine import commands as cmd
from sitbreak.i18n import _


class Gap(Protocol):
    @property
    def at(self) -> float: ...
    @property
    def skipped_s(self) -> float: ...
    @property
    def kind(self) -> str: ...


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class StatsWindowPart(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...


class ClockSource(Protocol):
    def now(self) -> float: ...

    def call_later(self, loop: asyncio.AbstractEventLoop, delay: float,
                   fn: Callable[[], None]) -> Cancellable: ...

    def wall(self) -> float: ...

    def local(self) -> datetime: ...

    def sample(self) -> Gap | None: ...


class Describe(Protocol):
    """A nudge's text; ``steps``: the body carries the whole stretch (for a screen reader)."""

    def __call__(self, show: cmd.ShowNudge, *, steps: bool = False) -> NudgeView: ...


Quiet = Callable[[], Awaitable[bool]]  # True while do-not-disturb or a fullscreen window is up
ScreenReaderRunning = Callable[[], Awaitable[bool]]


def describe_plain(show: cmd.ShowNudge, *, steps: bool = False) -> NudgeView:
    """Used until the content library is wired in: the item id stands in for its title."""
    minutes = int(show.sitting_s // 60)
    if show.kind == "stretch":
        title = _("Time to stand: {title}").format(title=show.item)
        body = _("Sitting {minutes} min").format(minutes=minutes)
    else:
        title = _("Posture check: {title}").format(title=show.item)
        body = _("Sitting {minutes} min").format(minutes=minutes)
    return NudgeView(show.kind, show.item, title, body)


@dataclass
class Parts:
    """What the composition root picked; names are shown by `sitbreak status`."""

    idle: IdleSource | None
    notifier: Notifier
    card: CardOpener
    tray: Tray | None = None
    watchers: list[SessionWatcher] = field(default_factory=list)
    presence: list[PresenceSource] = field(default_factory=list)  # calls, idle inhibitors
    history: HistorySink = field(default_factory=NullSink)
    describe: Describe = describe_plain
    quiet: Quiet | None = None
    screen_reader: ScreenReaderRunning | None = None  # None: never put the steps in the body
    stats_window: StatsWindowPart | None = None  # the tray's Statistics (None: headless)
    # notifiers that must connect on the worker loop (D-Bus) are made there; until then
    # ``notifier`` is the fallback
    make_notifier: Callable[[], Awaitable[Notifier]] | None = None
    # built on the worker thread: the SQLite history must be used where it was opened
    make_history: Callable[[], HistorySink] | None = None


