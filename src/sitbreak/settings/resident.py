"""The config for the long-running daemon, validated without keeping the validator resident.

pydantic-settings validates the config and words its errors, but importing it costs a resident
process ~25 MiB and ~0.2 s CPU. So the daemon (``load_effective``, as ``layers.load_effective``):

- with nothing to validate (no system-wide or user file, or files with no keys, and no
  ``SITBREAK_<SECTION>`` variables) takes the defaults shipped as data
  (``data/settings-defaults.json``; a test checks they are the model's);
- otherwise runs the validator in a short-lived child (``python -m sitbreak.settings.check``)
  and keeps the plain result (``Snapshot``); a broken config is the same one-line
  ``ConfigError`` as in-process. Should the child itself fail to run, the config is validated
  in-process after all (one warning).

``Effective.settings`` is typed as ``Settings``: a ``Snapshot`` answers the same attribute reads.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sitbreak.child_json import ChildFailed, ask
from sitbreak.errors import ConfigError
from sitbreak.safe_files import UnsafeFile, read_regular_file
from sitbreak.settings.paths import system_paths
from sitbreak.settings.snapshot import Snapshot

if TYPE_CHECKING:
    from sitbreak.settings.model import Settings

log = logging.getLogger(__name__)

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "settings-defaults.json"
_ENV_PREFIX = "SITBREAK_"


def _defaults() -> dict[str, Any] | None:
    try:
        data = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def env_overrides(sections: set[str], environ: dict[str, str] | None = None) -> bool:
    """Does any environment variable set a config key (``SITBREAK_TIMING__SNOOZE=…``)?"""
    environ = dict(os.environ) if environ is None else environ
    wanted = tuple(_ENV_PREFIX + s.upper() for s in sections)
    return any(name.upper().startswith(wanted) for name in environ)


def _has_no_keys(path: Path | None, must_exist: bool) -> bool:
    """True when the file is absent (and may be) or holds no keys. Anything unusual (a
    symlink, not a regular file, unreadable, a TOML error) is for the validator to word."""
    if path is None:
        return True
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return not must_exist and not os.path.islink(path)
    except (OSError, UnsafeFile):
        return False
    import tomllib  # only when there is a file (most starts have none)

    try:
        return tomllib.loads(raw.decode("utf-8")) == {}
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError):
        return False


@dataclass(frozen=True, slots=True)
class Effective:
    """What the daemon keeps of ``layers.load_effective``: plain data only."""

    settings: Settings
    notes: tuple[str, ...]  # refused changes to locked keys, one line each
    watched: tuple[Path, ...]  # every file that can change the result


def load_effective(user_path: Path | None, *, must_exist: bool = False) -> Effective:
    """The merged, validated config (system-wide files, ``user_path``, the environment)."""
    system = system_paths()
    defaults = _defaults()
    if (defaults is not None and not env_overrides(set(defaults))
            and all(_has_no_keys(p, False) for p in system)
            and _has_no_keys(user_path, must_exist)):
        watched = (*system, *([user_path] if user_path is not None else []))
        return Effective(cast("Settings", Snapshot(defaults)), (), tuple(watched))
    answer = _check_in_child(user_path, must_exist)
    return Effective(
        cast("Settings", Snapshot(answer["ok"])),
        tuple(str(n) for n in answer.get("notes", ())),
        tuple(Path(p) for p in answer.get("watched", ())),
    )


def _check_in_child(path: Path | None, must_exist: bool) -> dict[str, Any]:
    args = ["--must-exist"] if must_exist else []
    if path is not None:
        args.append(str(path))
    try:
        answer = ask("sitbreak.settings.check", *args)
    except ChildFailed as exc:
        log.warning("config check in a child process failed (%s); checking here", exc)
        return _check_here(path, must_exist)
    if isinstance(answer.get("error"), str):
        raise ConfigError(answer["error"])
    if isinstance(answer.get("ok"), dict):
        return answer
    log.warning("config check answered %.200r; checking here", answer)
    return _check_here(path, must_exist)


def _check_here(path: Path | None, must_exist: bool) -> dict[str, Any]:
    from sitbreak.settings.check import validated

    answer = validated(path, must_exist=must_exist)
    if "error" in answer:
        raise ConfigError(answer["error"])
    return answer
