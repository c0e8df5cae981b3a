"""Nudges through a real notification server (dunst on the private session bus)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from sitbreak.adapters.base import NudgeView
from sitbreak.adapters.notify import select_notifier
from tests.desktop import Desktop
from tests.test_adapters_idle import use_desktop

T = TypeVar("T")

VIEW = NudgeView(
    kind="stretch",
    item="seated-figure-four",
    title="Time to stand: seated figure-four",
    body="30 s each side",
)


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await coro_fn()

    return asyncio.run(main())


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(fn, *args)


async def until(pred: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not pred():
            await asyncio.sleep(0.05)


async def displayed(d: Desktop, n: int) -> None:
    async with asyncio.timeout(10):
        while await in_thread(d.dunst_displayed_count) != n:
            await asyncio.sleep(0.05)


@pytest.fixture
def dunst(desktop: Desktop, monkeypatch: pytest.MonkeyPatch) -> Desktop:
    use_desktop(monkeypatch, desktop)
    return desktop


def test_click_on_the_bubble_answers_clicked(dunst: Desktop) -> None:
    answers: list[str] = []

    async def main() -> None:
        picked = await select_notifier()
        assert picked.name == "freedesktop"
        assert picked.impl.clickable
        await picked.impl.show(VIEW, answers.append)
        await displayed(dunst, 1)
        # a real left click on dunst's window (fixture dunstrc: left click = default action)
        wid = (await in_thread(dunst.dunst_windows))[0]
        await in_thread(dunst.click_window, wid)
        await until(lambda: answers == ["clicked"])
        await displayed(dunst, 0)
        await asyncio.sleep(0.3)  # the close that follows the click adds no second answer
        await picked.impl.close()

    run(main)
    assert answers == ["clicked"]
    shown = dunst.dunst_history()[0]
    assert shown["summary"] == VIEW.title
    assert shown["body"] == "30 s each side · click for the stretch card"  # clickable here
    assert shown["appname"] == "sitbreak"
    # our ring: the shipped app icon (no drawing at run time)
    assert str(shown.get("icon_path", "")).endswith("/64x64/apps/sitbreak.png"), shown


LINUX_PICK = """
import asyncio, sys
from sitbreak.adapters.base import NudgeView
from sitbreak.adapters.notify import select_notifier

async def main():
    picked = await select_notifier()
    await picked.impl.show(NudgeView("posture", "p", "Posture check", "Shoulders down"), print)
    await picked.impl.close()
    print(picked.name, picked.why()["desktop-notifier"])

asyncio.run(main())
print(sorted(m for m in sys.modules if m.split(".")[0] in ("desktop_notifier", "bidict")))
"""


def test_linux_leaves_desktop_notifier_out_and_never_imports_it(dunst: Desktop) -> None:
    """The daemon's start on Linux pays nothing for desktop-notifier (issue 12, footprint)."""
    out = dunst.run([sys.executable, "-c", LINUX_PICK], timeout=60).stdout.splitlines()
    assert out == [
        "freedesktop not used on Linux: freedesktop speaks the same protocol",
        "[]",
    ]
    assert dunst.dunst_history()[0]["summary"] == "Posture check"


def test_desktop_notifier_still_works_when_asked_for(dunst: Desktop) -> None:
    """The macOS/Windows notifier, run here against dunst (the same code, a D-Bus backend)."""
    answers: list[str] = []

    async def main() -> None:
        picked = await select_notifier(only=("desktop-notifier", "log"))
        assert picked.name == "desktop-notifier"
        assert picked.why()["freedesktop"] == "not allowed here"
        notifier = picked.impl
        assert notifier.clickable
        await notifier.show(VIEW, answers.append)
        await displayed(dunst, 1)
        await in_thread(dunst.dunst_action, 0)
        await until(lambda: answers == ["clicked"])
        answers.clear()
        await in_thread(dunst.dunst_close_all)
        await notifier.show(VIEW, answers.append)
        await displayed(dunst, 1)
        await in_thread(dunst.dunst_pick_context, "^#Skip ")
        await until(lambda: answers == ["skip"])
        await notifier.withdraw()
        await displayed(dunst, 0)
        await notifier.close()

    run(main)


