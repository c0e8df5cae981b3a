"""Which candidates each desktop gets, from the environment alone (no platform calls)."""

from __future__ import annotations

import pytest

from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.idle import idle_candidates
from sitbreak.adapters.session import select_session_watcher
from sitbreak.adapters.tray import tray_candidates

BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}


def env(platform: str = "linux", **kw: str) -> DesktopEnv:
    return DesktopEnv.detect({**BUS, **kw}, platform=platform)


@pytest.mark.parametrize(
    ("e", "expected"),
    [
        (env(XDG_SESSION_TYPE="x11", DISPLAY=":0"),
         ["x11-screensaver", "gnome-mutter", "freedesktop-screensaver"]),
        (env(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="ubuntu:GNOME", DISPLAY=":0"),
         ["gnome-mutter", "wayland-ext-idle-notify", "wayland-kde-idle",
          "freedesktop-screensaver"]),
        # KDE on Wayland answers GetSessionIdleTime with 0: never asked
        (env(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="KDE", WAYLAND_DISPLAY="wayland-0"),
         ["wayland-ext-idle-notify", "wayland-kde-idle", "gnome-mutter"]),
        (env(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="sway", WAYLAND_DISPLAY="wayland-1"),
         ["wayland-ext-idle-notify", "wayland-kde-idle", "gnome-mutter",
          "freedesktop-screensaver"]),
        (env(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="Hyprland"),
         ["wayland-ext-idle-notify", "wayland-kde-idle", "gnome-mutter",
          "freedesktop-screensaver"]),
        (env("win32"), ["windows-lastinput"]),
        (env("darwin"), ["macos-quartz"]),
    ],
)  # fmt: skip
def test_idle_candidates_follow_the_desktop(e: DesktopEnv, expected: list[str]) -> None:
    order, why = idle_candidates(e)
    skipped = {name: str(text) for name, text in why.items()}  # the English, as in the log
    assert [name for name, _ in order] == expected
    if e.wayland:
        assert "Xwayland" in skipped["x11-screensaver"]
        if e.kde:
            assert skipped["freedesktop-screensaver"].startswith("KDE on Wayland")
    elif e.linux:
        assert skipped["wayland-ext-idle-notify"] == "not a Wayland session"


def test_tty_without_bus_has_no_idle_counter() -> None:
    order, why = idle_candidates(DesktopEnv.detect({}, platform="linux"))
    skipped = {name: str(text) for name, text in why.items()}
    assert order == []
    assert skipped["x11-screensaver"] == "no DISPLAY"
    assert "session bus" in skipped["gnome-mutter"]


@pytest.mark.parametrize(
    ("e", "watcher", "order", "why_not"),
    [
        # X11: our StatusNotifierItem when a panel hosts them, else the XEmbed icon
        (env(XDG_SESSION_TYPE="x11", DISPLAY=":0"), True, ["sni", "xorg"], {}),
        (env(XDG_SESSION_TYPE="x11", DISPLAY=":0"), False, ["xorg"],
         {"sni": "no StatusNotifierWatcher on the session bus"}),
        (DesktopEnv.detect({"DISPLAY": ":0"}, platform="linux"), True, ["xorg"],
         {"sni": "no D-Bus session bus"}),
        # Wayland has no XEmbed: the item waits for a watcher that may start after us
        (env(XDG_SESSION_TYPE="wayland", WAYLAND_DISPLAY="w-0"), False, ["sni"],
         {"xorg": "Wayland: no XEmbed tray"}),
        (env(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="GNOME", WAYLAND_DISPLAY="w-0",
             DISPLAY=":0"), True, ["sni"], {"xorg": "Wayland"}),
        (DesktopEnv.detect({"WAYLAND_DISPLAY": "w-0"}, platform="linux"), True, [],
         {"sni": "no D-Bus session bus"}),
        (env(), True, ["sni"], {"xorg": "no DISPLAY"}),  # a bus, a panel, no DISPLAY
        (env(), False, [], {"sni": "no StatusNotifierWatcher"}),
    ],
)  # fmt: skip
def test_linux_tray_candidates(
    e: DesktopEnv, watcher: bool, order: list[str], why_not: dict[str, str]
) -> None:
    got, skipped = tray_candidates(e, watcher)
    assert got == order
    for name, why in why_not.items():
        assert str(skipped[name]).startswith(why), skipped


def test_pinned_backend_and_auto_reasons() -> None:
    from sitbreak.adapters.base import TrayActions
    from sitbreak.adapters.tray import select_tray
    from sitbreak.adapters.tray_none import NoTray

    actions = TrayActions(*([lambda *a: None] * 10))
    made: list[str] = []

    def make(_actions: TrayActions, name: str) -> NoTray:
        made.append(name)
        if name == "sni":
            raise RuntimeError("no session bus here")
        return NoTray()

    wayland = env(XDG_SESSION_TYPE="wayland", WAYLAND_DISPLAY="w-0")
    picked = select_tray(actions, wayland, make=make, watcher=lambda: False)
    assert picked.name == "none"  # the only candidate failed: no tray, with the reason
    assert picked.why()["sni"] == "failed: RuntimeError: no session bus here"
    x11 = env(XDG_SESSION_TYPE="x11", DISPLAY=":0")
    picked = select_tray(actions, x11, make=make, watcher=lambda: True)
    assert picked.name == "pystray-xorg"  # sni failed: the next candidate
    picked = select_tray(actions, x11, backend="xorg", make=make, watcher=lambda: True)
    assert picked.why()["sni"] == "asked for xorg"
    assert made == ["sni", "sni", "xorg", "xorg"]


def test_windows_and_macos_trays_and_watchers_are_native() -> None:
    assert tray_candidates(env("win32"), True)[0] == ["win32"]
    assert tray_candidates(env("darwin"), True)[0] == ["darwin"]
    # selecting them is import-safe on Linux (nothing runs until start)
    assert select_session_watcher(env("win32")).name == "windows-wts"
    assert select_session_watcher(env("darwin")).name == "macos-nsworkspace"


def test_wayland_detection_without_session_type() -> None:
    e = DesktopEnv.detect({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, platform="linux")
    assert e.wayland
    assert not e.x11
    assert "WAYLAND_DISPLAY=wayland-0" in e.describe()


def test_windows_messages_map_to_session_events() -> None:
    from sitbreak.adapters import session_windows as w

    assert w.event_for(w.WM_WTSSESSION_CHANGE, w.WTS_SESSION_LOCK) == "lock"
    assert w.event_for(w.WM_WTSSESSION_CHANGE, w.WTS_SESSION_UNLOCK) == "unlock"
    assert w.event_for(w.WM_POWERBROADCAST, w.PBT_APMSUSPEND) == "sleep"
    assert w.event_for(w.WM_POWERBROADCAST, w.PBT_APMRESUMEAUTOMATIC) == "wake"
    assert w.event_for(w.WM_POWERBROADCAST, 0xA) is None  # PBT_APMPOWERSTATUSCHANGE: ignored
