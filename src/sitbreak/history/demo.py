"""A synthetic office week as a replay trace, for demos and for the history tests.

    python -m sitbreak.history.demo --days 7 --last 2026-11-21 > week.jsonl
    sitbreak replay week.jsonl --db week.sqlite3 > /dev/null
    sitbreak stats --week --date 2026-11-21 --db week.sqlite3 --chart week.png

The simulated person arrives between 08:00 and 09:15, types in bursts with reading pauses
(shorter than the away threshold), gets coffee now and then, goes to a meeting or two and to
lunch (screen locked), closes the laptop in the evening (sleep), and answers nudges the way
people do: often done, sometimes snoozed or skipped, sometimes ignored. It runs its own engine
with the same policy so it knows when a nudge would appear and can answer it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta

from sitbreak.engine import Engine, Policy
from sitbreak.engine import commands as c
from sitbreak.engine import events as e

_Simple = type[e.Lock | e.Unlock | e.Sleep | e.Wake | e.Done | e.Snooze | e.Skip | e.Opened]
_EVENTS: dict[str, _Simple] = {
    "lock": e.Lock, "unlock": e.Unlock, "sleep": e.Sleep, "wake": e.Wake,
    "done": e.Done, "snooze": e.Snooze, "skip": e.Skip, "opened": e.Opened,
}


class _Person:
    def __init__(self, first_day: date, policy: Policy, rng: random.Random) -> None:
        self.rng = rng
        self.engine = Engine(policy, 0.0, datetime.combine(first_day, time()))
        self.lines: list[str] = [json.dumps({"start": f"{first_day.isoformat()}T00:00:00"})]
        self.now = 0.0
        self.answer: tuple[float, str] | None = None  # planned reaction to the nudge on screen

    def emit(self, t: float, name: str) -> None:
        t = round(max(t, self.now), 2)
        eng = self.engine
        deadline = eng.next_deadline()
        while deadline is not None and deadline <= t:
            self._see(eng.handle(e.Tick(deadline)))
            deadline = eng.next_deadline()
        self.now = t
        self._see(eng.input_at(t) if name == "input" else eng.handle(_EVENTS[name](t)))
        self.lines.append(f'{{"t": {t}, "event": "{name}"}}')

    def _see(self, commands: Iterable[c.Command]) -> None:
        for cmd in commands:
            if isinstance(cmd, c.ShowNudge):
                self.answer = self._react(cmd)
            elif isinstance(cmd, c.NudgeAnswered | c.WithdrawNudge):
                self.answer = None

    def _react(self, show: c.ShowNudge) -> tuple[float, str] | None:
        r = self.rng.random()
        if show.kind == "posture":
            return (show.at + self.rng.uniform(3, 40), "skip") if r < 0.3 else None
        if r < 0.55:
            return show.at + self.rng.uniform(15, 150), "done"
        if r < 0.7:
            return show.at + self.rng.uniform(5, 60), "snooze"
        if r < 0.8:
            return show.at + self.rng.uniform(5, 45), "skip"
        return None  # keeps working; the nudge is raised again later

    def work_until(self, end: float) -> None:
        """Sit and type until ``end``, answering nudges on the way."""
        rng = self.rng
        t = self.now
        while True:
            gap = min(rng.expovariate(1 / 4.0), 45.0)
            if rng.random() < 0.004:
                gap = rng.uniform(60, 170)  # reading, thinking: no input but still sitting
            t += gap
            if self.answer is not None and self.answer[0] <= min(t, end):
                at, name = self.answer
                self.answer = None
                if name == "done":
                    if rng.random() < 0.6:
                        self.emit(at - rng.uniform(5, 12), "opened")
                    self.emit(at, "done")
                    t = at + rng.uniform(40, 100)  # stretching: hands off the keyboard
                else:
                    self.emit(at, name)
            if t >= end:
                return
            self.emit(t, "input")

    def leave(self, back: float, lock: bool) -> None:
        start = self.now
        if lock:
            self.emit(start + self.rng.uniform(3, 20), "lock")
            self.emit(back - self.rng.uniform(3, 10), "unlock")
        self.now = max(self.now, back)
        self.emit(back, "input")


def office_week(last_day: date, days: int = 7, seed: int = 1,
                policy: Policy | None = None) -> list[str]:
    """Trace lines (JSON Lines, with the start line) for ``days`` days ending with ``last_day``."""
    rng = random.Random(seed)
    first = last_day - timedelta(days=days - 1)
    person = _Person(first, policy or Policy(), rng)
    asleep = False
    for d in range(days):
        day = first + timedelta(days=d)
        base = d * 86400.0
        if day.weekday() == 6 or (day.weekday() == 5 and rng.random() < 0.5):
            continue  # a day off
        weekend = day.weekday() == 5
        start = base + (rng.uniform(10, 11) if weekend else rng.uniform(8, 9.25)) * 3600
        end = start + (rng.uniform(1, 2.5) if weekend else rng.uniform(8.3, 9.5)) * 3600
        if asleep:
            person.emit(start - rng.uniform(10, 40), "wake")
        person.now = max(person.now, start)
        person.emit(start, "input")
        away: list[tuple[float, float, bool]] = []  # planned (from, to, lock)
        if not weekend:
            lunch = base + rng.uniform(12, 13) * 3600
            away.append((lunch, lunch + rng.uniform(30, 60) * 60, True))
            for _ in range(rng.choice((0, 1, 1, 2))):
                at = base + rng.uniform(9.5, 16.5) * 3600
                if all(abs(at - a) > 5400 for a, _, _ in away):
                    away.append((at, at + rng.choice((30, 45, 60)) * 60, rng.random() < 0.7))
        away.sort()
        coffee = person.now + rng.uniform(25, 110) * 60
        while person.now < end:
            nxt = min([a for a in away if a[0] > person.now] or [(end, end, False)])
            until = min(nxt[0], coffee, end)
            person.work_until(until)
            if until >= end:
                break
            if until == coffee:
                person.leave(person.now + rng.uniform(4, 12) * 60, lock=rng.random() < 0.4)
                coffee = person.now + rng.uniform(25, 110) * 60
            else:
                person.leave(nxt[1], lock=nxt[2])
                away.remove(nxt)
        person.emit(person.now + rng.uniform(20, 60), "sleep")
        asleep = True
    return person.lines


def _iter_main(argv: list[str] | None) -> Iterator[str]:
    p = argparse.ArgumentParser(prog="python -m sitbreak.history.demo",
                                description="print a synthetic office week as a replay trace")
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--last", type=date.fromisoformat, default=date.today(),
                   help="last day of the trace (YYYY-MM-DD, default today)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    yield from office_week(a.last, a.days, a.seed)


if __name__ == "__main__":
    sys.stdout.write("".join(line + "\n" for line in _iter_main(None)))
