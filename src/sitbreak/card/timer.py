"""The hold timer as plain data: phases for each side/rep, advanced by elapsed seconds.

No Tk and no clock here: the window feeds it time deltas, the tests feed it numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sitbreak.i18n import _

PhaseKind = Literal["hold", "switch", "rest"]
SWITCH_S = 5.0  # time to change legs between sides


class Timed(Protocol):
    """What the timer needs from an item (a library Item or the card's quick read)."""

    @property
    def sides(self) -> int: ...
    @property
    def hold_s(self) -> int: ...
    @property
    def reps(self) -> int: ...
    @property
    def rest_s(self) -> int: ...
    @property
    def timer_label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Phase:
    label: str  # "Left side", "Switch: right side", "Squeeze 2/8", "Relax"
    seconds: float
    kind: PhaseKind
    shown_s: int  # seconds to show for it (the hold that follows, for a switch)


def build_phases(item: Timed, scale: float = 1.0) -> list[Phase]:
    """Every step of the timer in order; ``scale`` shortens all of them (tests, demos)."""
    sides = [_("Left side"), _("Right side")] if item.sides == 2 else [item.timer_label]
    phases: list[Phase] = []
    for s, side in enumerate(sides):
        if s > 0:
            phases.append(Phase(_("Switch: right side"), SWITCH_S * scale, "switch", item.hold_s))
        for rep in range(1, item.reps + 1):
            if rep > 1 and item.rest_s:
                phases.append(Phase(_("Relax"), item.rest_s * scale, "rest", item.rest_s))
            label = (_("{side} {rep}/{reps}").format(side=side, rep=rep, reps=item.reps)
                     if item.reps > 1 else side)
            phases.append(Phase(label, item.hold_s * scale, "hold", item.hold_s))
    return phases


@dataclass
class HoldTimer:
    phases: list[Phase]
    index: int = 0
    in_phase: float = 0.0  # seconds spent in the current phase
    held_s: float = 0.0  # seconds spent in hold phases so far
    running: bool = False
    started: bool = False

    @property
    def done(self) -> bool:
        return self.index >= len(self.phases)

    @property
    def current(self) -> Phase | None:
        return None if self.done else self.phases[self.index]

    @property
    def side(self) -> int:
        """0 while on the first side, 1 from the switch to the second side on (and after)."""
        passed = self.phases[: self.index + 1]
        return min(1, sum(1 for ph in passed if ph.kind == "switch"))

    def toggle(self) -> None:
        """Start, pause or resume (Space); does nothing once finished."""
        if self.done:
            return
        self.running = not self.running
        self.started = True

    def advance(self, dt: float) -> list[Phase]:
        """Let ``dt`` seconds pass; returns the phases that finished (for the chime)."""
        finished: list[Phase] = []
        while self.running and dt > 0 and not self.done:
            phase = self.phases[self.index]
            step = min(dt, phase.seconds - self.in_phase)
            self.in_phase += step
            dt -= step
            if phase.kind == "hold":
                self.held_s += step
            if self.in_phase >= phase.seconds - 1e-9:
                finished.append(phase)
                self.index += 1
                self.in_phase = 0.0
        if self.done:
            self.running = False
        return finished

    def remaining_shown(self) -> int:
        """Whole seconds left to show for the current phase, in the item's own seconds."""
        phase = self.current
        if phase is None:
            return 0
        if phase.kind == "switch":
            return phase.shown_s
        left = (phase.seconds - self.in_phase) / phase.seconds * phase.shown_s
        return max(0, int(-(-left // 1)))  # ceil: 30 s shows "30" until a second has passed

    def switch_countdown(self) -> int:
        phase = self.current
        if phase is None or phase.kind != "switch":
            return 0
        left = (phase.seconds - self.in_phase) / phase.seconds * SWITCH_S
        return max(1, int(-(-left // 1)))

    def headline(self) -> str:
        """The big line: 'Left side 30 s', 'Switch: right side 30 s', 'Done'."""
        phase = self.current
        if phase is None:
            return _("Done")
        return f"{phase.label} {format_seconds(self.remaining_shown())}"

    def hint(self) -> str:
        """The small line under the timer: what the keys do right now."""
        phase = self.current
        if phase is None:
            return _("Well done. Enter to finish")
        if not self.started:
            return _("Space to start")
        if not self.running:
            return _("Paused · Space to continue")
        if phase.kind == "switch":
            return _("Change legs · starting in {seconds}").format(seconds=self.switch_countdown())
        if phase.kind == "rest":
            return _("Let go and breathe")
        return _("Breathe slowly · Space to pause")


def format_seconds(seconds: int) -> str:
    if seconds >= 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return _("{seconds} s").format(seconds=seconds)
