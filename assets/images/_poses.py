"""One drawing per library item, each doing the RIGHT side (see _figures.py for the rules).

Side views face right, so the figure's right limbs are the near ones ("near_leg"); in front
views the figure's right is the picture's left ("left_leg"). make_images.py mirrors each
two-sided drawing for the left side, which the card shows first.
"""

from __future__ import annotations

from collections.abc import Callable

from _figures import (
    DESK,
    DESK_DARK,
    FLOOR_Y,
    SHIN,
    THIGH,
    Figure,
    arrow,
    ball,
    chair_back_front,
    chair_seat_front,
    chair_side,
    curved_arrow,
    cushion,
    desk_end,
    desk_side,
    floor,
    front_view,
    mat,
    muscle,
    number,
    roller,
    side_marker,
    side_view,
    wall,
)
from _shapes import (
    Drawing,
    Point,
    Poly,
    angle_of,
    go,
    joint_between,
    place,
    rounded_rect,
    towards,
)

Pose = Callable[[Drawing], None]

STAND_HIP = FLOOR_Y - 9 - SHIN - THIGH + 4  # hip height of someone standing (knees soft)
SEAT_Y = 262.0  # top of a chair seat
SIT_HIP = SEAT_Y - 13


def _along(a: Point, b: Point, t: float, out: float = 0.0) -> Point:
    """A point ``t`` (0..1) of the way from a to b, moved ``out`` to the left of a->b."""
    ang = angle_of(a, b)
    return go(go(a, ang, t * ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5), ang - 90, out)


# ---- standard bodies --------------------------------------------------------------------------


def standing(hip: Point, torso: float = -90, near_ankle: Point | None = None,
             far_ankle: Point | None = None) -> Figure:
    f = side_view(hip, torso)
    f.leg_to("far", hip, far_ankle or (hip[0] + 6, FLOOR_Y - 8), 1, 0)
    f.leg_to("near", hip, near_ankle or (hip[0] - 2, FLOOR_Y - 8), 1, 0)
    return f


def hands_on_hips(f: Figure) -> Figure:
    hip = f.joints["hip"]
    torso = angle_of(hip, f.joints["near_shoulder"])
    f.arm_to("far", go(go(hip, torso, 26), torso + 90, 8), 1)
    f.arm_to("near", go(go(hip, torso, 24), torso + 90, 12), 1)
    return f


def arms_down(f: Figure, swing: float = 0.0) -> Figure:
    f.arm_angles("far", 90 - swing, 90 - swing * 1.3)
    f.arm_angles("near", 90 + swing, 90 + swing * 0.6)
    return f


def sitter(hip: Point = (170.0, SIT_HIP), torso: float = -91) -> Figure:
    """On a chair in profile, feet flat, hands on the thighs."""
    f = side_view(hip, torso)
    f.leg_angles("far", hip, 3, 92, 0)
    f.leg_angles("near", hip, -1, 91, 0)
    f.arm_to("far", go(hip, -4, 58), -1)
    f.arm_to("near", go(hip, -2, 52), -1)
    return f


def at_desk(d: Drawing, chair_x: float = 104, desk_x: float = 250) -> None:
    floor(d)
    chair_side(d, chair_x, SEAT_Y)
    desk_side(d, desk_x, 392)


def typist(hip: Point = (160.0, SIT_HIP), torso: float = -92) -> Figure:
    """At the desk, hands on the keyboard."""
    f = side_view(hip, torso)
    f.leg_angles("far", hip, 4, 88, 0)
    f.leg_angles("near", hip, 0, 86, 0)
    f.arm_to("far", (262.0, 216.0), -1)
    f.arm_to("near", (256.0, 216.0), -1)
    return f


# ---- figure-four family -----------------------------------------------------------------------


