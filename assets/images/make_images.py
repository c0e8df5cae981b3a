"""Draw the library's illustrations: SVG source + PNG for Tk per item, and the contact sheet.

Run from anywhere (Pillow is the only dependency):

    python assets/images/make_images.py            # everything, next to this file
    python assets/images/make_images.py ID...      # just these items (no contact sheet)
    python assets/images/make_images.py --out DIR  # write elsewhere (the tests compare)

For every item in ../content: ``IMAGE.png`` (+ ``.svg``) shows the first side the card's timer
runs (the left); a two-sided item also gets ``IMAGE-right.png``, the mirror image with an "R",
which the card shows once the timer switches sides. The side marker's letter is a word's initial,
so a language whose letters differ from English (``SIDE_LETTERS``) gets its own copies of the
two-sided pictures in ``<lang>/`` (French G/D, Spanish I/D); the card takes those when it speaks
that language. ``contact-sheet.png`` shows the whole set at card size. Each PNG says what it shows
in text chunks (``sitbreak:item``, ``sitbreak:side``, ``sitbreak:frames``, and
``sitbreak:language`` in a language's copy). Drawing rules: _figures.py; the pictures themselves:
_poses.py.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the helper modules beside this script

from _figures import GHOST, GHOST_OPACITY, MUSCLE, WORK  # noqa: E402
from _poses import FRAMES, MAX_SCALE, POSES  # noqa: E402
from _shapes import Drawing, Letters, fit, mirrored, render, save_png, to_svg  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

CONTENT = HERE.parent / "content"
PNG_SIZE = 320  # the card shows pictures at this size
SHEET = "contact-sheet.png"
SHEET_COLUMNS = 6
CAPTION_H = 30
HEADER_H = 64

# The side marker's letters in each language the program speaks (sitbreak.i18n.LANGUAGES): the
# initials of the words for left and right in the card's own "Left side"/"Right side" (the tests
# check this table against the translation catalogue). German links/rechts matches English.
SIDE_LETTERS: dict[str, Letters] = {
    "en": ("L", "R"),
    "de": ("L", "R"),  # links, rechts
    "fr": ("G", "D"),  # gauche, droite
    "es": ("I", "D"),  # izquierda, derecha
}


def own_letters() -> dict[str, Letters]:
    """The languages that need their own pictures: letters other than English's."""
    return {lang: pair for lang, pair in SIDE_LETTERS.items() if pair != SIDE_LETTERS["en"]}


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    image: str
    sides: int


def library(content: Path = CONTENT) -> list[Entry]:
    entries = []
    for path in sorted(content.glob("*.toml")):
        if path.name == "safety.toml":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries.append(Entry(data["id"], data["title"], data["image"], int(data.get("sides", 1))))
    return entries


def second_side_name(image: str) -> str:
    """The mirrored picture's file name (the card looks for it by this rule too)."""
    return image.removesuffix(".png") + "-right.png"


def draw(entry: Entry) -> list[tuple[str, str, Drawing]]:
    """(file name, side, drawing) for each picture of one item."""
    if entry.id not in POSES:
        raise SystemExit(f"make_images: no drawing for item {entry.id!r}; add one to _poses.py")
    drawing = Drawing()
    POSES[entry.id](drawing)
    drawing = fit(drawing, max_scale=MAX_SCALE.get(entry.id, 1.4))
    if entry.sides == 2:  # drawn doing the right side; the card's timer starts on the left
        return [(entry.image, "left", mirrored(drawing)),
                (second_side_name(entry.image), "right", drawing)]
    return [(entry.image, "both", drawing)]


def translated_title(entry: Entry, language: str, content: Path = CONTENT) -> str:
    """The item's title in ``language`` (its translation file), else the English one."""
    path = content / "translations" / language / f"{entry.id}.toml"
    if not path.is_file():
        return entry.title
    return str(tomllib.loads(path.read_text(encoding="utf-8")).get("title", entry.title))


