"""Drive the engine like the daemon and the replay do: wake it at each deadline, then the event.

Tests write timelines as ``(time, event)`` lists and read back ``(time, what)`` pairs, so each
test reads as "these things happen at these times → the user sees this".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sitbreak.engine import Engine, ItemPool, Policy
from sitbreak.engine import commands as c
from sitbreak.engine import events as e

MIN = 60.0
MONDAY_9 = datetime(2026, 11, 23, 9, 0)

POOL = ItemPool(stretch=("figure-four", "glute-squeeze", "walk"), posture=("feet-flat", "shoulders"),
                avoid_last=1, seed=7)


def policy(**kw: object) -> Policy:
    return replace(Policy(items=POOL), **kw)  # type: ignore[arg-type]


def typing(start: float, end: float, every: float = 20.0) -> list[e.Event]:
    """Input every ``every`` seconds from ``start`` up to and including ``end``."""
    out: list[e.Event] = []
    t = start
    while t <= end + 1e-9:
        out.append(e.Input(t))
        t += every
    return out


class Run:
    def __init__(self, pol: Policy | None = None, start_local: datetime = MONDAY_9) -> None:
        self.engine = Engine(pol or policy(), 0.0, start_local)
        self.log: list[c.Command] = []

    def feed(self, events: Iterable[e.Event], until: float | None = None) -> Run:
        for ev in sorted(events, key=lambda x: x.at):
            self._ticks_until(ev.at)
            self.log.extend(self.engine.handle(ev))
        if until is not None:
            self._ticks_until(until)
        return self

    def _ticks_until(self, t: float) -> None:
        d = self.engine.next_deadline()
        while d is not None and d <= t:
            self.log.extend(self.engine.handle(e.Tick(d)))
            nd = self.engine.next_deadline()
            assert nd is None or nd > d, f"deadline did not advance past {d}"
            d = nd

    # -- what the user would see --------------------------------------------------------

    def nudges(self) -> list[tuple[float, str]]:
        return [(x.at, x.kind) for x in self.log if isinstance(x, c.ShowNudge)]

    def shows(self) -> list[c.ShowNudge]:
        return [x for x in self.log if isinstance(x, c.ShowNudge)]

    def breaks(self) -> list[tuple[float, float, str]]:
        return [(x.from_, x.to, x.cause) for x in self.log if isinstance(x, c.BreakRecorded)]

    def withdrawals(self) -> list[tuple[float, str]]:
        return [(x.at, x.reason) for x in self.log if isinstance(x, c.WithdrawNudge)]

    def answers(self) -> list[tuple[float, str, str]]:
        return [(x.at, x.kind, x.answer) for x in self.log if isinstance(x, c.NudgeAnswered)]

    def spans(self) -> list[tuple[float, float]]:
        return [(x.start, x.end) for x in self.log if isinstance(x, c.SittingSpan)]

    def periods(self) -> list[tuple[str, float, float]]:
        return [(x.kind, x.start, x.end) for x in self.log if isinstance(x, c.PeriodRecorded)]

    def states(self) -> list[c.Status]:
        return [x.status for x in self.log if isinstance(x, c.StateChanged)]