def test_dunstctl_action_and_buttons(dunst: Desktop) -> None:
    answers: list[str] = []

    async def main() -> None:
        notifier = (await select_notifier()).impl
        await notifier.show(VIEW, answers.append)
        await displayed(dunst, 1)
        await in_thread(dunst.dunst_action, 0)
        await until(lambda: answers == ["clicked"])
        for label, answer in (("Snooze", "snooze"), ("Done", "done"), ("Skip", "skip")):
            answers.clear()
            await in_thread(dunst.dunst_close_all)
            await notifier.show(VIEW, answers.append)
            await displayed(dunst, 1)
            picked_line = await in_thread(dunst.dunst_pick_context, f"^#{label} ")
            assert VIEW.title in picked_line
            await until(lambda a=answer: answers == [a])  # type: ignore[misc]
        await notifier.close()

    run(main)


def test_new_nudge_replaces_the_old_one(dunst: Desktop) -> None:
    first: list[str] = []
    second: list[str] = []
    newer = NudgeView("posture", "posture-check", "Posture check", "Shoulders down, feet flat")

    async def main() -> None:
        notifier = (await select_notifier()).impl
        await notifier.show(VIEW, first.append)
        await displayed(dunst, 1)
        await notifier.show(newer, second.append)
        await asyncio.sleep(0.5)
        assert await in_thread(dunst.dunst_displayed_count) == 1
        await in_thread(dunst.dunst_action, 0)  # acts on the only bubble: the new one
        await until(lambda: second == ["clicked"])
        await notifier.close()
        await in_thread(dunst.dunst_close_all)

    run(main)
    assert first == []  # the replaced nudge never answers
    assert [h["summary"] for h in dunst.dunst_history()][:2] == ["Posture check", VIEW.title]


def test_user_dismissal_and_withdraw(dunst: Desktop) -> None:
    answers: list[str] = []

    async def main() -> None:
        notifier = (await select_notifier()).impl
        await notifier.show(VIEW, answers.append)
        await displayed(dunst, 1)
        await in_thread(dunst.dunstctl, "close")
        await until(lambda: answers == ["dismissed"])
        await notifier.show(VIEW, answers.append)
        await displayed(dunst, 1)
        await notifier.withdraw()
        await displayed(dunst, 0)
        await asyncio.sleep(0.3)
        await notifier.close()

    run(main)
    assert answers == ["dismissed"]  # withdrawing is not the user dismissing


def test_do_not_disturb_follows_dunst_pause(dunst: Desktop) -> None:
    async def main() -> tuple[bool, bool]:
        notifier = (await select_notifier()).impl
        await in_thread(dunst.dunstctl, "set-paused", "true")
        paused = await notifier.dnd_active()
        await in_thread(dunst.dunstctl, "set-paused", "false")
        resumed = await notifier.dnd_active()
        await notifier.close()
        return paused, resumed

    assert run(main) == (True, False)


def test_plyer_fallback_reaches_dunst_without_clicks(dunst: Desktop) -> None:
    async def main() -> None:
        picked = await select_notifier(only=["plyer", "log"])
        assert picked.name == "plyer"
        assert not picked.impl.clickable
        assert picked.why()["freedesktop"] == "not allowed here"
        await picked.impl.show(VIEW, lambda _a: None)
        await displayed(dunst, 1)
        await in_thread(dunst.dunst_close_all)
        await picked.impl.close()

    run(main)
    shown = dunst.dunst_history()[0]
    assert shown["summary"] == VIEW.title
    assert shown["body"].startswith(VIEW.body)
    assert "tray" in shown["body"]
    # nothing in a plyer bubble can be clicked: it never says "click", it says how to answer
    assert "click" not in shown["body"].lower()
    assert "sitbreak done" in shown["body"]


