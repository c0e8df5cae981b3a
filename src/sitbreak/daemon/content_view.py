"""Nudge text and the item pool from the content library (plain ids if it cannot load).

The library comes as plain data (``content.catalog``): the daemon does not keep the content
validator resident."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sitbreak import i18n
from sitbreak.adapters.base import NudgeView
from sitbreak.daemon.wiring import Describe, describe_plain
from sitbreak.engine import ItemPool
from sitbreak.engine import commands as cmd
from sitbreak.i18n import _

if TYPE_CHECKING:
    from sitbreak.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Content:
    pool: ItemPool | None  # None: the engine's default pool
    describe: Describe
    problems: list[str] = field(default_factory=list)  # one line per broken user file


def load(settings: Settings) -> Content:
    try:
        from sitbreak.content.catalog import selection_for
    except ImportError:
        log.info("content library not installed; nudges show item ids")
        return Content(None, describe_plain)
    try:
        # Unless the config fixes a seed, a new item order each day (stable within the day,
        # so a config reload does not restart the rotation).
        library, selection = selection_for(settings.content, seed=date.today().toordinal())
    except Exception as exc:  # a broken library must not stop the daemon
        log.warning("content library failed to load (%s); nudges show item ids", exc)
        return Content(None, describe_plain)
    for problem in [*library.problems, *selection.notes]:
        log.warning("%s", problem)
    problems = [str(p) for p in library.problems]
    items: dict[str, Any] = dict(library.items)
    if not items:
        return Content(None, describe_plain, problems)

    def describe(show: cmd.ShowNudge, *, steps: bool = False) -> NudgeView:
        item = items.get(show.item)
        if item is None:
            return describe_plain(show)
        item = library.get(show.item, i18n.current()) or item
        if show.kind == "stretch":
            title = _("Time to stand: {title}").format(title=item.title)
            body = item.dose()  # each notifier adds how to get to the card, where it can
        else:
            title = _("Posture check: {title}").format(title=item.title)
            body = str(item.steps[0]) if item.steps else item.dose()
        if steps:  # a screen reader reads the notification; it cannot read the Tk card
            body = as_text(item)
        return NudgeView(show.kind, show.item, title, body)

    return Content(selection.pool, describe, problems)


def as_text(item: Any) -> str:
    """The whole card as plain text: dose, numbered steps, cautions, the timer's sequence."""
    from sitbreak.content.text import timer_plan

    lines = [f"{item.dose()}. {timer_plan(item)}."]
    lines += [f"{n}. {step}" for n, step in enumerate(item.steps, 1)]
    lines += [_("Caution: {text}").format(text=c) for c in item.cautions]
    return "\n".join(lines)
