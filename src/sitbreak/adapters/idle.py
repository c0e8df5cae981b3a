"""Choosing the activity source: ``select_idle_source(source, env) -> Picked[IdleSource]``.

``source`` is the config's ``[activity] source``:
- ``"auto"``: the OS idle counters that fit this desktop, then the pynput listener (if the
  ``listener`` extra is installed; not on Wayland, where it sees only XWayland windows), then
  ``none`` (timer only: always present);
- ``"idle"``: only OS idle counters, then ``none``;
- ``"listener"``: the pynput listener first, then as ``"auto"``.
Each candidate is probed with one real read; the reasons say why each was or was not taken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from sitbreak.adapters.base import IdleSource, Picked, Reason, failure, not_taken, taken
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.i18n import N_, Text

if TYPE_CHECKING:
    from sitbreak.adapters.idle_wayland import WaylandProtocol

log = logging.getLogger(__name__)

ActivitySource = Literal["auto", "idle", "listener"]
Candidate = tuple[str, Callable[[], IdleSource]]


def _x11() -> IdleSource:
    from sitbreak.adapters.idle_x11 import XScreenSaverIdle

    return XScreenSaverIdle()


def _mutter() -> IdleSource:
    from sitbreak.adapters.idle_dbus import MutterIdle

    return MutterIdle()


def _fdo() -> IdleSource:
    from sitbreak.adapters.idle_dbus import FreedesktopScreenSaverIdle

    return FreedesktopScreenSaverIdle()


def _wayland(protocol: WaylandProtocol, env: DesktopEnv) -> Callable[[], IdleSource]:
    def make() -> IdleSource:
        from sitbreak.adapters.idle_wayland import WaylandIdle

        return WaylandIdle(protocol, env.wayland_display or None)

    return make


def _windows() -> IdleSource:
    from sitbreak.adapters.idle_windows import WindowsLastInputIdle

    return WindowsLastInputIdle()


def _macos() -> IdleSource:
    from sitbreak.adapters.idle_macos import QuartzIdle

    return QuartzIdle()


def _listener_factory(env: DesktopEnv) -> Callable[[], IdleSource]:
    def make() -> IdleSource:
        from sitbreak.adapters.idle_listener import ListenerIdle

        # pynput's keyboard listener crashes on recent macOS (TSM off the main thread)
        return ListenerIdle(keyboard=env.platform != "darwin")

    return make


def idle_candidates(env: DesktopEnv) -> tuple[list[Candidate], dict[str, Text]]:
    """OS idle counters in preference order, and those skipped up front with the reason."""
    skipped: dict[str, Text] = {}
    order: list[Candidate] = []
    if env.platform == "win32":
        order.append(("windows-lastinput", _windows))
    elif env.platform == "darwin":
        order.append(("macos-quartz", _macos))
    elif env.linux:
        x11: Candidate = ("x11-screensaver", _x11)
        mutter: Candidate = ("gnome-mutter", _mutter)
        fdo: Candidate = ("freedesktop-screensaver", _fdo)
        ext: Candidate = ("wayland-ext-idle-notify", _wayland("ext-idle-notify", env))
        kde_idle: Candidate = ("wayland-kde-idle", _wayland("kde-idle", env))
        if env.wayland:
            # Xwayland's XScreenSaver only sees X clients: never trust it on Wayland
            skipped["x11-screensaver"] = Text(
                N_("Wayland session: Xwayland only sees X clients' input"))
            if env.gnome:  # Mutter offers no Wayland idle protocol, only its D-Bus monitor
                order += [mutter, ext, kde_idle, fdo]
            elif env.kde:
                skipped["freedesktop-screensaver"] = Text(N_(
                    "KDE on Wayland: GetSessionIdleTime answers 0 or NotSupported there "
                    "(KIdleTime cannot poll on Wayland); never trusted"))
                order += [ext, kde_idle, mutter]
            else:  # Sway, Hyprland, niri, labwc, river, ...
                order += [ext, kde_idle, mutter, fdo]
        else:
            why = Text(N_("not a Wayland session"))
            skipped["wayland-ext-idle-notify"] = skipped["wayland-kde-idle"] = why
            if env.display:
                order += [x11, mutter, fdo]
            else:
                skipped["x11-screensaver"] = Text(N_("no DISPLAY"))
                order += [mutter, fdo]
        if not env.session_bus:
            for name, _make in (mutter, fdo):
                if name not in skipped:
                    skipped[name] = Text(
                        N_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)"))
        order = [c for c in order if c[0] not in skipped]
    else:
        skipped["os-idle"] = Text(N_("no idle counter known for {platform}"),
                                  platform=env.platform)
    return order, skipped


def _not_installed(name: str, exc: ImportError) -> Reason:
    """A missing optional module, and how to get it."""
    module = exc.name or ""
    if name == "pynput-listener":
        return not_taken(name, N_("not installed ({module}); pip install 'sitbreak[listener]'"),
                         module=module)
    if module.startswith("pywayland"):
        return not_taken(name, N_("not installed ({module}); pip install pywayland (a wheel on "
                                  "x86-64 glibc Linux; elsewhere it compiles against "
                                  "libwayland-dev)"), module=module)
    return not_taken(name, N_("not installed ({module})"), module=module)


def select_idle_source(
    source: ActivitySource = "auto", env: DesktopEnv | None = None
) -> Picked[IdleSource]:
    """Pick and open the activity source (probing each candidate once). Never raises."""
    env = env or DesktopEnv.detect()
    counters, skipped = idle_candidates(env)
    listener: Candidate = ("pynput-listener", _listener_factory(env))
    if source == "listener":
        order = [listener, *counters]
    elif source == "idle":
        order = counters
        skipped["pynput-listener"] = Text(N_('config [activity] source = "idle"'))
    elif env.linux and env.wayland:
        # it would see only XWayland windows: typing in native apps would look like absence
        order = counters
        skipped["pynput-listener"] = Text(N_(
            'Wayland session: it sees only XWayland windows (set [activity] source = "listener" '
            "to use it anyway)"))
    else:
        order = [*counters, listener]
    reasons: list[Reason] = [Reason(name, why) for name, why in skipped.items()]
    for i, (name, make) in enumerate(order):
        try:
            impl = make()
        except ImportError as exc:
            if exc.name and exc.name.split(".")[0] in (
                "pynput", "Xlib", "jeepney", "Quartz", "pywayland"
            ):
                reasons.append(_not_installed(name, exc))
            else:  # e.g. pynput's "this platform is not supported" without an X server
                reasons.append(failure(name, exc))
            continue
        except Exception as exc:
            reasons.append(failure(name, exc))
            continue
        reasons.append(taken(name, N_("picked")))
        reasons += [not_taken(later, N_("not tried: {name} comes first"), name=name)
                    for later, _make in order[i + 1 :]]
        if source == "listener" and name != "pynput-listener":
            log.warning("pynput listener unavailable; using the %s idle counter instead", name)
        return Picked(impl, name, tuple(reasons))
    from sitbreak.adapters.idle_listener import NoIdle

    log.warning("no activity source works here: timer only, you count as present all the time")
    reasons.append(taken("none", N_("picked: nothing else answered (timer only)")))
    return Picked(NoIdle(), "none", tuple(reasons))
