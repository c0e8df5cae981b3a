"""The recorder stores what the engine reported, in the user's local time, and the CLI reads it
back: export, forget, stats."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitbreak.cli import main
from sitbreak.engine import commands as cmd
from sitbreak.history import Anchor, Recorder

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the config of whoever runs the tests."""
    monkeypatch.setenv("SITBREAK_CONFIG", str(tmp_path / "absent.toml"))


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _morning(rec: Recorder) -> None:
    """09:00–09:40 sitting, nudge at 09:30 done at 09:30:30... then away 09:40–09:50."""
    rec.handle(cmd.ShowNudge(1800, "stretch", "figure-four", 1800))
    rec.handle(cmd.NudgeAnswered(1830, "stretch", "figure-four", 1800, "done"))
    rec.handle(cmd.BreakRecorded(1830, 1830, "done"))
    rec.handle(cmd.SittingSpan(0, 1830))
    rec.handle(cmd.SittingSpan(1830, 2400))
    rec.handle(cmd.BreakRecorded(2400, 3000, "away"))
    rec.handle(cmd.PeriodRecorded("stand", 3600, 4200))


def test_records_come_back_in_local_time(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        _morning(rec)
        assert rec.records == 7
    code, out, _ = _cli(capsys, "history", "export", "--format", "json", "--db", str(db))
    assert code == 0
    data = json.loads(out)
    assert data["sitting"] == [
        {"start": "2026-11-16T09:00:00+01:00", "end": "2026-11-16T09:30:30+01:00",
         "duration_s": 1830.0},
        {"start": "2026-11-16T09:30:30+01:00", "end": "2026-11-16T09:40:00+01:00",
         "duration_s": 570.0},
    ]
    assert [b["cause"] for b in data["breaks"]] == ["done", "away"]
    assert data["breaks"][1]["start"] == "2026-11-16T09:40:00+01:00"
    assert data["breaks"][1]["duration_s"] == 600.0
    # the show and its answer are one nudge
    assert data["nudges"] == [{
        "shown": "2026-11-16T09:30:00+01:00", "kind": "stretch", "item": "figure-four",
        "repeat": False, "answer": "done", "answered": "2026-11-16T09:30:30+01:00",
        "response_s": 30.0,
    }]
    assert data["standing"][0]["start"] == "2026-11-16T10:00:00+01:00"
    assert data["pauses"] == []


def test_csv_export_and_since(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        _morning(rec)
        rec.handle(cmd.SittingSpan(86400, 86400 + 900))  # Tuesday
    code, out, _ = _cli(capsys, "history", "export", "--format", "csv", "--db", str(db))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["record"] for r in rows] == [
        "sitting", "nudge", "break", "sitting", "break", "standing", "sitting"]
    nudge = rows[1]
    assert (nudge["kind"], nudge["answer"], nudge["response_s"]) == ("stretch", "done", "30.0")
    code, out, _ = _cli(capsys, "history", "export", "--format", "csv", "--since",
                        "2026-11-17", "--db", str(db))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["record"], r["start"]) for r in rows] == [
        ("sitting", "2026-11-17T09:00:00+01:00")]


