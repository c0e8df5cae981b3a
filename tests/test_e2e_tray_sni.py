"""`sitbreak run` with a StatusNotifierItem host on X11: xfce4-panel's Status Tray under Xvfb.

The daemon's item registers with the panel's watcher and shows its full menu; the menu really
clicked in the panel and menu events sent over dbusmenu as a host sends them both reach the
daemon (`sitbreak status` shows it); a left click on the icon opens the stretch card; Quit from
the menu ends the daemon cleanly.
"""

from __future__ import annotations

from pathlib import Path

from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop
from tests.sni_client import SniHost
from tests.test_adapters_tray_sni import ALL_LABELS, icon_box, open_menu_and_press


def test_daemon_tray_menu_through_a_real_host(sni_desktop: Desktop, tmp_path: Path) -> None:
    d = sni_desktop
    with Daemon(d.env, tmp_path) as daemon, SniHost(d.env["DBUS_SESSION_BUS_ADDRESS"]) as host:
        assert daemon.status()["tray"] == "sni"
        item = host.wait_item()
        wait_for(lambda: "tray sni is up" in daemon.log(), 5, "the tray up, in the log")
        d.move_mouse()

        def tooltip() -> str:
            return str(host.prop(item, "ToolTip")[3])

        wait_for(lambda: tooltip() == "Sitting 0 min · next stretch in 1 min", 10, "tooltip")
        menu = host.layout(item)
        assert [n.label for n in menu.walk() if n.label][1:] == ALL_LABELS
        assert menu.children[0].label == "Sitting 0 min · next stretch in 1 min"

        # the panel's own menu (libdbusmenu-gtk3 reading ours): right click, Pause ▸ 30 min
        box = wait_for(lambda: icon_box(d, tmp_path / "panel.png"), 10, "the icon in the panel")
        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        open_menu_and_press(d, x, y, "Down", "Down", "Down", "Down", "Right", "Return")
        daemon.wait_status(lambda s: s["paused"], 5, "paused from the panel's menu")
        wait_for(lambda: tooltip() == "Paused · 30 min left", 5, "paused tooltip")
        resume = host.layout(item).find("Resume")
        assert resume.props["enabled"] is True

        # as a host sends a click: Event(id, "clicked") on "Resume"
        host.click(item, resume.id)
        daemon.wait_status(lambda s: not s["paused"], 5, "resumed over dbusmenu")
        host.click(item, menu.find("I'm standing").id)
        daemon.wait_status(lambda s: s["standing"], 5, "standing over dbusmenu")
        wait_for(lambda: host.layout(item).find("I'm standing").props["toggle-state"] == 1, 5,
                 "the standing check box ticked")  # fmt: skip

        # a left click on the icon is Activate: the current stretch's card opens
        d.xdotool("mousemove", x, y, "click", 1)
        card = d.wait_for_window(class_="^SitbreakCard$", visible_only=True, timeout=15)
        assert card
        assert daemon.children()

        # Quit from the menu ends the daemon (and its card) cleanly; the item leaves the panel
        host.click(item, menu.find("Quit").id)
        assert daemon.proc is not None
        assert daemon.proc.wait(15) == 0
        wait_for(lambda: d.sni_items() == [], 5, "the item gone from the watcher")