def _front_sitter(crossed: bool) -> Figure:
    """On a chair facing the viewer; ``crossed``: the right leg (picture-left) in a figure-four,
    leaning forward a little."""
    f = front_view((200.0, 250.0), lean=0.84 if crossed else 1.0)
    j = f.joints
    rhip, lhip = j["left_hip"], j["right_hip"]  # the figure's right is the picture's left
    f.leg("right", lhip, (219.0, 270.0), (221.0, FLOOR_Y - 9), 75, foot_len=12)
    if crossed:
        f.leg("left", rhip, (132.0, 246.0), (212.0, 258.0), -18, z=6, foot_len=22)
        f.arm_to("left", (138.0, 236.0), -1, z=7)
        f.arm_to("right", (214.0, 248.0), 1, z=7)
    else:
        f.leg("left", rhip, (181.0, 270.0), (179.0, FLOOR_Y - 9), 105, foot_len=12)
        f.arm_to("left", (176.0, 262.0), -1)
        f.arm_to("right", (224.0, 262.0), 1)
    return f


def seated_figure_four(d: Drawing) -> None:
    floor(d, 80, 320)
    chair_back_front(d, 200, SEAT_Y)
    chair_seat_front(d, 200, SEAT_Y)
    _front_sitter(crossed=False).ghost(d)
    f = _front_sitter(crossed=True)
    f.draw(d, work={"left_leg"})
    muscle(d, (172.0, 244.0), 7, 12, 10)
    knee = f.joints["left_knee"]
    curved_arrow(d, knee, 36, 250, 172)
    side_marker(d, (104.0, 306.0), go(knee, 95, 9))


def _front_stander(crossed: bool) -> Figure:
    pelvis = (196.0, STAND_HIP + (26 if crossed else 0))
    f = front_view(pelvis, lean=0.95 if crossed else 1.0)
    j = f.joints
    stand_hip = j["right_hip"]
    if crossed:
        f.leg("right", stand_hip, (216.0, pelvis[1] + 64), (212.0, FLOOR_Y - 9), 70,
              foot_len=12)
        f.leg("left", j["left_hip"], (128.0, pelvis[1] - 4), (210.0, pelvis[1] + 40), -20, z=6,
              foot_len=22)
        f.arm_to("left", go(f.joints["left_knee"], -30, 6), -1, z=7)
    else:
        f.leg("right", stand_hip, (212.0, pelvis[1] + 80), (211.0, FLOOR_Y - 9), 70,
              foot_len=12)
        f.leg("left", j["left_hip"], (181.0, pelvis[1] + 80), (181.0, FLOOR_Y - 9), 110,
              foot_len=12)
        f.arm_to("left", go(j["left_hip"], 180, 12), -1)
    f.arm_to("right", (268.0, 218.0), 1)
    return f


def standing_figure_four(d: Drawing) -> None:
    floor(d, 60, 340)
    desk_end(d, 262, 336)
    _front_stander(crossed=False).ghost(d)
    f = _front_stander(crossed=True)
    f.draw(d, work={"left_leg"})
    hip = f.joints["left_hip"]
    muscle(d, (hip[0] - 14, hip[1] + 4), 12, 9, -10)
    arrow(d, [(150.0, 96.0), (150.0, 134.0)])
    side_marker(d, (96.0, 288.0), go(f.joints["left_knee"], 110, 8))


def _supine(hip: Point, crossed: bool) -> Figure:
    f = side_view(hip, 180, chest=0.8)
    if crossed:
        far_knee = go(hip, -93, THIGH)
        f.leg("far", hip, far_knee, go(far_knee, -2, SHIN - 4), -92)
        near_knee = (hip[0] + 64, hip[1] - 38)
        f.leg("near", hip, near_knee, go(far_knee, 75, 16), 190, foot_len=20)
        grip = _along(hip, far_knee, 0.55)
        f.arm_to("far", go(grip, 180, 6), -1)
        f.arm_to("near", go(grip, 180, 2), -1)
    else:
        for side in ("far", "near"):
            f.leg_to(side, hip, (hip[0] + 132, FLOOR_Y - 9), 1, 0)
        f.arm_angles("far", 14, 4)
        f.arm_angles("near", 10, 2)
    return f


def supine_figure_four(d: Drawing) -> None:
    floor(d, 20, 380)
    mat(d, 30, 350)
    hip = (200.0, FLOOR_Y - 22)
    _supine(hip, crossed=False).ghost(d)
    f = _supine(hip, crossed=True)
    f.draw(d, work={"near_leg"})
    muscle(d, (hip[0] + 4, hip[1] + 2), 14, 10, 0)
    curved_arrow(d, hip, 118, -56, -84)
    side_marker(d, (316.0, 230.0), go(f.joints["near_knee"], 20, 10))


