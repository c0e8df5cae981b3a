"""Settings → the engine's frozen Policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitbreak.engine.hours import parse_working_hours
from sitbreak.engine.policy import Policy
from sitbreak.engine.rotation import ItemPool

if TYPE_CHECKING:
    from sitbreak.settings.model import Settings


def to_policy(
    settings: Settings, items: ItemPool | None = None, *, sampled: bool = False
) -> Policy:
    """``sampled``: the runtime reads an OS idle counter, so the engine must ask to be woken
    (every ``activity.idle_poll``) while only fresh input can change anything."""
    t = settings.timing
    return Policy(
        stretch_every=t.stretch_every,
        posture_every=t.posture_every,
        away_after=t.away_after,
        repeat_after=t.repeat_after,
        snooze=t.snooze,
        present_within=t.present_within,
        recheck=settings.activity.idle_poll if sampled else None,
        call_max=settings.calls.max,
        inhibitors_count_as_sitting=settings.activity.inhibitors_count_as_sitting,
        working_hours=parse_working_hours(settings.schedule.working_hours),
        items=items if items is not None else ItemPool(),
    )
