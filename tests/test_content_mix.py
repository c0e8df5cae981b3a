"""content.mix: how stretch nudges share out between movement items and stretches.

The evidence favours moving (a short walk, desk activity) over stretching or standing still, so
by default at least one stretch nudge in every three shows a movement item. Checked where a user
sees it: the items the rotation hands out, and `sitbreak replay` over a working morning.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitbreak.content import build_pool, load_library
from sitbreak.engine.rotation import ItemPool, Rotation, is_movement_turn
from sitbreak.errors import ConfigError
from sitbreak.settings import load


@pytest.fixture(scope="module")
def items():
    lib = load_library(with_user=False)
    assert not lib.problems
    return lib.items


def stretch_picks(pool: ItemPool, n: int) -> list[str]:
    rotation = Rotation(pool)
    return [rotation.pick("stretch") for _ in range(n)]


def windows(seq: list[bool], size: int) -> list[list[bool]]:
    return [seq[k : k + size] for k in range(len(seq) - size + 1)]


def test_by_default_every_three_stretch_nudges_include_a_movement_item(items):
    for seed in range(5):
        pool = build_pool(items, seed=seed).pool
        moving = [items[i].kind == "movement" for i in stretch_picks(pool, 90)]
        assert all(any(w) for w in windows(moving, 3)), (seed, moving)
        assert sum(moving) == 30  # exactly one in three, not more
        assert moving[0]  # the first break of the day is a movement one


def test_the_other_nudges_are_stretches_or_releases_and_all_get_their_turn(items):
    pool = build_pool(items, seed=3).pool
    shown = stretch_picks(pool, 300)
    assert {items[i].kind for i in shown} == {items[i].kind for i in pool.stretch}
    assert {"movement", "stretch"} <= {items[i].kind for i in shown}
    assert set(shown) == set(pool.stretch)  # nothing in the pool is starved


@pytest.mark.parametrize(("mix", "share", "longest_gap"),
                         [((1, 1), 1 / 2, 1), ((2, 3), 2 / 5, 2), ((1, 4), 1 / 5, 4),
                          ((0, 1), 0.0, None), ((1, 0), 1.0, 0)])
def test_a_users_mix_changes_the_share_and_keeps_it_evenly_spread(items, mix, share, longest_gap):
    pool = build_pool(items, mix=mix).pool
    moving = [items[i].kind == "movement" for i in stretch_picks(pool, 120)]
    assert sum(moving) == pytest.approx(share * 120)
    gaps = [len(run) for run in "".join("M" if m else "S" for m in moving).split("M")[1:-1]]
    if longest_gap is not None:
        assert max(gaps, default=0) == longest_gap  # stretches between two movement items


def test_turns_follow_the_ratio_in_every_block():
    for movement in range(6):
        for stretch in range(6):
            if movement + stretch == 0:
                continue
            total = movement + stretch
            turns = [is_movement_turn(n, (movement, stretch)) for n in range(total * 7)]
            for block in range(7):
                assert sum(turns[block * total : (block + 1) * total]) == movement


def test_the_seed_fixes_the_items_but_never_the_share(items):
    a = stretch_picks(build_pool(items, seed=1).pool, 60)
    assert a == stretch_picks(build_pool(items, seed=1).pool, 60)
    b = stretch_picks(build_pool(items, seed=2).pool, 60)
    assert a != b
    assert [items[i].kind == "movement" for i in a] == [items[i].kind == "movement" for i in b]


def test_when_the_filters_leave_no_movement_item_every_nudge_is_a_stretch_and_it_says_so(items):
    movement = [i for i, item in items.items() if item.kind == "movement"]
    selection = build_pool(items, exclude=movement)
    assert any("mix asks for movement items" in note for note in selection.notes)
    shown = stretch_picks(selection.pool, 30)
    assert {items[i].kind for i in shown} <= {"stretch", "release"}


def test_no_repeat_within_movement_turns(items):
    pool = build_pool(items, avoid_repeat=4, seed=7).pool
    moves = [i for i in stretch_picks(pool, 150) if items[i].kind == "movement"]
    window = min(4, len(pool.movement) - 1)
    for k in range(len(moves) - window):
        chunk = moves[k : k + window + 1]
        assert len(set(chunk)) == len(chunk), chunk


# ---- config -------------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sitbreak.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mix_default_and_a_users_setting(tmp_path):
    assert load(None, use_env=False).content.mix.as_tuple() == (1, 2)
    path = _config(tmp_path, "[content]\nmix = { movement = 2, stretch = 1 }\n")
    assert load(path, use_env=False).content.mix.as_tuple() == (2, 1)
    path = _config(tmp_path, "[content.mix]\nstretch = 4\n")
    assert load(path, use_env=False).content.mix.as_tuple() == (1, 4)


@pytest.mark.parametrize(("line", "expected"), [
    ("mix = { movement = 0, stretch = 0 }", ":2: content.mix: movement and stretch cannot both be 0"),
    ("mix = { movement = -1 }", ":2: content.mix.movement: must be a whole number from 0 to 10, got -1"),
    ("mix = { stretch = true }", "content.mix.stretch: must be a whole number from 0 to 10, got true"),
    ("mix = { moves = 1 }", "content.mix.moves: unknown key — did you mean 'movement'?"),
    ('mix = "1:2"', "content.mix: must be a table like { movement = 1, stretch = 2 }"),
])
def test_a_bad_mix_is_one_line_naming_the_key(tmp_path, line, expected):
    path = _config(tmp_path, f"[content]\n{line}\n")
    with pytest.raises(ConfigError) as err:
        load(path, use_env=False)
    message = str(err.value)
    assert "\n" not in message
    assert message.endswith(expected), message
    assert message.startswith(str(path))


# ---- replay -------------------------------------------------------------------------------


def morning_answering_every_nudge(nudges: int) -> list[dict[str, object]]:
    """Typing every 30 s; each stretch nudge (every 30 min) is answered Done a minute later."""
    out: list[dict[str, object]] = []
    t = 0.0
    for _ in range(nudges):
        end = t + 1800 + 60
        while t <= end:
            out.append({"t": t, "event": "input"})
            t += 30
        out.append({"t": t, "event": "done"})
        t += 30
    return out


def replay_stretch_nudges(tmp_path: Path, config: str | None = None
                          ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    trace = tmp_path / "trace.jsonl"
    trace.write_text("".join(json.dumps(x) + "\n" for x in morning_answering_every_nudge(12)))
    args = [sys.executable, "-m", "sitbreak", "replay", str(trace)]
    if config is not None:
        args += ["--config", str(_config(tmp_path, config))]
    res = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    records = [json.loads(line) for line in res.stdout.splitlines()]
    nudges = [r for r in records if r.get("type") == "nudge" and r["kind"] == "stretch"]
    return nudges, records[-1]


def test_replay_shows_a_movement_item_in_every_three_stretch_nudges(tmp_path, items):
    nudges, summary = replay_stretch_nudges(tmp_path)
    assert len(nudges) == 12
    for nudge in nudges:  # the flag tells the truth about the item shown
        assert nudge["movement"] == (items[nudge["item"]].kind == "movement")
    assert all(any(w) for w in windows([n["movement"] for n in nudges], 3))
    assert summary["movement"] == 4
    assert summary["nudges"]["stretch"] == 12


def test_replay_follows_the_users_mix(tmp_path):
    nudges, summary = replay_stretch_nudges(tmp_path, "[content]\nmix = { movement = 0, stretch = 1 }\n")
    assert [n["movement"] for n in nudges] == [False] * 12
    assert summary["movement"] == 0
    nudges, summary = replay_stretch_nudges(tmp_path, "[content]\nmix = { movement = 1, stretch = 1 }\n")
    assert [n["movement"] for n in nudges] == [True, False] * 6
    assert summary["movement"] == 6
