"""The stretch card on a real X server (Xvfb from the ``xdisplay`` fixture), driven by xdotool.

Screenshots (one per item kind, plus the safety card and the dark theme) are written to
artifacts/screenshots/ under the repository root; the path is printed (pytest -s shows it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from sitbreak.content import load_library
from tests.desktop import Desktop, wait_until

pytestmark = pytest.mark.desktop

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "artifacts" / "screenshots"
SCALE = "0.1"  # 30 s holds become 3 s; the switch pause 0.5 s


def accent_pixels(path: Path) -> int:
    """Pixels in the light theme's accent orange (the Start/Pause button, or a flash)."""
    with Image.open(path) as img:
        colours = img.convert("RGB").getcolors(1 << 22) or []
    return sum(n for n, rgb in colours if rgb == (0xD9, 0x69, 0x2E))


WORK_BLUE = (0x1F, 0x6F, 0xD1)  # the working limb and side marker (assets/images/_figures.py)


def blue_box(path: Path) -> tuple[int, int, int, int]:
    """Bounding box of the working-side blue in a picture file or a screenshot."""
    with Image.open(path) as img:
        rgb = img.convert("RGB")
    r, g, b = (band.point(lambda v, c=c: 255 if abs(v - c) <= 6 else 0)
               for band, c in zip(rgb.split(), WORK_BLUE, strict=True))
    mask = ImageChops.multiply(ImageChops.multiply(r, g), b)
    box = mask.getbbox()
    assert box is not None, f"no working-side blue in {path}"
    return box


class Card:
    """One ``python -m sitbreak.card`` process on the test display; reads its JSON answer."""

    def __init__(self, d: Desktop, *args: str) -> None:
        self.d = d
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitbreak.card", *args],
            env=d.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )

    def window(self, title: str, timeout: float = 10.0) -> int:
        # xdotool's regex does not match the non-ASCII " · " the card puts after the title
        prefix = title.split(" · ", 1)[0]
        return self.d.wait_for_window(name=f"^{re.escape(prefix)}", visible_only=True,
                                      timeout=timeout)

    def title(self, wid: int) -> str:
        return self.d.xdotool("getwindowname", wid).strip()

    def wait_title(self, wid: int, pattern: str, timeout: float = 10.0) -> str:
        def matches() -> str:
            name = self.title(wid)
            return name if re.search(pattern, name) else ""

        return wait_until(matches, timeout, interval=0.02, message=f"card title ~ {pattern!r}")

    def focus(self, wid: int) -> None:
        """Click an empty spot of the card (its title line): what a user does to type there."""
        x, y, _, _ = self.d.window_geometry(wid)
        self.d.xdotool("mousemove", x + 30, y + 12, "click", 1)

    def answer(self, timeout: float = 10.0) -> tuple[dict[str, Any], int, str]:
        out, err = self.proc.communicate(timeout=timeout)
        lines = out.strip().splitlines()
        assert lines, f"no answer on stdout; stderr: {err}"
        return json.loads(lines[-1]), self.proc.returncode, err

    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def cards(xdisplay: Desktop) -> Iterator[Callable[..., Card]]:
    started: list[Card] = []

    def open_card(*args: str) -> Card:
        card = Card(xdisplay, *args)
        started.append(card)
        return card

    yield open_card
    for card in started:
        card.stop()


def test_two_sided_hold_driven_by_real_key_presses(xdisplay, cards):
    # 0.2: 6 s per side and a 1 s switch pause, long enough to see under a loaded machine
    card = cards("seated-figure-four", "--hold-scale", "0.2")
    wid = card.window("Seated figure-four stretch")
    assert card.title(wid) == "Seated figure-four stretch · sitbreak"
    card.focus(wid)
    began = time.monotonic()
    xdisplay.key("space")
    card.wait_title(wid, r"· Left side$", timeout=3)
    SHOTS.mkdir(parents=True, exist_ok=True)
    left = xdisplay.screenshot(SHOTS / "stretch-left-side.png", window=wid)
    card.wait_title(wid, r"· Switch: right side$", timeout=9)
    flash = xdisplay.screenshot(SHOTS / "stretch-switch-flash.png", window=wid)
    card.wait_title(wid, r"· Right side$", timeout=3)
    time.sleep(0.5)  # past the 0.7 s flash that started with the switch
    steady = xdisplay.screenshot(SHOTS / "stretch-right-side.png", window=wid)
    # the end of a side flashes the whole timer panel in the accent colour
    assert accent_pixels(flash) > 5 * accent_pixels(steady)
    # the picture shows the left leg working, then its mirror image for the right side: the
    # blue limb moves on screen exactly as it moves between the two picture files
    first = load_library(with_user=False).images["seated-figure-four"]
    second = first.with_name("seated-figure-four-right.png")
    on_left, on_right = blue_box(left), blue_box(steady)
    in_first, in_second = blue_box(first), blue_box(second)
    assert in_first != in_second
    offset = [s - f for s, f in zip(on_left, in_first, strict=True)]
    assert [s - f for s, f in zip(on_right, in_second, strict=True)] == offset
    card.wait_title(wid, r"· Done$", timeout=9)
    took = time.monotonic() - began
    assert 13.0 <= took < 16.0  # two 6 s holds plus the 1 s switch pause
    xdisplay.key("Return")
    answer, code, _ = card.answer()
    assert answer["answer"] == "done"
    assert answer["item"] == "seated-figure-four"
    assert answer["completed"] is True
    assert answer["held_s"] == pytest.approx(12.0, abs=0.3)
    assert code == 0


