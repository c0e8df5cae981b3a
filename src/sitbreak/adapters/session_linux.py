"""Linux lock/suspend watcher over D-Bus (dbus-fast, on the runtime's worker loop).

System bus (logind): ``Manager.PrepareForSleep(b)`` → sleep/wake; on our own session object
``Lock``/``Unlock`` signals and ``PropertiesChanged(LockedHint)`` → lock/unlock.
Session bus: ``ActiveChanged(b)`` of the desktop's screensaver service (``org.gnome.ScreenSaver``,
``org.freedesktop.ScreenSaver`` except on GNOME where it never emits, Cinnamon/MATE/Xfce).

Match rules name the well-known sender, so the bus only delivers signals from the real owner of
``org.freedesktop.login1`` / the screensaver name. Several sources can report the same lock:
events are emitted only when the state changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import SessionEventName
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.i18n import N_, Text

log = logging.getLogger(__name__)

LOGIND_LABEL = Text(N_("logind (system bus)"))
SCREENSAVER_LABEL = Text(N_("screensaver (session bus)"))

LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
MANAGER_IFACE = "org.freedesktop.login1.Manager"
SESSION_IFACE = "org.freedesktop.login1.Session"
PROPS_IFACE = "org.freedesktop.DBus.Properties"

SCREENSAVERS = {
    "org.gnome.ScreenSaver": "/org/gnome/ScreenSaver",
    "org.freedesktop.ScreenSaver": "/org/freedesktop/ScreenSaver",
    "org.cinnamon.ScreenSaver": "/org/cinnamon/ScreenSaver",
    "org.mate.ScreenSaver": "/org/mate/ScreenSaver",
    "org.xfce.ScreenSaver": "/org/xfce/ScreenSaver",
}


def logind_session_path(session_id: str) -> str:
    """Object path logind uses for a session id (sd_bus_path_encode)."""
    if not session_id:
        return f"{LOGIND_PATH}/session/_"
    out = []
    for i, ch in enumerate(session_id):
        if re.fullmatch(r"[A-Za-z0-9]", ch) and not (i == 0 and ch.isdigit()):
            out.append(ch)
        else:
            out.extend(f"_{b:02x}" for b in ch.encode())
    return f"{LOGIND_PATH}/session/" + "".join(out)


def _rule(**kw: str) -> str:
    return ",".join(f"{k}='{v}'" for k, v in {"type": "signal", **kw}.items())


class LinuxSessionWatcher:
    name = "linux-dbus"

    def __init__(self, env: DesktopEnv | None = None, session_id: str | None = None) -> None:
        self._env = env or DesktopEnv.detect()
        self._session_id = (
            session_id if session_id is not None else os.environ.get("XDG_SESSION_ID", "")
        )
        self._buses: list[Any] = []
        self._emit: Callable[[SessionEventName], None] | None = None
        self._locked: dict[str, bool] = {}  # per source; locked when any says so
        self._asleep = False
        self.session_path: str | None = None
        # what start() managed to watch, on which bus (for doctor)
        self.status: list[tuple[Text, Text]] = []

    async def start(self, emit: Callable[[SessionEventName], None]) -> None:
        """Connect to the system and session buses; each failure is logged once, never raised."""
        self._emit = emit
        await self._start_system()
        await self._start_session()

    async def _connect(self, which: str) -> Any:
        from dbus_fast import BusType
        from dbus_fast.aio import MessageBus

        bus_type = BusType.SYSTEM if which == "system" else BusType.SESSION
        return await MessageBus(bus_type=bus_type).connect()

    async def _add_match(self, bus: Any, rule: str) -> None:
        from dbus_fast import Message

        reply = await bus.call(
            Message(
                destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus",
                member="AddMatch",
                signature="s",
                body=[rule],
            )
        )
        _check(reply)

    async def _start_system(self) -> None:
        try:
            bus = await self._connect("system")
        except Exception as exc:
            self.status.append((LOGIND_LABEL, Text(N_("unavailable: {error}"), error=str(exc))))
            log.info("no system bus (%s): suspend/lock come from the clock backstop only", exc)
            return
        self._buses.append(bus)
        self.session_path = await self._resolve_session(bus)
        try:
            await self._add_match(
                bus, _rule(sender=LOGIND, interface=MANAGER_IFACE, member="PrepareForSleep")
            )
            if self.session_path is not None:
                await self._add_match(
                    bus, _rule(sender=LOGIND, interface=SESSION_IFACE, path=self.session_path)
                )
                await self._add_match(
                    bus,
                    _rule(
                        sender=LOGIND,
                        interface=PROPS_IFACE,
                        member="PropertiesChanged",
                        path=self.session_path,
                    ),
                )
        except Exception as exc:
            self.status.append((LOGIND_LABEL, Text(N_("cannot subscribe: {error}"),
                                                   error=str(exc))))
            return
        bus.add_message_handler(self._on_system)
        if self.session_path is None:
            what = Text(N_("watching PrepareForSleep only (no logind session found for "
                           "lock/unlock)"))
        else:
            what = Text(N_("watching PrepareForSleep and lock of {path}"), path=self.session_path)
        self.status.append((LOGIND_LABEL, what))

    async def _resolve_session(self, bus: Any) -> str | None:
        from dbus_fast import Message, MessageType

        for arg in ("auto", self._session_id):
            if not arg:
                continue
            try:
                reply = await bus.call(
                    Message(
                        destination=LOGIND,
                        path=LOGIND_PATH,
                        interface=MANAGER_IFACE,
                        member="GetSession",
                        signature="s",
                        body=[arg],
                    )
                )
            except Exception:
                break
            if reply.message_type == MessageType.METHOD_RETURN:
                return str(reply.body[0])
        return logind_session_path(self._session_id) if self._session_id else None

    async def _start_session(self) -> None:
        try:
            bus = await self._connect("session")
        except Exception as exc:
            self.status.append((SCREENSAVER_LABEL, Text(N_("unavailable: {error}"),
                                                        error=str(exc))))
            log.info("no session bus (%s): screensaver lock signals not watched", exc)
            return
        self._buses.append(bus)
        names = [
            n
            for n in SCREENSAVERS
            # GNOME's org.freedesktop.ScreenSaver is an inhibit-only proxy that never emits
            if not (n == "org.freedesktop.ScreenSaver" and self._env.gnome)
        ]
        try:
            for name in names:
                await self._add_match(bus, _rule(sender=name, member="ActiveChanged"))
        except Exception as exc:
            self.status.append((SCREENSAVER_LABEL, Text(N_("cannot subscribe: {error}"),
                                                        error=str(exc))))
            return
        bus.add_message_handler(self._on_session)
        self.status.append((SCREENSAVER_LABEL, Text(N_("watching {names}"),
                                                    names=", ".join(names))))

    def _on_system(self, msg: Any) -> None:
        from dbus_fast import MessageType

        if msg.message_type != MessageType.SIGNAL:
            return
        if msg.interface == MANAGER_IFACE and msg.member == "PrepareForSleep":
            self._set_asleep(bool(msg.body[0]))
        elif msg.path == self.session_path:
            if msg.interface == SESSION_IFACE and msg.member in ("Lock", "Unlock"):
                self._set_locked("logind", msg.member == "Lock")
            elif msg.interface == PROPS_IFACE and msg.member == "PropertiesChanged":
                iface, changed = msg.body[0], msg.body[1]
                if iface == SESSION_IFACE and "LockedHint" in changed:
                    self._set_locked("logind", bool(changed["LockedHint"].value))

    def _on_session(self, msg: Any) -> None:
        from dbus_fast import MessageType

        if (
            msg.message_type == MessageType.SIGNAL
            and msg.member == "ActiveChanged"
            and msg.interface in SCREENSAVERS
            and msg.signature == "b"
        ):
            self._set_locked(msg.interface, bool(msg.body[0]))

    def _set_asleep(self, asleep: bool) -> None:
        if asleep != self._asleep:
            self._asleep = asleep
            self._fire("sleep" if asleep else "wake")

    def _set_locked(self, source: str, locked: bool) -> None:
        before = any(self._locked.values())
        self._locked[source] = locked
        after = any(self._locked.values())
        if not locked and before:
            # an unlock from any source ends the lock (sources may not all report unlock)
            self._locked = dict.fromkeys(self._locked, False)
            after = False
        if after != before:
            self._fire("lock" if after else "unlock")

    def _fire(self, name: SessionEventName) -> None:
        log.debug("session event: %s", name)
        if self._emit is not None:
            self._emit(name)

    async def close(self) -> None:
        buses, self._buses = self._buses, []
        for bus in buses:
            with contextlib.suppress(Exception):
                bus.disconnect()
        self._emit = None


def _check(reply: Any) -> None:
    from dbus_fast import MessageType

    if reply.message_type == MessageType.ERROR:
        raise RuntimeError(f"{reply.error_name}: {reply.body[0] if reply.body else ''}")
