"""Reading records back, in the user's local time.

"Local seconds" are Unix seconds plus the UTC offset the row was recorded with: naive local
wall-clock time on a plain number line, so days split where the user's midnight was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

_EPOCH = datetime(1970, 1, 1)


def local_seconds(day: date) -> float:
    """Local seconds at the start (midnight) of ``day``."""
    return (datetime.combine(day, time()) - _EPOCH).total_seconds()


def local_date(local_s: float) -> date:
    return (_EPOCH + timedelta(seconds=local_s)).date()


@dataclass(frozen=True, slots=True)
class Span:
    start: float  # Unix seconds
    end: float
    utc_offset: int

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def local_start(self) -> float:
        return self.start + self.utc_offset

    @property
    def local_end(self) -> float:
        return self.end + self.utc_offset

    def clipped(self, lo: float, hi: float) -> float:
        """Seconds of this span between local seconds ``lo`` and ``hi``."""
        return max(0.0, min(self.local_end, hi) - max(self.local_start, lo))


@dataclass(frozen=True, slots=True)
class Break(Span):
    cause: str = "away"

    @property
    def natural(self) -> bool:
        """Left, locked or slept on their own (not a stretch done at a nudge)."""
        return self.cause != "done"


@dataclass(frozen=True, slots=True)
class Period(Span):
    kind: str = "pause"


@dataclass(frozen=True, slots=True)
class Nudge:
    shown: float
    kind: str
    item: str
    repeat: bool
    answer: str | None  # None: still on screen when last recorded; "clicked": card opened only
    answered: float | None
    utc_offset: int

    @property
    def local_shown(self) -> float:
        return self.shown + self.utc_offset

    @property
    def response_s(self) -> float | None:
        """Seconds from showing to done / snooze / skip (None: no answer given)."""
        if self.answer not in ("done", "snoozed", "skipped") or self.answered is None:
            return None
        return max(0.0, self.answered - self.shown)


@dataclass(slots=True)
class History:
    sitting: list[Span] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)
    nudges: list[Nudge] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sitting) + len(self.breaks) + len(self.nudges) + len(self.periods)


def load(conn: sqlite3.Connection | None, lo: float | None = None,
         hi: float | None = None) -> History:
    """Records touching local seconds [lo, hi) (None: unbounded), oldest first."""
    out = History()
    if conn is None:
        return out
    lo_v = float("-inf") if lo is None else lo
    hi_v = float("inf") if hi is None else hi
    overlap = "end_ts + utc_offset >= ? AND start_ts + utc_offset < ?"
    for s, e, off in conn.execute(
        f"SELECT start_ts, end_ts, utc_offset FROM sitting WHERE {overlap} ORDER BY start_ts",
        (lo_v, hi_v),
    ):
        out.sitting.append(Span(s, e, off))
    for s, e, off, cause in conn.execute(
        f"SELECT start_ts, end_ts, utc_offset, cause FROM breaks WHERE {overlap} "
        "ORDER BY start_ts",
        (lo_v, hi_v),
    ):
        out.breaks.append(Break(s, e, off, cause))
    for s, e, off, kind in conn.execute(
        f"SELECT start_ts, end_ts, utc_offset, kind FROM periods WHERE {overlap} "
        "ORDER BY start_ts",
        (lo_v, hi_v),
    ):
        out.periods.append(Period(s, e, off, kind))
    for row in conn.execute(
        "SELECT shown_ts, kind, item, repeat, answer, answered_ts, utc_offset "
        "FROM nudges WHERE shown_ts + utc_offset >= ? AND shown_ts + utc_offset < ? "
        "ORDER BY shown_ts",
        (lo_v, hi_v),
    ):
        s, kind, item, repeat, answer, answered, off = row
        out.nudges.append(Nudge(s, kind, item, bool(repeat), answer, answered, off))
    return out


def latest_day(conn: sqlite3.Connection | None) -> date | None:
    """The local day of the newest sitting record, if any."""
    if conn is None:
        return None
    row = conn.execute("SELECT max(end_ts + utc_offset) FROM sitting").fetchone()
    return None if row is None or row[0] is None else local_date(row[0])
