"""Who could show a StatusNotifierItem on this session: is a ``org.kde.StatusNotifierWatcher``
on the session bus, has a host (a panel that draws items) registered with it, and on GNOME, what
state the AppIndicator extension is in (stock GNOME Shell draws no tray items without it).

Blocking one-shot calls with jeepney on a private connection (the factory runs on the main
thread before any loop exists; ``doctor`` runs them once). Never raises: unknown is None.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sitbreak.i18n import N_

WATCHER = "org.kde.StatusNotifierWatcher"
TIMEOUT_S = 2.0

# The AppIndicator/KStatusNotifierItem extension: upstream's uuid (Debian, Fedora, Arch, the
# extensions website) and Ubuntu's own build of it.
APPINDICATOR_UUIDS = ("appindicatorsupport@rgcjonas.gmail.com", "ubuntu-appindicators@ubuntu.com")
# GNOME Shell's ExtensionState numbers (js/misc/extensionUtils.js); the words are msgids
# (`sitbreak doctor` translates them)
_STATES = {1: N_("enabled"), 2: N_("disabled"), 3: N_("in error"), 4: N_("out of date"),
           5: N_("downloading"), 6: N_("initialized"), 7: N_("disabling"), 8: N_("enabling"),
           99: N_("not installed")}  # fmt: skip
APPINDICATOR_HINT = N_(
    "GNOME Shell shows tray icons only with the AppIndicator extension: install it "
    "(Debian/Ubuntu: `apt install gnome-shell-extension-appindicator`; others: "
    "extensions.gnome.org/extension/615), run `gnome-extensions enable "
    "appindicatorsupport@rgcjonas.gmail.com`, then log out and back in"
)


@dataclass(frozen=True, slots=True)
class WatcherState:
    owner: str | None  # the watcher's unique name; None: no watcher
    host_registered: bool | None  # None: could not ask

    @property
    def present(self) -> bool:
        return self.owner is not None


@contextlib.contextmanager
def _session() -> Iterator[Any]:
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus="SESSION") as conn:
        yield conn


def _call(conn: Any, dest: str, path: str, iface: str, method: str, *, sig: str = "",
          args: tuple[Any, ...] = ()) -> Any:  # fmt: skip
    from jeepney import DBusAddress, new_method_call
    from jeepney.wrappers import unwrap_msg

    addr = DBusAddress(path, bus_name=dest, interface=iface)
    reply = conn.send_and_get_reply(new_method_call(addr, method, sig, args), timeout=TIMEOUT_S)
    return unwrap_msg(reply)


def _name_owner(conn: Any, name: str) -> str | None:
    try:
        return str(_call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetNameOwner", sig="s", args=(name,))[0])  # fmt: skip
    except Exception:
        return None  # NameHasNoOwner


def watcher_state() -> WatcherState:
    """Is a StatusNotifierWatcher on the session bus, and does it know a host?"""
    try:
        with _session() as conn:
            owner = _name_owner(conn, WATCHER)
            if owner is None:
                return WatcherState(None, None)
            try:
                value = _call(conn, WATCHER, "/StatusNotifierWatcher",
                              "org.freedesktop.DBus.Properties", "Get", sig="ss",
                              args=(WATCHER, "IsStatusNotifierHostRegistered"))[0]  # fmt: skip
                host: bool | None = bool(value[1])
            except Exception:
                host = None
            return WatcherState(owner, host)
    except Exception:
        return WatcherState(None, None)


def gnome_appindicator_state() -> str | None:
    """The AppIndicator extension's state as GNOME Shell reports it ("enabled", "disabled",
    "in error", "not installed", …), or from the ``org.gnome.shell`` settings when the shell
    does not answer ("enabled"/"not enabled"); None if neither can tell."""
    try:
        with _session() as conn:
            if _name_owner(conn, "org.gnome.Shell") is not None:
                for uuid in APPINDICATOR_UUIDS:
                    info = _call(conn, "org.gnome.Shell", "/org/gnome/Shell",
                                 "org.gnome.Shell.Extensions", "GetExtensionInfo", sig="s",
                                 args=(uuid,))[0]  # fmt: skip
                    if info:  # an empty dict: the shell does not know this uuid
                        state = info.get("state", ("d", 0))[1]
                        return _STATES.get(int(state), f"state {int(state)}")
                return N_("not installed")
    except Exception:
        pass
    return _appindicator_from_settings()


def _appindicator_from_settings() -> str | None:
    from sitbreak.adapters.gsettings import get

    enabled = get("org.gnome.shell", "enabled-extensions")
    if enabled is None:
        return None
    if get("org.gnome.shell", "disable-user-extensions") is True:
        return N_("not enabled (user extensions are switched off)")
    return N_("enabled") if any(u in enabled for u in APPINDICATOR_UUIDS) else N_("not enabled")
