"""Nudge presentation: what is on screen, what waits for do-not-disturb to end, and the one queue
through which every notifier call goes (show, then withdraw, never crossed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sitbreak.adapters.base import NudgeAnswerName
from sitbreak.engine import commands as cmd
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger("sitbreak.daemon.runtime")

# the engine event for each answer a nudge or a card can give
ANSWER_EVENTS: dict[str, Callable[[float], ev.Event]] = {
    "done": ev.Done,
    "snooze": ev.Snooze,
    "skip": ev.Skip,
}


class NudgePresenter:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self.shown: cmd.ShowNudge | None = None  # what the engine considers on screen
        self.deferred: cmd.ShowNudge | None = None  # due, held back by do-not-disturb
        self._token = 0
        # asyncio queues bind to a loop only when first used: safe to make before the loop runs
        self._ops: asyncio.Queue[Callable[[], Awaitable[None]] | None] = asyncio.Queue()

    # -- the notifier queue ---------------------------------------------------------------

    async def run_ops(self) -> None:
        """Notifier calls run one at a time, in order. Ends after ``close_queue``."""
        while True:
            op = await self._ops.get()
            if op is None:
                return
            try:
                await op()
            except Exception as exc:
                log.warning("notifier %s failed: %s", self._rt.parts.notifier.name, exc)

    def enqueue(self, op: Callable[[], Awaitable[None]]) -> None:
        self._ops.put_nowait(op)

    def alert(self, title: str, body: str) -> None:
        self.enqueue(lambda: self._rt.parts.notifier.alert(title, body))

    def close_queue(self) -> None:
        """At shutdown: take the nudge off the screen, then let the queue end."""
        if self.shown is not None:
            self._ops.put_nowait(self._rt.parts.notifier.withdraw)
        self._ops.put_nowait(None)

    # -- engine commands ------------------------------------------------------------------

    def show(self, c: cmd.ShowNudge) -> None:
        self.shown = c
        self.deferred = None
        self._token += 1
        self._rt.spawn(self._show_unless_quiet(c, self._token), "show-nudge")

    def withdraw(self, reason: str) -> None:
        log.info("nudge withdrawn (%s)", reason)
        self.shown = None
        self.deferred = None
        self._token += 1
        self.enqueue(self._rt.parts.notifier.withdraw)

    def retry_deferred(self) -> None:
        if self.deferred is not None:
            self._rt.spawn(self._try_deferred(), "deferred-nudge")

    # -- internals ------------------------------------------------------------------------

    async def _show_unless_quiet(self, show: cmd.ShowNudge, token: int) -> None:
        if await self._is_quiet():
            if token == self._token:
                log.info("nudge deferred: do-not-disturb or fullscreen")
                self.deferred = show
                self._rt.reschedule()
            return
        if token == self._token:
            self.enqueue(lambda: self._present(show, token))

    async def _try_deferred(self) -> None:
        show = self.deferred
        if show is None or await self._is_quiet():
            return
        if self.deferred is show:
            self.deferred = None
            token = self._token
            self.enqueue(lambda: self._present(show, token))

    async def _is_quiet(self) -> bool:
        quiet = self._rt.parts.quiet
        if quiet is None:
            return False
        try:
            return await quiet()
        except Exception as exc:
            log.debug("do-not-disturb check failed: %s", exc)
            return False

    async def _screen_reader_running(self) -> bool:
        check = self._rt.parts.screen_reader
        if check is None:
            return False
        try:
            running = await check()
        except Exception as exc:
            log.debug("screen reader check failed: %s", exc)
            return False
        if running:
            log.info("screen reader running: the nudge carries the steps")
        return running

    async def _present(self, show: cmd.ShowNudge, token: int) -> None:
        if token != self._token:
            return  # withdrawn or replaced while waiting in the queue
        steps = await self._screen_reader_running()
        view = self._rt.parts.describe(show, steps=steps)
        log.info("nudge: %s %s after %.0f s sitting", show.kind, show.item, show.sitting_s)

        def answer(name: NudgeAnswerName) -> None:
            self._on_answer(name, show, token)

        await self._rt.parts.notifier.show(view, answer)

    def _on_answer(self, name: NudgeAnswerName, show: cmd.ShowNudge, token: int) -> None:
        log.info("nudge answer: %s", name)
        if name == "clicked":
            self._rt.cards.open(show.item, show)
            return
        if name == "dismissed":
            return
        if token != self._token:
            log.info("answer %s for a nudge no longer shown; ignored", name)
            return
        self._rt.feed_now(ANSWER_EVENTS[name])
