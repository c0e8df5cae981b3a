"""Where the system-wide config files are: shared by the config layers and by the CLI's quick
read of ``ui.language`` (which must not import pydantic, so this module imports nothing heavy)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

FILE_NAME = "sitbreak.toml"


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