def test_space_pauses_the_hold(xdisplay, cards):
    card = cards("standing-hamstring", "--hold-scale", SCALE)
    wid = card.window("Standing hamstring stretch")
    card.focus(wid)
    xdisplay.key("space")
    card.wait_title(wid, r"· Left side$")
    time.sleep(1.0)
    xdisplay.key("space")  # pause
    time.sleep(3.0)  # longer than the rest of the side: nothing may move on
    assert card.title(wid).endswith("· Left side")
    xdisplay.key("space")  # resume
    card.wait_title(wid, r"· Right side$", timeout=5)
    xdisplay.key("Return")  # done before the end: answered, not completed
    answer, code, _ = card.answer()
    assert answer["answer"] == "done"
    assert answer["completed"] is False
    assert 3.0 <= answer["held_s"] < 5.0
    assert code == 0


@pytest.mark.parametrize(
    ("key", "answer", "code"),
    [("s", "snooze", 10), ("k", "skip", 11), ("n", "another", 12), ("Escape", "closed", 13)],
)
def test_answer_keys(xdisplay, cards, key, answer, code):
    card = cards("posture-unslump")
    wid = card.window("Shift out of the slump")
    card.focus(wid)
    xdisplay.key(key)
    got, rc, err = card.answer()
    assert got == {"answer": answer, "item": "posture-unslump", "held_s": 0.0,
                   "completed": False}
    assert rc == code
    assert err == ""


def test_card_does_not_take_the_keyboard_until_clicked(xdisplay, cards):
    holder, hid = start_focus_holder(xdisplay)
    try:
        xdisplay.xdotool("windowfocus", "--sync", hid)
        card = cards("seated-knee-hug", "--hold-scale", SCALE)
        wid = card.window("Seated knee hug")
        time.sleep(0.5)
        assert int(xdisplay.xdotool("getwindowfocus").strip()) == hid
        xdisplay.type_text("n s")  # the user keeps typing: would be Another/Start/Snooze
        time.sleep(0.5)
        assert card.running()
        assert card.title(wid) == "Seated knee hug · sitbreak"  # timer not started
        card.focus(wid)
        wait_until(lambda: int(xdisplay.xdotool("getwindowfocus").strip()) != hid, 5,
                   message="focus to move to the clicked card")
        xdisplay.key("space")
        card.wait_title(wid, r"· Left side$")
        xdisplay.key("Escape")
        answer, code, _ = card.answer()
        assert (answer["answer"], code) == ("closed", 13)
    finally:
        holder.terminate()
        typed, _ = holder.communicate(timeout=5)
    assert typed.split() == ["n", "space", "s"]


def start_focus_holder(d: Desktop) -> tuple[subprocess.Popen[str], int]:
    """A small window the user is typing into; it prints the keys it receives."""
    holder = subprocess.Popen(
        [sys.executable, "-c", FOCUS_HOLDER], env=d.env, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )
    return holder, d.wait_for_window(name="^typing here$", visible_only=True)


@pytest.mark.skipif(shutil.which("openbox") is None,
                    reason="openbox not installed (apt-get install openbox)")
