"""Reading the config: a pure function from file to validated settings (or one ConfigError line).

The daemon builds a new ``Settings`` on every saved edit and swaps it in only when valid, so the
last good config stays in force after a bad edit.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sitbreak import validation_text
from sitbreak.errors import ConfigError
from sitbreak.i18n import _
from sitbreak.settings.model import Settings

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


def load(path: Path | None, *, use_env: bool = True, must_exist: bool = False) -> Settings:
    """Validated settings from ``path`` (defaults where the file is silent or absent)."""
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if must_exist:
                raise ConfigError(_("{path}: no such file").format(path=path)) from None
        except IsADirectoryError:
            raise ConfigError(_("{path}: is a directory, not a TOML file").format(path=path)) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                _("{path}: not UTF-8 text ({reason} at byte {start})").format(
                    path=path, reason=exc.reason, start=exc.start)
            ) from None
        except OSError as exc:
            raise ConfigError(_("{path}: cannot read ({error})").format(
                path=path, error=exc.strerror)) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = _toml_where(exc)
            raise ConfigError(
                _("{path}:{where} TOML syntax error: {message}{hint}").format(
                    path=path, where=where, message=_toml_msg(exc), hint=_toml_hint(text, where))
            ) from None
    Settings.use_env = use_env
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, text, from_env=use_env)) from None
    finally:
        Settings.use_env = True


def _toml_where(exc: tomllib.TOMLDecodeError) -> str:
    line = getattr(exc, "lineno", None)
    if line is None:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
    return f"{line}:" if line else ""


_BARE_DURATION = re.compile(r"=\s*\d+(\.\d+)?\s*[hms]\b")


def _toml_hint(text: str, where: str) -> str:
    if not where:
        return ""
    lines = text.splitlines()
    n = int(where.rstrip(":"))
    if 0 < n <= len(lines) and _BARE_DURATION.search(lines[n - 1]):
        return _(' (durations are text: quote them, e.g. "30m")')
    return ""


def _toml_msg(exc: tomllib.TOMLDecodeError) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)


def _describe(exc: ValidationError, path: Path | None, text: str, *, from_env: bool) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    loc = tuple(str(p) for p in first["loc"])
    msg = validation_text.message(first)
    if first["type"] == "extra_forbidden":
        msg = _("unknown key") + _did_you_mean(loc)
    elif ": " in msg and loc and msg.split(": ", 1)[0].isidentifier():
        # A cross-field check names its own key ("away_after: must be shorter than …").
        loc = (*loc, msg.split(": ", 1)[0])
        msg = msg.split(": ", 1)[1]
    key = ".".join(p for p in loc if not p.isdigit()) or _("(top level)")
    line = _line_of(text, loc)
    where = f"{path}" if path is not None else _("config")
    if line:
        where += f":{line}"
    elif from_env and _env_has(loc):
        where = _("environment variable {name}").format(name=f"SITBREAK_{'__'.join(loc).upper()}")
    more = _(" (+{count} more)").format(count=len(errors) - 1) if len(errors) > 1 else ""
    return f"{where}: {key}: {msg}{more}"


def _did_you_mean(loc: tuple[str, ...]) -> str:
    model: type[BaseModel] = Settings
    for part in loc[:-1]:
        field = model.model_fields.get(part)
        ann = field.annotation if field else None
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return ""
        model = ann
    options = list(model.model_fields)
    close = difflib.get_close_matches(loc[-1], options, n=1, cutoff=0.6)
    if close:
        return _(" — did you mean {key!r}?").format(key=close[0])
    return _(" (known keys: {keys})").format(keys=", ".join(options))


def _env_has(loc: tuple[str, ...]) -> bool:
    return any(k.upper().startswith("SITBREAK_" + loc[0].upper()) for k in os.environ)


_SECTION = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """The line that sets ``loc`` (or its section), for an error message."""
    if not text:
        return None
    section: tuple[str, ...] = ()
    section_line: int | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        m = _SECTION.match(raw)
        if m:
            section = tuple(p.strip().strip('"') for p in m.group(1).split("."))
            if section == loc:
                return n
            if section == loc[: len(section)] and section_line is None:
                section_line = n
            continue
        k = _KEY.match(raw)
        if k and (*section, k.group(1)) == loc[: len(section) + 1]:
            return n
    return section_line
