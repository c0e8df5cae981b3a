"""A gap in the clocks found at a wake-up (a suspend nobody announced, the clock set forward),
told to the engine.

Idle counters (X, Mutter, GetLastInputInfo) stand still while the machine sleeps, but the engine
clock runs on (CLOCK_BOOTTIME). So the input a reading shows right after a suspend happened
before it: it is fed where it happened, and the break the sleep began starts at the last input
before it, not at the last wake-up that happened to read one. A clock set forward while the
machine was awake (kind "clock-set") moves local time only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sitbreak.daemon.wiring import Gap
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger("sitbreak.daemon.runtime")


def feed_gap(rt: Runtime, gap: Gap, now: float, local: datetime, idle: float | None) -> None:
    log.info("clock gap of %.0f s (%s) before this wake-up", gap.skipped_s, gap.kind)
    if gap.kind == "suspend" and idle is not None:
        before = max(now - gap.skipped_s, rt.require_engine().now)
        rt.feed(ev.IdleSample(at=before, idle_s=idle))
    # a clock set forward while awake moves local time, not the user: no break
    skipped = 0.0 if gap.kind == "clock-set" else gap.skipped_s
    rt.feed(ev.ClockJump(at=now, skipped_s=skipped, local=local))
