"""Do-not-disturb detection, so the runtime can defer (not drop) a nudge.

Linux: the freedesktop Notifications ``Inhibited`` property (spec 1.3; KDE), dunst's
``org.dunstproject.cmd0.paused``, GNOME's ``org.gnome.desktop.notifications show-banners``, and
on X11 a fullscreen active window (a video, a presentation).
Windows Focus Assist and macOS Focus have no public query API: never reported there.
Any failure reads as "not in do-not-disturb".
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from typing import Any

from sitbreak.adapters.environment import DesktopEnv
from sitbreak.oneshot import in_thread

log = logging.getLogger(__name__)

_PATH = "/org/freedesktop/Notifications"
_PROPS = (("org.freedesktop.Notifications", "Inhibited"), ("org.dunstproject.cmd0", "paused"))
_TIMEOUT_S = 2.0


class DoNotDisturb:
    def __init__(self, env: DesktopEnv | None = None) -> None:
        self._env = env or DesktopEnv.detect()
        self._bus: Any = None

    async def active(self) -> bool:
        return await self.reason() is not None

    async def reason(self) -> str | None:
        """Why a nudge should wait now ("do-not-disturb", "fullscreen window"), or None."""
        if not self._env.linux:
            return None
        try:
            if await asyncio.wait_for(self._dbus_says_inhibited(), _TIMEOUT_S):
                return "do-not-disturb"
        except Exception as exc:
            log.debug("do-not-disturb over D-Bus unknown: %s", exc)
            await self.close()
        if self._env.gnome and await self._gnome_banners_off():
            return "do-not-disturb"
        if self._env.x11 and await in_thread(fullscreen_window_x11):
            return "fullscreen window"
        return None

    async def _dbus_says_inhibited(self) -> bool:
        from dbus_fast import Message, MessageType
        from dbus_fast.aio import MessageBus

        if self._bus is None or not self._bus.connected:
            self._bus = await MessageBus().connect()
        for iface, prop in _PROPS:
            reply = await self._bus.call(
                Message(
                    destination="org.freedesktop.Notifications",
                    path=_PATH,
                    interface="org.freedesktop.DBus.Properties",
                    member="Get",
                    signature="ss",
                    body=[iface, prop],
                )
            )
            if reply.message_type == MessageType.METHOD_RETURN and reply.body[0].value is True:
                return True
        return False

    async def _gnome_banners_off(self) -> bool:
        gsettings = shutil.which("gsettings")
        if gsettings is None:
            return False
        try:
            proc = await asyncio.create_subprocess_exec(
                gsettings, "get", "org.gnome.desktop.notifications", "show-banners",
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            out, _ = await asyncio.wait_for(proc.communicate(), _TIMEOUT_S)
        except Exception as exc:
            log.debug("gsettings show-banners unknown: %s", exc)
            return False
        return out.strip() == b"false"

    async def close(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.disconnect()


def fullscreen_window_x11(display_name: str | None = None) -> bool:
    """Is the active window fullscreen (EWMH ``_NET_WM_STATE_FULLSCREEN``)? Reads only window
    states, never titles. False when unknown (no window manager, no X)."""
    from sitbreak.adapters.x11_wire import X11Wire

    try:
        conn = X11Wire(display_name)
    except OSError:
        return False
    try:
        active = conn.cardinals(conn.root, conn.atom("_NET_ACTIVE_WINDOW"), 1)
        if not active or not active[0]:
            return False
        state = conn.cardinals(active[0], conn.atom("_NET_WM_STATE"))
        return conn.atom("_NET_WM_STATE_FULLSCREEN") in state
    except OSError:  # an X error, a window that vanished meanwhile, …
        return False
    finally:
        conn.close()


class DndAware:
    """Mixin for notifiers: ``await dnd_active()``; the factory sets ``dnd``."""

    dnd: DoNotDisturb | None = None

    async def dnd_active(self) -> bool:
        return await self.dnd.active() if self.dnd is not None else False

    async def _close_dnd(self) -> None:
        if self.dnd is not None:
            await self.dnd.close()
