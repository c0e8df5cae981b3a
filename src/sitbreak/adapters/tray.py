"""Choosing the tray: ``select_tray(actions, env, backend) -> Picked[Tray]``.

Linux: ``sni`` — our own StatusNotifierItem with a dbusmenu menu over D-Bus (no GUI toolkit,
nothing to compile) — when a StatusNotifierWatcher is on the session bus (KDE, XFCE, Cinnamon,
MATE, LXQt, waybar, GNOME with the AppIndicator extension); else on X11 pystray's ``xorg``
backend (an XEmbed icon without a menu: a left click opens the current stretch). On Wayland
there is no XEmbed, so ``sni`` is taken even before a watcher appears (it registers when one
does). Windows ``win32``, macOS ``darwin`` (pystray). Nothing works (no display, headless):
``none``, whose ``run`` just blocks until ``stop``.

``$SITBREAK_TRAY_BACKEND`` (or ``backend``) pins one: ``sni``, ``xorg``, or any other pystray
backend name (``gtk``/``appindicator`` still work where PyGObject is installed, untested).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from sitbreak.adapters.base import Picked, Tray, TrayActions, TrayView
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.tray_pystray import NoTray

log = logging.getLogger(__name__)

BACKEND_ENV = "SITBREAK_TRAY_BACKEND"

MENU_HINT = (
    "for a tray menu, run a panel with a StatusNotifierItem tray (KDE, XFCE, Cinnamon, MATE, "
    "LXQt, waybar; GNOME: the AppIndicator extension) — sitbreak then uses it on its next start"
)
NO_WATCHER = (
    "no StatusNotifierWatcher on the session bus (no panel with a StatusNotifierItem tray; "
    "GNOME needs the AppIndicator extension)"
)


def tray_name(backend: str) -> str:
    return "sni" if backend == "sni" else f"pystray-{backend}"


def make_tray(actions: TrayActions, backend: str) -> Tray:
    if backend == "sni":
        from sitbreak.adapters.tray_sni import SniTray

        return SniTray(actions)
    from sitbreak.adapters.tray_pystray import PystrayTray

    return PystrayTray(actions, backend)


class TrayProbe:
    """Stands in for a tray when only asking which backend would work (``sitbreak doctor``):
    imports the backend and checks the X connection, but creates no icon."""

    def __init__(self, actions: TrayActions, backend: str) -> None:
        self.name = tray_name(backend)
        if backend == "sni":
            import dbus_fast.aio  # noqa: F401

            from sitbreak.adapters import tray_sni  # noqa: F401

            self.has_menu = True
            return
        from sitbreak.adapters.tray_pystray import icon_class

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


def _watcher_present() -> bool:
    from sitbreak.adapters.tray_host import watcher_state

    return watcher_state().present


def tray_candidates(env: DesktopEnv, has_watcher: bool) -> tuple[list[str], dict[str, str]]:
    """The backends to try in order, and why the others are not tried. ``has_watcher``: a
    StatusNotifierWatcher is on the session bus."""
    skipped: dict[str, str] = {}
    if env.platform == "win32":
        return ["win32"], skipped
    if env.platform == "darwin":
        return ["darwin"], skipped
    if not env.linux:
        return [], {"pystray": f"no tray backend for {env.platform}"}
    has_watcher = has_watcher and env.session_bus
    if env.wayland:
        skipped["xorg"] = "Wayland: no XEmbed tray"
        if not env.session_bus:
            skipped["sni"] = "no D-Bus session bus"
            return [], skipped
        return ["sni"], skipped
    if not env.display:
        skipped["xorg"] = "no DISPLAY"
        if has_watcher:
            return ["sni"], skipped
        skipped["sni"] = NO_WATCHER if env.session_bus else "no D-Bus session bus"
        return [], skipped
    if has_watcher:
        return ["sni", "xorg"], skipped
    skipped["sni"] = (NO_WATCHER if env.session_bus else "no D-Bus session bus") + (
        ": XEmbed tray used"
    )
    return ["xorg"], skipped


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def select_tray(
    actions: TrayActions,
    env: DesktopEnv | None = None,
    backend: str = "auto",
    make: Callable[[TrayActions, str], Tray] = make_tray,
    watcher: Callable[[], bool] = _watcher_present,
) -> Picked[Tray]:
    """Create the tray icon (not shown until ``run``). Never raises.

    ``backend`` forces one backend ("sni", "xorg", …); "auto" picks as described above,
    unless ``$SITBREAK_TRAY_BACKEND`` names one (tests pin the backend they assert on).
    """
    env = env or DesktopEnv.detect()
    asked_by = "asked for"
    if backend == "auto" and os.environ.get(BACKEND_ENV):
        backend, asked_by = os.environ[BACKEND_ENV].strip().lower(), f"{BACKEND_ENV} asks for"
    has_watcher = False
    if backend != "auto":
        usual = ["sni", "xorg"] if env.linux else tray_candidates(env, False)[0]
        skipped = {b: f"{asked_by} {backend}" for b in usual if b != backend}
        order = [backend]
    else:
        has_watcher = env.linux and env.session_bus and watcher()
        order, skipped = tray_candidates(env, has_watcher)
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
        if name == "sni":
            why += " (StatusNotifierItem with a dbusmenu menu)"
            if backend == "auto" and not has_watcher:
                why += "; no StatusNotifierWatcher yet: the icon appears when a panel starts one"
        elif not impl.has_menu:
            why += " (no menu: a left click shows the current stretch)"
            log.warning("tray icon without a menu (pystray %s backend); %s", name, MENU_HINT)
        reasons.append((name, why))
        reasons += [(later, f"not tried: {name} comes first") for later in order[i + 1 :]]
        return Picked(impl, tray_name(name), tuple(reasons))
    log.warning("no tray icon: %s", "; ".join(f"{c}: {w}" for c, w in reasons) or "headless")
    reasons.append(("none", "picked: no tray possible here"))
    return Picked(NoTray(), "none", tuple(reasons))
