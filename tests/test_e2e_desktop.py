"""`sitbreak run` in a real X session: Xvfb, private D-Bus buses, dunst, trayer, xdotool input.

Each test starts its own desktop (tests/desktop.py) and daemon and stops exactly those.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, wait_for
from tests.desktop import Desktop

pytestmark = pytest.mark.desktop


def keep_active(desk: Desktop, seconds: float, every: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        desk.move_mouse()
        time.sleep(every)


@contextlib.contextmanager
def user_at_keyboard(desk: Desktop, every: float = 0.5) -> Iterator[None]:
    """A user tapping Shift in the background (no pointer moves to disturb clicks), so a busy
    test machine never makes them look away (away_after is only 3 s here)."""
    stop = threading.Event()

    def tap() -> None:
        while not stop.is_set():
            desk.run(["xdotool", "key", "shift"], check=False)
            stop.wait(every)

    thread = threading.Thread(target=tap, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def exported_history(d: Daemon, *args: str) -> dict[str, Any]:
    out = d.cli("history", "export", "--format", "json", *args).stdout
    data: dict[str, Any] = json.loads(out)
    return data


def save_by_rename(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def nudge_on_screen(d: Daemon, desk: Desktop, kind: str = "stretch") -> dict[str, Any]:
    """Wait until the daemon says a nudge of ``kind`` is up and dunst displays exactly one."""

    return d.wait_status(
        lambda s: s["nudge_kind"] == kind and desk.dunst_displayed_count() == 1,
        10,
        f"a {kind} nudge in dunst",
    )


@pytest.fixture
def daemon(desktop: Desktop, tmp_path: Path) -> Any:
    d = Daemon(desktop.env, tmp_path).start()
    yield d
    code = d.stop()
    assert code == 0, f"SIGTERM must be a clean shutdown; log tail:\n{d.log()[-4000:]}"


def test_input_keeps_user_present_and_a_gap_is_a_break(desktop: Desktop, daemon: Daemon) -> None:
    desktop.move_mouse()
    daemon.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
    # 4 s of input with gaps shorter than away_after (3 s): still one sitting span
    start = daemon.status()["sitting_s"]
    keep_active(desktop, 4.0)
    st = daemon.status()
    assert st["presence"] == "sitting"
    assert st["sitting_s"] >= start + 3.5
    assert st["breaks"] == 0
    assert st["source"] == "x11-screensaver"

    # no input: away after away_after (3 s) + one idle poll (1 s)
    daemon.wait_status(lambda s: s["presence"] == "away", 8, "away without input")
    assert daemon.status()["breaks"] == 0  # a break is recorded when the user is back
    time.sleep(1.0)
    desktop.move_mouse()
    st = daemon.wait_status(lambda s: s["breaks"] == 1, 5, "break on return")
    assert st["presence"] == "sitting"
    assert st["last_break"]["cause"] == "away"
    assert st["last_break"]["length_s"] >= 4.0
    assert st["sitting_s"] < 3
    assert "break recorded: away" in daemon.log()
    breaks = exported_history(daemon)["breaks"]
    assert [b["cause"] for b in breaks] == ["away"]
    assert breaks[0]["duration_s"] >= 4.0


def test_nudge_reaches_dunst_and_snooze_skip_buttons(desktop: Desktop, daemon: Daemon) -> None:
    with user_at_keyboard(desktop):
        _snooze_then_skip(desktop, daemon)


def _snooze_then_skip(desktop: Desktop, daemon: Daemon) -> None:
    daemon.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
    daemon.cli("stretch-now")
    st = nudge_on_screen(daemon, desktop)
    item = st["nudge_item"]
    picked = desktop.dunst_pick_context("^#Snooze ")
    assert "Time to stand" in picked
    st = daemon.wait_status(lambda s: s["nudge_kind"] is None, 5, "snoozed")
    assert 85 <= st["next_nudge_in_s"] <= 90  # snooze = 90 s
    # An answered nudge leaves the screen (dunst itself keeps a bubble whose menu action ran).
    wait_for(lambda: desktop.dunst_displayed_count() == 0, 5, "the snoozed bubble to close")
    history = desktop.dunst_history()
    assert history[0]["summary"].startswith("Time to stand")
    assert history[0]["appname"] == "sitbreak"

    daemon.cli("stretch-now")
    st = nudge_on_screen(daemon, desktop)
    desktop.dunst_pick_context("^#Skip ")
    st = daemon.wait_status(lambda s: s["nudge_kind"] is None, 5, "skipped")
    assert 55 <= st["next_nudge_in_s"] <= 60  # stretch clock restarted: stretch_every = 60 s
    wait_for(lambda: desktop.dunst_displayed_count() == 0, 5, "the skipped bubble to close")
    assert st["breaks"] == 0  # a skip credits no break
    log = daemon.log()
    assert f"stretch nudge {item} answered: snoozed" in log
    assert "answered: skipped" in log


def test_demo_nudge_click_opens_card_and_done_is_recorded(
    desktop: Desktop, tmp_path: Path
) -> None:
    with Daemon(desktop.env, tmp_path, command="demo") as d, user_at_keyboard(desktop):
        # the demo's timer, not stretch-now: a posture check at 10 s, the stretch at 20 s
        d.wait_status(lambda s: s["nudge_kind"] == "stretch", 30, "the demo's stretch nudge")
        _click_to_card_and_done(desktop, d, tmp_path)


def _click_to_card_and_done(desktop: Desktop, d: Daemon, tmp_path: Path) -> None:
    nudge_on_screen(d, desktop)
    assert "nudge: posture" in d.log()  # the posture check came first
    bubble = desktop.dunst_windows()[0]
    desktop.click_window(bubble)  # a real left click on the notification
    card = desktop.wait_for_window(class_="^SitbreakCard$", visible_only=True, timeout=15)
    assert d.children(), "the card runs as the daemon's child process"
    desktop.screenshot(tmp_path / "card.png", window=card)
    # the card's Done: Return activates it (the button has the focus)
    desktop.xdotool("windowfocus", "--sync", card)
    desktop.key("Return")
    st = d.wait_status(lambda s: s["breaks"] == 1, 10, "done recorded")
    assert st["last_break"]["cause"] == "done"
    assert st["nudge_kind"] is None
    wait_for(
        lambda: not desktop.search_windows(class_="^SitbreakCard$", visible_only=True),
        10,
        "card closed",
    )
    assert "answered: done" in d.log()
    # the demo's history database has it (a scratch one: the user's history stays untouched)
    m = re.search(r"demo: history goes to a scratch database (\S+)", d.log())
    assert m is not None
    history = exported_history(d, "--db", m.group(1))
    assert [b["cause"] for b in history["breaks"]] == ["done"]
    answers = {(n["kind"], n["answer"]) for n in history["nudges"]}
    assert ("stretch", "done") in answers
    assert exported_history(d)["breaks"] == []


def test_xembed_icon_docks_pauses_and_a_click_opens_the_card(desktop: Desktop, tmp_path: Path) -> None:
    # trayer is only an XEmbed tray (no StatusNotifierWatcher): pystray's xorg icon
    with Daemon(desktop.env, tmp_path) as daemon:
        assert daemon.status()["tray"] == "pystray-xorg"
        _tray_session(desktop, daemon)


def _tray_session(desktop: Desktop, daemon: Daemon) -> None:
    icons = wait_for(desktop.tray_icons, 10, "an icon embedded in trayer")
    assert len(icons) == 1
    icon = icons[0]
    desktop.screenshot(daemon.workdir / "tray.png")
    _x, _y, w, h = desktop.window_geometry(icon)
    assert min(w, h) > 1  # docked and sized by trayer, not a 1×1 stray window

    def tooltip() -> str:
        return desktop.xdotool("getwindowname", icon).strip()

    desktop.move_mouse()
    wait_for(lambda: tooltip() == "Sitting 0 min · next stretch in 1 min", 5, "sitting tooltip")
    daemon.cli("pause", "30m")  # pystray's xorg icon has no menu (sitbreak doctor says so)
    wait_for(lambda: tooltip() == "Paused · 30 min left", 5, "paused tooltip")
    daemon.cli("resume")
    wait_for(lambda: tooltip().startswith("Sitting"), 5, "tooltip after resume")
    # a left click on the icon shows the current stretch: the card opens
    desktop.click_window(icon)
    card = desktop.wait_for_window(class_="^SitbreakCard$", visible_only=True, timeout=15)
    first = desktop.xdotool("getwindowname", card).strip()
    # "another stretch" (N on the card): the card comes back with a different item

    def other_card() -> str:
        shown = desktop.search_windows(class_="^SitbreakCard$", visible_only=True)
        names = [desktop.run(["xdotool", "getwindowname", str(w)], check=False).stdout.strip()
                 for w in shown]
        return next((n for n in names if n and n != first), "")

    desktop.xdotool("windowfocus", "--sync", card)
    desktop.key("n")
    wait_for(other_card, 15, "a card with another item")
    assert "card answer: another" in daemon.log()
    cards = daemon.children()
    assert cards
    # quitting with the card up closes it too: no orphan window left behind
    assert daemon.stop() == 0
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in cards), 5, "card gone")
    assert not desktop.search_windows(class_="^SitbreakCard$", visible_only=True)


def test_config_edit_while_running(desktop: Desktop, daemon: Daemon) -> None:
    with user_at_keyboard(desktop):
        _edit_config(desktop, daemon)


def _edit_config(desktop: Desktop, daemon: Daemon) -> None:
    daemon.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
    before = daemon.status()["next_nudge_in_s"]
    assert 50 <= before <= 60
    save_by_rename(daemon.config_path, FAST_CONFIG.replace('"60s"', '"120s"', 1))
    # promised: within 2 s (1 s poll + settle); 3 s leaves room for a busy machine
    st = daemon.wait_status(lambda s: s["next_nudge_in_s"] > 100, 3, "the edit applied")
    assert st["stretch_every_s"] == 120
    assert "config reloaded" in daemon.log()

    desktop.dunst_close_all()
    save_by_rename(daemon.config_path, FAST_CONFIG.replace('"60s"', "60s", 1))
    wait_for(lambda: desktop.dunst_displayed_count() == 1, 5, "the error notification")
    desktop.dunst_close_all()
    note = desktop.dunst_history()[0]
    assert note["summary"] == "sitbreak: config not applied"
    assert "sitbreak.toml:2" in note["body"]
    assert daemon.alive
    st = daemon.status()
    assert st["stretch_every_s"] == 120  # the last good config stays


@pytest.mark.parametrize("dbus", [True, False], ids=["bus-but-no-servers", "no-dbus-at-all"])
def test_runs_and_nudges_without_dunst_or_tray(
    xdisplay: Desktop, tmp_path: Path, dbus: bool
) -> None:
    env = xdisplay.env  # Xvfb and a private session bus; no dunst, no trayer
    if not dbus:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
    with Daemon(env, tmp_path) as d:
        xdisplay.move_mouse()
        d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
        d.cli("stretch-now")
        st = d.wait_status(lambda s: s["nudge_kind"] == "stretch", 5, "nudge")
        assert st["notifier"] not in ("freedesktop", "desktop-notifier")
        wait_for(lambda: "nudge: stretch" in d.log(), 5, "the nudge in the log")
        d.cli("snooze")
        assert d.alive
    assert d.proc is not None
    assert d.proc.returncode == 0


def test_nudge_waits_while_do_not_disturb(desktop: Desktop, daemon: Daemon) -> None:
    with user_at_keyboard(desktop):
        daemon.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
        desktop.dunstctl("set-paused", "true")
        daemon.cli("stretch-now")
        st = daemon.wait_status(lambda s: s["deferred"], 5, "the nudge deferred")
        assert st["nudge_kind"] == "stretch"
        # deferred by sitbreak itself: dunst never got it (not even in its paused queue)
        assert desktop.dunstctl("count", "waiting").strip() == "0"
        desktop.dunstctl("set-paused", "false")
        daemon.wait_status(lambda s: not s["deferred"], 10, "the nudge shown after DND")
        wait_for(lambda: desktop.dunst_displayed_count() == 1, 5, "the nudge in dunst")


def test_first_run_shows_the_safety_card_once(desktop: Desktop, tmp_path: Path) -> None:
    env = {k: v for k, v in desktop.env.items() if k != "SITBREAK_NO_SAFETY_INTRO"}
    env["SITBREAK_NO_SAFETY_INTRO"] = ""
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
    with Daemon(env, tmp_path / "first") as d:
        card = desktop.wait_for_window(class_="^SitbreakCard$", visible_only=True, timeout=15)
        assert "When to get help" in desktop.xdotool("getwindowname", card)
        desktop.screenshot(tmp_path / "safety-intro.png", window=card)
        assert "first run: showing the safety card" in d.log()
    wait_for(lambda: not desktop.search_windows(class_="^SitbreakCard$", visible_only=True), 10,
             "the card closes with the daemon")
    with Daemon(env, tmp_path / "second") as d:
        d.wait_status(lambda s: True, 10, "the second daemon is up")
        time.sleep(2)
        assert not desktop.search_windows(class_="^SitbreakCard$", visible_only=True)
        assert d.log().count("first run: showing the safety card") == 1  # the log is shared
