"""Calls, meetings and videos are sitting: presence evidence beyond keyboard and mouse, as
timelines (events at times → what the user sees)."""

from __future__ import annotations

from datetime import datetime

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from sitbreak.engine import parse_working_hours
from tests.engine_timeline import MIN, Run, policy, typing

NO_POSTURE = policy(posture_every=0)


# -- a call keeps a silent user sitting -------------------------------------------------------


def test_listening_silently_through_a_call_is_not_a_break():
    # Typing until 10:00, a call from 10:10 to 40:00 without a single input, typing again.
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN), e.CallStart(10 * MIN + 10),
                                e.CallEnd(40 * MIN), *typing(40 * MIN + 5, 45 * MIN)])
    assert run.breaks() == []
    assert run.engine.status().sitting_since == 0


def test_the_same_silence_without_a_call_is_a_break():
    run = Run(NO_POSTURE).feed([*typing(0, 10 * MIN), *typing(40 * MIN + 5, 45 * MIN)])
    assert run.breaks() == [(10 * MIN, 40 * MIN + 5, "away")]


def test_a_call_found_on_the_away_deadline_keeps_the_user_sitting():
    # A camera is only looked at when it matters: at the away deadline itself.
    run = Run(NO_POSTURE).feed([e.Input(0), e.Input(60)])
    deadline = run.engine.next_deadline()
    assert deadline == 60 + 180
    # the runtime reads the camera before it ticks the engine at that deadline
    run.log.extend(run.engine.handle(e.CallStart(deadline)))
    run.log.extend(run.engine.handle(e.Tick(deadline)))
    run.feed([e.CallEnd(30 * MIN), e.Input(30 * MIN + 10)])
    assert run.breaks() == []


def test_a_call_does_not_bring_back_someone_who_already_left():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.CallStart(20 * MIN), e.CallEnd(25 * MIN),
                                e.Input(26 * MIN)])
    assert run.breaks() == [(5 * MIN, 26 * MIN, "away")]


def test_leaving_right_after_a_call_is_a_break_from_the_end_of_the_call():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.CallStart(5 * MIN + 30),
                                e.CallEnd(25 * MIN), e.Input(40 * MIN)])
    assert run.breaks() == [(25 * MIN, 40 * MIN, "away")]
    assert run.spans() == [(0, 25 * MIN)]


def test_a_lock_during_a_call_is_still_away():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.CallStart(6 * MIN), e.Lock(10 * MIN),
                                e.Unlock(30 * MIN), e.CallEnd(31 * MIN), e.Input(31 * MIN + 5)])
    assert run.breaks() == [(10 * MIN, 31 * MIN + 5, "lock")]
    # a short lock during a call credits nothing, as without a call
    run2 = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.CallStart(6 * MIN), e.Lock(10 * MIN),
                                 e.Unlock(11 * MIN), e.CallEnd(20 * MIN), e.Input(20 * MIN + 5)])
    assert run2.breaks() == []


def test_sleep_during_a_call_is_still_away():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.CallStart(6 * MIN), e.Sleep(8 * MIN),
                                e.Wake(60 * MIN), e.Input(61 * MIN)])
    assert run.breaks() == [(8 * MIN, 61 * MIN, "sleep")]


def test_a_call_counts_for_at_most_call_max():
    # A microphone left open all afternoon: after call_max the normal rule applies again.
    pol = policy(posture_every=0, call_max=60 * MIN)
    run = Run(pol).feed([*typing(0, 5 * MIN), e.CallStart(5 * MIN)], until=3 * 60 * MIN)
    assert run.engine.status().presence == "away"
    run.feed([e.Input(3 * 60 * MIN)])
    assert run.breaks() == [(65 * MIN, 180 * MIN, "away")]
    assert run.engine.status().in_call is False  # still open, but no longer believed


def test_nudges_come_again_once_a_call_passes_call_max():
    pol = policy(posture_every=0, call_max=60 * MIN)
    run = Run(pol).feed([e.Input(0), e.CallStart(10), *typing(20, 70 * MIN)])
    assert run.nudges() == [(60 * MIN + 10, "stretch")]


# -- no nudge during a call; the stretch comes right after ------------------------------------


