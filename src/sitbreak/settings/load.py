"""Reading the config: a pure function from file to validated settings (or one ConfigError line).

The daemon builds a new ``Settings`` on every saved edit and swaps it in only when valid, so the
last good config stays in force after a bad edit.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak import validation_text
from sitbreak.errors import ConfigError
from sitbreak.i18n import _
from sitbreak.safe_files import MAX_TEXT_FILE, UnsafeFile, read_regular_file
from sitbreak.safe_text import clean
from sitbreak.settings.paths import ENV_PATH, default_path, resolve_path

if TYPE_CHECKING:  # the validator is imported where it runs: importing this module is cheap
    import tomllib

    from pydantic import ValidationError

    from sitbreak.settings.model import Settings

__all__ = ["ENV_PATH", "default_path", "load", "read_toml", "resolve_path"]


def load(path: Path | None, *, use_env: bool = True, must_exist: bool = False) -> Settings:
    """Validated settings from ``path`` (defaults where the file is silent or absent).

    Every failure is one ``ConfigError`` line naming the file (or environment variable), the
    key or line, and what is wrong: never a traceback, never a hang (a FIFO or a device is
    refused, not read), never more than ``MAX_CONFIG_BYTES`` read.
    """
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        got = read_toml(path, must_exist=must_exist)
        if got is not None:
            text, data = got
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from sitbreak.settings.model import Settings

    Settings.use_env = use_env
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, text, from_env=use_env)) from None
    except SettingsError as exc:  # an environment value that is not valid JSON
        raise ConfigError(_env_problem(str(exc), _("not valid JSON"))) from None
    except RecursionError:  # JSON nested thousands deep in an environment variable
        raise ConfigError(_env_problem("", _("nested too deeply"), json_only=True)) from None
    finally:
        Settings.use_env = True


MAX_CONFIG_BYTES = MAX_TEXT_FILE


def read_toml(path: Path, *, must_exist: bool) -> tuple[str, dict[str, Any]] | None:
    """The file's text and its TOML tables; None when it is absent and may be. Every failure is
    one ``ConfigError`` line (see ``_read`` for what is refused)."""
    raw = _read(path, must_exist=must_exist)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            _("{path}:{line}: not UTF-8 text ({reason} at byte {start})").format(
                path=_show(path), line=line, reason=exc.reason, start=exc.start)
        ) from None
    return text, _parse_toml(path, text)


def _read(path: Path, *, must_exist: bool) -> bytes | None:
    """The file's bytes; None when it is absent and may be. A symlink (dotfile managers link
    the config) is followed to its end, which must be a regular file of at most 1 MiB."""
    shown = _show(path)
    try:
        real = path.resolve(strict=True)
        data = read_regular_file(real, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        if path.is_symlink():
            raise ConfigError(_("{path}: a symbolic link to a missing file").format(path=shown)) from None
        if must_exist:
            raise ConfigError(_("{path}: no such file").format(path=shown)) from None
        return None
    except UnsafeFile as exc:  # a FIFO, a device, a directory, too large
        reason = str(exc).removeprefix(f"{clean(real)}: ")
        via = f" (via a symbolic link to {clean(real)})" if real != path.absolute() else ""
        raise ConfigError(f"{shown}: {reason}{via}") from None
    except RuntimeError:  # a symlink loop (some Python versions)
        raise ConfigError(_("{path}: symbolic link loop").format(path=shown)) from None
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read ({error})").format(
            path=shown, error=clean(exc.strerror or exc))) from None
    return data


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only when there is a file: a daemon started without one never reads TOML

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _toml_where(exc)
        raise ConfigError(
            _("{path}:{where} TOML syntax error: {message}{hint}").format(
                path=_show(path), where=where, message=clean(_toml_msg(exc)), hint=_toml_hint(text, where))
        ) from None
    except RecursionError:
        raise ConfigError(
            _("{path}: arrays or tables nested too deeply (a config needs at most 2 "
              "levels)").format(path=_show(path))
        ) from None
    except ValueError:  # an integer of thousands of digits
        m = re.search(r"[0-9_]{1000}", text)
        line = f"{text.count(chr(10), 0, m.start()) + 1}:" if m else ""
        raise ConfigError(_("{path}:{line} a number with thousands of digits").format(
            path=_show(path), line=line)) from None


def _show(path: Path | None) -> str:
    return clean(path) if path is not None else "config"


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
    key = clean(".".join(p for p in loc if not p.isdigit()) or _("(top level)"))
    line = _line_of(text, loc)
    env = _env_var_for(loc) if from_env else None
    if env is not None and (env[1] or not line):
        # the environment overrides the file: its value is the one that failed
        where = _("environment variable {name}").format(name=clean(env[0]))
    else:
        where = _show(path)
        if line:
            where += f":{line}"
    more = _(" (+{count} more)").format(count=len(errors) - 1) if len(errors) > 1 else ""
    return f"{where}: {key}: {clean(msg, 300)}{more}"


def _env_var_for(loc: tuple[str, ...]) -> tuple[str, bool] | None:
    """The environment variable that set ``loc`` (or the table holding it), and whether it
    names exactly that key."""
    names = {k.upper(): k for k in os.environ}
    keys = [p for p in loc if not p.isdigit()]
    for n in range(len(keys), 0, -1):
        name = "SITBREAK_" + "__".join(keys[:n]).upper()
        if name in names:
            return names[name], n == len(keys)
    return None


def _env_problem(message: str, what: str, *, json_only: bool = False) -> str:
    """One line naming the environment variable(s) of the field pydantic-settings names (or,
    with ``json_only``, the ones holding JSON)."""
    m = re.search(r'field "(\w+)"', message)
    prefix = "SITBREAK_" + (m.group(1).upper() if m else "")
    names = sorted(
        k for k, v in os.environ.items()
        if k.upper().startswith(prefix) and k.upper() != ENV_PATH
        and (not json_only or v.lstrip()[:1] in ("[", "{"))
    )
    shown = ", ".join(clean(n, 80) for n in names[:3]) or "SITBREAK_*"
    return _("environment variable {names}: {problem} (a list is written as JSON, "
             "e.g. '[\"desk\", \"floor\"]')").format(names=shown, problem=what)


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
    import difflib

    close = difflib.get_close_matches(loc[-1], options, n=1, cutoff=0.6)
    if close:
        return _(" — did you mean {key!r}?").format(key=close[0])
    return _(" (known keys: {keys})").format(keys=", ".join(options))


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
