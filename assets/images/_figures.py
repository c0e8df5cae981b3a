"""The figure (filled limbs and torso, side or front view), the props, and the picture's marks.

Conventions every picture follows:
- the figure is drawn doing the RIGHT side, facing right in side views (so its right limbs are
  the near ones) or facing the viewer in front views (its right is the picture's left);
  make_images.py mirrors the whole drawing for the left side;
- the working limb is blue and carries a blue disc with the side's letter, pointing at it;
- the muscle where the user should feel the stretch (or do the work) is orange;
- the start position, where the body moves, is a pale ghost behind the end position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from _shapes import (
    BACKGROUND,
    Circle,
    Drawing,
    Glyph,
    Line,
    Point,
    Poly,
    angle_of,
    arc,
    blob,
    capsule,
    ellipse,
    go,
    joint_between,
    rounded_rect,
    towards,
)

# ---- style ------------------------------------------------------------------------------------

BODY = "#4f5f70"  # the figure, near side
FAR = "#9eabb9"  # limbs on the far side of the body
WORK = "#1f6fd1"  # the working limb and its side marker
MUSCLE = "#f2661f"  # where you feel it
GHOST = "#8796a6"  # start position, drawn at GHOST_OPACITY
GHOST_OPACITY = 0.34
ARROW = "#2b3a4a"
FLOOR = "#d6d2cc"
CHAIR = "#a9825d"
CHAIR_DARK = "#8a6747"
DESK = "#d6bf9f"
DESK_DARK = "#b49a78"
SCREEN = "#3b4652"
WALL = "#e3e7ec"
WALL_LINE = "#c2c9d1"
BALL = "#c9dc32"
ROLLER = "#2fa59a"
ROLLER_DARK = "#217a72"
MAT = "#c9b8e6"
CUSHION = "#efc15a"
HALO = 3.2  # white rim that separates overlapping parts

# ---- proportions (drawing units; the picture is 400 x 400) ------------------------------------

HEAD_R = 16.5
TORSO = 84.0  # hip -> shoulder joint
NECK_GAP = 22.0  # shoulder joint -> head centre, beyond the torso's top
THIGH = 80.0
SHIN = 76.0
FOOT = 25.0
UPPER_ARM = 54.0
FOREARM = 50.0
FLOOR_Y = 350.0
R_THIGH = (13.0, 9.5)
R_SHIN = (9.0, 6.5)
R_FOOT = (5.8, 4.2)
R_UPPER = (7.5, 6.2)
R_FORE = (6.0, 4.8)
R_HAND = 6.2


Segment = tuple[Point, Point, float, float]


@dataclass
class Part:
    name: str
    z: int
    pieces: list[tuple[Point, ...]] = field(default_factory=list)  # polygon outlines
    halo: list[tuple[Point, ...]] = field(default_factory=list)


def _limb(segments: Iterable[Segment], name: str, z: int, extra: Iterable[tuple[Point, float]] = ()
          ) -> Part:
    part = Part(name, z)
    for p, q, r1, r2 in segments:
        part.pieces.append(capsule(p, q, r1, r2))
        part.halo.append(capsule(p, q, r1 + HALO, r2 + HALO))
    for c, r in extra:
        part.pieces.append(capsule(c, c, r, r))
        part.halo.append(capsule(c, c, r + HALO, r + HALO))
    return part


class Figure:
    """Joints in, filled parts out. ``near``/``far`` in side views; ``left``/``right`` (of the
    picture) in front and back views."""

    def __init__(self) -> None:
        self.parts: dict[str, Part] = {}
        self.joints: dict[str, Point] = {}

    # -- limbs ----------------------------------------------------------------------------------

    def leg(self, side: str, hip: Point, knee: Point, ankle: Point, foot: float,
            z: int | None = None, foot_len: float = FOOT) -> Figure:
        toe = go(ankle, foot, foot_len)
        self.joints |= {f"{side}_hip": hip, f"{side}_knee": knee, f"{side}_ankle": ankle,
                        f"{side}_toe": toe}
        segs = [(hip, knee, *R_THIGH), (knee, ankle, *R_SHIN), (ankle, toe, *R_FOOT)]
        heel = go(ankle, foot + 180, 3)
        self.parts[f"{side}_leg"] = _limb(segs, f"{side}_leg", self._z(side, "leg", z),
                                          [(heel, 6.6)])
        return self

    def leg_angles(self, side: str, hip: Point, thigh: float, shin: float, foot: float,
                   z: int | None = None) -> Figure:
        knee = go(hip, thigh, THIGH)
        ankle = go(knee, shin, SHIN)
        return self.leg(side, hip, knee, ankle, foot, z)

    def leg_to(self, side: str, hip: Point, ankle: Point, bend: int, foot: float,
               z: int | None = None) -> Figure:
        knee = joint_between(hip, ankle, THIGH, SHIN, bend)
        return self.leg(side, hip, knee, towards(knee, ankle, SHIN), foot, z)

    def arm(self, side: str, shoulder: Point, elbow: Point, wrist: Point,
            z: int | None = None) -> Figure:
        hand = go(wrist, angle_of(elbow, wrist), 5)
        self.joints |= {f"{side}_elbow": elbow, f"{side}_hand": hand}
        segs = [(shoulder, elbow, *R_UPPER), (elbow, wrist, *R_FORE)]
        self.parts[f"{side}_arm"] = _limb(segs, f"{side}_arm", self._z(side, "arm", z),
                                          [(hand, R_HAND)])
        return self

    def arm_angles(self, side: str, upper: float, fore: float, z: int | None = None) -> Figure:
        s = self.joints[f"{side}_shoulder"]
        elbow = go(s, upper, UPPER_ARM)
        return self.arm(side, s, elbow, go(elbow, fore, FOREARM), z)

    def arm_to(self, side: str, hand: Point, bend: int, z: int | None = None) -> Figure:
        s = self.joints[f"{side}_shoulder"]
        elbow = joint_between(s, hand, UPPER_ARM, FOREARM + 5, bend)
        return self.arm(side, s, elbow, towards(elbow, hand, FOREARM), z)

    _ORDER: ClassVar[dict[tuple[str, str], int]] = {("far", "arm"): 0, ("far", "leg"): 1, ("near", "leg"): 5, ("near", "arm"): 6,
              ("left", "leg"): 1, ("right", "leg"): 1, ("left", "arm"): 5, ("right", "arm"): 5}

    def _z(self, side: str, limb: str, z: int | None) -> int:
        return z if z is not None else self._ORDER[(side, limb)]

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, d: Drawing, *, work: Iterable[str] = (), colour: str = BODY,
             far: str = FAR) -> None:
        """Halo then fill, part by part from back to front; ``work`` parts in blue."""
        working = set(work)
        for part in sorted(self.parts.values(), key=lambda p: p.z):
            fill = WORK if part.name in working else far if part.name.startswith("far") else colour
            for outline in part.halo:
                d.add(Poly(outline, BACKGROUND))
            for outline in part.pieces:
                d.add(Poly(outline, fill))

    def ghost(self, d: Drawing) -> None:
        """The start position: one pale, translucent silhouette behind the end position."""
        sub = Drawing()
        for part in sorted(self.parts.values(), key=lambda p: p.z):
            for outline in part.pieces:
                sub.add(Poly(outline, GHOST))
        d.add_group(sub, GHOST_OPACITY)


def side_view(hip: Point, torso: float = -90.0, head: float | None = None,
              chest: float = 1.0) -> Figure:
    """A figure in profile facing right: hip, torso angle (hip -> shoulders, -90 = upright)."""
    f = Figure()
    shoulder = go(hip, torso, TORSO)
    neck_dir = torso if head is None else head
    head_c = go(go(hip, torso, TORSO + 4), neck_dir, NECK_GAP)
    back, front = torso - 90, torso + 90
    f.joints |= {"hip": hip, "near_shoulder": go(shoulder, front, 2),
                 "far_shoulder": go(shoulder, front, 4), "head": head_c}
    torso_part = Part("torso", 3)
    circles = [
        (hip, 16.0),
        (go(go(hip, back, 6), torso + 180, 3), 15.5),  # seat
        (go(go(hip, torso, 42), front, 0.5 * chest), 14.5),
        (go(go(hip, torso, 68), front, 1.5 * chest), 15.5 * chest),
        (go(shoulder, back, 2), 13.5),
    ]
    torso_part.pieces.append(blob(circles))
    torso_part.halo.append(blob((c, r + HALO) for c, r in circles))
    f.parts["torso"] = torso_part
    head_part = Part("head", 4)
    face = go(head_c, neck_dir + 90, HEAD_R - 2)
    head_part.pieces += [capsule(head_c, head_c, HEAD_R, HEAD_R), capsule(face, face, 5, 5)]
    head_part.halo.append(capsule(head_c, head_c, HEAD_R + HALO, HEAD_R + HALO))
    f.parts["head"] = head_part
    return f


def front_view(pelvis: Point, torso: float = -90.0, head: float | None = None,
               shoulders: float = 23.0, lean: float = 1.0, shrug: float = 0.0) -> Figure:
    """A figure facing the viewer (or seen from behind); ``left``/``right`` = picture sides.
    ``lean`` < 1 foreshortens the torso: leaning towards the viewer; ``shrug`` lifts the
    shoulders."""
    f = Figure()
    side = torso + 90  # towards the picture's right
    length = TORSO * lean
    top = go(pelvis, torso, length + shrug)
    f.joints |= {
        "pelvis": pelvis,
        "left_hip": go(pelvis, side, -13), "right_hip": go(pelvis, side, 13),
        "left_shoulder": go(top, side, -shoulders), "right_shoulder": go(top, side, shoulders),
        "head": go(go(pelvis, torso, length + 4), torso if head is None else head, NECK_GAP),
    }
    waist = go(pelvis, torso, length / 2 + shrug / 2)
    circles = [
        (go(pelvis, side, -10), 15.0), (go(pelvis, side, 10), 15.0),
        (go(waist, side, -8), 13.5), (go(waist, side, 8), 13.5),
        (go(go(top, side, -shoulders + 9), torso + 180, 5), 12.0),
        (go(go(top, side, shoulders - 9), torso + 180, 5), 12.0),
    ]
    torso_part = Part("torso", 3)
    torso_part.pieces.append(blob(circles))
    torso_part.halo.append(blob((c, r + HALO) for c, r in circles))
    f.parts["torso"] = torso_part
    head_part = Part("head", 4)
    h = f.joints["head"]
    head_part.pieces.append(capsule(h, h, HEAD_R, HEAD_R))
    head_part.halo.append(capsule(h, h, HEAD_R + HALO, HEAD_R + HALO))
    f.parts["head"] = head_part
    return f


# ---- marks --------------------------------------------------------------------------------------


def muscle(d: Drawing, centre: Point, rx: float, ry: float, angle: float = 0.0) -> None:
    """Where the user should feel it: a solid orange patch on the body."""
    d.add(Poly(ellipse(centre, rx + 2.2, ry + 2.2, angle), BACKGROUND))
    d.add(Poly(ellipse(centre, rx, ry, angle), MUSCLE))


def side_marker(d: Drawing, at: Point, target: Point) -> None:
    """The working side's letter in a blue disc, with a short leader to the working limb."""
    start = towards(at, target, 22)
    end = towards(target, at, 4)
    d.add(Line((start, end), WORK, 3.4))
    d.add(Glyph(at, "side", WORK))


