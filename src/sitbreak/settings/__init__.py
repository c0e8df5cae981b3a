"""Config: TOML file + environment → validated ``Settings`` → the engine's ``Policy``.

Importing this package is cheap: the validator (pydantic-settings) is imported only when
``load`` runs or ``Settings`` is used, and the daemon never keeps it resident
(``settings.resident`` validates in a short-lived child process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitbreak.settings.load import load
from sitbreak.settings.paths import default_path, resolve_path
from sitbreak.settings.policy import to_policy

if TYPE_CHECKING:
    from sitbreak.settings.model import Settings

__all__ = ["Settings", "default_path", "load", "resolve_path", "to_policy"]


def __getattr__(name: str) -> Any:
    if name == "Settings":
        from sitbreak.settings.model import Settings

        return Settings
    raise AttributeError(f"module 'sitbreak.settings' has no attribute {name!r}")
