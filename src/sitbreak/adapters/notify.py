"""Choosing the notifier: ``await select_notifier(...) -> Picked[Notifier]`` on the worker loop.

Order: freedesktop on Linux, desktop-notifier on macOS and Windows (clickable where the server
supports it) → plyer (no clicks) → log only. ``only`` restricts the candidates (config or tests),
in the given order. On Linux desktop-notifier is not tried unless ``only`` names it: it speaks
the same D-Bus protocol as ours, at a higher start-up cost.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sitbreak.adapters.base import (
    Notifier,
    Picked,
    Reason,
    Unavailable,
    failure,
    not_taken,
    taken,
)
from sitbreak.adapters.dnd import DoNotDisturb
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.notify_fdo import FreedesktopNotifier
from sitbreak.adapters.notify_plyer import LogNotifier, PlyerNotifier
from sitbreak.i18n import N_
from sitbreak.oneshot import in_thread

if TYPE_CHECKING:
    from sitbreak.adapters.notify_desktop import DesktopNotifierNotifier

log = logging.getLogger(__name__)

CANDIDATES = ("freedesktop", "desktop-notifier", "plyer", "log")


def _default_order(env: DesktopEnv) -> tuple[str, ...]:
    return tuple(c for c in CANDIDATES
                 if c != ("desktop-notifier" if env.linux else "freedesktop"))  # fmt: skip


async def _server_on_bus() -> None:
    """Raise unless org.freedesktop.Notifications is running or activatable on the session bus."""
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

    bus = await MessageBus().connect()
    try:
        for member in ("ListNames", "ListActivatableNames"):
            reply = await bus.call(
                Message(
                    destination="org.freedesktop.DBus",
                    path="/org/freedesktop/DBus",
                    interface="org.freedesktop.DBus",
                    member=member,
                )
            )
            if "org.freedesktop.Notifications" in reply.body[0]:
                return
    finally:
        bus.disconnect()
    raise Unavailable(N_("no org.freedesktop.Notifications service on the session bus"))


async def _make_plyer(env: DesktopEnv) -> PlyerNotifier:
    if env.linux:
        # plyer's Linux path is notify-send (dbus-python is not a dependency); without a
        # server it would fail silently on every nudge
        if shutil.which("notify-send") is None:
            raise Unavailable(N_("notify-send not on PATH (Debian: libnotify-bin)"))
        if not env.session_bus:
            raise Unavailable(N_("no D-Bus session bus"))
        await asyncio.wait_for(_server_on_bus(), 5.0)
    return PlyerNotifier()


async def select_notifier(
    *,
    sound: bool = False,
    icon: Path | None = None,
    only: Sequence[str] | None = None,
    env: DesktopEnv | None = None,
) -> Picked[Notifier]:
    """Pick the best working notifier (probing each). Never raises; ``log`` always works.

    The returned notifier's ``dnd_active()`` tells whether a nudge should wait.
    """
    env = env or DesktopEnv.detect()
    if icon is None:
        from sitbreak.adapters.tray_icon import app_icon_png

        icon = await in_thread(app_icon_png)  # a thread that ends: no executor kept
    default = _default_order(env)
    order = [c for c in (only or default) if c in CANDIDATES]
    reasons: list[Reason] = []
    for c in CANDIDATES:
        if c in order:
            continue
        if not only and c == "desktop-notifier":
            reasons.append(not_taken(c, N_("not used on Linux: freedesktop speaks the same "
                                           "protocol")))
        elif not only and c == "freedesktop":
            reasons.append(not_taken(c, N_("for Linux and BSD desktops (D-Bus)")))
        else:
            reasons.append(not_taken(c, N_("not allowed here")))
    dnd = DoNotDisturb(env)
    for i, name in enumerate(order):
        impl: PlyerNotifier | LogNotifier | DesktopNotifierNotifier | FreedesktopNotifier
        try:
            if name in ("freedesktop", "desktop-notifier"):
                if env.linux and not env.session_bus:
                    raise Unavailable(N_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)"))
                dn: FreedesktopNotifier | DesktopNotifierNotifier
                if name == "freedesktop":
                    dn = await FreedesktopNotifier.create(icon=icon, sound=sound)
                else:  # macOS and Windows (on Linux only when asked for)
                    from sitbreak.adapters.notify_desktop import DesktopNotifierNotifier

                    dn = await DesktopNotifierNotifier.create(icon=icon, sound=sound)
                if not dn.clickable:
                    log.info("notification server cannot report clicks: use the tray menu")
                impl = dn
                why = (taken(name, N_("picked")) if dn.clickable else
                       taken(name, N_("picked (no click support on this server)")))
            elif name == "plyer":
                impl = await _make_plyer(env)
                why = taken(name, N_("picked (no clicks: the tray opens the card)"))
            else:
                impl = LogNotifier()
                why = taken(name, N_("picked: no notification service answered"))
        except ImportError as exc:
            reasons.append(not_taken(name, N_("not installed ({module})"),
                                     module=exc.name or str(exc)))
            continue
        except Exception as exc:
            reasons.append(failure(name, exc))
            continue
        if name != order[0]:
            failed = "; ".join(f"{r.candidate}: {r.why}" for r in reasons)
            log.warning("notifications via %s (%s)", name, failed)
        reasons.append(why)
        reasons += [not_taken(later, N_("not tried: {name} comes first"), name=name)
                    for later in order[i + 1 :]]
        impl.dnd = dnd
        impl.sound = sound
        return Picked(impl, name, tuple(reasons))
    last = LogNotifier()
    last.dnd = dnd
    reasons.append(taken("log", N_("picked: nothing else allowed")))
    return Picked(last, "log", tuple(reasons))
