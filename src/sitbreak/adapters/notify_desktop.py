"""Clickable nudges through desktop-notifier (Linux D-Bus, macOS UserNotifications, Windows
toasts). Must live on the runtime's worker asyncio loop: desktop-notifier's callbacks run there.

One nudge on screen at a time: ``show`` closes the previous one first, and each nudge answers at
most once (a button press can be followed by a close from the server; a replaced nudge's late
callbacks are ignored).
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

BUTTONS: tuple[tuple[str, NudgeAnswerName], ...] = (
    (N_("Snooze"), "snooze"),
    (N_("Done"), "done"),
    (N_("Skip"), "skip"),
)
PROBE_TIMEOUT_S = 5.0


class DesktopNotifierNotifier(DndAware):
    name = "desktop-notifier"

    def __init__(
        self,
        notifier: Any,
        capabilities: frozenset[Any],
        *,
        sound: bool = False,
        timeout_s: int = -1,
    ) -> None:
        from desktop_notifier import Capability

        self._notifier = notifier
        self.capabilities = capabilities
        self.clickable = Capability.ON_CLICKED in capabilities
        self.has_buttons = Capability.BUTTONS in capabilities
        # does the notification server play a sound itself (D-Bus capability "sound")?
        self.server_plays_sound = Capability.SOUND in capabilities
        self.sound = sound  # notifications.sound; the runtime changes it on a config reload
        self._timeout_s = timeout_s
        self._current: str | None = None
        # The server's id of the last nudge: desktop-notifier forgets it when a button is
        # pressed, but dunst keeps a bubble whose action came from its menu on screen.
        self._server_id: int | None = None
        self._generation = 0

    @classmethod
    async def create(
        cls, *, app_name: str = "sitbreak", icon: Path | None = None, sound: bool = False
    ) -> DesktopNotifierNotifier:
        """Connect and ask the server what it can do; raises if there is no server."""
        from desktop_notifier import DesktopNotifier, Icon

        notifier = DesktopNotifier(app_name=app_name, app_icon=Icon(path=icon) if icon else None)
        caps = await asyncio.wait_for(notifier.get_capabilities(), PROBE_TIMEOUT_S)
        if not caps:
            raise Unavailable(N_("the notification service reports no capabilities"))
        return cls(notifier, caps, sound=sound)

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        from desktop_notifier import Button

        await self.withdraw()
        self._generation += 1
        generation = self._generation

        def once(name: NudgeAnswerName) -> Callable[[], None]:
            def fire() -> None:
                if self._generation != generation:
                    return  # a replaced or withdrawn nudge
                self._generation += 1  # answered: ignore whatever else arrives for it
                self._current = None
                answer(name)

            return fire

        buttons = [Button(title=_(t), on_pressed=once(n)) for t, n in BUTTONS]
        try:
            self._current = await self._send(view, buttons, once)
            self._server_id = self._server_id_of(self._current)
        except Exception as exc:  # the server went away, the bus closed…: never crash the loop
            log.warning("could not show the nudge (%s): %s — %s", exc, view.title, view.body)

    def _server_id_of(self, identifier: str) -> int | None:
        backend = getattr(self._notifier, "_backend", None)
        ids = getattr(backend, "_platform_to_interface_notification_identifier", None)
        try:
            return None if ids is None else ids.inverse.get(identifier)
        except Exception:
            return None

    async def _close_answered(self, server_id: int) -> None:
        """Close a bubble desktop-notifier no longer tracks (D-Bus servers only)."""
        interface = getattr(getattr(self._notifier, "_backend", None), "interface", None)
        if interface is not None and hasattr(interface, "call_close_notification"):
            await interface.call_close_notification(server_id)

    async def _send(
        self,
        view: NudgeView,
        buttons: list[Any],
        once: Callable[[NudgeAnswerName], Callable[[], None]],
    ) -> str:
        from desktop_notifier import DEFAULT_SOUND, Urgency

        own_sound = self.sound and not self.server_plays_sound
        if own_sound:  # a server that plays none (dunst, for one): play the cue ourselves
            from sitbreak.sound import play_soon

            await play_soon("nudge")
        body = view.body
        if view.kind == "stretch" and self.clickable:
            body += _(" · click for the stretch card")
        identifier: str = await self._notifier.send(
            title=view.title,
            message=body,
            urgency=Urgency.Normal,
            buttons=buttons if self.has_buttons else (),
            on_clicked=once("clicked"),
            on_dismissed=once("dismissed"),
            sound=DEFAULT_SOUND if self.sound and self.server_plays_sound else None,
            timeout=self._timeout_s,
        )
        return identifier

    async def withdraw(self) -> None:
        current, self._current = self._current, None
        server_id, self._server_id = self._server_id, None
        self._generation += 1
        try:
            if current is not None:
                await self._notifier.clear(current)
            elif server_id is not None:  # answered from the bubble: take it off the screen too
                await self._close_answered(server_id)
        except Exception as exc:  # already closed by the server, bus gone…
            log.debug("could not withdraw the previous nudge: %s", exc)

    async def alert(self, title: str, message: str) -> None:
        from desktop_notifier import Urgency

        try:
            await self._notifier.send(title=title, message=message, urgency=Urgency.Normal)
        except Exception as exc:
            log.warning("could not show an alert (%s): %s — %s", exc, title, message)

    async def close(self) -> None:
        await self.withdraw()
        await self._close_dnd()
