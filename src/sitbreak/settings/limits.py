"""The documented ranges of every number that reaches the engine, and one check for them.

Every entry point (config file, environment, CLI, control socket, replay) validates through
here, so a value the engine sees is always a finite float inside its range. Standard library
only: the control socket and the CLI call it without paying for pydantic's validators.

    timing durations (config, env)      0 s … 24 h
    pause (CLI, control socket, replay)  > 0 s … 7 days
    replay "t" (seconds from the start)  0 s … 10 years; "start" in years 1900 … 2999
    integers in the config              as each key documents (TOML's 64-bit range at most)
"""

from __future__ import annotations

import math

MAX_DURATION_S = 24 * 3600.0  # any [timing] duration, idle_poll included
MAX_PAUSE_S = 7 * 24 * 3600.0  # `sitbreak pause`, {"cmd": "pause", "for_s": …}
MAX_TRACE_S = 10 * 366 * 24 * 3600.0  # a replayed trace's last "t"
TRACE_YEARS = (1900, 2999)  # a trace's "start" (local date-time of t = 0)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # TOML integers; content.seed


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
        raise ValueError(f"{what} must be a number of seconds, got {type(value).__name__}")
    bound = f"{'more than' if low_open else 'at least'} {show_seconds(low)}"
    if isinstance(value, int):
        if value > high or value < low or (low_open and value == low):
            raise ValueError(f"{what} must be {bound} and at most {show_seconds(high)}")
        return float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number of seconds, got {value}")
    if value > high or value < low or (low_open and value == low):
        raise ValueError(f"{what} must be {bound} and at most {show_seconds(high)}")
    return float(value)


def check_pause(for_s: object) -> float:
    """A pause length from any entry point: more than 0 s and at most 7 days."""
    return check_seconds(for_s, low=0.0, low_open=True, high=MAX_PAUSE_S, what="a pause")


def check_duration(seconds: object, what: str = "a duration") -> float:
    """A [timing] duration: 0 s … 24 h."""
    return check_seconds(seconds, high=MAX_DURATION_S, what=what)
