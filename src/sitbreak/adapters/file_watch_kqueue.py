"""File-change notifications on macOS and the BSDs: kqueue vnode events (stdlib ``select``).

UNTESTED here (no macOS or BSD machine in CI); any failure makes the factory fall back to the
poll. The same directories as with inotify are watched (``file_watch_inotify.wanted``): a
directory's NOTE_WRITE says an entry was added, removed or renamed (an editor's save); each
watched file that exists is watched too, for writes in place. Each event re-opens the set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sitbreak.adapters.file_watch_inotify import ALL, wanted

log = logging.getLogger(__name__)

# kqueue exists only on macOS and the BSDs (typeshed hides it elsewhere, where this never runs)
_kq: Any = select
_OPEN_FLAGS = getattr(os, "O_EVTONLY", os.O_RDONLY) | getattr(os, "O_CLOEXEC", 0)


class KqueueWatch:
    name = "kqueue"

    def __init__(self, files: Sequence[Path], dirs: Sequence[Path] = ()) -> None:
        self._files = list(files)
        self._dirs = list(dirs)
        self._kq = _kq.kqueue()
        self._fds: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_change: Callable[[], None] | None = None
        self._arm()

    def _arm(self) -> None:
        self._close_fds()
        paths: list[Path] = []
        for directory, names in wanted(self._files, self._dirs).items():
            paths.append(directory)
            if ALL not in names:
                paths += [directory / n for n in names if (directory / n).is_file()]
        fflags = (_kq.KQ_NOTE_WRITE | _kq.KQ_NOTE_EXTEND | _kq.KQ_NOTE_ATTRIB
                  | _kq.KQ_NOTE_DELETE | _kq.KQ_NOTE_RENAME)
        changes = []
        for path in paths:
            try:
                fd = os.open(path, _OPEN_FLAGS)
            except OSError as exc:
                log.debug("kqueue: cannot watch %s: %s", path, exc)
                continue
            self._fds.append(fd)
            changes.append(_kq.kevent(fd, filter=_kq.KQ_FILTER_VNODE,
                                         flags=_kq.KQ_EV_ADD | _kq.KQ_EV_CLEAR,
                                         fflags=fflags))
        if not changes:
            raise OSError("kqueue: nothing could be watched")
        self._kq.control(changes, 0, 0)

    def attach(self, loop: asyncio.AbstractEventLoop, on_change: Callable[[], None]) -> None:
        self._loop, self._on_change = loop, on_change
        loop.add_reader(self._kq.fileno(), self._readable)

    def _readable(self) -> None:
        events = self._kq.control(None, 64, 0)
        if not events:
            return
        try:
            self._arm()  # a renamed-over file is a new vnode: watch that one now
        except OSError as exc:
            log.warning("%s; config changes may be missed", exc)
        if self._on_change is not None:
            self._on_change()

    def _close_fds(self) -> None:
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = []

    def close(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._kq.fileno())
        self._close_fds()
        self._kq.close()
