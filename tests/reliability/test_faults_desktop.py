"""Faults against a real `sitbreak run` on a real headless desktop (Xvfb, private D-Bus buses,
dunst, trayer): the parts around the daemon die, restart or turn into something else, and the
daemon goes on — or, when the session itself is over, ends cleanly with one line.

What a user expects when the session bus goes away: the same as when the X server does. The
bus dies with the session (logout) or with the desktop; GLib applications quit then, dunst with
them, and the screen-lock signals are gone too, so a sitbreak that stayed would nudge blind into
nothing. It stops: exit 0, one log line, its socket removed, and the next login starts it anew.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, wait_for
from tests.desktop import Desktop

pytestmark = pytest.mark.desktop

CARD = "^SitbreakCard$"


@pytest.fixture
def daemon(desktop: Desktop, tmp_path: Path) -> Iterator[Daemon]:
    with Daemon(desktop.env, tmp_path) as d:
        yield d


def tray_daemon(desktop: Desktop, tmp_path: Path, backend: str) -> Daemon:
    d = Daemon({**desktop.env, "SITBREAK_TRAY_BACKEND": backend}, tmp_path).start()
    if d.status()["tray"] != f"pystray-{backend}":
        d.stop()
        pytest.skip(f"no {backend} tray here (see `sitbreak doctor`)")
    return d


def nudge_in_dunst(d: Daemon, desktop: Desktop) -> None:
    desktop.move_mouse()  # present: a nudge waits for input otherwise
    d.cli("stretch-now")
    wait_for(lambda: desktop.dunst_displayed_count() == 1, 10, "the nudge in dunst")


def lines_with(d: Daemon, text: str) -> list[str]:
    return [line for line in d.log().splitlines() if text in line]


def assert_no_traceback(d: Daemon) -> None:
    assert "Traceback" not in d.log(), d.log()[-3000:]
    assert "Traceback" not in d.output(), d.output()


def test_a_restarted_notification_daemon_gets_the_next_nudge_and_its_answer(
        desktop: Desktop, daemon: Daemon) -> None:
    nudge_in_dunst(daemon, desktop)
    desktop.kill("dunst")
    new_dunst = desktop.restart("dunst")
    assert desktop.bus_name_pid("org.freedesktop.Notifications") == new_dunst

    nudge_in_dunst(daemon, desktop)
    assert desktop.dunst_history() == []  # the new dunst's first bubble is this nudge
    desktop.dunst_pick_context("^#Snooze ")
    st = daemon.wait_status(lambda s: s["nudge_kind"] is None, 5, "the snooze from the new dunst")
    assert 85 <= st["next_nudge_in_s"] <= 90  # snooze = 90 s: its button reached the daemon
    assert daemon.alive
    assert_no_traceback(daemon)


@pytest.mark.parametrize("backend", ["xorg"])  # the SNI tray: the tests with sni_desktop
def test_a_restarted_tray_host_docks_the_icon_again(
        desktop: Desktop, tmp_path: Path, backend: str) -> None:
    d = tray_daemon(desktop, tmp_path, backend)
    try:
        wait_for(desktop.tray_icons, 10, "the icon docked")
        desktop.kill("trayer")
        time.sleep(1.5)  # a while without a tray host: updates go nowhere meanwhile
        start = time.monotonic()
        assert d.status()["presence"]
        assert time.monotonic() - start < 2
        desktop.restart("trayer")
        icons = wait_for(desktop.tray_icons, 15, "the icon docked in the new trayer")
        assert len(icons) == 1
        d.cli("pause", "30m")  # the icon still follows the daemon
        wait_for(lambda: desktop.xdotool("getwindowname", icons[0]).strip().startswith("Paused"),
                 5, "the paused tooltip on the docked icon")
        assert d.alive
        assert_no_traceback(d)
        assert len(lines_with(d, "tray host went away")) <= 1
        assert not lines_with(d, "tray stopped")
    finally:
        assert d.stop() == 0


def test_a_restarted_status_notifier_host_gets_the_item_again(
        sni_desktop: Desktop, tmp_path: Path) -> None:
    with Daemon(sni_desktop.env, tmp_path) as d:
        assert d.status()["tray"] == "sni"
        wait_for(sni_desktop.sni_items, 10, "the item registered with the panel's watcher")
        sni_desktop.kill("xfce4-panel")  # the watcher and host go with it
        time.sleep(1.0)
        assert d.status()["presence"]
        sni_desktop.restart("xfce4-panel")
        items = wait_for(sni_desktop.sni_items, 15, "the item registered with the new watcher")
        assert len(items) == 1
        assert d.alive
        assert_no_traceback(d)


def test_a_crashed_card_never_keeps_the_next_one_from_opening(
        desktop: Desktop, daemon: Daemon) -> None:
    for _ in range(2):
        nudge_in_dunst(daemon, desktop)
        desktop.dunst_action(0)  # the click on the nudge
        desktop.wait_for_window(class_=CARD, visible_only=True, timeout=15)
        cards = daemon.children()
        assert len(cards) == 1
        os.kill(cards[0], signal.SIGSEGV)
        wait_for(lambda: not daemon.children(), 10, "the crashed card reaped")
    assert len(lines_with(daemon, "stretch card exited with status -11")) == 2
    assert daemon.alive
    assert_no_traceback(daemon)


def session_ended(d: Daemon, what: str) -> None:
    """The daemon ended by itself, cleanly, saying why in one line, leaving nothing stale."""
    assert d.proc is not None
    try:
        code = d.proc.wait(15)
    except Exception:
        os.kill(d.proc.pid, signal.SIGUSR1)  # the stacks into its log, for the failure
        time.sleep(0.5)
        raise AssertionError(
            f"still running 15 s after {what} went away:\n{d.log()[-3000:]}") from None
    assert code == 0, d.output()
    said = lines_with(d, "is gone (the desktop session ended); sitbreak stops")
    assert len(said) == 1, d.log()[-3000:]
    assert f"WARNING sitbreak.daemon: {what}" in said[0]
    assert_no_traceback(d)
    for stale in ("tray stopped", " failed (", "signal 15", "did not stop"):
        assert not lines_with(d, stale), d.log()[-3000:]
    rundir = Path(d.env["XDG_RUNTIME_DIR"]) / "sitbreak"
    assert not (rundir / "control.sock").exists()
    lock = rundir / "daemon.lock"
    if lock.exists():  # the file may stay (it is only an flock); nobody may hold it
        with lock.open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def next_start_is_fine(d: Daemon, tmp_path: Path) -> None:
    """The same user's next `sitbreak run` (no display left: headless) starts and answers."""
    env = {k: v for k, v in d.env.items() if k not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    (tmp_path / "next").mkdir()
    with Daemon(env, tmp_path / "next", args=("--headless",)) as again:
        assert again.status()["presence"]
        assert "already running" not in again.output()


@pytest.mark.parametrize("backend", ["xorg"])  # the SNI tray: the tests with sni_desktop
def test_x_server_gone_exits_0_with_one_line_and_the_next_start_is_fine(
        desktop: Desktop, tmp_path: Path, backend: str) -> None:
    d = tray_daemon(desktop, tmp_path, backend)
    wait_for(desktop.tray_icons, 10, "the icon docked")
    desktop.kill("Xvfb")
    session_ended(d, "the X display")
    next_start_is_fine(d, tmp_path)


def test_x_server_gone_with_a_status_notifier_tray(sni_desktop: Desktop, tmp_path: Path) -> None:
    d = Daemon(sni_desktop.env, tmp_path).start()
    assert d.status()["tray"] == "sni"
    sni_desktop.kill("Xvfb")
    session_ended(d, "the X display")


def test_session_bus_gone_exits_0_with_one_line(desktop: Desktop, daemon: Daemon,
                                                tmp_path: Path) -> None:
    desktop.kill("session-bus")
    session_ended(daemon, "the D-Bus session bus")
    next_start_is_fine(daemon, tmp_path)


def test_config_deleted_a_directory_or_a_fifo_keeps_the_last_good_one(
        desktop: Desktop, daemon: Daemon) -> None:
    cfg = daemon.config_path
    good = daemon.status()["stretch_every_s"]

    def still_fine() -> None:
        start = time.monotonic()
        st = daemon.status()
        assert time.monotonic() - start < 2  # status answers promptly
        assert st["stretch_every_s"] == good
        assert daemon.alive

    bad: list[Callable[[], object]] = [lambda: None, cfg.mkdir, lambda: os.mkfifo(cfg)]
    for make_bad in bad:  # deleted, a directory, a FIFO
        if cfg.is_dir():
            shutil.rmtree(cfg)
        else:
            cfg.unlink(missing_ok=True)
        make_bad()
        time.sleep(2.5)  # more than a watch round and its settling time
        still_fine()
    if cfg.is_dir():
        shutil.rmtree(cfg)
    else:
        cfg.unlink(missing_ok=True)
    # one notification in dunst for each file that is not a config file
    wait_for(lambda: desktop.dunst_displayed_count() >= 2, 5, "the config notifications")
    desktop.dunst_close_all()
    notes = [n["body"] for n in desktop.dunst_history()
             if n["summary"] == "sitbreak: config not applied"]
    assert sum("(a directory)" in n for n in notes) == 1, notes
    assert sum("(a FIFO)" in n for n in notes) == 1, notes
    # a good file again: applied, so the watcher was never stuck on what came before
    cfg.write_text(FAST_CONFIG.replace('"60s"', '"120s"', 1), encoding="utf-8")
    daemon.wait_status(lambda s: s["stretch_every_s"] == 120, 5, "the good config applied")
    nudge_in_dunst(daemon, desktop)
    assert_no_traceback(daemon)
