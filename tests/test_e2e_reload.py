"""Every config key family, and the user's content folder, apply to a running daemon without a
restart (a saved edit is picked up within about 2 s)."""

from __future__ import annotations

import importlib.util
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from sitbreak.content import load_library
from tests.daemon_proc import FAST_CONFIG, Daemon, wait_for
from tests.desktop import Desktop
from tests.pulse_playback import PACKAGES, PlaybackServer, missing
from tests.test_e2e_desktop import nudge_on_screen, save_by_rename, user_at_keyboard

pytestmark = pytest.mark.desktop
RELOAD_S = 6  # promised: about 2 s; room for a busy machine


def edit(d: Daemon, text: str) -> None:
    # the config file's own reload: the content folder's watcher logs "config reloaded" too
    line = f"config reloaded from {d.config_path}"
    before = d.log().count(line)
    save_by_rename(d.config_path, text)
    wait_for(lambda: d.log().count(line) > before, RELOAD_S, "the reload")


def stretch_now(d: Daemon) -> dict[str, Any]:
    d.cli("stretch-now")
    return d.wait_status(lambda s: s["nudge_kind"] == "stretch", 5, "a stretch nudge")


def test_schedule_and_timing_apply_at_once(xdisplay: Desktop, tmp_path: Path) -> None:
    with Daemon(xdisplay.env, tmp_path) as d, user_at_keyboard(xdisplay):
        assert d.status()["in_working_hours"] is True
        hour = (datetime.now().hour + 3) % 22  # a working hour that is not now
        edit(d, FAST_CONFIG + f'\n[schedule]\nworking_hours = "mon-sun {hour:02d}:00-'
                              f'{hour + 1:02d}:00"\n')
        assert d.status()["in_working_hours"] is False
        edit(d, FAST_CONFIG.replace('repeat_after = "30s"', 'repeat_after = "45s"')
             .replace('stretch_every = "60s"', 'stretch_every = "90s"'))
        st = d.status()
        assert st["in_working_hours"] is True
        assert st["stretch_every_s"] == 90


ITEM = """\
id = "my-calf-raise"
title = "{title}"
kind = "movement"
where = "standing"
targets = ["calves", "circulation"]
hold_s = 3
reps = 10
timer_label = "Rise"
steps = ["Stand behind your chair, hands on its back.", "Rise onto your toes, then lower."]
image = "glute-squeeze.png"
source = ["003_c27e9dbe5935298c.txt"]
"""


