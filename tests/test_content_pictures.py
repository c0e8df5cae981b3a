"""The pictures a user follows: every item drawn with its start position, the muscle to feel,
the working side marked (with the letter of the card's language) and mirrored for the second
side; the contact sheet shows them all.

Checked on the pixels the card shows (colours from assets/images/_figures.py), not only on
what the files claim about themselves.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops, PngImagePlugin

from sitbreak import i18n
from sitbreak.content import load_library
from sitbreak.content.paths import images_dir, localized_image, second_side_image

CARD_SIZE = (320, 320)
SHEET = "contact-sheet.png"


def _image_module(name: str) -> ModuleType:
    """One of the drawing modules beside make_images.py (they import each other by name)."""
    folder = str(images_dir())
    sys.path.insert(0, folder)
    try:
        return __import__(name)
    finally:
        while folder in sys.path:  # make_images.py puts its folder on the path too
            sys.path.remove(folder)


def side_initials(language: str) -> tuple[str, str]:
    """The initials of the card's own words for left and right in ``language``, from the
    translation catalogue: the word of "Left side" that "Right side" lacks, and the reverse
    ("Côté gauche"/"Côté droit" -> G, D; "Lado izquierdo"/"Lado derecho" -> I, D)."""
    words = gettext.translation(i18n.DOMAIN, i18n.locale_dir(), languages=[language],
                                fallback=language == i18n.SOURCE_LANGUAGE)
    left = set(words.gettext("Left side").casefold().split())
    right = set(words.gettext("Right side").casefold().split())
    (only_left,), (only_right,) = left - right, right - left
    return only_left[0].upper(), only_right[0].upper()


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


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_second_side_is_the_mirror_image_with_its_own_letter(library, language):
    left_letter, right_letter = side_initials(language)
    for item_id, item in library.items.items():
        first = localized_image(library.images[item_id], language)
        second = second_side_image(first)
        if item.sides == 1:
            assert first == library.images[item_id], item_id  # no letter: one picture for all
            assert second is None, item_id
            continue
        assert second is not None, f"{item_id}: no picture for the right side"
        assert second.parent == first.parent, item_id  # the same language's letters
        left, right = open_rgb(first), open_rgb(second)
        assert right.text["sitbreak:side"] == "right"
        flipped = left.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        changed = differing(flipped, right, 40)
        # the same drawing mirrored; only the letter in the side marker differs (L vs R), and
        # it is written the right way round (a mirrored letter would leave far more changed)
        assert 40 < changed < 600, (item_id, changed)
        assert marker(first)[0] == left_letter, (language, first)
        assert marker(second)[0] == right_letter, (language, second)


def marker(picture: Path) -> tuple[str, tuple[float, float], float, str]:
    """The side marker as the SVG source of ``picture`` draws it: letter, centre, radius, fill."""
    svg = picture.with_suffix(".svg").read_text(encoding="utf-8")
    found = re.findall(r'<g class="side-marker" data-side="(\w)">\s*<circle cx="([\d.]+)" '
                       r'cy="([\d.]+)" r="([\d.]+)" fill="(#[0-9a-f]{6})"', svg)
    assert len(found) == 1, f"{picture}: {len(found)} side markers"
    letter, x, y, r, fill = found[0]
    return letter, (float(x), float(y)), float(r), fill


def test_the_side_letters_are_the_initials_of_the_cards_words_for_left_and_right():
    table = _image_module("make_images").SIDE_LETTERS
    assert set(table) == set(i18n.LANGUAGES)  # a new language needs its letters too
    for language in i18n.LANGUAGES:
        assert table[language] == side_initials(language), language
    assert side_initials("fr") == ("G", "D") and side_initials("es") == ("I", "D")


def test_a_language_has_its_own_pictures_exactly_where_its_letters_differ(library):
    english = side_initials(i18n.SOURCE_LANGUAGE)
    own = {lang for lang in i18n.LANGUAGES if side_initials(lang) != english}
    folders = {p.name for p in images_dir().iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == own == {"fr", "es"}
    sided = {library.images[i].name for i, item in library.items.items() if item.sides == 2}
    for lang in own:
        shown = {p.name for p in (images_dir() / lang).glob("*.png")}
        assert shown == sided | {f"{Path(n).stem}-right.png" for n in sided}, lang


def test_the_letter_drawn_in_every_picture_is_the_languages(library):
    """On the pixels: the disc in each picture a card shows holds the letter the catalogue's
    words begin with, drawn by the pictures' own stroke glyphs (any other of L, R, G, D, I
    differs in 50+ pixels; the same letter, placed at the SVG's rounded centre, in 0-1)."""
    shapes = _image_module("_shapes")
    pixel = 320 / shapes.SIZE
    checked: set[Path] = set()
    for language in i18n.LANGUAGES:
        letters = side_initials(language)
        for item_id, item in library.items.items():
            if item.sides == 1:
                continue
            first = localized_image(library.images[item_id], language)
            second = second_side_image(first)
            assert second is not None
            for picture, letter in ((first, letters[0]), (second, letters[1])):
                if picture in checked:  # German shares the English pictures
                    continue
                checked.add(picture)
                _, centre, r, fill = marker(picture)
                alone = shapes.render(shapes.Drawing([shapes.Glyph(centre, letter, fill, r)]),
                                      CARD_SIZE[0], "left")
                half = 0.62 * r * pixel  # a square inside the disc
                box = (round(centre[0] * pixel - half), round(centre[1] * pixel - half),
                       round(centre[0] * pixel + half), round(centre[1] * pixel + half))
                off = differing(open_rgb(picture).crop(box), alone.crop(box), 80)
                assert off <= 8, (language, picture, letter, off)
    assert len(checked) == 3 * 2 * sum(item.sides == 2 for item in library.items.values())