def modified_pigeon(d: Drawing) -> None:
    floor(d, 10, 390)
    mat(d, 20, 370)
    # start: on hands and knees
    g = side_view((150.0, 262.0), -2, head=-40)
    for side, dx in (("far", 4), ("near", 0)):
        g.leg("near" if side == "near" else "far", (150.0, 262.0), (150.0 + dx, FLOOR_Y - 11),
              (74.0 + dx, FLOOR_Y - 8), 180)
        g.arm_to(side, (236.0 + dx, FLOOR_Y - 6), -1)
    g.ghost(d)
    hip = (196.0, FLOOR_Y - 30)
    f = side_view(hip, -58, head=-50)
    f.leg("far", hip, (122.0, FLOOR_Y - 10), (46.0, FLOOR_Y - 8), 182)
    knee = (266.0, FLOOR_Y - 11)
    f.leg("near", hip, knee, (222.0, FLOOR_Y - 10), 170, foot_len=16)
    f.arm_to("far", (310.0, FLOOR_Y - 6), 1)
    f.arm_to("near", (302.0, FLOOR_Y - 6), 1)
    f.draw(d, work={"near_leg"})
    muscle(d, go(hip, 196, 10), 13, 10, 20)
    side_marker(d, (300.0, 268.0), go(knee, -100, 10))


# ---- ball and roller releases -------------------------------------------------------------------


def wall_ball_release(d: Drawing) -> None:
    floor(d, 40, 360)
    wall(d, 118)
    ball_c = (133.0, STAND_HIP + 20)
    hip_start = (160.0, STAND_HIP - 8)
    g = standing(hip_start, -93, (176.0, FLOOR_Y - 8), (182.0, FLOOR_Y - 8))
    arms_down(g).ghost(d)
    hip = (160.0, STAND_HIP + 14)
    f = standing(hip, -94, (188.0, FLOOR_Y - 8), (194.0, FLOOR_Y - 8))
    hands_on_hips(f)
    f.draw(d)
    muscle(d, (ball_c[0] + 10, ball_c[1] - 12), 9, 15, 20)
    ball(d, ball_c)
    arrow(d, [(hip[0] + 62, hip[1] - 4), (hip[0] + 62, hip[1] - 40)])
    arrow(d, [(hip[0] + 62, hip[1] + 4), (hip[0] + 62, hip[1] + 40)])
    side_marker(d, (92.0, 120.0), go(ball_c, -120, 14))


def seated_ball_release(d: Drawing) -> None:
    floor(d)
    chair_side(d, 108, SEAT_Y)
    sitter((168.0, SIT_HIP)).ghost(d)
    hip = (168.0, SIT_HIP - 16)
    f = side_view(hip, -86)
    f.leg_to("far", hip, (hip[0] + 84, FLOOR_Y - 9), 1, 0)
    f.leg_to("near", hip, (hip[0] + 80, FLOOR_Y - 9), 1, 0)
    f.arm_to("far", (134.0, SEAT_Y - 2), 1)
    f.arm_to("near", (204.0, SEAT_Y - 2), -1)
    f.draw(d)
    ball_c = (hip[0] - 4, SEAT_Y - 12)
    muscle(d, (hip[0] - 2, hip[1] - 2), 15, 10)
    ball(d, ball_c)
    side_marker(d, (70.0, 300.0), go(ball_c, 200, 14))


def _floor_sitter(hip: Point, crossed: bool, torso: float = -122) -> Figure:
    f = side_view(hip, torso, head=-100)
    far_knee = joint_between(hip, (hip[0] + 112, FLOOR_Y - 9), THIGH, SHIN, 1)
    f.leg_to("far", hip, (hip[0] + 112, FLOOR_Y - 9), 1, 0)
    if crossed:
        f.leg("near", hip, (hip[0] + 58, hip[1] + 2), go(far_knee, -170, 6), -40, z=7,
              foot_len=22)
    else:
        f.leg_to("near", hip, (hip[0] + 108, FLOOR_Y - 9), 1, 0)
    f.arm_to("far", (hip[0] - 66, FLOOR_Y - 5), 1)
    f.arm_to("near", (hip[0] - 60, FLOOR_Y - 5), 1)
    return f


