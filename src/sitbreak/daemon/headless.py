"""Parts for running without a desktop: nudges printed to the terminal, no card window."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from sitbreak.adapters.base import CardAnswer, NudgeAnswerName, NudgeView
from sitbreak.i18n import _
from sitbreak.progname import command

log = logging.getLogger(__name__)


class TerminalNotifier:
    """Prints nudges (and logs them); answers come from the CLI (`sitbreak snooze`, …)."""

    name = "terminal"
    clickable = False
    sound = False  # a terminal line makes no sound

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out

    def _print(self, text: str) -> None:
        out = self._out or sys.stdout
        with contextlib.suppress(OSError, ValueError):  # terminal gone; the log still has it
            print(text, file=out, flush=True)

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        log.info("nudge shown: %s %s", view.kind, view.item)
        hint = ""
        if view.kind == "stretch":  # nothing here can be clicked: say how to answer
            hint = "\n[sitbreak] " + _("answer with `{done}`, `{snooze}` or `{skip}`; the steps: "
                                       "`{steps}`").format(
                done=command("done"), snooze=command("snooze"), skip=command("skip"),
                steps=command("content", "show", view.item))
        self._print(f"[sitbreak] {view.title} — {view.body}{hint}")

    async def withdraw(self) -> None:
        pass

    async def dnd_active(self) -> bool:
        return False  # a terminal line disturbs nobody

    async def alert(self, title: str, message: str) -> None:
        log.info("alert: %s: %s", title, message)
        self._print(f"[sitbreak] {title}: {message}")

    async def close(self) -> None:
        pass


class NoCard:
    """No window system: the card cannot open; say so once and treat it as closed."""

    name = "none"
    held_s = 0.0

    async def _closed(self, item: str) -> CardAnswer:
        log.info("no stretch card without a display (item %s)", item)
        return "closed"

    def open(self, item: str, *, focus: bool = False) -> Awaitable[CardAnswer]:
        return self._closed(item)

    async def close(self) -> None:
        pass