def test_a_language_copy_is_used_only_as_a_plain_png_inside_the_shipped_pictures(
        tmp_path, monkeypatch):
    """The copy is opened as every content file is: no symlink followed, nothing but a regular
    PNG; else the card shows the English picture (whose letters at least are right in English)."""
    images = tmp_path / "assets" / "images"
    (images / "fr").mkdir(parents=True)
    png = (images_dir() / "fr" / "seated-figure-four.png").read_bytes()
    english = images / "stretch.png"
    english.write_bytes(png)
    monkeypatch.setenv("SITBREAK_ASSETS", str(tmp_path / "assets"))
    copy = images / "fr" / "stretch.png"
    assert localized_image(english, "fr") == english  # no copy
    copy.symlink_to(english)
    assert localized_image(english, "fr") == english
    copy.unlink()
    os.mkfifo(copy)  # must not hang
    assert localized_image(english, "fr") == english
    copy.unlink()
    copy.write_text("not a picture", encoding="utf-8")
    assert localized_image(english, "fr") == english
    copy.write_bytes(png)
    assert localized_image(english, "fr") == copy
    assert localized_image(english, "de") == english  # German has no copies
    assert localized_image(english, "../fr") == english
    mine = tmp_path / "my-items" / "stretch.png"  # a user's own picture stays as it is
    mine.parent.mkdir()
    mine.write_bytes(png)
    assert localized_image(mine, "fr") == mine


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

    def files(folder: Path, pattern: str) -> set[str]:  # the language copies in fr/, es/ too
        return {p.relative_to(folder).as_posix() for p in folder.rglob(pattern)}

    committed = files(images_dir(), "*.png")
    assert any(name.startswith("fr/") for name in committed)
    assert files(tmp_path, "*.png") == committed
    assert files(tmp_path, "*.svg") == files(images_dir(), "*.svg")
    for name in sorted(committed - {SHEET}):
        assert differing(open_rgb(tmp_path / name), open_rgb(images_dir() / name), 2) == 0, name
        svg = Path(name).with_suffix(".svg").as_posix()
        assert (tmp_path / svg).read_text(encoding="utf-8") == (images_dir() / svg).read_text(
            encoding="utf-8"), svg
    fresh_sheet = open_rgb(tmp_path / SHEET)
    assert fresh_sheet.size == open_rgb(images_dir() / SHEET).size
    assert fresh_sheet.text["sitbreak:tiles"] == open_rgb(images_dir() / SHEET).text[
        "sitbreak:tiles"]
