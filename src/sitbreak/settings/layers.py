"""The effective config: built-in defaults < system-wide file < the user's file < environment.

An administrator's file (``/etc/xdg/sitbreak/sitbreak.toml`` — every ``$XDG_CONFIG_DIRS`` entry —,
``%PROGRAMDATA%\\sitbreak\\sitbreak.toml``, ``/Library/Application Support/sitbreak/sitbreak.toml``)
sets office defaults that each user's file overrides key by key, and may lock keys::

    [locked]
    keys = ["timing.stretch_every", "history"]     # a key, or a whole section

A locked key keeps the system value (or the default, if the system file does not set it); a user
file or environment variable that tries to change it is reported in one line naming the lock, and
the rest of that file still applies. Locks keep an office's agreed values in force; they are not a
security boundary (a user who controls their own environment can run their own copy).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sitbreak.config_locations import system_locations
from sitbreak.errors import ConfigError
from sitbreak.i18n import _
from sitbreak.settings.durations import format_duration, parse_duration
from sitbreak.settings.load import _describe, _line_of, read_toml
from sitbreak.settings.model import Settings

LOCKED = "locked"
DEFAULT = "default"

# re-exported: the system-wide locations live where the CLI can read them without pydantic
__all__ = [
    "DEFAULT", "LOCKED", "Effective", "Layer", "defaults", "load_effective", "load_settings",
    "shown", "system_locations", "system_paths",
]



def system_paths() -> list[Path]:
    return [Path(p) for p in system_locations()]


@dataclass(frozen=True, slots=True)
class Layer:
    kind: str  # "system file" | "user file"
    path: Path
    text: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.kind} {self.path}"


@dataclass(frozen=True, slots=True)
class Effective:
    settings: Settings
    origins: dict[str, str]  # "timing.stretch_every" -> "default" | "system file …" | …
    locked: frozenset[str]  # dotted keys
    notes: tuple[str, ...]  # one line per refused attempt to change a locked key
    watched: tuple[Path, ...] = field(default=())  # every file that can change the result


def _read(path: Path, kind: str) -> Layer | None:
    """A config file as one layer, read as ``load`` reads the user's file (a dotfile manager's
    symlink followed to a regular file; a FIFO, a device or a huge file refused in one line)."""
    got = read_toml(path, must_exist=False)
    return None if got is None else Layer(kind, path, *got)


def _sections() -> dict[str, type[BaseModel]]:
    out: dict[str, type[BaseModel]] = {}
    for name, info in Settings.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out[name] = ann
    return out


def _locks(layer: Layer) -> set[str]:
    table = layer.data.pop(LOCKED, None)
    if table is None:
        return set()

    def bad(what: str) -> ConfigError:
        line = _line_of(layer.text, (LOCKED, "keys")) or _line_of(layer.text, (LOCKED,))
        where = f"{layer.path}:{line}" if line else str(layer.path)
        return ConfigError(_("{where}: locked.keys: {what}").format(where=where, what=what))

    if not isinstance(table, dict) or set(table) - {"keys"}:
        raise bad('write [locked] keys = ["timing.stretch_every", …] (no other keys)')
    keys = table.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise bad("must be a list of key names")
    sections = _sections()
    locked: set[str] = set()
    for key in keys:
        section, _dot, name = key.partition(".")
        model = sections.get(section)
        if model is None or (name and name not in model.model_fields):
            raise bad(f"unknown key {key!r} (write section.key, e.g. 'timing.stretch_every')")
        locked |= {f"{section}.{n}" for n in model.model_fields} if not name else {key}
    return locked


def _env_values() -> dict[str, Any]:
    from pydantic_settings import EnvSettingsSource
    from pydantic_settings.exceptions import SettingsError

    try:
        return dict(EnvSettingsSource(Settings)())
    except SettingsError as exc:
        raise ConfigError(_("environment: {error}").format(error=exc)) from None


def _env_name(dotted: str) -> str:
    section, _dot, key = dotted.partition(".")
    name = f"SITBREAK_{section}__{key}".upper()
    present = {k.upper() for k in os.environ}
    return name if name in present else f"SITBREAK_{section.upper()}"


def _flat(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, body in data.items():
        if isinstance(body, dict):
            for key, value in body.items():
                out[f"{section}.{key}"] = value
        else:
            out[section] = body  # not a table: validation names it
    return out


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dotted, value in flat.items():
        section, sep, key = dotted.partition(".")
        if sep:
            out.setdefault(section, {})[key] = value
        else:
            out[section] = value
    return out


def shown(dotted: str, value: Any) -> str:
    """A value as you would write it in the file (durations as text)."""
    section, _dot, key = dotted.partition(".")
    model = _sections().get(section)
    info = model.model_fields.get(key) if model else None
    is_duration = info is not None and any(
        getattr(m, "func", None) is parse_duration for m in info.metadata
    )
    if is_duration and isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return f'"{format_duration(parse_duration(value))}"'
        except ValueError:
            return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(shown("", v) for v in value) + "]"
    return repr(value)


def defaults() -> dict[str, Any]:
    Settings.use_env = False
    try:
        return _flat(Settings().model_dump())
    finally:
        Settings.use_env = True


def load_effective(
    user_path: Path | None,
    *,
    system: Sequence[Path] | None = None,
    use_env: bool = True,
    must_exist: bool = False,
) -> Effective:
    """The merged, validated config, where each value came from, and the refused changes."""
    candidates = list(system_paths() if system is None else system)
    system_layers = [
        layer for p in reversed(candidates) if (layer := _read(p, "system file")) is not None
    ]
    user = _read(user_path, "user file") if user_path is not None else None
    if user is None and must_exist and user_path is not None:
        raise ConfigError(_("{user_path}: no such file").format(user_path=user_path))
    if user is not None and LOCKED in user.data:
        line = _line_of(user.text, (LOCKED,))
        where = f"{user.path}:{line}" if line else str(user.path)
        raise ConfigError(_("{where}: locked: only the system-wide file ({value}) can lock keys").format(
            where=where, value=candidates[0]))

    locked: dict[str, Layer] = {}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in system_layers:
        for key in _locks(layer):
            locked.setdefault(key, layer)
        for key, value in _flat(layer.data).items():
            values[key] = value
            origins[key] = layer.label
    base = defaults()
    notes: list[str] = []

    def refuse(key: str, value: Any, who: str) -> bool:
        lock = locked.get(key)
        if lock is None:
            return False
        kept = values.get(key, base.get(key))
        if shown(key, value) != shown(key, kept):
            where_kept = "" if key in values else "the default "
            notes.append(f"{who}: {key} is locked by {lock.path}; keeping {where_kept}{shown(key, kept)}")
        return True

    if user is not None:
        for key, value in _flat(user.data).items():
            section, _dot, name = key.partition(".")
            line = _line_of(user.text, (section, name)) if name else None
            if not refuse(key, value, f"{user.path}:{line}" if line else str(user.path)):
                values[key] = value
                origins[key] = user.label
    if use_env:
        for key, value in _flat(_env_values()).items():
            if not refuse(key, value, f"environment variable {_env_name(key)}"):
                values[key] = value
                origins[key] = f"environment {_env_name(key)}"

    Settings.use_env = False
    try:
        settings = Settings(**_nest(values))
    except ValidationError as exc:
        raise ConfigError(_blame(exc, origins, system_layers, user, user_path)) from None
    finally:
        Settings.use_env = True
    for key in _flat(settings.model_dump()):
        origins.setdefault(key, DEFAULT)
    watched = (*candidates, *([user_path] if user_path is not None else []))
    return Effective(settings, origins, frozenset(locked), tuple(notes), tuple(watched))


def _blame(
    exc: ValidationError,
    origins: Mapping[str, str],
    system_layers: Sequence[Layer],
    user: Layer | None,
    user_path: Path | None,
) -> str:
    """The one-line message, naming the file (and line) that set the offending value."""
    first = exc.errors(include_url=False, include_input=False)[0]
    loc = [str(p) for p in first["loc"] if not str(p).isdigit()]
    msg = str(first["msg"]).removeprefix("Value error, ")
    if len(loc) == 1 and ": " in msg and msg.split(": ", 1)[0].isidentifier():
        loc.append(msg.split(": ", 1)[0])  # a cross-field check names its own key
    origin = origins.get(".".join(loc[:2]), DEFAULT)
    for layer in [*system_layers, *([user] if user else [])]:
        if origin == layer.label:
            return _describe(exc, layer.path, layer.text, from_env=False)
    if origin.startswith("environment"):
        return _describe(exc, None, "", from_env=True)
    return _describe(exc, user.path if user else user_path, user.text if user else "", from_env=False)


def load_settings(path: Path | None, *, must_exist: bool = False) -> Settings:
    """``load_effective(...).settings``: what every command that acts as the daemon reads."""
    return load_effective(path, must_exist=must_exist).settings
