"""The daemon and its cards on a real (virtual) desktop: the first-run click opens the stretch,
a hung or stopped card never blocks the next one, "Another one" keeps the keyboard, and normal
answers are not warnings."""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop
from tests.test_e2e_desktop import nudge_on_screen, user_at_keyboard

pytestmark = pytest.mark.desktop

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "artifacts" / "screenshots"
CARD = "^SitbreakCard$"


def cards(desktop: Desktop) -> list[int]:
    return desktop.search_windows(class_=CARD, visible_only=True)


def card_titles(desktop: Desktop) -> list[str]:
    names = [desktop.run(["xdotool", "getwindowname", str(w)], check=False).stdout.strip()
             for w in cards(desktop)]
    return [n for n in names if n]


def warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if " WARNING " in line or " ERROR " in line]


def test_first_run_click_on_the_nudge_opens_the_stretch(desktop: Desktop, tmp_path: Path) -> None:
    env = {**desktop.env, "SITBREAK_NO_SAFETY_INTRO": ""}  # a first run: the safety card opens
    with Daemon(env, tmp_path) as d, user_at_keyboard(desktop):
        safety = desktop.wait_for_window(class_=CARD, visible_only=True, timeout=20)
        assert desktop.xdotool("getwindowname", safety).startswith("When to get help")
        # the first nudge arrives while the safety card is still open
        d.cli("stretch-now")
        st = nudge_on_screen(d, desktop)
        item = st["nudge_item"]
        desktop.click_window(desktop.dunst_windows()[0])  # a real click on the bubble
        # the stretch shows (it replaces the safety card)
        wait_for(lambda: any(not t.startswith("When to get help") for t in card_titles(desktop)),
                 15, "the stretch card")
        SHOTS.mkdir(parents=True, exist_ok=True)
        desktop.screenshot(SHOTS / "first-run-click-opens-the-stretch.png")
        assert len(cards(desktop)) == 1, card_titles(desktop)
        assert f"to show {item}" in d.log()
        assert "stretch card already open" not in d.log()
        # and it is that nudge's stretch, answered from the card
        card = cards(desktop)[0]
        desktop.xdotool("windowfocus", "--sync", card)
        desktop.key("Return")
        st = d.wait_status(lambda s: s["breaks"] == 1, 10, "done recorded")
        assert st["last_break"]["cause"] == "done"
        assert f"stretch nudge {item} answered: done" in d.log()


def test_a_stopped_card_never_blocks_the_next(desktop: Desktop, tmp_path: Path) -> None:
    env = {**desktop.env, "SITBREAK_TRAY_BACKEND": "xorg"}
    with Daemon(env, tmp_path) as d, user_at_keyboard(desktop):
        if d.status()["tray"] != "pystray-xorg":
            pytest.skip("no xorg tray here")
        icon = wait_for(desktop.tray_icons, 10, "the tray icon")[0]
        time.sleep(1.5)  # the icon settles
        desktop.click_window(icon)  # a left click: the current stretch
        first = wait_for(lambda: cards(desktop), 15, "the first card")[0]
        pid = wait_for(d.children, 5, "the card process")[0]
        assert first
        os.kill(pid, signal.SIGSTOP)  # the card hangs: it will never answer
        asked = time.monotonic()
        desktop.click_window(icon)  # ask for a card again
        wait_for(lambda: not Path(f"/proc/{pid}").exists()
                 or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z", 10,
                 "the stopped card killed")
        wait_for(lambda: [t for t in card_titles(desktop) if t] and d.children()
                 and pid not in d.children(), 10, "the next card")
        took = time.monotonic() - asked
        assert took < 6, f"the next card took {took:.1f} s"
        # the stopped card was woken to close (SIGCONT with the SIGTERM); one that still does
        # not answer is killed: tests/test_adapters_card.py
        assert "stretch card closed by sitbreak" in d.log()
        assert "closing the card on screen" in d.log()
        new = cards(desktop)[0]
        # a normal close is not a warning
        desktop.xdotool("windowfocus", "--sync", new)
        desktop.key("Escape")
        wait_for(lambda: not cards(desktop), 10, "the card closed")
        wait_for(lambda: d.log().count("card answer: closed") >= 2, 5, "the close in the log")
        noisy = [w for w in warnings(d.log()) if "stretch card" in w and "killing" not in w]
        assert noisy == []


@pytest.mark.skipif(shutil.which("openbox") is None, reason="openbox not installed")
def test_another_one_keeps_the_keyboard(desktop: Desktop, tmp_path: Path) -> None:
    # under a real window manager, which would otherwise hand the keyboard elsewhere
    desktop.spawn(["openbox", "--sm-disable"], name="openbox")
    wait_for(lambda: "window id" in desktop.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False).stdout, 10, "openbox")
    env = {**desktop.env, "SITBREAK_TRAY_BACKEND": "xorg"}
    with Daemon(env, tmp_path) as d, user_at_keyboard(desktop, every=2.0):
        if d.status()["tray"] != "pystray-xorg":
            pytest.skip("no xorg tray here")
        icon = wait_for(desktop.tray_icons, 10, "the tray icon")[0]
        time.sleep(1.5)
        desktop.click_window(icon)
        first = wait_for(lambda: cards(desktop), 15, "the first card")[0]
        first_title = desktop.xdotool("getwindowname", first).strip()
        x, y, _w, _h = desktop.window_geometry(first)
        desktop.xdotool("mousemove", x + 30, y + 12, "click", 1)  # the user clicks into it
        time.sleep(0.3)
        desktop.xdotool("mousemove", 5, 5)  # and leaves the pointer elsewhere
        desktop.key("n")  # Another one
        second = wait_for(lambda: [t for t in card_titles(desktop) if t != first_title], 15,
                          "another card")[0]
        prefix = re.escape(second.split(" · ")[0])
        wid = desktop.wait_for_window(name=f"^{prefix}", visible_only=True)
        # no click: the keys work at once
        time.sleep(0.8)
        desktop.key("space")
        # started, the title names the phase ("… · Left side", "… · Squat") instead of the app
        wait_for(lambda: not desktop.xdotool("getwindowname", wid).strip().endswith(" · sitbreak"),
                 5, "the timer started by Space")
        desktop.key("k")  # skip, still by keyboard
        wait_for(lambda: not cards(desktop), 10, "the card answered")
        wait_for(lambda: "card answer: skip" in d.log(), 5, "the skip in the log")
        assert "card answer: another" in d.log()
        assert [w for w in warnings(d.log()) if "card" in w] == []
