"""``sitbreak replay TRACE --db PATH`` fills a history whose statistics agree with the replay."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitbreak.cli import main
from sitbreak.history.demo import office_week
from sitbreak.tracegen import office_days

LAST_DAY = date(2026, 11, 21)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the config of whoever runs the tests."""
    monkeypatch.setenv("SITBREAK_CONFIG", str(tmp_path / "absent.toml"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _week(generator: str, seed: int) -> list[str]:
    if generator == "answers-nudges":
        return office_week(LAST_DAY, 7, seed)
    # the lead's office days: input, locks and sleep only, so every nudge goes unanswered
    return list(office_days(7, seed, start_date=(LAST_DAY - timedelta(days=6)).isoformat()))


@pytest.mark.parametrize(("generator", "seed"), [("answers-nudges", 1), ("answers-nudges", 7),
                                                 ("office-days", 3)])
def test_week_stats_agree_with_the_replay_summary(generator: str, seed: int, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    trace = tmp_path / "week.jsonl"
    trace.write_text("".join(line + "\n" for line in _week(generator, seed)))
    db = tmp_path / "week.sqlite3"
    code, with_db, err = _run(capsys, "replay", str(trace), "--db", str(db))
    assert (code, err) == (0, "")
    _, without_db, _ = _run(capsys, "replay", str(trace))
    assert with_db == without_db  # recording changes nothing in the replay itself
    summary = json.loads(with_db.splitlines()[-1])
    assert summary["type"] == "summary"

    _, out, _ = _run(capsys, "stats", "--week", "--date", LAST_DAY.isoformat(), "--json",
                     "--db", str(db))
    week = json.loads(out)["current"]
    assert week["sitting_s"] == pytest.approx(summary["sitting_s"], abs=0.01)
    assert week["longest_sitting_s"] == pytest.approx(summary["longest_sitting_s"], abs=0.01)
    assert sum(week["breaks"].values()) == summary["breaks"]
    assert week["nudges"]["stretch"] == summary["nudges"]["stretch"]
    assert week["nudges"]["posture"] == summary["nudges"]["posture"]
    # a realistic week: several days, nudges answered in every way the person does
    assert week["days_with_sitting"] >= 5
    assert summary["sitting_s"] > 5 * 5 * 3600
    answers = ("done", "snoozed", "skipped", "ignored") if generator == "answers-nudges" else (
        "ignored",)
    for answer in answers:
        assert week["nudges"][answer] > 0, answer

    # the days add up to the week
    days = []
    for day in range(15, 22):
        _, out, _ = _run(capsys, "stats", "--day", "--date", f"2026-11-{day}", "--json",
                         "--db", str(db))
        days.append(json.loads(out)["current"])
    assert sum(d["sitting_s"] for d in days) == pytest.approx(week["sitting_s"], abs=0.01)
    assert sum(d["nudges"]["shown"] for d in days) == week["nudges"]["shown"]
    assert max(d["longest_sitting_s"] for d in days) == week["longest_sitting_s"]


def test_a_bad_trace_records_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = office_week(LAST_DAY, 2, 1)
    trace = tmp_path / "bad.jsonl"
    trace.write_text("".join(line + "\n" for line in [*lines, '{"t": 1, "event": "input"}']))
    db = tmp_path / "h.sqlite3"
    code, out, err = _run(capsys, "replay", str(trace), "--db", str(db))
    assert code == 2
    assert out == ""
    assert f"{trace}:{len(lines) + 1}: 't' went backwards" in err
    assert not db.exists()


def test_replay_into_an_unwritable_place_still_replays(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        caplog: pytest.LogCaptureFixture) -> None:
    trace = tmp_path / "day.jsonl"
    trace.write_text("".join(line + "\n" for line in office_week(LAST_DAY, 1, 2)))
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, out, err = _run(capsys, "replay", str(trace), "--db", str(blocker / "h.sqlite3"))
    _, plain, _ = _run(capsys, "replay", str(trace))
    assert (code, err) == (0, "")
    assert out == plain
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"history: {blocker} is not a directory; sitbreak goes on without "
                        "recording history"]
