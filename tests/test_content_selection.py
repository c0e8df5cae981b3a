"""Choosing items: the user's filters decide the pool, the engine's rotation never repeats
within the window, and a seed makes the order reproducible."""

from __future__ import annotations

from collections import Counter

import pytest

from sitbreak.content import Selection, build_pool, eligible, load_library
from sitbreak.engine.rotation import Rotation


@pytest.fixture(scope="module")
def items():
    lib = load_library(with_user=False)
    assert not lib.problems
    return lib.items


def picks(selection: Selection, kind: str, n: int) -> list[str]:
    rot = Rotation(selection.pool)
    return [rot.pick(kind) for _ in range(n)]


def test_defaults_keep_to_desk_and_standing_without_equipment(items):
    sel = build_pool(items)
    chosen = [items[i] for i in sel.pool.stretch + sel.pool.posture]
    assert chosen
    assert all(i.where in {"desk", "standing"} for i in chosen)
    assert all(set(i.equipment) <= {"chair", "wall"} for i in chosen)
    assert "supine-figure-four" not in sel.pool.stretch
    assert "wall-ball-release" not in sel.pool.stretch
    assert sel.notes == ()


def test_stretch_nudges_never_draw_posture_items_and_vice_versa(items):
    sel = build_pool(items, where=["desk", "standing", "floor"], equipment=["ball", "foam_roller"])
    assert {items[i].kind for i in sel.pool.stretch} == {"stretch", "release", "movement"}
    assert {items[i].kind for i in sel.pool.posture} == {"posture"}
    assert set(sel.pool.stretch) | set(sel.pool.posture) == set(items)


def test_home_with_a_ball_adds_floor_and_ball_items(items):
    sel = build_pool(items, where=["desk", "standing", "floor"], equipment=["ball"])
    assert {"supine-figure-four", "modified-pigeon", "floor-ball-release",
            "wall-ball-release", "seated-ball-release"} <= set(sel.pool.stretch)
    assert "foam-roller-glute" not in sel.pool.stretch  # no roller owned


def test_desk_only_user_gets_no_standing_items(items):
    sel = build_pool(items, where=["desk"])
    assert all(items[i].where == "desk" for i in sel.pool.stretch)
    assert "walk-break" not in sel.pool.stretch


def test_excluded_ids_never_come_up(items):
    sel = build_pool(items, exclude=["seated-figure-four", "walk-break"])
    seen = set(picks(sel, "stretch", 300))
    assert "seated-figure-four" not in seen
    assert "walk-break" not in seen
    assert seen == set(sel.pool.stretch)


def test_no_repeat_within_the_window(items):
    for window in (1, 3, 4, 6):
        sel = build_pool(items, avoid_repeat=window, seed=window)
        for kind in ("stretch", "posture"):
            seq = picks(sel, kind, 400)
            effective = min(window, len(sel.pool.ids(kind)) - 1)  # 5 posture items: max 4
            for k in range(len(seq) - effective):
                chunk = seq[k : k + effective + 1]
                assert len(set(chunk)) == len(chunk), (kind, window, chunk)


def test_window_larger_than_pool_still_rotates_through_everything(items):
    sel = build_pool(items, avoid_repeat=50)
    seq = picks(sel, "posture", 60)
    n = len(sel.pool.posture)
    for k in range(0, 60 - n, 1):
        assert len(set(seq[k : k + n])) == n


def test_same_seed_same_order_other_seed_other_order(items):
    a = picks(build_pool(items, seed=7), "stretch", 50)
    b = picks(build_pool(items, seed=7), "stretch", 50)
    c = picks(build_pool(items, seed=8), "stretch", 50)
    assert a == b
    assert a != c


def test_favourites_come_up_more_often(items):
    sel = build_pool(items, favourites=["seated-knee-hug"], avoid_repeat=1, seed=3)
    counts = Counter(picks(sel, "stretch", 2000))
    others = [c for i, c in counts.items() if i != "seated-knee-hug"]
    assert counts["seated-knee-hug"] > 1.5 * max(others)
    assert sel.pool.favourites == frozenset({"seated-knee-hug"})


def test_unknown_ids_in_preferences_are_reported(items):
    sel = build_pool(items, favourites=["no-such-thing"], exclude=["typo-item"])
    assert sel.notes == (
        "content: favourites: no item with id 'no-such-thing'",
        "content: exclude: no item with id 'typo-item'",
    )


def test_filters_that_leave_nothing_fall_back_and_say_so(items):
    posture_ids = [i for i, item in items.items() if item.kind == "posture"]
    sel = build_pool(items, where=["floor"], exclude=posture_ids)
    assert sel.pool.posture  # a posture nudge always has something to show
    assert any("no posture item matches" in n for n in sel.notes)
    assert all(items[i].where == "floor" for i in sel.pool.stretch)


def test_eligible_respects_everyday_equipment(items):
    assert eligible(items["seated-figure-four"])  # a chair is always there
    assert not eligible(items["wall-ball-release"])  # needs a ball
    assert eligible(items["wall-ball-release"], equipment=["ball"])
