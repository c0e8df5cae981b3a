"""Commands the engine returns; adapters (notifier, tray, history, replay printer) carry them out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NudgeKind = Literal["stretch", "posture"]
BreakCause = Literal["away", "lock", "sleep", "done"]
Answer = Literal["done", "snoozed", "skipped", "ignored", "clicked"]
Presence = Literal["sitting", "away", "locked", "asleep"]


@dataclass(frozen=True, slots=True)
class ShowNudge:
    at: float
    kind: NudgeKind
    item: str
    sitting_s: float
    repeat: bool = False  # the same unanswered stretch nudge raised again


@dataclass(frozen=True, slots=True)
class WithdrawNudge:
    """Take the shown nudge off the screen (the user left, locked, slept, or answered)."""

    at: float
    reason: Literal["away", "lock", "sleep", "answered", "paused", "standing"]


@dataclass(frozen=True, slots=True)
class BreakRecorded:
    """A break from sitting, emitted when it is known: for away/lock/sleep at the first input
    back (``to``), back-dated to the last input before it (``from_``); for done at the answer."""

    from_: float
    to: float
    cause: BreakCause


@dataclass(frozen=True, slots=True)
class SittingSpan:
    """A continuous sitting span ended (at a break, at standing up, or at a done)."""

    start: float
    end: float


@dataclass(frozen=True, slots=True)
class NudgeAnswered:
    at: float
    kind: NudgeKind
    item: str
    shown_at: float
    answer: Answer


@dataclass(frozen=True, slots=True)
class PeriodRecorded:
    """A pause or standing period ended."""

    kind: Literal["pause", "stand"]
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Status:
    """What the tray and ``sitbreak status`` show; times are engine seconds."""

    at: float
    presence: Presence
    sitting_since: float | None
    next_nudge_at: float | None
    next_nudge_kind: NudgeKind | None
    paused: bool
    paused_until: float | None  # None with paused=True: until resumed
    standing: bool
    nudge_kind: NudgeKind | None  # the nudge on screen, if any
    nudge_item: str | None
    in_working_hours: bool

    def sitting_s(self, now: float) -> float:
        return 0.0 if self.sitting_since is None else max(0.0, now - self.sitting_since)


@dataclass(frozen=True, slots=True)
class StateChanged:
    status: Status


Command = (
    ShowNudge
    | WithdrawNudge
    | BreakRecorded
    | SittingSpan
    | NudgeAnswered
    | PeriodRecorded
    | StateChanged
)
