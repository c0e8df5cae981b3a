"""Where the config file is (no validation here: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

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
