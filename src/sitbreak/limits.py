"""The documented ranges of every number that enters the engine, and the one check they share.

A number from anywhere a user or another process can write (config, environment, CLI, control
socket, replay, the card's answer) must be finite and within its range before it reaches the
engine: ``inf`` or ``nan`` would silently switch a rule off or break every later status.
"""

from __future__ import annotations

import math

from sitbreak.i18n import _
from sitbreak.safe_text import clean

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0

MAX_DURATION_S = DAY  # any configured interval (stretch_every, away_after, snooze, …)
MAX_PAUSE_S = 7 * DAY  # `sitbreak pause` / {"cmd": "pause", "for_s": …}
MAX_HOLD_S = HOUR  # the hold a stretch card reports with a Done


class OutOfRange(ValueError):
    """A number that is not finite or outside its range; the message is one line naming it."""


def check_finite_range(name: str, value: object, lo: float, hi: float, unit: str = "") -> float:
    """``value`` as a float if it is a real number (not a bool), finite and ``lo <= value <= hi``;
    else ``OutOfRange`` naming ``name``, the (cleaned, capped) value and the range (in ``unit``,
    e.g. "s")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OutOfRange(_("{name}: expected a number, got {value}").format(
            name=name, value=clean(repr(value))))
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise OutOfRange(_("{name}: {value} is out of range ({allowed})").format(
            name=name, value=clean(value, 40), allowed=_span(lo, hi, unit))) from None
    if not math.isfinite(number):
        raise OutOfRange(_("{name}: must be a finite number, got {number}").format(name=name, number=number))
    if not lo <= number <= hi:
        raise OutOfRange(_("{name}: {value} is out of range ({allowed})").format(
            name=name, value=clean(value, 40), allowed=_span(lo, hi, unit)))
    return number


def _span(lo: float, hi: float, unit: str) -> str:
    return f"{_num(lo)} to {_num(hi)}" + (f" {unit}" if unit else "")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
