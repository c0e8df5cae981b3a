"""Strict readers for config values that pydantic would otherwise coerce quietly.

pydantic's lax mode turns ``"yes"``, ``1`` and ``"on"`` into ``True``, ``True`` into ``1`` and
``"٤"`` into an error only sometimes; a config typo must instead say what is expected. Strings
are accepted where the environment is the only way to write the value (``"true"``, ``"12"``).
"""

from __future__ import annotations

import re

from sitbreak.safe_text import clean

_WHOLE = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def strict_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # from the environment
    raise ValueError(f"expected true or false, got {_show(value)}")


def strict_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())  # from the environment
    raise ValueError(f"expected a whole number, got {_show(value)}")


def text_without_controls(value: object) -> object:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _show(value: object) -> str:
    if isinstance(value, str):
        return clean(repr(value), 60)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return clean(repr(value), 60)
    return {"list": "a list", "dict": "a table"}.get(type(value).__name__, type(value).__name__)
