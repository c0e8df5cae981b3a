"""Synthetic but realistic office days as replay traces (for tests, benchmarks and demos).

A day: arrive (wake + unlock), typing bursts separated by reading pauses, a coffee walk, a
meeting at the desk (sparse input) or away from it (locked), short locks under the away
threshold, lunch with the screen locked, and sleep overnight. Seeded, so a trace is repeatable.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DayShape:
    arrive: float = 8.5 * 3600  # seconds after midnight
    leave: float = 17.5 * 3600
    input_rate: float = 4.0  # input events per second while typing/mousing
    lunch: tuple[float, float] = (12.25 * 3600, 45 * 60)  # (start, length)


def _line(t: float, event: str, **extra: float) -> str:
    rec: dict[str, object] = {"t": round(t, 3), "event": event, **extra}
    return json.dumps(rec, separators=(", ", ": "))


def office_days(days: int, seed: int = 1, shape: DayShape | None = None,
                start_date: str = "2026-11-23") -> Iterator[str]:
    """Yield trace lines: a start line, then ``days`` office days from Monday ``start_date``."""
    shape = shape or DayShape()
    rng = random.Random(seed)
    yield json.dumps({"start": f"{start_date}T00:00:00"}, separators=(", ", ": "))
    t = 0.0
    for day in range(days):
        midnight = day * 86400.0
        arrive = midnight + shape.arrive + rng.uniform(-1200, 1200)
        leave = midnight + shape.leave + rng.uniform(-1800, 1800)
        lunch_at = midnight + shape.lunch[0] + rng.uniform(-900, 900)
        lunch_len = shape.lunch[1] + rng.uniform(-600, 900)
        if day > 0:
            yield _line(arrive - 60, "wake")
        t = max(t, arrive)
        yield _line(t, "unlock")
        lunched = False
        while t < leave:
            if not lunched and t >= lunch_at:
                lunched = True
                yield _line(t + 2, "lock")
                t += lunch_len
                yield _line(t, "unlock")
                continue
            roll = rng.random()
            if roll < 0.70:  # typing/mousing burst
                end = t + rng.uniform(20, 240)
                while t < end:
                    t += rng.expovariate(shape.input_rate)
                    yield _line(t, "input")
            elif roll < 0.90:  # reading / thinking: still sitting
                t += rng.uniform(10, 170)
            elif roll < 0.94:  # coffee / walk (no lock): a natural break
                t += rng.uniform(240, 900)
            elif roll < 0.96:  # call at the desk: sparse input for 20–45 min
                end = t + rng.uniform(1200, 2700)
                while t < end:
                    t += rng.uniform(30, 150)
                    yield _line(t, "input")
            elif roll < 0.97:  # meeting elsewhere, screen locked
                yield _line(t + 1, "lock")
                t += rng.uniform(1800, 3600)
                yield _line(t, "unlock")
            else:  # quick lock under the away threshold (fetching a printout)
                yield _line(t + 1, "lock")
                t += rng.uniform(20, 90)
                yield _line(t, "unlock")
        yield _line(t + 5, "lock")
        yield _line(t + 20, "sleep")
        t += 20
