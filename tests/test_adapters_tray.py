"""The pystray (XEmbed) tray icon in a real XEmbed tray (trayer), clicked with xdotool; the
StatusNotifierItem tray is in test_adapters_tray_sni."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sitbreak.adapters import tray_pystray
from sitbreak.adapters.base import TrayActions, TrayView
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.tray import TrayProbe, select_tray
from sitbreak.adapters.tray_icon import COLOURS, picture_key, render
from tests.desktop import Desktop
from tests.test_adapters_idle import use_desktop

ACTIONS = [
    "stretch_now",
    "show_current",
    "snooze",
    "pause",
    "resume",
    "toggle_standing",
    "safety_card",
    "open_config",
    "statistics",
    "quit",
]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.event = threading.Event()

    def actions(self) -> TrayActions:
        def make(name: str) -> Any:
            def record(*args: Any) -> None:
                self.calls.append((name, *args))
                self.event.set()

            return record

        return TrayActions(**{n: make(n) for n in ACTIONS})


class Running:
    def __init__(self, d: Desktop, tray: Any) -> None:
        self.d = d
        self.tray = tray
        ready = threading.Event()
        self.thread = threading.Thread(target=tray.run, args=(ready.set,), daemon=True)
        self.thread.start()
        assert ready.wait(10)

    def docked_window(self) -> int:
        """The icon's window once trayer has embedded it and it is viewable."""

        def docked() -> int | None:
            icons = self.d.tray_icons()
            for wid in icons:
                if "IsViewable" in self.d.run(["xwininfo", "-id", str(wid)]).stdout:
                    return wid
            return None

        wid = self.d.wait_until(docked, timeout=10, message="icon docked in trayer")
        assert wid is not None
        return wid

    def stop(self) -> None:
        self.tray.stop()
        self.thread.join(5)
        assert not self.thread.is_alive()


def net_wm_name(d: Desktop, wid: int) -> str:
    disp = d.xlib_display()
    prop = disp.create_resource_object("window", wid).get_full_property(
        disp.intern_atom("_NET_WM_NAME"), disp.intern_atom("UTF8_STRING")
    )
    return bytes(prop.value).decode() if prop is not None else ""


@pytest.fixture
def tray_desktop(desktop: Desktop, monkeypatch: pytest.MonkeyPatch) -> Desktop:
    use_desktop(monkeypatch, desktop)
    return desktop


def test_xorg_icon_docks_shows_state_and_left_click_opens_the_stretch(
    tray_desktop: Desktop, tmp_path: Path
) -> None:
    from PIL import Image

    d = tray_desktop
    rec = Recorder()
    picked = select_tray(rec.actions(), backend="xorg")
    reasons = picked.why()
    assert picked.name == "pystray-xorg"
    assert not picked.impl.has_menu
    assert "left click" in reasons["xorg"]
    running = Running(d, picked.impl)
    try:
        wid = running.docked_window()
        tooltip = "Sitting 52 min · stretch overdue → stand up"
        picked.impl.update(TrayView("overdue", 1.0, tooltip, "x"))
        d.wait_until(lambda: net_wm_name(d, wid) == tooltip, message="tooltip set")
        time.sleep(0.3)
        shot = Image.open(d.screenshot(tmp_path / "icon.png", window=wid)).convert("RGB")
        red = COLOURS["overdue"]
        raw = shot.tobytes()
        pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
        near = [p for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, red, strict=True))]
        assert len(near) > 20, "the overdue (red) ring is not on screen"
        # a real click; the XEmbed slot can take a moment to accept input, so retry a little
        for _ in range(3):
            d.click_window(wid)
            if rec.event.wait(2):
                break
        assert rec.calls == [("show_current",)]
    finally:
        running.stop()


def test_icon_docks_again_when_the_tray_host_restarts_and_then_nothing_polls(
    tray_desktop: Desktop,
) -> None:
    d = tray_desktop
    tray = tray_pystray.PystrayTray(Recorder().actions(), "xorg")
    running = Running(d, tray)

    def dock_checking() -> bool:
        return any(t.name == "sitbreak-dock" for t in threading.enumerate())

    try:
        icon = running.docked_window()
        # once embedded, no thread keeps looking (a 1 s loop used to, forever)
        d.wait_until(lambda: not dock_checking(), 10, message="the dock check to end")
        # the tray host quits and another starts: its MANAGER message brings the icon back
        d.run(["kill", str(d.pids["trayer"])])
        d.wait_until(lambda: not d.tray_icons(), 10, message="trayer gone")
        d.spawn(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                 "--height", "32", "--SetDockType", "true", "--transparent", "false",
                 "--expand", "true"], name="trayer-again")
        assert running.docked_window() == icon
        d.wait_until(lambda: not dock_checking(), 15, message="the dock check to end again")
    finally:
        running.stop()


