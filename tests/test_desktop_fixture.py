"""The desktop fixture itself, driven for real: Xvfb, private buses, dunst, trayer, xdotool."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.desktop import (
    Desktop,
    DesktopError,
    _alive,
    missing_tools,
    wait_until,
)

pytestmark = pytest.mark.desktop


@pytest.fixture(autouse=True)
def _need_tools() -> None:
    missing = missing_tools()
    if missing:
        pytest.skip("desktop tools not installed: " + ", ".join(missing))


def _notify(d: Desktop, *args: str) -> subprocess.Popen[str]:
    """notify-send in the background; with --action it prints the invoked action and exits."""
    return subprocess.Popen(["notify-send", *args], env=d.env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)


def _dead(pids: dict[str, int] | list[int]) -> bool:
    values = pids.values() if isinstance(pids, dict) else pids
    return not any(_alive(p) for p in values)


def test_desktop_starts_with_private_display_and_dirs(desktop: Desktop) -> None:
    env = desktop.env
    assert env["DISPLAY"] == desktop.display
    assert set(desktop.pids) == {"Xvfb", "session-bus", "system-bus", "dunst", "trayer"}
    assert all(desktop.running().values())
    assert env["DBUS_SESSION_BUS_ADDRESS"] != env["DBUS_SYSTEM_BUS_ADDRESS"]
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR", "XAUTHORITY"):
        assert Path(env[key]).is_relative_to(desktop.state_dir), key
    assert stat.S_IMODE(os.stat(env["XDG_RUNTIME_DIR"]).st_mode) == 0o700
    assert env["NO_AT_BRIDGE"] == "1"

    ok = subprocess.run(["xdpyinfo"], env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    assert "1280x800 pixels" in ok.stdout
    # the cookie keeps other local clients out
    no_cookie = {**env, "XAUTHORITY": str(desktop.state_dir / "nonexistent")}
    refused = subprocess.run(["xdpyinfo"], env=no_cookie, capture_output=True, text=True,
                             check=False)
    assert refused.returncode != 0


def test_notify_send_reaches_dunst_history(desktop: Desktop) -> None:
    desktop.run(["notify-send", "-a", "fixture-app", "Stretch now", "glutes, 30 s"])
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 1)
    assert desktop.dunst_history() == []  # history holds closed notifications only
    desktop.dunst_close_all()
    assert desktop.dunst_displayed_count() == 0
    history = desktop.dunst_history()
    assert len(history) == 1
    assert history[0]["summary"] == "Stretch now"
    assert history[0]["body"] == "glutes, 30 s"
    assert history[0]["appname"] == "fixture-app"


def test_left_click_on_bubble_invokes_default_action_and_closes(desktop: Desktop) -> None:
    client = _notify(desktop, "-A", "default=Open", "Click me")
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 1)
    wid = desktop.wait_for_window(classname="^Dunst$", visible_only=True)
    desktop.click_window(wid)
    out, _ = client.communicate(timeout=10)
    assert out.strip() == "default"
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 0)


def test_dunst_action_fires_default_action(desktop: Desktop) -> None:
    client = _notify(desktop, "-A", "default=Open", "Action me")
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 1)
    desktop.dunst_action(0)
    out, _ = client.communicate(timeout=10)
    assert out.strip() == "default"


def test_context_menu_picks_a_button(desktop: Desktop) -> None:
    client = _notify(desktop, "-A", "default=Open", "-A", "snooze=Snooze", "Pick me")
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 1)
    picked = desktop.dunst_pick_context("^#Snooze ")
    assert "Pick me" in picked
    out, _ = client.communicate(timeout=10)
    assert out.strip() == "snooze"


def test_context_menu_without_match_says_what_was_offered(desktop: Desktop) -> None:
    client = _notify(desktop, "-A", "default=Open", "Pick nothing")
    desktop.wait_until(lambda: desktop.dunst_displayed_count() == 1)
    with pytest.raises(DesktopError, match=r"no context-menu line matches.*\n.*Pick nothing"):
        desktop.dunst_pick_context("^#NoSuchButton")
    desktop.dunst_close_all()
    out, _ = client.communicate(timeout=10)
    assert out.strip() == ""  # closed, no action


# a minimal XEmbed tray icon: what any tray client does (pystray's xorg backend sometimes
# sends its one dock request too early and stays an unmapped 1x1 window, so it is not used here)
DOCK_CLIENT = """
from Xlib import X, display
from Xlib.protocol import event
d = display.Display()
screen = d.screen()
w = screen.root.create_window(0, 0, 22, 22, 0, screen.root_depth, X.InputOutput,
                              X.CopyFromParent, background_pixel=screen.white_pixel)
