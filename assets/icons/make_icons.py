"""Draw sitbreak's application icon set: the tray ring, three quarters full, on a white disc.

One command rewrites every file under ``assets/icons/`` (run it from anywhere, with the project's
venv so that ``sitbreak`` and Pillow import)::

    .venv/bin/python assets/icons/make_icons.py [OUT_DIR]

- ``hicolor/scalable/apps/sitbreak.svg`` and ``hicolor/NxN/apps/sitbreak.png`` for N in ``SIZES``:
  laid out like the freedesktop hicolor icon theme, so an installer copies the tree as it is;
- ``sitbreak.ico`` (Windows: 16–256 px) and ``sitbreak.icns`` (macOS: 16–512 px).

The PNGs are drawn by the tray's own ``tray_icon.render`` (4× supersampled, then reduced), so the
app icon and the tray icon are the same picture; the SVG is the same geometry written as paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from sitbreak.adapters.tray_icon import COLOURS, STEPS, TRACK, render

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # 1024: the 512 px slot at 2×
SUPERSAMPLE = 4
STATE = "due"  # amber: the colour of "time to stand up"
FILL_STEPS = STEPS * 3 // 4
DISC = (255, 255, 255)


def draw(size: int) -> Image.Image:
    big = size * SUPERSAMPLE
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((0, 0, big - 1, big - 1), fill=(*DISC, 255))
    img.alpha_composite(render((STATE, FILL_STEPS), size=big))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def svg() -> str:
    """The same picture on a 64-unit grid: the ring's outer edge 4 units in, 9 units wide."""
    track = "#{:02x}{:02x}{:02x}".format(*TRACK)
    arc = "#{:02x}{:02x}{:02x}".format(*COLOURS[STATE])
    disc = "#{:02x}{:02x}{:02x}".format(*DISC)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
        "  <title>sitbreak</title>\n"
        f'  <circle cx="32" cy="32" r="32" fill="{disc}"/>\n'
        f'  <circle cx="32" cy="32" r="23.5" fill="none" stroke="{track}" stroke-width="9"/>\n'
        # three quarters clockwise from twelve o'clock to nine o'clock
        f'  <path d="M 32 8.5 A 23.5 23.5 0 1 1 8.5 32" fill="none" stroke="{arc}" '
        'stroke-width="9"/>\n'
        "</svg>\n"
    )


def write_all(out: Path) -> list[Path]:
    written: list[Path] = []
    scalable = out / "hicolor" / "scalable" / "apps" / "sitbreak.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_text(svg(), encoding="utf-8")
    written.append(scalable)
    images = {size: draw(size) for size in SIZES}
    for size, img in images.items():
        path = out / "hicolor" / f"{size}x{size}" / "apps" / "sitbreak.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        img.save(path, "PNG", optimize=True)
        written.append(path)
    ico = out / "sitbreak.ico"
    images[256].save(
        ico,
        "ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != 256],
    )
    written.append(ico)
    icns = out / "sitbreak.icns"
    big = draw(1024)
    icns_images = [images.get(s) or draw(s) for s in ICNS_SIZES if s != 1024]
    big.save(icns, "ICNS", append_images=icns_images)
    written.append(icns)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    for path in write_all(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
