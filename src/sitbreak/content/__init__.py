"""The stretch/posture library: item model, loader (one line per broken file), selection.

Names are imported lazily so that ``sitbreak.content.paths`` (used by the card, which must open
fast) does not pull in pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitbreak.content.loader import Library, Problem, load_dir, load_library, load_safety
    from sitbreak.content.model import Item, SafetyCard
    from sitbreak.content.selection import Selection, build_pool, eligible

_WHERE = {
    "Library": "loader", "Problem": "loader", "load_dir": "loader", "load_library": "loader",
    "load_safety": "loader", "Item": "model", "SafetyCard": "model", "Selection": "selection",
    "build_pool": "selection", "eligible": "selection",
}

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"sitbreak.content.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sitbreak.content' has no attribute {name!r}")
