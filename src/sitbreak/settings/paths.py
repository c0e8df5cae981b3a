"""Where the config files are (no validation here: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

from sitbreak.config_locations import FILE_NAME, system_locations

__all__ = ["ENV_PATH", "FILE_NAME", "default_path", "resolve_path", "system_locations",
           "system_paths"]

ENV_PATH = "SITBREAK_CONFIG"


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


def system_paths() -> list[Path]:
    return [Path(p) for p in system_locations()]
