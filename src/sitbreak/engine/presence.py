"""Presence evidence beyond keyboard and mouse: a call (microphone or camera in use) and an idle
inhibitor (a video, a presentation). Pure bookkeeping for the engine; the rules that use it are
in the table in ``core.py``.

Evidence never makes an absent user present: it only keeps a sitting user sitting through an
input gap, and only while the screen is unlocked and the machine awake (the engine decides
that). Each kind counts for at most ``Policy.call_max`` from its start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitbreak.engine.policy import Policy


@dataclass(slots=True)
class Evidence:
    call_since: float | None = None  # a call is on since then
    inhibit_since: float | None = None  # an inhibitor is held since then

    def start_call(self, at: float) -> None:
        if self.call_since is None:
            self.call_since = at

    def end_call(self) -> None:
        self.call_since = None

    def start_inhibit(self, at: float) -> None:
        if self.inhibit_since is None:
            self.inhibit_since = at

    def end_inhibit(self) -> None:
        self.inhibit_since = None

    def _counting(self, policy: Policy) -> list[float]:
        """Start times of the evidence that counts as sitting under ``policy``."""
        out = [] if self.call_since is None else [self.call_since]
        if self.inhibit_since is not None and policy.inhibitors_count_as_sitting:
            out.append(self.inhibit_since)
        return out

    def in_call(self, at: float, policy: Policy) -> bool:
        return self.call_since is not None and at < self.call_since + policy.call_max

    def inhibited(self, at: float, policy: Policy) -> bool:
        return self.inhibit_since is not None and at < self.inhibit_since + policy.call_max

    def counts(self, at: float, policy: Policy) -> bool:
        """Does some evidence make an input gap at ``at`` sitting?"""
        return any(at < since + policy.call_max for since in self._counting(policy))

    def cover(self, at: float, policy: Policy) -> float | None:
        """The latest moment up to ``at`` that counting evidence covered (None: none did)."""
        ends = [min(at, since + policy.call_max) for since in self._counting(policy)]
        return max(ends) if ends else None

    def expiries(self, at: float, policy: Policy) -> list[float]:
        """Times after ``at`` at which some evidence stops counting on its own (the cap)."""
        starts = [s for s in (self.call_since, self.inhibit_since) if s is not None]
        return [s + policy.call_max for s in starts if s + policy.call_max > at]