def test_no_bus_at_all_logs_the_nudge(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent")
    caplog.set_level(logging.INFO)

    async def main() -> None:
        picked = await select_notifier()
        assert picked.name == "log"
        reasons = picked.why()
        assert "session bus" in reasons["freedesktop"]
        assert "session bus" in reasons["plyer"] or "notify-send" in reasons["plyer"]
        assert not await picked.impl.dnd_active()
        await picked.impl.show(VIEW, lambda _a: None)
        await picked.impl.alert("sitbreak config", "config.toml line 3: bad value")
        await picked.impl.close()

    run(main)
    assert VIEW.title in caplog.text
    assert "config.toml line 3" in caplog.text


def test_fullscreen_active_window_defers_nudges(dunst: Desktop) -> None:
    from Xlib import Xatom

    disp = dunst.xlib_display()
    root = disp.screen().root
    win = root.create_window(0, 0, 1280, 800, 0, disp.screen().root_depth)
    win.map()
    state = disp.intern_atom("_NET_WM_STATE")
    fullscreen = disp.intern_atom("_NET_WM_STATE_FULLSCREEN")
    # what a window manager publishes: the active window, and that window's state
    root.change_property(disp.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [win.id])

    def set_fullscreen(on: bool) -> None:
        win.change_property(state, Xatom.ATOM, 32, [fullscreen] if on else [])
        disp.sync()

    async def main() -> list[bool]:
        notifier = (await select_notifier()).impl
        seen = []
        for on in (True, False):
            await in_thread(set_fullscreen, on)
            seen.append(await notifier.dnd_active())
        await notifier.close()
        return seen

    try:
        assert run(main) == [True, False]
    finally:
        win.destroy()
        root.delete_property(disp.intern_atom("_NET_ACTIVE_WINDOW"))
        disp.sync()


@pytest.mark.desktop
def test_bus_gone_after_start_does_not_crash_the_loop(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.desktop import missing_tools

    if missing_tools(dunst=True, trayer=False):
        pytest.skip("desktop tools not installed")
    d = Desktop(dunst=True)
    d.start()
    try:
        use_desktop(monkeypatch, d)

        async def main() -> None:
            notifier = (await select_notifier()).impl
            assert notifier.name == "freedesktop"
            await in_thread(d.stop)  # the whole session (bus, dunst, X) goes away
            await notifier.show(VIEW, lambda _a: None)
            await notifier.alert("sitbreak", "still here")
            await notifier.close()

        run(main)
    finally:
        d.stop()
    # desktop-notifier logs the failed send itself; the nudge is lost but the loop lives on
    assert "Notification failed" in caplog.text or "could not show the nudge" in caplog.text


def test_gnome_show_banners_off_is_do_not_disturb(
    dunst: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    if shutil.which("gsettings") is None:
        pytest.skip("gsettings not installed (Debian: libglib2.0-bin)")
    schema = "org.gnome.desktop.notifications"
    # a keyfile backend in the desktop's private HOME: what GNOME's DND toggle writes, no dconf
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    env = {**dunst.env, "GSETTINGS_BACKEND": "keyfile"}
    if schema not in dunst.run(["gsettings", "list-schemas"], check=False).stdout:
        pytest.skip("GNOME schemas not installed (Debian: gsettings-desktop-schemas)")

    def banners(on: bool) -> None:
        import subprocess

        subprocess.run(
            ["gsettings", "set", schema, "show-banners", "true" if on else "false"],
            env=env, check=True,
        )  # fmt: skip

    async def main() -> list[bool]:
        notifier = (await select_notifier()).impl
        seen = []
        for on in (False, True):
            await in_thread(banners, on)
            seen.append(await notifier.dnd_active())
        await notifier.close()
        return seen

    assert run(main) == [True, False]
