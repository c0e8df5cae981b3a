"""Noticing that the desktop session is over: the X server or the D-Bus session bus went away.

Either means the user logged out or the desktop crashed. Without them sitbreak can neither
notify nor see the screen lock, so the daemon stops cleanly (exit 0, one log line, socket
removed) as GLib applications do, instead of nudging into nothing or being killed by GDK.

One thread holds a connection to each and sleeps in ``select`` until one of them closes (end
of file); nothing is polled. The X connection selects no events; whatever the server sends
anyway (MappingNotify) is read and dropped. On Wayland, Xwayland may come and go with the
session still on, so only the session bus is watched there.

GDK (the GTK tray) has its own X connection and calls ``_exit(1)`` from libX11's fatal I/O
error handler: when libX11 is already loaded in this process, that handler is replaced by one
that reports the end and parks its thread while the daemon shuts down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.environment import DesktopEnv

log = logging.getLogger(__name__)

OnEnd = Callable[[str], None]  # called once, from the watch thread, with what went away


class SessionEndWatch:
    def __init__(self, on_end: OnEnd) -> None:
        self._on_end = on_end
        self._ended = threading.Event()
        self._conns: dict[int, tuple[str, Any]] = {}  # fd -> (what, connection object)
        self._io_handler: Any = None  # keeps the ctypes callback alive

    def add_x_display(self, name: str) -> None:
        from sitbreak.adapters.x11_wire import X11Wire  # no client library for a bare connection

        d = X11Wire(name or None)
        self._conns[d.fileno()] = (f"the X display {name or os.environ.get('DISPLAY', '')}", d)

    def add_session_bus(self) -> None:
        from jeepney.io.blocking import open_dbus_connection

        conn = open_dbus_connection(bus="SESSION")
        self._conns[conn.sock.fileno()] = ("the D-Bus session bus", conn)

    def start(self) -> None:
        if self._conns:
            threading.Thread(target=self._watch, name="sitbreak-session-end", daemon=True).start()

    def _watch(self) -> None:
        fds = list(self._conns)
        while True:
            try:
                ready, _, _ = select.select(fds, [], [])
            except OSError as exc:  # not expected: stop watching rather than spin
                log.debug("session watch ends: %s", exc)
                return
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    self.end(self._conns[fd][0])
                    return

    def end(self, what: str) -> None:
        """Report the end once (from any thread)."""
        if self._ended.is_set():
            return
        self._ended.set()
        self._on_end(what)

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    def guard_libx11(self) -> None:
        """Route libX11's fatal I/O error (GDK's X connection) here instead of ``_exit(1)``."""
        lib = _loaded_libx11()
        if lib is None:
            return
        import ctypes  # only with libX11 loaded (the GTK tray): never for the usual daemon

        handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)

        def on_io_error(_display: int | None) -> int:
            self.end("the X display")
            threading.Event().wait()  # libX11 exits if this returns; the daemon exits first
            return 0

        self._io_handler = handler_type(on_io_error)
        lib.XSetIOErrorHandler.restype = ctypes.c_void_p
        lib.XSetIOErrorHandler.argtypes = [handler_type]
        lib.XSetIOErrorHandler(self._io_handler)


def _loaded_libx11() -> Any:
    """libX11 if something (GDK) has already loaded it; never loads it just for this."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            if "/libX11.so" not in maps.read():
                return None
        import ctypes

        return ctypes.CDLL("libX11.so.6")
    except OSError:
        return None


def watch_session_end(on_end: OnEnd, env: DesktopEnv | None = None) -> SessionEndWatch | None:
    """Start watching the X display (X11 sessions) and the session bus; None if neither is
    there to watch (headless, other platforms). Each that cannot be reached is skipped."""
    env = env or DesktopEnv.detect()
    if not env.linux:
        return None
    watch = SessionEndWatch(on_end)
    if env.x11:
        try:
            watch.add_x_display(env.display)
        except Exception as exc:
            log.debug("session end: not watching the X display (%s)", exc)
    if env.session_bus:
        try:
            watch.add_session_bus()
        except Exception as exc:
            log.debug("session end: not watching the session bus (%s)", exc)
    if env.x11:
        with contextlib.suppress(Exception):
            watch.guard_libx11()
    watch.start()
    return watch
