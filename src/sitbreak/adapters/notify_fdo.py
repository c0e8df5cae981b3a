"""Clickable nudges on Linux: our own org.freedesktop.Notifications client over dbus-fast.

desktop-notifier speaks the same protocol, but importing it (and what it pulls in) costs the
daemon's start ~18 ms CPU, and it introspects the server and parses the XML. Here: plain method
calls and one match rule for the two signals we need. Lives on the runtime's worker asyncio loop.

One nudge on screen at a time: ``show`` closes the previous one first, and each nudge answers at
most once (a button press can be followed by a close from the server; a replaced nudge's late
signals are ignored).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitbreak.adapters.base import NudgeAnswerName, NudgeView, Unavailable
from sitbreak.adapters.dnd import DndAware
from sitbreak.i18n import N_, _

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
MATCH_RULE = f"type='signal',interface='{INTERFACE}',path='{PATH}'"
SIGNALS = ("ActionInvoked", "NotificationClosed")
CLOSED_BY_USER = 2  # NotificationClosed reason: "dismissed by the user"
NAMED_SOUND = "message-new-instant"  # the freedesktop sound theme's message cue
XFCE = "Xfce Notify Daemon"  # announces "actions" but has no default (body click) action
# action key (also the answer's name) and button label
BUTTONS: dict[str, tuple[NudgeAnswerName, str]] = {
    "snooze": ("snooze", N_("Snooze")),
    "done": ("done", N_("Done")),
    "skip": ("skip", N_("Skip")),
}
PROBE_TIMEOUT_S = 5.0
CALL_TIMEOUT_S = 5.0


class FreedesktopNotifier(DndAware):
    name = "freedesktop"

    def __init__(
        self,
        bus: Any,
        capabilities: frozenset[str],
        server_name: str,
        *,
        app_name: str = "sitbreak",
        icon: Path | None = None,
        sound: bool = False,
        timeout_ms: int = -1,
    ) -> None:
        self._bus = bus
        self._app_name = app_name
        self._icon_uri = icon.as_uri() if icon is not None else ""
        self.capabilities = capabilities
        self.server_name = server_name
        self.clickable = "actions" in capabilities and server_name != XFCE
        self.has_buttons = "actions" in capabilities
        self.server_plays_sound = "sound" in capabilities
        self.sound = sound  # notifications.sound; the runtime changes it on a config reload
        self._timeout_ms = timeout_ms
        # The server's id of the last nudge, kept after its answer: dunst keeps a bubble whose
        # action came from its context menu on screen, and withdraw() must still close it.
        self._server_id: int | None = None
        self._answer: Callable[[NudgeAnswerName], None] | None = None  # None: answered/gone
        self._early: list[Any] | None = None  # signals that came while a Notify was in flight
        bus.add_message_handler(self._on_message)

    @classmethod
    async def create(
        cls, *, app_name: str = "sitbreak", icon: Path | None = None, sound: bool = False
    ) -> FreedesktopNotifier:
        """Connect and ask the server what it can do; raises if no server answers."""
        from dbus_fast.aio import MessageBus

        bus = await asyncio.wait_for(MessageBus().connect(), PROBE_TIMEOUT_S)
        try:
            caps = await asyncio.wait_for(_call(bus, "GetCapabilities"), PROBE_TIMEOUT_S)
            info = await asyncio.wait_for(_call(bus, "GetServerInformation"), PROBE_TIMEOUT_S)
            await asyncio.wait_for(_add_match(bus), PROBE_TIMEOUT_S)
        except BaseException:
            bus.disconnect()
            raise
        if not caps or not caps[0]:
            bus.disconnect()
            raise Unavailable(N_("the notification service reports no capabilities"))
        return cls(bus, frozenset(caps[0]), str(info[0]), app_name=app_name, icon=icon,
                   sound=sound)  # fmt: skip

    def _on_message(self, msg: Any) -> None:
        if msg.interface != INTERFACE or msg.member not in SIGNALS or msg.path != PATH:
            return
        if self._early is not None:  # our Notify's reply may not be in yet: look later
            self._early.append(msg)
            return
        self._handle(msg)

    def _handle(self, msg: Any) -> None:
        answer = self._answer
        if answer is None or not msg.body or msg.body[0] != self._server_id:
            return  # another application's bubble, or a replaced/withdrawn/answered nudge
        name: NudgeAnswerName
        if msg.member == "ActionInvoked":
            key = msg.body[1]
            if key == "default":
                name = "clicked"
            elif key in BUTTONS:
                name = BUTTONS[key][0]
            else:
                return
        elif msg.body[1] == CLOSED_BY_USER:
            name = "dismissed"
        else:  # expired or closed by us: no answer
            self._answer = None
            return
        self._answer = None  # answered: ignore whatever else arrives for it
        answer(name)

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        await self.withdraw()
        actions: list[str] = []
        if self.clickable:
            actions += ["default", ""]
        if self.has_buttons:
            for key, (_answer, label) in BUTTONS.items():
                actions += [key, _(label)]
        body = view.body
        if view.kind == "stretch" and self.clickable:
            body += _(" · click for the stretch card")
        try:
            from dbus_fast import Variant

            hints: dict[str, Any] = {"urgency": Variant("y", 1)}
            if self.sound and self.server_plays_sound:
                hints["sound-name"] = Variant("s", NAMED_SOUND)
            elif self.sound:  # a server that plays none (dunst, for one): play the cue ourselves
                from sitbreak.sound import play_soon

                await play_soon("nudge")
            self._early = []
            try:
                reply = await self._notify(view.title, body, actions, hints)
            finally:
                early, self._early = self._early, None
            self._server_id = int(reply[0])
            self._answer = answer
            for msg in early:
                self._handle(msg)
        except Exception as exc:  # the server went away, the bus closed…: never crash the loop
            log.warning("could not show the nudge (%s): %s — %s", exc, view.title, view.body)

    async def _notify(self, title: str, body: str, actions: list[str],
                      hints: dict[str, Any]) -> list[Any]:  # fmt: skip
        return await asyncio.wait_for(
            _call(self._bus, "Notify", "susssasa{sv}i",
                  [self._app_name, 0, self._icon_uri, title, body, actions, hints,
                   self._timeout_ms]),
            CALL_TIMEOUT_S,
        )  # fmt: skip

    async def withdraw(self) -> None:
        server_id, self._server_id = self._server_id, None
        self._answer = None
        if server_id is None:
            return
        try:
            await asyncio.wait_for(
                _call(self._bus, "CloseNotification", "u", [server_id]), CALL_TIMEOUT_S
            )
        except Exception as exc:  # already closed by the server, bus gone…
            log.debug("could not withdraw the previous nudge: %s", exc)

    async def alert(self, title: str, message: str) -> None:
        try:
            from dbus_fast import Variant

            await self._notify(title, message, [], {"urgency": Variant("y", 1)})
        except Exception as exc:
            log.warning("could not show an alert (%s): %s — %s", exc, title, message)

    async def close(self) -> None:
        await self.withdraw()
        await self._close_dnd()
        try:
            self._bus.remove_message_handler(self._on_message)
            self._bus.disconnect()
        except Exception as exc:
            log.debug("closing the notification bus: %s", exc)


async def _call(bus: Any, member: str, signature: str = "", body: list[Any] | None = None,
                *, destination: str = SERVICE, path: str = PATH,
                interface: str = INTERFACE) -> list[Any]:  # fmt: skip
    """One method call; its reply's body, or the D-Bus error raised (dbus-fast returns it)."""
    from dbus_fast import Message, MessageType

    if not bus.connected:
        raise ConnectionError("the session bus connection is closed")
    reply = await bus.call(Message(destination=destination, path=path, interface=interface,
                                   member=member, signature=signature, body=body or []))
    if reply is None:
        raise ConnectionError(f"{member}: no reply")
    if reply.message_type == MessageType.ERROR:
        detail = reply.body[0] if reply.body else ""
        raise RuntimeError(f"{member}: {reply.error_name} {detail}".rstrip())
    return list(reply.body)


async def _add_match(bus: Any) -> None:
    """Have the bus route the server's two signals to us (no proxy object, no introspection)."""
    await _call(bus, "AddMatch", "s", [MATCH_RULE], destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus", interface="org.freedesktop.DBus")  # fmt: skip
