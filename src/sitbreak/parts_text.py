"""The platform parts in words: one label and one plain description per part, shared by
`sitbreak status` and `sitbreak doctor` so both call the same thing by the same name."""

from __future__ import annotations

from sitbreak.i18n import N_, _

LABELS: dict[str, str] = {
    "source": N_("Activity source"),
    "watcher": N_("Lock/suspend watcher"),
    "notifier": N_("Notifier"),
    "tray": N_("Tray"),
    "presence": N_("Presence sources"),
}

PLAIN: dict[str, str] = {
    # activity sources
    "x11-screensaver": N_("the X server's idle time"),
    "gnome-mutter": N_("GNOME's idle time"),
    "freedesktop-screensaver": N_("the desktop's screensaver idle time"),
    "wayland-ext-idle-notify": N_("the Wayland compositor's idle notifications"),
    "wayland-kde-idle": N_("the Wayland compositor's idle notifications (KDE's older protocol)"),
    "pynput-listener": N_("an input listener (only the time of input, never the key)"),
    "windows-lastinput": N_("Windows' last-input time"),
    "macos-quartz": N_("macOS's idle time"),
    # lock/suspend watchers
    "linux-dbus": N_("logind and the screensaver, over D-Bus"),
    "windows-wts": N_("Windows session and power messages"),
    "macos-nsworkspace": N_("macOS workspace notifications"),
    # notifiers
    "freedesktop": N_("desktop notifications"),
    "desktop-notifier": N_("desktop notifications"),
    "plyer": N_("desktop notifications without clicks"),
    "log": N_("the log file only (no notification service)"),
    "terminal": N_("printed in the terminal"),
    # trays
    "sni": N_("tray icon with a menu (StatusNotifierItem)"),
    "pystray-gtk": N_("tray icon with a menu (GTK)"),
    "pystray-appindicator": N_("tray icon with a menu (AppIndicator)"),
    "pystray-xorg": N_("tray icon without a menu (a left click shows the stretch)"),
    "pystray-win32": N_("tray icon with a menu"),
    "pystray-darwin": N_("menu bar icon with a menu"),
}

# presence sources: their names already say what they are (several may run at once)
PRESENCE: dict[str, str] = {
    "microphone (PulseAudio protocol)": N_("microphone (PulseAudio protocol)"),
    "camera (/dev/video* open)": N_("camera (/dev/video* open)"),
    "idle inhibitors (D-Bus)": N_("idle inhibitors (D-Bus)"),
    "microphone (CoreAudio)": N_("microphone (CoreAudio)"),
    "microphone/camera (Windows consent store)": N_("microphone/camera (Windows consent store)"),
}

# the candidates `sitbreak doctor` lists that are words rather than backend names
CANDIDATES: dict[str, str] = {
    "microphone": N_("microphone"),
    "camera": N_("camera"),
    "microphone/camera": N_("microphone/camera"),
    "idle inhibitors": N_("idle inhibitors"),
    "all": N_("all"),
    "notifications": N_("notifications"),
}

NONE: dict[str, str] = {
    "source": N_("none: a timer only, you count as present all the time"),
    "watcher": N_("none: the clock alone notices sleep"),
    "notifier": N_("none"),
    "tray": N_("none"),
    "presence": N_("none: calls and idle inhibitors are not seen"),
}


def describe(part: str, name: str) -> str:
    """E.g. ``describe("source", "x11-screensaver")`` → "the X server's idle time
    (x11-screensaver)"."""
    if name in ("none", "", "?"):
        return _(NONE[part]) if part in NONE else _("none")
    if part == "presence":
        return ", ".join(presence_source(n) for n in name.split(", "))
    plain = PLAIN.get(name)
    return f"{_(plain)} ({name})" if plain else name


def presence_source(name: str) -> str:
    """A presence source's name in the user's language (an unknown one as it is)."""
    return _(PRESENCE[name]) if name in PRESENCE else name


def candidate(name: str) -> str:
    """A candidate as `sitbreak doctor` lists it: backend names as they are, words translated."""
    return _(CANDIDATES[name]) if name in CANDIDATES else name


def line(part: str, name: str) -> str:
    """The same line in `status` and in `doctor`: "Activity source: the X server's …"."""
    return _("{part}: {description}").format(part=_(LABELS[part]), description=describe(part, name))
