"""Clocks that misbehave, through the real runtime in simulated time (tests/reliability/sim_time.py):
the wall clock set forward and back, suspends nobody announced (10 min, 10 h), and the
daylight-saving changes of Europe/Berlin with working hours. Each time: no burst of nudges, none
missing, and the breaks and sitting spans in the history right to the second."""

from __future__ import annotations

import dataclasses
import itertools
import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sitbreak.adapters.base import NudgeAnswerName
from sitbreak.engine import Policy
from sitbreak.engine.hours import parse_working_hours
from sitbreak.history.records import History, load
from sitbreak.history.store import open_for_reading
from tests.reliability.sim_time import START, SimDaemon, SimTime, SimUser

POLICY = Policy(stretch_every=1800, posture_every=0, away_after=300, present_within=60,
                repeat_after=600, snooze=600, recheck=5)
HOUR = 3600.0


def history(d: SimDaemon) -> History:
    conn = open_for_reading(d.db)
    try:
        return load(conn)
    finally:
        if conn is not None:
            conn.close()


def nudge_gaps(d: SimDaemon) -> list[float]:
    """Engine seconds between successive nudges shown."""
    shown = [s.engine for s in d.notifier.shown]
    return [b - a for a, b in itertools.pairwise(shown)]


def run(tmp_path: Path, sim: SimTime, user: SimUser, until: float, *,
        policy: Policy = POLICY, answer: NudgeAnswerName = "skip") -> SimDaemon:
    d = SimDaemon(tmp_path, policy, sim, user, answers={"stretch": (30, answer)}).start()
    try:
        sim.run_until(until)
    finally:
        d.stop()
    return d


def test_wall_clock_set_forward_and_back_is_no_break_and_no_burst(tmp_path: Path) -> None:
    wall0 = 1_790_000_000.0
    sim = SimTime(wall0)
    user = SimUser()
    user.sit(START, START + 3 * HOUR)  # three hours at the desk, typing
    user.sit(START + 3 * HOUR + 1200, START + 3 * HOUR + 1500)  # back after 20 min
    sim.at(START + 2400, lambda: sim.set_wall(+HOUR))  # NTP or the user sets the clock
    sim.at(START + 6000, lambda: sim.set_wall(-HOUR))  # and back
    sim.at(START + 8000, lambda: sim.set_wall(-600))  # and back again, a bit
    sim.at(START + 9000, lambda: sim.set_wall(+600))
    d = run(tmp_path, sim, user, START + 3 * HOUR + 1800)

    # one stretch every 30 min of sitting (each skipped after 30 s): neither burst nor gap
    assert nudge_gaps(d) == [1830.0] * 4
    assert d.notifier.shown[0].engine == START + 1800
    h = history(d)
    assert [(b.cause, b.start - wall0, b.duration) for b in h.breaks] == [
        ("away", 3 * HOUR, 1200.0)]
    assert [(s.start - wall0, s.duration) for s in h.sitting][:1] == [(0.0, 3 * HOUR)]


@pytest.mark.parametrize("asleep", [600.0, 10 * HOUR], ids=["10min", "10h"])
def test_unannounced_suspend_is_one_break_to_the_second_and_no_burst(
        tmp_path: Path, asleep: float) -> None:
    wall0 = 1_790_000_000.0
    sim = SimTime(wall0)
    user = SimUser()
    # typing from the start; the lid shut after 40.5 min (the stretch nudge on screen since 30
    # min, unanswered, repeated at 40), opened again `asleep` later by a key press, then typing
    # on for 2 h
    user.sit(START, START + 2430 + 2 * HOUR)
    sim.at(START + 2430, lambda: sim.suspend(asleep))
    d = SimDaemon(tmp_path, POLICY, sim, user, answers={}).start()
    try:
        sim.run_until(START + 2430 + 2 * HOUR - 60)
        st = d.status()
    finally:
        d.stop()

    shown = [s.engine - START for s in d.notifier.shown]
    back = 2430 + asleep  # engine seconds at the resume (and the key press that woke it)
    # before: the stretch at 30 min and its repeat 10 min later (at the suspend); after: a fresh
    # sitting span, so the next stretch 30 min after the resume, its repeats 10 min apart
    assert shown[:2] == [1800.0, 2400.0]
    assert shown[2:] == [back + 1800 + 600 * i for i in range(len(shown) - 2)]
    assert len(shown) == 2 + 9  # 1 h 59 min after the resume: at 30, 40, … 110 min
    h = history(d)
    assert [(b.cause, b.start - wall0, b.duration) for b in h.breaks] == [
        ("sleep", 2430.0, asleep)]
    assert [(s.start - wall0, s.duration) for s in h.sitting][:1] == [(0.0, 2430.0)]
    assert st["breaks"] == 1
    assert st["sitting_s"] == pytest.approx(2 * HOUR - 60)


@pytest.fixture
def berlin() -> Iterator[None]:
    """The process's local time zone is Europe/Berlin for the test (time.tzset)."""
    if not Path("/usr/share/zoneinfo/Europe/Berlin").exists():
        pytest.skip("no tzdata (installers/desktop-packages.sh installs it)")
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize(("night", "real_h", "offsets"), [
    ("2026-03-28", 7.0, (3600, 7200)),  # 02:00 CET -> 03:00 CEST: the night is an hour short
    ("2026-10-24", 9.0, (7200, 3600)),  # 03:00 CEST -> 02:00 CET: an hour longer
], ids=["march", "october"])
def test_night_shift_across_the_dst_change(
        tmp_path: Path, night: str, real_h: float, offsets: tuple[int, int]) -> None:
    # working hours 22:00-06:00 local; the worker sits from 21:00 to 07:30 local, answering
    # every stretch with Done after 30 s
    evening = datetime.fromisoformat(f"{night}T21:00:00")
    wall0 = evening.timestamp()
    shift_start = (evening + timedelta(hours=1)).timestamp()
    morning = datetime.fromisoformat(night) + timedelta(days=1, hours=6)
    shift_end = morning.timestamp()
    assert shift_end - shift_start == real_h * HOUR
    sim = SimTime(wall0)
    user = SimUser()
    sit_until = START + (morning + timedelta(hours=1.5)).timestamp() - wall0
    user.sit(START, sit_until)
    user.sit(sit_until + 1200, sit_until + 1500)  # back after a 20 min break, for the records
    policy = dataclasses.replace(POLICY, working_hours=parse_working_hours("22:00-06:00"))
    d = run(tmp_path, sim, user, sit_until + 1800, policy=policy, answer="done")

    shown = [s.engine - START + wall0 for s in d.notifier.shown]  # Unix times
    # the first at 22:00 (the stretch fell due at 21:30, outside the hours), then every
    # 30 min + 30 s of real time, through the change, the last one before 06:00 local
    assert shown[0] == shift_start
    assert nudge_gaps(d) == [1830.0] * (len(shown) - 1)
    assert shift_end - 1830 < shown[-1] < shift_end
    assert len(shown) == int((shift_end - shift_start) // 1830) + 1
    h = history(d)
    # every Done is a break, every span between them right to the second, and each row carries
    # the UTC offset in force at its start: CET before the change, CEST after (or back)
    done = [b for b in h.breaks if b.cause == "done"]
    assert [b.end for b in done] == [t + 30 for t in shown]
    assert {b.utc_offset for b in done} == set(offsets)
    spans = h.sitting
    assert spans[0].start == wall0
    assert [s.end for s in spans[: len(done)]] == [b.start for b in done]
    for span in spans:
        assert span.utc_offset == time.localtime(span.start).tm_gmtoff
