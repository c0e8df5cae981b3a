"""Engine seconds → wall-clock time for stored records.

Engine seconds count from an arbitrary origin (boot, or the start of a trace), so the recorder is
told how they line up with Unix time. Each row also keeps the UTC offset that was in force, so a
day is the day the user lived through, wherever the statistics are read later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo


@dataclass(frozen=True, slots=True)
class Anchor:
    """``unix = engine_s + wall_offset``; ``tz`` None means the system's local zone (DST-aware)."""

    wall_offset: float
    tz: tzinfo | None = None

    @classmethod
    def at(cls, engine_s: float, wall: datetime) -> Anchor:
        """Engine time ``engine_s`` is the moment ``wall`` (naive = system local time)."""
        tz = wall.tzinfo
        return cls(wall.timestamp() - engine_s, tz)

    @classmethod
    def now(cls, engine_now: float) -> Anchor:
        return cls(time.time() - engine_now, None)

    def unix(self, engine_s: float) -> float:
        return engine_s + self.wall_offset

    def utc_offset(self, unix_s: float) -> int:
        """Seconds east of UTC at ``unix_s`` in this anchor's zone."""
        if self.tz is None:
            return int(time.localtime(unix_s).tm_gmtoff)
        off = datetime.fromtimestamp(unix_s, self.tz).utcoffset()
        return 0 if off is None else int(off.total_seconds())


def local_datetime(unix_s: float, utc_offset: int) -> datetime:
    """The wall-clock time the user saw, as an aware datetime with the recorded offset."""
    return datetime.fromtimestamp(unix_s, timezone(timedelta(seconds=utc_offset)))
