"""Synthetic but realistic office days as replay traces (for tests, benchmarks and demos).

A day: arrive (wake + unlock), typing bursts separated by reading pauses, a coffee walk, calls
at the desk (``call_start``/``call_end``: the microphone in use, with long silent spells of
listening; some ended by a hang-up click, some followed by leaving the desk at once), a video
holding the idle inhibitor, a meeting away from the desk (locked), short locks under the away
threshold, lunch with the screen locked, and sleep overnight. Seeded, so a trace is repeatable.

    python -m sitbreak.tracegen --days 5 --seed 1 > days.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
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
            elif roll < 0.96:  # call at the desk for 20–60 min: listening, a note now and then
                t += rng.uniform(1, 20)
                yield _line(t, "input")  # the click that joins the call
                t += rng.uniform(0.5, 3)
                yield _line(t, "call_start")
                end = t + rng.uniform(1200, 3600)
                while True:
                    # mostly silent spells of 1–12 min, longer than away_after
                    t += rng.uniform(30, 150) if rng.random() < 0.4 else rng.uniform(60, 720)
                    if t >= end - 1:
                        break
                    yield _line(t, "input")
                t = end
                yield _line(t, "call_end")
                after = rng.random()
                if after < 0.5:  # the hang-up click
                    t += rng.uniform(0.1, 2)
                    yield _line(t, "input")
                elif after < 0.8:  # straight up from the desk after the call
                    t += rng.uniform(300, 900)
            elif roll < 0.965:  # a training video: the idle inhibitor held, no input
                yield _line(t + 1, "inhibit")
                t += rng.uniform(600, 1500)
                yield _line(t, "uninhibit")
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="sitbreak trace",
                                description="print synthetic office days as a replay trace")
    p.add_argument("--days", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", default="2026-11-23", help="first day (a YYYY-MM-DD Monday)")
    a = p.parse_args(argv)
    sys.stdout.writelines(line + "\n" for line in office_days(a.days, a.seed, start_date=a.start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
