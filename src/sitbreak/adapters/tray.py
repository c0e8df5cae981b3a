"""Choosing the tray: ``select_tray(actions, env, backend) -> Picked[Tray]``.

Linux X11: ``appindicator`` (when a StatusNotifierWatcher runs: KDE, GNOME with the extension)
→ ``gtk`` (XEmbed, real menu) → ``xorg`` (no menu; left click opens the current stretch).
Linux Wayland: only ``appindicator``. Windows ``win32``, macOS ``darwin``. Nothing works (no
display, headless): ``none``, whose ``run`` just blocks until ``stop``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from sitbreak.adapters.base import Picked, Tray, TrayActions, TrayView
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.tray_pystray import NoTray, PystrayTray

log = logging.getLogger(__name__)

BACKEND_ENV = "SITBREAK_TRAY_BACKEND"

MENU_HINT = (
    "for a tray menu install PyGObject: `pip install 'sitbreak[menu]'` (Debian 12 builds it "
    "after `apt install gir1.2-gtk-3.0 libgirepository1.0-dev libcairo2-dev pkg-config`), or "
    "use the distro's python3-gi + gir1.2-gtk-3.0 from a venv made with --system-site-packages"
)


class TrayProbe:
    """Stands in for a tray when only asking which backend would work (``sitbreak doctor``):
    imports the backend and checks the X connection, but creates no icon."""

    def __init__(self, actions: TrayActions, backend: str) -> None:
        from sitbreak.adapters.tray_pystray import icon_class

        self.name = f"pystray-{backend}"
        cls = icon_class(backend)
        self.has_menu = bool(cls.HAS_MENU)
        if backend in ("xorg", "gtk"):
            from Xlib import display

            display.Display().close()

    def run(self, on_ready: Callable[[], None]) -> None:
        on_ready()

    def update(self, view: TrayView) -> None:
        pass

    def stop(self) -> None:
        pass


def _sni_watcher_running() -> bool:
    """Is a StatusNotifierWatcher (AppIndicator host) on the session bus?"""
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        addr = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        with open_dbus_connection(bus="SESSION") as conn:
            reply = conn.send_and_get_reply(
                new_method_call(addr, "NameHasOwner", "s", ("org.kde.StatusNotifierWatcher",)),
                timeout=2,
            )
            return bool(unwrap_msg(reply)[0])
    except Exception:
        return False


def tray_candidates(env: DesktopEnv) -> tuple[list[str], dict[str, str]]:
    skipped: dict[str, str] = {}
    if env.platform == "win32":
        return ["win32"], skipped
    if env.platform == "darwin":
        return ["darwin"], skipped
    if not env.linux:
        return [], {"pystray": f"no tray backend for {env.platform}"}
    if env.wayland:
        skipped["gtk"] = "Wayland: no XEmbed tray"
        skipped["xorg"] = "Wayland: no XEmbed tray"
        return ["appindicator"], skipped
    if not env.display:
        return [], {"pystray": "no DISPLAY"}
    order = ["gtk", "xorg"]
    if env.session_bus and _sni_watcher_running():
        order.insert(0, "appindicator")
    else:
        skipped["appindicator"] = "no StatusNotifierWatcher on the session bus (XEmbed tray used)"
    return order, skipped


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def select_tray(
    actions: TrayActions,
    env: DesktopEnv | None = None,
    backend: str = "auto",
    make: Callable[[TrayActions, str], Tray] = PystrayTray,
) -> Picked[Tray]:
    """Create the tray icon (not shown until ``run``). Never raises.

    ``backend`` forces one pystray backend ("gtk", "xorg", …); "auto" picks as described above,
    unless ``$SITBREAK_TRAY_BACKEND`` names one (tests pin the backend they assert on).
    """
    env = env or DesktopEnv.detect()
    order, skipped = tray_candidates(env)
    asked_by = "asked for"
    if backend == "auto" and os.environ.get(BACKEND_ENV):
        backend, asked_by = os.environ[BACKEND_ENV].strip().lower(), f"{BACKEND_ENV} asks for"
    if backend != "auto":
        skipped = {b: f"{asked_by} {backend}" for b in order if b != backend}
        order = [backend]
    reasons: list[tuple[str, str]] = list(skipped.items())
    for i, name in enumerate(order):
        try:
            impl = make(actions, name)
        except Exception as exc:
            why = _short(exc)
            if name in ("gtk", "appindicator") and isinstance(exc, ImportError | ValueError):
                why = f"PyGObject/Gtk not available ({why})"
            reasons.append((name, why))
            continue
        why = "picked"
        if not impl.has_menu:
            why += " (no menu: a left click shows the current stretch)"
            log.warning("tray icon without a menu (pystray %s backend); %s", name, MENU_HINT)
        reasons.append((name, why))
        reasons += [(later, f"not tried: {name} comes first") for later in order[i + 1 :]]
        return Picked(impl, f"pystray-{name}", tuple(reasons))
    log.warning("no tray icon: %s", "; ".join(f"{c}: {w}" for c, w in reasons) or "headless")
    reasons.append(("none", "picked: no tray possible here"))
    return Picked(NoTray(), "none", tuple(reasons))
