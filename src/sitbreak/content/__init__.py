"""The stretch/posture library: item model, loader (one line per broken file), selection."""

from __future__ import annotations

from sitbreak.content.loader import Library, Problem, load_dir, load_library, load_safety
from sitbreak.content.model import Item, SafetyCard
from sitbreak.content.selection import Selection, build_pool, eligible

__all__ = [
    "Item",
    "Library",
    "Problem",
    "SafetyCard",
    "Selection",
    "build_pool",
    "eligible",
    "load_dir",
    "load_library",
    "load_safety",
]
