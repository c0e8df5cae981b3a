"""Faults around the history: SIGKILL in the middle of writes (20 times), a data dir that is
read-only or a disk that is full when sitbreak starts. Nothing written is lost, the file stays
intact, and recording comes back (schema included) once it can."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitbreak.history.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT),
                                                          *sys.path])}


def test_sigkill_20_times_during_writes_keeps_every_earlier_row(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    rng = random.Random(20261129)
    kept: dict[str, list[list[object]]] = {"sitting": [], "breaks": []}
    t0 = 1000.0
    acked_total = 0
    for round_ in range(20):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.kill_child", str(db), str(round_), str(t0)],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        acks: list[dict[str, list[list[object]]]] = []
        wanted = rng.randint(1, 12)  # killed after a random number of steps, mid-write or not
        while len(acks) < wanted:
            line = child.stdout.readline()
            assert line.startswith("ack "), (line, child.stderr.read() if child.stderr else "")
            acks.append(json.loads(line[4:]))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
        assert child.stderr is not None
        child.stderr.close()

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        now = {
            "sitting": [list(r) for r in conn.execute(
                "SELECT start_ts, end_ts, in_progress FROM sitting ORDER BY id")],
            "breaks": [list(r) for r in conn.execute(
                "SELECT start_ts, end_ts, cause FROM breaks ORDER BY id")],
        }
        conn.close()
        last = acks[-1]
        # every row of the earlier rounds is still there, unchanged but for being closed
        for table, rows in kept.items():
            assert now[table][: len(rows)] == rows, (round_, table)
        # everything this round acknowledged is there: closed rows as they were, the span in
        # progress at least as far as it was acknowledged
        assert now["breaks"][: len(last["breaks"])] == last["breaks"]
        for acked, stored in zip(last["sitting"], now["sitting"], strict=False):
            assert stored[0] == acked[0]
            assert stored[1] >= acked[1]
            if acked[2] == 0:
                assert stored == acked
        acked_total += len(last["sitting"]) + len(last["breaks"])
        # what the next start will see: the span left open is closed there, where it was
        kept = {"sitting": [[a, b, 0] for a, b, _ in now["sitting"]], "breaks": now["breaks"]}
        t0 = max([r[1] for r in now["sitting"]] + [t0]) - 1_790_000_000.0 + 5000
    assert acked_total > 20
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sitting WHERE end_ts < start_ts").fetchone() == (0,)
    conn.close()
    print(f"\n20 kills; {len(kept['sitting'])} spans and {len(kept['breaks'])} breaks kept")


# -- read-only data dir, full disk ------------------------------------------------------------


def _private_mount(options: str, target: Path, script: str) -> list[str] | None:
    """``script`` (sh) in a private mount namespace where ``target`` is a fresh tmpfs (root
    only; the mount disappears with the process)."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        return None
    if subprocess.run([unshare, "-m", "true"], capture_output=True, check=False).returncode:
        return None
    mount = f"mount -t tmpfs -o {options} sitbreak-test {target}"
    return [unshare, "-m", "sh", "-ec", f"{mount}\n{script}"]


RECORDER = """
import os, sqlite3, subprocess, sys
from pathlib import Path
from sitbreak.engine import commands as cmd
from sitbreak.history import Anchor, Recorder, recorder as recorder_module
recorder_module.RETRY_S = 0.0  # the daemon retries every 30 s; here at each record
db = Path(sys.argv[1])
rec = Recorder(db, anchor=Anchor(1_790_000_000.0), keep_trying=True)
print("at start:", "enabled" if rec.enabled else "disabled")
for i in range(5):
    rec.handle(cmd.SittingSpan(i * 600.0, i * 600.0 + 500))
    rec.handle(cmd.BreakRecorded(i * 600.0 + 500, i * 600.0 + 600, "away"))
print("waiting:", rec.waiting)
subprocess.run(sys.argv[2:], check=True)  # space or write access comes back
rec.handle(cmd.SittingSpan(3000.0, 3500.0))
print("after:", "enabled" if rec.enabled else "disabled", "waiting:", rec.waiting,
      "recorded:", rec.records)
rec.close()
conn = sqlite3.connect(db)
print("schema", conn.execute("PRAGMA user_version").fetchone()[0],
      "integrity", conn.execute("PRAGMA integrity_check").fetchone()[0],
      "sitting", conn.execute("SELECT count(*) FROM sitting").fetchone()[0],
      "breaks", conn.execute("SELECT count(*) FROM breaks").fetchone()[0])
"""


def _run(wrapped: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(wrapped, capture_output=True, text=True, env=_env(), timeout=120,
                          check=False)


def _expected() -> str:
    return ("at start: disabled\nwaiting: 10\nafter: enabled waiting: 0 recorded: 11\n"
            f"schema {SCHEMA_VERSION} integrity ok sitting 6 breaks 5\n")


def test_read_only_data_dir_at_start_records_once_writable(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    db = target / "history.sqlite3"
    py = f"{sys.executable} -c {_quote(textwrap.dedent(RECORDER))}"
    wrapped = _private_mount("ro,size=1m", target,
                             f"{py} {db} mount -o remount,rw {target}")
    if wrapped is None:
        pytest.skip("needs root and a private mount namespace for a read-only tmpfs")
    run = _run(wrapped)
    assert run.returncode == 0, run.stderr
    assert run.stdout == _expected()
    assert run.stderr.splitlines() == [
        f"history: {target} is read-only; sitbreak goes on and writes the records once it can",
    ]


def test_full_disk_at_start_records_once_space_is_back(tmp_path: Path) -> None:
    target = tmp_path / "small"
    target.mkdir()
    db = target / "history.sqlite3"
    filler = target / "filler"
    py = f"{sys.executable} -c {_quote(textwrap.dedent(RECORDER))}"
    fill = f"dd if=/dev/zero of={filler} bs=4k 2>/dev/null || true"
    wrapped = _private_mount("size=512k", target, f"{fill}\n{py} {db} rm {filler}")
    if wrapped is None:
        pytest.skip("needs root and a private mount namespace for a tiny tmpfs")
    run = _run(wrapped)
    assert run.returncode == 0, run.stderr
    assert run.stdout == _expected()
    warning, *rest = run.stderr.splitlines()
    assert warning.startswith(f"history: cannot write {db}: ")
    assert "full" in warning
    assert warning.endswith("sitbreak goes on and writes the records once it can")
    assert rest == []


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
