"""Accessibility on a real (virtual) desktop: the card follows the desktop's dark setting (the
picture too), high contrast and text scaling; a screen-reader user gets the whole stretch in the
notification. The desktop's settings come from stand-ins on a private session bus (the XDG
portal, the AT-SPI bus launcher) and from the X server's Xft.dpi resource."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.daemon_proc import Daemon
from tests.desktop import Desktop, missing_tools, wait_until
from tests.test_e2e_desktop import nudge_on_screen, user_at_keyboard

pytestmark = pytest.mark.desktop
REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "artifacts" / "screenshots"
ITEM, TITLE = "seated-figure-four", "Seated figure-four stretch"


@pytest.fixture
def bus_desktop() -> Iterator[Desktop]:
    if missing_tools(dunst=False, trayer=False):
        pytest.skip("desktop tools not installed")
    with Desktop(session_bus=True) as d:
        yield d


def standin(d: Desktop, kind: str, state: Path, values: dict[str, object]) -> None:
    state.write_text(json.dumps(values), encoding="utf-8")
    env = {**d.env, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    d.spawn([sys.executable, "-m", "tests.dbus_standins", kind, str(state)], name=kind, env=env)
    name = "org.freedesktop.portal.Desktop" if kind == "portal" else "org.a11y.Bus"
    wait_until(lambda: d.bus_name_pid(name), 15, message=f"the {kind} stand-in")


def open_card(d: Desktop, *args: str) -> tuple[subprocess.Popen[str], int]:
    card = subprocess.Popen([sys.executable, "-m", "sitbreak.card", ITEM, "--no-sound", *args],
                            env=d.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wid = d.wait_for_window(name=f"^{re.escape(TITLE)}", visible_only=True, timeout=15)
    time.sleep(0.4)
    return card, wid


def close(card: subprocess.Popen[str]) -> None:
    card.terminate()
    card.communicate(timeout=10)


def shot(d: Desktop, wid: int, name: str) -> Image.Image:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = d.screenshot(SHOTS / name, window=wid)
    with Image.open(path) as img:
        return img.convert("RGB")


def near_white(img: Image.Image) -> float:
    grey = img.convert("L")
    hist = grey.histogram()
    return sum(hist[240:]) / (img.width * img.height)


def test_auto_theme_follows_the_portal_and_the_picture_turns_dark(
    bus_desktop: Desktop, tmp_path: Path
) -> None:
    state = tmp_path / "portal.json"
    standin(bus_desktop, "portal", state, {"color-scheme": 2})  # prefer light
    card, wid = open_card(bus_desktop, "--theme", "auto")
    light = shot(bus_desktop, wid, "card-auto-light.png")
    close(card)
    state.write_text(json.dumps({"color-scheme": 1}), encoding="utf-8")  # prefer dark
    card, wid = open_card(bus_desktop, "--theme", "auto")
    dark = shot(bus_desktop, wid, "card-auto-dark.png")
    close(card)
    assert light.getpixel((3, light.height // 2)) == (0xF6, 0xF4, 0xEF)
    assert dark.getpixel((3, dark.height // 2)) == (0x1D, 0x21, 0x26)
    # the white paper of the picture is gone on the dark card (and plenty on the light one)
    assert near_white(light) > 0.15
    assert near_white(dark) < 0.01


def test_high_contrast_from_the_portal(bus_desktop: Desktop, tmp_path: Path) -> None:
    standin(bus_desktop, "portal", tmp_path / "portal.json", {"contrast": 1})
    card, wid = open_card(bus_desktop)
    img = shot(bus_desktop, wid, "card-high-contrast.png")
    close(card)
    assert img.getpixel((3, img.height // 2)) == (0xFF, 0xFF, 0xFF)
    colours = {rgb: n for n, rgb in img.getcolors(1 << 22) or []}
    assert colours.get((0xFF, 0xFF, 0x00), 0) > 1000  # black on yellow buttons
    assert colours.get((0, 0, 0), 0) > 1000  # black text
    # the light theme's panel, buttons and accent are gone
    for light in ((0xF6, 0xF4, 0xEF), (0xE6, 0xE2, 0xD9), (0xD9, 0x69, 0x2E)):
        assert colours.get(light, 0) < 50, light


def set_xft_dpi(d: Desktop, dpi: int) -> None:
    """What `xrdb -merge` with "Xft.dpi: 120" does: the X resource database on the root."""
    from Xlib import X, Xatom

    conn = d.xlib_display()
    conn.screen().root.change_property(conn.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8,
                                       f"Xft.dpi:\t{dpi}\n".encode(), X.PropModeReplace)
    conn.sync()


def card_area(d: Desktop, *args: str) -> int:
    card, wid = open_card(d, *args)
    _x, _y, w, h = d.window_geometry(wid)
    close(card)
    assert w <= 1280 and h <= 800, "it still fits the screen"
    return w * h


def test_card_follows_the_desktops_text_scaling(bus_desktop: Desktop, tmp_path: Path) -> None:
    plain = card_area(bus_desktop)
    # the desktop's text scaling through the portal (GNOME's text-scaling-factor)
    state = tmp_path / "portal.json"
    standin(bus_desktop, "portal", state, {"text-scaling-factor": 1.25})
    by_portal = card_area(bus_desktop)
    assert by_portal > plain * 1.12
    # X11 desktops (and XWayland) publish their text size as Xft.dpi; it counts once, not twice
    state.write_text(json.dumps({}), encoding="utf-8")
    set_xft_dpi(bus_desktop, 120)  # 125 %
    by_dpi = card_area(bus_desktop)
    assert by_dpi > plain * 1.12
    state.write_text(json.dumps({"text-scaling-factor": 1.25}), encoding="utf-8")
    assert card_area(bus_desktop) < by_dpi * 1.05
    # and the config's card.text_scale multiplies in
    set_xft_dpi(bus_desktop, 96)
    state.write_text(json.dumps({}), encoding="utf-8")
    assert card_area(bus_desktop, "--text-scale", "1.25") > plain * 1.12


def test_screen_reader_user_gets_the_steps_in_the_notification(
    desktop: Desktop, tmp_path: Path
) -> None:
    state = tmp_path / "a11y.json"
    standin(desktop, "a11y", state, {"ScreenReaderEnabled": False})
    with Daemon(desktop.env, tmp_path) as d, user_at_keyboard(desktop):
        d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting")
        d.cli("stretch-now")
        item = nudge_on_screen(d, desktop)["nudge_item"]
        d.cli("skip")
        wait_until(lambda: desktop.dunst_displayed_count() == 0, 5)
        plain = desktop.dunst_history()[0]["body"]
        assert "1. " not in plain
        state.write_text(json.dumps({"ScreenReaderEnabled": True}), encoding="utf-8")
        d.cli("stretch-now")
        other = nudge_on_screen(d, desktop)["nudge_item"]
        desktop.dunst_close_all()
        body = desktop.dunst_history()[0]["body"]
        steps = d.cli("content", "show", other).stdout
        first_step = next(line for line in steps.splitlines() if line.startswith("1. "))
        assert first_step[3:30] in body
        assert "Timer: " in body
        assert "screen reader running" in d.log()
        assert item
