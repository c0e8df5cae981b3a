"""What the history takes from the config: where the database is, how long to keep it, the
stretch limit the statistics judge spans by."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sitbreak.history.recorder import Recorder
from sitbreak.history.store import default_path
from sitbreak.i18n import _

if TYPE_CHECKING:
    from sitbreak.settings import Settings


def user_settings(config: str | None) -> Settings:
    """``--config FILE`` (must exist), else the user's config; a broken user config is reported
    in one line and the defaults are used, so statistics still show."""
    from sitbreak.errors import ConfigError
    from sitbreak.settings import Settings, load_settings, resolve_path

    if config:
        return load_settings(Path(config), must_exist=True)
    try:
        return load_settings(resolve_path(None))
    except ConfigError as exc:
        print(_("sitbreak: {error} (using the defaults)").format(error=exc), file=sys.stderr)
        return Settings()


def db_path(settings: Settings) -> Path:
    return Path(settings.history.path).expanduser() if settings.history.path else default_path()


def recorder_for(settings: Settings) -> Recorder | None:
    """The daemon's recorder as configured, or None when history is turned off. Construct it on
    the thread that will write (the worker): a SQLite connection stays on its thread."""
    if not settings.history.enabled:
        return None
    return Recorder(db_path(settings), retention_days=settings.history.retention_days,
                    keep_trying=True)
