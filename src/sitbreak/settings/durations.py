"""Durations as people write them: ``90s``, ``30m``, ``1h30m``, ``1h 30m``, ``1.5h``; a bare
number is seconds.

Strict on purpose: ASCII digits only, each unit at most once and in the order h, m, s, spaces
only between a number and its unit or between parts (``"3 0m"`` is an error, not 30 min), no
exponents, ``inf`` or ``nan``; the result is finite and within the caller's range.
"""

from __future__ import annotations

import re
from math import inf

from sitbreak.i18n import _
from sitbreak.limits import MAX_DURATION_S, check_seconds
from sitbreak.safe_text import clean

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_BARE = re.compile(rf"\s*({_NUMBER})\s*", re.ASCII)
_WITH_UNITS = re.compile(
    rf"\s*(?:(?P<h>{_NUMBER})\s*h)?\s*(?:(?P<m>{_NUMBER})\s*m)?\s*(?:(?P<s>{_NUMBER})\s*s)?\s*",
    re.ASCII,
)
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0}
EXAMPLES = "e.g. '30m', '90s' or '1h30m'"


def parse_duration(value: object, *, max_s: float = MAX_DURATION_S) -> float:
    """Seconds in ``[0, max_s]``; ``ValueError`` (one line, saying what is expected) otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("expected a duration like '30m', '90s' or '1h30m', got a boolean"))
    if isinstance(value, int | float):
        return check_seconds(value, high=max_s, what="a duration")
    if not isinstance(value, str):
        raise ValueError(_("expected a duration like '30m', got {name}").format(
            name=type(value).__name__))
    text = value.lower()
    if not text.strip():
        raise ValueError(_("empty duration; write e.g. '30m', '90s' or '1h30m'"))
    bare = _BARE.fullmatch(text)
    if bare is not None:
        seconds = float(bare.group(1))
    else:
        m = _WITH_UNITS.fullmatch(text)
        if m is None or not any(m.group(u) for u in _UNIT):
            raise ValueError(
                _("bad duration {value}; write a number with h, m or s (each once, in "
                  "that order), e.g. '30m', '90s' or '1h30m'").format(value=clean(repr(value)))
            )
        seconds = sum(float(m.group(u)) * k for u, k in _UNIT.items() if m.group(u))
    if seconds == inf:  # a long run of digits
        seconds = max_s + 1  # …is simply out of range
    return check_seconds(seconds, high=max_s, what=f"duration {clean(repr(value), 40)}")


def format_duration(seconds: float) -> str:
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    parts = [f"{h}h" if h else "", f"{m}m" if m else "", f"{sec}s" if sec else ""]
    return "".join(parts) or "0s"