def test_answers_alone_make_nudges(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The daemon's sink interface: record(rec, wall_offset), answers without their shows."""
    db = tmp_path / "h.sqlite3"
    offset = MONDAY_9.timestamp()
    with Recorder(db, retention_days=None) as rec:
        rec.record(cmd.NudgeAnswered(700, "posture", "shoulders", 600, "ignored"), offset)
        rec.record(cmd.NudgeAnswered(2000, "stretch", "pigeon", 1800, "snoozed"), offset)
    _, out, _ = _cli(capsys, "history", "export", "--format", "json", "--db", str(db))
    nudges = json.loads(out)["nudges"]
    assert [(n["kind"], n["answer"], n["response_s"]) for n in nudges] == [
        ("posture", "ignored", None), ("stretch", "snoozed", 200.0)]


def test_repeated_nudge_is_a_new_nudge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        rec.handle(cmd.ShowNudge(1800, "stretch", "pigeon", 1800))
        rec.handle(cmd.NudgeAnswered(2400, "stretch", "pigeon", 1800, "ignored"))
        rec.handle(cmd.ShowNudge(2400, "stretch", "pigeon", 2400, repeat=True))
        rec.handle(cmd.NudgeAnswered(2460, "stretch", "pigeon", 2400, "done"))
    _, out, _ = _cli(capsys, "stats", "--day", "--date", "2026-11-16", "--json", "--db", str(db))
    nudges = json.loads(out)["current"]["nudges"]
    assert (nudges["shown"], nudges["repeated"], nudges["ignored"], nudges["done"]) == (2, 1, 1, 1)


def test_retention_prunes_old_records_on_start(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    now = time.time()
    with Recorder(db, anchor=Anchor(now), retention_days=None) as rec:
        rec.handle(cmd.SittingSpan(-400 * 86400, -400 * 86400 + 600))  # over a year ago
        rec.handle(cmd.SittingSpan(-10 * 86400, -10 * 86400 + 600))
        rec.handle(cmd.ShowNudge(-400 * 86400, "stretch", "old", 0))
    Recorder(db, anchor=Anchor(now)).close()  # default retention: 365 days
    _, out, _ = _cli(capsys, "history", "export", "--format", "json", "--db", str(db))
    data = json.loads(out)
    assert len(data["sitting"]) == 1
    assert data["nudges"] == []


def test_forget_before_and_all_erase_from_disk(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        _morning(rec)
        rec.handle(cmd.ShowNudge(86400, "stretch", "zq-marker-item", 1800))
        rec.handle(cmd.SittingSpan(86400, 86400 + 900))
    code, out, _ = _cli(capsys, "history", "forget", "--before", "2026-11-17", "--db", str(db))
    assert code == 0
    assert "forgot 6 records" in out
    _, out, _ = _cli(capsys, "history", "export", "--format", "json", "--db", str(db))
    data = json.loads(out)
    assert [s["start"][:10] for s in data["sitting"]] == ["2026-11-17"]
    assert data["breaks"] == []
    code, out, _ = _cli(capsys, "history", "forget", "--all", "--db", str(db))
    assert "forgot 2 records" in out
    files = [p for p in tmp_path.iterdir() if p.name.startswith("h.sqlite3")]
    assert all(b"zq-marker-item" not in p.read_bytes() for p in files)


def test_forget_needs_a_choice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["history", "forget", "--db", str(tmp_path / "h.sqlite3")])
    assert exc.value.code == 2
    assert "one of the arguments --all --before is required" in capsys.readouterr().err


def test_bad_dates_are_one_line_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    for argv in (["stats", "--date", "21/11/2026", "--db", db],
                 ["history", "export", "--format", "csv", "--since", "yesterday", "--db", db],
                 ["history", "forget", "--before", "2026-13-01", "--db", db]):
        code, _, err = _cli(capsys, *argv)
        assert code == 2
        assert err.count("\n") == 1
        assert "is not a date; use YYYY-MM-DD" in err


def test_no_history_yet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "none" / "h.sqlite3"
    code, out, _ = _cli(capsys, "stats", "--db", str(db))
    assert code == 0
    assert out.startswith(f"No history yet at {db}")
    code, out, _ = _cli(capsys, "history", "forget", "--all", "--db", str(db))
    assert (code, out) == (0, f"nothing to forget: no history at {db}\n")
    assert not db.parent.exists()  # reading never creates anything


def test_schema_version_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    Recorder(db).close()
    conn = sqlite3.connect(db)
    from sitbreak.history.schema import SCHEMA_VERSION

    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for t in ("sitting", "breaks", "nudges", "periods")
               for row in conn.execute(f"PRAGMA table_info({t})")}
    # times, kinds, causes and answers only: nothing that could hold typed text or a title
    assert columns == {"id", "start_ts", "end_ts", "utc_offset", "cause", "kind", "shown_ts",
                       "item", "repeat", "answer", "answered_ts", "in_progress"}


def test_forward_migration_keeps_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         caplog: pytest.LogCaptureFixture) -> None:
    from sitbreak.history import store
    from sitbreak.history.schema import MIGRATIONS

    db = tmp_path / "h.sqlite3"
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        rec.handle(cmd.SittingSpan(0, 600))
    # a later sitbreak adds a step whose second statement fails: nothing of it may stick
    broken = "ALTER TABLE sitting ADD COLUMN note TEXT; INSERT INTO nowhere VALUES (1)"
    monkeypatch.setattr(store, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(MIGRATIONS) + 1)
    rec = Recorder(db, retention_days=None)
    assert not rec.enabled
    rec.close()
    assert "no such table: nowhere" in caplog.records[-1].getMessage()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "note" not in {row[1] for row in conn.execute("PRAGMA table_info(sitting)")}
    conn.close()
    # the fixed step applies once, and the old records stay
    monkeypatch.setattr(store, "MIGRATIONS", (*MIGRATIONS, "ALTER TABLE sitting ADD COLUMN note"))
    with Recorder(db, anchor=Anchor.at(0.0, MONDAY_9), retention_days=None) as rec:
        assert rec.enabled
        rec.handle(cmd.SittingSpan(3600, 4200))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    assert conn.execute("SELECT count(*), count(note) FROM sitting").fetchone() == (2, 0)
    conn.close()
