"""The card's picture, in the card's colours: on a dark card the drawing turns dark too
(white paper → the card's panel colour, dark lines → light ones, the highlighted muscle keeps
its hue). Done with Pillow at load time, so every drawing works in both themes."""

from __future__ import annotations

import base64
import io
from pathlib import Path


def dark_png(path: Path, background: str) -> bytes:
    """``path``'s picture inverted in lightness only, on ``background`` ("#rrggbb")."""
    from PIL import Image, ImageChops, ImageOps

    with Image.open(path) as src:
        rgba = src.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "#ffffff")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    inverted = ImageOps.invert(flat)
    # inverting also turns each hue to its opposite: turn it back half a circle
    hue, sat, val = inverted.convert("HSV").split()
    hue = hue.point(lambda h: (h + 128) % 256)
    light_lines = Image.merge("HSV", (hue, sat, val)).convert("RGB")
    # the former white paper is now black: lift it to the card's own dark panel colour
    dark = ImageChops.lighter(light_lines, Image.new("RGB", rgba.size, background))
    out = io.BytesIO()
    dark.save(out, format="PNG")
    return out.getvalue()


def tk_data(path: Path, background: str) -> str:
    """The dark picture as base64 PNG, for ``tk.PhotoImage(data=...)``."""
    return base64.b64encode(dark_png(path, background)).decode("ascii")
