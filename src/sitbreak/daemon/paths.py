"""Where the daemon keeps its socket, lock and log (per user).

The runtime directory holds the lock and the control socket, so it must be private: a real
directory (not a symlink), owned by us, mode 0700. Without ``XDG_RUNTIME_DIR`` it falls back to
``$TMPDIR/sitbreak-<uid>`` in a directory every local user can write, where another user may have
planted a symlink or a directory of their own first: such a path is refused with one line, never
followed and never chmod-ed (only a directory we have just created is ever given its mode).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from sitbreak.errors import SitbreakError
from sitbreak.i18n import _
from sitbreak.safe_text import clean

APP = "sitbreak"
SOCKET_NAME = "control.sock"
LOCK_NAME = "daemon.lock"
# sockaddr_un.sun_path is 108 bytes on Linux, 104 on macOS; leave room for the NUL.
_MAX_SOCKET_PATH = 103
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafePath(SitbreakError):
    """A path of ours that fails a safety check (a symlink, not ours, not private)."""


def runtime_dir() -> Path:
    """``$SITBREAK_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/sitbreak`` (or
    ``/run/user/<uid>/sitbreak``), else a private dir under the temp dir when the runtime dir is
    missing (containers, su sessions). Raises ``UnsafePath`` (one line) when none is safe."""
    env = os.environ.get("SITBREAK_RUNTIME_DIR")
    if env:
        return private_dir(Path(env), parents=True)
    candidates: list[Path] = []
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_dir():
        candidates.append(Path(xdg) / APP)
    else:
        platform_dir = _platform_runtime_dir()
        if platform_dir is not None:
            candidates.append(platform_dir)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    candidates.append(Path(tempfile.gettempdir()) / f"{APP}-{uid}")
    last: SitbreakError | None = None
    for path in candidates:
        try:
            return private_dir(path)
        except SitbreakError as exc:
            last = exc
    assert last is not None
    raise last


def _platform_runtime_dir() -> Path | None:
    """The per-user runtime dir the system provides without XDG_RUNTIME_DIR (``/run/user/<uid>``
    on Linux), or None. Only its own checks decide: our fallback below is checked by us."""
    if sys.platform.startswith("linux"):
        base = Path(f"/run/user/{os.getuid()}")
        return base / APP if base.is_dir() else None
    import warnings

    import platformdirs

    with warnings.catch_warnings():  # its "not set, falling back" warning: so do we
        warnings.simplefilter("ignore")
        try:
            path = Path(platformdirs.user_runtime_dir(APP))
        except OSError:  # newer platformdirs refuse an unsafe fallback of their own
            return None
    return path if path.parent.is_dir() else None


def private_dir(path: Path, *, parents: bool = False) -> Path:
    """``path`` as a private directory of ours: created 0700 if missing; an existing one must be
    a real directory owned by us with mode 0700, checked on the opened descriptor."""
    created = False
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
        created = True
    except FileExistsError:
        pass
    except OSError as exc:
        raise UnsafePath(
            _("cannot create the runtime directory {path}: {error}").format(
                path=clean(path), error=exc.strerror)
        ) from None
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        raise _refusal(path, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafePath(_("runtime directory {path} is not a directory; refused").format(
                path=clean(path)))
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise UnsafePath(
                _("runtime directory {path} belongs to uid {st_uid}, not to you; refused "
                  "(set XDG_RUNTIME_DIR or SITBREAK_RUNTIME_DIR to a private directory)").format(
                      path=clean(path), st_uid=st.st_uid)
            )
        if created and stat.S_IMODE(st.st_mode) != 0o700 and hasattr(os, "fchmod"):
            os.fchmod(fd, 0o700)  # ours since the mkdir above; a umask may have narrowed it
            st = os.fstat(fd)
        if os.name == "posix" and stat.S_IMODE(st.st_mode) != 0o700:
            raise UnsafePath(
                _("runtime directory {path} has mode {value:04o}, not 0700; refused "
                  "(make it private: chmod 700 {path})").format(
                      path=clean(path), value=stat.S_IMODE(st.st_mode))
            )
    finally:
        os.close(fd)
    return path


def _refusal(path: Path, exc: OSError) -> UnsafePath:
    if path.is_symlink():
        return UnsafePath(_("runtime directory {path} is a symbolic link; refused").format(path=clean(path)))
    if path.exists() and not path.is_dir():
        return UnsafePath(_("runtime directory {path} is not a directory; refused").format(path=clean(path)))
    return UnsafePath(_("cannot open the runtime directory {path}: {error}").format(
        path=clean(path), error=exc.strerror))


def socket_path() -> Path:
    path = runtime_dir() / SOCKET_NAME
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        raise SitbreakError(
            _("control socket path is too long for a Unix socket ({path}); set "
              "SITBREAK_RUNTIME_DIR to a shorter directory").format(path=clean(path))
        )
    return path


def lock_path() -> Path:
    return runtime_dir() / LOCK_NAME


def log_dir() -> Path:
    import platformdirs

    path = Path(platformdirs.user_log_dir(APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def safety_intro_marker() -> Path:
    """Exists once the safety card was shown on a first run (it is shown only once)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "safety-card-shown"


def gnome_breaks_marker() -> Path:
    """Exists once the user was told that GNOME's own movement breaks are on (told once)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "gnome-breaks-noticed"
