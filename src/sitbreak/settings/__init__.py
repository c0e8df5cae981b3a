"""Config: TOML file + environment → validated ``Settings`` → the engine's ``Policy``."""

from sitbreak.settings.load import default_path, load, resolve_path
from sitbreak.settings.model import Settings
from sitbreak.settings.policy import to_policy

__all__ = ["Settings", "default_path", "load", "resolve_path", "to_policy"]
