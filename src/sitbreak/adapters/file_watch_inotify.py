"""File-change notifications on Linux: inotify through ctypes (no dependency, no thread).

Editors save by renaming a new file over the old one, and a config dir may not exist yet, so the
*directories* are watched, not the files: each watched file's parent (and, for a symlink, its
target's parent), each watched directory itself, or, when one is missing, its nearest existing
ancestor (to see it appear). The inotify fd is read on the caller's asyncio loop
(``add_reader``): nothing runs until the kernel has news, and after every batch of events the
set of watched directories is worked out again.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import os
import struct
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

IN_MODIFY = 0x002
IN_ATTRIB = 0x004
IN_CLOSE_WRITE = 0x008
IN_MOVED_FROM = 0x040
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_Q_OVERFLOW = 0x4000
IN_IGNORED = 0x8000
IN_ONLYDIR = 0x01000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

DIR_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
            | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
_READ_SIZE = 64 * 1024
ALL = "*"  # every name in the directory matters


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.inotify_init1.argtypes = [ctypes.c_int]
    libc.inotify_init1.restype = ctypes.c_int
    libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    libc.inotify_add_watch.restype = ctypes.c_int
    libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.inotify_rm_watch.restype = ctypes.c_int
    return libc


def wanted(files: Sequence[Path], dirs: Sequence[Path]) -> dict[Path, set[str]]:
    """Directory → the names in it whose changes matter (``ALL``: any name)."""
    out: dict[Path, set[str]] = {}

    def add(directory: Path, name: str) -> None:
        # a missing directory: watch for it (or an ancestor of it) to appear
        while not directory.is_dir():
            if directory.parent == directory:
                return
            directory, name = directory.parent, directory.name
        out.setdefault(directory, set()).add(name)

    for given in files:
        f = Path(os.path.abspath(given))
        add(f.parent, f.name)
        if f.is_symlink():  # dotfile managers link the config: edits land at the target
            with contextlib.suppress(OSError, RuntimeError):
                target = f.resolve()
                add(target.parent, target.name)
    for given in dirs:
        d = Path(os.path.abspath(given))
        add(d.parent, d.name)
        if d.is_dir():
            add(d, ALL)
    return out


class InotifyWatch:
    name = "inotify"

    def __init__(self, files: Sequence[Path], dirs: Sequence[Path] = ()) -> None:
        self._files = list(files)
        self._dirs = list(dirs)
        self._libc = _libc()
        fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"inotify_init1: {os.strerror(err)}")
        self._fd = fd
        self._watches: dict[int, tuple[Path, set[str]]] = {}  # wd → (dir, names)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_change: Callable[[], None] | None = None
        self._arm()

    def _arm(self) -> None:
        """Watch exactly the directories ``wanted`` names now (adding is idempotent per dir)."""
        want = wanted(self._files, self._dirs)
        keep: dict[int, tuple[Path, set[str]]] = {}
        for directory, names in want.items():
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(directory), DIR_MASK)
            if wd < 0:
                err = ctypes.get_errno()
                log.debug("inotify: cannot watch %s: %s", directory, os.strerror(err))
                continue
            keep[wd] = (directory, names)
        for wd in set(self._watches) - set(keep):
            self._libc.inotify_rm_watch(self._fd, wd)
        self._watches = keep
        if not keep:
            raise OSError("inotify: nothing could be watched")

    def attach(self, loop: asyncio.AbstractEventLoop, on_change: Callable[[], None]) -> None:
        self._loop, self._on_change = loop, on_change
        loop.add_reader(self._fd, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self._fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError as exc:
            log.warning("inotify read failed (%s); config changes may be missed", exc)
            return
        relevant = rearm = False
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            raw = data[offset + _EVENT.size: offset + _EVENT.size + length]
            offset += _EVENT.size + length
            name = os.fsdecode(raw.rstrip(b"\0"))
            if mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
                relevant = rearm = True
                continue
            watched = self._watches.get(wd)
            if watched is None:
                continue
            names = watched[1]
            if ALL in names or name in names:
                relevant = True
                # a directory on the way appeared or went: watch the next level instead
                rearm = rearm or bool(mask & (IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM))
        if rearm:
            try:
                self._arm()
            except OSError as exc:
                log.warning("%s; config changes may be missed", exc)
        if relevant and self._on_change is not None:
            self._on_change()

    def close(self) -> None:
        if self._fd < 0:
            return
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._fd)
        os.close(self._fd)
        self._fd = -1
