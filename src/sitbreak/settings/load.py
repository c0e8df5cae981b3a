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
from typing import TYPE_CHECKING, Any

from sitbreak.errors import ConfigError
from sitbreak.settings.paths import ENV_PATH, default_path, resolve_path

if TYPE_CHECKING:  # the validator is imported where it runs: importing this module is cheap
    from pydantic import ValidationError

    from sitbreak.settings.model import Settings

__all__ = ["ENV_PATH", "default_path", "load", "resolve_path"]


def load(path: Path | None, *, use_env: bool = True, must_exist: bool = False) -> Settings:
    """Validated settings from ``path`` (defaults where the file is silent or absent)."""
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if must_exist:
                raise ConfigError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise ConfigError(f"{path}: is a directory, not a TOML file") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = _toml_where(exc)
            raise ConfigError(
                f"{path}:{where} TOML syntax error: {_toml_msg(exc)}{_toml_hint(text, where)}"
            ) from None
    from pydantic import ValidationError

    from sitbreak.settings.model import Settings

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
        return ' (durations are text: quote them, e.g. "30m")'
    return ""


def _toml_msg(exc: tomllib.TOMLDecodeError) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)


def _describe(exc: ValidationError, path: Path | None, text: str, *, from_env: bool) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    loc = tuple(str(p) for p in first["loc"])
    msg = str(first["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if first["type"] == "extra_forbidden":
        msg = "unknown key" + _did_you_mean(loc)
    elif ": " in msg and loc and msg.split(": ", 1)[0].isidentifier():
        # A cross-field check names its own key ("away_after: must be shorter than …").
        loc = (*loc, msg.split(": ", 1)[0])
        msg = msg.split(": ", 1)[1]
    key = ".".join(p for p in loc if not p.isdigit()) or "(top level)"
    line = _line_of(text, loc)
    where = f"{path}" if path is not None else "config"
    if line:
        where += f":{line}"
    elif from_env and _env_has(loc):
        where = f"environment variable SITBREAK_{'__'.join(loc).upper()}"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {key}: {msg}{more}"


def _did_you_mean(loc: tuple[str, ...]) -> str:
    from pydantic import BaseModel

    from sitbreak.settings.model import Settings

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
        return f" — did you mean {close[0]!r}?"
    return f" (known keys: {', '.join(options)})"


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
