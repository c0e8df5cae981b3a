"""Records that are never lost or wrong: the real runtime on a virtual clock writes real SQLite,
and the stored rows must say what happened, to the second."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path

import pytest

from sitbreak.adapters.card import CardProcessOpener
from sitbreak.adapters.idle_listener import NoIdle
from tests.daemon_proc import wait_for
from tests.reliability.virtual_runtime import POLICY, START, WALL0, Gap, VirtualDaemon


def rows(db: Path, table: str) -> list[tuple[float, float, object]]:
    """(start, end[, extra]) in engine seconds (wall − WALL0), in order."""
    conn = sqlite3.connect(db)
    try:
        extra = {"sitting": "in_progress", "breaks": "cause", "periods": "kind"}[table]
        return [(round(a - WALL0, 3), round(b - WALL0, 3), x) for a, b, x in conn.execute(
            f"SELECT start_ts, end_ts, {extra} FROM {table} ORDER BY start_ts")]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def test_quit_keeps_the_span_up_to_the_last_input(db: Path) -> None:
    d = VirtualDaemon(db).start()
    d.active(until=START + 1500)
    d.idle.last_input = START + 1530  # typed once more after the last wake-up
    d.clocks.t = START + 1540
    d.stop()  # quit / SIGTERM / logout: one last reading closes the span
    assert rows(db, "sitting") == [(START, START + 1530, 0)]
    assert rows(db, "breaks") == []


def test_the_span_in_progress_is_on_disk_at_every_wake_up(db: Path) -> None:
    d = VirtualDaemon(db).start()
    try:
        for t in (START + 60, START + 120, START + 180):
            d.at(t, input_at=t - 2)
            # what a SIGKILL right now would leave: the span up to the last input seen
            assert rows(db, "sitting") == [(START, t - 2, 1)]
    finally:
        d.stop()


def test_a_span_left_open_by_a_kill_is_closed_at_the_next_start(db: Path) -> None:
    conn = sqlite3.connect(db)
    d = VirtualDaemon(db).start()
    d.active(until=START + 600)
    assert rows(db, "sitting") == [(START, START + 599, 1)]
    # a kill: nothing more happens in this run; the file is as it was at the last wake-up
    frozen = db.read_bytes(), (db.with_name(db.name + "-wal")).read_bytes()
    d.stop()
    conn.close()
    db.write_bytes(frozen[0])
    db.with_name(db.name + "-wal").write_bytes(frozen[1])
    d2 = VirtualDaemon(db, last_input=START + 5000)
    d2.clocks.t = START + 5000
    d2.start()
    d2.stop()
    sitting = rows(db, "sitting")
    assert sitting[0] == (START, START + 599, 0)  # closed where it was last seen, not lost


def test_a_start_while_away_records_no_zero_second_span(db: Path) -> None:
    # the last input was an hour before sitbreak started: the user is not at the desk
    d = VirtualDaemon(db, last_input=START - 3600).start()
    d.at(START + 100)  # still away
    d.at(START + 200, input_at=START + 190)  # back
    d.active(until=START + 800)
    d.stop()
    assert rows(db, "breaks") == [(START - 3600, START + 190, "away")]
    assert rows(db, "sitting") == [(START + 190, START + 799, 0)]


def test_a_forward_wall_clock_jump_is_no_break_and_keeps_the_span(db: Path) -> None:
    d = VirtualDaemon(db).start()
    d.active(until=START + 600)
    d.clocks.wall_shift += 3600  # someone sets the clock an hour forward; nobody left
    d.clocks.gaps.append(Gap(START + 660, 3600, "clock-set"))
    d.active(until=START + 1200)
    d.stop()
    assert rows(db, "breaks") == []
    # one span, its length right to the second (stored in the corrected wall time)
    ((start, end, open_),) = rows(db, "sitting")
    assert (end - start, open_) == (1199.0, 0)


def test_timer_only_late_wake_ups_are_not_breaks(db: Path) -> None:
    """No idle counter (the user is taken as present): a wake-up a little late for the away
    deadline must not read as an input gap longer than away_after."""
    policy = dataclasses.replace(POLICY, away_after=30.0)
    d = VirtualDaemon(db, policy=policy, source=NoIdle()).start()
    for _ in range(20):
        d.clocks.t = d.due_at() + 0.3  # the timer fires 0.3 s late (a busy machine)
        d.on_loop(d.rt._wake)
    end = d.clocks.t
    d.stop()
    assert rows(db, "breaks") == []
    assert rows(db, "sitting") == [(START, round(end, 3), 0)]


CARD = """
import json, sys
print(json.dumps({"answer": "done", "item": sys.argv[1], "held_s": 45.0, "completed": True}))
"""


def test_a_done_break_is_the_hold_the_card_reports(db: Path) -> None:
    card = CardProcessOpener([sys.executable, "-c", CARD])  # the real opener, a scripted card
    d = VirtualDaemon(db, card=card).start()
    d.active(until=START + 1800)  # the stretch nudge is due at 30 min
    wait_for(lambda: "Time to stand" in d.out.getvalue(), 5, "the stretch nudge")
    d.clocks.t = START + 1900  # the user opened the card, held 45 s, pressed Done
    d.on_loop(d.rt.cards.show_current)
    wait_for(lambda: rows(db, "breaks"), 10, "the done break")
    d.active(until=START + 2500)
    d.stop()
    assert rows(db, "breaks") == [(START + 1855, START + 1900, "done")]
    assert rows(db, "sitting") == [(START, START + 1855, 0), (START + 1900, START + 2499, 0)]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT answer FROM nudges").fetchall() == [("done",)]
    conn.close()
