"""NaN, infinity, huge and lax numbers: refused with one line at every entry we own (config
file, environment, CLI, replay) and at the engine's own boundary."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitbreak.engine import Engine, EngineError, Policy
from sitbreak.engine import events as ev
from sitbreak.errors import ConfigError, UsageError
from sitbreak.limits import MAX_DURATION_S, MAX_PAUSE_S, check_pause, check_seconds
from sitbreak.settings import load
from sitbreak.settings.durations import parse_duration

HUGE = "9" * 400


def sitbreak(*args: str, env: dict[str, str] | None = None,
             stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitbreak", *args], capture_output=True,
                          text=True, env=env, input=stdin, timeout=60, check=False)


def one_clean_line(text: str) -> str:
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, text
    assert "Traceback" not in text
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in lines[0]), repr(lines[0])
    return lines[0]


# -- config file -------------------------------------------------------------------------

BAD_NUMBERS = [
    ('stretch_every = "inf"', "bad duration 'inf'"),
    ('stretch_every = "nan"', "bad duration 'nan'"),
    ('stretch_every = "Infinity"', "bad duration"),
    ("stretch_every = inf", "finite"),
    ("stretch_every = -inf", "finite"),
    ("away_after = nan", "finite"),
    ("stretch_every = 1e308", "at most 24h"),
    ('stretch_every = "1e308"', "bad duration"),
    ('stretch_every = "1e3m"', "bad duration"),
    (f"stretch_every = {HUGE}", "at most 24h"),
    (f'stretch_every = "{HUGE}"', "at most 24h"),
    (f'stretch_every = "{HUGE}m"', "at most 24h"),
    ('stretch_every = "25h"', "at most 24h"),
    ("snooze = 86401", "at most 24h"),
    ('stretch_every = "3 0m"', "bad duration '3 0m'"),
    ('stretch_every = "٣٠m"', "bad duration"),  # Arabic-Indic digits
    ('stretch_every = "３０m"', "bad duration"),  # full-width digits
    ('stretch_every = "30m30m"', "each once, in that order"),
    ('stretch_every = "30s1h"', "each once, in that order"),
    ('stretch_every = "1_800"', "bad duration"),
]


@pytest.mark.parametrize(("line", "complaint"), BAD_NUMBERS)
def test_config_refuses_non_finite_huge_and_lax_durations(tmp_path: Path, line: str,
                                                          complaint: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"[timing]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, use_env=False)
    message = one_clean_line(str(info.value))
    assert message.startswith(f"{path}:2: timing.")
    assert complaint in message


def test_a_number_of_thousands_of_digits_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[timing]\n\nstretch_every = " + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, use_env=False)
    assert one_clean_line(str(info.value)) == f"{path}:3: a number with thousands of digits"


@pytest.mark.parametrize(("line", "complaint"), [
    ('[notifications]\nsound = "yes"', "expected true or false, got 'yes'"),
    ('[notifications]\nrespect_dnd = "on"', "expected true or false, got 'on'"),
    ("[history]\nenabled = 1", "expected true or false, got 1"),
    ("[history]\nenabled = 0", "expected true or false, got 0"),
    ("[content]\navoid_repeat = true", "expected a whole number, got true"),
    ("[content]\navoid_repeat = 4.0", "expected a whole number, got 4.0"),
    ('[content]\navoid_repeat = "٤"', "expected a whole number"),
    ("[history]\nretention_days = 1e3", "expected a whole number"),
    (f"[content]\nseed = {'9' * 30}", "less than or equal to 9223372036854775807"),
    ('[content]\ndir = "a\\u0000b"', "must not contain control characters"),
    ('[history]\npath = "x\\u001b[2J"', "must not contain control characters"),
    ('[schedule]\nworking_hours = "mon-fri ٠٨:٠٠-18:00"', "bad time"),
    ('[schedule]\nworking_hours = "mon-fri +8:00-18:00"', "bad time"),
])
def test_config_is_strict_about_booleans_whole_numbers_and_text(tmp_path: Path, line: str,
                                                                 complaint: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, use_env=False)
    message = one_clean_line(str(info.value))
    assert message.startswith(f"{path}:2: ")
    assert complaint in message


def test_strict_values_still_read_what_people_write(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[timing]\nstretch_every = "1h 30m"\naway_after = " 4 m "\n'
                    'posture_every = 0\n[notifications]\nsound = true\n'
                    "[content]\navoid_repeat = 7\nseed = -3\n", encoding="utf-8")
    s = load(path, use_env=False)
    assert (s.timing.stretch_every, s.timing.away_after, s.timing.posture_every) == (5400, 240, 0)
    assert (s.notifications.sound, s.content.avoid_repeat, s.content.seed) == (True, 7, -3)
    assert parse_duration("24h") == MAX_DURATION_S


# -- environment -------------------------------------------------------------------------

def test_an_environment_error_names_the_variable_not_the_files_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[timing]\nstretch_every = "20m"\n', encoding="utf-8")
    monkeypatch.setenv("SITBREAK_TIMING__STRETCH_EVERY", "abc")
    with pytest.raises(ConfigError) as info:
        load(path)
    message = one_clean_line(str(info.value))
    assert message.startswith("environment variable SITBREAK_TIMING__STRETCH_EVERY: "
                              "timing.stretch_every: bad duration 'abc'")
    assert str(path) not in message


@pytest.mark.parametrize(("name", "value", "complaint"), [
    ("SITBREAK_TIMING__STRETCH_EVERY", "inf", "bad duration 'inf'"),
    ("SITBREAK_TIMING__AWAY_AFTER", "nan", "bad duration 'nan'"),
    ("SITBREAK_TIMING__SNOOZE", HUGE, "at most 24h"),
    ("SITBREAK_NOTIFICATIONS__SOUND", "yes", "expected true or false"),
    ("SITBREAK_HISTORY__ENABLED", "1", "expected true or false"),
    ("SITBREAK_CONTENT__SEED", "9" * 5000, "content.seed"),
    ("SITBREAK_CONTENT__WHERE", "[", "not valid JSON"),
    ("SITBREAK_CONTENT__WHERE", "[" * 30000 + "]" * 30000, "nested too deeply"),
    ("SITBREAK_CONTENT__WHERE", '["sofa"]', "'desk', 'standing' or 'floor'"),
])
def test_environment_values_are_checked_like_the_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      name: str, value: str,
                                                      complaint: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[timing]\nstretch_every = "20m"\n', encoding="utf-8")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load(path)
    message = one_clean_line(str(info.value))
    assert message.startswith(f"environment variable {name}")
    assert complaint in message


def test_config_check_without_a_file_still_checks_the_environment(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "SITBREAK_CONFIG": str(tmp_path / "absent.toml"),
           "SITBREAK_TIMING__STRETCH_EVERY": "nan"}
    r = sitbreak("config", "check", env=env)
    assert r.returncode == 2
    assert one_clean_line(r.stderr).startswith(
        "sitbreak: environment variable SITBREAK_TIMING__STRETCH_EVERY: ")


# -- CLI -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e308m", "1e400s", f"{HUGE}m",
                                   "169h", "0m", "-5m", "3 0m", "٣٠m"])
def test_pause_refuses_non_finite_huge_and_lax_values(value: str) -> None:
    from sitbreak.commands.pause import parse_pause

    with pytest.raises(UsageError) as info:
        parse_pause(value)
    assert one_clean_line(str(info.value)).startswith("pause: ")


def test_pause_accepts_up_to_seven_days() -> None:
    from sitbreak.commands.pause import parse_pause

    assert parse_pause("168h") == (MAX_PAUSE_S, False)
    assert parse_pause("1h 30m") == (5400, False)


def test_pause_inf_on_the_command_line_is_one_line_and_never_reaches_a_daemon() -> None:
    r = sitbreak("pause", "inf")
    assert r.returncode == 2
    assert one_clean_line(r.stderr).startswith("sitbreak: pause: bad duration 'inf'")


# -- the shared checks other entry points call (control socket) ----------------------------

@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, 1e308, -1, 0, True,
                                   "30", None, MAX_PAUSE_S + 1])
def test_check_pause_refuses_everything_out_of_range(value: object) -> None:
    with pytest.raises(ValueError, match="pause") as info:
        check_pause(value)
    one_clean_line(str(info.value))


def test_check_seconds_never_overflows() -> None:
    with pytest.raises(ValueError, match="at most 24h"):
        check_seconds(10**400, high=MAX_DURATION_S)
    assert check_pause(60) == 60.0


# -- engine boundary ---------------------------------------------------------------------

@pytest.mark.parametrize("field", ["stretch_every", "away_after", "snooze", "recheck"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0])
def test_the_engine_refuses_a_policy_it_could_not_compute_with(field: str, value: float) -> None:
    changes: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(Policy(), **changes)


def test_the_engine_refuses_non_finite_event_times_and_pause_lengths() -> None:
    engine = Engine(Policy())
    with pytest.raises(EngineError, match="finite"):
        engine.handle(ev.Input(math.nan))
    with pytest.raises(EngineError, match="finite"):
        engine.handle(ev.Lock(math.inf))
    with pytest.raises(EngineError, match="finite"):
        engine.input_at(math.inf)
    with pytest.raises(ValueError, match="for_s"):
        ev.Pause(1.0, math.nan)
    with pytest.raises(ValueError, match="idle_s"):
        ev.IdleSample(1.0, math.inf)
    assert engine.handle(ev.Input(1.0)) is not None  # still usable afterwards


# -- replay ------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "complaint"), [
    ('{"t": 1e308, "event": "input"}', "'t' must be at least 0s and at most"),
    (f'{{"t": {HUGE}, "event": "input"}}', "'t' must be at least 0s and at most"),
    (f'{{"t": {HUGE}, "event": "lock"}}', "'t' must be at least 0s and at most"),
    ('{"t": ' + "9" * 5000 + ', "event": "input"}', "a number with thousands of digits"),
    ('{"t": Infinity, "event": "input"}', "Infinity is not a number JSON allows"),
    ('{"t": NaN, "event": "input"}', "NaN is not a number JSON allows"),
    ('{"t": -Infinity, "event": "input"}', "-Infinity is not a number JSON allows"),
    ('{"t": 5, "event": "pause", "for": 1e308}', "'for' must be at least 0s and at most 7 days"),
    ('{"t": 5, "event": "pause", "for": NaN}', "NaN is not a number JSON allows"),
    ('{"t": 5, "event": "pause", "for": ' + HUGE + "}", "at most 7 days"),
    ("[" * 100000, "nested too deeply"),
    ('{"t": 5, "event": {"a": ' * 5000 + "1" + "}" * 5000, "nested too deeply"),
])
def test_replay_refuses_bad_numbers_with_one_line_and_prints_nothing(
        tmp_path: Path, line: str, complaint: str) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"t": 1, "event": "input"}\n' + line + "\n", encoding="utf-8")
    r = sitbreak("replay", str(path))
    assert (r.returncode, r.stdout) == (2, "")
    message = one_clean_line(r.stderr)
    assert message.startswith(f"sitbreak: {path}:2: ")
    assert complaint in message


@pytest.mark.parametrize(("start", "complaint"), [
    ('"9999-12-31T23:00:00"', "years 1900-2999"),
    ('"0001-01-01T00:00:00"', "years 1900-2999"),
    ("5", "ISO date-time"),
    ("NaN", "NaN is not a number JSON allows"),
    ('"' + "2026" * 1000 + '"', "ISO date-time"),
])
def test_replay_refuses_a_start_that_would_overflow_the_calendar(
        tmp_path: Path, start: str, complaint: str) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(f'{{"start": {start}}}\n{{"t": 315000000, "event": "input"}}\n',
                    encoding="utf-8")
    r = sitbreak("replay", str(path))
    assert (r.returncode, r.stdout) == (2, "")
    message = one_clean_line(r.stderr)
    assert message.startswith(f"sitbreak: {path}:1: ") and complaint in message


def test_a_trace_at_the_edge_of_the_ranges_replays_with_finite_output(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"start": "2999-01-01T00:00:00"}\n{"t": 1, "event": "input"}\n'
                    '{"t": 2, "event": "pause", "for": 604800}\n'
                    '{"t": 316224000, "event": "input"}\n', encoding="utf-8")
    r = sitbreak("replay", str(path))
    assert r.returncode == 0, r.stderr
    for raw in r.stdout.splitlines():
        record = json.loads(raw, parse_constant=lambda c: pytest.fail(f"{c} in the output"))
        for value in record.values():
            if isinstance(value, float):
                assert math.isfinite(value)


def test_a_non_utf8_trace_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    good = "".join(f'{{"t": {i}, "event": "input"}}\n' for i in range(1, 5000)).encode()
    path.write_bytes(good + b'{"t": 6000, "event": "inp\xffut"}\n')
    r = sitbreak("replay", str(path))
    assert r.returncode == 2
    assert one_clean_line(r.stderr) == f"sitbreak: {path}:5000: not UTF-8 text (invalid start byte)"
    piped = sitbreak("replay", "-", stdin="")
    assert piped.returncode == 0  # an empty stdin is an empty trace


def test_replay_of_an_endless_line_stops_with_one_line() -> None:
    r = sitbreak("replay", "/dev/zero")
    assert r.returncode == 2
    assert one_clean_line(r.stderr).startswith("sitbreak: /dev/zero:1: line longer than")
