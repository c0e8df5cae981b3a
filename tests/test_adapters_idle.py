"""Activity sources under a real X server / private session bus."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.idle import select_idle_source
from sitbreak.adapters.idle_windows import idle_ms_from_ticks
from tests.desktop import Desktop, missing_tools

LEAKS = ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DBUS_SYSTEM_BUS_ADDRESS", "XDG_SESSION_ID")


def use_desktop(monkeypatch: pytest.MonkeyPatch, d: Desktop) -> None:
    for name in LEAKS:
        monkeypatch.delenv(name, raising=False)
    for name, value in d.env_overrides.items():
        monkeypatch.setenv(name, value)


class BusService:
    """A D-Bus service run by the test on its own asyncio thread (e.g. a fake Mutter)."""

    def __init__(self, name: str, path: str, make_iface: Callable[[], Any]) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.bus: Any = self.call(self._start(name, path, make_iface))

    async def _start(self, name: str, path: str, make_iface: Callable[[], Any]) -> Any:
        from dbus_fast.aio import MessageBus

        bus = await MessageBus().connect()
        bus.export(path, make_iface())
        await bus.request_name(name)
        return bus

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.bus.disconnect)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


@pytest.fixture
def xbus() -> Iterator[Desktop]:
    """Xvfb plus a private session bus (no dunst, no trayer)."""
    missing = missing_tools(bus=True, dunst=False, trayer=False)
    if missing:
        pytest.skip("desktop tools not installed: " + ", ".join(missing))
    with Desktop(session_bus=True) as d:
        yield d


@pytest.fixture
def fake_mutter(xbus: Desktop, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    from dbus_fast.service import ServiceInterface, method

    idle_ms = [4321]

    class IdleMonitor(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.gnome.Mutter.IdleMonitor")

        @method()
        def GetIdletime(self) -> t:  # type: ignore[name-defined]  # noqa: F821
            return idle_ms[0]

    use_desktop(monkeypatch, xbus)
    svc = BusService("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", IdleMonitor)
    yield idle_ms
    svc.close()


def test_x11_picked_under_xvfb_and_tracks_real_input(
    xdisplay: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_desktop(monkeypatch, xdisplay)
    picked = select_idle_source("auto")
    reasons = picked.why()
    try:
        assert picked.name == "x11-screensaver"
        assert reasons["x11-screensaver"] == "picked"
        # candidates after the pick were not probed; the skipped ones say why
        assert "wayland-ext-idle-notify" in reasons
        xdisplay.move_mouse()
        time.sleep(1.3)
        grown = picked.impl.seconds_since_last_input()
        assert 1.0 <= grown < 10
        xdisplay.key("shift")
        assert picked.impl.seconds_since_last_input() < 0.5
        time.sleep(0.6)
        assert picked.impl.seconds_since_last_input() >= 0.5
    finally:
        picked.impl.close()


def test_x11_connection_is_rebuilt_after_an_x_error(
    xdisplay: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitbreak.adapters.idle_x11 import XScreenSaverIdle

    use_desktop(monkeypatch, xdisplay)
    src = XScreenSaverIdle()
    try:
        time.sleep(0.8)
        old = src._display
        old.close()  # the connection breaks under the source's feet
        value = src.seconds_since_last_input()
        assert value >= 0.5  # a real reading from a new connection, not the 0.0 fallback
        assert src._display is not old
    finally:
        src.close()


def test_x11_source_without_x_server_falls_back_and_explains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = DesktopEnv.detect(
        {"DISPLAY": ":1999", "XDG_SESSION_TYPE": "x11"}, platform="linux"
    )  # nothing listens on :1999
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    picked = select_idle_source("idle", env)
    reasons = picked.why()
    assert picked.name == "none"
    assert reasons["x11-screensaver"] != "picked"
    assert "no D-Bus session bus" in reasons["gnome-mutter"]
    assert "idle" in reasons["pynput-listener"]
    assert picked.impl.seconds_since_last_input() == 0.0


@pytest.mark.desktop
def test_gnome_wayland_picks_mutter_over_dbus(fake_mutter: list[int]) -> None:
    env = DesktopEnv.detect(
        {
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
            "WAYLAND_DISPLAY": "wayland-0",
            "DISPLAY": ":0",
            "DBUS_SESSION_BUS_ADDRESS": "set",
        },
        platform="linux",
    )
    picked = select_idle_source("auto", env)
    try:
        reasons = picked.why()
        assert picked.name == "gnome-mutter"
        assert "Wayland" in reasons["x11-screensaver"]
        assert picked.impl.seconds_since_last_input() == pytest.approx(4.321)
        fake_mutter[0] = 12_000
        assert picked.impl.seconds_since_last_input() == pytest.approx(12.0)
    finally:
        picked.impl.close()


@pytest.mark.desktop
def test_mutter_absent_is_explained(xbus: Desktop, monkeypatch: pytest.MonkeyPatch) -> None:
    use_desktop(monkeypatch, xbus)
    env = DesktopEnv.detect(
        {
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "GNOME",
            "DBUS_SESSION_BUS_ADDRESS": "x",
        },
        platform="linux",
    )
    picked = select_idle_source("idle", env)
    reasons = picked.why()
    assert picked.name == "none"
    assert "ServiceUnknown" in reasons["gnome-mutter"] or "not provided" in reasons["gnome-mutter"]


def test_listener_source_sees_real_input(xdisplay: Desktop, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("pynput") is None:
        pytest.skip("the listener extra (pynput) is not installed")
    use_desktop(monkeypatch, xdisplay)
    picked = select_idle_source("listener")
    try:
        assert picked.name == "pynput-listener"
        time.sleep(1.0)
        assert picked.impl.seconds_since_last_input() >= 0.9
        xdisplay.move_mouse()
        xdisplay.wait_until(lambda: picked.impl.seconds_since_last_input() < 0.5, timeout=5)
        time.sleep(0.7)
        xdisplay.key("shift")
        xdisplay.wait_until(lambda: picked.impl.seconds_since_last_input() < 0.5, timeout=5)
    finally:
        listeners = list(picked.impl._listeners)  # type: ignore[attr-defined]
        picked.impl.close()
    # stopped for real, not left waiting for the next X event
    assert not any(t.is_alive() for t in listeners)


def test_windows_tick_wrap() -> None:
    assert idle_ms_from_ticks(10_000, 9_000) == 1_000
    # GetTickCount64 past 2**32: the 32-bit dwTime wrapped
    assert idle_ms_from_ticks((1 << 32) + 500, 4_294_966_796) == 1_000
    assert idle_ms_from_ticks(5 * (1 << 32) + 2_000, 2_000) == 0


@pytest.mark.desktop
def test_x11_source_survives_the_x_server_going_away(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sitbreak.adapters.idle_x11 import XScreenSaverIdle

    if missing_tools(bus=False, dunst=False, trayer=False):
        pytest.skip("desktop tools not installed")
    d = Desktop(session_bus=False)
    d.start()
    try:
        use_desktop(monkeypatch, d)
        src = XScreenSaverIdle()
        time.sleep(0.3)
        assert src.seconds_since_last_input() > 0.1
    finally:
        d.stop()
    assert src.seconds_since_last_input() == 0.0  # no X: "input just now", no exception
    assert src.seconds_since_last_input() == 0.0
    warnings = [r for r in caplog.records if "X11 idle counter unavailable" in r.getMessage()]
    assert len(warnings) == 1  # one line per outage, not one per read
    src.close()


def _fake_screensaver(not_supported: bool) -> Any:
    from dbus_fast import DBusError
    from dbus_fast.service import ServiceInterface, method

    class ScreenSaver(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.ScreenSaver")

        @method()
        def GetSessionIdleTime(self) -> u:  # type: ignore[name-defined]  # noqa: F821
            if not_supported:  # what KDE Plasma answers on Wayland (kscreenlocker a4244d3c)
                raise DBusError("org.freedesktop.DBus.Error.NotSupported", "not on Wayland")
            return 7

    return ScreenSaver


KDE_WAYLAND = {
    "XDG_SESSION_TYPE": "wayland",
    "XDG_CURRENT_DESKTOP": "KDE",
    "WAYLAND_DISPLAY": "wayland-0",
    "DBUS_SESSION_BUS_ADDRESS": "set",
}
KDE_X11 = {
    "XDG_SESSION_TYPE": "x11",
    "XDG_CURRENT_DESKTOP": "KDE",
    "DBUS_SESSION_BUS_ADDRESS": "set",
}


@pytest.mark.desktop
@pytest.mark.parametrize("not_supported", [False, True])
def test_kde_x11_screensaver_idle_time_or_its_refusal(
    xbus: Desktop, monkeypatch: pytest.MonkeyPatch, not_supported: bool
) -> None:
    use_desktop(monkeypatch, xbus)
    svc = BusService(
        "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", _fake_screensaver(not_supported)
    )
    try:
        picked = select_idle_source("idle", DesktopEnv.detect(KDE_X11, platform="linux"))
        reasons = picked.why()
        try:
            if not_supported:
                assert picked.name == "none"  # no Mutter either on this bus
                assert "NotSupported" in reasons["freedesktop-screensaver"]
            else:
                assert picked.name == "freedesktop-screensaver"
                assert picked.impl.seconds_since_last_input() == 7.0
        finally:
            picked.impl.close()
    finally:
        svc.close()


@pytest.mark.desktop
def test_kde_wayland_never_trusts_the_screensaver_idle_time(
    xbus: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KDE on Wayland answers GetSessionIdleTime with 0 (or NotSupported): even a service that
    answers is not asked; without a compositor the Wayland protocols say why they failed."""
    use_desktop(monkeypatch, xbus)
    svc = BusService(
        "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", _fake_screensaver(False)
    )
    try:
        picked = select_idle_source("auto", DesktopEnv.detect(KDE_WAYLAND, platform="linux"))
        reasons = picked.why()
        try:
            assert picked.name == "none"
            assert reasons["freedesktop-screensaver"].startswith("KDE on Wayland")
            assert "XWayland" in reasons["pynput-listener"]
            if importlib.util.find_spec("pywayland") is not None:
                assert "cannot connect to the Wayland compositor" in reasons[
                    "wayland-ext-idle-notify"]
        finally:
            picked.impl.close()
    finally:
        svc.close()
