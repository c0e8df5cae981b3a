"""Commands the engine returns; adapters (notifier, tray, history, replay printer) carry them out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NudgeKind = Literal["stretch", "posture"]
BreakCause = Literal["away", "lock", "sleep", "done"]
Answer = Literal["done", "snoozed", "skipped", "ignored", "clicked"]
Presence = Literal["sitting", "standing", "away", "locked", "asleep"]
# Why a nudge that is due has not been shown: a call is on, the user has been idle longer than
# present_within (it comes at the next input), or it is outside working hours.
Waits = Literal["call", "input", "hours"]


@dataclass(frozen=True, slots=True)
class ShowNudge:
    at: float
    kind: NudgeKind
    item: str
    sitting_s: float
    repeat: bool = False  # the same unanswered stretch nudge raised again


@dataclass(frozen=True, slots=True)
class WithdrawNudge:
    """Take the shown nudge off the screen (the user left, locked, slept, a call started, or
    they answered)."""

    at: float
    reason: Literal["away", "lock", "sleep", "call", "answered", "paused", "standing"]


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
    """What the tray and ``sitbreak status`` show; times are engine seconds.

    Every field is true in every state: while the user is not at the desk (away, locked,
    asleep) the sitting time stands still at ``sitting_until`` and no next nudge is announced;
    a due nudge that is held says why (``next_nudge_waits``), its ``next_nudge_at`` may then lie
    in the past."""

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
    sitting_until: float | None = None  # the sitting time stopped here (not at the desk)
    next_nudge_waits: Waits | None = None
    in_call: bool = False  # a microphone or camera is in use (and calls.max not yet reached)
    inhibited: bool = False  # an application holds the idle inhibitor

    def sitting_s(self, now: float) -> float:
        if self.sitting_since is None:
            return 0.0
        end = now if self.sitting_until is None else min(now, self.sitting_until)
        return max(0.0, end - self.sitting_since)


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
