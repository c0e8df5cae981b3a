"""Turn the loaded library plus the user's preferences into the engine's rotation pool.

Filtering lives here; picking lives in the pure engine (``sitbreak.engine.rotation``) so that a
trace plus a config always gives the same items. Takes plain values, not the config object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitbreak.content.model import ALWAYS_AVAILABLE, Item
from sitbreak.engine.rotation import ItemPool

# Which item kinds a nudge of each engine kind draws from.
NUDGE_KINDS: dict[str, frozenset[str]] = {
    "stretch": frozenset({"stretch", "release", "movement"}),
    "posture": frozenset({"posture"}),
}
DEFAULT_WHERE: tuple[str, ...] = ("desk", "standing")


@dataclass(frozen=True, slots=True)
class Selection:
    pool: ItemPool
    notes: tuple[str, ...]  # one line each: unknown ids, or a kind left empty by the filters


def eligible(
    item: Item,
    *,
    where: Iterable[str] = DEFAULT_WHERE,
    equipment: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> bool:
    """True if the user can do ``item`` where they are with what they have."""
    have = ALWAYS_AVAILABLE | set(equipment)
    return item.where in set(where) and set(item.equipment) <= have and item.id not in set(exclude)


def build_pool(
    items: Mapping[str, Item],
    *,
    where: Iterable[str] = DEFAULT_WHERE,
    equipment: Iterable[str] = (),
    favourites: Iterable[str] = (),
    exclude: Iterable[str] = (),
    avoid_repeat: int = 4,
    seed: int = 0,
    mix: tuple[int, int] = (1, 2),
) -> Selection:
    """The ids each nudge kind may show, sorted so the same inputs give the same pool.

    If the filters leave a kind empty, it falls back to that kind's no-equipment desk/standing
    items (minus excluded ones, unless that empties it too) and says so in ``notes``: a nudge
    must always have something to show. ``mix`` = (movement, stretch): the share of stretch
    nudges that show a movement item (walking, desk activity) rather than a stretch or release.
    """
    where_set, equipment_set = set(where), set(equipment)
    favourite_set, exclude_set = set(favourites), set(exclude)
    notes = [
        f"content: {key}: no item with id {item_id!r}"
        for key, ids in (("favourites", favourite_set), ("exclude", exclude_set))
        for item_id in sorted(ids - set(items))
    ]
    chosen: dict[str, tuple[str, ...]] = {}
    for nudge, kinds in NUDGE_KINDS.items():
        family = [item for _, item in sorted(items.items()) if item.kind in kinds]
        ids = tuple(
            i.id
            for i in family
            if eligible(i, where=where_set, equipment=equipment_set, exclude=exclude_set)
        )
        if not ids:
            fallback = [i for i in family if eligible(i, where=DEFAULT_WHERE)]
            ids = tuple(i.id for i in fallback if i.id not in exclude_set) or tuple(
                i.id for i in fallback
            )
            notes.append(
                f"content: no {nudge} item matches where={sorted(where_set)}, "
                f"equipment={sorted(equipment_set)}; using {len(ids)} desk/standing items"
            )
        chosen[nudge] = ids
    movement = frozenset(i for i in chosen["stretch"] if items[i].kind == "movement")
    notes += _mix_notes(mix, len(movement), len(chosen["stretch"]) - len(movement))
    pool = ItemPool(
        stretch=chosen["stretch"],
        movement=movement,
        mix=mix,
        posture=chosen["posture"],
        favourites=frozenset(favourite_set & (set(chosen["stretch"]) | set(chosen["posture"]))),
        avoid_last=max(0, avoid_repeat),
        seed=seed,
    )
    return Selection(pool=pool, notes=tuple(notes))


def _mix_notes(mix: tuple[int, int], movement: int, stretch: int) -> list[str]:
    """Say so when the filters leave ``content.mix`` a side it cannot fill."""
    wants_movement, wants_stretch = mix
    if wants_movement and not movement:
        return ["content: mix asks for movement items but none is left by where/equipment/"
                "exclude; every stretch nudge shows a stretch"]
    if wants_stretch and not stretch:
        return ["content: mix asks for stretches but none is left by where/equipment/exclude; "
                "every stretch nudge shows a movement item"]
    return []
