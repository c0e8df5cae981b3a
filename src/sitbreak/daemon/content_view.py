"""Nudge text and the item pool from the content library (plain ids if it cannot load)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.adapters.base import NudgeView
from sitbreak.daemon.runtime import describe_plain
from sitbreak.engine import ItemPool
from sitbreak.engine import commands as cmd

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Content:
    pool: ItemPool | None  # None: the engine's default pool
    describe: Callable[[cmd.ShowNudge], NudgeView]


def load(settings: Settings) -> Content:
    try:
        from sitbreak.content import build_pool, load_library
    except ImportError:
        log.info("content library not installed; nudges show item ids")
        return Content(None, describe_plain)
    c = settings.content
    try:
        library = load_library(user=Path(c.dir).expanduser() if c.dir else None)
    except Exception as exc:  # a broken library must not stop the daemon
        log.warning("content library failed to load (%s); nudges show item ids", exc)
        return Content(None, describe_plain)
    for problem in getattr(library, "problems", ()):
        log.warning("%s", problem)
    items: dict[str, Any] = dict(library.items)
    if not items:
        return Content(None, describe_plain)
    selection = build_pool(
        items,
        where=c.where,
        equipment=c.equipment,
        favourites=c.favourites,
        exclude=c.exclude,
        avoid_repeat=c.avoid_repeat,
        seed=c.seed if c.seed is not None else 0,
    )
    for note in selection.notes:
        log.warning("%s", note)

    def describe(show: cmd.ShowNudge) -> NudgeView:
        item = items.get(show.item)
        if item is None:
            return describe_plain(show)
        if show.kind == "stretch":
            title = f"Time to stand: {item.title}"
            body = f"{item.dose()} · click for the stretch card"
        else:
            title = f"Posture check: {item.title}"
            body = str(item.steps[0]) if item.steps else item.dose()
        return NudgeView(show.kind, show.item, title, body)

    return Content(selection.pool, describe)
