"""The real `sitbreak run` process: SIGKILL keeps the sitting span up to the last wake-up, and
`sitbreak demo` never writes the user's history."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, headless_env, wait_for


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return headless_env(tmp_path, XDG_DATA_HOME=str(tmp_path / "home" / "data"))


def _history(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "sitbreak" / "history.sqlite3"


def _sitting(db: Path) -> list[tuple[float, float, int]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT start_ts, end_ts, in_progress FROM sitting ORDER BY id"))
    finally:
        conn.close()


def test_sigkill_keeps_the_span_up_to_the_last_wake_up(env: dict[str, str],
                                                       tmp_path: Path) -> None:
    db = _history(env)
    d = Daemon(env, tmp_path, args=("--headless",)).start()  # no idle counter: always present
    started = time.time()
    wait_for(lambda: db.exists() and _sitting(db) and _sitting(db)[0][1] > started + 3, 15,
             "the span in progress on disk")
    time.sleep(2)
    assert d.proc is not None
    os.kill(d.proc.pid, signal.SIGKILL)
    killed = time.time()
    d.proc.wait(10)
    ((start, end, in_progress),) = _sitting(db)
    # away_after is 3 s: the daemon wakes (and notes the span) at least that often
    assert in_progress == 1
    assert killed - 4.0 <= end <= killed
    assert start <= started + 1

    again = Daemon(env, tmp_path, args=("--headless",)).start()
    again.cli("quit")
    assert again.proc is not None
    assert again.proc.wait(10) == 0
    first, second = _sitting(db)
    assert first == (start, end, 0)  # closed where it was last seen
    assert second[2] == 0
    assert "closed 1 sitting span(s) the last run left open" in again.log()


def test_demo_records_into_a_scratch_database_only(env: dict[str, str], tmp_path: Path) -> None:
    d = Daemon(env, tmp_path, args=("--headless",), command="demo", config=FAST_CONFIG).start()
    try:
        m = wait_for(lambda: re.search(r"demo: history goes to a scratch database (\S+)",
                                       d.log()), 10, "the scratch database line")
        scratch = Path(m.group(1))
        d.cli("stretch-now")
        d.cli("snooze")
        wait_for(lambda: scratch.exists() and _nudges(scratch) == [("snoozed",)], 10,
                 "the answered nudge in the scratch database")
        d.cli("quit")
        assert d.proc is not None
        assert d.proc.wait(10) == 0
    finally:
        d.stop()
    assert not scratch.parent.exists()  # removed at exit
    assert not _history(env).exists()  # the user's real history was never touched
    assert not (Path(env["HOME"]) / ".local" / "share" / "sitbreak").exists()


def _nudges(db: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT answer FROM nudges"))
    finally:
        conn.close()
