"""Deterministic item rotation: no repeat within the last N picks, favourites weighted up.

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

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.stretch if kind == "stretch" else self.posture


class Rotation:
    def __init__(self, pool: ItemPool) -> None:
        self.pool = pool
        self._rng = random.Random(pool.seed)
        self._recent: dict[str, deque[str]] = {}

    def pick(self, kind: str) -> str:
        ids = self.pool.ids(kind)
        if not ids:
            return kind
        recent = self._recent.setdefault(kind, deque())
        window = min(self.pool.avoid_last, len(ids) - 1)
        fresh = [i for i in ids if i not in list(recent)[-window:]] if window else []
        choices = fresh or list(ids)
        weights = [3 if i in self.pool.favourites else 1 for i in choices]
        item = self._rng.choices(choices, weights)[0]
        recent.append(item)
        while len(recent) > max(window, 1):
            recent.popleft()
        return item
