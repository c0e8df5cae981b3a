"""Linux: idle inhibitors over the session bus (dbus-fast, on the runtime's worker loop).

- GNOME: ``org.gnome.SessionManager.IsInhibited(8)`` (8 = the "idle" flag), asked again on its
  ``InhibitorAdded`` / ``InhibitorRemoved`` signals.
- KDE and others: ``org.freedesktop.PowerManagement.Inhibit.HasInhibit()``, asked again on its
  ``HasInhibitChanged(b)`` signal (KDE routes ``org.freedesktop.ScreenSaver.Inhibit`` there).

Whichever of them the desktop runs; only *whether* something inhibits, never who or why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import PresenceReading
from sitbreak.i18n import N_, Text

log = logging.getLogger(__name__)

GNOME = ("org.gnome.SessionManager", "/org/gnome/SessionManager", "org.gnome.SessionManager")
POWER = ("org.freedesktop.PowerManagement", "/org/freedesktop/PowerManagement/Inhibit",
         "org.freedesktop.PowerManagement.Inhibit")
_BUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
INHIBIT_IDLE = 8
_TIMEOUT_S = 2.0


class DbusInhibitors:
    name = "idle inhibitors (D-Bus)"
    pushes = True

    def __init__(self) -> None:
        self._bus: Any = None
        self._on_change: Callable[[], None] | None = None
        self._inhibited: dict[str, bool] = {}
        self._watching: list[str] = []
        self._state = Text(N_("not started"))
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, on_change: Callable[[], None]) -> None:
        from dbus_fast.aio import MessageBus

        self._on_change = on_change
        try:
            self._bus = await asyncio.wait_for(MessageBus().connect(), _TIMEOUT_S)
        except Exception as exc:
            self._state = Text(N_("no session bus: {error}"), error=str(exc))
            log.info("idle inhibitors: %s", self._state)
            return
        for name, path, iface in (GNOME, POWER):
            try:
                await self._call(_BUS, "AddMatch", "s",
                                 [f"type='signal',sender='{name}',path='{path}',interface='{iface}'"])
            except Exception as exc:
                log.debug("idle inhibitors: cannot subscribe to %s (%s)", name, exc)
                continue
            self._watching.append(name)
        self._bus.add_message_handler(self._on_message)
        for name in self._watching:
            await self._refresh(name)
        present = [n for n in self._watching if n in self._inhibited]
        self._state = (Text(N_("watching {names}"), names=", ".join(present)) if present else
                       Text(N_("neither org.gnome.SessionManager nor "
                               "org.freedesktop.PowerManagement answers (asked again when they "
                               "signal)")))
        log.info("idle inhibitors: %s", self._state)

    def read(self) -> PresenceReading:
        return PresenceReading(inhibited=any(self._inhibited.values()))

    def describe(self) -> Text:
        if self.read().inhibited:
            return Text(N_("{state}; inhibited now"), state=self._state)
        return Text(N_("{state}; not inhibited now"), state=self._state)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        bus, self._bus = self._bus, None
        if bus is not None:
            with contextlib.suppress(Exception):
                bus.disconnect()
        self._on_change = None

    # -- internals ------------------------------------------------------------------------

    async def _call(self, target: tuple[str, str, str], member: str, sig: str,
                    body: list[Any]) -> Any:
        from dbus_fast import Message, MessageType

        dest, path, iface = target
        reply = await asyncio.wait_for(self._bus.call(Message(
            destination=dest, path=path, interface=iface, member=member, signature=sig,
            body=body)), _TIMEOUT_S)
        if reply.message_type == MessageType.ERROR:
            raise RuntimeError(reply.error_name)
        return reply.body

    async def _refresh(self, name: str) -> None:
        try:
            if name == GNOME[0]:
                body = await self._call(GNOME, "IsInhibited", "u", [INHIBIT_IDLE])
            else:
                body = await self._call(POWER, "HasInhibit", "", [])
            inhibited = bool(body[0])
        except Exception as exc:
            log.debug("idle inhibitors: %s does not answer (%s)", name, exc)
            self._inhibited.pop(name, None)
            return
        before = any(self._inhibited.values())
        self._inhibited[name] = inhibited
        if any(self._inhibited.values()) != before:
            log.info("idle inhibitor %s", "held" if not before else "released")
            if self._on_change is not None:
                self._on_change()

    def _on_message(self, msg: Any) -> None:
        from dbus_fast import MessageType

        if msg.message_type != MessageType.SIGNAL:
            return
        if msg.interface == GNOME[2] and msg.member in ("InhibitorAdded", "InhibitorRemoved"):
            name = GNOME[0]
        elif msg.interface == POWER[2] and msg.member == "HasInhibitChanged":
            name = POWER[0]
        else:
            return
        task = asyncio.ensure_future(self._refresh(name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