def floor_ball_release(d: Drawing) -> None:
    floor(d)
    hip = (180.0, FLOOR_Y - 40)
    _floor_sitter((180.0, FLOOR_Y - 20), crossed=False).ghost(d)
    f = _floor_sitter(hip, crossed=True)
    f.draw(d, work={"near_leg"})
    muscle(d, (hip[0] - 6, hip[1] + 4), 14, 9)
    ball(d, (hip[0] - 2, FLOOR_Y - 13))
    side_marker(d, (300.0, 200.0), go(f.joints["near_knee"], -60, 10))


def foam_roller_glute(d: Drawing) -> None:
    floor(d)
    hip = (184.0, FLOOR_Y - 62)
    _floor_sitter((184.0, FLOOR_Y - 20), crossed=False).ghost(d)
    f = _floor_sitter(hip, crossed=True, torso=-128)
    f.draw(d, work={"near_leg"})
    muscle(d, (hip[0] - 6, hip[1] + 6), 14, 9)
    roller(d, (hip[0] - 2, FLOOR_Y - 27))
    curved_arrow(d, (hip[0] - 2, FLOOR_Y - 27), 42, 120, 165)
    curved_arrow(d, (hip[0] - 2, FLOOR_Y - 27), 42, 60, 15)
    side_marker(d, (306.0, 180.0), go(f.joints["near_knee"], -60, 10))


# ---- hip flexors and hamstrings -----------------------------------------------------------------


def _kneeler(hip: Point) -> Figure:
    knee = (150.0, FLOOR_Y - 12)
    f = side_view(hip, -91)
    f.leg("near", hip, knee, (76.0, FLOOR_Y - 9), 182)
    f.leg_to("far", hip, (262.0, FLOOR_Y - 8), 1, 0)
    return hands_on_hips(f)


def kneeling_hip_flexor(d: Drawing) -> None:
    floor(d)
    cushion(d, 150)
    _kneeler((150.0, 258.0)).ghost(d)
    hip = (180.0, 262.0)
    f = _kneeler(hip)
    f.draw(d, work={"near_leg"})
    along = angle_of(hip, f.joints["near_knee"])
    muscle(d, go(go(hip, along, 16), along - 90, 4), 15, 6.5, along)
    arrow(d, [(hip[0] - 82, hip[1] - 10), (hip[0] - 42, hip[1] - 10)])
    side_marker(d, (84.0, 292.0), go(f.joints["near_knee"], -150, 10))


def standing_hip_flexor(d: Drawing) -> None:
    floor(d)
    desk_side(d, 268, 392, monitor=False)
    g = standing((176.0, STAND_HIP), -90)
    g.arm_to("far", (272.0, 218.0), -1)
    g.arm_to("near", (268.0, 220.0), -1)
    g.ghost(d)
    hip = (180.0, STAND_HIP + 16)
    f = side_view(hip, -90)
    f.leg_to("far", hip, (238.0, FLOOR_Y - 8), 1, 0)
    back_ankle = (92.0, FLOOR_Y - 24)
    f.leg_to("near", hip, back_ankle, 1, 52)
    f.arm_to("far", (276.0, 218.0), -1)
    f.arm_to("near", (270.0, 220.0), -1)
    f.draw(d, work={"near_leg"})
    along = angle_of(hip, f.joints["near_knee"])
    muscle(d, go(go(hip, along, 18), along - 90, 3), 16, 6.5, along)
    arrow(d, [(hip[0] - 78, hip[1] - 60), (hip[0] - 78, hip[1] - 20)])
    side_marker(d, (70.0, 250.0), go(f.joints["near_knee"], -160, 10))


