"""The stretch card slot: at most one card process at a time, opened from a nudge click, the tray
or the first run's safety intro; its answer goes back to the engine."""

from __future__ import annotations

import contextlib
import logging
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sitbreak.adapters.base import CardAnswer
from sitbreak.engine import commands as cmd
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

log = logging.getLogger("sitbreak.daemon.runtime")

_ANSWERS: dict[str, Callable[[float], ev.Event]] = {
    "done": ev.Done,
    "snooze": ev.Snooze,
    "skip": ev.Skip,
}


class CardSlot:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self.is_open = False

    def open(self, item: str, show: cmd.ShowNudge | None) -> None:
        if self.is_open:
            log.info("stretch card already open")
            return
        self.is_open = True
        self._rt.spawn(self._session(item, show), "card")

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

    async def _session(self, item: str, show: cmd.ShowNudge | None) -> None:
        rt = self._rt
        try:
            if show is not None:
                rt.feed_now(ev.Opened)
            held = 0.0  # seconds held on this card and on any "another" before it
            while True:
                answer: CardAnswer = await rt.parts.card.open(item)
                held += rt.parts.card.held_s
                log.info("card answer: %s (held %.0f s)", answer, rt.parts.card.held_s)
                if answer != "another":
                    break
                item = self._another_item(show.kind if show else "stretch", item)
            if answer == "done":
                rt.feed_now(lambda at: ev.Done(at, held_s=held))  # the break is what was held
            elif (make := _ANSWERS.get(answer)) is not None:
                rt.feed_now(make)
        except Exception as exc:
            log.warning("stretch card failed: %s", exc)
        finally:
            self.is_open = False

    def _another_item(self, kind: str, current: str) -> str:
        ids = [i for i in self._rt.policy.items.ids(kind) if i != current]
        return random.choice(ids) if ids else current
