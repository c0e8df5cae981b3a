"""Soak: 24 simulated hours through the real runtime (its worker thread and event loop, its
timers, the control socket, a real SQLite history, logging to a rotating file as the daemon
does), in a few seconds of wall time (tests/reliability/sim_time.py). An office day with coffee,
lunch and an evening away, every kind of answer to the nudges, status asked every simulated
hour, then the lid shut overnight. After a two-hour warm-up, memory grows by at most 1 MiB,
and threads, fds and child processes stay as they were.

The day runs in a fresh Python process (``python -m tests.reliability.test_soak_simulated DIR``),
so that what other tests leave behind in pytest's process cannot blur the figures."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import itertools
import json
import logging
import logging.handlers
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitbreak.daemon.control_client import call
from sitbreak.engine import Policy
from sitbreak.history.records import load
from sitbreak.history.store import open_for_reading
from tests.reliability.sim_time import START, Answer, SimDaemon, SimTime, SimUser
from tests.reliability.soak_figures import Figures, figures

HOUR = 3600.0
POLICY = Policy(stretch_every=1800, posture_every=900, away_after=180, present_within=60,
                repeat_after=600, snooze=600, recheck=5)
ANSWERS: dict[str, Answer | list[Answer]] = {
    "stretch": [(60, "done"), (20, "snooze"), (45, "done"), (10, "skip"), None, (90, "done")],
    "posture": [None, (5, "dismissed")],
}


def daemon_logging(directory: Path) -> None:
    """INFO lines to a rotating file, as `sitbreak run` logs."""
    log = logging.getLogger("sitbreak")
    log.setLevel(logging.INFO)
    log.addHandler(logging.handlers.RotatingFileHandler(
        directory / "sitbreak.log", maxBytes=1_000_000, backupCount=3))


def office_day(user: SimUser, sim: SimTime) -> float:
    """08:00 to 08:00 of the next day in engine time; returns the awake time of its end."""
    h = HOUR
    for start, end in [(0, 2 * h), (2 * h + 600, 4 * h), (5 * h, 7 * h), (7 * h + 300, 9.5 * h)]:
        user.sit(START + start, START + end)  # coffee at 10, lunch at 12, a walk at 15
    night = 12 * h + 50 * 60  # the lid shut at 19:00 (after 1.5 h away), opened at 07:50
    sim.at(START + 11 * h, lambda: sim.suspend(night))
    morning = START + 11 * h + 5 * 60  # awake time of 07:55
    user.sit(morning, morning + 5 * 60 + 60)
    return START + 24 * h - night


def simulate_a_day(tmp: Path) -> dict[str, Any]:
    daemon_logging(tmp)
    sim = SimTime(1_790_000_000.0)
    user = SimUser()
    end = office_day(user, sim)
    d = SimDaemon(tmp, POLICY, sim, user, answers=ANSWERS).start()
    try:
        hour = START
        statuses = 0
        samples = []
        while hour < end:
            hour = min(end, hour + HOUR)
            sim.run_until(hour)
            d.status()
            statuses += 1
            if statuses == 2:  # warm-up: two simulated hours (every path taken once)
                call("stretch-now", d.sock)
                gc.collect()
                samples.append(("after warm-up", figures()))
        gc.collect()
        samples.append(("after 24 h", figures()))
        st = d.status()
        sim_end = sim.engine - START
    finally:
        d.stop()
    return {
        "simulated_s": sim_end,
        "shown": sorted({s.kind for s in d.notifier.shown}),
        "nudges": len(d.notifier.shown),
        "breaks": st["breaks"],
        "statuses": statuses,
        "samples": [(label, dataclasses.asdict(f)) for label, f in samples],
    }


def test_24_simulated_hours_hold_memory_threads_and_fds_flat(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tests.reliability.test_soak_simulated", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
        cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-3000:]
    day = json.loads(out.stdout.splitlines()[-1])
    samples = [(label, Figures(**{**f, "children": tuple(f["children"])}))
               for label, f in day["samples"]]
    with capsys.disabled():
        print(f"\nsoak, simulated: {day['simulated_s'] / HOUR:.0f} h, {day['nudges']} nudges, "
              f"{day['breaks']} breaks, {day['statuses']} status calls")
        for label, f in samples:
            print(f"  {f.line(label)}")
    (_, warm), (_, last) = samples
    assert day["simulated_s"] == 24 * HOUR
    assert last.rss_kib - warm.rss_kib <= 1024
    assert last.threads == warm.threads
    assert last.fds == warm.fds
    assert last.children == warm.children == ()
    # the day really happened: nudges of both kinds, answered every way, breaks of each cause
    assert day["shown"] == ["posture", "stretch"]
    assert day["breaks"] >= 8
    conn = open_for_reading(tmp_path / "history.sqlite3")
    assert conn is not None
    with contextlib.closing(conn):
        h = load(conn)
    assert len(h.breaks) == day["breaks"]  # every break the day had is in the history
    assert {b.cause for b in h.breaks} == {"away", "done", "sleep"}
    rows = sorted([(s.start, s.end) for s in h.sitting] + [(b.start, b.end) for b in h.breaks])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(rows))  # nothing overlaps


if __name__ == "__main__":
    print(json.dumps(simulate_a_day(Path(sys.argv[1]))))
