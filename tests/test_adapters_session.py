"""Lock/suspend watcher against a fake logind on the system-bus stand-in and a fake screensaver
on the session bus (both are real D-Bus services owned by the test)."""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

import pytest

from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.session import select_session_watcher
from sitbreak.adapters.session_linux import LinuxSessionWatcher, logind_session_path
from tests.desktop import Desktop
from tests.test_adapters_idle import use_desktop

SESSION_PATH = "/org/freedesktop/login1/session/c7"


async def _own(bus_type: Any, name: str) -> Any:
    from dbus_fast.aio import MessageBus

    bus = await MessageBus(bus_type=bus_type).connect()
    await bus.request_name(name)
    return bus


def _signal(
    path: str, iface: str, member: str, sig: str = "", body: list[Any] | None = None
) -> Any:
    from dbus_fast import Message, MessageType

    return Message(
        message_type=MessageType.SIGNAL,
        path=path,
        interface=iface,
        member=member,
        signature=sig,
        body=body or [],
    )


async def _fake_logind() -> Any:
    from dbus_fast import BusType
    from dbus_fast.service import ServiceInterface, method

    class Manager(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.login1.Manager")

        @method()
        def GetSession(self, session_id: s) -> o:  # type: ignore[name-defined]  # noqa: F821
            return SESSION_PATH

    bus = await _own(BusType.SYSTEM, "org.freedesktop.login1")
    bus.export("/org/freedesktop/login1", Manager())
    return bus


async def _until(events: list[str], n: int, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while len(events) < n:
            await asyncio.sleep(0.02)


def test_picked_on_linux_when_a_bus_exists(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_desktop(monkeypatch, desktop)
    picked = select_session_watcher(DesktopEnv.detect())
    assert picked.name == "linux-dbus"
    assert picked.why()["windows-wts"] == "not Windows"


def test_no_bus_at_all_means_clock_backstop_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    env = DesktopEnv.detect({}, platform="linux")
    watcher = LinuxSessionWatcher(env)
    # even picked, a watcher with no buses starts and closes quietly
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/session")
    got: list[str] = []

    async def main() -> None:
        await watcher.start(got.append)
        await watcher.close()

    asyncio.run(main())
    assert got == []
    assert all("unavailable" in str(why) for _, why in watcher.status)


def test_logind_sleep_wake_lock_unlock_reach_the_watcher(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dbus_fast import Variant

    use_desktop(monkeypatch, desktop)
    got: list[str] = []

    async def main() -> None:
        logind = await _fake_logind()
        watcher = LinuxSessionWatcher(DesktopEnv.detect(), session_id="")
        await watcher.start(got.append)
        assert watcher.session_path == SESSION_PATH  # resolved through Manager.GetSession
        mgr = "org.freedesktop.login1.Manager"
        await logind.send(_signal("/org/freedesktop/login1", mgr, "PrepareForSleep", "b", [True]))
        await _until(got, 1)
        await logind.send(_signal("/org/freedesktop/login1", mgr, "PrepareForSleep", "b", [False]))
        await _until(got, 2)
        sess = "org.freedesktop.login1.Session"
        # another user's session locking is not ours
        await logind.send(_signal("/org/freedesktop/login1/session/c9", sess, "Lock"))
        await logind.send(_signal(SESSION_PATH, sess, "Lock"))
        await _until(got, 3)
        # LockedHint agrees with the Lock signal: no duplicate "lock"
        await logind.send(
            _signal(
                SESSION_PATH,
                "org.freedesktop.DBus.Properties",
                "PropertiesChanged",
                "sa{sv}as",
                [sess, {"LockedHint": Variant("b", True)}, []],
            )
        )
        await logind.send(
            _signal(
                SESSION_PATH,
                "org.freedesktop.DBus.Properties",
                "PropertiesChanged",
                "sa{sv}as",
                [sess, {"LockedHint": Variant("b", False)}, []],
            )
        )
        await _until(got, 4)
        await asyncio.sleep(0.2)
        await watcher.close()
        logind.disconnect()

    asyncio.run(main())
    assert got == ["sleep", "wake", "lock", "unlock"]


def test_spoofed_signal_from_a_non_owner_is_ignored(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_desktop(monkeypatch, desktop)
    got: list[str] = []

    async def main() -> None:
        logind = await _fake_logind()
        watcher = LinuxSessionWatcher(DesktopEnv.detect(), session_id="")
        await watcher.start(got.append)
        # dbus-send is not the owner of org.freedesktop.login1
        await asyncio.to_thread(
            subprocess.run,
            [
                "dbus-send", "--system", "--type=signal", "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager.PrepareForSleep", "boolean:true",
            ],
            env=desktop.env,
            check=True,
        )  # fmt: skip
        await asyncio.sleep(0.5)
        assert got == []
        # the real owner still gets through
        await logind.send(
            _signal(
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                "b",
                [True],
            )
        )
        await _until(got, 1)
        await watcher.close()
        logind.disconnect()

    asyncio.run(main())
    assert got == ["sleep"]


@pytest.mark.parametrize(
    ("desktop_name", "service"),
    [("GNOME", "org.gnome.ScreenSaver"), ("KDE", "org.freedesktop.ScreenSaver")],
)
def test_screensaver_active_changed_is_lock(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch, desktop_name: str, service: str
) -> None:
    from dbus_fast import BusType

    use_desktop(monkeypatch, desktop)
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", desktop_name)
    got: list[str] = []
    path = "/" + service.replace(".", "/")

    async def main() -> None:
        saver = await _own(BusType.SESSION, service)
        watcher = LinuxSessionWatcher(DesktopEnv.detect(), session_id="")
        await watcher.start(got.append)
        await saver.send(_signal(path, service, "ActiveChanged", "b", [True]))
        await _until(got, 1)
        await saver.send(_signal(path, service, "ActiveChanged", "b", [False]))
        await _until(got, 2)
        await watcher.close()
        saver.disconnect()

    asyncio.run(main())
    assert got == ["lock", "unlock"]


def test_gnome_ignores_freedesktop_screensaver_proxy(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_desktop(monkeypatch, desktop)
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    watcher = LinuxSessionWatcher(DesktopEnv.detect(), session_id="")

    async def main() -> None:
        await watcher.start(lambda _name: None)
        await watcher.close()

    asyncio.run(main())
    watched = {str(what): str(how) for what, how in watcher.status}["screensaver (session bus)"]
    assert "org.gnome.ScreenSaver" in watched
    assert "org.freedesktop.ScreenSaver" not in watched


def test_logind_session_path_encoding() -> None:
    assert logind_session_path("c7") == "/org/freedesktop/login1/session/c7"
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("a-b") == "/org/freedesktop/login1/session/a_2db"
