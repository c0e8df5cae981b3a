"""Where the daemon keeps its socket, lock and log (per user; created 0700)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sitbreak.errors import SitbreakError
from sitbreak.i18n import _

APP = "sitbreak"
SOCKET_NAME = "control.sock"
LOCK_NAME = "daemon.lock"
# sockaddr_un.sun_path is 108 bytes on Linux, 104 on macOS; leave room for the NUL.
_MAX_SOCKET_PATH = 103


def runtime_dir() -> Path:
    """``$XDG_RUNTIME_DIR/sitbreak`` (platformdirs), or a private dir under the temp dir when the
    runtime dir is missing (containers, su sessions)."""
    env = os.environ.get("SITBREAK_RUNTIME_DIR")
    if env:
        return _private_dir(Path(env))
    candidates: list[Path] = []
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_dir():
        candidates.append(Path(xdg) / APP)
    else:
        import warnings

        import platformdirs

        with warnings.catch_warnings():  # its "not set, falling back" warning: so do we, below
            warnings.simplefilter("ignore")
            base = Path(platformdirs.user_runtime_dir(APP))
        if base.parent.is_dir():
            candidates.append(base)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    candidates.append(Path(tempfile.gettempdir()) / f"{APP}-{uid}")
    last: SitbreakError | None = None
    for path in candidates:
        try:
            return _private_dir(path)
        except SitbreakError as exc:
            last = exc
    assert last is not None
    raise last


def _private_dir(path: Path) -> Path:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
    except OSError as exc:
        raise SitbreakError(_("cannot create the runtime directory {path}: {error}").format(
            path=path, error=exc.strerror)) from None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise SitbreakError(_("runtime directory {path} belongs to another user").format(path=path))
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def socket_path() -> Path:
    path = runtime_dir() / SOCKET_NAME
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        raise SitbreakError(
            f"control socket path is too long for a Unix socket ({path}); "
            "set SITBREAK_RUNTIME_DIR to a shorter directory"
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
