"""``sitbreak replay``: the output format, strict input, determinism, realistic office weeks."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sitbreak.content import load_library
from sitbreak.engine.policy import Policy
from sitbreak.replay import replay
from sitbreak.tracegen import office_days
from tests.presence_oracle import presence_breaks

AWAY = 180.0


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitbreak", "replay", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def write(tmp_path: Path, lines: Sequence[object], name: str = "trace.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


def typing(a: float, b: float, every: float = 30) -> list[dict[str, object]]:
    out = []
    t = a
    while t <= b:
        out.append({"t": t, "event": "input"})
        t += every
    return out


def test_output_lines_and_summary_for_a_morning(tmp_path):
    trace = [{"start": "2026-11-23T08:30:00"}, *typing(0, 1900), {"t": 1905, "event": "lock"},
             {"t": 4000, "event": "unlock"}, *typing(4010, 4100)]
    res = run_cli(str(write(tmp_path, trace)))
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    library = load_library(with_user=False).items
    posture, stretch = lines[0].pop("item"), lines[1].pop("item")
    assert library[posture].kind == "posture"
    # content.mix's default (1 movement : 2 stretches) starts with a movement item
    assert library[stretch].kind == "movement"
    assert library[stretch].where in ("desk", "standing")  # the default [content] where
    assert lines == [
        {"t": 900.0, "type": "nudge", "kind": "posture", "sitting_s": 900.0},
        {"t": 1800.0, "type": "nudge", "kind": "stretch", "sitting_s": 1800.0, "movement": True},
        {"t": 1905.0, "type": "withdraw"},
        {"t": 4010.0, "type": "break", "from": 1890.0, "to": 4010.0, "cause": "lock"},
        {"type": "summary", "events": len(trace) - 1, "nudges": {"stretch": 1, "posture": 1},
         "movement": 1, "breaks": 1, "sitting_s": 1890.0 + 90.0, "longest_sitting_s": 1890.0},
    ]


def test_pause_stand_and_answers_in_a_trace(tmp_path):
    trace = [*typing(0, 1800), {"t": 1801, "event": "done"}, *typing(1830, 2400),
             {"t": 2401, "event": "pause", "for": 3600}, *typing(2430, 7000),
             {"t": 7001, "event": "stand"}, *typing(7030, 9000), {"t": 9001, "event": "sit"},
             *typing(9030, 9100)]
    records = [json.loads(x) for x in run_cli(str(write(tmp_path, trace))).stdout.splitlines()]
    kinds = [(r.get("type"), r.get("cause")) for r in records]
    assert ("break", "done") in kinds
    nudge_times = [r["t"] for r in records if r.get("type") == "nudge"]
    assert not [t for t in nudge_times if 2401 < t < 6001]  # paused
    assert not [t for t in nudge_times if 7001 < t < 9001]  # standing
    assert 6001.0 in nudge_times  # the stretch that fell due in the pause comes at its end


@pytest.mark.parametrize(("line", "complaint"), [
    ("{not json}", "not valid JSON"),
    ('{"event": "input"}', "'t' must be a number"),
    ('{"t": "12", "event": "input"}', "'t' must be a number"),
    ('{"t": -1, "event": "input"}', "'t' must be at least 0s"),
    ('{"t": 5, "event": "typing"}', "unknown event 'typing'"),
    ('{"t": 5, "event": "input", "key": "a"}', "unexpected key 'key'"),
    ('{"t": 5, "event": "pause", "for": "1h"}', "'for' must be a number"),
    ('{"t": 5, "event": "pause", "until": "monday"}', "'until' can only be"),
    ("[1, 2]", "expected a JSON object"),
    ('{"t": 1, "event": "input"}', "went backwards"),
    ('{"start": "2026-11-23T08:00:00"}', "only allowed as the first line"),
])
def test_a_malformed_line_stops_with_exit_2_naming_the_line_and_prints_nothing(tmp_path, line,
                                                                                complaint):
    good = "".join(json.dumps(x) + "\n" for x in typing(0, 2000))
    path = tmp_path / "bad.jsonl"
    path.write_text(good + line + "\n" + json.dumps({"t": 3000, "event": "input"}) + "\n")
    res = run_cli(str(path))
    assert res.returncode == 2
    assert res.stdout == ""  # not even the nudges before the bad line
    n = len(good.splitlines()) + 1
    assert res.stderr.strip() == res.stderr.strip().splitlines()[0]
    assert f"{path}:{n}:" in res.stderr and complaint in res.stderr, res.stderr


def test_bad_start_line_is_named(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"start": "soon"}\n{"t": 1, "event": "input"}\n')
    res = run_cli(str(path))
    assert res.returncode == 2 and f"{path}:1:" in res.stderr and "ISO date-time" in res.stderr


def test_missing_trace_and_stdin(tmp_path):
    res = run_cli(str(tmp_path / "nope.jsonl"))
    assert res.returncode == 2 and "no such file" in res.stderr
    piped = run_cli("-", stdin="".join(json.dumps(x) + "\n" for x in typing(0, 1900)))
    assert piped.returncode == 0 and '"kind": "stretch"' in piped.stdout


def test_replay_is_deterministic_and_ignores_the_users_config_and_environment(tmp_path):
    path = tmp_path / "week.jsonl"
    path.write_text("\n".join(office_days(2, seed=3)) + "\n")
    first = run_cli(str(path))
    user_cfg = tmp_path / "user.toml"
    user_cfg.write_text('[timing]\nstretch_every = "20m"\n')
    env = {**os.environ, "SITBREAK_CONFIG": str(user_cfg), "SITBREAK_TIMING__STRETCH_EVERY": "20m",
           "XDG_CONFIG_HOME": str(tmp_path)}
    second = run_cli(str(path), env=env)
    assert first.returncode == 0 and first.stdout == second.stdout
    named = run_cli(str(path), "--config", str(user_cfg))
    assert named.stdout != first.stdout  # ... but a named config applies
    first_stretch = next(json.loads(x) for x in named.stdout.splitlines() if '"stretch"' in x)
    assert first_stretch["sitting_s"] == 1200.0


def test_invalid_config_for_replay_is_one_line(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[timing]\naway_after = "1h"\n')
    res = run_cli(str(write(tmp_path, typing(0, 10))), "--config", str(cfg))
    assert res.returncode == 2 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "timing.away_after" in res.stderr


# -- realistic office days, checked against the trace itself ----------------------------------


def _intervals(events: list[dict[str, Any]], start: str, end: str) -> list[tuple[float, float]]:
    out = []
    opened: float | None = None
    for ev in events:
        if ev["event"] == start and opened is None:
            opened = ev["t"]
        elif ev["event"] == end and opened is not None:
            out.append((opened, ev["t"]))
            opened = None
    return out


def _expected_from_trace(lines: list[str]) -> tuple[list[tuple[float, float, str]], float, float,
                                                    list[tuple[float, float]]]:
    """Breaks, total and longest sitting computed straight from the trace (not the engine)."""
    events = [json.loads(x) for x in lines if '"t"' in x]
    inputs = [ev["t"] for ev in events if ev["event"] == "input"]
    locked = sorted(_intervals(events, "lock", "unlock") + _intervals(events, "sleep", "wake"))
    evidence = sorted(_intervals(events, "call_start", "call_end")
                      + _intervals(events, "inhibit", "uninhibit"))
    breaks = []
    spans = []
    start = inputs[0]
    for a, b in presence_breaks(inputs, evidence, locked, AWAY):
        sleeps = [x for x in events if x["event"] == "sleep" and a <= x["t"] < b]
        locks = [x for x in events if x["event"] == "lock" and a <= x["t"] < b]
        breaks.append((a, b, "sleep" if sleeps else "lock" if locks else "away"))
        spans.append(a - start)
        start = b
    spans.append(inputs[-1] - start)
    return breaks, sum(spans), max(spans), locked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_realistic_office_week(seed):
    lines = list(office_days(5, seed=seed))
    records = replay(lines, Policy(), "week")
    summary = records[-1]
    out = records[:-1]
    breaks, total, longest, locked = _expected_from_trace(lines)
    got_breaks = [(r["from"], r["to"], r["cause"]) for r in out if r["type"] == "break"]
    assert got_breaks == [(round(a, 3), round(b, 3), c) for a, b, c in breaks]
    # The week has all kinds: lunch and meetings behind a locked screen, coffee walks, nights.
    causes = {c for _a, _b, c in breaks}
    assert causes == {"away", "lock", "sleep"}
    assert summary["sitting_s"] == pytest.approx(total, abs=0.01)
    assert summary["longest_sitting_s"] == pytest.approx(longest, abs=0.01)
    nudges = [r for r in out if r["type"] == "nudge"]
    assert summary["nudges"]["stretch"] >= 5  # at least one stretch nudge per working day
    for n in nudges:
        assert not any(a < n["t"] < b for a, b in locked), "nudged behind a locked screen"
        assert n["kind"] == "posture" or n["sitting_s"] >= 1800
    # Short locks (fetching a printout) under the threshold never credit a break.
    short = [(a, b) for a, b in locked if b - a < 100]
    for a, b in short:
        assert not any(f < a and b < t and t - f < AWAY for f, t, _c in got_breaks)


# -- done when: calls in generated office days ------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_office_days_with_calls_sitting_through_the_call_and_the_stretch_right_after(
        tmp_path: Path, seed: int) -> None:
    """`sitbreak replay` on generated office days with calls (long silent spells inside them,
    people leaving right after some): no break and no nudge inside any call, a stretch that
    fell due during a call right after it when the person stays, every real absence a break."""
    pol = Policy()
    lines = list(office_days(5, seed=seed))
    path = tmp_path / "days.jsonl"
    path.write_text("\n".join(lines) + "\n")
    res = run_cli(str(path))
    assert res.returncode == 0, res.stderr
    out = [json.loads(x) for x in res.stdout.splitlines()][:-1]
    events = [json.loads(x) for x in lines if '"t"' in x]
    calls = _intervals(events, "call_start", "call_end")
    inputs = [ev["t"] for ev in events if ev["event"] == "input"]
    breaks = [(r["from"], r["to"]) for r in out if r["type"] == "break"]
    nudges = [r for r in out if r["type"] == "nudge"]
    stretches = [r["t"] for r in nudges if r["kind"] == "stretch"]
    silent = [(a, b) for a, b in itertools.pairwise(inputs) if b - a >= AWAY
              and any(ca <= a and b <= ce for ca, ce in calls)]
    assert len(calls) >= 5 and silent, "the days must hold calls with long silent spells"

    for a, b in calls:
        assert not [(f, t) for f, t in breaks if f < b and t > a], f"a break inside call {a}–{b}"
        assert not [n for n in nudges if a < n["t"] < b], f"a nudge during call {a}–{b}"

    # every real absence is a break, with the ends the trace implies
    expected, _total, _longest, _locked = _expected_from_trace(lines)
    assert breaks == [(round(f, 3), round(t, 3)) for f, t, _c in expected]
    left_after_call = [(f, t) for f, t in breaks if any(abs(f - round(b, 3)) < 1e-6
                                                        for _a, b in calls)]
    assert left_after_call, "some people leave right after a call: those are breaks too"

    # the held stretch: a stretch due during a call comes within present_within after it
    held = 0
    starts = [inputs[0]] + [t for _f, t in breaks]
    for a, b in calls:
        stay = [t for t in inputs if b <= t <= b + pol.present_within]
        if not stay or any(b <= a2 <= stay[0] for a2, _b in calls):
            continue
        span = max(s for s in starts if s <= b)
        before = [s for s in stretches if span <= s < b]
        due = span + pol.stretch_every if not before else before[-1] + pol.repeat_after
        if a < due <= b:
            held += 1
            assert [s for s in stretches if b <= s <= stay[0]], f"no stretch right after {a}–{b}"
    assert held >= 1, "some stretch must fall due during a call in these days"
