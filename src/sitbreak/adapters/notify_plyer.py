"""Fallback nudges through plyer: no click callback on any platform, so ``clickable`` is False
and the tray's "Show current stretch" is the way to the card. plyer calls block (Linux spawns
``notify-send``), so they run in a thread.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import NudgeAnswerName, NudgeView
from sitbreak.adapters.dnd import DndAware
from sitbreak.i18n import _

log = logging.getLogger(__name__)


class PlyerNotifier(DndAware):
    name = "plyer"
    clickable = False
    sound = False  # notifications.sound: plyer plays none, so sitbreak plays the cue itself

    def __init__(self, app_name: str = "sitbreak") -> None:
        from plyer import notification

        self._notification: Any = notification
        self._app_name = app_name

    def _notify(self, title: str, message: str) -> None:
        with warnings.catch_warnings():
            # plyer warns on every call that dbus-python is missing; notify-send is used then
            warnings.simplefilter("ignore", UserWarning)
            self._notification.notify(title=title, message=message, app_name=self._app_name)

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        # plyer cannot replace or withdraw a notification: the newest simply appears on top;
        # nothing in it can be clicked, so it says where the card and the answers are
        hint = ""
        if view.kind == "stretch":
            from sitbreak.progname import command

            hint = "\n" + _("The tray icon shows the stretch; or answer with `{done}`, `{snooze}` "
                            "or `{skip}`.").format(done=command("done"), snooze=command("snooze"),
                                                   skip=command("skip"))
        if self.sound:
            from sitbreak.sound import play_soon

            await play_soon("nudge")
        await self.alert(view.title, view.body + hint)

    async def withdraw(self) -> None:
        pass

    async def alert(self, title: str, message: str) -> None:
        try:
            await asyncio.to_thread(self._notify, title, message)
        except Exception as exc:
            log.warning("could not notify (%s): %s — %s", exc, title, message)

    async def close(self) -> None:
        await self._close_dnd()


class LogNotifier(DndAware):
    """Last resort with no notification service at all: one log line per nudge (the tray
    tooltip carries the status)."""

    name = "log"
    clickable = False
    sound = False  # nothing to hear without a notification service

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or log

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        self._log.warning("nudge: %s — %s", view.title, view.body)

    async def withdraw(self) -> None:
        pass

    async def alert(self, title: str, message: str) -> None:
        self._log.warning("%s: %s", title, message)

    async def close(self) -> None:
        await self._close_dnd()
