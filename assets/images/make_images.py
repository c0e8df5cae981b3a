"""Draw the library's stick-figure illustrations: one SVG (source) and one PNG (for Tk) per item.

Run from anywhere: ``python assets/images/make_images.py`` rewrites every ``*.svg``/``*.png`` next
to this file. Both formats come from the same shape list, so they always match. Style: dark
near-side limbs, grey far-side limbs, light-grey props, an orange glow where the user should feel
the stretch or pressure.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 400  # drawing units (SVG viewBox)
PNG_SIZE = 320
SUPERSAMPLE = 4

INK = "#2b3a4a"
FAR = "#9aa7b4"
PROP = "#b8c0c8"
PROP_FILL = "#eef1f4"
ACCENT = "#e0753a"
BACKGROUND = "#ffffff"
LIMB_W = 10.0
PROP_W = 6.0

Point = tuple[float, float]


@dataclass(frozen=True)
class Line:
    points: Sequence[Point]
    colour: str = INK
    width: float = LIMB_W
    dashed: bool = False


@dataclass(frozen=True)
class Circle:
    centre: Point
    r: float
    stroke: str | None = INK
    fill: str | None = None
    width: float = LIMB_W
    opacity: float = 1.0


@dataclass(frozen=True)
class Poly:
    points: Sequence[Point]
    fill: str


Shape = Line | Circle | Poly


@dataclass
class Drawing:
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)


# ---- geometry ---------------------------------------------------------------------------------

HEAD_R = 19.0
TORSO = 100.0
UPPER_ARM = 52.0
FOREARM = 48.0
THIGH = 74.0
SHIN = 72.0
FOOT = 24.0
FLOOR_Y = 350.0


def go(p: Point, angle: float, length: float) -> Point:
    """Point ``length`` away from ``p`` at ``angle`` degrees (0 = right, 90 = down)."""
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def towards(p: Point, q: Point, length: float) -> Point:
    d = math.dist(p, q) or 1.0
    return (p[0] + (q[0] - p[0]) * length / d, p[1] + (q[1] - p[1]) * length / d)


def knee_between(hip: Point, ankle: Point, thigh: float, shin: float, bend: int) -> Point:
    """Knee position for a leg from ``hip`` to ``ankle`` (two-bone IK); bend = +1/-1 side."""
    d = min(math.dist(hip, ankle), thigh + shin - 0.01)
    a = (thigh**2 - shin**2 + d**2) / (2 * d)
    h = math.sqrt(max(thigh**2 - a**2, 0.0))
    ux, uy = (ankle[0] - hip[0]) / d, (ankle[1] - hip[1]) / d
    mx, my = hip[0] + a * ux, hip[1] + a * uy
    return (mx - bend * h * uy, my + bend * h * ux)


@dataclass
class Side:
    """A side-view figure facing right, built from absolute segment angles."""

    hip: Point
    torso: float = -90.0  # hip -> neck
    head: float | None = None  # neck -> head centre; defaults to the torso angle
    near_arm: tuple[float, float] = (95.0, 95.0)  # upper arm, forearm
    far_arm: tuple[float, float] = (85.0, 85.0)
    near_leg: tuple[float, float, float] = (90.0, 90.0, 0.0)  # thigh, shin, foot
    far_leg: tuple[float, float, float] = (90.0, 90.0, 0.0)
    colour: str = INK
    far_colour: str = FAR
    dashed: bool = False

    def neck(self) -> Point:
        return go(self.hip, self.torso, TORSO)

    def shoulder(self) -> Point:
        return go(self.hip, self.torso, TORSO - 10)

    def head_centre(self) -> Point:
        return go(self.neck(), self.torso if self.head is None else self.head, HEAD_R + 4)

    def arm(self, angles: tuple[float, float]) -> list[Point]:
        s = self.shoulder()
        e = go(s, angles[0], UPPER_ARM)
        return [s, e, go(e, angles[1], FOREARM)]

    def leg(self, angles: tuple[float, float, float]) -> list[Point]:
        k = go(self.hip, angles[0], THIGH)
        a = go(k, angles[1], SHIN)
        return [self.hip, k, a, go(a, angles[2], FOOT)]

    def draw(self, d: Drawing) -> None:
        d.add(Line(self.arm(self.far_arm), self.far_colour, dashed=self.dashed))
        d.add(Line(self.leg(self.far_leg), self.far_colour, dashed=self.dashed))
        d.add(Line([self.hip, self.neck()], self.colour, dashed=self.dashed))
        d.add(Line(self.leg(self.near_leg), self.colour, dashed=self.dashed))
        d.add(Line(self.arm(self.near_arm), self.colour, dashed=self.dashed))
        fill = BACKGROUND if not self.dashed else None
        d.add(Circle(self.head_centre(), HEAD_R, self.colour, fill, width=LIMB_W * 0.8))


def glow(d: Drawing, p: Point, r: float = 30.0) -> None:
    """Where the user should feel it."""
    d.add(Circle(p, r, None, ACCENT, opacity=0.30))


def floor(d: Drawing, y: float = FLOOR_Y, x0: float = 30, x1: float = 370) -> None:
    d.add(Line([(x0, y), (x1, y)], PROP, PROP_W))


def chair(d: Drawing, seat: Point, depth: float = 80, back: bool = True) -> None:
    """Side-view chair; ``seat`` is the back end of the seat, chair faces right."""
    x, y = seat
    d.add(Line([(x, y), (x + depth, y)], PROP, PROP_W * 1.4))
    d.add(Line([(x + 8, y), (x + 8, FLOOR_Y)], PROP, PROP_W))
    d.add(Line([(x + depth - 8, y), (x + depth - 8, FLOOR_Y)], PROP, PROP_W))
    if back:
        d.add(Line([(x, y), (x - 8, y - 95)], PROP, PROP_W * 1.4))


def desk(d: Drawing, x0: float, x1: float, y: float = 215, monitor: bool = True) -> None:
    d.add(Line([(x0, y), (x1, y)], PROP, PROP_W * 1.4))
    d.add(Line([(x1 - 10, y), (x1 - 10, FLOOR_Y)], PROP, PROP_W))
    if monitor:
        mx = x0 + (x1 - x0) * 0.65
        d.add(Line([(mx, y), (mx, y - 25)], PROP, PROP_W))
        d.add(Line([(mx - 4, y - 25), (mx - 4, y - 95)], PROP, PROP_W * 2.2))


def wall(d: Drawing, x: float) -> None:
    d.add(Line([(x, 40), (x, FLOOR_Y)], PROP, PROP_W * 1.4))
    for y in range(60, int(FLOOR_Y), 40):
        d.add(Line([(x, y), (x - 14, y + 14)], PROP, PROP_W * 0.6))


def arrow(d: Drawing, points: Sequence[Point], colour: str = ACCENT, width: float = 5.0) -> None:
    pts = list(points)
    d.add(Line(pts, colour, width))
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    ang = math.atan2(y1 - y0, x1 - x0)
    size = width * 3.2
    left = (x1 - size * math.cos(ang - 0.5), y1 - size * math.sin(ang - 0.5))
    right = (x1 - size * math.cos(ang + 0.5), y1 - size * math.sin(ang + 0.5))
    tip = (x1 + width * 0.8 * math.cos(ang), y1 + width * 0.8 * math.sin(ang))
    d.add(Poly([tip, left, right], colour))


def arc(centre: Point, r: float, start: float, end: float, steps: int = 24) -> list[Point]:
    return [
        go(centre, start + (end - start) * i / steps, r) for i in range(steps + 1)
    ]


# ---- poses ------------------------------------------------------------------------------------


def front_seated(d: Drawing, crossed: bool) -> tuple[Point, Point]:
    """Front view on a chair; returns (left hip, right hip) in picture coordinates."""
    pelvis = (200.0, 250.0)
    lhip, rhip = (182.0, 250.0), (218.0, 250.0)
    neck = (200.0, 150.0)
    # chair seen from the front
    d.add(Line([(140, 262), (260, 262)], PROP, PROP_W * 1.4))
    d.add(Line([(148, 262), (148, FLOOR_Y)], PROP, PROP_W))
    d.add(Line([(252, 262), (252, FLOOR_Y)], PROP, PROP_W))
    d.add(Line([(150, 262), (150, 140)], PROP, PROP_W))
    d.add(Line([(250, 262), (250, 140)], PROP, PROP_W))
    floor(d)
    d.add(Line([pelvis, neck], INK))
    d.add(Line([lhip, rhip], INK))
    d.add(Circle((200, neck[1] - HEAD_R - 4), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    sh_l, sh_r = (170.0, 160.0), (230.0, 160.0)
    d.add(Line([sh_l, sh_r], INK))
    # picture-left leg: planted, thigh toward the viewer (short), shin down
    lknee = (170.0, 284.0) if crossed else (172.0, 270.0)
    lankle = (170.0, FLOOR_Y - 6)
    d.add(Line([lhip, lknee, lankle, (152, FLOOR_Y - 4)], INK))
    if crossed:
        # picture-right leg: knee dropped out, shin across resting above the other knee
        rknee = (296.0, 266.0)
        rankle = (178.0, 276.0)
        d.add(Line([rhip, rknee, rankle, (158, 280)], INK))
        # hands resting on the crossed ankle and knee
        d.add(Line([sh_l, (148, 222), (188, 268)], INK))
        d.add(Line([sh_r, (262, 200), (282, 258)], INK))
    else:
        rknee = (228.0, 270.0)
        d.add(Line([rhip, rknee, (230, FLOOR_Y - 6), (248, FLOOR_Y - 4)], INK))
        d.add(Line([sh_l, (160, 215), (175, 255)], INK))
        d.add(Line([sh_r, (240, 215), (225, 255)], INK))
    return lhip, rhip


def seated_figure_four(d: Drawing) -> None:
    _, rhip = front_seated(d, crossed=True)
    glow(d, (rhip[0] + 16, rhip[1] + 2), 30)


def standing_figure_four(d: Drawing) -> None:
    # desk at the picture-left side for balance, front view
    d.add(Line([(40, 205), (120, 205)], PROP, PROP_W * 1.4))
    d.add(Line([(48, 205), (48, FLOOR_Y)], PROP, PROP_W))
    floor(d)
    pelvis = (200.0, 222.0)
    lhip, rhip = (184.0, 222.0), (216.0, 222.0)
    neck = (206.0, 126.0)
    d.add(Line([pelvis, neck], INK))
    d.add(Line([lhip, rhip], INK))
    d.add(Circle((208, neck[1] - HEAD_R - 4), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    sh_l, sh_r = (176.0, 136.0), (236.0, 136.0)
    d.add(Line([sh_l, sh_r], INK))
    # standing leg: bent knee (sitting back)
    lknee = (176.0, 292.0)
    d.add(Line([lhip, lknee, (186, FLOOR_Y - 6), (166, FLOOR_Y - 4)], INK))
    # crossed leg: knee out, shin across the standing thigh
    rknee = (296.0, 250.0)
    d.add(Line([rhip, rknee, (184, 276), (166, 282)], INK))
    # picture-left hand holds the desk, the other rests on the crossed knee
    d.add(Line([sh_l, (130, 170), (112, 204)], INK))
    d.add(Line([sh_r, (272, 190), (290, 240)], INK))
    glow(d, (rhip[0] + 14, rhip[1] + 4), 30)


def supine_figure_four(d: Drawing) -> None:
    y = FLOOR_Y - 12
    floor(d)
    head = (52.0, y - HEAD_R + 4)
    neck = (76.0, y)
    hip = (176.0, y)
    # far leg: thigh pulled up toward the chest, shin level, sole to the ceiling
    fknee = go(hip, -98, THIGH + 6)
    fankle = go(fknee, 0, SHIN)
    d.add(Line([hip, fknee, fankle, go(fankle, -90, FOOT)], FAR))
    # arm reaches up behind the far thigh
    shoulder = (92.0, y - 2)
    grip = towards(hip, fknee, THIGH * 0.62)
    elbow = knee_between(shoulder, grip, UPPER_ARM, FOREARM, -1)
    d.add(Line([shoulder, elbow, grip], FAR, LIMB_W * 0.85))
    d.add(Line([hip, neck], INK))
    d.add(Circle(head, HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    # near leg: crossed, ankle resting on the far knee, knee pointing out
    nknee = go(hip, -28, THIGH + 4)
    nankle = (fknee[0] + 12, fknee[1] - 2)
    d.add(Line([hip, nknee, nankle, go(nankle, -150, FOOT * 0.8)], INK))
    glow(d, (hip[0] + 10, hip[1] - 12), 30)


def modified_pigeon(d: Drawing) -> None:
    floor(d)
    hip = (196.0, FLOOR_Y - 34)
    # back leg stretched straight behind along the floor, top of the foot down
    bknee = (hip[0] - THIGH, FLOOR_Y - 10)
    bankle = (bknee[0] - SHIN, FLOOR_Y - 6)
    d.add(Line([hip, bknee, bankle, (bankle[0] - 16, FLOOR_Y - 2)], FAR))
    # front leg folded: knee forward on the floor, shin angled back under the body
    fknee = (hip[0] + 66, FLOOR_Y - 8)
    fankle = (hip[0] + 4, FLOOR_Y - 6)
    d.add(Line([hip, fknee, fankle], INK))
    fig = Side(hip, torso=-74)
    s = fig.shoulder()
    hand_far = (s[0] + 62, FLOOR_Y - 6)
    d.add(Line([s, knee_between(s, hand_far, UPPER_ARM, FOREARM, 1), hand_far], FAR))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    hand = (s[0] + 48, FLOOR_Y - 6)
    d.add(Line([s, knee_between(s, hand, UPPER_ARM, FOREARM, 1), hand], INK))
    glow(d, (hip[0] + 4, hip[1] + 2), 30)


def wall_ball_release(d: Drawing) -> None:
    wall(d, 110)
    floor(d)
    hip = (150.0, 218.0)
    ankle_n, ankle_f = (172.0, FLOOR_Y - 8), (182.0, FLOOR_Y - 8)
    fig = Side(hip, torso=-95, near_arm=(100, 70), far_arm=(95, 75))
    fig.near_leg = (0, 0, 0)
    fig.far_leg = (0, 0, 0)
    d.add(Circle((128.0, 222.0), 15, ACCENT, ACCENT, width=3))
    for ankle, colour in ((ankle_f, FAR), (ankle_n, INK)):
        knee = knee_between(hip, ankle, THIGH, SHIN, -1)
        d.add(Line([hip, knee, ankle, (ankle[0] + FOOT, ankle[1] + 2)], colour))
    d.add(Line(fig.arm(fig.far_arm), FAR))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Line(fig.arm(fig.near_arm), INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (136, 222), 32)


def seated(hip: Point, **kw: object) -> Side:
    return Side(hip, **kw)  # type: ignore[arg-type]


def seated_ball_release(d: Drawing) -> None:
    floor(d)
    chair(d, (120, 262), depth=96)
    d.add(Circle((160.0, 248.0), 13, ACCENT, ACCENT, width=3))
    fig = Side((165.0, 230.0), torso=-95, near_arm=(100, 95), far_arm=(95, 90),
               near_leg=(8, 92, 0), far_leg=(12, 88, 0))
    fig.draw(d)
    glow(d, (160, 242), 32)


def floor_ball_release(d: Drawing) -> None:
    floor(d)
    hip = (180.0, FLOOR_Y - 36)
    d.add(Circle((176.0, FLOOR_Y - 14), 14, ACCENT, ACCENT, width=3))
    fig = Side(hip, torso=-120)
    s = fig.shoulder()
    hand = (s[0] - 40, FLOOR_Y - 6)
    # far leg: knee up, foot flat
    fankle = (hip[0] + 100, FLOOR_Y - 8)
    fknee = knee_between(hip, fankle, THIGH, SHIN, -1)
    d.add(Line([hip, fknee, fankle, (fankle[0] + FOOT, FLOOR_Y - 6)], FAR))
    d.add(Line([s, knee_between(s, (hand[0] + 10, hand[1]), UPPER_ARM, FOREARM, 1), hand], FAR))
    d.add(Line([hip, fig.neck()], INK))
    # near leg crossed: ankle on the far knee
    nknee = go(hip, -5, THIGH * 0.95)
    d.add(Line([hip, nknee, (fknee[0] - 4, fknee[1] - 6), (fknee[0] + 14, fknee[1] - 18)], INK))
    d.add(Line([s, knee_between(s, hand, UPPER_ARM, FOREARM, 1), hand], INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (178, FLOOR_Y - 26), 30)


def foam_roller_glute(d: Drawing) -> None:
    floor(d)
    roller = (180.0, FLOOR_Y - 26)
    d.add(Circle(roller, 26, INK, ACCENT, width=4))
    hip = (182.0, FLOOR_Y - 58)
    fig = Side(hip, torso=-122)
    s = fig.shoulder()
    hand = (s[0] - 36, FLOOR_Y - 6)
    fankle = (hip[0] + 108, FLOOR_Y - 8)
    fknee = knee_between(hip, fankle, THIGH, SHIN, -1)
    d.add(Line([hip, fknee, fankle, (fankle[0] + FOOT, FLOOR_Y - 6)], FAR))
    d.add(Line([s, knee_between(s, (hand[0] + 10, hand[1]), UPPER_ARM, FOREARM, 1), hand], FAR))
    d.add(Line([hip, fig.neck()], INK))
    nknee = go(hip, -8, THIGH * 0.95)
    d.add(Line([hip, nknee, (fknee[0] - 4, fknee[1] - 6), (fknee[0] + 14, fknee[1] - 18)], INK))
    d.add(Line([s, knee_between(s, hand, UPPER_ARM, FOREARM, 1), hand], INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    arrow(d, arc(roller, 48, 200, 250), ACCENT, 4)
    arrow(d, arc(roller, 48, 340, 290), ACCENT, 4)


def kneeling_hip_flexor(d: Drawing) -> None:
    floor(d)
    d.add(Line([(100, FLOOR_Y - 4), (160, FLOOR_Y - 4)], PROP, PROP_W * 2.2))  # cushion
    hip = (180.0, 250.0)
    bknee = (140.0, FLOOR_Y - 14)
    d.add(Line([hip, bknee, (bknee[0] - SHIN + 4, FLOOR_Y - 8), (bknee[0] - SHIN - 10,
                                                                   FLOOR_Y - 2)], FAR))
    fankle = (hip[0] + 96, FLOOR_Y - 8)
    fknee = knee_between(hip, fankle, THIGH, SHIN, -1)
    d.add(Line([hip, fknee, fankle, (fankle[0] + FOOT, FLOOR_Y - 6)], INK))
    fig = Side(hip, torso=-92, near_arm=(100, -20), far_arm=(95, -15))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Line(fig.arm((70, 150)), INK))  # hand on the hip
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (hip[0] - 6, hip[1] + 20), 28)
    arrow(d, [(hip[0] - 10, hip[1] - 30), (hip[0] + 26, hip[1] - 30)], ACCENT, 4)


def standing_hip_flexor(d: Drawing) -> None:
    desk(d, 250, 380, monitor=False)
    floor(d)
    hip = (190.0, 200.0)
    bankle = (hip[0] - 95, FLOOR_Y - 20)
    bknee = knee_between(hip, bankle, THIGH, SHIN, 1)
    d.add(Line([hip, bknee, bankle, (bankle[0] + 10, FLOOR_Y - 2)], FAR))
    fankle = (hip[0] + 62, FLOOR_Y - 8)
    fknee = knee_between(hip, fankle, THIGH, SHIN, -1)
    d.add(Line([hip, fknee, fankle, (fankle[0] + FOOT, FLOOR_Y - 6)], INK))
    fig = Side(hip, torso=-92)
    d.add(Line([hip, fig.neck()], INK))
    s = fig.shoulder()
    d.add(Line([s, go(s, 50, UPPER_ARM), (262, 212)], INK))  # hand on the desk
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (hip[0] - 8, hip[1] + 18), 28)


def seated_hamstring(d: Drawing) -> None:
    floor(d)
    chair(d, (110, 262), depth=90)
    hip = (180.0, 250.0)
    fig = Side(hip, torso=-52, near_arm=(80, 50), far_arm=(85, 55),
               near_leg=(30, 30, -60), far_leg=(4, 92, 0))
    # near leg straight out, heel down, toes up
    nankle = (hip[0] + THIGH + SHIN - 6, FLOOR_Y - 12)
    nknee = towards(hip, nankle, THIGH)
    fig.draw(d)
    d.shapes.pop(3)  # replace the default near leg
    d.shapes.insert(3, Line([hip, nknee, nankle, (nankle[0] + 6, nankle[1] - 22)], INK))
    glow(d, (nknee[0] - 16, nknee[1] + 2), 30)


def standing_hamstring(d: Drawing) -> None:
    floor(d)
    hip = (170.0, 205.0)
    fig = Side(hip, torso=-30)
    fankle = (hip[0] + 118, FLOOR_Y - 14)
    fknee = towards(hip, fankle, THIGH)
    bankle = (hip[0] - 6, FLOOR_Y - 8)
    bknee = knee_between(hip, bankle, THIGH, SHIN, -1)
    d.add(Line([hip, bknee, bankle, (bankle[0] + FOOT, FLOOR_Y - 6)], FAR))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Line([hip, fknee, fankle, (fankle[0] + 6, fankle[1] - 22)], INK))
    s = fig.shoulder()
    waist = towards(hip, s, 18)
    d.add(Line([s, knee_between(s, waist, UPPER_ARM, FOREARM, -1), waist], INK))  # hand on hip
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (fknee[0] - 8, fknee[1] - 2), 30)


def seated_knee_hug(d: Drawing) -> None:
    floor(d)
    chair(d, (120, 262), depth=90)
    hip = (165.0, 250.0)
    fig = Side(hip, torso=-95, near_arm=(40, 10), far_arm=(40, 10),
               near_leg=(-48, 90, 0), far_leg=(6, 90, 0))
    fig.draw(d)
    glow(d, (hip[0] - 4, hip[1] + 4), 30)


def glute_squeeze(d: Drawing) -> None:
    """Back view: both buttocks highlighted, squeeze arrows."""
    floor(d)
    pelvis = (200.0, 210.0)
    lhip, rhip = (182.0, 210.0), (218.0, 210.0)
    neck = (200.0, 112.0)
    d.add(Circle((178, 236), 30, None, ACCENT, opacity=0.3))
    d.add(Circle((222, 236), 30, None, ACCENT, opacity=0.3))
    d.add(Line([pelvis, neck], INK))
    d.add(Line([lhip, rhip], INK))
    d.add(Circle((200, neck[1] - HEAD_R - 4), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    sh_l, sh_r = (170.0, 122.0), (230.0, 122.0)
    d.add(Line([sh_l, sh_r], INK))
    d.add(Line([sh_l, (160, 172), (156, 222)], INK))
    d.add(Line([sh_r, (240, 172), (244, 222)], INK))
    d.add(Line([lhip, (176, 282), (172, FLOOR_Y - 6)], INK))
    d.add(Line([rhip, (224, 282), (228, FLOOR_Y - 6)], INK))
    arrow(d, [(110, 236), (142, 236)], ACCENT, 5)
    arrow(d, [(290, 236), (258, 236)], ACCENT, 5)


def chair_stands(d: Drawing) -> None:
    floor(d)
    chair(d, (90, 262), depth=86)
    hip = (168.0, 232.0)
    ankle_n, ankle_f = (226.0, FLOOR_Y - 8), (234.0, FLOOR_Y - 8)
    for ankle, colour in ((ankle_f, FAR), (ankle_n, INK)):
        knee = knee_between(hip, ankle, THIGH, SHIN, -1)
        d.add(Line([hip, knee, ankle, (ankle[0] + FOOT, ankle[1] + 2)], colour))
    fig = Side(hip, torso=-58)
    d.add(Line(fig.arm((-8, -4)), FAR))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Line(fig.arm((0, 0)), INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    glow(d, (hip[0] - 8, hip[1] + 6), 28)
    arrow(d, [(336, 290), (336, 160)], ACCENT, 5)


def walk_break(d: Drawing) -> None:
    floor(d)
    hip = (190.0, 205.0)
    fig = Side(hip, torso=-86, near_arm=(120, 80), far_arm=(60, 95),
               near_leg=(60, 100, 0), far_leg=(118, 150, 60))
    fig.far_leg = (0, 0, 0)
    fig.near_leg = (0, 0, 0)
    f_ankle = (hip[0] - 60, FLOOR_Y - 18)
    n_ankle = (hip[0] + 58, FLOOR_Y - 8)
    fk = knee_between(hip, f_ankle, THIGH, SHIN, 1)
    nk = knee_between(hip, n_ankle, THIGH, SHIN, -1)
    d.add(Line(fig.arm((60, 95)), FAR))
    d.add(Line([hip, fk, f_ankle, (f_ankle[0] + 18, f_ankle[1] + 12)], FAR))
    d.add(Line([hip, fig.neck()], INK))
    d.add(Line([hip, nk, n_ankle, (n_ankle[0] + FOOT, n_ankle[1] + 2)], INK))
    d.add(Line(fig.arm((120, 70)), INK))
    d.add(Circle(fig.head_centre(), HEAD_R, INK, BACKGROUND, width=LIMB_W * 0.8))
    arrow(d, [(280, 120), (350, 120)], ACCENT, 5)
    arrow(d, [(40, 120), (70, 120)], PROP, 4)


def desk_sitter(torso: float = -92) -> Side:
    """The office worker at the desk used by the posture checks."""
    return Side((150.0, 250.0), torso=torso, near_arm=(70, 5), far_arm=(65, 0),
                near_leg=(4, 90, 0), far_leg=(8, 88, 0))


def desk_scene(d: Drawing) -> None:
    floor(d)
    chair(d, (110, 262), depth=86)
    desk(d, 250, 390)


def posture_feet_flat(d: Drawing) -> None:
    desk_scene(d)
    fig = desk_sitter()
    fig.draw(d)
    nfoot = fig.leg(fig.near_leg)
    glow(d, (nfoot[2][0] + 10, nfoot[2][1] + 2), 26)
    arrow(d, [(nfoot[2][0] + 12, 300), (nfoot[2][0] + 12, 328)], ACCENT, 4)


def posture_unslump(d: Drawing) -> None:
    desk_scene(d)
    slump = Side((176.0, 258.0), torso=-112, head=-75, near_arm=(70, 5), far_arm=(65, 0),
                 near_leg=(12, 80, 0), far_leg=(16, 78, 0), colour=FAR, far_colour=FAR,
                 dashed=True)
    slump.draw(d)
    fig = desk_sitter(torso=-97)
    fig.draw(d)
    arrow(d, arc((150.0, 250.0), 125, -126, -108), ACCENT, 5)
    glow(d, (140, 238), 26)


def posture_even_weight(d: Drawing) -> None:
    lhip, rhip = front_seated(d, crossed=False)
    arrow(d, [(lhip[0] - 6, 196), (lhip[0] - 6, 236)], ACCENT, 5)
    arrow(d, [(rhip[0] + 6, 196), (rhip[0] + 6, 236)], ACCENT, 5)
    arrow(d, arc((200.0, 250.0), 80, 200, 160), ACCENT, 4)
    arrow(d, arc((200.0, 250.0), 80, -20, 20), ACCENT, 4)


def posture_unclench(d: Drawing) -> None:
    desk_scene(d)
    fig = desk_sitter()
    fig.draw(d)
    head = fig.head_centre()
    glow(d, (head[0] + 8, head[1] + 12), 18)
    hand = fig.arm(fig.near_arm)[-1]
    glow(d, hand, 20)
    glow(d, (142, 244), 26)


def posture_shoulders(d: Drawing) -> None:
    """Front view, upper body: shoulders up (ghost) and dropped (solid)."""
    neck = (200.0, 170.0)
    hip = (200.0, 330.0)
    d.add(Line([(120, 350), (280, 350)], PROP, PROP_W * 1.4))
    d.add(Line([hip, neck], INK))
    d.add(Circle((200, neck[1] - HEAD_R - 8), HEAD_R * 1.2, INK, BACKGROUND,
                 width=LIMB_W * 0.8))
    # ghost: shrugged
    d.add(Line([(150, 150), (200, 168), (250, 150)], FAR, dashed=True))
    # dropped shoulders and hanging arms
    sh_l, sh_r = (148.0, 190.0), (252.0, 190.0)
    d.add(Line([sh_l, (200, 182), sh_r], INK))
    d.add(Line([sh_l, (136, 260), (140, 325)], INK))
    d.add(Line([sh_r, (264, 260), (260, 325)], INK))
    arrow(d, [(110, 128), (110, 182)], ACCENT, 5)
    arrow(d, [(290, 128), (290, 182)], ACCENT, 5)
    glow(d, sh_l, 22)
    glow(d, sh_r, 22)


POSES: dict[str, Callable[[Drawing], None]] = {
    "seated-figure-four": seated_figure_four,
    "standing-figure-four": standing_figure_four,
    "supine-figure-four": supine_figure_four,
    "modified-pigeon": modified_pigeon,
    "wall-ball-release": wall_ball_release,
    "seated-ball-release": seated_ball_release,
    "floor-ball-release": floor_ball_release,
    "foam-roller-glute": foam_roller_glute,
    "kneeling-hip-flexor": kneeling_hip_flexor,
    "standing-hip-flexor": standing_hip_flexor,
    "seated-hamstring": seated_hamstring,
    "standing-hamstring": standing_hamstring,
    "seated-knee-hug": seated_knee_hug,
    "glute-squeeze": glute_squeeze,
    "chair-stands": chair_stands,
    "walk-break": walk_break,
    "posture-feet-flat": posture_feet_flat,
    "posture-unslump": posture_unslump,
    "posture-even-weight": posture_even_weight,
    "posture-unclench": posture_unclench,
    "posture-shoulders": posture_shoulders,
}


# ---- output -----------------------------------------------------------------------------------


def _dash(points: Sequence[Point], on: float = 14, off: float = 10) -> list[list[Point]]:
    pieces: list[list[Point]] = []
    for a, b in itertools.pairwise(points):
        length = math.dist(a, b)
        t = 0.0
        while t < length:
            end = min(t + on, length)
            pieces.append([towards(a, b, t), towards(a, b, end)])
            t = end + off
    return pieces


def to_svg(drawing: Drawing) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}">',
        f'<rect width="{SIZE}" height="{SIZE}" fill="{BACKGROUND}"/>',
    ]
    for s in drawing.shapes:
        if isinstance(s, Line):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            dash = ' stroke-dasharray="14 10"' if s.dashed else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{s.colour}" '
                f'stroke-width="{s.width:.1f}" stroke-linecap="round" '
                f'stroke-linejoin="round"{dash}/>'
            )
        elif isinstance(s, Circle):
            fill = s.fill or "none"
            stroke = (
                f'stroke="{s.stroke}" stroke-width="{s.width:.1f}"' if s.stroke else 'stroke="none"'
            )
            op = f' opacity="{s.opacity:.2f}"' if s.opacity < 1 else ""
            out.append(
                f'<circle cx="{s.centre[0]:.1f}" cy="{s.centre[1]:.1f}" r="{s.r:.1f}" '
                f'fill="{fill}" {stroke}{op}/>'
            )
        else:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            out.append(f'<polygon points="{pts}" fill="{s.fill}"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _rgb(colour: str, alpha: float = 1.0) -> tuple[int, int, int, int]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), round(255 * alpha))


def to_png(drawing: Drawing, path: Path) -> None:
    k = SUPERSAMPLE * PNG_SIZE / SIZE
    big = SIZE * k
    img = Image.new("RGBA", (round(big), round(big)), _rgb(BACKGROUND))

    def sc(p: Point) -> tuple[float, float]:
        return (p[0] * k, p[1] * k)

    def stroke(draw: ImageDraw.ImageDraw, pts: Sequence[Point], colour: str, width: float) -> None:
        w = max(1, round(width * k))
        scaled = [sc(p) for p in pts]
        draw.line(scaled, fill=_rgb(colour), width=w, joint="curve")
        for x, y in scaled:  # round caps and joints
            draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=_rgb(colour))

    for s in drawing.shapes:
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        if isinstance(s, Line):
            for piece in _dash(s.points) if s.dashed else [list(s.points)]:
                stroke(draw, piece, s.colour, s.width)
            img.alpha_composite(layer)
        elif isinstance(s, Circle):
            (cx, cy), r = sc(s.centre), s.r * k
            box = (cx - r, cy - r, cx + r, cy + r)
            if s.fill:
                draw.ellipse(box, fill=_rgb(s.fill))
            if s.stroke:
                w = s.width * k
                outer = (cx - r - w / 2, cy - r - w / 2, cx + r + w / 2, cy + r + w / 2)
                draw.ellipse(outer, outline=_rgb(s.stroke), width=round(w))
            if s.opacity < 1:
                alpha = layer.getchannel("A").point(lambda v, o=s.opacity: round(v * o))
                layer.putalpha(alpha)
            img.alpha_composite(layer)
        else:
            draw.polygon([sc(p) for p in s.points], fill=_rgb(s.fill))
            img.alpha_composite(layer)
    small = img.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS).convert("RGB")
    small.save(path, optimize=True)


def fit(drawing: Drawing, margin: float = 22, max_scale: float = 1.4) -> Drawing:
    """Centre the picture and enlarge small ones, so every image fills its frame alike."""
    xs: list[float] = []
    ys: list[float] = []
    for s in drawing.shapes:
        if isinstance(s, Circle):
            xs += [s.centre[0] - s.r, s.centre[0] + s.r]
            ys += [s.centre[1] - s.r, s.centre[1] + s.r]
        else:
            xs += [p[0] for p in s.points]
            ys += [p[1] for p in s.points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    room = SIZE - 2 * margin
    k = min(max_scale, room / max(x1 - x0, 1), room / max(y1 - y0, 1))
    dx = SIZE / 2 - k * (x0 + x1) / 2
    dy = SIZE / 2 - k * (y0 + y1) / 2

    def t(p: Point) -> Point:
        return (p[0] * k + dx, p[1] * k + dy)

    out = Drawing()
    for s in drawing.shapes:
        if isinstance(s, Line):
            out.add(Line([t(p) for p in s.points], s.colour, s.width, s.dashed))
        elif isinstance(s, Circle):
            out.add(Circle(t(s.centre), s.r * k, s.stroke, s.fill, s.width, s.opacity))
        else:
            out.add(Poly([t(p) for p in s.points], s.fill))
    return out


def main(argv: Sequence[str]) -> int:
    """Arguments: pose names to redraw (default all); ``--out DIR`` writes elsewhere."""
    args = list(argv)
    out_dir = Path(__file__).resolve().parent
    if "--out" in args:
        i = args.index("--out")
        out_dir = Path(args[i + 1])
        del args[i : i + 2]
        out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(args) or set(POSES)
    for name, pose in POSES.items():
        if name not in wanted:
            continue
        drawing = Drawing()
        pose(drawing)
        drawing = fit(drawing)
        (out_dir / f"{name}.svg").write_text(to_svg(drawing), encoding="utf-8")
        to_png(drawing, out_dir / f"{name}.png")
        print(out_dir / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
