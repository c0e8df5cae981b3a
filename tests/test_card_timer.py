"""The card's hold timer without a window: what the big line says as time passes."""

from __future__ import annotations

import json

import pytest

from sitbreak.card.answer import EXIT_CODES, answer_line, parse_answer
from sitbreak.card.timer import HoldTimer, build_phases
from sitbreak.content import load_library


@pytest.fixture(scope="module")
def items():
    return load_library(with_user=False).items


def test_two_sided_hold_left_switch_right_done(items):
    t = HoldTimer(build_phases(items["seated-figure-four"]))
    assert (t.headline(), t.hint()) == ("Left side 30 s", "Space to start")
    assert t.advance(10) == []  # not started: time does not count
    t.toggle()
    assert t.advance(10) == []
    assert t.headline() == "Left side 20 s"
    finished = t.advance(20)
    assert [p.label for p in finished] == ["Left side"]
    assert t.headline() == "Switch: right side 30 s"
    assert t.hint() == "Change legs · starting in 5"
    t.advance(5)
    assert t.headline() == "Right side 30 s"
    t.advance(29.5)
    assert t.headline() == "Right side 1 s"
    assert [p.label for p in t.advance(1)] == ["Right side"]
    assert t.done
    assert t.headline() == "Done"
    assert t.held_s == pytest.approx(60)
    assert not t.running


def test_the_picture_side_follows_the_timer(items):
    """The card shows the mirrored picture from the switch on (and keeps it when done)."""
    t = HoldTimer(build_phases(items["seated-figure-four"]))
    sides = [t.side]
    t.toggle()
    for _ in range(70):
        t.advance(1)
        sides.append(t.side)
    assert sides[:30] == [0] * 30  # the left side's 30 s hold
    assert sides[30:] == [1] * 41  # the switch pause, the right side, done
    one_sided = HoldTimer(build_phases(items["chair-stands"]))
    one_sided.toggle()
    assert {one_sided.side for _ in range(80) if one_sided.advance(1) is not None} == {0}


def test_pause_stops_the_clock(items):
    t = HoldTimer(build_phases(items["seated-figure-four"]))
    t.toggle()
    t.advance(12)
    t.toggle()
    assert t.hint() == "Paused · Space to continue"
    t.advance(100)
    assert t.headline() == "Left side 18 s"
    assert t.held_s == pytest.approx(12)
    t.toggle()
    t.advance(3)
    assert t.headline() == "Left side 15 s"


def test_one_big_step_crosses_several_phases(items):
    t = HoldTimer(build_phases(items["seated-figure-four"]))
    t.toggle()
    finished = t.advance(1000)
    assert [p.kind for p in finished] == ["hold", "switch", "hold"]
    assert t.done
    assert t.held_s == pytest.approx(60)  # the switch pause is not counted as holding


def test_reps_with_rests(items):
    squeeze = items["glute-squeeze"]
    phases = build_phases(squeeze)
    assert [p.label for p in phases[:4]] == ["Squeeze 1/8", "Relax", "Squeeze 2/8", "Relax"]
    assert len([p for p in phases if p.kind == "hold"]) == 8
    t = HoldTimer(phases)
    t.toggle()
    t.advance(5)
    assert (t.headline(), t.hint()) == ("Relax 3 s", "Let go and breathe")


def test_scaled_timer_still_shows_the_real_seconds(items):
    t = HoldTimer(build_phases(items["seated-figure-four"], scale=0.1))
    t.toggle()
    t.advance(1.0)  # a third of the scaled 3 s side
    assert t.headline() == "Left side 20 s"
    t.advance(2.0 + 0.5 + 3.0)
    assert t.done
    assert t.held_s == pytest.approx(6.0)


def test_long_holds_show_minutes(items):
    t = HoldTimer(build_phases(items["walk-break"]))
    assert t.headline() == "Walk 3:00"
    t.toggle()
    t.advance(61)
    assert t.headline() == "Walk 1:59"


def test_answer_line_round_trip():
    line = answer_line("snooze", "walk-break", 12.345, False)
    assert json.loads(line) == {"answer": "snooze", "item": "walk-break", "held_s": 12.3,
                                "completed": False}
    assert parse_answer(line) == ("snooze", "walk-break", 12.3, False)
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    with pytest.raises(ValueError, match="unknown card answer"):
        parse_answer('{"answer": "maybe", "item": "x", "held_s": 0}')
