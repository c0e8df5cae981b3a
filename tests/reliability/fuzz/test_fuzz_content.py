"""Fuzzing the content loader and the card's reader over the same user folder: a hostile file
costs one clear problem line and nothing else (every shipped item stays), every item the
library accepts is within the card's ranges, and the card shows exactly the library's item."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sitbreak.card.quick import CardContentError, find_item
from sitbreak.content import load_library
from sitbreak.content.model import HOLD_S, REPS, REST_S, Item
from sitbreak.content.paths import builtin_content_dir, images_dir
from tests.reliability.fuzz.harness import (
    any_value,
    assert_one_clear_line,
    edits,
    fuzz_settings,
    mutate,
    no_hang,
    record,
    toml_document,
)

WALK_FILE = builtin_content_dir() / "walk-break.toml"
WALK = tomllib.loads(WALK_FILE.read_text(encoding="utf-8"))
SHIPPED_IDS = frozenset(load_library(with_user=False).items)
FIELDS = list(Item.model_fields)


@st.composite
def item_documents(draw: st.DrawFn) -> bytes:
    """The shipped walk-break item, as the user's own or as an override, with a few fields
    replaced by hostile values (or removed, or unknown ones added)."""
    data: dict[str, Any] = dict(WALK)
    data["id"] = draw(st.sampled_from(["walk-break", "my-walk", "seated-figure-four"])
                      | st.text(max_size=12))
    for name in draw(st.lists(st.sampled_from([*FIELDS, "colour"]), max_size=3)):
        if draw(st.booleans()) or name not in data:
            data[name] = draw(any_value | st.sampled_from(
                [1000000000, 0, 20, 21, 600, 601, "../../../etc/passwd", "walk-break.png",
                 "/etc/passwd.png", "..png", ["Sit.", "Stand\x1b[2J."], 2, True, 2.0]))
        else:
            del data[name]
    return toml_document({}, data).encode("utf-8", "surrogatepass")


inputs = st.one_of(
    item_documents(),
    item_documents(),
    st.builds(mutate, st.just(WALK_FILE.read_bytes()), edits),
    st.binary(max_size=300),
)


def check(folder: Path, path: Path) -> None:
    with no_hang(f"content {path}"):
        lib = load_library(user=folder)
    assert set(lib.items) >= SHIPPED_IDS, "a user file dropped a shipped item"
    for problem in lib.problems:
        assert_one_clear_line(str(problem))
    for item_id, item in lib.items.items():
        assert HOLD_S[0] <= item.hold_s <= HOLD_S[1] and REPS[0] <= item.reps <= REPS[1]
        assert REST_S[0] <= item.rest_s <= REST_S[1] and item.sides in (1, 2)
        assert lib.images[item_id].parent in (folder, images_dir())
    try:
        raw_id = tomllib.loads(path.read_text(encoding="utf-8")).get("id")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        raw_id = None
    ids = {i for i in ("walk-break", "my-walk", raw_id) if isinstance(i, str)}
    for item_id in ids:
        try:
            with no_hang(f"card {item_id!r}"):
                card = find_item(item_id, folder)
        except CardContentError as exc:
            assert_one_clear_line(str(exc))
            assert item_id not in lib.items, f"the card refused {item_id!r} the library has"
            continue
        known = lib.items.get(item_id)
        assert known is not None, f"the card showed {item_id!r}, which the library rejected"
        assert (card.title, card.steps, card.sides, card.hold_s, card.reps, card.rest_s) == (
            known.title, tuple(known.steps), known.sides, known.hold_s, known.reps, known.rest_s)
        assert card.image == lib.images[item_id]
    record("content", "accepted" if not lib.problems else "rejected")


@fuzz_settings(120)
@given(data=inputs)
def test_content_loader_and_card_agree_and_never_raise(tmp_path_factory: Any,
                                                       data: bytes) -> None:
    folder = tmp_path_factory.getbasetemp() / "fuzz-content"
    folder.mkdir(exist_ok=True)
    path = folder / "mine.toml"
    path.write_bytes(data)
    check(folder, path)