def test_a_stretch_due_during_a_call_comes_right_after_it():
    # Due at 30:00 inside a call 25:00–50:00 with typing throughout (notes): nothing on screen;
    # the hang-up click at 50:00 brings it at once.
    run = Run(NO_POSTURE).feed([*typing(0, 25 * MIN), e.CallStart(25 * MIN),
                                *typing(25 * MIN + 20, 49 * MIN + 40), e.CallEnd(50 * MIN),
                                e.Input(50 * MIN), *typing(50 * MIN + 20, 52 * MIN)])
    assert run.nudges() == [(50 * MIN, "stretch")]
    assert run.shows()[0].sitting_s == 50 * MIN


def test_after_a_silent_call_the_stretch_waits_for_the_first_input():
    run = Run(NO_POSTURE).feed([*typing(0, 25 * MIN), e.CallStart(25 * MIN + 10),
                                e.CallEnd(50 * MIN), e.Input(50 * MIN + 40)])
    assert run.nudges() == [(50 * MIN + 40, "stretch")]


def test_a_nudge_on_screen_goes_when_a_call_starts_and_repeats_after_it():
    run = Run(NO_POSTURE).feed([*typing(0, 31 * MIN), e.CallStart(31 * MIN + 5),
                                e.CallEnd(55 * MIN), *typing(55 * MIN + 2, 57 * MIN)])
    assert run.withdrawals() == [(31 * MIN + 5, "call")]
    shows = run.shows()
    assert [(s.at, s.repeat) for s in shows] == [(30 * MIN, False), (55 * MIN + 2, True)]
    assert shows[0].item == shows[1].item


def test_posture_checks_due_during_a_call_are_dropped():
    run = Run(policy(posture_every=10 * MIN)).feed(
        [*typing(0, 5 * MIN), e.CallStart(5 * MIN), e.CallEnd(25 * MIN), *typing(25 * MIN, 29 * MIN)])
    assert run.nudges() == []  # the checks at 10:00 and 20:00 fell inside the call


def test_stretch_now_during_a_call_is_still_shown():
    run = Run(NO_POSTURE).feed([e.Input(0), e.CallStart(10), e.StretchNow(60)])
    assert run.nudges() == [(60, "stretch")]


# -- idle inhibitors -------------------------------------------------------------------------


def test_a_video_holding_the_idle_inhibitor_is_sitting():
    run = Run(NO_POSTURE).feed([*typing(0, 5 * MIN), e.InhibitStart(5 * MIN + 10),
                                e.InhibitEnd(25 * MIN), *typing(25 * MIN + 30, 28 * MIN)])
    assert run.breaks() == []


def test_inhibitors_can_be_told_not_to_count():
    pol = policy(posture_every=0, inhibitors_count_as_sitting=False)
    run = Run(pol).feed([*typing(0, 5 * MIN), e.InhibitStart(5 * MIN + 10),
                         e.InhibitEnd(25 * MIN), *typing(25 * MIN + 30, 28 * MIN)])
    assert run.breaks() == [(5 * MIN, 25 * MIN + 30, "away")]


def test_nudges_behave_as_usual_while_an_inhibitor_is_held():
    run = Run(NO_POSTURE).feed([e.Input(0), e.InhibitStart(5), *typing(10, 31 * MIN)])
    assert run.nudges() == [(30 * MIN, "stretch")]


# -- engine corrections found in replays of office days --------------------------------------


def test_after_a_short_lock_the_repeat_still_waits_for_repeat_after():
    # Shown at 30:00, unanswered; a 60 s lock at 36:00; back at the desk at 37:00.
    run = Run(NO_POSTURE).feed([*typing(0, 36 * MIN), e.Lock(36 * MIN + 1), e.Unlock(37 * MIN),
                                *typing(37 * MIN + 2, 45 * MIN)])
    assert run.breaks() == []
    assert [(s.at, s.repeat) for s in run.shows()] == [(30 * MIN, False), (40 * MIN, True)]


def test_at_the_start_of_working_hours_only_the_stretch_comes():
    pol = policy(working_hours=parse_working_hours("mon-fri 08:00-18:00"))
    run = Run(pol, start_local=datetime(2026, 11, 23, 7, 0)).feed(typing(0, 61 * MIN))
    # posture (07:15) and stretch (07:30) both due at 08:00: one nudge, the stretch
    assert run.nudges() == [(60 * MIN, "stretch")]