def number(d: Drawing, at: Point, digit: str) -> None:
    d.add(Glyph(at, digit, ARROW, r=17.0))


def arrow(d: Drawing, points: Iterable[Point], colour: str = ARROW, width: float = 4.5) -> None:
    pts = tuple(points)
    a, b = pts[-2], pts[-1]
    ang = angle_of(a, b)
    size = width * 3.0
    tip = go(b, ang, width * 0.6)
    base = go(b, ang + 180, size * 0.5)
    d.add(Line((*pts[:-1], base), colour, width))
    d.add(Poly((tip, go(tip, ang + 155, size * 1.15), go(tip, ang - 155, size * 1.15)), colour))


def curved_arrow(d: Drawing, centre: Point, r: float, start: float, end: float,
                 colour: str = ARROW, width: float = 4.5) -> None:
    arrow(d, arc(centre, r, start, end, 18), colour, width)


# ---- props ------------------------------------------------------------------------------------


def floor(d: Drawing, x0: float = 20, x1: float = 380, y: float = FLOOR_Y) -> None:
    d.add(Poly(rounded_rect(x0, y, x1, y + 7, 3.5), FLOOR))


def chair_side(d: Drawing, back_x: float, seat_y: float, depth: float = 92,
               back: bool = True) -> None:
    """A plain chair in profile facing right; ``back_x`` is the seat's back edge."""
    front_x = back_x + depth
    for x in (back_x + 8, front_x - 8):  # legs
        d.add(Poly(rounded_rect(x - 3.5, seat_y, x + 3.5, FLOOR_Y + 1, 3), CHAIR_DARK))
    d.add(Poly(rounded_rect(back_x + 8, seat_y + 40, front_x - 8, seat_y + 46, 3), CHAIR_DARK))
    if back:
        top = (back_x - 10, seat_y - 100)
        d.add(Poly(capsule((back_x + 2, seat_y + 4), top, 5, 5), CHAIR_DARK))
        d.add(Poly(capsule(go(top, 82, 8), go(top, 82, 46), 7, 7), CHAIR))
    d.add(Poly(rounded_rect(back_x - 4, seat_y, front_x + 2, seat_y + 11, 5), CHAIR))


