"""``sitbreak doctor`` on a real headless desktop explains every choice."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.desktop import Desktop


def test_doctor_explains_the_picks_under_xvfb(desktop: Desktop) -> None:
    r = desktop.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    out = r.stdout
    lines = out.splitlines()
    assert "Activity source: the X server's idle time (x11-screensaver)" in lines
    assert '    [activity] source = "auto"' in lines
    assert "  + x11-screensaver: picked" in lines
    assert "  - gnome-mutter: not tried: x11-screensaver comes first" in lines
    assert "Lock/suspend watcher: logind and the screensaver, over D-Bus (linux-dbus)" in lines
    assert "Notifier: desktop notifications (freedesktop)" in lines
    assert "    clicks open the card" in lines
    # trayer is only an XEmbed tray: the icon without a menu, and what would give one
    assert (
        "  - sni: no StatusNotifierWatcher on the session bus (no panel with a StatusNotifierItem "
        "tray; GNOME needs the AppIndicator extension): XEmbed tray used" in lines
    )
    assert "Tray: tray icon without a menu (a left click shows the stretch) (pystray-xorg)" \
        in lines
    assert any(line.startswith("  note: no tray menu") and "StatusNotifierItem" in line
               for line in lines)  # fmt: skip
    assert not any(line.startswith("GNOME break reminders") for line in lines)  # not GNOME
    assert r.stderr == ""  # no stray warnings next to the report
    # a probe only: nothing was left on screen
    assert desktop.dunst_displayed_count() == 0
    assert desktop.tray_icons() == []


def test_doctor_with_listener_source_and_no_buses(xdisplay: Desktop) -> None:
    r = xdisplay.run(
        [sys.executable, "-m", "sitbreak", "doctor", "--source", "listener"], timeout=60
    )
    lines = r.stdout.splitlines()
    assert ("Activity source: an input listener (only the time of input, never the key) "
            "(pynput-listener)") in lines
    assert "Notifier: the log file only (no notification service) (log)" in lines
    assert any(line.startswith("  - freedesktop:") for line in lines)
    assert ("  - desktop-notifier: not used on Linux: freedesktop speaks the same protocol"
            in lines)


def test_doctor_picks_the_status_notifier_item_where_a_panel_hosts_it(
    sni_desktop: Desktop,
) -> None:
    r = sni_desktop.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    lines = r.stdout.splitlines()
    assert "Tray: tray icon with a menu (StatusNotifierItem) (sni)" in lines
    assert "  + sni: picked (StatusNotifierItem with a dbusmenu menu)" in lines
    assert "  - xorg: not tried: sni comes first" in lines
    watcher = next(line for line in lines if line.startswith("    StatusNotifierWatcher: "))
    assert watcher.endswith("(a panel draws items)")
    assert not any("note: no tray menu" in line for line in lines)
    assert sni_desktop.sni_items() == []  # a probe only: nothing registered


def test_status_and_doctor_call_each_part_by_the_same_name(desktop: Desktop, tmp_path: Path
                                                            ) -> None:
    from tests.daemon_proc import Daemon

    doctor = desktop.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60).stdout
    with Daemon(desktop.env, tmp_path) as d:
        status = d.cli("status").stdout
    parts = [ln for ln in status.splitlines()
             if ln.split(":")[0] in ("Activity source", "Lock/suspend watcher", "Notifier", "Tray")]
    assert [ln.split(":")[0] for ln in parts] == [
        "Activity source", "Lock/suspend watcher", "Notifier", "Tray"]
    for ln in parts:
        assert ln in doctor.splitlines(), ln
    # in words, not only internal names; no "Source:" shorthand
    assert "Activity source: the X server's idle time (x11-screensaver)" in parts
    assert "Source:" not in status