def test_under_a_window_manager_the_card_stays_on_top_without_taking_focus(xdisplay, cards):
    xdisplay.spawn(["openbox", "--sm-disable"], name="openbox")
    wait_until(lambda: "window id" in xdisplay.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False).stdout, 10,
        message="openbox to manage the screen")
    holder, hid = start_focus_holder(xdisplay)
    try:
        xdisplay.xdotool("windowactivate", "--sync", hid)
        card = cards("seated-knee-hug", "--hold-scale", SCALE)
        wid = card.window("Seated knee hug")
        time.sleep(0.5)
        assert int(xdisplay.xdotool("getactivewindow").strip()) == hid
        assert "_NET_WM_STATE_ABOVE" in xdisplay.run(["xprop", "-id", str(wid),
                                                      "_NET_WM_STATE"]).stdout
        xdisplay.type_text("n s")  # still typing into the other window
        time.sleep(0.5)
        assert card.running()
        assert card.title(wid) == "Seated knee hug · sitbreak"
        card.focus(wid)  # a click on the card: now it gets the keys
        wait_until(lambda: int(xdisplay.xdotool("getactivewindow").strip()) == wid, 5,
                   message="the clicked card to become active")
        xdisplay.key("space")
        card.wait_title(wid, r"· Left side$")
        xdisplay.key("Escape")
        assert card.answer()[0]["answer"] == "closed"
    finally:
        holder.terminate()
        typed, _ = holder.communicate(timeout=5)
    assert typed.split() == ["n", "space", "s"]


FOCUS_HOLDER = """
import tkinter as tk
root = tk.Tk()
root.title("typing here")
root.geometry("300x60+20+700")
entry = tk.Entry(root)
entry.pack(fill="x")
root.bind("<KeyPress>", lambda e: print(e.keysym, flush=True))
import signal
signal.signal(signal.SIGTERM, lambda *a: root.after(0, root.destroy))
def poll():
    root.after(100, poll)
poll()
root.mainloop()
"""


