"""The pictures a user follows: every item drawn with its start position, the muscle to feel,
the working side marked and mirrored for the second side; the contact sheet shows them all.

Checked on the pixels the card shows (colours from assets/images/_figures.py), not only on
what the files claim about themselves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, PngImagePlugin

from sitbreak.content import load_library
from sitbreak.content.paths import images_dir, second_side_image

CARD_SIZE = (320, 320)
SHEET = "contact-sheet.png"


def _style() -> dict[str, tuple[int, int, int]]:
    sys.path.insert(0, str(images_dir()))
    try:
        import _figures as figures  # the drawing's palette
    finally:
        sys.path.remove(str(images_dir()))

    def rgb(colour: str) -> tuple[int, int, int]:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)

    def on_white(colour: tuple[int, int, int], alpha: float) -> tuple[int, int, int]:
        r, g, b = (round(255 + (v - 255) * alpha) for v in colour)
        return r, g, b

    return {"work": rgb(figures.WORK), "muscle": rgb(figures.MUSCLE),
            "ghost": on_white(rgb(figures.GHOST), figures.GHOST_OPACITY)}


STYLE = _style()


def pixels(img: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    """How many pixels show ``colour`` (within a small tolerance for resampling)."""
    bands = [band.point(lambda v, c=c: 255 if abs(v - c) <= tolerance else 0)
             for band, c in zip(img.convert("RGB").split(), colour, strict=True)]
    mask = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])
    return int(mask.histogram()[255])


def differing(a: Image.Image, b: Image.Image, more_than: int) -> int:
    """How many pixels differ between two pictures by more than ``more_than`` in some band."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    bands = [band.point(lambda v: 255 if v > more_than else 0) for band in diff.split()]
    mask = ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), bands[2])
    return int(mask.histogram()[255])


@pytest.fixture(scope="module")
def library():
    lib = load_library(with_user=False)
    assert not lib.problems
    return lib


def open_rgb(path: Path) -> PngImagePlugin.PngImageFile:
    img = Image.open(path)
    assert isinstance(img, PngImagePlugin.PngImageFile), path
    img.load()
    return img


def test_every_item_has_a_card_sized_picture_saying_what_it_shows(library):
    for item_id, item in library.items.items():
        img = open_rgb(library.images[item_id])
        assert img.size == CARD_SIZE, item_id
        assert img.text["sitbreak:item"] == item_id
        assert img.text["sitbreak:side"] == ("left" if item.sides == 2 else "both"), item_id


def test_every_picture_highlights_the_muscle_and_shows_where_the_body_starts(library):
    for item_id, path in library.images.items():
        img = open_rgb(path)
        assert pixels(img, STYLE["muscle"]) > 60, f"{item_id}: no orange muscle patch"
        frames = img.text["sitbreak:frames"]
        if frames.startswith("two frames"):  # relaxed, then squeezed: two whole figures
            continue
        assert "start" in frames, item_id
        assert pixels(img, STYLE["ghost"]) > 300, f"{item_id}: no pale start position"


def test_only_two_sided_items_mark_a_working_side(library):
    for item_id, item in library.items.items():
        img = open_rgb(library.images[item_id])
        blue = pixels(img, STYLE["work"])
        if item.sides == 2:
            assert blue > 300, f"{item_id}: working side not marked"
        else:
            assert blue == 0, f"{item_id}: one-sided but shows a side marker"


def test_the_second_side_is_the_mirror_image_with_its_own_letter(library):
    for item_id, item in library.items.items():
        first = library.images[item_id]
        second = second_side_image(first)
        if item.sides == 1:
            assert second is None, item_id
            continue
        assert second is not None, f"{item_id}: no picture for the right side"
        left, right = open_rgb(first), open_rgb(second)
        assert right.text["sitbreak:side"] == "right"
        flipped = left.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        changed = differing(flipped, right, 40)
        # the same drawing mirrored; only the letter in the side marker differs (L vs R)
        assert 40 < changed < 600, (item_id, changed)
        svg_left = first.with_suffix(".svg").read_text(encoding="utf-8")
        svg_right = second.with_suffix(".svg").read_text(encoding="utf-8")
        assert 'data-side="L"' in svg_left and 'data-side="R"' not in svg_left, item_id
        assert 'data-side="R"' in svg_right and 'data-side="L"' not in svg_right, item_id


def test_contact_sheet_shows_every_item_at_card_size(library):
    sheet = open_rgb(images_dir() / SHEET)
    tiles = json.loads(sheet.text["sitbreak:tiles"])
    assert [t["id"] for t in tiles] == sorted(library.items)
    for tile in tiles:
        x, y, w, h = tile["box"]
        assert (w, h) == CARD_SIZE
        shown = sheet.crop((x, y, x + w, y + h))
        picture = open_rgb(library.images[tile["id"]])
        # the tile is the picture (the sheet draws a 1-px frame around it)
        inner = (1, 1, w - 1, h - 1)
        assert differing(shown.crop(inner), picture.crop(inner), 2) == 0, tile["id"]


def test_pictures_and_sheet_are_regenerated_by_one_command(tmp_path, library):
    """SVG and PNG come from the same drawing code; the committed ones match a fresh run.
    Pixels, not bytes: another Pillow or zlib may compress the same image differently."""
    script = images_dir() / "make_images.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    committed = {p.name for p in images_dir().glob("*.png")}
    assert {p.name for p in tmp_path.glob("*.png")} == committed
    assert {p.name for p in tmp_path.glob("*.svg")} == {p.name for p in images_dir().glob("*.svg")}
    for name in sorted(committed - {SHEET}):
        assert differing(open_rgb(tmp_path / name), open_rgb(images_dir() / name), 2) == 0, name
        svg = Path(name).with_suffix(".svg").name
        assert (tmp_path / svg).read_text(encoding="utf-8") == (images_dir() / svg).read_text(
            encoding="utf-8"), svg
    fresh_sheet = open_rgb(tmp_path / SHEET)
    assert fresh_sheet.size == open_rgb(images_dir() / SHEET).size
    assert fresh_sheet.text["sitbreak:tiles"] == open_rgb(images_dir() / SHEET).text[
        "sitbreak:tiles"]
