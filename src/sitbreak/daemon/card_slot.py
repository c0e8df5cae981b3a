"""The stretch card slot: one card process at a time, opened from a nudge click, the tray or the
first run's safety intro; its answer goes back to the engine.

A new card always opens: a card still on screen (the safety intro, another stretch, or one that
hangs or was stopped) is closed first, within the opener's bounded close time. So a click on a
nudge always shows that nudge's stretch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from pathlib import Path
from typing import TYPE_CHECKING

from sitbreak.adapters.base import CardAnswer
from sitbreak.daemon.nudges import ANSWER_EVENTS
from sitbreak.engine import commands as cmd
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger("sitbreak.daemon.runtime")



class CardSlot:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._session: asyncio.Task[None] | None = None
        self._generation = 0
        self.item: str | None = None  # what the card on screen shows

    @property
    def is_open(self) -> bool:
        return self._session is not None and not self._session.done()

    def open(self, item: str, show: cmd.ShowNudge | None) -> None:
        self._generation += 1
        previous = self._session if self.is_open else None
        self._session = self._rt.spawn(
            self._run(item, show, previous, self._generation), "card"
        )

    def show_current(self) -> None:
        shown = self._rt.nudges.shown
        if shown is not None:
            self.open(shown.item, shown)
        else:
            ids = self._rt.policy.items.ids("stretch")
            self.open(random.choice(ids) if ids else "stretch", None)

    def show_safety_intro(self, marker: Path) -> None:
        """Before the first nudge ever: when to get professional help (once per user)."""
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            # created, never followed through a symlink (O_EXCL does not follow one)
            with contextlib.suppress(FileExistsError):
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            log.warning("could not note that the safety card was shown (%s)", exc)
        log.info("first run: showing the safety card")
        self.open("safety", None)

    async def _run(
        self,
        item: str,
        show: cmd.ShowNudge | None,
        previous: asyncio.Task[None] | None,
        generation: int,
    ) -> None:
        rt = self._rt
        card = rt.parts.card
        try:
            if previous is not None:
                log.info("closing the card on screen (%s) to show %s", self.item, item)
                await card.close()  # bounded: a hung or stopped card is killed
                await asyncio.wait({previous}, timeout=1.0)
            if generation != self._generation:
                return  # yet another card was asked for meanwhile
            if show is not None:
                rt.feed_now(ev.Opened)
            focus = False
            held = 0.0  # seconds held on this card and on any "another" before it
            while True:
                self.item = item
                answer: CardAnswer = await card.open(item, focus=focus)
                held += card.held_s
                log.info("card answer: %s (held %.0f s)", answer, card.held_s)
                if answer != "another" or generation != self._generation:
                    break
                item = self._another_item(show.kind if show else "stretch", item)
                focus = True  # asked for from the card's keyboard: it keeps the keys
            if generation != self._generation:
                pass  # replaced by a newer card: its answer counts, not this one's
            elif answer == "done":
                rt.feed_now(lambda at: ev.Done(at, held_s=held))  # the break is what was held
            elif (make := ANSWER_EVENTS.get(answer)) is not None:
                rt.feed_now(make)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("stretch card failed: %s", exc)
        finally:
            if generation == self._generation:
                self.item = None

    def _another_item(self, kind: str, current: str) -> str:
        ids = [i for i in self._rt.policy.items.ids(kind) if i != current]
        return random.choice(ids) if ids else current
