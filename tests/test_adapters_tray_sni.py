"""The StatusNotifierItem tray: its menu as data, its pixmaps, and the item in a real host
(xfce4-panel's Status Tray: a StatusNotifierWatcher and host that draws menus with
libdbusmenu-gtk3) under Xvfb — registered, drawn, clicked with xdotool, and driven over D-Bus
as a host drives it."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sitbreak.adapters.base import TrayView
from sitbreak.adapters.tray import select_tray
from sitbreak.adapters.tray_icon import COLOURS
from tests.desktop import Desktop
from tests.sni_client import SniHost
from tests.test_adapters_idle import use_desktop
from tests.test_adapters_tray import Recorder

ALL_LABELS = [
    "Stretch now", "Show current stretch", "Snooze", "Pause", "30 min", "1 h", "Until tomorrow",
    "Resume", "I'm standing", "Safety card", "Open config", "Statistics", "Quit",
]  # fmt: skip


def view(state: str, fill: float, text: str) -> TrayView:
    return TrayView(state, fill, text, text)  # type: ignore[arg-type]


# -- the menu as data (no D-Bus) -------------------------------------------------------------


def test_menu_tree_numbers_every_entry_and_follows_the_view() -> None:
    from dbus_fast import Variant

    from sitbreak.adapters.dbusmenu import MenuTree
    from sitbreak.adapters.tray_menu import menu_entries

    rec = Recorder()
    tree = MenuTree(menu_entries(rec.actions()))
    sitting = view("fresh", 0.2, "Sitting 12 min · next stretch in 33 min")
    layout = tree.layout(0, -1, [], sitting)
    top = [child.value for child in layout[2]]
    labels = [c[1].get("label", Variant("s", "—")).value for c in top]
    assert labels == ["Sitting 12 min · next stretch in 33 min", "—", "Stretch now",
                      "Show current stretch", "Snooze", "Pause", "Resume", "I'm standing", "—",
                      "Safety card", "Open config", "Statistics", "—", "Quit"]  # fmt: skip
    pause = top[5]
    assert pause[1]["children-display"].value == "submenu"
    assert [c.value[1]["label"].value for c in pause[2]] == ["30 min", "1 h", "Until tomorrow"]
    assert tree.layout(0, 1, [], sitting)[2][5].value[2] == []  # depth 1: no grandchildren
    only = tree.layout(0, -1, ["label"], sitting)[2][7].value[1]
    assert set(only) == {"label"}

    status, resume, standing = 1, 10, 11
    assert not tree.props(status, sitting)["enabled"].value
    assert not tree.props(resume, sitting)["enabled"].value
    assert tree.props(standing, sitting)["toggle-state"].value == 0
    assert not tree.click(resume, sitting)  # disabled: nothing runs
    paused = view("paused", 0.2, "Paused · 30 min left")
    assert tree.props(resume, paused)["enabled"].value
    assert tree.click(resume, paused)
    assert tree.props(standing, view("standing", 0, "Standing"))["toggle-state"].value == 1
    assert not tree.click(status, paused)
    assert rec.calls == [("resume",)]


def test_menu_labels_keep_underscores_literal() -> None:
    from sitbreak.adapters.dbusmenu import MenuTree
    from sitbreak.adapters.tray_menu import menu_entries

    tree = MenuTree(menu_entries(Recorder().actions()))
    props = tree.props(1, view("fresh", 0, "next_stretch"))
    assert props["label"].value == "next__stretch"  # a single "_" would be a mnemonic


def test_pixmaps_are_argb_in_network_byte_order() -> None:
    from sitbreak.adapters.tray_icon import STEPS, render
    from sitbreak.adapters.tray_sni import PIXMAP_SIZES, pixmaps

    maps = pixmaps(("overdue", STEPS))
    assert [(w, h) for w, h, _ in maps] == [(s, s) for s in PIXMAP_SIZES]
    for size, _, data in maps:
        assert len(data) == size * size * 4
    size, _, data = maps[-1]
    centre = (size // 2 * size + size // 2) * 4
    assert tuple(data[centre : centre + 4]) == (255, *COLOURS["overdue"])  # the red dot
    assert data[:4] == b"\0\0\0\0"  # a transparent corner
    r, g, b, a = render(("overdue", STEPS), size).getpixel((size // 2, size // 2))
    assert (a, r, g, b) == tuple(data[centre : centre + 4])


# -- in a real host ---------------------------------------------------------------------------


class RunningSni:
    def __init__(self, d: Desktop, rec: Recorder) -> None:
        picked = select_tray(rec.actions())
        assert picked.name == "sni", picked.reasons
        self.tray: Any = picked.impl
        self.reasons = picked.why()
        ready = threading.Event()
        self.thread = threading.Thread(target=self.tray.run, args=(ready.set,), daemon=True)
        self.thread.start()
        assert ready.wait(10)

    def stop(self) -> None:
        self.tray.stop()
        self.thread.join(5)
        assert not self.thread.is_alive()


def icon_box(d: Desktop, path: Path) -> tuple[int, int, int, int] | None:
    """Where the panel shows an icon: the box of pixels unlike the panel's background."""
    strip = d.panel_shot(path)
    background = strip.getpixel((strip.width - 2, strip.height // 2))
    xs, ys = [], []
    for y in range(strip.height - 2):
        for x in range(min(strip.width, 200)):
            pixel = strip.getpixel((x, y))
            if sum(abs(a - b) for a, b in zip(pixel, background, strict=True)) > 60:
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def colour_count(d: Desktop, path: Path, colour: tuple[int, int, int]) -> int:
    strip = d.panel_shot(path)
    raw = strip.tobytes()
    pixels = (tuple(raw[i : i + 3]) for i in range(0, len(raw), 3))
    return sum(1 for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, colour, strict=True)))


