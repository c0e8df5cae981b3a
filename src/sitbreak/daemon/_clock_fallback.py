"""Stand-in until ``sitbreak.adapters.clocks`` lands: engine clock + suspend-gap check (Linux)."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Gap:
    at: float
    skipped_s: float
    kind: str


class Clocks:
    def __init__(self, tolerance_s: float = 10.0) -> None:
        self.tolerance_s = tolerance_s
        self._last = (self.now(), time.monotonic())

    def now(self) -> float:
        return time.clock_gettime(time.CLOCK_BOOTTIME)

    def sample(self) -> Gap | None:
        cur = (self.now(), time.monotonic())
        prev, self._last = self._last, cur
        suspended = (cur[0] - prev[0]) - (cur[1] - prev[1])
        return Gap(cur[0], suspended, "suspend") if suspended > self.tolerance_s else None