def test_safety_card_from_the_card_and_on_its_own(xdisplay, cards):
    card = cards("wall-ball-release")
    wid = card.window("Ball release against a wall")
    card.focus(wid)
    xdisplay.key("question")
    safety = xdisplay.wait_for_window(name="^When to get help", visible_only=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    xdisplay.screenshot(SHOTS / "safety-from-card.png")
    assert safety != wid
    xdisplay.key("Escape")  # keyboard only: Esc closes the safety window, not the card
    wait_until(lambda: not xdisplay.search_windows(name="^When to get help", visible_only=True),
               5, message="safety window to close")
    assert card.running()
    xdisplay.key("space")  # the card has the keys again
    card.wait_title(wid, r"· Left side$")
    xdisplay.key("Escape")
    assert card.answer()[0]["answer"] == "closed"

    alone = cards("--safety")
    sid = alone.window("When to get help · sitbreak")
    alone.focus(sid)
    xdisplay.screenshot(SHOTS / "safety.png", window=sid)
    xdisplay.key("Return")
    answer, code, _ = alone.answer()
    assert (answer["answer"], answer["item"], code) == ("closed", "safety", 13)


KIND_EXAMPLES = {
    "stretch": "seated-figure-four",
    "posture": "posture-feet-flat",
    "release": "seated-ball-release",
    "movement": "walk-break",
}


def test_screenshot_one_card_per_kind(xdisplay, cards):
    lib = load_library(with_user=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind, item_id in KIND_EXAMPLES.items():
        item = lib.items[item_id]
        assert item.kind == kind
        card = cards(item_id)
        wid = card.window(item.title)
        path = xdisplay.screenshot(SHOTS / f"{kind}-{item_id}.png", window=wid)
        with Image.open(path) as shot:
            _, _, w, h = xdisplay.window_geometry(wid)
            assert shot.size == (w, h)
            assert w <= 1280  # fits the screen
            assert h <= 800
            assert len(shot.convert("RGB").getcolors(1 << 20) or []) > 50  # text and picture
        card.focus(wid)
        xdisplay.key("Escape")
        card.answer()
    dark = cards("seated-figure-four", "--theme", "dark")
    wid = dark.window("Seated figure-four stretch")
    xdisplay.screenshot(SHOTS / "stretch-dark.png", window=wid)
    dark.focus(wid)
    xdisplay.key("Escape")
    dark.answer()
    print(f"\ncard screenshots: {SHOTS}")


def test_every_item_picture_loads_in_tk(xdisplay):
    lib = load_library(with_user=False)
    script = (
        "import sys, tkinter as tk\n"
        "root = tk.Tk()\n"
        "for p in sys.argv[1:]:\n"
        "    img = tk.PhotoImage(master=root, file=p)\n"
        "    print(p, img.width(), img.height())\n"
        "root.destroy()\n"
    )
    out = xdisplay.run([sys.executable, "-c", script, *map(str, lib.images.values())]).stdout
    sizes = [line.rsplit(" ", 2) for line in out.splitlines()]
    assert len(sizes) == len(lib.images) >= 16
    assert all(int(w) >= 200 and int(h) >= 200 for _, w, h in sizes)


def test_unknown_item_is_one_line_and_no_window(xdisplay):
    r = xdisplay.run([sys.executable, "-m", "sitbreak.card", "no-such-stretch"], check=False)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == ("sitbreak card: no item 'no-such-stretch'; "
                        "`sitbreak content list` shows the ids\n")


def test_opener_returns_the_answer_to_the_daemon(xdisplay):
    import asyncio

    from sitbreak.card.opener import TkCardOpener

    opener = TkCardOpener(env=xdisplay.env)

    async def open_and_answer(item: str, title: str, key: str) -> str:
        task = asyncio.ensure_future(opener.open(item))
        wid = await asyncio.to_thread(xdisplay.wait_for_window, name=f"^{title}",
                                      visible_only=True)
        x, y, _, _ = xdisplay.window_geometry(wid)
        xdisplay.xdotool("mousemove", x + 30, y + 12, "click", 1)
        xdisplay.key(key)
        return await asyncio.wait_for(task, 10)

    assert asyncio.run(open_and_answer("glute-squeeze", "Standing glute squeeze", "s")) == "snooze"
    assert asyncio.run(open_and_answer("safety", "When to get help", "Escape")) == "closed"
    # an unknown item cannot open: one warning, treated as closed
    assert asyncio.run(opener.open("no-such-item")) == "closed"


def test_every_item_card_fits_a_laptop_screen(xdisplay, cards):
    """1366x768 minus a panel: no card may need more than 1280x720."""
    lib = load_library(with_user=False)
    too_big = []
    for item_id, item in lib.items.items():
        card = cards(item_id)
        wid = card.window(item.title)
        _, _, w, h = xdisplay.window_geometry(wid)
        if w > 1280 or h > 720:
            too_big.append((item_id, w, h))
        card.stop()
    assert too_big == []


def test_damaged_picture_still_shows_the_card(xdisplay, cards, tmp_path):
    from sitbreak.content.paths import builtin_content_dir

    text = (builtin_content_dir() / "seated-knee-hug.toml").read_text(encoding="utf-8")
    (tmp_path / "hug.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"truncated")
    (tmp_path / "hug.toml").write_text(
        text.replace('id = "seated-knee-hug"', 'id = "my-hug"').replace(
            'title = "Seated knee hug"', 'title = "My knee hug"').replace(
            '"seated-knee-hug.png"', '"hug.png"'), encoding="utf-8")
    card = cards("my-hug", "--dir", str(tmp_path))
    wid = card.window("My knee hug")
    card.focus(wid)
    xdisplay.key("Escape")
    answer, code, err = card.answer()
    assert (answer["answer"], code, err) == ("closed", 13, "")


@pytest.mark.skipif(shutil.which("openbox") is None,
                    reason="openbox not installed (apt-get install openbox)")
def test_a_card_asked_for_from_the_keyboard_takes_the_keyboard(xdisplay, cards):
    """`sitbreak card ID` and "Another one" (--focus): every key works without a click."""
    xdisplay.spawn(["openbox", "--sm-disable"], name="openbox")
    wait_until(lambda: "window id" in xdisplay.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False).stdout, 10,
        message="openbox to manage the screen")
    holder, hid = start_focus_holder(xdisplay)
    try:
        xdisplay.xdotool("windowactivate", "--sync", hid)
        card = cards("seated-knee-hug", "--hold-scale", SCALE, "--focus")
        wid = card.window("Seated knee hug")
        wait_until(lambda: int(xdisplay.xdotool("getactivewindow").strip()) == wid, 5,
                   message="the card to take the keyboard")
        xdisplay.key("space")  # no click anywhere
        card.wait_title(wid, r"· (Left side|Hold)")
        xdisplay.key("question")  # the help window, by keyboard, and back
        help_wid = xdisplay.wait_for_window(name="^When to get help", visible_only=True)
        # keys go where the focus is: wait for it to move before pressing (a busy machine maps
        # a window well before its window manager focuses it)
        wait_until(lambda: int(xdisplay.xdotool("getactivewindow").strip()) == help_wid, 5,
                   message="the help window to take the keyboard")
        xdisplay.key("Escape")
        wait_until(lambda: not xdisplay.search_windows(name="^When to get help",
                                                       visible_only=True), 5,
                   message="the help window to close")
        wait_until(lambda: int(xdisplay.xdotool("getactivewindow").strip()) == wid, 5,
                   message="the keyboard back on the card")
        xdisplay.key("s")
        answer, code, _ = card.answer()
        assert (answer["answer"], code) == ("snooze", 10)
    finally:
        holder.terminate()
        typed, _ = holder.communicate(timeout=5)
    assert typed.split() == []  # nothing went to the other window
