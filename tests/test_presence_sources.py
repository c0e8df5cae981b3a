"""Presence sources with the real thing: a private PulseAudio server (null sink, parecord as the
call), a camera device file held open by a child process, GNOME's and KDE's inhibitor services
as stand-ins on a private session bus; Windows and macOS readers with recorded values."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitbreak.adapters.base import PresenceReading
from sitbreak.adapters.presence import PresenceChoice, select_presence_sources
from sitbreak.adapters.presence_camera import CameraInUse
from sitbreak.adapters.presence_macos import CoreAudioMicrophone, fourcc
from sitbreak.adapters.presence_windows import ConsentStoreCalls
from tests.desktop import Desktop, missing_tools
from tests.pulse_server import PulseServer, missing
from tests.test_adapters_idle import BusService, use_desktop


def wait_for(pred: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    if missing():
        pytest.skip("not installed: " + ", ".join(missing()) + " (Debian: pulseaudio-utils)")
    with PulseServer() as server:
        yield server


class Watching:
    """A pushing source started on its own asyncio thread, counting its on_change calls."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.changes = 0
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.call(source.start(self._changed))

    def _changed(self) -> None:
        self.changes += 1

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def close(self) -> None:
        self.call(self.source.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


# -- microphone over the PulseAudio protocol ---------------------------------------------------


def test_recording_from_the_default_source_is_a_call_and_stopping_it_ends_it(pulse: PulseServer) -> None:
    from sitbreak.adapters.presence_pulse import PulseMicrophone

    w = Watching(PulseMicrophone(server=pulse.server))
    try:
        wait_for(lambda: "watching" in str(w.source.describe()), what="the subscription")
        assert w.source.read() == PresenceReading(call=False)
        rec = pulse.record("null.monitor")  # the only source here, so the default one
        wait_for(lambda: w.source.read().call, what="the capture stream to be seen")
        assert pulse.capture_streams() == 1
        assert w.changes == 1  # pushed, not polled
        pulse.stop_recording(rec)
        wait_for(lambda: not w.source.read().call, what="the end of the capture")
        assert w.changes == 2
    finally:
        w.close()


def test_a_monitor_is_not_a_microphone_but_the_microphone_is(pulse: PulseServer) -> None:
    from sitbreak.adapters.presence_pulse import PulseMicrophone

    pulse.pactl("load-module", "module-null-source", "source_name=mic")
    pulse.pactl("set-default-source", "mic")
    w = Watching(PulseMicrophone(server=pulse.server))
    try:
        wait_for(lambda: "watching" in str(w.source.describe()), what="the subscription")
        screen_recorder = pulse.record("null.monitor")  # what is played, e.g. a screencast
        wait_for(lambda: pulse.capture_streams() == 1, what="the monitor stream")
        time.sleep(0.3)
        assert w.source.read().call is False
        pulse.stop_recording(screen_recorder)
        call = pulse.record("mic")
        wait_for(lambda: w.source.read().call, what="the microphone stream")
        pulse.stop_recording(call)
        wait_for(lambda: not w.source.read().call, what="the end of the call")
    finally:
        w.close()


def test_the_server_going_away_ends_the_call_and_nothing_is_spawned(pulse: PulseServer) -> None:
    from sitbreak.adapters.presence_pulse import PulseMicrophone

    w = Watching(PulseMicrophone(server=pulse.server))
    try:
        rec = pulse.record()
        wait_for(lambda: w.source.read().call, what="the call")
        assert pulse.proc is not None
        pulse._end(pulse.proc)
        pulse.stop_recording(rec)
        wait_for(lambda: not w.source.read().call, what="the call to end with the server")
        assert "no server" in str(w.source.describe())
    finally:
        w.close()


# -- camera: a device file held open by one of the user's processes ----------------------------


def test_a_video_device_held_open_is_a_camera_in_use(tmp_path: Path) -> None:
    device = tmp_path / "video0"
    device.write_bytes(b"")
    (tmp_path / "null").write_bytes(b"")  # not a video device: ignored
    camera = CameraInUse(tmp_path)
    assert camera.read() == PresenceReading(call=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"f = open({str(device)!r}, 'rb'); import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE)
    try:
        wait_for(lambda: camera.read().call, what="the open device to be seen")
        assert f"video devices in {tmp_path}: 1;" in str(camera.describe())
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(5)
    assert camera.read().call is False


def test_only_the_users_own_processes_count(tmp_path: Path) -> None:
    device = tmp_path / "video0"
    device.write_bytes(b"")
    with device.open("rb"):  # held open by this very process
        assert CameraInUse(tmp_path).read().call is True
        assert CameraInUse(tmp_path, uid=123456).read().call is False  # someone else's


def test_no_video_devices_means_no_call_and_no_scan(tmp_path: Path) -> None:
    camera = CameraInUse(tmp_path / "absent")
    assert camera.read().call is False
    assert camera.devices() == set()


# -- idle inhibitors: GNOME's session manager and KDE's PowerManagement on a private bus -------


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    missing_bus = missing_tools(bus=True, dunst=False, trayer=False)
    if missing_bus:
        pytest.skip("desktop tools not installed: " + ", ".join(missing_bus))
    with Desktop(session_bus=True) as d:
        use_desktop(monkeypatch, d)
        yield d


def _gnome_session_manager(state: dict[str, Any]) -> Any:
    from dbus_fast.service import ServiceInterface, method, signal

    class SessionManager(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.gnome.SessionManager")

        @method()
        def IsInhibited(self, flags: u) -> b:  # type: ignore[name-defined]  # noqa: F821
            state["asked"].append(flags)
            return bool(state["flags"] & flags)

        @signal()
        def InhibitorAdded(self) -> o:  # type: ignore[name-defined]  # noqa: F821
            return "/org/gnome/SessionManager/Inhibitor1"

        @signal()
        def InhibitorRemoved(self) -> o:  # type: ignore[name-defined]  # noqa: F821
            return "/org/gnome/SessionManager/Inhibitor1"

    return SessionManager


@pytest.mark.desktop
def test_gnome_idle_inhibitor_through_the_session_manager(session_bus: Desktop) -> None:
    from sitbreak.adapters.presence_dbus import DbusInhibitors

    state: dict[str, Any] = {"flags": 0, "asked": []}
    iface: list[Any] = []

    def make() -> Any:
        iface.append(_gnome_session_manager(state)())
        return iface[0]

    svc = BusService("org.gnome.SessionManager", "/org/gnome/SessionManager", make)
    w = Watching(DbusInhibitors())
    try:
        assert w.source.read().inhibited is False
        assert "org.gnome.SessionManager" in str(w.source.describe())
        state["flags"] = 4 | 8  # a video player inhibits suspend and idle
        svc.loop.call_soon_threadsafe(iface[0].InhibitorAdded)
        wait_for(lambda: w.source.read().inhibited, what="the inhibitor to be seen")
        assert set(state["asked"]) == {8}  # only the idle flag is asked about
        state["flags"] = 4  # suspend only: not an idle inhibitor
        svc.loop.call_soon_threadsafe(iface[0].InhibitorRemoved)
        wait_for(lambda: not w.source.read().inhibited, what="the inhibitor to go")
        assert w.changes == 2
    finally:
        w.close()
        svc.close()


@pytest.mark.desktop
def test_freedesktop_power_management_inhibitor(session_bus: Desktop) -> None:
    from dbus_fast.service import ServiceInterface, method, signal

    from sitbreak.adapters.presence_dbus import DbusInhibitors

    held = [False]
    iface: list[Any] = []

    class Inhibit(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.PowerManagement.Inhibit")

        @method()
        def HasInhibit(self) -> b:  # type: ignore[name-defined]  # noqa: F821
            return held[0]

        @signal()
        def HasInhibitChanged(self) -> b:  # type: ignore[name-defined]  # noqa: F821
            return held[0]

    def make() -> Any:
        iface.append(Inhibit())
        return iface[0]

    svc = BusService("org.freedesktop.PowerManagement", "/org/freedesktop/PowerManagement/Inhibit",
                     make)
    w = Watching(DbusInhibitors())
    try:
        assert w.source.read().inhibited is False
        held[0] = True
        svc.loop.call_soon_threadsafe(iface[0].HasInhibitChanged)
        wait_for(lambda: w.source.read().inhibited, what="the inhibitor")
    finally:
        w.close()
        svc.close()


# -- Windows and macOS with recorded values ----------------------------------------------------

# LastUsedTimeStart/Stop as read from a consent store: Teams in a call (stop 0), a browser that
# used the camera yesterday, an app that never used it (start 0, stop 0).
RECORDED_MIC = [(133762334516187000, 0), (133761012345678000, 133761013345678000), (0, 0)]
RECORDED_CAM = [(133761012345678000, 133761019345678000)]


def test_windows_consent_store_in_use_while_last_used_stop_is_zero():
    store = {"microphone": RECORDED_MIC, "webcam": RECORDED_CAM}
    assert ConsentStoreCalls(lambda cap: store[cap]).read().call is True
    store["microphone"] = RECORDED_MIC[1:]
    assert ConsentStoreCalls(lambda cap: store[cap]).read().call is False
    store["webcam"] = [(133762334516187000, 0)]
    assert ConsentStoreCalls(lambda cap: store[cap]).read().call is True


def test_windows_consent_store_unreadable_is_no_call():
    def broken(_cap: str) -> list[tuple[int, int]]:
        raise OSError("access denied")

    assert ConsentStoreCalls(broken).read().call is False


class RecordedCoreAudio:
    """Values as CoreAudio reports them: 73 = built-in microphone (1 input stream), 81 = built-in
    speakers (no input streams), 95 = a USB headset (1 input stream)."""

    def __init__(self, running: set[int]) -> None:
        self.running = running

    def devices(self) -> list[int]:
        return [73, 81, 95]

    def input_streams(self, device: int) -> int:
        return {73: 1, 81: 0, 95: 1}[device]

    def running_somewhere(self, device: int) -> bool:
        return device in self.running


def test_macos_an_input_device_running_somewhere_is_a_call():
    assert fourcc("gone") == 0x676F6E65  # kAudioDevicePropertyDeviceIsRunningSomewhere
    assert CoreAudioMicrophone(RecordedCoreAudio({95})).read().call is True
    assert CoreAudioMicrophone(RecordedCoreAudio({81})).read().call is False  # music playing
    assert CoreAudioMicrophone(RecordedCoreAudio(set())).read().call is False


def test_each_source_can_be_turned_off_and_the_choice_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    everything = select_presence_sources(PresenceChoice(), platform="linux")
    assert len(everything.impl) == 3
    none = select_presence_sources(PresenceChoice(False, False, False), platform="linux")
    assert none.impl == [] and none.name == "none"
    assert none.why()["camera"] == "turned off in [presence]"
    assert select_presence_sources(PresenceChoice(), platform="win32").impl[0].pushes is False
    assert select_presence_sources(PresenceChoice(), platform="darwin").why()["camera"]


def test_no_microphone_source_without_a_runtime_dir_so_libpulse_makes_no_directories(
        monkeypatch, tmp_path):
    missing = tmp_path / "no-such-runtime-dir"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(missing))
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    picked = select_presence_sources(PresenceChoice(), platform="linux")
    assert [s.name for s in picked.impl if "pulse" in s.name or "micro" in s.name] == []
    assert "XDG_RUNTIME_DIR" in picked.why()["microphone"]
    assert not missing.exists()
