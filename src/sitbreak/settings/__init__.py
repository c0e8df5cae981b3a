"""Config: TOML files (system-wide, user) + environment → validated ``Settings`` → ``Policy``.

``load`` reads one file (replay, ``config check FILE``); ``load_effective`` / ``load_settings``
merge the layers as the daemon does (``layers.py``)."""

from sitbreak.settings.layers import load_effective, load_settings
from sitbreak.settings.load import default_path, load, resolve_path
from sitbreak.settings.model import Settings
from sitbreak.settings.policy import to_policy

__all__ = [
    "Settings",
    "default_path",
    "load",
    "load_effective",
    "load_settings",
    "resolve_path",
    "to_policy",
]
