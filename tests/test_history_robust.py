"""History never stops sitbreak: kill -9 mid-write, damaged or unreadable files, read-only
places and full disks. Each test uses the real recorder on a real file system."""

from __future__ import annotations

import logging
import os
import random
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitbreak.engine import commands as cmd
from sitbreak.history import Anchor, Recorder
from sitbreak.history.schema import SCHEMA_VERSION

WALL = 1_790_000_000.0  # Unix seconds of engine time 0 in these tests


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _spans(db: Path) -> list[float]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] - WALL for row in conn.execute("SELECT start_ts FROM sitting")]
    finally:
        conn.close()


# -- kill -9 --------------------------------------------------------------------------------


def _writer(db: Path, first: int, ack_fd: int) -> None:
    """Child process: record spans first, first+1, ... and report each one once committed."""
    rec = Recorder(db, anchor=Anchor(WALL), retention_days=None)
    seq = first
    while True:
        rec.handle(cmd.SittingSpan(seq, seq + 0.5))
        os.write(ack_fd, struct.pack("<q", seq))
        seq += 1


def test_sigkill_during_writes_loses_at_most_the_record_in_flight(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    rng = random.Random(20261121)
    kills_mid_stream = in_flight_kept = 0
    for round_ in range(100):
        first = round_ * 1_000_000
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                os.close(read_fd)
                _writer(db, first, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        if rng.random() < 0.8:
            # mostly while it is busy writing: after its first commit, at a random moment
            select.select([read_fd], [], [], 5.0)
            time.sleep(rng.uniform(0, 0.004))
        else:
            # sometimes while it starts: opening, checking, migrating
            time.sleep(rng.uniform(0, 0.006))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status)
        data = b""
        while chunk := os.read(read_fd, 65536):
            data += chunk
        os.close(read_fd)
        acked = [v for (v,) in struct.iter_unpack("<q", data[: len(data) // 8 * 8])]

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        if conn.execute("PRAGMA user_version").fetchone() == (0,):
            # killed before the very first schema step committed: nothing half-made is left
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
            assert acked == []
            conn.close()
            continue
        stored = sorted(int(s - WALL) for (s,) in conn.execute(
            "SELECT start_ts FROM sitting WHERE start_ts >= ? AND start_ts < ?",
            (WALL + first, WALL + first + 1_000_000)))
        assert conn.execute(
            "SELECT count(*) FROM sitting WHERE end_ts - start_ts != 0.5").fetchone() == (0,)
        conn.close()
        # every acknowledged record is there; at most one more (written, not yet acknowledged)
        in_flight = first + len(acked)
        assert acked == list(range(first, in_flight))
        assert stored in (acked, [*acked, in_flight]), (round_, len(acked), len(stored))
        kills_mid_stream += bool(acked)
        in_flight_kept += len(stored) > len(acked)
    print(f"{kills_mid_stream} kills while writing; {in_flight_kept} in-flight records kept")
    assert kills_mid_stream >= 70  # most kills hit a writer that was busy writing
    assert not list(tmp_path.glob("*.corrupt-*"))  # never mistaken for a damaged file


# -- damaged and unreadable files -------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "history.sqlite3"
    junk = b"these are not the bytes you are looking for\n" * 200
    db.write_bytes(junk)
    with Recorder(db, anchor=Anchor(WALL)) as rec:
        assert rec.enabled
        rec.handle(cmd.SittingSpan(0, 60))
    (aside,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert aside.read_bytes() == junk
    (warning,) = _warnings(caplog)
    assert warning == (f"history: {db} was damaged (file is not a database); moved it to "
                       f"{aside.name} and started a fresh history")
    assert _spans(db) == [0.0]


def test_damaged_pages_are_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "history.sqlite3"
    with Recorder(db, anchor=Anchor(WALL)) as rec:
        rec.handle_many([cmd.BreakRecorded(i * 100, i * 100 + 50, "away") for i in range(3000)])
    size = db.stat().st_size
    assert size > 20 * 4096
    with db.open("r+b") as f:  # scribble over the middle of the file, header intact
        f.seek(size // 2)
        f.write(os.urandom(8 * 4096))
    with Recorder(db, anchor=Anchor(WALL)) as rec:
        assert rec.enabled
        rec.handle(cmd.SittingSpan(0, 60))
    (aside,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert aside.stat().st_size == size
    (warning,) = _warnings(caplog)
    assert "was damaged" in warning
    assert _spans(db) == [0.0]


def test_stats_on_a_damaged_file_is_one_line(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from sitbreak.cli import main

    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"\x00garbage" * 512)
    assert main(["stats", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err == (f"sitbreak: history database {db} is damaged (file is not a database); "
                   "sitbreak moves it aside and starts afresh the next time it records\n")
    assert db.exists()  # a reader never moves anything


def test_a_newer_schema_is_left_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    rec = Recorder(db, anchor=Anchor(WALL))
    assert not rec.enabled
    rec.handle(cmd.SittingSpan(0, 60))  # ignored, no exception
    rec.close()
    assert db.read_bytes() == before
    assert _warnings(caplog) == [
        f"history: {db} was written by a newer sitbreak (schema 999, this one knows "
        f"{SCHEMA_VERSION}); "
        "sitbreak goes on without recording history"]


def _as_nobody() -> list[str] | None:
    """A command prefix that drops root, so file permissions apply; [] when not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def _run_python(prefix: list[str], script: str,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, *sys.path])}
    return subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(script)],
                          capture_output=True, text=True, env=env, timeout=timeout, check=False)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory outside root's private pytest tree, for a child that drops root."""
    path = Path(tempfile.mkdtemp(prefix="sitbreak-history-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_an_unreadable_file_is_moved_aside(shared_dir: Path) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    db = shared_dir / "history.sqlite3"
    with Recorder(db, anchor=Anchor(WALL)) as rec:
        rec.handle(cmd.SittingSpan(0, 60))
    db.chmod(0o000)
    if prefix:
        os.chown(shared_dir, 65534, 65534)
        os.chown(db, 65534, 65534)
    run = _run_python(prefix, f"""
        from pathlib import Path
        from sitbreak.engine import commands as cmd
        from sitbreak.history import Anchor, Recorder
        with Recorder(Path({str(db)!r}), anchor=Anchor({WALL})) as rec:
            rec.handle(cmd.SittingSpan(100, 160))
            print("enabled" if rec.enabled else "disabled")
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "enabled\n"
    (aside,) = shared_dir.glob("history.sqlite3.corrupt-*")
    assert run.stderr == (f"history: {db} was unreadable; moved it to {aside.name} and started "
                          "a fresh history\n")
    assert _spans(db) == [100.0]


# -- read-only directories and full disks --------------------------------------------------


def _private_mount(options: str, target: Path, then: list[str]) -> list[str] | None:
    """Run ``then`` in a private mount namespace where ``target`` is a fresh tmpfs (root only;
    the mount disappears with the process)."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        return None
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return None
    mount = f"mount -t tmpfs -o {options} sitbreak-test {target}"
    return [unshare, "-m", "sh", "-c", f'{mount} && exec "$@"', "sh", *then]


RECORD_A_DAY = """
    import sqlite3, sys
    from pathlib import Path
    from sitbreak.engine import commands as cmd
    from sitbreak.history import Anchor, Recorder
    db = Path(sys.argv[1])
    rec = Recorder(db, anchor=Anchor({wall}))
    for i in range({n}):
        rec.handle(cmd.ShowNudge(i * 60.0, "stretch", "figure-four", 1800))
        rec.handle(cmd.NudgeAnswered(i * 60.0 + 5, "stretch", "figure-four", i * 60.0, "done"))
        rec.handle(cmd.SittingSpan(i * 60.0, i * 60.0 + 50))
    print("nudging went on after", 3 * {n}, "records;", rec.records, "recorded")
    rec.close()
    if db.exists():
        conn = sqlite3.connect(db)
        print("integrity", conn.execute("PRAGMA integrity_check").fetchone()[0])
"""


def test_read_only_directory_one_warning_no_crash(tmp_path: Path) -> None:
    target = tmp_path / "ro"
    target.mkdir()
    script = ["-c", textwrap.dedent(RECORD_A_DAY.format(wall=WALL, n=50)),
              str(target / "history.sqlite3")]
    wrapped = _private_mount("ro,size=1m", target, [sys.executable, *script])
    if wrapped is None:
        if os.geteuid() == 0:
            pytest.skip("root without a private mount namespace: cannot make a read-only dir")
        target.chmod(0o555)
        wrapped = [sys.executable, *script]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(wrapped, capture_output=True, text=True, env=env, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "nudging went on after 150 records; 0 recorded\n"
    assert run.stderr == (f"history: {target} is read-only; sitbreak goes on without "
                          "recording history\n")


def test_disk_full_one_warning_and_what_was_written_is_intact(tmp_path: Path) -> None:
    target = tmp_path / "small"
    target.mkdir()
    n = 400
    script = ["-c", textwrap.dedent(RECORD_A_DAY.format(wall=WALL, n=n)),
              str(target / "history.sqlite3")]
    wrapped = _private_mount("size=96k", target, [sys.executable, *script])
    if wrapped is None:
        pytest.skip("needs root and a private mount namespace for a tiny tmpfs")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(wrapped, capture_output=True, text=True, env=env, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr
    first, integrity = run.stdout.splitlines()
    assert first.startswith(f"nudging went on after {3 * n} records; ")
    recorded = int(first.split("; ")[1].split()[0])
    assert 0 < recorded < 3 * n  # some fitted, the rest was skipped
    assert integrity == "integrity ok"
    (warning,) = run.stderr.splitlines()
    assert warning.startswith(f"history: cannot write {target / 'history.sqlite3'}: ")
    assert "full" in warning
    assert warning.endswith("sitbreak goes on without recording history")