def panel_menu(d: Desktop) -> list[int]:
    """Popup menus on screen (top-level, viewable, typed _NET_WM_WINDOW_TYPE_POPUP_MENU): the
    one xfce4-panel opens for an item."""
    from Xlib import X
    from Xlib.error import XError

    disp = d.xlib_display()
    kind = disp.intern_atom("_NET_WM_WINDOW_TYPE")
    popup = disp.intern_atom("_NET_WM_WINDOW_TYPE_POPUP_MENU")
    found = []
    for win in disp.screen().root.query_tree().children:
        try:
            if win.get_attributes().map_state != X.IsViewable:
                continue
            prop = win.get_full_property(kind, X.AnyPropertyType)
        except XError:
            continue  # gone meanwhile
        if prop is not None and popup in prop.value:
            found.append(int(win.id))
    return found


def open_menu_and_press(d: Desktop, x: int, y: int, *keys: str) -> None:
    """Right click on the icon at (x, y), wait for the panel's menu, type ``keys`` into it."""
    d.wait_until(lambda: not panel_menu(d), timeout=5, message="no menu open before")
    d.xdotool("mousemove", x, y, "click", 3)
    d.wait_until(lambda: panel_menu(d), timeout=10, message="the panel's menu")
    time.sleep(0.3)  # GTK grabs the keyboard right after mapping the popup
    d.key(*keys)


@pytest.fixture
def host(sni_desktop: Desktop, monkeypatch: pytest.MonkeyPatch) -> Desktop:
    use_desktop(monkeypatch, sni_desktop)
    return sni_desktop


def test_item_shows_in_the_panel_with_live_state_and_both_clicks_work(
    host: Desktop, tmp_path: Path
) -> None:
    d = host
    rec = Recorder()
    running = RunningSni(d, rec)
    try:
        assert running.reasons["sni"].startswith("picked")
        assert running.reasons["xorg"] == "not tried: sni comes first"
        assert running.tray.registered.wait(10)
        assert d.sni_items() == [f"{running.tray.bus_name}/StatusNotifierItem"]
        running.tray.update(view("overdue", 1.0, "Sitting 52 min · time to stretch"))
        d.wait_until(lambda: colour_count(d, tmp_path / "red.png", COLOURS["overdue"]) > 20,
                     message="the red (overdue) ring in the panel")  # fmt: skip
        with SniHost(d.env["DBUS_SESSION_BUS_ADDRESS"]) as sni:
            item = sni.wait_item()
            assert sni.prop(item, "ToolTip")[3] == "Sitting 52 min · time to stretch"
        running.tray.update(view("paused", 0.5, "Paused · 30 min left"))
        d.wait_until(lambda: colour_count(d, tmp_path / "red.png", COLOURS["overdue"]) == 0,
                     message="the ring redrawn grey (paused)")  # fmt: skip
        box = d.wait_until(lambda: icon_box(d, tmp_path / "icon.png"), message="icon drawn")
        assert box is not None
        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2

        # a left click is Activate: the current stretch
        d.xdotool("mousemove", x, y, "click", 1)
        d.wait_until(lambda: rec.calls == [("show_current",)], timeout=5, message="activate")

        # a right click opens the host's menu, drawn from our dbusmenu; keyboard through it
        def choose(*keys: str) -> tuple[Any, ...]:
            rec.event.clear()
            before = len(rec.calls)
            open_menu_and_press(d, x, y, *keys)
            assert rec.event.wait(5), f"no action after {keys}"
            return rec.calls[before]

        # the status line is insensitive: the first Down lands on "Stretch now"
        assert choose("Down", "Return") == ("stretch_now",)
        assert choose("Down", "Down", "Down", "Down", "Right", "Return") == ("pause", 1800.0, False)
        d.screenshot(tmp_path / "after-menu.png")
    finally:
        running.stop()
    # the connection closed: the watcher forgets the item and the panel removes it
    d.wait_until(lambda: d.sni_items() == [], message="item gone after stop")