w.set_wm_class("fixturetray", "fixturetray")
info = d.intern_atom("_XEMBED_INFO")
w.change_property(info, info, 32, [0, 1])
owner = d.get_selection_owner(d.intern_atom("_NET_SYSTEM_TRAY_S0"))
opcode = d.intern_atom("_NET_SYSTEM_TRAY_OPCODE")
owner.send_event(event.ClientMessage(window=owner, client_type=opcode,
                                     data=(32, [X.CurrentTime, 0, w.id, 0, 0])))
d.flush()
while True:
    d.next_event()
"""


def test_trayer_owns_selection_and_embeds_an_icon(desktop: Desktop) -> None:
    owner = desktop.tray_owner()
    assert owner != 0
    assert desktop.tray_icons() == []
    desktop.spawn([sys.executable, "-c", DOCK_CLIENT], name="tray-client")
    icons = desktop.wait_until(desktop.tray_icons)
    assert icons == desktop.search_windows(classname="^fixturetray$")
    x, y, _, _ = desktop.window_geometry(icons[0])
    assert y < 32  # inside trayer's 32 px panel at the top edge
    assert x > desktop.screen_size[0] // 2  # aligned right


def test_idle_grows_and_move_mouse_resets_it(xdisplay: Desktop) -> None:
    xdisplay.move_mouse()
    time.sleep(0.3)
    assert xdisplay.idle_ms() >= 250
    before = xdisplay.mouse_location()
    xdisplay.move_mouse()
    assert xdisplay.mouse_location() != before
    assert xdisplay.idle_ms() < 200
    time.sleep(0.3)
    xdisplay.key("shift")
    assert xdisplay.idle_ms() < 200


def test_screenshot_is_a_png_of_the_screen(xdisplay: Desktop, tmp_path: Path) -> None:
    shot = xdisplay.screenshot(tmp_path / "root.png")
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 800)


def test_stop_ends_everything_and_desktops_do_not_share_a_display() -> None:
    first = Desktop(system_bus=True, dunst=True, trayer=True).start()
    try:
        second = Desktop(display_start=first.display_number).start()
    except BaseException:
        first.stop()
        raise
    try:
        assert second.display != first.display
        assert second.session_bus_address != first.session_bus_address
        # a service the private bus starts on demand (Debian's dunst .service file) is ours too
        second.run(["notify-send", "activated"])
        activated = wait_until(lambda: second.bus_name_pid("org.freedesktop.Notifications"))
        assert activated is not None
        assert activated not in second.pids.values()
        assert first.bus_name_pid("org.freedesktop.Notifications") == first.pids["dunst"]
        started = [*first.pids.values(), *second.pids.values(), activated]
    finally:
        second.stop()
        first.stop()
    assert _dead(started)
    assert not first.state_dir.exists()


def _free_display(first: int) -> int:
    for n in range(first, first + 20):
        if not Path(f"/tmp/.X{n}-lock").exists() and f"X11-unix/X{n}\n" not in _net_unix():
            return n
    pytest.fail("no free display number to squat on")


def _net_unix() -> str:
    return Path("/proc/net/unix").read_text() + "\n"


def test_display_with_a_foreign_listener_is_skipped() -> None:
    # a foreign X server as /proc/net/unix shows it: a listener on @/tmp/.X11-unix/X<n>
    n = _free_display(870)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as squatter:
        squatter.bind(f"\0/tmp/.X11-unix/X{n}")
        squatter.listen(1)
        with Desktop(session_bus=False, display_start=n) as d:
            assert d.display_number != n
            assert d.running() == {"Xvfb": True}


def test_display_locked_by_a_live_process_is_skipped() -> None:
    # a server that is still starting holds /tmp/.X<n>-lock before it listens
    n = _free_display(850)
    lock = Path(f"/tmp/.X{n}-lock")
    lock.write_text(f"{os.getpid():10d}\n")
    try:
        with Desktop(session_bus=False, display_start=n) as d:
            assert d.display_number != n
        assert lock.read_text().strip() == str(os.getpid())  # not ours: left alone
    finally:
        lock.unlink()


def test_failed_start_stops_what_ran_and_quotes_the_log(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # a dunst that cannot start (as with a second notification daemon already running)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dunst"
    fake.write_text("#!/bin/sh\necho 'Cannot acquire org.freedesktop.Notifications' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    d = Desktop(system_bus=True, dunst=True)
    with pytest.raises(DesktopError, match=r"dunst exited with exit code 1(.|\n)*Cannot acquire"):
        d.start()
    assert len(d.started_pids) == 4  # Xvfb, two buses, the failed dunst
    assert _dead(d.started_pids)
    assert (d.state_dir / "dunst.log").exists()  # kept for the message to point at
    shutil.rmtree(d.state_dir)


def test_unusable_screen_fails_at_once_with_xvfbs_reason() -> None:
    d = Desktop(session_bus=False, screen="12x")
    with pytest.raises(DesktopError, match=r"Invalid screen configuration 12x") as err:
        d.start()
    assert str(err.value).count("Invalid screen") >= 2  # in the summary and in the log tail
    assert len(d.started_pids) == 1  # not retried on other displays: it would fail the same
    assert _dead(d.started_pids)
    shutil.rmtree(d.state_dir)


def test_xdisplay_alone_keeps_clients_off_any_real_bus(xdisplay: Desktop) -> None:
    assert list(xdisplay.pids) == ["Xvfb"]
    r = xdisplay.run(["notify-send", "nobody listens"], check=False)
    assert r.returncode != 0
    # nothing was auto-launched onto our display (dbus-launch --autolaunch would be)
    on_display = [p for p in _pids() if p != xdisplay.pids["Xvfb"]
                  and f"DISPLAY={xdisplay.display}".encode() in _environ(p).split(b"\0")]
    assert on_display == []


def test_spawned_program_and_its_children_are_stopped_even_if_ignoring_term() -> None:
    with Desktop(session_bus=False) as d:
        stubborn = d.spawn([sys.executable, "-c",
                            "import signal, subprocess, time\n"
                            "child = subprocess.Popen(['sleep', '60'])\n"
                            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                            "print(child.pid, flush=True)\n"
                            "time.sleep(60)\n"], name="stubborn")
        log = d.log_path("stubborn")
        child = int(wait_until(lambda: log.read_text().strip()))
        assert _alive(stubborn.pid)
        assert _alive(child)
    assert stubborn.returncode == -9  # TERM ignored, KILL after the grace time
    assert not _alive(child)


def test_desktop_of_a_killed_test_run_is_stopped_by_its_watchdog() -> None:
    code = ("import json, sys, time\n"
            "from tests.desktop import Desktop\n"
            "d = Desktop(system_bus=True, dunst=True).start()\n"
            "print(json.dumps([d.started_pids, str(d.state_dir)]), flush=True)\n"
            "time.sleep(60)\n")
    run = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).parent.parent)
    assert run.stdout is not None
    pids, state_dir = json.loads(run.stdout.readline())
    assert len(pids) == 4
    assert not _dead(pids)
    run.kill()  # as if pytest died: no stop(), no atexit
    run.wait()
    wait_until(lambda: _dead(pids), message="the watchdog to stop the orphaned desktop")
    wait_until(lambda: not Path(state_dir).exists())


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""
