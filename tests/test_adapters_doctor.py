"""``sitbreak doctor`` on a real headless desktop explains every choice."""

from __future__ import annotations

import sys

from tests.desktop import Desktop
from tests.test_adapters_tray import gtk_missing


def test_doctor_explains_the_picks_under_xvfb(desktop: Desktop) -> None:
    r = desktop.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    out = r.stdout
    lines = out.splitlines()
    assert 'activity source ([activity] source = "auto"): x11-screensaver' in lines
    assert "  + x11-screensaver: picked" in lines
    assert "  - gnome-mutter: not tried: x11-screensaver comes first" in lines
    assert "lock/suspend watcher: linux-dbus" in lines
    assert "notifier: desktop-notifier" in lines
    assert "    clicks open the card" in lines
    assert (
        "  - appindicator: no StatusNotifierWatcher on the session bus (XEmbed tray used)" in lines
    )
    if gtk_missing(desktop):
        assert "tray: pystray-xorg" in lines
        # with only the xorg backend, it says what to install for a menu
        assert any(
            line.startswith("  note: no tray menu") and "PyGObject" in line for line in lines
        )
    else:
        assert "tray: pystray-gtk" in lines
        assert "  - xorg: not tried: gtk comes first" in lines
    assert r.stderr == ""  # no stray warnings next to the report
    # a probe only: nothing was left on screen
    assert desktop.dunst_displayed_count() == 0
    assert desktop.tray_icons() == []


def test_doctor_with_listener_source_and_no_buses(xdisplay: Desktop) -> None:
    r = xdisplay.run(
        [sys.executable, "-m", "sitbreak", "doctor", "--source", "listener"], timeout=60
    )
    lines = r.stdout.splitlines()
    assert 'activity source ([activity] source = "listener"): pynput-listener' in lines
    assert "notifier: log" in lines
    assert any(line.startswith("  - desktop-notifier:") for line in lines)
