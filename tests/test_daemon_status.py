"""`sitbreak status` reads true in every state: the daemon's status dict and its text, from a
real engine driven into each state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from sitbreak.daemon.control_commands import status_dict
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.protocol import format_status
from sitbreak.daemon.wiring import Parts
from sitbreak.engine import Engine, parse_working_hours
from sitbreak.engine import events as e
from tests.engine_timeline import MIN, policy, typing

NO_POSTURE = policy(posture_every=0)


@dataclass
class FakeClock:
    t: float = 0.0

    def now(self) -> float:
        return self.t


@dataclass
class State:
    engine: Engine
    clocks: FakeClock = field(default_factory=FakeClock)

    def at(self, t: float) -> tuple[dict[str, Any], str]:
        """Wake the engine at its deadlines up to ``t``, then read status as the daemon does."""
        d = self.engine.next_deadline()
        while d is not None and d <= t:
            self.engine.handle(e.Tick(d))
            d = self.engine.next_deadline()
        self.clocks.t = t
        rt = SimpleNamespace(
            require_engine=lambda: self.engine, clocks=self.clocks,
            parts=Parts(idle=None, notifier=TerminalNotifier(), card=NoCard()),
            nudges=SimpleNamespace(deferred=None), policy=self.engine.policy,
            records=SimpleNamespace(breaks=0, last_break=None), config_notes=())
        st = status_dict(rt)  # type: ignore[arg-type]
        return st, format_status(st)


def drive(events: list[e.Event], pol: Any = NO_POSTURE, start: datetime | None = None) -> State:
    eng = Engine(pol, 0.0, start)
    for ev in sorted(events, key=lambda x: x.at):
        d = eng.next_deadline()
        while d is not None and d <= ev.at:
            eng.handle(e.Tick(d))
            d = eng.next_deadline()
        eng.handle(ev)
    return State(eng)


def test_sitting() -> None:
    st, text = drive(typing(0, 10 * MIN)).at(10 * MIN)
    assert (st["presence"], st["sitting_s"], st["next_nudge_in_s"]) == ("sitting", 600.0, 1200.0)
    assert "Sitting:    10 min" in text and "Next nudge: stretch in 20 min" in text


@pytest.mark.parametrize("later", [0, 5 * MIN, 60 * MIN])
def test_away_sitting_time_stands_still_and_no_next_nudge(later: float) -> None:
    state = drive(typing(0, 29 * MIN))
    st, text = state.at(29 * MIN + 200 + later)  # gone since 29:00, the stretch was due at 30:00
    assert st["presence"] == "away"
    assert st["sitting_s"] == 29 * 60.0  # not rising
    assert st["next_nudge_in_s"] is None and st["next_nudge_kind"] is None
    assert "Presence:   away (sat 29 min before)" in text
    assert "Next nudge: none while away" in text
    assert " 0 s" not in text and "-" not in text.split("Next nudge:")[1].splitlines()[0]


def test_locked_no_next_posture() -> None:
    st, text = drive([*typing(0, 2 * MIN), e.Lock(2 * MIN + 1)], pol=policy()).at(2 * MIN + 30)
    assert (st["presence"], st["next_nudge_in_s"], st["next_nudge_kind"]) == ("locked", None, None)
    assert "posture" not in text and "Next nudge: none while locked" in text


def test_asleep() -> None:
    st, text = drive([*typing(0, 2 * MIN), e.Sleep(2 * MIN + 1)]).at(90 * MIN)
    assert (st["presence"], st["sitting_s"], st["next_nudge_in_s"]) == ("asleep", 120.0, None)
    assert "Next nudge: none while asleep" in text


def test_standing_is_not_sitting() -> None:
    st, text = drive([*typing(0, 2 * MIN), e.Stand(2 * MIN), *typing(2 * MIN + 5, 4 * MIN)]).at(
        4 * MIN)
    assert (st["presence"], st["standing"], st["next_nudge_in_s"]) == ("standing", True, None)
    assert "Presence:   standing" in text and "Standing:   yes" in text
    assert "sitting" not in text.lower().split("standing:")[0].replace("presence:   standing", "")


def test_paused() -> None:
    st, text = drive([e.Input(0), e.Pause(10, for_s=30 * MIN), *typing(20, 5 * MIN)]).at(5 * MIN)
    assert (st["paused"], st["next_nudge_in_s"]) == (True, None)
    assert "Paused:     yes, 25 min left" in text and "Next nudge: none scheduled" in text


def test_in_a_call_the_due_stretch_waits_for_its_end() -> None:
    st, text = drive([*typing(0, 25 * MIN), e.CallStart(25 * MIN)]).at(35 * MIN)
    assert (st["presence"], st["in_call"], st["next_nudge_waits"]) == ("sitting", True, "call")
    assert st["next_nudge_in_s"] == 0.0  # due: never negative
    assert "Sitting:    35 min · in a call" in text
    assert "Next nudge: stretch after the call" in text


def test_due_stretch_waiting_for_input() -> None:
    st, text = drive(typing(0, 28 * MIN + 40)).at(30 * MIN + 30)
    assert (st["next_nudge_in_s"], st["next_nudge_waits"]) == (0.0, "input")
    assert "Next nudge: stretch when you next type or move the mouse" in text


def test_outside_working_hours() -> None:
    pol = policy(posture_every=0, working_hours=parse_working_hours("mon-fri 08:00-18:00"))
    st, text = drive(typing(0, 10 * MIN), pol, datetime(2026, 11, 23, 7, 0)).at(10 * MIN)
    assert (st["next_nudge_in_s"], st["in_working_hours"]) == (50 * 60.0, False)
    assert "Next nudge: stretch in 50 min" in text and "Outside working hours" in text


def test_nudge_on_screen() -> None:
    st, text = drive(typing(0, 31 * MIN)).at(31 * MIN)
    assert st["nudge_kind"] == "stretch" and st["next_nudge_in_s"] == 9 * 60.0
    assert "On screen:  stretch" in text
