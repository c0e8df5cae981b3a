"""Fuzzing the control protocol with hypothesis: whatever arrives on the socket, the daemon answers
one clear line (never a traceback, never a hang) and every number it accepts is finite and in
range. ``SITBREAK_FUZZ_EXAMPLES`` sets the examples per test (CI: the default; long run: more)."""

from __future__ import annotations

import io
import json
import logging
import math
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitbreak import limits
from sitbreak.adapters.clocks import Clocks
from sitbreak.adapters.idle_listener import NoIdle
from sitbreak.daemon import control_client, protocol
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.runtime import Runtime
from sitbreak.daemon.wiring import Parts
from sitbreak.engine import Policy

EXAMPLES = int(os.environ.get("SITBREAK_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
)
values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)
requests = st.fixed_dictionaries(
    {"cmd": st.sampled_from(protocol.COMMANDS) | st.text(max_size=20) | values},
    optional={"for_s": values, "until_tomorrow": values, "extra": values},
)


def _json_line(obj: Any) -> bytes:
    """JSON as a hostile client may send it: NaN/Infinity literals and huge integers included."""
    return json.dumps(obj, allow_nan=True).encode() + b"\n"


def nested(depth: int) -> bytes:
    return b'{"cmd": ' + b"[" * depth + b"]" * depth + b"}\n"


raw_lines = st.one_of(
    st.binary(max_size=300),
    requests.map(_json_line),
    st.integers(min_value=900, max_value=200_000).map(nested),
    st.sampled_from([b'{"cmd":"pause","for_s":NaN}', b'{"cmd":"pause","for_s":Infinity}',
                     b'{"cmd":"pause","for_s":-Infinity}', b'{"cmd":"pause","for_s":1e999}',
                     b'{"cmd":"pause","for_s":' + b"9" * 5000 + b"}",
                     b'{"cmd":"\x1b[31mred\x1b[0m"}', b"\xff\xfe{}"]),
)


def _one_clear_line(text: str) -> None:
    assert "\n" not in text
    assert "\x1b" not in text
    assert all(ch >= " " for ch in text), text
    assert len(text) <= 300
    assert "Traceback" not in text


@FUZZ
@given(raw_lines)
def test_parse_request_accepts_only_checked_requests(line: bytes) -> None:
    try:
        req = protocol.parse_request(line.split(b"\n")[0])
    except protocol.ProtocolError as exc:
        _one_clear_line(str(exc))
        return
    assert req["cmd"] in protocol.COMMANDS
    if req["cmd"] == "pause":
        for_s = req.get("for_s")
        if for_s is not None:
            assert isinstance(for_s, float)
            assert math.isfinite(for_s)
            assert 0.0 < for_s <= limits.MAX_PAUSE_S
        assert isinstance(req.get("until_tomorrow", False), bool)


# -- against the real worker loop -------------------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Path]]:
    sock = tmp_path_factory.mktemp("fuzz") / "c.sock"
    policy = Policy(stretch_every=600, posture_every=0, away_after=300, present_within=60)
    parts = Parts(idle=NoIdle(), notifier=TerminalNotifier(io.StringIO()), card=NoCard())
    rt = Runtime(policy, parts, Clocks(), sock)
    thread = threading.Thread(target=rt._thread_main, daemon=True)
    thread.start()
    assert rt.ready.wait(5)
    yield rt, sock
    rt.request_stop()
    thread.join(10)
    assert not thread.is_alive()


@FUZZ
@given(st.lists(raw_lines, min_size=1, max_size=5))
def test_the_daemon_answers_every_line_with_one_clear_line(
    live: tuple[Runtime, Path], caplog: pytest.LogCaptureFixture, lines: list[bytes]
) -> None:
    _rt, sock = live
    assume(not any(b"quit" in line for line in lines))  # that one would stop it, as it should
    # every line ends at its first newline; blank ones get no answer, like a keep-alive
    # (over-long lines have their own test: test_control_flood.py)
    sent = [part + b"\n" for line in lines for part in line.split(b"\n")[:1]
            if part.strip() and len(part) < 4096]
    assume(sent)
    caplog.set_level(logging.WARNING)
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(str(sock))
    replies: list[dict[str, Any]] = []
    try:
        s.sendall(b"".join(sent))
        f = s.makefile("rb")
        for line in sent:
            raw = f.readline()
            assert raw.endswith(b"\n"), (line, raw)
            replies.append(json.loads(raw))
    finally:
        s.close()
    for reply in replies:
        assert isinstance(reply["ok"], bool)
        if not reply["ok"]:
            _one_clear_line(reply["error"])
    status = control_client.call("status", sock)["status"]
    for key in ("sitting_s", "next_nudge_in_s", "paused_for_s"):
        value = status[key]
        assert value is None or (math.isfinite(value) and value <= limits.MAX_PAUSE_S + 86400)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if status["paused"]:
        control_client.call("resume", sock)


@FUZZ
@given(st.dictionaries(
    st.sampled_from(["presence", "nudge_item", "nudge_kind", "source", "notifier", "tray",
                     "next_nudge_kind"]),
    st.text(max_size=40) | st.sampled_from(["\x1b[2J\x1b]0;owned\x07", "a\nb\rc", "\u202eevil"]),
))
def test_status_text_never_echoes_control_characters(fields: dict[str, str]) -> None:
    """Item ids and part names come from files a user can edit: `sitbreak status` prints them
    without escapes or control characters, one status line per line."""
    text = protocol.format_status({"presence": "sitting", "sitting_s": 60, **fields})
    for line in text.splitlines():
        assert "\x1b" not in line
        assert all(ch >= " " and ch not in "\x7f\u202e" for ch in line), repr(line)