def test_a_snoozed_nudge_comes_back_with_the_same_stretch():
    run = Run(NO_POSTURE).feed([*typing(0, 45 * MIN), e.Snooze(31 * MIN)])
    first, again = run.shows()
    assert again.at == 41 * MIN
    assert again.item == first.item


def test_a_new_stretch_cycle_picks_a_new_item():
    run = Run(NO_POSTURE).feed([*typing(0, 65 * MIN), e.Skip(31 * MIN)])
    first, second = run.shows()
    assert second.at == 61 * MIN
    assert second.item != first.item  # avoid_last=1 in the test pool


# -- status reads true in every state --------------------------------------------------------


def _status(run: Run, at: float) -> c.Status:
    run.feed([], until=at)
    return run.engine.status(at)


def test_status_while_sitting_counts_up_and_announces_the_next_nudge():
    st = _status(Run(NO_POSTURE).feed(typing(0, 10 * MIN)), 10 * MIN)
    assert st.presence == "sitting"
    assert st.sitting_s(10 * MIN) == 10 * MIN
    assert (st.next_nudge_at, st.next_nudge_kind, st.next_nudge_waits) == (30 * MIN, "stretch", None)


def test_status_while_away_stands_still_and_announces_nothing():
    run = Run().feed(typing(0, 20 * MIN))
    st = _status(run, 40 * MIN)
    assert st.presence == "away"
    assert st.sitting_s(40 * MIN) == st.sitting_s(50 * MIN) == 20 * MIN
    assert st.next_nudge_at is None and st.next_nudge_kind is None


def test_status_while_locked_announces_no_posture_check():
    run = Run().feed([*typing(0, 2 * MIN), e.Lock(2 * MIN + 1)])
    st = _status(run, 2 * MIN + 30)
    assert st.presence == "locked"
    assert st.next_nudge_at is None
    assert st.sitting_s(3 * MIN) == 2 * MIN


def test_status_while_asleep():
    st = _status(Run().feed([*typing(0, 2 * MIN), e.Sleep(2 * MIN + 1)]), 60 * MIN)
    assert (st.presence, st.next_nudge_at, st.sitting_s(60 * MIN)) == ("asleep", None, 2 * MIN)


def test_status_while_standing_says_standing():
    st = _status(Run().feed([*typing(0, 2 * MIN), e.Stand(2 * MIN)]), 2 * MIN + 5)
    assert (st.presence, st.standing, st.next_nudge_at, st.sitting_since) == (
        "standing", True, None, None)


def test_status_while_paused_announces_nothing():
    st = _status(Run().feed([e.Input(0), e.Pause(10, for_s=600), *typing(20, 2 * MIN)]), 2 * MIN)
    assert (st.presence, st.paused, st.next_nudge_at) == ("sitting", True, None)


def test_status_in_a_call_says_so_and_holds_the_due_nudge():
    run = Run(NO_POSTURE).feed([*typing(0, 25 * MIN), e.CallStart(25 * MIN)])
    st = _status(run, 35 * MIN)
    assert (st.presence, st.in_call, st.next_nudge_kind, st.next_nudge_waits) == (
        "sitting", True, "stretch", "call")
    assert st.sitting_s(35 * MIN) == 35 * MIN


def test_status_of_a_due_nudge_waiting_for_input():
    st = _status(Run(NO_POSTURE).feed(typing(0, 28 * MIN + 40)), 30 * MIN + 10)
    assert (st.presence, st.next_nudge_kind, st.next_nudge_waits) == ("sitting", "stretch", "input")


def test_status_outside_working_hours_announces_the_nudge_when_hours_start():
    pol = policy(posture_every=0, working_hours=parse_working_hours("mon-fri 08:00-18:00"))
    run = Run(pol, start_local=datetime(2026, 11, 23, 7, 0)).feed(typing(0, 10 * MIN))
    st = _status(run, 10 * MIN)
    assert (st.next_nudge_at, st.next_nudge_waits, st.in_working_hours) == (60 * MIN, "hours", False)


def test_status_with_an_inhibitor():
    st = _status(Run().feed([e.Input(0), e.InhibitStart(5)]), 10)
    assert (st.inhibited, st.in_call) == (True, False)
