"""D-Bus idle counters: GNOME Mutter ``IdleMonitor.GetIdletime`` and
``org.freedesktop.ScreenSaver.GetSessionIdleTime`` (KDE on X11; GNOME and KDE-Wayland answer
NotSupported).

Why jeepney and not dbus-fast here: ``seconds_since_last_input`` is a plain synchronous call
made from the worker loop at engine deadlines, and dbus-fast is asyncio-only (a sync wrapper
would have to run a second loop or block on the worker loop it lives on). jeepney's blocking
API does one round trip on its own private connection with a timeout (pure Python, tiny). All
signal watching (lock, sleep, notifications) stays on dbus-fast on the worker loop.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_TIMEOUT_S = 2.0


class _BlockingCall:
    def __init__(self, bus_name: str, path: str, interface: str, method: str) -> None:
        self._target = (bus_name, path, interface, method)
        self._conn: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        bus_name, path, interface, method = self._target
        with self._lock:
            if self._conn is None:
                self._conn = open_dbus_connection(bus="SESSION")
            addr = DBusAddress(path, bus_name=bus_name, interface=interface)
            try:
                reply = self._conn.send_and_get_reply(
                    new_method_call(addr, method), timeout=_TIMEOUT_S
                )
            except (OSError, TimeoutError):
                self._close_locked()
                raise
            return unwrap_msg(reply)[0]

    def _close_locked(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._close_locked()


class _DBusIdle:
    name = "dbus"
    _unit_s = 1.0

    def __init__(self, call: _BlockingCall) -> None:
        self._call = call
        self._failing = False
        self._read()  # probe: raises if the service is absent or says NotSupported

    def _read(self) -> float:
        return float(self._call()) * self._unit_s

    def seconds_since_last_input(self) -> float:
        """Never raises: on failure returns 0.0 and logs one warning per outage."""
        try:
            value = self._read()
        except Exception as exc:
            if not self._failing:
                log.warning("%s idle counter unavailable: %s", self.name, exc)
            self._failing = True
            return 0.0
        self._failing = False
        return value

    def close(self) -> None:
        self._call.close()


class MutterIdle(_DBusIdle):
    name = "gnome-mutter"
    _unit_s = 0.001  # milliseconds

    def __init__(self) -> None:
        super().__init__(
            _BlockingCall(
                "org.gnome.Mutter.IdleMonitor",
                "/org/gnome/Mutter/IdleMonitor/Core",
                "org.gnome.Mutter.IdleMonitor",
                "GetIdletime",
            )
        )


class FreedesktopScreenSaverIdle(_DBusIdle):
    name = "freedesktop-screensaver"
    _unit_s = 1.0  # seconds

    def __init__(self) -> None:
        super().__init__(
            _BlockingCall(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                "GetSessionIdleTime",
            )
        )
