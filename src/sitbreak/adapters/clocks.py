"""Clock backstop: engine time, and gaps nobody announced (a missed suspend, a clock change).

Engine time keeps counting through suspend: ``CLOCK_BOOTTIME`` on Linux; on macOS
``time.monotonic()`` is ``CLOCK_UPTIME_RAW`` and stops in sleep, so ``CLOCK_MONOTONIC`` (which
counts sleep there) is used; elsewhere ``time.monotonic()``. The "awake" clock is
``time.monotonic()`` on Linux and ``CLOCK_UPTIME_RAW`` on macOS, both of which stop in suspend.

At each wake-up the runtime calls ``Clocks.sample()``; a returned ``Gap`` becomes
``events.ClockJump(at=gap.at, skipped_s=gap.skipped_s)``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

ClockFn = Callable[[], float]


class Cancellable(Protocol):
    def cancel(self) -> None: ...


_BOOTTIME = sys.platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME")


def _engine_clock() -> ClockFn:
    if _BOOTTIME:
        boot = time.CLOCK_BOOTTIME
        return lambda: time.clock_gettime(boot)
    if sys.platform == "darwin" and hasattr(time, "CLOCK_MONOTONIC"):
        mono = time.CLOCK_MONOTONIC
        return lambda: time.clock_gettime(mono)
    return time.monotonic


def _awake_clock() -> ClockFn:
    if sys.platform == "darwin" and hasattr(time, "CLOCK_UPTIME_RAW"):
        uptime = time.CLOCK_UPTIME_RAW
        return lambda: time.clock_gettime(uptime)
    return time.monotonic


# Where the engine clock counts suspend, a suspend shows as Δengine − Δawake, so a wall clock
# that moves on its own is someone setting the clock (NTP, the user, a time zone tool): not a gap.
ENGINE_COUNTS_SUSPEND = (
    sys.platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME")
) or (sys.platform == "darwin" and hasattr(time, "CLOCK_MONOTONIC"))


def engine_now() -> float:
    """Seconds on the engine clock (counts through suspend where the OS allows)."""
    return _ENGINE()


_ENGINE = _engine_clock()


@dataclass(frozen=True, slots=True)
class Gap:
    at: float  # engine time of the sample that found the gap
    skipped_s: float  # how long the gap was
    # "suspend": the engine clock ran while the awake clock stood; "wall": the wall clock ran
    # ahead of an engine clock that may have missed a suspend; "clock-set": the wall clock was
    # set forward while the machine was awake (no time was lost: not a break)
    kind: str


@dataclass(frozen=True, slots=True)
class _Sample:
    engine: float
    awake: float
    wall: float


class Clocks:
    """Samples three clocks and reports gaps since the previous sample.

    - suspend gap: Δengine − Δawake (engine counts suspend, awake does not);
    - wall jump: Δwall − Δengine (someone set the clock, or a suspend the engine clock also
      missed — on platforms where the engine clock is ``monotonic``).

    Either beyond ``tolerance_s`` is reported; the larger one wins (they describe the same gap
    on platforms where both see it). Where the engine clock counts suspend, a wall jump alone is
    reported as "clock-set". Clock functions are injectable for tests.
    """

    def __init__(
        self,
        *,
        engine: ClockFn | None = None,
        awake: ClockFn | None = None,
        wall: ClockFn = time.time,
        tolerance_s: float = 10.0,
        engine_counts_suspend: bool = ENGINE_COUNTS_SUSPEND,
    ) -> None:
        self._engine = engine or _ENGINE
        self._awake = awake or _awake_clock()
        self._wall = wall
        self.tolerance_s = tolerance_s
        self.engine_counts_suspend = engine_counts_suspend
        self._last = self._take()
        # the real engine clock is CLOCK_BOOTTIME on Linux: wake-ups on it (False: none here)
        self._boot: Any = None if engine is None and _BOOTTIME else False

    def _take(self) -> _Sample:
        return _Sample(self._engine(), self._awake(), self._wall())

    def now(self) -> float:
        return self._engine()

    def call_later(self, loop: asyncio.AbstractEventLoop, delay: float,
                   fn: Callable[[], None]) -> Cancellable:
        """``fn()`` on ``loop`` after ``delay`` s of engine time: a deadline that passed while
        the machine slept fires at the resume (adapters/engine_timer.py), where asyncio's own
        timers would wait out the rest of the delay after it. One such timer at a time."""
        if self._boot is None:
            from sitbreak.adapters.engine_timer import boot_timer_or_none

            self._boot = boot_timer_or_none() or False
        if self._boot:
            return self._boot.call_at(loop, self._engine() + delay, fn)  # type: ignore[no-any-return]
        return loop.call_later(delay, fn)

    def wall(self) -> float:
        """Unix time now (history rows are stored in it)."""
        return self._wall()

    def local(self) -> datetime:
        """Local time now (naive, the system's zone): read from the same wall clock, so a test
        that moves the wall clock moves local time too."""
        return datetime.fromtimestamp(self._wall())

    def sample(self) -> Gap | None:
        """Take a sample; return the gap since the previous one, if any exceeded tolerance."""
        cur = self._take()
        prev, self._last = self._last, cur
        d_engine = cur.engine - prev.engine
        suspended = d_engine - (cur.awake - prev.awake)
        wall_jump = (cur.wall - prev.wall) - d_engine
        best: Gap | None = None
        if suspended > self.tolerance_s:
            best = Gap(cur.engine, suspended, "suspend")
        # a wall clock set backwards is not a gap in sitting; only forward jumps count
        if wall_jump > self.tolerance_s:
            if self.engine_counts_suspend:
                if best is None:
                    best = Gap(cur.engine, wall_jump, "clock-set")
            elif best is None or wall_jump > best.skipped_s:
                best = Gap(cur.engine, wall_jump, "wall")
        return best
