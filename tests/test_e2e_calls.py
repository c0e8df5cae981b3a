"""A running daemon sees a call: a private PulseAudio server (null sink), ``parecord`` as the
application in the call, Xvfb's idle counter as the keyboard and mouse. An input gap longer
than away_after during the call is not a break; leaving after it is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon
from tests.desktop import Desktop
from tests.pulse_server import PulseServer, missing


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    if missing():
        pytest.skip("not installed: " + ", ".join(missing()) + " (Debian: pulseaudio-utils)")
    with PulseServer() as server:
        yield server


def test_a_silent_call_is_sitting_and_leaving_after_it_is_a_break(
        xdisplay: Desktop, pulse: PulseServer, tmp_path: Path) -> None:
    env = {**xdisplay.env, "PULSE_SERVER": pulse.server}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    cameras = tmp_path / "no-cameras"
    cameras.mkdir()
    config = FAST_CONFIG + f'\n[presence]\ncamera_dir = "{cameras}"\n'
    with Daemon(env, tmp_path, config=config, args=("--headless",)) as d:
        d.wait_status(lambda s: "microphone (PulseAudio protocol)" in s["presence_sources"], 5,
                      "the microphone source")
        xdisplay.move_mouse()
        d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
        rec = pulse.record()  # joins a call, then listens without touching anything
        started = time.monotonic()
        d.wait_status(lambda s: s["in_call"], 10, "the call to be seen")
        assert "in a call" in d.cli("status").stdout
        time.sleep(max(0.0, 6.0 - (time.monotonic() - started)))  # twice away_after, silent
        st = d.status()
        assert (st["presence"], st["breaks"], st["in_call"]) == ("sitting", 0, True)
        assert st["sitting_s"] >= 6.0
        pulse.stop_recording(rec)  # hangs up, and walks away at once
        d.wait_status(lambda s: not s["in_call"], 10, "the end of the call")
        d.wait_status(lambda s: s["presence"] == "away", 10, "away after the call")
        assert d.status()["breaks"] == 0  # counted when they are back
        time.sleep(1.0)
        xdisplay.move_mouse()
        st = d.wait_status(lambda s: s["breaks"] == 1, 10, "the break after the call")
        assert st["last_break"]["cause"] == "away"
        # the break runs from the end of the call, not from the last input before it
        assert st["last_break"]["length_s"] < 6.0
    log = d.log()
    assert "presence: in a call" in log and "presence: call ended" in log