def test_host_reads_the_full_menu_and_every_click_reaches_its_action(host: Desktop) -> None:
    d = host
    rec = Recorder()
    running = RunningSni(d, rec)
    try:
        with SniHost(d.env["DBUS_SESSION_BUS_ADDRESS"]) as sni:
            item = sni.wait_item()
            assert sni.prop(item, "ItemIsMenu") is False
            assert sni.prop(item, "Id") == "sitbreak"
            menu = sni.layout(item)
            assert [n.label for n in menu.walk() if n.label] == ["Starting…", *ALL_LABELS]
            for label in ALL_LABELS:
                node = menu.find(label)
                if not node.children:
                    sni.click(item, node.id)
            sni.activate(item)
        expected = [("stretch_now",), ("show_current",), ("snooze",), ("pause", 1800.0, False),
                    ("pause", 3600.0, False), ("pause", None, True), ("toggle_standing",),
                    ("safety_card",), ("open_config",), ("statistics",), ("quit",),
                    ("show_current",)]  # fmt: skip
        # "Resume" is disabled unless paused: its click does nothing
        d.wait_until(lambda: rec.calls == expected, timeout=5, message="every action, in order")
    finally:
        running.stop()


def test_changes_are_announced_to_hosts(host: Desktop) -> None:
    d = host
    running = RunningSni(d, Recorder())
    try:
        with SniHost(d.env["DBUS_SESSION_BUS_ADDRESS"]) as sni:
            item = sni.wait_item()
            with sni.listen("com.canonical.dbusmenu", "org.kde.StatusNotifierItem") as log:
                running.tray.update(view("paused", 0.3, "Paused · 30 min left"))
                wanted = {"NewIcon", "NewToolTip", "NewTitle", "ItemsPropertiesUpdated"}
                seen = log.wait(lambda signals: wanted <= {s.member for s in signals})
                update = next(s for s in seen if s.member == "ItemsPropertiesUpdated")
                changed = {i: {k: v[1] for k, v in props.items()} for i, props in update.body[0]}
                assert changed == {1: {"label": "Paused · 30 min left"}, 10: {"enabled": True}}
                assert sni.prop(item, "ToolTip")[3] == "Paused · 30 min left"
                assert sni.prop(item, "Title") == "sitbreak: Paused · 30 min left"
                # the same view again: nothing to announce
                before = len(seen)
                running.tray.update(view("paused", 0.3, "Paused · 30 min left"))
                time.sleep(0.5)
                assert len(log.wait(lambda _s: True)) == before
    finally:
        running.stop()


def test_registers_again_when_the_panel_restarts(host: Desktop, tmp_path: Path) -> None:
    d = host
    running = RunningSni(d, Recorder())
    try:
        assert running.tray.registered.wait(10)
        d.run(["xfce4-panel", "--quit"])
        d.wait_until(lambda: d.sni_watcher_property("IsStatusNotifierHostRegistered") is None,
                     message="the watcher gone with the panel")  # fmt: skip
        # the tray hears of the watcher's end by its own NameOwnerChanged signal, which may
        # come a moment after the bus stops answering for the watcher
        d.wait_until(lambda: not running.tray.registered.is_set(), 5,
                     message="the tray to notice the watcher is gone")  # fmt: skip
        d.spawn(["xfce4-panel", "--disable-wm-check"], name="xfce4-panel-again")
        d.wait_until(lambda: d.sni_items() == [f"{running.tray.bus_name}/StatusNotifierItem"],
                     message="registered with the new watcher")  # fmt: skip
        running.tray.update(view("due", 0.8, "Sitting 40 min · time to stretch"))
        d.wait_until(lambda: colour_count(d, tmp_path / "amber.png", COLOURS["due"]) > 20,
                     message="the new panel draws the (amber) ring")  # fmt: skip
    finally:
        running.stop()
