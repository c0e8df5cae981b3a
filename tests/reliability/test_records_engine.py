"""The engine's side of right records: a Done break is the hold, a start at an empty desk opens
no span; and the card's reported hold is a checked number before it gets there."""

from __future__ import annotations

import logging

import pytest

from sitbreak.adapters.card import parse_reply
from sitbreak.engine import Engine, Policy
from sitbreak.engine import commands as c
from sitbreak.engine import events as e

POL = Policy(stretch_every=1800, posture_every=0, away_after=300, present_within=60)


def _records(out: list[c.Command]) -> list[tuple[object, ...]]:
    keep: list[tuple[object, ...]] = []
    for x in out:
        if isinstance(x, c.SittingSpan):
            keep.append(("span", x.start, x.end))
        elif isinstance(x, c.BreakRecorded):
            keep.append(("break", x.from_, x.to, x.cause))
    return keep


def test_done_break_is_the_hold_and_the_span_ends_where_it_began() -> None:
    eng = Engine(POL, start_at=0.0)
    for t in range(10, 1001, 100):  # typing steadily from 10 s
        eng.handle(e.Input(float(t)))
    assert _records(eng.handle(e.Done(1100.0, held_s=60.0))) == [
        ("break", 1040.0, 1100.0, "done"), ("span", 10.0, 1040.0)]
    assert eng.sit_start == 1100.0


def test_a_hold_longer_than_the_span_is_cut_to_it() -> None:
    eng = Engine(POL, start_at=0.0)
    eng.handle(e.Input(100.0))
    assert _records(eng.handle(e.Done(130.0, held_s=500.0))) == [
        ("break", 100.0, 130.0, "done"), ("span", 100.0, 100.0)]


def test_a_done_from_the_notification_has_no_hold() -> None:
    eng = Engine(POL, start_at=0.0)
    for t in range(0, 900, 100):
        eng.handle(e.Input(float(t)))
    assert _records(eng.handle(e.Done(900.0))) == [
        ("break", 900.0, 900.0, "done"), ("span", 0.0, 900.0)]


def test_a_start_at_an_empty_desk_opens_no_span() -> None:
    eng = Engine(POL, start_at=5000.0)
    out = eng.handle(e.IdleSample(5000.0, idle_s=3600.0))
    assert _records(out) == []
    assert eng.status().presence == "away"
    assert eng.sit_start is None
    out = eng.handle(e.IdleSample(5600.0, idle_s=2.0))  # back
    assert _records(out) == [("break", 1400.0, 5598.0, "away")]
    assert eng.sit_start == 5598.0


def test_a_start_with_fresh_input_sits_at_once() -> None:
    eng = Engine(POL, start_at=5000.0)
    eng.handle(e.IdleSample(5000.0, idle_s=20.0))
    assert eng.sit_start == 4980.0
    assert eng.status().presence == "sitting"


@pytest.mark.parametrize(("held", "taken"), [
    ("45.5", 45.5), ("0", 0.0), ("NaN", 0.0), ("Infinity", 0.0), ("-5", 0.0), ("1e308", 0.0),
    ('"45"', 0.0), ("true", 0.0), ("9" * 400, 0.0),
])
def test_the_cards_hold_is_finite_and_in_range(held: str, taken: float,
                                               caplog: pytest.LogCaptureFixture) -> None:
    line = f'{{"answer": "done", "item": "x", "held_s": {held}}}'.encode()
    assert parse_reply(line) == ("done", taken)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == (0 if held in ("45.5", "0") else 1)
    assert all(len(w) < 200 for w in warnings)
