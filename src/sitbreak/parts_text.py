"""The platform parts in words: one label and one plain description per part, shared by
`sitbreak status` and `sitbreak doctor` so both call the same thing by the same name."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "source": "Activity source",
    "watcher": "Lock/suspend watcher",
    "notifier": "Notifier",
    "tray": "Tray",
    "presence": "Presence sources",
}

PLAIN: dict[str, str] = {
    # activity sources
    "x11-screensaver": "the X server's idle time",
    "gnome-mutter": "GNOME's idle time",
    "freedesktop-screensaver": "the desktop's screensaver idle time",
    "wayland-ext-idle-notify": "the Wayland compositor's idle notifications",
    "wayland-kde-idle": "the Wayland compositor's idle notifications (KDE's older protocol)",
    "pynput-listener": "an input listener (only the time of input, never the key)",
    "windows-lastinput": "Windows' last-input time",
    "macos-quartz": "macOS's idle time",
    # lock/suspend watchers
    "linux-dbus": "logind and the screensaver, over D-Bus",
    "windows-wts": "Windows session and power messages",
    "macos-nsworkspace": "macOS workspace notifications",
    # notifiers
    "desktop-notifier": "desktop notifications",
    "plyer": "desktop notifications without clicks",
    "log": "the log file only (no notification service)",
    "terminal": "printed in the terminal",
    # trays
    "sni": "tray icon with a menu (StatusNotifierItem)",
    "pystray-gtk": "tray icon with a menu (GTK)",
    "pystray-appindicator": "tray icon with a menu (AppIndicator)",
    "pystray-xorg": "tray icon without a menu (a left click shows the stretch)",
    "pystray-win32": "tray icon with a menu",
    "pystray-darwin": "menu bar icon with a menu",
}

NONE: dict[str, str] = {
    "source": "none: a timer only, you count as present all the time",
    "watcher": "none: the clock alone notices sleep",
    "notifier": "none",
    "tray": "none",
    "presence": "none: calls and idle inhibitors are not seen",
}


def describe(part: str, name: str) -> str:
    """E.g. ``describe("source", "x11-screensaver")`` → "the X server's idle time
    (x11-screensaver)"."""
    if name in ("none", "", "?"):
        return NONE.get(part, "none")
    plain = PLAIN.get(name)
    return f"{plain} ({name})" if plain else name


def line(part: str, name: str) -> str:
    """The same line in `status` and in `doctor`: "Activity source: the X server's …"."""
    return f"{LABELS[part]}: {describe(part, name)}"