def write(entry: Entry, out_dir: Path) -> list[Path]:
    """The item's pictures: the English ones, then a language's copies where the side marker's
    letter differs (one-sided pictures carry no letter, so every language shares them)."""
    written = []
    frames = FRAMES.get(entry.id, "start (ghost), end")
    drawings = draw(entry)
    languages = {"en": SIDE_LETTERS["en"], **(own_letters() if entry.sides == 2 else {})}
    for language, letters in languages.items():
        folder = out_dir if language == "en" else out_dir / language
        folder.mkdir(parents=True, exist_ok=True)
        title = translated_title(entry, language)
        for name, side, drawing in drawings:
            png = folder / name
            desc = f"{title}: {frames}; side: {side}"
            png.with_suffix(".svg").write_text(
                to_svg(drawing, title=title, desc=desc, side=side, letters=letters),
                encoding="utf-8")
            meta = {"Title": title, "sitbreak:item": entry.id, "sitbreak:side": side,
                    "sitbreak:frames": frames}
            if language != "en":
                meta["sitbreak:language"] = language
            save_png(render(drawing, PNG_SIZE, side, letters=letters), str(png), meta)
            written.append(png)
    return written


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def contact_sheet(entries: Sequence[Entry], out_dir: Path) -> Path:
    """Every item's first picture at card size, captioned, with a legend of the colours."""
    rows = -(-len(entries) // SHEET_COLUMNS)
    width = SHEET_COLUMNS * PNG_SIZE
    sheet = Image.new("RGB", (width, HEADER_H + rows * (PNG_SIZE + CAPTION_H)), "#ffffff")
    pen = ImageDraw.Draw(sheet)
    big, small = _font(22), _font(17)
    pen.text((16, 10), f"sitbreak: {len(entries)} items. Two-sided items show the left side; "
             "the card mirrors them (IMAGE-right.png) when the timer switches.", "#2b3a4a", big)
    x = 16
    ghost = tuple(round(255 + (int(GHOST[i:i + 2], 16) - 255) * GHOST_OPACITY) for i in (1, 3, 5))
    letters = "; ".join(f"{lang} {'/'.join(pair)}" for lang, pair in own_letters().items())
    for colour, label in ((ghost, "start position"), (WORK, f"working side (L/R; {letters})"),
                          (MUSCLE, "where you feel it / the muscle at work")):
        pen.rounded_rectangle((x, 40, x + 30, 58), 5, fill=colour)
        pen.text((x + 38, 40), label, "#2b3a4a", small)
        x += 60 + round(pen.textlength(label, font=small))
    tiles = []
    for n, entry in enumerate(entries):
        col, row = n % SHEET_COLUMNS, n // SHEET_COLUMNS
        x0, y0 = col * PNG_SIZE, HEADER_H + row * (PNG_SIZE + CAPTION_H)
        with Image.open(out_dir / entry.image) as img:
            sheet.paste(img.convert("RGB"), (x0, y0))
        pen.rectangle((x0, y0, x0 + PNG_SIZE - 1, y0 + PNG_SIZE - 1), outline="#dfe3e8")
        caption = entry.id + ("  (L, mirrored for R)" if entry.sides == 2 else "")
        pen.text((x0 + 10, y0 + PNG_SIZE + 5), caption, "#2b3a4a", small)
        tiles.append({"id": entry.id, "image": entry.image, "box": [x0, y0, PNG_SIZE, PNG_SIZE]})
    path = out_dir / SHEET
    save_png(sheet, str(path), {"sitbreak:tiles": json.dumps(tiles)})
    return path


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    out_dir = HERE
    if "--out" in args:
        i = args.index("--out")
        out_dir = Path(args[i + 1])
        del args[i : i + 2]
        out_dir.mkdir(parents=True, exist_ok=True)
    entries = library()
    unknown = set(args) - {e.id for e in entries}
    if unknown:
        raise SystemExit(f"make_images: no item {', '.join(sorted(unknown))} in {CONTENT}")
    for entry in entries:
        if not args or entry.id in args:
            for path in write(entry, out_dir):
                print(path)
    if not args:
        print(contact_sheet(entries, out_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