def seated_hamstring(d: Drawing) -> None:
    floor(d)
    chair_side(d, 108, SEAT_Y)
    hip = (176.0, SIT_HIP)
    sitter(hip).ghost(d)
    f = side_view(hip, -54)
    f.leg_angles("far", hip, 2, 94, 0)
    ankle = (hip[0] + 146, FLOOR_Y - 8)
    knee = towards(hip, ankle, THIGH)
    f.leg("near", hip, knee, ankle, -64)
    f.arm_to("far", go(hip, -2, 64), -1)
    f.arm_to("near", go(hip, 6, 72), -1)
    f.draw(d, work={"near_leg"})
    along = angle_of(hip, knee)
    muscle(d, go(go(hip, along, 46), along + 90, 4), 24, 7, along)
    curved_arrow(d, hip, 118, -94, -62)
    side_marker(d, (300.0, 256.0), go(knee, along + 90, 12))


def standing_hamstring(d: Drawing) -> None:
    floor(d)
    hands_on_hips(standing((170.0, STAND_HIP), -90)).ghost(d)
    hip = (168.0, STAND_HIP + 14)
    f = side_view(hip, -34)
    f.leg_to("far", hip, (168.0, FLOOR_Y - 8), 1, 0)
    ankle = towards(hip, (hip[0] + 120, FLOOR_Y - 12), THIGH + SHIN - 2)
    knee = towards(hip, ankle, THIGH)
    f.leg("near", hip, knee, ankle, -62)
    hands_on_hips(f)
    f.draw(d, work={"near_leg"})
    along = angle_of(hip, knee)
    muscle(d, go(go(hip, along, 48), along + 90, 4), 24, 7, along)
    curved_arrow(d, hip, 112, -92, -44)
    side_marker(d, (300.0, 200.0), go(knee, along - 90, 12))


def seated_knee_hug(d: Drawing) -> None:
    floor(d)
    chair_side(d, 108, SEAT_Y)
    hip = (170.0, SIT_HIP)
    g = sitter(hip)
    g.leg_angles("near", hip, -1, 78, 0)
    g.ghost(d)
    f = side_view(hip, -96)
    f.leg_angles("far", hip, 3, 100, 0)
    knee = go(hip, -50, THIGH)
    f.leg("near", hip, knee, go(knee, 86, SHIN), 4)
    grip = go(knee, 88, 16)
    f.arm_to("far", go(grip, 0, 3), 1)
    f.arm_to("near", grip, 1)
    f.draw(d, work={"near_leg"})
    muscle(d, go(hip, 196, 8), 12, 9, 20)
    curved_arrow(d, hip, 100, -8, -40)
    side_marker(d, (300.0, 150.0), go(knee, -40, 10))


# ---- movement ---------------------------------------------------------------------------------


def _walker(hip: Point, stride: float) -> Figure:
    f = side_view(hip, -86)
    f.leg_to("far", hip, (hip[0] - stride, FLOOR_Y - 10), 1, 40 if stride > 0 else 0)
    f.leg_to("near", hip, (hip[0] + stride, FLOOR_Y - 10), 1, -20 if stride > 0 else 0)
    return arms_down(f, -24 if stride > 0 else 24)


def walk_break(d: Drawing) -> None:
    floor(d)
    chair_side(d, 20, SEAT_Y, depth=70)
    _walker((170.0, STAND_HIP + 6), -40).ghost(d)
    hip = (236.0, STAND_HIP + 6)
    f = _walker(hip, 44)
    f.draw(d)
    muscle(d, go(hip, 200, 8), 12, 9, 20)
    arrow(d, [(hip[0] + 44, 92.0), (hip[0] + 96, 92.0)])


def _back_view(at: Point) -> Figure:
    f = front_view(at)
    j = f.joints
    f.leg("left", j["left_hip"], (at[0] - 14, at[1] + 80), (at[0] - 15, FLOOR_Y - 9), 100,
          foot_len=10)
    f.leg("right", j["right_hip"], (at[0] + 14, at[1] + 80), (at[0] + 15, FLOOR_Y - 9), 80,
          foot_len=10)
    f.arm_to("left", (at[0] - 22, at[1] - 30), -1)
    f.arm_to("right", (at[0] + 22, at[1] - 30), 1)
    return f


