"""Being told when files change: ``select_file_watch(files, dirs) -> Picked[FileWatch]``.

Linux: inotify (``file_watch_inotify``). macOS and the BSDs: kqueue (``file_watch_kqueue``,
UNTESTED here). Anywhere else (Windows), or when those fail: a stat poll every ``POLL_S``
seconds, the only fixed beat left, and only where no notification is used.

``attach(loop, on_change)`` runs on the worker loop; ``on_change`` is called there whenever a
watched file (or anything in a watched directory) may have changed — possibly more often than
it really did: the caller compares what it sees (``config_watch`` keeps a stamp).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from sitbreak.adapters.base import Picked, Reason, failure, not_taken, taken
from sitbreak.i18n import N_

log = logging.getLogger(__name__)

POLL_S = 2.0


class FileWatch(Protocol):
    name: str

    def attach(self, loop: asyncio.AbstractEventLoop, on_change: Callable[[], None]) -> None: ...

    def close(self) -> None: ...


class PollWatch:
    """No notification here: say "maybe changed" every ``interval`` seconds."""

    name = "poll"

    def __init__(self, interval: float = POLL_S) -> None:
        self.interval = interval
        self._handle: asyncio.TimerHandle | None = None

    def attach(self, loop: asyncio.AbstractEventLoop, on_change: Callable[[], None]) -> None:
        def beat() -> None:
            self._handle = loop.call_later(self.interval, beat)
            on_change()

        self._handle = loop.call_later(self.interval, beat)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def select_file_watch(
    files: Sequence[Path], dirs: Sequence[Path] = (), platform: str = sys.platform
) -> Picked[FileWatch]:
    """Never raises: the poll always works."""
    reasons: list[Reason] = []
    if platform.startswith("linux"):
        try:
            from sitbreak.adapters.file_watch_inotify import InotifyWatch

            return Picked(InotifyWatch(files, dirs), "inotify", (taken("inotify", N_("picked")),))
        except (OSError, AttributeError) as exc:  # no inotify in this libc/kernel, limits hit
            reasons.append(failure("inotify", exc))
    elif platform == "darwin" or "bsd" in platform:
        try:
            from sitbreak.adapters.file_watch_kqueue import KqueueWatch

            return Picked(KqueueWatch(files, dirs), "kqueue", (taken("kqueue", N_("picked")),))
        except (OSError, AttributeError) as exc:
            reasons.append(failure("kqueue", exc))
    else:
        reasons.append(not_taken("notifications", N_("none used on {platform}"),
                                 platform=platform))
    log.info("file changes: polling every %.0f s (%s)", POLL_S,
             "; ".join(f"{r.candidate}: {r.why}" for r in reasons))
    return Picked(PollWatch(), "poll",
                  (*reasons, taken("poll", N_("picked: every {seconds:g} s"), seconds=POLL_S)))


def close_quietly(watch: FileWatch | None) -> None:
    if watch is not None:
        with contextlib.suppress(Exception):
            watch.close()
