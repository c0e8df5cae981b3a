"""Parsing the DATE arguments of ``stats`` and ``history``."""

from __future__ import annotations

from datetime import date

from sitbreak.errors import UsageError
from sitbreak.i18n import _


def parse_day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(_("{option}: {text!r} is not a date; use YYYY-MM-DD").format(
            option=option, text=text)) from None
