"""``sitbreak doctor`` on a real headless desktop explains every choice."""

from __future__ import annotations

import sys

from tests.desktop import Desktop


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
    # trayer is only an XEmbed tray: the icon without a menu, and what would give one
    assert "tray: pystray-xorg" in lines
    assert (
        "  - sni: no StatusNotifierWatcher on the session bus (no panel with a StatusNotifierItem "
        "tray; GNOME needs the AppIndicator extension): XEmbed tray used" in lines
    )
    assert "  + xorg: picked (no menu: a left click shows the current stretch)" in lines
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
    assert 'activity source ([activity] source = "listener"): pynput-listener' in lines
    assert "notifier: log" in lines
    assert any(line.startswith("  - desktop-notifier:") for line in lines)


def test_doctor_picks_the_status_notifier_item_where_a_panel_hosts_it(
    sni_desktop: Desktop,
) -> None:
    r = sni_desktop.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    lines = r.stdout.splitlines()
    assert "tray: sni" in lines
    assert "  + sni: picked (StatusNotifierItem with a dbusmenu menu)" in lines
    assert "  - xorg: not tried: sni comes first" in lines
    watcher = next(line for line in lines if line.startswith("    StatusNotifierWatcher: "))
    assert watcher.endswith("(a panel draws items)")
    assert not any("note: no tray menu" in line for line in lines)
    assert sni_desktop.sni_items() == []  # a probe only: nothing registered