def glute_squeeze(d: Drawing) -> None:
    """Two frames, seen from behind: relaxed, then both buttocks squeezed."""
    floor(d, 20, 380)
    _back_view((110.0, STAND_HIP)).draw(d)
    arrow(d, [(180.0, 86.0), (220.0, 86.0)], width=3.5)
    hip = (290.0, STAND_HIP)
    _back_view(hip).draw(d)
    for dx in (-11, 11):
        muscle(d, (hip[0] + dx, hip[1] + 10), 9, 12)
    arrow(d, [(hip[0] - 60, hip[1] + 12), (hip[0] - 30, hip[1] + 12)], width=4)
    arrow(d, [(hip[0] + 60, hip[1] + 12), (hip[0] + 30, hip[1] + 12)], width=4)


def chair_stands(d: Drawing) -> None:
    floor(d)
    chair_side(d, 100, SEAT_Y)
    g = side_view((168.0, SIT_HIP), -58)
    g.leg_to("far", (168.0, SIT_HIP), (226.0, FLOOR_Y - 8), 1, 0)
    g.leg_to("near", (168.0, SIT_HIP), (222.0, FLOOR_Y - 8), 1, 0)
    g.arm_to("far", (222.0, SIT_HIP - 6), -1)
    g.arm_to("near", (218.0, SIT_HIP - 6), -1)
    g.ghost(d)
    hip = (212.0, STAND_HIP)
    f = standing(hip, -90, (222.0, FLOOR_Y - 8), (226.0, FLOOR_Y - 8))
    arms_down(f)
    f.draw(d)
    muscle(d, go(hip, 200, 8), 12, 9, 20)
    arrow(d, [(290.0, 270.0), (290.0, 200.0)])


def _squatter(hip: Point, torso: float) -> Figure:
    f = side_view(hip, torso)
    f.leg_to("far", hip, (190.0, FLOOR_Y - 8), 1, 0)
    f.leg_to("near", hip, (186.0, FLOOR_Y - 8), 1, 0)
    f.arm_to("far", (276.0, 218.0), -1)
    f.arm_to("near", (272.0, 220.0), -1)
    return f


def half_squats(d: Drawing) -> None:
    floor(d)
    desk_side(d, 266, 392, monitor=True)
    _squatter((184.0, STAND_HIP), -88).ghost(d)
    hip = (148.0, STAND_HIP + 42)
    f = _squatter(hip, -58)
    f.draw(d)
    muscle(d, go(hip, 170, 10), 12, 10, 40)
    arrow(d, [(104.0, 150.0), (104.0, 220.0)])
    arrow(d, [(84.0, 220.0), (84.0, 150.0)])


def _on_toes(hip: Point, raised: float) -> Figure:
    f = side_view(hip, -90)
    for side, dx in (("far", 6), ("near", 0)):
        ankle = (hip[0] - 4 + dx, FLOOR_Y - 8 - raised)
        foot = 58 if raised else 0
        f.leg(side, hip, joint_between(hip, ankle, THIGH, SHIN, 1), ankle, foot, foot_len=24)
    f.arm_to("far", (246.0, SEAT_Y - 92), -1)
    f.arm_to("near", (240.0, SEAT_Y - 90), -1)
    return f


def calf_raises(d: Drawing) -> None:
    floor(d)
    chair_side(d, 250, SEAT_Y, depth=80)
    _on_toes((176.0, STAND_HIP), 0).ghost(d)
    f = _on_toes((176.0, STAND_HIP - 18), 18)
    f.draw(d)
    knee, ankle = f.joints["near_knee"], f.joints["near_ankle"]
    muscle(d, go(_along(knee, ankle, 0.3), 180, 6), 5.5, 15, -4)
    arrow(d, [(ankle[0] - 26, FLOOR_Y - 6), (ankle[0] - 26, FLOOR_Y - 52)])


def _marcher(hip: Point, lift: bool) -> Figure:
    f = side_view(hip, -90)
    f.leg_to("far", hip, (hip[0] + 4, FLOOR_Y - 8), 1, 0)
    if lift:
        knee = go(hip, -6, THIGH)
        f.leg("near", hip, knee, go(knee, 96, SHIN), 10)
    else:
        f.leg_to("near", hip, (hip[0], FLOOR_Y - 8), 1, 0)
    f.arm_to("far", (270.0, 220.0), -1)
    return arms_down_near(f, 20 if lift else 0)


