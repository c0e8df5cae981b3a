"""Deterministic item rotation: no repeat within the last N picks, favourites weighted up, and
movement items spread evenly among the stretch nudges by the configured mix.

The content library filters items by the user's config and hands the eligible ids here; the
engine owns picking so that a trace plus a config always gives the same items (seeded Random).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ItemPool:
    stretch: tuple[str, ...] = ("stretch",)
    posture: tuple[str, ...] = ("posture",)
    favourites: frozenset[str] = field(default_factory=frozenset)
    avoid_last: int = 3  # no item repeats within this many picks of its kind
    seed: int = 0
    # Which stretch-pool ids are movement (walking, desk activity) rather than a stretch or
    # release, and the share of stretch nudges each gets: (movement, stretch) = (1, 2) means
    # one movement item in every three stretch nudges, evenly spaced (M S S M S S ...).
    movement: frozenset[str] = field(default_factory=frozenset)
    mix: tuple[int, int] = (1, 2)

    def __post_init__(self) -> None:
        movement, stretch = self.mix
        if movement < 0 or stretch < 0 or movement + stretch == 0:
            raise ValueError(f"mix must be two whole numbers >= 0, not both 0 (got {self.mix})")

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.stretch if kind == "stretch" else self.posture


def is_movement_turn(n: int, mix: tuple[int, int]) -> bool:
    """Whether stretch nudge number ``n`` (0 = the first) is a movement item's turn.

    Bresenham-style spacing: over every ``movement + stretch`` nudges exactly ``movement`` are
    movement turns, as evenly spread as the numbers allow, and the first nudge is one (the
    evidence favours moving first: walking beats standing still or stretching alone).
    """
    movement, stretch = mix
    total = movement + stretch
    if movement <= 0 or total <= 0:
        return False
    if stretch <= 0:
        return True
    return (n + total) * movement // total > (n + total - 1) * movement // total


class Rotation:
    def __init__(self, pool: ItemPool) -> None:
        self.pool = pool
        self._rng = random.Random(pool.seed)
        self._recent: dict[str, deque[str]] = {}
        self._stretch_picks = 0

    def pick(self, kind: str) -> str:
        ids = self.pool.ids(kind)
        if not ids:
            return kind
        # movement and stretch turns each keep their own no-repeat history
        queue = kind
        if kind == "stretch":
            ids, queue = self._by_mix(ids)
        recent = self._recent.setdefault(queue, deque())
        window = min(self.pool.avoid_last, len(ids) - 1)
        fresh = [i for i in ids if i not in list(recent)[-window:]] if window else []
        choices = fresh or list(ids)
        weights = [3 if i in self.pool.favourites else 1 for i in choices]
        item = self._rng.choices(choices, weights)[0]
        recent.append(item)
        while len(recent) > max(window, 1):
            recent.popleft()
        return item

    def _by_mix(self, ids: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """This nudge's share of the stretch pool (its movement items or the others) and the
        history it counts in. A side the filters left empty cannot keep its turn: then the
        whole pool is used."""
        turn = is_movement_turn(self._stretch_picks, self.pool.mix)
        self._stretch_picks += 1
        wanted = tuple(i for i in ids if (i in self.pool.movement) == turn)
        if not self.pool.movement or not wanted:
            return ids, "stretch"
        return wanted, "stretch:movement" if turn else "stretch:other"