def chair_back_front(d: Drawing, cx: float, seat_y: float, width: float = 118) -> None:
    """The backrest of a chair seen from the front (drawn behind the sitter)."""
    x0, x1 = cx - width / 2 + 10, cx + width / 2 - 10
    for x in (x0 + 4, x1 - 4):
        d.add(Poly(rounded_rect(x - 4.5, seat_y - 96, x + 4.5, seat_y, 3), CHAIR_DARK))
    d.add(Poly(rounded_rect(x0, seat_y - 100, x1, seat_y - 62, 7), CHAIR))


def chair_seat_front(d: Drawing, cx: float, seat_y: float, width: float = 118) -> None:
    """Seat and legs of a chair seen from the front (drawn over the sitter's hips)."""
    x0, x1 = cx - width / 2, cx + width / 2
    for x in (x0 + 9, x1 - 9):
        d.add(Poly(rounded_rect(x - 4, seat_y, x + 4, FLOOR_Y + 1, 3), CHAIR_DARK))
    d.add(Poly(rounded_rect(x0, seat_y, x1, seat_y + 12, 5), CHAIR))


def desk_side(d: Drawing, x0: float, x1: float, top: float = 222, monitor: bool = True,
              monitor_x: float | None = None) -> None:
    """A desk in profile (the user stands or sits at its ``x0`` edge), with a screen on it."""
    for x in (x0 + 14, x1 - 10):
        d.add(Poly(rounded_rect(x - 4, top, x + 4, FLOOR_Y + 1, 3), DESK_DARK))
    d.add(Poly(rounded_rect(x0, top, x1, top + 10, 4), DESK))
    if monitor:
        mx = monitor_x if monitor_x is not None else x0 + (x1 - x0) * 0.62
        d.add(Poly(rounded_rect(mx - 16, top - 4, mx + 16, top + 1, 2), SCREEN))
        d.add(Poly(rounded_rect(mx - 3, top - 26, mx + 3, top, 2), SCREEN))
        d.add(Poly(rounded_rect(mx - 7, top - 86, mx + 7, top - 22, 4), SCREEN))


