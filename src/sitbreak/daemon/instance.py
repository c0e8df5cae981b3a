"""One daemon per user: an exclusive lock on a file in the runtime dir, held for the lifetime
(flock on POSIX; msvcrt on Windows, untested there).

The lock file is opened without following a symlink and checked on the descriptor (a regular
file of ours with one link) before anything is written to it: a symlink or hard link planted at
``daemon.lock`` never makes us truncate the file it points to.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from sitbreak.daemon.paths import UnsafePath
from sitbreak.i18n import _
from sitbreak.safe_text import clean

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted there must not block the open


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True if this process is now the one instance; False if another holds the lock.
        Raises ``UnsafePath`` (one line) when the lock file is not a plain file of ours."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC | _NONBLOCK, 0o600)
        except OSError as exc:
            if self.path.is_symlink():
                raise UnsafePath(
                    _("lock file {path} is a symbolic link; refused").format(path=clean(self.path))
                ) from None
            raise UnsafePath(
                _("cannot open the lock file {path}: {error}").format(
                    path=clean(self.path), error=exc.strerror)
            ) from None
        try:
            _check_ours(fd, self.path)
            _lock(fd)
        except OSError:  # BlockingIOError (POSIX) / PermissionError (Windows): held elsewhere
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock; the file itself may stay
            self._fd = None


def _check_ours(fd: int, path: Path) -> None:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePath(_("lock file {path} is not a regular file; refused").format(path=clean(path)))
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafePath(
            _("lock file {path} belongs to uid {st_uid}, not to you; refused").format(
                path=clean(path), st_uid=st.st_uid)
        )
    if os.name == "posix" and st.st_nlink != 1:
        raise UnsafePath(_("lock file {path} has {st_nlink} links (a planted hard link?); refused").format(
            path=clean(path), st_nlink=st.st_nlink))


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
