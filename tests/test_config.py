"""Config: defaults, overrides, and one clear line for every kind of broken file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitbreak.errors import ConfigError
from sitbreak.settings import Settings, load, to_policy
from sitbreak.settings.durations import format_duration, parse_duration

REPO = Path(__file__).resolve().parents[1]


def sitbreak(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitbreak", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("30m", 1800), ("1h30m", 5400), ("1.5h", 5400), ("45", 45), (" 2m 30s ", 150),
    (0, 0), (12.5, 12.5),
])
def test_durations_read_as_people_write_them(text, seconds):
    assert parse_duration(text) == seconds


def test_format_duration_round_trips():
    for s in (0, 59, 60, 3599, 5400, 86400):
        assert parse_duration(format_duration(s)) == s


def test_shipped_config_is_valid_and_equals_the_defaults(tmp_path):
    shipped = load(REPO / "config" / "sitbreak.toml", use_env=False)
    assert shipped == load(tmp_path / "absent.toml", use_env=False)
    assert shipped.timing.stretch_every == 1800
    assert shipped.timing.away_after == 180


def test_every_key_in_the_schema_is_documented_in_the_shipped_config():
    text = (REPO / "config" / "sitbreak.toml").read_text()
    for section, model in Settings.model_fields.items():
        assert f"[{section}]" in text
        sub = model.annotation
        assert sub is not None
        for key in sub.model_fields:
            assert f"\n{key} =" in text or f"\n# {key} =" in text, f"{section}.{key} undocumented"


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[timing]\nstretch_every = "40m"\nsnooze = "5m"\n')
    monkeypatch.setenv("SITBREAK_TIMING__STRETCH_EVERY", "20m")
    s = load(path)
    assert s.timing.stretch_every == 1200
    assert s.timing.snooze == 300  # the file still counts where the environment is silent
    assert load(path, use_env=False).timing.stretch_every == 2400


def test_policy_carries_the_config_into_the_engine(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[timing]\nstretch_every = "45m"\nposture_every = "0"\n'
                    '[schedule]\nworking_hours = "mon-fri 09:00-17:00"\n')
    p = to_policy(load(path, use_env=False))
    assert p.stretch_every == 2700
    assert p.posture_every == 0
    assert p.working_hours.windows
    assert p.recheck is None
    assert to_policy(load(path, use_env=False), sampled=True).recheck == 5


# (file text, what the one line must name). Each is a mistake a person could make.
BROKEN = [
    ('[timing]\nstretch_evry = "30m"\n', ["timing.stretch_evry", ":2", "did you mean 'stretch_every'"]),
    ('[timng]\nstretch_every = "30m"\n', ["timng", ":1", "did you mean 'timing'"]),
    ('[timing]\nstretch_every = 30m\n', [":2", "TOML syntax error", "quote them"]),
    ('[timing]\nstretch_every = "30x"\n', ["timing.stretch_every", ":2", "bad duration '30x'"]),
    ('[timing]\nstretch_every = "-5m"\n', ["timing.stretch_every", "bad duration"]),
    ('[timing]\nstretch_every = -300\n', ["timing.stretch_every", "at least 0s and at most 24h"]),
    ('[timing]\nstretch_every = true\n', ["timing.stretch_every", "boolean"]),
    ('[timing]\nstretch_every = ""\n', ["timing.stretch_every", "empty duration"]),
    ('[timing]\nstretch_every = "30s"\n', ["timing.stretch_every", "at least 1m"]),
    ('[timing]\naway_after = "40m"\n', ["timing.away_after", "shorter than stretch_every"]),
    ('[timing]\naway_after = "0s"\n', ["timing.away_after", "more than 0s"]),
    ('[timing]\nposture_every = "45m"\n', ["timing.posture_every", "shorter than stretch_every"]),
    ('[timing]\nposture_every = "10s"\n', ["timing.posture_every", "at least 30s"]),
    ('[timing]\nrepeat_after = "5s"\n', ["timing.repeat_after", "at least 30s"]),
    ('[timing]\nsnooze = "1s"\n', ["timing.snooze", "at least 30s"]),
    ('[timing]\npresent_within = "5m"\n', ["timing.present_within", "shorter than away_after"]),
    ('[timing]\nstretch_every = ["30m"]\n', ["timing.stretch_every", "expected a duration"]),
    ('[schedule]\nworking_hours = "mon-fry 08:00-18:00"\n', ["schedule.working_hours", ":2", "mon-fry"]),
    ('[schedule]\nworking_hours = "mon-fri 8-18"\n', ["schedule.working_hours", "bad time"]),
    ('[schedule]\nworking_hours = "mon-fri 25:00-26:00"\n', ["schedule.working_hours", "out of range"]),
    ('[schedule]\nworking_hours = "mon-fri 09:00-09:00"\n', ["schedule.working_hours", "empty time range"]),
    ('[schedule]\nworking_hours = 9\n', ["schedule.working_hours", "string"]),
    ('[schedule]\nhours = "mon-fri 09:00-17:00"\n', ["schedule.hours", "known keys: working_hours"]),
    ('[activity]\nsource = "keyboard"\n', ["activity.source", "'auto', 'idle' or 'listener'"]),
    ('[activity]\nidle_poll = "5m"\n', ["activity.idle_poll", "between 1s and 60s"]),
    ('[content]\nwhere = ["desk", "sofa"]\n', ["content.where", "'desk', 'standing' or 'floor'"]),
    ('[content]\nwhere = "desk"\n', ["content.where", "list"]),
    ('[content]\navoid_repeat = -1\n', ["content.avoid_repeat", "greater than or equal to 0"]),
    ('[content]\nfavorites = ["pigeon"]\n', ["content.favorites", "did you mean 'favourites'"]),
    ('[notifications]\nsound = "loud"\n', ["notifications.sound", "expected true or false, got 'loud'"]),
    ('[history]\nretention_days = 0\n', ["history.retention_days", "greater than or equal to 1"]),
    ('[history]\nretention_days = "a year"\n', ["history.retention_days", "whole number, got 'a year'"]),
    ('stretch_every = "30m"\n', ["stretch_every", ":1", "unknown key"]),
    ('[timing]\nstretch_every = "30m"\nstretch_every = "20m"\n', [":3", "TOML syntax error"]),
    ('[timing\nstretch_every = "30m"\n', [":1", "TOML syntax error"]),
    ('[timing]\nstretch_every = "30m\n', [":2", "TOML syntax error"]),
    ("timing = 5\n", ["timing", ":1"]),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN, ids=[f"broken{i:02}" for i in range(len(BROKEN))])
def test_broken_config_gives_one_line_naming_file_key_and_problem(tmp_path, text, expected):
    path = tmp_path / "sitbreak.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load(path, use_env=False)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_unreadable_and_non_utf8_files_are_reported_not_raised(tmp_path):
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe[timing]\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load(binary)
    with pytest.raises(ConfigError, match="a directory"):
        load(tmp_path)
    with pytest.raises(ConfigError, match="no such file"):
        load(tmp_path / "missing.toml", must_exist=True)


def test_config_check_cli_prints_one_line_and_exit_code_2_for_each_broken_file(tmp_path):
    for i, (text, _expected) in enumerate(BROKEN[:5]):
        path = tmp_path / f"c{i}.toml"
        path.write_text(text)
        res = sitbreak("config", "check", str(path))
        assert res.returncode == 2
        assert res.stdout == ""
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], res.stderr
        assert "Traceback" not in res.stderr
    ok = sitbreak("config", "check", str(REPO / "config" / "sitbreak.toml"))
    assert ok.returncode == 0 and ok.stdout.strip().endswith(": ok")


def test_config_init_writes_the_documented_file_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "dir" / "sitbreak.toml"
    first = sitbreak("config", "init", str(target))
    assert first.returncode == 0, first.stderr
    assert target.read_text() == (REPO / "config" / "sitbreak.toml").read_text()
    again = sitbreak("config", "init", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_config_path_follows_the_environment_variable(tmp_path):
    import os

    env = {**os.environ, "SITBREAK_CONFIG": str(tmp_path / "x.toml")}
    res = sitbreak("config", "path", env=env)
    assert res.stdout.strip() == str(tmp_path / "x.toml")
