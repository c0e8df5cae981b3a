"""Config hot reload: poll the config files' directory entries on the worker loop.

Editors save by writing a new file and renaming it over the old one, so the watcher compares
(inode, mtime_ns, size, ctime_ns, mode) of each *path* (the user's file, and ``also``: the
system-wide files; and of a symlink there) every ``interval`` seconds and loads once the entries
have been stable for ``settle`` seconds. Loading builds a new settings object (in a thread; the
loader never blocks on a FIFO nor reads a device). On any failure — invalid, deleted, a dangling
symlink, unreadable, a FIFO or a directory — the last good config stays and ``on_error`` gets the
one-line message (once per distinct problem).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from sitbreak.errors import SitbreakError
from sitbreak.safe_text import clean

log = logging.getLogger(__name__)
T = TypeVar("T")
Stamp = tuple[int, ...] | None


def stamp(path: Path) -> Stamp:
    """What identifies the file's state: the entry itself (a symlink appearing or changing) and
    what it leads to; ctime and mode catch a chmod or a type change. None: no entry at all."""
    try:
        link = os.lstat(path)
    except (OSError, ValueError):
        return None
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (link.st_ino, link.st_mode, link.st_ctime_ns)  # dangling, or not ours to read
    return (link.st_ino, link.st_mode, link.st_ctime_ns,
            st.st_ino, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_mode)


def why_gone(path: Path) -> str:
    """One line for a config path that cannot be stat'ed."""
    shown = clean(path)
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"{shown}: a symbolic link to a missing file"
        return f"{shown}: the config file was deleted"
    except OSError as exc:
        return f"{shown}: cannot read ({clean(exc.strerror or exc)})"
    except ValueError:
        return f"{shown}: not a usable path"
    return f"{shown}: changed while being read"


class ConfigWatcher(Generic[T]):
    def __init__(
        self,
        path: Path,
        load: Callable[[Path], T],
        on_change: Callable[[T], None],
        on_error: Callable[[str], None],
        *,
        interval: float = 1.0,
        settle: float = 0.3,
        also: Sequence[Path] = (),
    ) -> None:
        self.path = path
        self.paths = (path, *also)
        self._load = load
        self._on_change = on_change
        self._on_error = on_error
        self.interval = interval
        self.settle = settle
        self._seen: object = self.stamp()
        self._last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    def stamp(self) -> object:
        """What is compared between checks: every watched file's entry. A subclass may watch
        other things (``daemon.reload.ContentDirWatcher``: every item file in a folder)."""
        return tuple(stamp(p) for p in self.paths)

    def gone(self, before: object, now: object) -> str | None:
        """One line when the user's file went away (deleted, a dangling link, unreadable)."""
        if not (isinstance(before, tuple) and isinstance(now, tuple) and before and now):
            return None
        user_now, user_before = now[0], before[0]
        if user_before is not None and (user_now is None or len(user_now) < 4):
            return why_gone(self.path)
        return None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="config-watch")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception:  # the watcher must outlive any surprise
                log.exception("config check failed")

    async def check(self) -> bool:
        """Reload if the file changed; True when a new config was applied."""
        now = self.stamp()
        if now == self._seen:
            return False
        # debounce: an editor may still be writing; wait until the entries stop changing
        while True:
            await asyncio.sleep(self.settle)
            again = self.stamp()
            if again == now:
                break
            now = again
        before, self._seen = self._seen, now
        problem = self.gone(before, now)
        if problem is not None:
            self._report(problem)
            return False
        try:
            value = await asyncio.to_thread(self._load, self.path)
        except SitbreakError as exc:
            self._report(str(exc))
            return False
        self._last_error = None
        log.info("config reloaded from %s", self.path)
        self._on_change(value)
        return True

    def _report(self, problem: str) -> None:
        """Log every time, notify once per distinct problem; the last good config stays."""
        msg = f"{problem}; keeping the last good config"
        log.warning("config not applied: %s", msg)
        if msg != self._last_error:
            self._last_error = msg
            self._on_error(msg)
