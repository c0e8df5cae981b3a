"""Config: TOML files (system-wide, user) + environment → validated ``Settings`` → ``Policy``.

``load`` reads one file (replay, ``config check FILE``); ``load_effective`` / ``load_settings``
merge the layers as the daemon does (``layers.py``).

Importing this package is cheap: the validator (pydantic-settings) is imported only when a
config is validated or ``Settings`` is used, and the daemon never keeps it resident
(``settings.resident`` validates in a short-lived child process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitbreak.settings.load import load
from sitbreak.settings.paths import default_path, resolve_path
from sitbreak.settings.policy import to_policy

if TYPE_CHECKING:
    from sitbreak.settings.layers import load_effective, load_settings
    from sitbreak.settings.model import Settings

__all__ = [
    "Settings",
    "default_path",
    "load",
    "load_effective",
    "load_settings",
    "resolve_path",
    "to_policy",
]

_LAZY = {
    "Settings": "sitbreak.settings.model",
    "load_effective": "sitbreak.settings.layers",
    "load_settings": "sitbreak.settings.layers",
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'sitbreak.settings' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(where), name)
