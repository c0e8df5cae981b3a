"""Where the config files are (no validation here: cheap to import)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

ENV_PATH = "SITBREAK_CONFIG"
FILE_NAME = "sitbreak.toml"


def default_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("sitbreak", appauthor=False) / "sitbreak.toml"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config`` beats ``$SITBREAK_CONFIG`` beats the platform's user config directory."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env).expanduser()
    return default_path()


def system_locations(platform: str = sys.platform, environ: Mapping[str, str] | None = None) -> list[str]:
    """Where the system-wide file is looked for, most important first (as text, so that the
    Windows and macOS answers can be checked anywhere)."""
    env = os.environ if environ is None else environ
    if platform == "win32":
        base = env.get("PROGRAMDATA") or r"C:\ProgramData"
        return [base.rstrip("\\") + r"\sitbreak\sitbreak.toml"]
    if platform == "darwin":
        return ["/Library/Application Support/sitbreak/sitbreak.toml"]
    dirs = [d for d in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":") if os.path.isabs(d)]
    return [f"{d.rstrip('/')}/sitbreak/{FILE_NAME}" for d in dirs or ["/etc/xdg"]]


def system_paths() -> list[Path]:
    return [Path(p) for p in system_locations()]
