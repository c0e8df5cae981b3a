"""Events fed to the engine. Each carries its own time ``at``: seconds on one clock that keeps
counting through suspend (the daemon uses CLOCK_BOOTTIME; the replay uses trace seconds).

``local`` (where present) is the local wall-clock time at ``at``; the engine keeps it only to
judge working hours and "until tomorrow", never to measure durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import isfinite
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitbreak.engine.policy import Policy


@dataclass(frozen=True, slots=True)
class Input:
    """Keyboard or mouse activity happened at ``at`` (never which key)."""

    at: float


@dataclass(frozen=True, slots=True)
class IdleSample:
    """An OS idle counter read at ``at`` said: no input for ``idle_s`` seconds."""

    at: float
    idle_s: float

    def __post_init__(self) -> None:
        _finite(idle_s=self.idle_s)


@dataclass(frozen=True, slots=True)
class Lock:
    at: float


@dataclass(frozen=True, slots=True)
class Unlock:
    at: float


@dataclass(frozen=True, slots=True)
class Sleep:
    at: float


@dataclass(frozen=True, slots=True)
class Wake:
    at: float


@dataclass(frozen=True, slots=True)
class CallStart:
    """A microphone or camera went into use (never which application, never what is said)."""

    at: float


@dataclass(frozen=True, slots=True)
class CallEnd:
    at: float


@dataclass(frozen=True, slots=True)
class InhibitStart:
    """An application took the idle inhibitor (a video, a presentation)."""

    at: float


@dataclass(frozen=True, slots=True)
class InhibitEnd:
    at: float


@dataclass(frozen=True, slots=True)
class ClockJump:
    """The wall clock moved ``skipped_s`` more than the engine clock up to ``at`` (a suspend
    nobody announced, or a clock change). Treated as a sleep that ended at ``at``."""

    at: float
    skipped_s: float
    local: datetime | None = None

    def __post_init__(self) -> None:
        _finite(skipped_s=self.skipped_s)


@dataclass(frozen=True, slots=True)
class Done:
    """The user did the stretch. ``held_s``: how long the card's timer says they held it (0 when
    answered from the notification): the break is those seconds before ``at``."""

    at: float
    held_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Snooze:
    at: float


@dataclass(frozen=True, slots=True)
class Skip:
    at: float


@dataclass(frozen=True, slots=True)
class Opened:
    """The user clicked the nudge and the stretch card opened (recorded, changes no timer)."""

    at: float


@dataclass(frozen=True, slots=True)
class StretchNow:
    at: float


@dataclass(frozen=True, slots=True)
class Pause:
    """Pause nudges for ``for_s`` seconds, until tomorrow, or (neither) until resumed."""

    at: float
    for_s: float | None = None
    until_tomorrow: bool = False

    def __post_init__(self) -> None:
        if self.for_s is not None:
            _finite(for_s=self.for_s)


@dataclass(frozen=True, slots=True)
class Resume:
    at: float


@dataclass(frozen=True, slots=True)
class Stand:
    at: float


@dataclass(frozen=True, slots=True)
class Sit:
    at: float


@dataclass(frozen=True, slots=True)
class ConfigChanged:
    at: float
    policy: Policy


@dataclass(frozen=True, slots=True)
class Tick:
    """The runtime woke the engine (normally at ``next_deadline()``)."""

    at: float
    local: datetime | None = None


def _finite(**values: float) -> None:
    """Defence in depth: every entry point range-checks (sitbreak.limits); the engine
    still refuses a number it could not compute with."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")


Event = (
    Input
    | IdleSample
    | Lock
    | Unlock
    | Sleep
    | Wake
    | ClockJump
    | CallStart
    | CallEnd
    | InhibitStart
    | InhibitEnd
    | Done
    | Snooze
    | Skip
    | Opened
    | StretchNow
    | Pause
    | Resume
    | Stand
    | Sit
    | ConfigChanged
    | Tick
)
