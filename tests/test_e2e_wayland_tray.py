"""`sitbreak run` on headless Sway (tests/wayland_session.py): its tray item in waybar, whose tray
module is a StatusNotifierWatcher and host, and its nudges in mako.

- the item registers with waybar's watcher, waybar draws the ring (a grim screenshot), the full
  menu is there (``GetLayout``) and a menu click sent as a host sends it reaches the daemon;
- a nudge reaches mako, and ``makoctl invoke`` (its default action, a click on the bubble) opens
  the stretch card: a window of the daemon's card process, on Sway's Xwayland (Tk is an X11
  toolkit), answered with a key typed through the virtual keyboard.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitbreak.adapters.tray_icon import COLOURS
from tests.daemon_proc import Daemon, wait_for
from tests.sni_client import SniHost
from tests.test_adapters_tray_sni import ALL_LABELS
from tests.wayland_session import WaylandSession, in_ci, skip_reason

pytestmark = pytest.mark.desktop

# a nudge stays up while the test acts on it: nobody counts as away within the test
SWAY_CONFIG = """\
[timing]
stretch_every = "30m"
posture_every = 0
away_after = "10m"
present_within = "1m"
"""


def waybar_strip(s: WaylandSession, path: Path) -> Any:
    from PIL import Image

    s.run(["grim", str(path)])
    return Image.open(path).convert("RGB").crop((0, 0, 1280, 30))


def count_colour(strip: Any, colour: tuple[int, int, int]) -> int:
    raw = strip.tobytes()
    pixels = (tuple(raw[i : i + 3]) for i in range(0, len(raw), 3))
    return sum(1 for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, colour, strict=True)))


def test_tray_item_in_waybar_with_the_full_menu(sway_session: WaylandSession, tmp_path: Path) -> None:
    s = sway_session
    with Daemon(s.env, tmp_path, config=SWAY_CONFIG) as daemon, \
            SniHost(s.env["DBUS_SESSION_BUS_ADDRESS"]) as host:  # fmt: skip
        assert daemon.status()["tray"] == "sni"
        item = host.wait_item()
        assert s.sni_items() == [f"{item[0]}{item[1]}"]  # registered with waybar's watcher
        assert s.bus_name_pid("org.kde.StatusNotifierWatcher") == s.pids["waybar"]
        assert s.bus_name_pid(item[0]) == daemon.proc.pid if daemon.proc else False

        menu = host.layout(item)
        assert [n.label for n in menu.walk() if n.label][1:] == ALL_LABELS

        # a menu click as waybar sends it: Pause ▸ 1 h
        host.click(item, menu.find("1 h").id)
        st = daemon.wait_status(lambda s: s["paused"], 5, "paused from the menu")
        assert 3500 < st["paused_for_s"] <= 3600
        wait_for(lambda: host.layout(item).children[0].label == "Paused · 60 min left", 5,
                 "the status line follows")  # fmt: skip
        assert host.prop(item, "ToolTip")[3] == "Paused · 60 min left"
        assert host.layout(item).find("Resume").props["enabled"] is True

        # waybar draws what the item shows: resumed, then "I'm standing" turns the ring blue
        host.click(item, menu.find("Resume").id)
        daemon.wait_status(lambda s: not s["paused"], 5, "resumed from the menu")
        blue = COLOURS["standing"]
        if shutil.which("grim") or in_ci():
            assert count_colour(waybar_strip(s, tmp_path / "before.png"), blue) == 0
        host.click(item, menu.find("I'm standing").id)
        daemon.wait_status(lambda s: s["standing"], 5, "standing from the menu")
        if shutil.which("grim") or in_ci():
            wait_for(lambda: count_colour(waybar_strip(s, tmp_path / "bar.png"), blue) > 20, 10,
                     "waybar drawing the blue (standing) ring")  # fmt: skip

        host.click(item, menu.find("Quit").id)
        assert daemon.proc is not None
        assert daemon.proc.wait(15) == 0
        wait_for(lambda: s.sni_items() == [], 5, "the item gone from waybar's watcher")


@pytest.fixture
def sway_x(request: pytest.FixtureRequest) -> Iterator[WaylandSession]:
    """Sway with mako and Xwayland (the stretch card is a Tk window)."""
    reason = skip_reason("sway", mako=True)
    if not reason and not in_ci() and not shutil.which("Xwayland"):
        reason = "Xwayland not installed (Debian: xwayland)"
    if reason:
        pytest.skip(reason)
    s = WaylandSession("sway", mako=True, xwayland=True)
    s.start()
    try:
        yield s
    finally:
        s.stop()


def card_windows(s: WaylandSession) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        props = node.get("window_properties") or {}
        if str(props.get("class", "")).lower() == "sitbreakcard":
            found.append(node)
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)

    walk(s.swaymsg("-t", "get_tree"))
    return found


def test_nudge_in_mako_and_its_default_action_opens_the_card(
    sway_x: WaylandSession, tmp_path: Path
) -> None:
    s = sway_x
    with Daemon(s.env, tmp_path, config=SWAY_CONFIG) as daemon:
        daemon.cli("stretch-now")
        shown = wait_for(s.mako_notifications, 10, "the nudge in mako")
        assert len(shown) == 1
        assert shown[0]["app-name"] == "sitbreak"
        assert shown[0]["summary"].startswith("Time to stand: ")
        assert "default" in shown[0]["actions"]  # a click on the bubble
        assert set(shown[0]["actions"].values()) >= {"Snooze", "Done", "Skip"}

        s.mako_invoke("default")
        cards = wait_for(lambda: card_windows(s), 15, "the card's window on Sway")
        assert cards[0]["shell"] == "xwayland"
        assert cards[0]["pid"] in daemon.children()  # the daemon's own card process
        item = daemon.status()["nudge_item"]
        assert cards[0]["name"].endswith(" · sitbreak")
        assert json.dumps(cards[0]["name"]) != json.dumps(item)  # a title, not the raw id
        s.run(["grim", str(tmp_path / "card.png")])

        # Return is the card's Done button, typed through the virtual keyboard once the card
        # has the keyboard focus. Sway says "focused" before Xwayland has handed the X focus on
        # and Tk has taken it, so an early key can fall through: focus and type again (a busy
        # machine needed more than three tries of 3 s once).
        con = cards[0]["id"]
        for _ in range(6):
            s.swaymsg(f"[con_id={con}]", "focus")
            wait_for(lambda: any(c["focused"] for c in card_windows(s)), 10, "the card focused")
            s.wtype("-k", "Return")
            with contextlib.suppress(TimeoutError):
                wait_for(lambda: daemon.status()["breaks"] == 1, 3, "done recorded")
                break
        st = daemon.wait_status(lambda st: st["breaks"] == 1, 5, "done recorded")
        assert st["last_break"]["cause"] == "done"
        wait_for(lambda: not card_windows(s), 10, "the card closed")
        assert daemon.stop() == 0
