"""Every rule of the engine as a timeline: events at times → what the user sees."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from sitbreak.engine import EngineError, parse_working_hours
from sitbreak.engine import events as e
from tests.engine_timeline import MIN, Run, policy, typing

NO_POSTURE = policy(posture_every=0)


# -- sitting and away ------------------------------------------------------------------------


def test_sitting_starts_at_first_input_and_short_gaps_still_count_as_sitting():
    # Reading pauses of 2.5 min (< away_after 3 min) between bursts: one span, nudge at 30 min
    # after the *first* input.
    events = []
    t = 100.0
    while t < 100 + 32 * MIN:
        events += typing(t, t + 60, every=10)
        t += 60 + 150  # 150 s reading
    run = Run(NO_POSTURE).feed(events)
    assert run.breaks() == []
    assert run.nudges()[0] == (100 + 30 * MIN, "stretch")
    assert run.shows()[0].sitting_s == 30 * MIN


def test_no_input_for_away_after_is_a_break_back_dated_to_the_last_input():
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN), *typing(20 * MIN, 25 * MIN)])
    assert run.breaks() == [(10 * MIN, 20 * MIN, "away")]
    assert run.spans() == [(0, 10 * MIN)]
    # The sitting clock restarted at the return: no nudge 30 min after the first input.
    run.feed(typing(25 * MIN + 20, 55 * MIN))
    assert run.nudges() == [(50 * MIN, "stretch")]


def test_gap_of_exactly_away_after_is_a_break_and_one_second_less_is_not():
    run = Run(NO_POSTURE).feed([e.Input(0), e.Input(179), e.Input(359)])
    assert run.breaks() == [(179, 359, "away")]
    run2 = Run(NO_POSTURE).feed([e.Input(0), e.Input(179), e.Input(358.5)])
    assert run2.breaks() == []


def test_shown_nudge_is_withdrawn_when_the_user_leaves():
    run = Run(NO_POSTURE).feed(typing(0, 31 * MIN), until=40 * MIN)
    assert run.nudges() == [(30 * MIN, "stretch")]
    assert run.withdrawals() == [(31 * MIN + 180, "away")]
    assert run.answers() == [(31 * MIN + 180, "stretch", "ignored")]


def test_next_deadline_is_exactly_when_the_user_would_count_as_away():
    run = Run(NO_POSTURE).feed([e.Input(0), e.Input(50)])
    assert run.engine.next_deadline() == 50 + 180


# -- lock, sleep, clock jumps ----------------------------------------------------------------


def test_lock_withdraws_at_once_and_a_long_lock_is_a_lock_break():
    run = Run(NO_POSTURE).feed([*typing(0, 31 * MIN), e.Lock(31 * MIN + 5),
                                e.Unlock(80 * MIN), *typing(80 * MIN + 3, 85 * MIN)])
    assert run.withdrawals() == [(31 * MIN + 5, "lock")]
    assert run.breaks() == [(31 * MIN, 80 * MIN + 3, "lock")]


def test_lock_shorter_than_away_after_credits_no_break_and_keeps_the_sitting_clock():
    run = Run(NO_POSTURE).feed([*typing(0, 20 * MIN), e.Lock(20 * MIN + 2),
                                e.Unlock(20 * MIN + 60), *typing(20 * MIN + 70, 31 * MIN)])
    assert run.breaks() == []
    assert run.nudges() == [(30 * MIN, "stretch")]


def test_no_nudge_while_locked_and_it_comes_after_a_short_lock():
    # Stretch due at 30:00 falls inside a 100 s lock: shown at the first input after unlock.
    run = Run(NO_POSTURE).feed([*typing(0, 29 * MIN + 40), e.Lock(29 * MIN + 50),
                                e.Unlock(31 * MIN + 10), e.Input(31 * MIN + 15)])
    assert run.nudges() == [(31 * MIN + 15, "stretch")]
    assert run.breaks() == []


def test_sleep_is_a_sleep_break_and_no_stale_nudges_burst_after_wake():
    run = Run().feed([*typing(0, 25 * MIN), e.Sleep(25 * MIN + 10),
                      e.Wake(9 * 60 * MIN), *typing(9 * 60 * MIN + 30, 9 * 60 * MIN + 10 * MIN)])
    assert run.breaks() == [(25 * MIN, 9 * 60 * MIN + 30, "sleep")]
    # Only the posture check from before the sleep; nothing fired on waking.
    assert run.nudges() == [(15 * MIN, "posture")]


def test_clock_jump_without_sleep_event_counts_as_sleep():
    # The engine clock saw only 20 s pass, but the wall clock says 2 h went by: a sleep break.
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN), e.ClockJump(10 * MIN + 20, 7200),
                                e.Input(10 * MIN + 25)])
    assert run.breaks() == [(10 * MIN, 10 * MIN + 25, "sleep")]


def test_small_clock_jump_is_not_a_break():
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN), e.ClockJump(10 * MIN + 5, 30),
                                e.Input(10 * MIN + 30)])
    assert run.breaks() == []


# -- stretch nudges and answers -------------------------------------------------------------


def test_unanswered_stretch_nudge_repeats_every_repeat_after_with_the_same_item():
    run = Run(NO_POSTURE).feed(typing(0, 55 * MIN))
    shows = run.shows()
    assert [(s.at, s.repeat) for s in shows] == [(30 * MIN, False), (40 * MIN, True),
                                                  (50 * MIN, True)]
    assert len({s.item for s in shows}) == 1


def test_snooze_brings_the_nudge_back_snooze_after_the_answer():
    run = Run(NO_POSTURE).feed([*typing(0, 45 * MIN), e.Snooze(31 * MIN)])
    assert run.nudges() == [(30 * MIN, "stretch"), (41 * MIN, "stretch")]
    assert run.answers()[0] == (31 * MIN, "stretch", "snoozed")


def test_skip_restarts_the_stretch_clock_without_a_break():
    run = Run(NO_POSTURE).feed([*typing(0, 65 * MIN), e.Skip(31 * MIN)])
    assert run.breaks() == []
    assert run.nudges() == [(30 * MIN, "stretch"), (61 * MIN, "stretch")]
    assert run.answers()[0][2] == "skipped"


def test_done_credits_a_break_and_restarts_sitting():
    run = Run(NO_POSTURE).feed([*typing(0, 65 * MIN), e.Done(32 * MIN)])
    assert run.breaks() == [(32 * MIN, 32 * MIN, "done")]
    assert run.spans() == [(0, 32 * MIN)]
    assert run.nudges() == [(30 * MIN, "stretch"), (62 * MIN, "stretch")]
    assert run.shows()[1].sitting_s == 30 * MIN


def test_stretch_now_shows_a_nudge_at_once_even_when_paused():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.Pause(60), e.StretchNow(2 * MIN)])
    assert run.nudges() == [(2 * MIN, "stretch")]


def test_clicking_through_without_answering_is_recorded_as_clicked():
    run = Run(NO_POSTURE).feed([*typing(0, 31 * MIN), e.Opened(30 * MIN + 5)], until=40 * MIN)
    assert run.answers() == [(31 * MIN + 180, "stretch", "clicked")]


def test_items_rotate_without_immediate_repeats():
    run = Run(policy(posture_every=0, repeat_after=60 * MIN)).feed(
        [x for k in range(6) for x in (*typing(k * 31 * MIN, k * 31 * MIN + 30 * MIN),
                                       e.Done(k * 31 * MIN + 30 * MIN + 1))])
    items = [s.item for s in run.shows()]
    assert len(items) == 6
    assert all(a != b for a, b in itertools.pairwise(items))


# -- posture checks --------------------------------------------------------------------------


def test_posture_check_midway_through_each_stretch_cycle():
    run = Run().feed(typing(0, 61 * MIN))
    assert run.nudges() == [(15 * MIN, "posture"), (30 * MIN, "stretch"), (40 * MIN, "stretch"),
                            (50 * MIN, "stretch"), (60 * MIN, "stretch")]


def test_posture_checks_at_every_multiple_and_none_while_stretch_unanswered():
    run = Run(policy(posture_every=10 * MIN)).feed([*typing(0, 65 * MIN), e.Done(31 * MIN)])
    assert run.nudges() == [(10 * MIN, "posture"), (20 * MIN, "posture"), (30 * MIN, "stretch"),
                            (41 * MIN, "posture"), (51 * MIN, "posture"), (61 * MIN, "stretch")]


def test_posture_every_zero_turns_posture_checks_off():
    run = Run(policy(posture_every=0)).feed(typing(0, 29 * MIN))
    assert run.nudges() == []


# -- nudge when ready ------------------------------------------------------------------------


def test_nudge_due_while_idle_waits_for_the_next_input():
    # Idle (a call) from 28:40; due at 30:00; the user types again at 31:30.
    run = Run(NO_POSTURE).feed([*typing(0, 28 * MIN + 40), e.Input(31 * MIN + 30)])
    assert run.nudges() == [(31 * MIN + 30, "stretch")]


def test_waiting_nudge_is_dropped_if_the_user_turns_out_to_be_away():
    run = Run(NO_POSTURE).feed([*typing(0, 28 * MIN + 40), e.Input(40 * MIN)])
    assert run.nudges() == []
    assert run.breaks() == [(28 * MIN + 40, 40 * MIN, "away")]


def test_idle_sample_counts_as_input_at_the_time_the_counter_implies():
    # No input events at all: each counter reading implies when the last input was.
    pol = policy(posture_every=0, recheck=5.0)
    run = Run(pol).feed([e.IdleSample(0, 0), e.IdleSample(170, 20), e.IdleSample(320, 200)])
    assert run.breaks() == []  # last input 150; at 320 that is 170 s ago, under away_after
    run.feed([e.IdleSample(600, 190)])  # input at 410: a 260 s gap after 150
    assert run.breaks() == [(150, 410, "away")]


def test_a_reading_on_the_away_deadline_does_not_call_an_active_user_away():
    # Found by the daemon's end-to-end tests: the counter read exactly at the away deadline
    # shows recent input, so the nudge on screen must stay.
    from sitbreak.engine import Engine, Policy

    eng = Engine(Policy(stretch_every=60, posture_every=0, away_after=3, present_within=2,
                        recheck=1), start_at=100)
    eng.handle(e.IdleSample(at=100, idle_s=1.0))
    eng.handle(e.StretchNow(at=100.4))
    deadline = eng.next_deadline()
    assert deadline == 102.0
    out = eng.handle(e.IdleSample(at=deadline, idle_s=0.2))
    assert not [x for x in out if type(x).__name__ in ("WithdrawNudge", "NudgeAnswered")]
    assert eng.status().nudge_kind == "stretch"


def test_sampled_mode_asks_to_be_woken_while_a_due_nudge_waits():
    pol = policy(posture_every=0, recheck=5.0)
    run = Run(pol).feed([*typing(0, 28 * MIN + 40)], until=30 * MIN)
    assert run.nudges() == []
    assert run.engine.next_deadline() == pytest.approx(30 * MIN + 5)
    # Input-driven mode (the replay) needs no such wake-ups.
    run2 = Run(policy(posture_every=0)).feed([*typing(0, 28 * MIN + 40)], until=30 * MIN)
    assert run2.engine.next_deadline() == 28 * MIN + 40 + 180


# -- pause, standing, hours, config ----------------------------------------------------------


def test_pause_holds_nudges_but_sitting_is_still_tracked():
    run = Run(NO_POSTURE).feed([e.Input(0), e.Pause(10, for_s=60 * MIN), *typing(20, 50 * MIN)])
    assert run.nudges() == []
    assert run.engine.status().sitting_since == 0
    run.feed(typing(50 * MIN + 20, 62 * MIN))
    # The stretch nudge that fell due during the pause comes once it ends.
    assert run.nudges() == [(60 * MIN + 10, "stretch")]
    assert run.periods() == [("pause", 10, 60 * MIN + 10)]


def test_pause_until_resumed_and_resume():
    run = Run(NO_POSTURE).feed([e.Input(0), e.Pause(10), *typing(20, 40 * MIN), e.Resume(35 * MIN)])
    assert run.nudges() == [(35 * MIN, "stretch")]


def test_pause_until_tomorrow_lasts_until_local_midnight():
    start = datetime(2026, 11, 23, 16, 0)
    run = Run(NO_POSTURE, start_local=start).feed([e.Input(0), e.Pause(60, until_tomorrow=True)])
    assert run.engine.status().paused_until == 8 * 3600


def test_standing_holds_nudges_and_sitting_down_starts_a_new_span():
    run = Run(NO_POSTURE).feed([*typing(0, 20 * MIN), e.Stand(20 * MIN), *typing(20 * MIN, 60 * MIN),
                                e.Sit(60 * MIN), *typing(60 * MIN, 95 * MIN)])
    assert run.spans() == [(0, 20 * MIN)]
    assert run.periods() == [("stand", 20 * MIN, 60 * MIN)]
    assert run.nudges() == [(90 * MIN, "stretch")]


def test_no_nudges_outside_working_hours_and_a_due_one_comes_when_they_start():
    pol = policy(posture_every=0, working_hours=parse_working_hours("mon-fri 08:00-18:00"))
    start = datetime(2026, 11, 23, 7, 0)  # Monday 07:00
    run = Run(pol, start_local=start).feed(typing(0, 65 * MIN))
    assert run.nudges() == [(60 * MIN, "stretch")]  # 08:00, though due since 07:30
    saturday = datetime(2026, 11, 28, 10, 0)
    run2 = Run(pol, start_local=saturday).feed(typing(0, 70 * MIN))
    assert run2.nudges() == []


def test_config_change_moves_the_next_nudge():
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN),
                                e.ConfigChanged(10 * MIN, policy(posture_every=0,
                                                                 stretch_every=20 * MIN)),
                                *typing(10 * MIN + 20, 21 * MIN)])
    assert run.nudges() == [(20 * MIN, "stretch")]


def test_state_changes_are_reported_only_when_something_visible_changes():
    run = Run(NO_POSTURE).feed(typing(0, 10 * MIN, every=1))
    assert len(run.states()) == 1  # 600 inputs, one state change (started sitting)
    assert run.states()[0].presence == "sitting"


def test_time_going_backwards_is_refused():
    run = Run().feed([e.Input(10)])
    with pytest.raises(EngineError):
        run.engine.handle(e.Lock(5))