def arms_down_near(f: Figure, swing: float) -> Figure:
    f.arm_angles("near", 90 + swing, 90 + swing)
    return f


def knee_raises(d: Drawing) -> None:
    floor(d)
    desk_side(d, 262, 392, monitor=False)
    _marcher((162.0, STAND_HIP), lift=False).ghost(d)
    hip = (180.0, STAND_HIP)
    f = _marcher(hip, lift=True)
    f.draw(d)
    along = angle_of(hip, f.joints["near_knee"])
    muscle(d, go(go(hip, along, 16), along - 90, 3), 14, 6.5, along)
    knee = f.joints["near_knee"]
    arrow(d, [(knee[0] + 30, knee[1] + 70), (knee[0] + 30, knee[1] + 14)])


def seated_marching(d: Drawing) -> None:
    floor(d)
    chair_side(d, 108, SEAT_Y)
    hip = (170.0, SIT_HIP)
    g = sitter(hip)
    g.leg_angles("near", hip, -1, 78, 0)
    g.ghost(d)
    f = side_view(hip, -92)
    f.leg_angles("far", hip, 3, 100, 0)
    knee = go(hip, -22, THIGH)
    f.leg("near", hip, knee, go(knee, 96, SHIN), 0)
    f.arm_to("far", (130.0, SEAT_Y - 2), 1)
    f.arm_to("near", (140.0, SEAT_Y - 2), 1)
    f.draw(d)
    along = angle_of(hip, knee)
    muscle(d, go(go(hip, along, 18), along - 90, 3), 14, 6.5, along)
    arrow(d, [(knee[0] + 26, knee[1] + 64), (knee[0] + 26, knee[1] + 10)])


