"""Broken content files: each gives exactly one line naming file and field, the rest still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitbreak.content import load_dir, load_library
from sitbreak.content.paths import builtin_content_dir

GOOD = """\
id = "my-stretch"
title = "My stretch"
kind = "stretch"
where = "desk"
targets = ["piriformis"]
sides = 2
hold_s = 30
steps = ["Sit down.", "Cross one ankle over the other knee."]
cautions = ["Stop if it hurts."]
image = "seated-figure-four.png"
source = ["000_871864605b8e2dd0.txt"]
"""


def edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


# (case name, file text or bytes, field named in the line, words the line must contain)
CASES: list[tuple[str, str | bytes, str, str]] = [
    ("toml-missing-equals", GOOD.replace('kind = "stretch"', 'kind "stretch"'), "line 3, column 6",
     "invalid TOML"),
    ("toml-unterminated-string", edit('title = "My stretch"', 'title = "My stretch'),
     "line 2, column 20", "invalid TOML"),
    ("toml-duplicate-key", GOOD + 'kind = "posture"\n', "line 12, column 17",
     "invalid TOML: Cannot overwrite a value"),
    ("not-utf8", GOOD.encode() + b"# caf\xe9\n", "line 12", "not UTF-8"),
    ("empty-file", "", "id", "required field is missing (and"),
    ("missing-id", edit('id = "my-stretch"\n', ""), "id", "required field is missing"),
    ("missing-steps", edit('steps = ["Sit down.", "Cross one ankle over the other knee."]\n', ""),
     "steps", "required field is missing"),
    ("empty-steps", edit('steps = ["Sit down.", "Cross one ankle over the other knee."]',
                         "steps = []"), "steps", "must not be empty"),
    ("blank-step", edit('"Sit down."', '"  "'), "steps item 1", "must not be empty"),
    ("steps-not-a-list", edit('steps = ["Sit down.", "Cross one ankle over the other knee."]',
                              'steps = "Sit down."'), "steps", "valid list"),
    ("unknown-kind", edit('kind = "stretch"', 'kind = "strech"'), "kind",
     "'strech' is not one of"),
    ("unknown-where", edit('where = "desk"', 'where = "office"'), "where",
     "'office' is not one of"),
    ("unknown-equipment", GOOD + 'equipment = ["yoga_block"]\n', "equipment item 1",
     "'yoga_block' is not one of"),
    ("target-not-a-name", edit('targets = ["piriformis"]', 'targets = ["glutes!"]'),
     "targets item 1", "must be a muscle or body area in words"),
    ("no-targets", edit('targets = ["piriformis"]', "targets = []"), "targets",
     "must not be empty"),
    ("three-sides", edit("sides = 2", "sides = 3"), "sides", "3 is not one of"),
    ("hold-as-text", edit("hold_s = 30", 'hold_s = "thirty"'), "hold_s", "valid integer"),
    ("hold-zero", edit("hold_s = 30", "hold_s = 0"), "hold_s", "greater than or equal to 1"),
    ("hold-fraction", edit("hold_s = 30", "hold_s = 30.5"), "hold_s", "integer"),
    ("negative-reps", GOOD + "reps = -2\n", "reps", "greater than or equal to 1"),
    ("unknown-field", GOOD + 'colour = "red"\n', "colour", "unknown field"),
    ("misspelt-field", edit('cautions = ["Stop if it hurts."]', 'caution = ["Stop if it hurts."]'),
     "caution", "did you mean 'cautions'"),
    ("bad-id", edit('id = "my-stretch"', 'id = "My Stretch"'), "id",
     "must be lowercase words joined by '-'"),
    ("empty-title", edit('title = "My stretch"', 'title = ""'), "title", "must not be empty"),
    ("image-missing", edit('"seated-figure-four.png"', '"no-such-picture.png"'), "image",
     "'no-such-picture.png' not found"),
    ("image-not-png-name", edit('"seated-figure-four.png"', '"photo.jpg"'), "image",
     "must be a .png file name"),
    ("image-in-folder", edit('"seated-figure-four.png"', '"../images/x.png"'), "image",
     "must be a .png file name"),
    ("source-not-a-seed", edit('"000_871864605b8e2dd0.txt"', '"005_made_up.txt"'), "source",
     "'005_made_up.txt' is neither a seed article"),
    ("source-empty", edit('source = ["000_871864605b8e2dd0.txt"]', "source = []"), "source",
     "must not be empty"),
    ("source-missing", edit('source = ["000_871864605b8e2dd0.txt"]\n', ""), "source",
     "required field is missing"),
]


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A user content dir holding one good item next to the broken one."""
    good = tmp_path / "a-good-item.toml"
    good.write_text(GOOD.replace("my-stretch", "a-good-item"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "text", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_one_clear_line(content_dir, name, text, field, words):
    broken = content_dir / f"{name}.toml"
    if isinstance(text, bytes):
        broken.write_bytes(text)
    else:
        broken.write_text(text, encoding="utf-8")
    lib = load_dir(content_dir)
    lines = [str(p) for p in lib.problems]
    assert len(lines) == 1, lines
    line = lines[0]
    assert "\n" not in line
    assert line.startswith(f"{broken}: {field}: "), line
    assert words in line, line
    assert list(lib.items) == ["a-good-item"]


def test_image_that_is_not_a_png(content_dir):
    (content_dir / "picture.png").write_text("not really a picture", encoding="utf-8")
    broken = content_dir / "fake-image.toml"
    broken.write_text(edit('"seated-figure-four.png"', '"picture.png"').replace(
        "my-stretch", "fake-image"), encoding="utf-8")
    lib = load_dir(content_dir)
    assert [str(p) for p in lib.problems] == [
        f"{broken}: image: {content_dir / 'picture.png'} is not a PNG image"
    ]
    assert list(lib.items) == ["a-good-item"]


def test_duplicate_id_keeps_the_first_file(content_dir):
    dup = content_dir / "b-copy.toml"
    dup.write_text(GOOD.replace("my-stretch", "a-good-item"), encoding="utf-8")
    lib = load_dir(content_dir)
    assert [str(p) for p in lib.problems] == [
        f"{dup}: id: 'a-good-item' is already used by a-good-item.toml"
    ]
    assert lib.files["a-good-item"].name == "a-good-item.toml"


def test_many_broken_files_at_once_still_load_the_rest(content_dir):
    for name, text, _, _ in CASES:
        path = content_dir / f"{name}.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    lib = load_dir(content_dir)
    assert len(lib.problems) == len(CASES)
    assert sorted(p.path.stem for p in lib.problems) == sorted(c[0] for c in CASES)
    assert list(lib.items) == ["a-good-item"]


def test_broken_user_file_does_not_hide_shipped_items(tmp_path):
    user = tmp_path / "content"
    user.mkdir()
    (user / "oops.toml").write_text('id = "oops"\nkind = "dance"\n', encoding="utf-8")
    lib = load_library(user=user)
    shipped = load_library(with_user=False)
    assert set(lib.items) == set(shipped.items)
    assert [p.path.name for p in lib.problems] == ["oops.toml"]


def test_user_item_replaces_shipped_item_with_same_id(tmp_path):
    user = tmp_path / "content"
    user.mkdir()
    text = (builtin_content_dir() / "walk-break.toml").read_text(encoding="utf-8")
    (user / "walk-break.toml").write_text(text.replace("hold_s = 180", "hold_s = 300"),
                                          encoding="utf-8")
    lib = load_library(user=user)
    assert lib.items["walk-break"].hold_s == 300
    assert lib.files["walk-break"] == user / "walk-break.toml"


def test_user_item_can_bring_its_own_picture(tmp_path):
    user = tmp_path / "content"
    user.mkdir()
    shutil.copy(builtin_content_dir().parent / "images" / "walk-break.png", user / "mine.png")
    (user / "my-own.toml").write_text(
        edit('"seated-figure-four.png"', '"mine.png"').replace("my-stretch", "my-own")
        .replace('"000_871864605b8e2dd0.txt"', '"https://example.org/my-physio-sheet"'),
        encoding="utf-8",
    )
    lib = load_library(user=user)
    assert lib.problems == []
    assert lib.images["my-own"] == user / "mine.png"


def test_missing_builtin_directory_is_one_line(tmp_path):
    lib = load_library(builtin=tmp_path / "nowhere", with_user=False)
    lines = [str(p) for p in lib.problems]
    assert lines[0] == f"{tmp_path / 'nowhere'}: directory: not found"
    assert lib.items == {}
