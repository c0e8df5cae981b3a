"""The Wayland test session itself, driven for real: headless Sway (wtype, mako, waybar) and KWin."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.desktop import _alive, wait_until
from tests.wayland_session import WaylandSession, skip_reason


def _dead(pids: list[int]) -> bool:
    return not any(_alive(p) for p in pids)


def test_sway_session_runs_unprivileged_with_private_dirs(sway_session: WaylandSession) -> None:
    s = sway_session
    assert set(s.pids) == {"session-bus", "sway", "mako", "waybar"}
    assert all(s.running().values())
    sway_uid = os.stat(f"/proc/{s.pids['sway']}").st_uid
    assert sway_uid != 0, "sway must not run as root"
    assert s.wayland_socket is not None
    assert s.wayland_socket.is_relative_to(s.user_runtime_dir)
    assert stat.S_IMODE(os.stat(s.user_runtime_dir).st_mode) == 0o700
    assert s.env["WAYLAND_DISPLAY"] == str(s.wayland_socket)
    assert "DISPLAY" not in s.env
    assert s.env["XDG_SESSION_TYPE"] == "wayland"
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_STATE_HOME"):
        assert Path(s.env[key]).is_relative_to(s.state_dir), key
        assert Path(s.user_env[key]).is_relative_to(s.user_dir), key
    # the compositor's protocols are there, and sway answers on its IPC socket
    offered = s.globals()
    assert "wl_seat" in offered
    assert "zwp_virtual_keyboard_manager_v1" in offered  # what wtype types through
    assert "org_kde_kwin_idle" in offered or "ext_idle_notifier_v1" in offered
    assert [o["name"] for o in s.swaymsg("-t", "get_outputs")] == ["HEADLESS-1"]


def test_wtype_types_through_a_virtual_keyboard(sway_session: WaylandSession) -> None:
    """wtype's keys reach sway through a virtual keyboard on its seat (sway's input events)."""
    s = sway_session
    s.spawn(["stdbuf", "-oL", "swaymsg", "--monitor", "--raw", "-t", "subscribe", '["input"]'],
            name="input-events")
    log = s.log_path("input-events")

    def virtual_keyboard_events() -> list[str]:
        events = [json.loads(line) for line in log.read_text().splitlines()
                  if line.startswith("{")]
        return [e["change"] for e in events if e["input"]["identifier"].endswith(
            "virtual_keyboard") and e["input"]["type"] == "keyboard"]

    # the subscription has no "ready" reply in monitor mode: type until it reports
    for _ in range(20):
        s.type_text("stretch")
        with contextlib.suppress(TimeoutError):
            wait_until(lambda: "removed" in virtual_keyboard_events(), 0.5)
            break
    seen = virtual_keyboard_events()
    assert "removed" in seen, seen  # wtype's keyboard came and went
    s.key()  # a single key press (Shift_L) goes the same way
    wait_until(lambda: virtual_keyboard_events().count("removed") > seen.count("removed"), 10.0,
               message="a second virtual keyboard")


def test_mako_shows_and_invokes_a_notification(sway_session: WaylandSession) -> None:
    s = sway_session
    sender = subprocess.Popen(
        ["notify-send", "-a", "fixture-app", "-A", "default=Open", "Stretch now", "glutes, 30 s"],
        env=s.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        text=True)
    try:
        shown = wait_until(s.mako_notifications, 10.0, message="mako to show the notification")
        assert shown[0]["summary"] == "Stretch now"
        assert shown[0]["app-name"] == "fixture-app"
        s.mako_invoke("default")
        out, _ = sender.communicate(timeout=10)
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()
    assert out.strip().splitlines()[-1] == "default"  # the click came back to the sender


def test_waybar_is_the_tray_host(sway_session: WaylandSession) -> None:
    s = sway_session
    owner = s.bus_name_pid("org.kde.StatusNotifierWatcher")
    assert owner == s.pids["waybar"]
    assert s.sni_items() == []


def test_kwin_virtual_offers_ext_idle_notify(kwin_session: WaylandSession) -> None:
    s = kwin_session
    assert os.stat(f"/proc/{s.pids['kwin']}").st_uid != 0
    offered = s.globals()
    assert offered.get("ext_idle_notifier_v1", 0) >= 1
    assert "org_kde_kwin_idle" in offered
    assert s.sway_socket() is None


def test_stop_ends_everything_it_started() -> None:
    reason = skip_reason("sway", mako=True)
    if reason:
        pytest.skip(reason)
    s = WaylandSession("sway", mako=True)
    s.start()
    child = s.spawn(["sleep", "300"], name="sleeper", as_user=True)
    state = s.state_dir
    pids = list(s.started_pids)
    assert child.pid in pids
    recorded = json.loads((state / "state.json").read_text())
    assert {p[0] for p in recorded["procs"]} >= {"session-bus", "sway", "mako", "spawn:sleeper"}
    t0 = time.monotonic()
    s.stop()
    assert time.monotonic() - t0 < 5
    assert _dead(pids)
    assert not state.exists()