def desk_end(d: Drawing, x0: float, x1: float, top: float = 222) -> None:
    """A desk seen end-on (front views): top slab and two legs."""
    for x in (x0 + 8, x1 - 8):
        d.add(Poly(rounded_rect(x - 4, top, x + 4, FLOOR_Y + 1, 3), DESK_DARK))
    d.add(Poly(rounded_rect(x0, top, x1, top + 12, 4), DESK))


def wall(d: Drawing, x: float, y0: float = 40, width: float = 16) -> None:
    """A wall in section, its face at ``x`` facing right."""
    d.add(Poly(rounded_rect(x - width, y0, x, FLOOR_Y + 4, 2), WALL))
    for y in range(int(y0) + 14, int(FLOOR_Y), 26):
        d.add(Line(((x - width + 3, y + 10), (x - 3, y)), WALL_LINE, 2.4))
    d.add(Line(((x, y0), (x, FLOOR_Y + 4)), WALL_LINE, 3))


def ball(d: Drawing, c: Point, r: float = 13.0) -> None:
    """A tennis/massage ball: yellow-green with a seam."""
    d.add(Circle(c, r + 2.5, BACKGROUND))
    d.add(Circle(c, r, BALL))
    d.add(Line(tuple(arc((c[0] - r * 1.25, c[1]), r * 0.95, -38, 38, 8)), BACKGROUND, 2.2))
    d.add(Line(tuple(arc((c[0] + r * 1.25, c[1]), r * 0.95, 142, 218, 8)), BACKGROUND, 2.2))


def roller(d: Drawing, c: Point, r: float = 27.0) -> None:
    """A foam roller seen end-on."""
    d.add(Circle(c, r + 2.5, BACKGROUND))
    d.add(Circle(c, r, ROLLER))
    d.add(Circle(c, r * 0.55, None, ROLLER_DARK, 3.0))
    d.add(Circle(c, r * 0.18, ROLLER_DARK))


def mat(d: Drawing, x0: float, x1: float, y: float = FLOOR_Y) -> None:
    d.add(Poly(rounded_rect(x0, y - 6, x1, y + 1, 3), MAT))


def cushion(d: Drawing, cx: float, y: float = FLOOR_Y, w: float = 50) -> None:
    d.add(Poly(rounded_rect(cx - w / 2, y - 11, cx + w / 2, y + 1, 6), CUSHION))
