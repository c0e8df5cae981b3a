"""Choosing the notifier: ``await select_notifier(...) -> Picked[Notifier]`` on the worker loop.

Order: desktop-notifier (clickable where the server supports it) → plyer (no clicks) → log only.
``only`` restricts the candidates (config or tests), in the given order.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

from sitbreak.adapters.base import Notifier, Picked
from sitbreak.adapters.dnd import DoNotDisturb
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.notify_desktop import DesktopNotifierNotifier
from sitbreak.adapters.notify_plyer import LogNotifier, PlyerNotifier

log = logging.getLogger(__name__)

CANDIDATES = ("desktop-notifier", "plyer", "log")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
    raise RuntimeError("no org.freedesktop.Notifications service on the session bus")


async def _make_plyer(env: DesktopEnv) -> PlyerNotifier:
    if env.linux:
        # plyer's Linux path is notify-send (dbus-python is not a dependency); without a
        # server it would fail silently on every nudge
        if shutil.which("notify-send") is None:
            raise RuntimeError("notify-send not on PATH (Debian: libnotify-bin)")
        if not env.session_bus:
            raise RuntimeError("no D-Bus session bus")
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

        icon = await asyncio.to_thread(app_icon_png)
    order = [c for c in (only or CANDIDATES) if c in CANDIDATES]
    reasons: list[tuple[str, str]] = [(c, "not allowed here") for c in CANDIDATES if c not in order]
    dnd = DoNotDisturb(env)
    for i, name in enumerate(order):
        impl: PlyerNotifier | LogNotifier | DesktopNotifierNotifier
        try:
            if name == "desktop-notifier":
                if env.linux and not env.session_bus:
                    raise RuntimeError("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)")
                dn = await DesktopNotifierNotifier.create(icon=icon, sound=sound)
                if not dn.clickable:
                    log.info("notification server cannot report clicks: use the tray menu")
                impl = dn
                why = "picked" + ("" if dn.clickable else " (no click support on this server)")
            elif name == "plyer":
                impl = await _make_plyer(env)
                why = "picked (no clicks: the tray opens the card)"
            else:
                impl = LogNotifier()
                why = "picked: no notification service answered"
        except ImportError as exc:
            reasons.append((name, f"not installed ({exc.name or exc})"))
            continue
        except Exception as exc:
            reasons.append((name, _short(exc) or "timed out"))
            continue
        if name != order[0]:
            failed = "; ".join(f"{c}: {w}" for c, w in reasons)
            log.warning("notifications via %s (%s)", name, failed)
        reasons.append((name, why))
        reasons += [(later, f"not tried: {name} comes first") for later in order[i + 1 :]]
        impl.dnd = dnd
        impl.sound = sound
        return Picked(impl, name, tuple(reasons))
    last = LogNotifier()
    last.dnd = dnd
    reasons.append(("log", "picked: nothing else allowed"))
    return Picked(last, "log", tuple(reasons))
