"""The documented ranges of every number that enters the engine, and the checks for them.

A number from anywhere a user or another process can write (config, environment, CLI, control
socket, replay, the card's answer) must be finite and within its range before it reaches the
engine: ``inf`` or ``nan`` would silently switch a rule off or break every later status.
Standard library only: the control socket and the CLI check without loading pydantic.

    timing durations (config, env)       0 s … 24 h
    pause (CLI, control socket, replay)  > 0 s … 7 days
    a card's reported hold               0 s … 1 h
    replay "t" (seconds from the start)  0 s … 10 years; "start" in years 1900 … 2999
    integers in the config               as each key documents (TOML's 64-bit range at most)
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
MAX_TRACE_S = 10 * 366 * 24 * 3600.0  # a replayed trace's last "t"
TRACE_YEARS = (1900, 2999)  # a trace's "start" (local date-time of t = 0)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # TOML integers; content.seed


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


def show_seconds(seconds: float) -> str:
    """``86400.0`` → ``24h``; used in range messages."""
    s = int(seconds)
    if s % 86400 == 0 and s >= 86400:
        return f"{s // 86400} days" if s > 86400 else "24h"
    if s % 3600 == 0 and s >= 3600:
        return f"{s // 3600}h"
    if s % 60 == 0 and s >= 60:
        return f"{s // 60}m"
    return f"{seconds:g}s"


def check_seconds(
    value: object,
    *,
    high: float,
    low: float = 0.0,
    low_open: bool = False,
    what: str = "value",
) -> float:
    """``value`` as a finite float in ``[low, high]`` (``(low, high]`` with ``low_open``).

    Raises ``ValueError`` with one line saying what is expected. Booleans, strings, NaN,
    infinities and integers too large for a float are all refused; a huge integer is compared
    as an integer, so it can never raise ``OverflowError``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OutOfRange(_("{what} must be a number of seconds, got {name}").format(
            what=what, name=type(value).__name__))
    wrong = (_("{what} must be more than {low} and at most {high}") if low_open
             else _("{what} must be at least {low} and at most {high}")).format(
        what=what, low=show_seconds(low), high=show_seconds(high))
    if isinstance(value, int):
        if value > high or value < low or (low_open and value == low):
            raise OutOfRange(wrong)
        return float(value)
    if not math.isfinite(value):
        raise OutOfRange(_("{what} must be a finite number of seconds, got {value}").format(
            what=what, value=value))
    if value > high or value < low or (low_open and value == low):
        raise OutOfRange(wrong)
    return float(value)


def check_pause(for_s: object) -> float:
    """A pause length from any entry point: more than 0 s and at most 7 days."""
    return check_seconds(for_s, low=0.0, low_open=True, high=MAX_PAUSE_S, what="a pause")


def check_duration(seconds: object, what: str = "a duration") -> float:
    """A [timing] duration: 0 s … 24 h."""
    return check_seconds(seconds, high=MAX_DURATION_S, what=what)
