"""Writing our own small files into a user's config tree without following a planted link."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sitbreak.autostart.base import AutostartError
from sitbreak.i18n import _

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Create ``path`` anew with ``data``: a fresh temporary file in the same directory (never an
    existing one, never through a symlink), then renamed over the old entry."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)  # whatever the umask
        os.replace(tmp, path)
    except OSError as exc:
        raise AutostartError(_("{path}: cannot write ({error})").format(
            path=path, error=exc.strerror)) from None


def remove(path: Path) -> bool:
    """Remove our file (or a link in its place); False when there was none."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise AutostartError(_("{path}: cannot remove ({error})").format(
            path=path, error=exc.strerror)) from None
    return True


def read_text(path: Path) -> str | None:
    from sitbreak.safe_files import read_regular_file

    try:
        return read_regular_file(path).decode("utf-8", "replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AutostartError(_("{path}: cannot read ({error})").format(
            path=path, error=exc.strerror)) from None
