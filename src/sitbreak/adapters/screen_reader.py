"""Is a screen reader running? Then a nudge carries the whole stretch as text (Tk's card
exposes nothing to screen readers on Linux).

Linux: the AT-SPI bus launcher's ``org.a11y.Status`` properties (``ScreenReaderEnabled``, set
by GNOME's and KDE's screen-reader switch and by Orca; ``IsEnabled``, any assistive technology)
on ``org.a11y.Bus`` on the session bus. Windows: ``SystemParametersInfo(SPI_GETSCREENREADER)``
(Narrator, NVDA and JAWS set it; UNTESTED here). macOS: VoiceOver's ``voiceOverOnOffKey``
preference (UNTESTED here). Any failure reads as "no screen reader".
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from typing import Any

from sitbreak.adapters.environment import DesktopEnv

log = logging.getLogger(__name__)

A11Y_NAME = "org.a11y.Bus"
A11Y_PATH = "/org/a11y/bus"
STATUS_IFACE = "org.a11y.Status"
TIMEOUT_S = 1.0
SPI_GETSCREENREADER = 0x0046


class ScreenReader:
    def __init__(self, env: DesktopEnv | None = None) -> None:
        self._env = env or DesktopEnv.detect()
        self._bus: Any = None

    async def running(self) -> bool:
        try:
            if self._env.linux:
                return await asyncio.wait_for(self._a11y_status(), TIMEOUT_S)
            if self._env.platform == "win32":
                return _windows_screen_reader()
            if self._env.platform == "darwin":
                return await asyncio.to_thread(_voiceover_on)
        except Exception as exc:  # no a11y bus, bus gone…: no screen reader
            log.debug("screen reader unknown: %s", exc)
            await self.close()
        return False

    async def _a11y_status(self) -> bool:
        from dbus_fast import Message, MessageType
        from dbus_fast.aio import MessageBus

        if not self._env.session_bus:
            return False
        if self._bus is None or not self._bus.connected:
            self._bus = await MessageBus().connect()
        for prop in ("ScreenReaderEnabled", "IsEnabled"):
            reply = await self._bus.call(
                Message(
                    destination=A11Y_NAME,
                    path=A11Y_PATH,
                    interface="org.freedesktop.DBus.Properties",
                    member="Get",
                    signature="ss",
                    body=[STATUS_IFACE, prop],
                )
            )
            if reply.message_type != MessageType.METHOD_RETURN:
                return False  # no AT-SPI bus launcher: nobody asked for accessibility
            if bool(reply.body[0].value):
                return True
        return False

    async def close(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.disconnect()


def _windows_screen_reader() -> bool:
    import ctypes

    flag = ctypes.c_int(0)
    user32 = ctypes.windll.user32  # type: ignore[attr-defined,unused-ignore]
    user32.SystemParametersInfoW(SPI_GETSCREENREADER, 0, ctypes.byref(flag), 0)
    return bool(flag.value)


def _voiceover_on() -> bool:
    if sys.platform != "darwin":
        return False
    out = subprocess.run(
        ["defaults", "read", "com.apple.universalaccess", "voiceOverOnOffKey"],
        capture_output=True, text=True, timeout=2, check=False,
    )
    return out.stdout.strip() == "1"