def desk_circuit(d: Drawing) -> None:
    """Four small panels, numbered in the order of the steps."""
    panels: list[tuple[str, Pose]] = [
        ("1", half_squats), ("2", calf_raises), ("3", _squeeze_side), ("4", knee_raises)]
    for n, (digit, pose) in enumerate(panels):
        sub = Drawing()
        pose(sub)
        x, y = (n % 2) * 200.0, (n // 2) * 200.0
        place(d, sub, (x, y), 0.5)
        number(d, (x + 22, y + 26), digit)


def _squeeze_side(d: Drawing) -> None:
    floor(d)
    hip = (190.0, STAND_HIP)
    f = arms_down(standing(hip, -90))
    f.draw(d)
    muscle(d, go(hip, 196, 9), 13, 11, 20)
    arrow(d, [(hip[0] - 62, hip[1] + 4), (hip[0] - 34, hip[1] + 4)])


# ---- posture checks ---------------------------------------------------------------------------


def posture_feet_flat(d: Drawing) -> None:
    at_desk(d)
    hip = (160.0, SIT_HIP)
    g = side_view(hip, -92)
    g.leg_angles("far", hip, 4, 88, 0)
    knee = go(hip, -14, THIGH)
    g.leg("near", hip, knee, go(knee, 60, SHIN), 30)
    g.arm_to("far", (262.0, 216.0), -1)
    g.ghost(d)
    f = typist(hip)
    f.draw(d)
    for side in ("far", "near"):
        ankle = f.joints[f"{side}_ankle"]
        muscle(d, (ankle[0] + 10, FLOOR_Y - 3), 16, 4.5)
    ankle = f.joints["near_ankle"]
    arrow(d, [(ankle[0] + 40, ankle[1] - 70), (ankle[0] + 40, ankle[1] - 18)])


def posture_unslump(d: Drawing) -> None:
    at_desk(d)
    g = side_view((196.0, SIT_HIP + 2), -118, head=-70)
    g.leg_angles("far", (196.0, SIT_HIP + 2), 14, 80, 0)
    g.leg_angles("near", (196.0, SIT_HIP + 2), 10, 80, 0)
    g.arm_to("near", (250.0, 216.0), -1)
    g.ghost(d)
    hip = (146.0, SIT_HIP)
    f = typist(hip, -94)
    f.draw(d)
    muscle(d, go(go(hip, -94, 28), -184, 12), 7, 16, 0)
    arrow(d, [(210.0, SEAT_Y + 30), (160.0, SEAT_Y + 30)])


def posture_even_weight(d: Drawing) -> None:
    floor(d, 80, 320)
    chair_back_front(d, 200, SEAT_Y)
    chair_seat_front(d, 200, SEAT_Y)
    g = front_view((196.0, 250.0), torso=-104)
    _front_legs(g)
    g.arm_to("left", (172.0, 284.0), -1)
    g.arm_to("right", (232.0, 250.0), 1)
    g.ghost(d)
    f = _front_seated()
    f.draw(d)
    for dx in (-13, 13):
        muscle(d, (200 + dx, 259.0), 11, 5)
    curved_arrow(d, (200.0, 250.0), 92, -106, -132)
    curved_arrow(d, (200.0, 250.0), 92, -74, -48)


def _front_seated(shrug: float = 0.0) -> Figure:
    f = front_view((200.0, 250.0), shrug=shrug)
    _front_legs(f)
    f.arm_to("left", (172.0, 286.0 - shrug), -1)
    f.arm_to("right", (228.0, 286.0 - shrug), 1)
    return f


def _front_legs(f: Figure) -> None:
    j = f.joints
    f.leg("left", j["left_hip"], (181.0, 270.0), (179.0, FLOOR_Y - 9), 105, foot_len=12)
    f.leg("right", j["right_hip"], (219.0, 270.0), (221.0, FLOOR_Y - 9), 75, foot_len=12)


def posture_unclench(d: Drawing) -> None:
    at_desk(d)
    hip = (160.0, SIT_HIP)
    g = side_view(hip, -86, head=-60)
    g.leg_angles("far", hip, 4, 88, 0)
    g.leg_angles("near", hip, 0, 86, 0)
    g.arm_to("near", (252.0, 212.0), -1)
    g.ghost(d)
    f = typist(hip)
    f.draw(d)
    head = f.joints["head"]
    muscle(d, go(head, 60, 12), 7, 6)
    muscle(d, f.joints["near_hand"], 8, 8)
    muscle(d, go(hip, 196, 8), 12, 9, 20)


def _upper_body(shrug: float) -> Figure:
    f = front_view((200.0, 330.0), shoulders=27, shrug=shrug)
    f.arm_to("left", (164.0, 346.0), -1)
    f.arm_to("right", (236.0, 346.0), 1)
    return f


def posture_shoulders(d: Drawing) -> None:
    """Upper body at the desk, front view: shoulders lifted (ghost), then dropped."""
    _upper_body(shrug=24).ghost(d)
    f = _upper_body(shrug=0)
    f.draw(d)
    d.add(Poly(rounded_rect(70, 300, 330, 352, 6), DESK))  # the desk's front, hiding the lap
    d.add(Poly(rounded_rect(70, 300, 330, 312, 5), DESK_DARK))
    for side, sign in (("left", 1), ("right", -1)):
        s = f.joints[f"{side}_shoulder"]
        muscle(d, (s[0] + 10 * sign, s[1] - 9), 13, 5.5, -20 * sign)
    arrow(d, [(118.0, 196.0), (118.0, 240.0)])
    arrow(d, [(282.0, 196.0), (282.0, 240.0)])


POSES: dict[str, Pose] = {
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
    "walk-break": walk_break,
    "glute-squeeze": glute_squeeze,
    "chair-stands": chair_stands,
    "half-squats": half_squats,
    "calf-raises": calf_raises,
    "knee-raises": knee_raises,
    "seated-marching": seated_marching,
    "desk-circuit": desk_circuit,
    "posture-feet-flat": posture_feet_flat,
    "posture-unslump": posture_unslump,
    "posture-even-weight": posture_even_weight,
    "posture-unclench": posture_unclench,
    "posture-shoulders": posture_shoulders,
}

# Pictures of a part of the body may be enlarged more than whole-body ones.
MAX_SCALE: dict[str, float] = {"posture-shoulders": 1.5}

# What each picture shows, when not the usual ghosted start plus solid end position.
FRAMES: dict[str, str] = {
    "glute-squeeze": "two frames: relaxed, squeezed",
    "desk-circuit": "four numbered panels, each a ghosted start and its end",
}