def test_redraws_only_when_the_picture_changes(
    tray_desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[tuple[str, int]] = []

    def counting_render(key: tuple[str, int], size: int = 64) -> Any:
        rendered.append(key)
        return render(key, size)

    monkeypatch.setattr(tray_pystray, "render", counting_render)
    picked = select_tray(Recorder().actions(), backend="xorg")
    running = Running(tray_desktop, picked.impl)
    try:
        running.docked_window()
        rendered.clear()
        for fill in (0.500, 0.505, 0.510, 0.515):  # one ring step is 1/24
            picked.impl.update(TrayView("fresh", fill, f"Sitting {fill}", "s"))
        assert rendered == [("fresh", 12)]
        picked.impl.update(TrayView("due", 0.515, "t", "s"))
        picked.impl.update(TrayView("paused", 0.9, "t", "s"))
        picked.impl.update(TrayView("paused", 0.1, "t", "s"))  # a paused icon shows no fill
        assert rendered == [("fresh", 12), ("due", 12), ("paused", 0)]
    finally:
        running.stop()


def test_every_menu_entry_reaches_its_action(tray_desktop: Desktop) -> None:
    rec = Recorder()
    picked = select_tray(rec.actions(), backend="xorg")
    tray = picked.impl
    assert isinstance(tray, tray_pystray.PystrayTray)
    tray.update(TrayView("paused", 0.4, "Paused until 14:30", "Paused until 14:30"))
    icon = tray.icon
    items = {i.text: i for i in icon.menu.items if i.text}
    assert "Paused until 14:30" in items  # the status line
    assert not items["Paused until 14:30"].enabled
    assert items["Resume"].enabled
    assert not items["I'm standing"].checked
    for text in ("Stretch now", "Show current stretch", "Snooze", "Resume", "I'm standing",
                 "Safety card", "Open config", "Statistics", "Quit"):  # fmt: skip
        items[text](icon)
    for sub in items["Pause"].submenu.items:
        sub(icon)
    icon()  # the default action (what a left click does)
    assert rec.calls == [
        ("stretch_now",), ("show_current",), ("snooze",), ("resume",), ("toggle_standing",),
        ("safety_card",), ("open_config",), ("statistics",), ("quit",),
        ("pause", 1800.0, False), ("pause", 3600.0, False), ("pause", None, True),
        ("show_current",),
    ]  # fmt: skip
    tray.update(TrayView("standing", 0.0, "Standing", "Standing"))
    assert items["I'm standing"].checked
    assert not items["Resume"].enabled


def test_no_display_means_no_tray_but_run_still_blocks_until_stop() -> None:
    env = DesktopEnv.detect({}, platform="linux")
    picked = select_tray(Recorder().actions(), env)
    assert picked.name == "none"
    assert picked.why()["xorg"] == "no DISPLAY"
    assert picked.why()["sni"] == "no D-Bus session bus"
    ready = threading.Event()
    t = threading.Thread(target=picked.impl.run, args=(ready.set,), daemon=True)
    t.start()
    assert ready.wait(2)
    picked.impl.update(TrayView("fresh", 0.1, "t", "s"))
    assert t.is_alive()
    picked.impl.stop()
    t.join(2)
    assert not t.is_alive()


def test_pictures_differ_by_state_and_fill() -> None:
    def view(state: str, fill: float) -> TrayView:
        return TrayView(state, fill, "", "")  # type: ignore[arg-type]

    keys = [
        picture_key(view(s, f))
        for s, f in [("fresh", 0.1), ("fresh", 0.6), ("due", 0.6), ("overdue", 1.0),
                     ("paused", 0.6), ("standing", 0.6), ("away", 0.6)]
    ]  # fmt: skip
    pictures = [render(k).tobytes() for k in keys]
    assert len(set(pictures)) == len(pictures)
    assert picture_key(view("fresh", 2.0)) == ("fresh", 24)  # clamped


def test_backend_can_be_pinned_from_the_environment(
    tray_desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITBREAK_TRAY_BACKEND", "xorg")
    picked = select_tray(Recorder().actions(), make=TrayProbe)
    assert picked.name == "pystray-xorg"
    assert picked.why()["sni"] == "SITBREAK_TRAY_BACKEND asks for xorg"
    monkeypatch.setenv("SITBREAK_TRAY_BACKEND", "nonsense")
    picked = select_tray(Recorder().actions(), make=TrayProbe)
    assert picked.name == "none"  # a bad name degrades to no tray with a reason, never a crash
    assert "nonsense" in picked.why()


def test_updates_from_many_threads_never_hang_the_icon(tray_desktop: Desktop) -> None:
    d = tray_desktop
    picked = select_tray(Recorder().actions(), backend="xorg")
    running = Running(d, picked.impl)
    try:
        wid = running.docked_window()

        def hammer(n: int) -> None:
            for i in range(60):
                state = ("fresh", "due", "overdue")[(i + n) % 3]
                picked.impl.update(TrayView(state, i / 60, f"t{n}-{i}", "s"))  # type: ignore[arg-type]

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not any(t.is_alive() for t in threads), "an update hung"
        picked.impl.update(TrayView("paused", 0.0, "Paused · 30 min left", "s"))
        d.wait_until(lambda: net_wm_name(d, wid) == "Paused · 30 min left", timeout=5)
    finally:
        running.stop()
