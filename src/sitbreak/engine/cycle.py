"""One stretch cycle: from the stretch clock's start to the answer. When the stretch nudge and
the posture checks before it are due, and which item the cycle shows (the same one each time).
Pure bookkeeping for the engine; the rules that use it are in the table in ``core.py``."""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

from sitbreak.engine import commands as c
from sitbreak.engine.policy import Policy


@dataclass(slots=True)
class StretchCycle:
    anchor: float = 0.0  # the stretch clock's start
    posture_fired: int = 0  # posture checks fired (or skipped) in this cycle
    snoozed_until: float | None = None
    repeat_from: float | None = None  # last show of the unanswered stretch nudge
    item: str | None = None  # the stretch of this cycle, once shown

    def restart(self, at: float) -> None:
        self.anchor = at
        self.posture_fired = 0
        self.snoozed_until = None
        self.repeat_from = None
        self.item = None

    def snooze(self, until: float) -> None:
        self.snoozed_until = until
        self.repeat_from = None  # answered: it comes back after the snooze, not sooner

    def shown(self, at: float) -> bool:
        """The stretch nudge went up at ``at``; True if it is a repeat."""
        repeat = self.repeat_from is not None
        self.repeat_from = at
        self.snoozed_until = None
        return repeat

    def stretch_due(self, p: Policy) -> tuple[float, bool]:
        """(when the stretch nudge is next due, is it a repeat of one already shown)."""
        due = self.anchor + p.stretch_every
        if self.snoozed_until is not None:
            due = max(due, self.snoozed_until)
        if self.repeat_from is not None:
            return (max(due, self.repeat_from + p.repeat_after), True)
        return (due, False)

    def posture_due(self, p: Policy) -> float | None:
        """The next posture check, if it comes before the stretch nudge and none is pending."""
        if p.posture_every <= 0 or self.repeat_from is not None or self.snoozed_until is not None:
            return None
        at = self.anchor + (self.posture_fired + 1) * p.posture_every
        return at if at < self.stretch_due(p)[0] else None

    def next_due(self, p: Policy) -> tuple[float, c.NudgeKind, bool]:
        posture = self.posture_due(p)
        if posture is not None:
            return (posture, "posture", False)
        at, repeat = self.stretch_due(p)
        return (at, "stretch", repeat)

    def skip_postures(self, now: float, p: Policy) -> None:
        """Posture checks due up to ``now`` are dropped (or one was just shown)."""
        if p.posture_every > 0:
            self.posture_fired = max(self.posture_fired,
                                     floor((now - self.anchor) / p.posture_every))
