"""The engine's settings: plain frozen data, built from the validated config by the settings layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import isfinite

from sitbreak.engine.hours import WorkingHours
from sitbreak.engine.rotation import ItemPool


@dataclass(frozen=True, slots=True)
class Policy:
    stretch_every: float = 30 * 60  # stretch nudge after this much continuous sitting
    posture_every: float = 15 * 60  # posture checks at multiples of this before it; 0 = off
    away_after: float = 3 * 60  # an input gap this long means the user left (a break)
    repeat_after: float = 10 * 60  # an unanswered stretch nudge is raised again after this
    snooze: float = 10 * 60  # a snoozed nudge comes back after this
    present_within: float = 60  # a due nudge waits until the user was active this recently
    # Set by a runtime that reads an OS idle counter: how often to read it while only fresh
    # input can change anything (the user is away, or a due nudge waits for them). None when
    # every input arrives as an event (the replay, a pynput listener).
    recheck: float | None = None
    # A call (microphone or camera in use) or an idle inhibitor makes input gaps sitting, not
    # absence, for at most this long from its start: a device left open all day must not hide
    # every real break. After that the normal rules apply again.
    call_max: float = 4 * 3600
    inhibitors_count_as_sitting: bool = True
    working_hours: WorkingHours = field(default_factory=lambda: WorkingHours((), ""))
    items: ItemPool = field(default_factory=ItemPool)

    def __post_init__(self) -> None:
        # Defence in depth: the settings layer range-checks every duration (0 s … 24 h); a NaN
        # or an infinity here would silently switch a rule off (NaN compares false).
        for name in ("stretch_every", "posture_every", "away_after", "repeat_after", "snooze",
                     "present_within", "recheck"):
            value = getattr(self, name)
            if value is None and name == "recheck":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                isfinite(value) and value >= 0
            ):
                raise ValueError(f"policy {name} must be a finite number >= 0, got {value!r}")