def test_the_content_folder_applies_without_a_restart(xdisplay: Desktop, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    shipped = sorted(load_library(with_user=False).items)
    config = FAST_CONFIG + f'\n[content]\ndir = "{folder}"\nexclude = {json.dumps(shipped)}\n'
    with Daemon(xdisplay.env, tmp_path, config=config) as d, user_at_keyboard(xdisplay):
        assert stretch_now(d)["nudge_item"] in shipped  # nothing of the user's yet
        d.cli("skip")
        # a new file in the folder (any muscle name: "calves" is not one sitbreak knows)
        (folder / "calf.toml").write_text(ITEM.format(title="Calf raises"), encoding="utf-8")
        wait_for(lambda: "content folder changed" in d.log(), RELOAD_S, "the new item")
        assert stretch_now(d)["nudge_item"] == "my-calf-raise"
        wait_for(lambda: "Time to stand: Calf raises" in d.log(), 5, "its title in the nudge")
        d.cli("skip")
        # an edit in place (no rename, the folder's entry list stays the same)
        with (folder / "calf.toml").open("w", encoding="utf-8") as f:
            f.write(ITEM.format(title="Calf raises at the desk"))
        wait_for(lambda: d.log().count("content folder changed") >= 2, RELOAD_S, "the edit")
        assert stretch_now(d)["nudge_item"] == "my-calf-raise"
        wait_for(lambda: "Time to stand: Calf raises at the desk" in d.log(), 5, "the new title")
        d.cli("skip")
        # a broken file is reported once, and the rest keeps working
        (folder / "broken.toml").write_text('id = "x"\n', encoding="utf-8")
        wait_for(lambda: "broken.toml" in d.log(), RELOAD_S, "the broken file reported")
        assert stretch_now(d)["nudge_item"] == "my-calf-raise"
        # and the [content] keys of the config itself
        edit(d, FAST_CONFIG + f'\n[content]\ndir = "{folder}"\nexclude = ["my-calf-raise"]\n')
        d.cli("skip")
        assert stretch_now(d)["nudge_item"] != "my-calf-raise"


def test_activity_source_switches_live(xdisplay: Desktop, tmp_path: Path) -> None:
    if importlib.util.find_spec("pynput") is None:
        pytest.skip("pynput (the listener extra) is not installed")
    config = FAST_CONFIG.replace("[activity]", '[activity]\nsource = "idle"')
    with Daemon(xdisplay.env, tmp_path, config=config) as d:
        assert d.status()["source"] == "x11-screensaver"
        edit(d, config.replace('source = "idle"', 'source = "listener"'))
        d.wait_status(lambda s: s["source"] == "pynput-listener", 5, "the listener source")
        # and it counts input: the user types, sitbreak sees them sitting
        with user_at_keyboard(xdisplay):
            d.wait_status(lambda s: s["presence"] == "sitting", 8, "sitting by the listener")


def answered(d: Daemon, db: Path) -> list[str]:
    out = d.cli("history", "export", "--format", "json", "--db", str(db)).stdout
    return [n["answer"] for n in json.loads(out)["nudges"]]


def test_history_keys_apply_live(xdisplay: Desktop, tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    config = FAST_CONFIG + f'\n[history]\npath = "{first}"\n'
    with Daemon(xdisplay.env, tmp_path, config=config) as d, user_at_keyboard(xdisplay):
        stretch_now(d)
        d.cli("done")
        wait_for(lambda: answered(d, first) == ["done"], 5, "the first answer recorded")
        edit(d, FAST_CONFIG + f'\n[history]\npath = "{second}"\n')
        stretch_now(d)
        d.cli("skip")
        wait_for(lambda: answered(d, second) == ["skipped"], 5, "recorded in the new file")
        assert answered(d, first) == ["done"]
        edit(d, FAST_CONFIG + f'\n[history]\npath = "{second}"\nenabled = false\n')
        stretch_now(d)
        d.cli("done")
        time.sleep(1)
        assert answered(d, second) == ["skipped"]  # history off: nothing more written


@pytest.mark.skipif(bool(missing()), reason=f"needs {PACKAGES}")
def test_notification_keys_apply_live(desktop: Desktop, tmp_path: Path) -> None:
    with PlaybackServer(tmp_path) as pulse:
        env = {**desktop.env, **pulse.env}
        with Daemon(env, tmp_path) as d, user_at_keyboard(desktop):
            d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting")
            stretch_now(d)
            nudge_on_screen(d, desktop)
            time.sleep(0.5)
            assert pulse.played() == 0  # notifications.sound = false (the default)
            d.cli("skip")
            # sound on: dunst plays none itself (no "sound" capability), so sitbreak does
            edit(d, FAST_CONFIG + "\n[notifications]\nsound = true\n")
            stretch_now(d)
            nudge_on_screen(d, desktop)
            pulse.wait_played(1, 5)
            assert pulse.loudest() > 1000
            assert "playing the nudge cue with paplay" in d.log()
            d.cli("skip")
            desktop.dunst_close_all()
            # do-not-disturb respected: the nudge waits…
            desktop.dunstctl("set-paused", "true")
            stretch_now(d)
            d.wait_status(lambda s: s["deferred"], 5, "the nudge held back")
            # …until respect_dnd = false is saved: it goes out at once
            edit(d, FAST_CONFIG + "\n[notifications]\nsound = true\nrespect_dnd = false\n")
            d.wait_status(lambda s: not s["deferred"], 8, "the nudge sent")
            wait_for(lambda: desktop.dunstctl("count", "waiting").strip() == "1", 5,
                     "dunst (paused) holding it")
            desktop.dunstctl("set-paused", "false")


def card_background(desktop: Desktop, wid: int, path: Path) -> tuple[int, int, int]:
    desktop.screenshot(path, window=wid)
    with Image.open(path) as img:
        rgb = img.convert("RGB").getpixel((4, img.height // 2))
    assert isinstance(rgb, tuple)
    return rgb[0], rgb[1], rgb[2]


def test_card_keys_apply_to_the_next_card(desktop: Desktop, tmp_path: Path) -> None:
    env = {**desktop.env, "SITBREAK_TRAY_BACKEND": "xorg", "SITBREAK_SOUND_PLAYER": "none"}
    # one stretch in the pool, so both cards show the same item
    others = [i for i in load_library(with_user=False).items if i != "seated-knee-hug"]
    content = f"\n[content]\nexclude = {json.dumps(others)}\n"
    config = FAST_CONFIG + content + '\n[card]\ntheme = "light"\n'
    with Daemon(env, tmp_path, config=config) as d, user_at_keyboard(desktop, every=2.0):
        if d.status()["tray"] != "pystray-xorg":
            pytest.skip("no xorg tray here")
        icon = wait_for(desktop.tray_icons, 10, "the tray icon")[0]
        time.sleep(1.5)

        def open_card() -> tuple[int, int, int]:
            desktop.click_window(icon)
            wid = desktop.wait_for_window(class_="^SitbreakCard$", visible_only=True,
                                          timeout=15)
            time.sleep(0.5)
            _x, _y, w, h = desktop.window_geometry(wid)
            return wid, w, h

        wid, w1, _h1 = open_card()
        assert card_background(desktop, wid, tmp_path / "light.png") == (0xF6, 0xF4, 0xEF)
        desktop.xdotool("windowfocus", "--sync", wid)
        desktop.key("Escape")
        wait_for(lambda: not desktop.search_windows(class_="^SitbreakCard$",
                                                    visible_only=True), 10, "card closed")
        edit(d, FAST_CONFIG + content + '\n[card]\ntheme = "dark"\ntext_scale = 1.3\n')
        wid, w2, h2 = open_card()
        assert card_background(desktop, wid, tmp_path / "dark.png") == (0x1D, 0x21, 0x26)
        # larger text: wider lines (the picture shrinks so that it still fits the screen)
        assert w2 > w1 * 1.1
        assert w2 <= 1280 and h2 <= 800
        desktop.xdotool("windowfocus", "--sync", wid)
        desktop.key("Escape")
