"""The tray's text and state, from real engine statuses (minute resolution, due/overdue)."""

from __future__ import annotations

from sitbreak.daemon.tray_view import next_view_change, tray_view
from sitbreak.engine import Engine, Policy
from sitbreak.engine import events as ev

POLICY = Policy(stretch_every=30 * 60, posture_every=0, away_after=180, repeat_after=600)


def sitting_engine(minutes: float) -> tuple[Engine, float]:
    """An engine whose user has typed every 10 s for ``minutes``; returns it and the time."""
    eng = Engine(POLICY, start_at=0.0)
    t = 0.0
    while t < minutes * 60:
        eng.handle(ev.Input(at=t))
        t += 10.0
    eng.handle(ev.Tick(at=t))
    return eng, t


def test_tooltip_counts_whole_minutes_sat_and_to_go() -> None:
    eng, now = sitting_engine(24.5)
    view = tray_view(eng.status(now), POLICY, now)
    assert view.tooltip == "Sitting 24 min · next stretch in 6 min"
    assert view.state == "fresh"
    assert 0.8 < view.fill < 0.83


def test_a_stretch_nudge_on_screen_is_due_then_overdue() -> None:
    eng, now = sitting_engine(31)
    view = tray_view(eng.status(now), POLICY, now)
    assert view.tooltip == "Sitting 31 min · time to stretch"
    assert view.state == "due"
    assert view.fill == 1.0
    eng2, later = sitting_engine(41)
    assert tray_view(eng2.status(later), POLICY, later).state == "overdue"


def test_paused_standing_and_away_say_so() -> None:
    eng, now = sitting_engine(5)
    eng.handle(ev.Pause(at=now, for_s=1800))
    assert tray_view(eng.status(now), POLICY, now).tooltip == "Paused · 30 min left"
    eng.handle(ev.Resume(at=now))
    eng.handle(ev.Stand(at=now))
    assert tray_view(eng.status(now), POLICY, now).state == "standing"
    eng.handle(ev.Sit(at=now))
    later = now + 600  # no input for 10 min: away
    eng.handle(ev.Tick(at=later))
    assert tray_view(eng.status(later), POLICY, later).state == "away"


def test_the_runtime_wakes_when_the_text_would_change_not_before() -> None:
    eng, now = sitting_engine(24.5)
    st = eng.status(now)
    change = next_view_change(st, now, at_most=60.0)
    assert now < change <= now + 60.0
    before = tray_view(st, POLICY, change - 0.5).tooltip
    after = tray_view(st, POLICY, change).tooltip
    assert before != after
