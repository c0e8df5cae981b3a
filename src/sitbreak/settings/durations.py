"""Durations as people write them: ``90s``, ``30m``, ``1h30m``, ``1.5h``; a bare number is seconds."""

from __future__ import annotations

import re

from sitbreak.i18n import _

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(_("expected a duration like '30m', '90s' or '1h30m', got a boolean"))
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if not text:
            raise ValueError(_("empty duration; write e.g. '30m', '90s' or '1h30m'"))
        try:
            seconds = float(text)
        except ValueError:
            pos = 0
            seconds = 0.0
            for m in _PART.finditer(text):
                if m.start() != pos:
                    break
                seconds += float(m.group(1)) * _UNIT[m.group(2)]
                pos = m.end()
            if pos != len(text) or pos == 0:
                raise ValueError(
                    _("bad duration {value!r}; write e.g. '30m', '90s' or '1h30m'").format(value=value)
                ) from None
    else:
        raise ValueError(_("expected a duration like '30m', got {name}").format(name=type(value).__name__))
    if seconds < 0:
        raise ValueError(_("duration {value!r} is negative").format(value=value))
    return seconds


def format_duration(seconds: float) -> str:
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    parts = [f"{h}h" if h else "", f"{m}m" if m else "", f"{sec}s" if sec else ""]
    return "".join(parts) or "0s"
