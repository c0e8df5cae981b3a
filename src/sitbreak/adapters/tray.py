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

from sitbreak.adapters.base import (
    Picked,
    Reason,
    Tray,
    TrayActions,
    TrayView,
    failure,
    not_taken,
    short_error,
    taken,
)
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.tray_none import NoTray
from sitbreak.i18n import N_, Text

log = logging.getLogger(__name__)

BACKEND_ENV = "SITBREAK_TRAY_BACKEND"

MENU_HINT = N_(
    "for a tray menu, run a panel with a StatusNotifierItem tray (KDE, XFCE, Cinnamon, MATE, "
    "LXQt, waybar; GNOME: the AppIndicator extension) — sitbreak then uses it on its next start"
)
NO_WATCHER = N_(
    "no StatusNotifierWatcher on the session bus (no panel with a StatusNotifierItem tray; "
    "GNOME needs the AppIndicator extension)"
)
NO_WATCHER_XEMBED = N_(
    "no StatusNotifierWatcher on the session bus (no panel with a StatusNotifierItem tray; "
    "GNOME needs the AppIndicator extension): XEmbed tray used"
)
NO_SESSION_BUS = N_("no D-Bus session bus")


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


def tray_candidates(env: DesktopEnv, has_watcher: bool) -> tuple[list[str], dict[str, Text]]:
    """The backends to try in order, and why the others are not tried. ``has_watcher``: a
    StatusNotifierWatcher is on the session bus."""
    skipped: dict[str, Text] = {}
    if env.platform == "win32":
        return ["win32"], skipped
    if env.platform == "darwin":
        return ["darwin"], skipped
    if not env.linux:
        return [], {"pystray": Text(N_("no tray backend for {platform}"), platform=env.platform)}
    has_watcher = has_watcher and env.session_bus
    if env.wayland:
        skipped["xorg"] = Text(N_("Wayland: no XEmbed tray"))
        if not env.session_bus:
            skipped["sni"] = Text(NO_SESSION_BUS)
            return [], skipped
        return ["sni"], skipped
    if not env.display:
        skipped["xorg"] = Text(N_("no DISPLAY"))
        if has_watcher:
            return ["sni"], skipped
        skipped["sni"] = Text(NO_WATCHER if env.session_bus else NO_SESSION_BUS)
        return [], skipped
    if has_watcher:
        return ["sni", "xorg"], skipped
    skipped["sni"] = Text(NO_WATCHER_XEMBED if env.session_bus else
                          N_("no D-Bus session bus: XEmbed tray used"))
    return ["xorg"], skipped


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
    pinned_by_env = False
    if backend == "auto" and os.environ.get(BACKEND_ENV):
        backend, pinned_by_env = os.environ[BACKEND_ENV].strip().lower(), True
    has_watcher = False
    if backend != "auto":
        usual = ["sni", "xorg"] if env.linux else tray_candidates(env, False)[0]
        asked = (Text(N_("{variable} asks for {backend}"), variable=BACKEND_ENV, backend=backend)
                 if pinned_by_env else Text(N_("asked for {backend}"), backend=backend))
        skipped = {b: asked for b in usual if b != backend}
        order = [backend]
    else:
        has_watcher = env.linux and env.session_bus and watcher()
        order, skipped = tray_candidates(env, has_watcher)
    reasons: list[Reason] = [Reason(name, why) for name, why in skipped.items()]
    for i, name in enumerate(order):
        try:
            impl = make(actions, name)
        except Exception as exc:
            if name in ("gtk", "appindicator") and isinstance(exc, ImportError | ValueError):
                reasons.append(not_taken(name, N_("PyGObject/Gtk not available ({error})"),
                                         error=short_error(exc)))
            else:
                reasons.append(failure(name, exc))
            continue
        if name == "sni" and backend == "auto" and not has_watcher:
            why = taken(name, N_("picked (StatusNotifierItem with a dbusmenu menu); no "
                                 "StatusNotifierWatcher yet: the icon appears when a panel "
                                 "starts one"))
        elif name == "sni":
            why = taken(name, N_("picked (StatusNotifierItem with a dbusmenu menu)"))
        elif not impl.has_menu:
            why = taken(name, N_("picked (no menu: a left click shows the current stretch)"))
            log.warning("tray icon without a menu (pystray %s backend); %s", name, MENU_HINT)
        else:
            why = taken(name, N_("picked"))
        reasons.append(why)
        reasons += [not_taken(later, N_("not tried: {name} comes first"), name=name)
                    for later in order[i + 1 :]]
        return Picked(impl, tray_name(name), tuple(reasons))
    log.warning("no tray icon: %s",
                "; ".join(f"{r.candidate}: {r.why}" for r in reasons) or "headless")
    reasons.append(taken("none", N_("picked: no tray possible here")))
    return Picked(NoTray(), "none", tuple(reasons))
