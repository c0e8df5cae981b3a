"""Shapes, their geometry, and the two renderers (SVG text, PNG via Pillow) of make_images.py.

Both formats come from the same shape list, so the SVG source and the PNG Tk shows always match;
nothing but Pillow is needed (no SVG rasteriser on the build machine). Letters and digits are
drawn as strokes, so no font is involved either and the output is the same on every machine.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from PIL import Image, ImageDraw, PngImagePlugin

Point = tuple[float, float]
SIZE = 400  # drawing units (SVG viewBox)
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Poly:
    """A filled outline (limbs, torso, props are all polygons)."""

    points: tuple[Point, ...]
    fill: str


@dataclass(frozen=True)
class Line:
    points: tuple[Point, ...]
    colour: str
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class Circle:
    centre: Point
    r: float
    fill: str | None
    stroke: str | None = None
    width: float = 0.0


@dataclass(frozen=True)
class Group:
    """Shapes drawn together at one opacity (the ghosted start position)."""

    shapes: tuple[Shape, ...]
    opacity: float


@dataclass(frozen=True)
class Glyph:
    """A letter or digit in a filled disc; ``text`` may depend on the side being drawn, so it is
    chosen when rendering (the language's letter for left or right: "L"/"R", "G"/"D", "I"/"D"),
    and a mirrored drawing moves the disc but never the text."""

    centre: Point
    text: str  # "side" = the working side's letter
    fill: str
    r: float = 21.0


Shape = Poly | Line | Circle | Group | Glyph


@dataclass
class Drawing:
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)

    def add_group(self, sub: Drawing, opacity: float) -> None:
        self.shapes.append(Group(tuple(sub.shapes), opacity))


# ---- geometry ---------------------------------------------------------------------------------


def go(p: Point, angle: float, length: float) -> Point:
    """Point ``length`` away from ``p`` at ``angle`` degrees (0 = right, 90 = down)."""
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def angle_of(p: Point, q: Point) -> float:
    return math.degrees(math.atan2(q[1] - p[1], q[0] - p[0]))


def towards(p: Point, q: Point, length: float) -> Point:
    d = math.dist(p, q) or 1.0
    return (p[0] + (q[0] - p[0]) * length / d, p[1] + (q[1] - p[1]) * length / d)


def lerp(p: Point, q: Point, t: float) -> Point:
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


def joint_between(a: Point, b: Point, first: float, second: float, bend: int) -> Point:
    """Middle joint of a two-bone chain from ``a`` to ``b`` (knee or elbow); ``bend`` = +1/-1
    picks the side the joint points to (+1: to the left of a->b, in screen coordinates)."""
    d = min(max(math.dist(a, b), 1e-6), first + second - 0.01)
    along = (first**2 - second**2 + d**2) / (2 * d)
    h = math.sqrt(max(first**2 - along**2, 0.0))
    ux, uy = (b[0] - a[0]) / d, (b[1] - a[1]) / d
    mx, my = a[0] + along * ux, a[1] + along * uy
    return (mx + bend * h * uy, my - bend * h * ux)


def arc(centre: Point, r: float, start: float, end: float, steps: int = 24) -> list[Point]:
    return [go(centre, start + (end - start) * i / steps, r) for i in range(steps + 1)]


def capsule(p: Point, q: Point, r1: float, r2: float) -> tuple[Point, ...]:
    """Outline of a tapered capsule: a round end of radius ``r1`` at ``p``, ``r2`` at ``q``."""
    d = math.dist(p, q)
    if d < 1e-6 or d <= abs(r1 - r2):
        centre, r = (p, r1) if r1 >= r2 else (q, r2)
        return tuple(arc(centre, r, 0, 360, 36)[:-1])
    axis = angle_of(p, q)
    theta = math.degrees(math.acos((r1 - r2) / d))
    steps_q = max(4, round(theta / 8))
    steps_p = max(4, round((360 - 2 * theta) / 8))
    front = arc(q, r2, axis - theta, axis + theta, steps_q)
    back = arc(p, r1, axis + theta, axis + 360 - theta, steps_p)
    return tuple(front + back)


def ellipse(centre: Point, rx: float, ry: float, angle: float = 0.0, steps: int = 40
            ) -> tuple[Point, ...]:
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    out = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        out.append((centre[0] + x * ca - y * sa, centre[1] + x * sa + y * ca))
    return tuple(out)


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> tuple[Point, ...]:
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    pts: list[Point] = []
    for cx, cy, start in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90),
                          (x0 + r, y0 + r, 180)):
        pts += arc((cx, cy), r, start, start + 90, 6)
    return tuple(pts)


def hull(points: Iterable[Point]) -> tuple[Point, ...]:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return tuple(pts)

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


def blob(circles: Iterable[tuple[Point, float]]) -> tuple[Point, ...]:
    """The convex outline around some circles (a torso, a pelvis)."""
    return hull(p for c, r in circles for p in arc(c, r, 0, 360, 32)[:-1])


# ---- letters and digits as strokes (unit box: x 0..0.7, y 0..1, y down) ---------------------


def _bowl(top: float, bottom: float, x0: float, x1: float) -> list[Point]:
    r = (bottom - top) / 2
    return [(x0, top), *arc((x1 - r, top + r), r, -90, 90, 10), (x0, bottom)]


def _oval(centre: Point, rx: float, ry: float, start: float, end: float, *, steps: int = 24
          ) -> list[Point]:
    return [(centre[0] + rx * math.cos(math.radians(a)), centre[1] + ry * math.sin(math.radians(a)))
            for a in (start + (end - start) * i / steps for i in range(steps + 1))]


STROKES: dict[str, list[list[Point]]] = {
    # the side letters: English/German L/R, French G/D (gauche/droite), Spanish I/D
    # (izquierda/derecha); make_images.SIDE_LETTERS says which language uses which
    "L": [[(0.1, 0.0), (0.1, 1.0), (0.66, 1.0)]],
    "R": [[(0.1, 1.0), (0.1, 0.0), *_bowl(0.0, 0.52, 0.1, 0.66)[1:]], [(0.34, 0.52), (0.66, 1.0)]],
    "G": [[*_oval((0.38, 0.5), 0.31, 0.5, -35, -335, steps=22), (0.69, 0.56), (0.44, 0.56)]],
    "D": [[(0.1, 0.0), (0.28, 0.0), *arc((0.28, 0.38), 0.38, -90, 0, 8),
           *arc((0.28, 0.62), 0.38, 0, 90, 8), (0.1, 1.0), (0.1, 0.0)]],
    "I": [[(0.14, 0.0), (0.58, 0.0)], [(0.36, 0.0), (0.36, 1.0)], [(0.14, 1.0), (0.58, 1.0)]],
    "1": [[(0.14, 0.22), (0.42, 0.0), (0.42, 1.0)]],
    "2": [[*arc((0.36, 0.3), 0.28, 200, 360 + 30, 10), (0.06, 1.0), (0.68, 1.0)]],
    "3": [arc((0.36, 0.26), 0.26, 200, 450, 12), arc((0.36, 0.72), 0.28, -90, 160, 12)],
    "4": [[(0.5, 1.0), (0.5, 0.0), (0.02, 0.68), (0.7, 0.68)]],
}


def glyph_lines(text: str, centre: Point, height: float, colour: str, width: float
                ) -> list[Line]:
    box_w = 0.7 * height
    x0 = centre[0] - box_w / 2 + 0.02 * height
    y0 = centre[1] - height / 2
    return [Line(tuple((x0 + x * height, y0 + y * height) for x, y in stroke), colour, width)
            for stroke in STROKES[text]]


# ---- transforms -------------------------------------------------------------------------------


def transform(shape: Shape, f: Callable[[Point], Point], k: float) -> Shape:
    """``shape`` with every point mapped by ``f`` and every length scaled by ``k``."""
    if isinstance(shape, Poly):
        return replace(shape, points=tuple(f(p) for p in shape.points))
    if isinstance(shape, Line):
        return replace(shape, points=tuple(f(p) for p in shape.points), width=shape.width * k)
    if isinstance(shape, Circle):
        return replace(shape, centre=f(shape.centre), r=shape.r * k, width=shape.width * k)
    if isinstance(shape, Group):
        return replace(shape, shapes=tuple(transform(s, f, k) for s in shape.shapes))
    return replace(shape, centre=f(shape.centre))  # a glyph keeps its size: a fixed marker


def bounds(shapes: Iterable[Shape]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        if isinstance(s, Group):
            x0, y0, x1, y1 = bounds(s.shapes)
            xs += [x0, x1]
            ys += [y0, y1]
        elif isinstance(s, Circle | Glyph):
            r = s.r + (s.width / 2 if isinstance(s, Circle) else 0)
            xs += [s.centre[0] - r, s.centre[0] + r]
            ys += [s.centre[1] - r, s.centre[1] + r]
        else:
            pad = s.width / 2 if isinstance(s, Line) else 0.0
            xs += [p[0] - pad for p in s.points] + [p[0] + pad for p in s.points]
            ys += [p[1] - pad for p in s.points] + [p[1] + pad for p in s.points]
    return min(xs), min(ys), max(xs), max(ys)


def fit(drawing: Drawing, margin: float = 14, max_scale: float = 1.4) -> Drawing:
    """Centre the picture and enlarge small ones, so every image fills its frame alike."""
    x0, y0, x1, y1 = bounds(drawing.shapes)
    room = SIZE - 2 * margin
    k = min(max_scale, room / max(x1 - x0, 1), room / max(y1 - y0, 1))
    dx = SIZE / 2 - k * (x0 + x1) / 2
    dy = SIZE / 2 - k * (y0 + y1) / 2
    return Drawing([transform(s, lambda p: (p[0] * k + dx, p[1] * k + dy), k)
                    for s in drawing.shapes])


def mirrored(drawing: Drawing) -> Drawing:
    """Left-right mirror image: the same exercise on the other side."""
    return Drawing([transform(s, lambda p: (SIZE - p[0], p[1]), 1.0) for s in drawing.shapes])


# ---- SVG ---------------------------------------------------------------------------------------


def _pts(points: Iterable[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


Letters = tuple[str, str]  # the side letters (left, right) in the picture's language
ENGLISH_LETTERS: Letters = ("L", "R")


def _svg_shape(s: Shape, side: str, out: list[str], indent: str = "",
               letters: Letters = ENGLISH_LETTERS) -> None:
    if isinstance(s, Poly):
        out.append(f'{indent}<polygon points="{_pts(s.points)}" fill="{s.fill}"/>')
    elif isinstance(s, Line):
        dash = ' stroke-dasharray="12 9"' if s.dashed else ""
        out.append(f'{indent}<polyline points="{_pts(s.points)}" fill="none" stroke="{s.colour}" '
                   f'stroke-width="{s.width:.1f}" stroke-linecap="round" '
                   f'stroke-linejoin="round"{dash}/>')
    elif isinstance(s, Circle):
        stroke = (f' stroke="{s.stroke}" stroke-width="{s.width:.1f}"' if s.stroke else "")
        out.append(f'{indent}<circle cx="{s.centre[0]:.1f}" cy="{s.centre[1]:.1f}" '
                   f'r="{s.r:.1f}" fill="{s.fill or "none"}"{stroke}/>')
    elif isinstance(s, Group):
        out.append(f'{indent}<g opacity="{s.opacity:.2f}">')
        for inner in s.shapes:
            _svg_shape(inner, side, out, indent + "  ", letters)
        out.append(f"{indent}</g>")
    else:
        text = _glyph_text(s, side, letters)
        out.append(f'{indent}<g class="side-marker" data-side="{text}">')
        _svg_shape(Circle(s.centre, s.r, s.fill, BACKGROUND, 3.0), side, out, indent + "  ")
        for line in glyph_lines(text, s.centre, s.r * 1.05, BACKGROUND, s.r * 0.24):
            _svg_shape(line, side, out, indent + "  ")
        out.append(f"{indent}</g>")


def _glyph_text(g: Glyph, side: str, letters: Letters) -> str:
    if g.text == "side":
        return letters[0] if side == "left" else letters[1]
    return g.text


def to_svg(drawing: Drawing, *, title: str, desc: str, side: str,
           letters: Letters = ENGLISH_LETTERS) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}">',
        f"<title>{title}</title>",
        f"<desc>{desc}</desc>",
        f'<rect width="{SIZE}" height="{SIZE}" fill="{BACKGROUND}"/>',
    ]
    for s in drawing.shapes:
        _svg_shape(s, side, out, letters=letters)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---- PNG ---------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))


def _dash(points: Sequence[Point], on: float = 12, off: float = 9) -> list[list[Point]]:
    pieces: list[list[Point]] = []
    for a, b in itertools.pairwise(points):
        length = math.dist(a, b)
        t = 0.0
        while t < length:
            end = min(t + on, length)
            pieces.append([towards(a, b, t), towards(a, b, end)])
            t = end + off
    return pieces


class _Painter:
    def __init__(self, k: float, side: str, letters: Letters) -> None:
        self.k, self.side, self.letters = k, side, letters

    def sc(self, p: Point) -> tuple[float, float]:
        return (p[0] * self.k, p[1] * self.k)

    def stroke(self, draw: ImageDraw.ImageDraw, pts: Sequence[Point], colour: str,
               width: float) -> None:
        w = max(1, round(width * self.k))
        scaled = [self.sc(p) for p in pts]
        fill = _rgb(colour)
        draw.line(scaled, fill=fill, width=w, joint="curve")
        for x, y in (scaled[0], scaled[-1]):  # round caps
            draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=fill)

    def paint(self, img: Image.Image, s: Shape) -> None:
        draw = ImageDraw.Draw(img)
        if isinstance(s, Poly):
            draw.polygon([self.sc(p) for p in s.points], fill=_rgb(s.fill))
        elif isinstance(s, Line):
            for piece in _dash(s.points) if s.dashed else [list(s.points)]:
                self.stroke(draw, piece, s.colour, s.width)
        elif isinstance(s, Circle):
            (cx, cy), r = self.sc(s.centre), s.r * self.k
            if s.fill:
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_rgb(s.fill))
            if s.stroke:
                w = s.width * self.k
                outer = (cx - r - w / 2, cy - r - w / 2, cx + r + w / 2, cy + r + w / 2)
                draw.ellipse(outer, outline=_rgb(s.stroke), width=max(1, round(w)))
        elif isinstance(s, Group):
            layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
            for inner in s.shapes:
                self.paint(layer, inner)
            alpha = layer.getchannel("A").point(lambda v, o=s.opacity: round(v * o))
            layer.putalpha(alpha)
            base = img.convert("RGBA")
            base.alpha_composite(layer)
            img.paste(base.convert(img.mode))
        else:
            self.paint(img, Circle(s.centre, s.r, s.fill, BACKGROUND, 3.0))
            text = _glyph_text(s, self.side, self.letters)
            for line in glyph_lines(text, s.centre, s.r * 1.05, BACKGROUND, s.r * 0.24):
                self.paint(img, line)


def render(drawing: Drawing, size: int, side: str, supersample: int = 4,
           letters: Letters = ENGLISH_LETTERS) -> Image.Image:
    k = supersample * size / SIZE
    big = round(SIZE * k)
    img = Image.new("RGBA", (big, big), (*_rgb(BACKGROUND), 255))
    painter = _Painter(k, side, letters)
    for s in drawing.shapes:
        painter.paint(img, s)
    return img.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)


def save_png(img: Image.Image, path: str, text: dict[str, str]) -> None:
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    img.save(path, optimize=True, pnginfo=info)


def place(d: Drawing, sub: Drawing, offset: Point, scale: float) -> None:
    """Add ``sub`` to ``d`` scaled by ``scale`` about the origin, then moved by ``offset``."""
    for s in sub.shapes:
        d.add(transform(s, lambda p: (p[0] * scale + offset[0], p[1] * scale + offset[1]), scale))
