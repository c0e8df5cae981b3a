"""The tray picture: a ring that fills with the sitting time, coloured by state.

``picture_key`` is what the picture depends on (state + fill quantised to ``STEPS``); the tray
redraws only when it changes, so an icon is regenerated at most ``STEPS`` times per interval.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitbreak.adapters.base import TrayView

STEPS = 24
SIZE = 64

COLOURS = {
    "fresh": (46, 160, 90),  # green
    "due": (230, 160, 20),  # amber
    "overdue": (214, 56, 50),  # red
    "paused": (140, 140, 140),
    "standing": (50, 120, 220),  # blue
    "away": (110, 110, 110),
}
TRACK = (70, 70, 70)


def picture_key(view: TrayView) -> tuple[str, int]:
    fill = min(1.0, max(0.0, view.fill))
    if view.state in ("paused", "standing", "away"):
        return (view.state, 0)  # these pictures do not show the fill
    return (view.state, round(fill * STEPS))


def render(key: tuple[str, int], size: int = SIZE) -> Any:
    """A Pillow RGBA image for ``picture_key(view)``."""
    from PIL import Image, ImageDraw

    state, steps = key
    colour = COLOURS.get(state, COLOURS["fresh"])
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    pad = max(2, size // 16)
    width = max(3, size // 7)
    box = (pad, pad, size - pad - 1, size - pad - 1)
    centre = size / 2
    if state == "away":
        draw.ellipse(box, outline=(*colour, 160), width=max(2, width // 2))
        return img
    draw.ellipse(box, outline=(*TRACK, 255), width=width)
    if state in ("paused", "standing"):
        draw.ellipse(box, outline=(*colour, 255), width=width)
    elif steps > 0:
        draw.arc(box, start=-90, end=-90 + 360 * steps / STEPS, fill=(*colour, 255), width=width)
    inner = size * 0.22
    if state == "paused":  # two bars
        bar_w = size * 0.09
        for dx in (-bar_w * 1.3, bar_w * 0.3):
            x0 = centre + dx
            draw.rectangle((x0, centre - inner, x0 + bar_w, centre + inner), fill=(*colour, 255))
    elif state == "standing":  # an upward arrow
        draw.polygon(
            [(centre, centre - inner), (centre - inner, centre), (centre + inner, centre)],
            fill=(*colour, 255),
        )
        draw.rectangle(
            (centre - inner * 0.35, centre, centre + inner * 0.35, centre + inner),
            fill=(*colour, 255),
        )
    elif state == "overdue":  # a filled dot: "now"
        draw.ellipse(
            (centre - inner, centre - inner, centre + inner, centre + inner), fill=(*colour, 255)
        )
    return img


def app_icon_png() -> Path | None:
    """The app icon (the ring, three-quarters full) as a PNG, for notifications: the shipped
    icon set's, else one drawn into the user cache; None if it cannot be written."""
    from sitbreak.content.paths import assets_dir

    shipped = assets_dir() / "icons" / "hicolor" / f"{SIZE}x{SIZE}" / "apps" / "sitbreak.png"
    if shipped.is_file():
        return shipped
    from platformdirs import user_cache_path

    path = user_cache_path("sitbreak", appauthor=False) / f"sitbreak-{SIZE}.png"
    if path.exists():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        render(("due", STEPS * 3 // 4)).save(tmp, "PNG")
        tmp.replace(path)
    except OSError:
        return None
    return path
