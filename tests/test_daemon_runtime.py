"""The runtime on its worker loop, with clocks that can jump (a suspend nobody announced)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitbreak.adapters.clocks import Clocks
from sitbreak.adapters.idle_listener import NoIdle
from sitbreak.daemon.control_client import call
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.runtime import Runtime
from sitbreak.daemon.wiring import Parts
from sitbreak.engine import Policy


class Jumpable:
    """Real clocks plus an offset that a test can add to, as a suspend would."""

    def __init__(self) -> None:
        self.skipped = 0.0
        self.awake_skipped = 0.0
        self.clocks = Clocks(
            engine=lambda: time.monotonic() + self.skipped,
            awake=lambda: time.monotonic() + self.awake_skipped,
            wall=lambda: time.time() + self.skipped,
        )


Started = tuple[Runtime, Jumpable, io.StringIO, Path]


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Started]:
    jump = Jumpable()
    out = io.StringIO()
    policy = Policy(stretch_every=60, posture_every=0, away_after=30, present_within=10, recheck=1)
    parts = Parts(idle=NoIdle(), notifier=TerminalNotifier(out), card=NoCard())
    sock = tmp_path / "c.sock"
    rt = Runtime(policy, parts, jump.clocks, sock)
    thread = threading.Thread(target=rt._thread_main, daemon=True)
    thread.start()
    assert rt.ready.wait(5)
    yield rt, jump, out, sock
    rt.request_stop()
    thread.join(5)
    assert not thread.is_alive()


def wake(rt: Runtime) -> None:
    assert rt._loop is not None
    done = threading.Event()

    def step() -> None:
        rt._wake()
        done.set()

    rt._loop.call_soon_threadsafe(step)
    assert done.wait(5)


def test_unannounced_suspend_is_a_break_not_a_burst_of_nudges(started: Started) -> None:
    rt, jump, out, sock = started
    st = call("status", sock)["status"]
    assert st["presence"] == "sitting"  # timer-only source: always present
    assert 55 < st["next_nudge_in_s"] <= 60

    jump.skipped += 3600  # the machine slept an hour; the awake clock did not move
    wake(rt)
    st = call("status", sock)["status"]
    assert st["breaks"] == 1
    assert st["last_break"]["cause"] == "sleep"
    assert st["last_break"]["length_s"] >= 3600
    assert st["nudge_kind"] is None
    assert 55 < st["next_nudge_in_s"] <= 60  # a fresh sitting span, not an overdue one
    assert out.getvalue() == ""  # no stale nudge was shown


def test_the_same_hour_awake_at_the_desk_nudges(started: Started) -> None:
    rt, jump, out, sock = started
    # an hour passes on every clock (no suspend) with the runtime waking as it would: at
    # least every away_after, each time finding fresh input
    for _ in range(3600 // 20):
        jump.skipped += 20
        jump.awake_skipped += 20
        wake(rt)
    st = call("status", sock)["status"]
    assert st["breaks"] == 0
    assert st["nudge_kind"] == "stretch"
    assert st["sitting_s"] >= 3600
    assert "Time to stand" in out.getvalue()
