"""Opening files in places another local user or a stray link may have touched.

Every file we read from a user-writable location (config, content, history, runtime dir) goes
through here: the final path component is never followed if it is a symlink, the descriptor is
checked after opening (a regular file, for reading: no FIFO that would block, no device that never
ends) and reads stop at a size cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sitbreak.errors import SitbreakError
from sitbreak.i18n import _

MAX_TEXT_FILE = 1 << 20  # 1 MiB: far above any config or content file we write

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafeFile(SitbreakError):
    """A path that is a symlink, not a regular file, too large, or not ours."""

    exit_code = 2


def read_regular_file(path: Path, max_bytes: int = MAX_TEXT_FILE) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Raises ``FileNotFoundError`` when it is missing, ``UnsafeFile`` (one line naming the path) when
    it is a symlink, a FIFO, a device, a directory or too large, and ``OSError`` otherwise.
    """
    from sitbreak.safe_text import clean

    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    except OSError as exc:
        if _NOFOLLOW and path.is_symlink():
            raise UnsafeFile(_("{path}: is a symbolic link; refusing to follow it").format(
                path=clean(path))) from None
        if isinstance(exc, FileNotFoundError):
            raise
        if isinstance(exc, IsADirectoryError):
            raise UnsafeFile(_("{path}: is a directory, not a file").format(path=clean(path))) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(_("{path}: not a regular file ({value})").format(
                path=clean(path), value=_kind(st.st_mode)))
        if st.st_size > max_bytes:
            raise UnsafeFile(_("{path}: too large ({st_size} bytes; at most {max_bytes})").format(
                path=clean(path), st_size=st.st_size, max_bytes=max_bytes))
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:  # grew while we read it
            raise UnsafeFile(_("{path}: too large (more than {max_bytes} bytes)").format(
                path=clean(path), max_bytes=max_bytes))
        return data
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
