"""Fuzzing the replay reader: any bytes as a trace give either finite JSON records or one clear
TraceError line naming the line. Never another exception, never NaN or Infinity printed."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sitbreak.engine import Policy
from sitbreak.errors import TraceError
from sitbreak.replay import EVENT_NAMES, read_lines, replay
from tests.reliability.fuzz.harness import (
    any_floats,
    any_value,
    assert_finite_json,
    assert_one_clear_line,
    edits,
    fuzz_settings,
    huge_ints,
    json_value,
    mutate,
    no_hang,
    record,
)

POLICY = Policy(stretch_every=120, posture_every=60, away_after=30, present_within=10,
                repeat_after=60, snooze=60)
NAME = "fuzz.jsonl"

times = st.one_of(st.floats(0, 4e5), st.integers(0, 400_000), huge_ints, any_floats,
                  st.sampled_from(["12", None, True]))


@st.composite
def event_line(draw: st.DrawFn, t: float, nasty: bool) -> str:
    hostile = nasty and draw(st.integers(0, 9)) == 0  # most lines fine: deep into the trace
    event = draw(st.text(max_size=8) if hostile else st.sampled_from(EVENT_NAMES))
    obj: dict[str, Any] = {"t": draw(times) if hostile else t, "event": event}
    if event == "pause":
        obj["for"] = draw(st.sampled_from([60, 3600, 604800, 604801]) | times | any_value
                          if hostile else st.sampled_from([60, 3600, 604800]))
    elif hostile:
        obj[draw(st.sampled_from(["for", "until", "key"]))] = draw(any_value)
    return json_value(obj)  # NaN/Infinity written as JavaScript's words, as json.dumps does


@st.composite
def traces(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    nasty = draw(st.booleans())  # half the traces are well-formed, to reach the engine deep
    if draw(st.booleans()):
        start = draw(st.sampled_from(["2026-11-23T08:00:00", "9999-12-31T23:59:59",
                                      "0001-01-01T00:00:00", "2026-11-23T08:00:00+05:00"])
                     | any_value if nasty else st.sampled_from(["2026-11-23T08:00:00",
                                                                "2999-12-31T23:00:00"]))
        lines.append(json_value({"start": start}))
    t = 0.0
    for _ in range(draw(st.integers(0, 60))):
        t = round(t + draw(st.floats(0, 400)), 3)
        kind = draw(st.integers(0, 30 if nasty else 26))
        if kind <= 26:
            lines.append(f'{{"t": {t:.3f}, "event": "input"}}' if kind < 20
                         else draw(event_line(t, nasty)))
        elif kind == 27:
            lines.append(json_value(draw(any_value)))
        elif kind in (28, 29):
            lines.append("")
        else:
            lines.append(draw(st.text(max_size=30)))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    return text.encode("utf-8", "surrogatepass")


GOOD = b"".join(b'{"t": %d, "event": "input"}\n' % t for t in range(0, 3000, 7))
inputs = st.one_of(traces(), traces(), edits.map(lambda e: mutate(GOOD, e)),
                   st.binary(max_size=300))


@fuzz_settings(400)
@given(data=inputs)
def test_replay_reader_gives_finite_records_or_one_clear_line(data: bytes) -> None:
    try:
        with no_hang("replay"):
            records = replay(read_lines(io.BytesIO(data), NAME), POLICY, NAME)
    except TraceError as exc:
        message = str(exc)
        assert_one_clear_line(message)
        assert message.startswith(f"{NAME}:"), message
        record("replay", "rejected")
        return
    assert records[-1]["type"] == "summary"
    for r in records:
        assert_finite_json(r)
    record("replay", "accepted")
