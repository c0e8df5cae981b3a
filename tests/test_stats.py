"""``sitbreak stats``: the numbers a user reads, the trend, and the chart."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sitbreak.cli import main
from sitbreak.engine import commands as cmd
from sitbreak.history import Anchor, Recorder

MONDAY = datetime(2026, 11, 16, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))
H, M = 3600.0, 60.0


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the config of whoever runs the tests."""
    monkeypatch.setenv("SITBREAK_CONFIG", str(tmp_path / "absent.toml"))


def at(day: int, hh: int, mm: int = 0) -> float:
    return day * 86400 + hh * H + mm * M


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Mon 16: 60 + 20 min sitting; Tue 17: 25 + 45 min and a span 23:30–00:30 into Wed."""
    path = tmp_path / "h.sqlite3"
    with Recorder(path, anchor=Anchor.at(0.0, MONDAY), retention_days=None) as rec:
        for c in (
            # Monday
            cmd.ShowNudge(at(0, 9, 30), "stretch", "pigeon", 1800),
            cmd.NudgeAnswered(at(0, 9, 31), "stretch", "pigeon", at(0, 9, 30), "snoozed"),
            cmd.SittingSpan(at(0, 9), at(0, 10)),
            cmd.BreakRecorded(at(0, 10), at(0, 10, 10), "away"),
            cmd.SittingSpan(at(0, 10, 10), at(0, 10, 30)),
            cmd.BreakRecorded(at(0, 10, 30), at(0, 11), "lock"),
            # Tuesday
            cmd.ShowNudge(at(1, 9, 15), "posture", "shoulders", 900),
            cmd.NudgeAnswered(at(1, 9, 25), "posture", "shoulders", at(1, 9, 15), "ignored"),
            cmd.SittingSpan(at(1, 9), at(1, 9, 25)),
            cmd.BreakRecorded(at(1, 9, 25), at(1, 9, 30), "away"),
            cmd.ShowNudge(at(1, 10), "stretch", "figure-four", 1800),
            cmd.NudgeAnswered(at(1, 10, 2), "stretch", "figure-four", at(1, 10), "done"),
            cmd.BreakRecorded(at(1, 10, 2), at(1, 10, 2), "done"),
            cmd.SittingSpan(at(1, 9, 30), at(1, 10, 15)),
            cmd.ShowNudge(at(1, 23, 59), "stretch", "glute-bridge", 1800),
            cmd.NudgeAnswered(at(1, 23, 59) + 30, "stretch", "glute-bridge", at(1, 23, 59),
                              "skipped"),
            cmd.SittingSpan(at(1, 23, 30), at(2, 0, 30)),
        ):
            rec.handle(c)
    return path


def stats(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> dict[str, Any]:
    assert main(["stats", "--json", "--db", str(db), *argv]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_day_numbers_and_previous_day(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = stats(capsys, db, "--day", "--date", "2026-11-17")
    tue, mon = out["current"], out["previous"]
    assert tue["sitting_s"] == (25 + 45 + 30) * M  # the midnight span counts 30 min here
    assert (tue["sitting_spans"], tue["longest_sitting_s"], tue["spans_over_limit"]) == (
        2, 45 * M, 1)
    assert tue["natural_breaks"] == 1
    assert tue["breaks"] == {"away": 1, "lock": 0, "sleep": 0, "done": 1}
    n = tue["nudges"]
    assert (n["shown"], n["stretch"], n["posture"]) == (3, 2, 1)
    assert (n["done"], n["skipped"], n["ignored"], n["snoozed"]) == (1, 1, 1, 0)
    assert tue["median_response_s"] == (120 + 30) / 2  # ignored nudges have no answer time
    assert mon["sitting_s"] == 80 * M
    assert (mon["longest_sitting_s"], mon["spans_over_limit"], mon["natural_breaks"]) == (
        60 * M, 1, 2)
    assert mon["median_response_s"] == 60


def test_span_over_midnight_counts_its_length_on_the_day_it_ended(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wed = stats(capsys, db, "--day", "--date", "2026-11-18")["current"]
    assert wed["sitting_s"] == 30 * M
    assert (wed["sitting_spans"], wed["longest_sitting_s"], wed["spans_over_limit"]) == (
        1, 60 * M, 1)


def test_week_and_limit(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    week = stats(capsys, db, "--week", "--date", "2026-11-18")["current"]
    assert (week["first_day"], week["last_day"]) == ("2026-11-12", "2026-11-18")
    assert week["sitting_s"] == 210 * M
    assert (week["sitting_spans"], week["days_with_sitting"]) == (5, 3)
    assert week["spans_over_limit"] == 3
    longer = stats(capsys, db, "--week", "--date", "2026-11-18", "--limit", "50")["current"]
    assert longer["spans_over_limit"] == 2  # 60 and 60 min; the 45 min span is now fine
    month = stats(capsys, db, "--month", "--date", "2026-12-01")["current"]
    assert (month["first_day"], month["sitting_s"]) == ("2026-11-02", 210 * M)


def test_text_shows_the_trend(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--day", "--date", "2026-11-17", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Sitting, Tue 17 Nov 2026  (previous: Mon 16 Nov 2026)")
    # label | this day | day before | change, columns two or more spaces apart
    rows = {cells[0]: cells[1:] for line in text.splitlines()[2:]
            if (cells := re.split(r"\s{2,}", line.strip()))}
    assert rows["this day"] == ["day before", "change"]
    assert rows["Total sitting"] == ["1 h 40 min", "1 h 20 min", "+25 %"]
    assert rows["Longest continuous sitting"] == ["45 min", "1 h 00 min", "−15 min"]
    assert rows["Spans over the limit (30 min)"] == ["1", "1", "same"]
    assert rows["Natural breaks"] == ["1", "2", "−1"]
    assert rows["Nudges shown"] == ["3", "1", "+2"]
    assert rows["Median time to answer"] == ["1 min 15 s", "1 min 00 s"]


def test_config_names_the_database_and_the_limit(db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "sitbreak.toml"
    config.write_text(f'[timing]\nstretch_every = "50m"\n\n[history]\npath = "{db}"\n')
    assert main(["stats", "--week", "--date", "2026-11-18", "--json", "--config",
                 str(config)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["database"] == str(db)
    assert out["current"]["stretch_limit_s"] == 3000
    assert out["current"]["spans_over_limit"] == 2


def test_a_broken_user_config_still_shows_stats(db: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[timing]\nstretch_every = 30m\n")
    monkeypatch.setenv("SITBREAK_CONFIG", str(config))
    assert main(["stats", "--day", "--date", "2026-11-17", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "Total sitting" in out
    assert err.count("\n") == 1
    assert err.startswith(f"sitbreak: {config}:2: TOML syntax error")
    assert err.endswith("(using the defaults)\n")


def test_hint_when_the_period_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "old.sqlite3"
    long_ago = datetime.combine(date.today() - timedelta(days=40), time(9))
    with Recorder(db, anchor=Anchor.at(0.0, long_ago), retention_days=None) as rec:
        rec.handle(cmd.SittingSpan(0, 1800))
    assert main(["stats", "--week", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    day = long_ago.date().isoformat()
    assert f"the latest sitting was on {day} (try --date {day})" in out


def _orange_pixels(png: Path) -> int:
    from PIL import Image

    from sitbreak.history.chart import OVER

    want = tuple(int(OVER[i:i + 2], 16) for i in (1, 3, 5))
    img = Image.open(png).convert("RGB")
    total = 0
    for n, px in img.getcolors(maxcolors=img.width * img.height) or []:
        assert isinstance(px, tuple)
        if all(abs(a - b) <= 6 for a, b in zip(px, want, strict=True)):
            total += n
    return total


def test_chart_marks_sitting_past_the_limit(db: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    from PIL import Image

    png = tmp_path / "out" / "week.png"
    assert main(["stats", "--week", "--date", "2026-11-18", "--db", str(db),
                 "--chart", str(png)]) == 0
    assert f"chart: {png}" in capsys.readouterr().out
    with Image.open(png) as img:
        assert img.format == "PNG"
        assert img.width >= 1000
        assert img.height >= 400
    over = _orange_pixels(png)
    assert over > 500  # the 60 and 45 min spans went past 30 min
    calm = tmp_path / "calm.png"
    main(["stats", "--week", "--date", "2026-11-18", "--db", str(db), "--chart", str(calm),
          "--limit", "90"])
    # the legend swatch stays; no span went past 90 min
    assert _orange_pixels(calm) < over / 4


def test_chart_without_matplotlib_says_how_to_install(db: Path, tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from sitbreak.cli import main\n"
        f"sys.exit(main(['stats', '--db', {str(db)!r}, '--chart', {str(tmp_path / 'x.png')!r}]))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, check=False)
    assert run.returncode == 1
    assert run.stderr == ("sitbreak: the chart needs matplotlib, which is missing from this "
                          "Python environment; reinstall sitbreak (from a clone: delete .venv "
                          "and run ./sitbreak)\n")
    assert not (tmp_path / "x.png").exists()


def test_statistics_window_without_a_display_is_one_line(db: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    run = subprocess.run([sys.executable, "-m", "sitbreak", "stats", "--window", "--db", str(db)],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert run.returncode == 3
    assert run.stderr.startswith("sitbreak: cannot open a window: ")
    assert run.stderr.count("\n") == 1
