"""The tray menu as one table, shared by every tray backend (pystray and StatusNotifierItem).

Each entry says its label, what it runs, and when it is enabled or ticked, as functions of the
current ``TrayView``; a backend only translates the table into its own menu objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitbreak.adapters.base import TrayActions, TrayView

PAUSE_CHOICES: tuple[tuple[str, float | None, bool], ...] = (
    ("30 min", 30 * 60.0, False),
    ("1 h", 3600.0, False),
    ("Until tomorrow", None, True),
)


def _always(_view: TrayView) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Entry:
    """One menu line. ``label`` is fixed text or a function of the view; ``run`` is None for a
    line that does nothing (the status line, a submenu's parent, a separator)."""

    label: str | Callable[[TrayView], str] = ""
    run: Callable[[], None] | None = None
    enabled: Callable[[TrayView], bool] = _always
    checked: Callable[[TrayView], bool] | None = None  # a check box when not None
    children: tuple[Entry, ...] = ()
    default: bool = False  # what a left click on the icon does
    separator: bool = False

    def text(self, view: TrayView) -> str:
        return self.label(view) if callable(self.label) else self.label


SEPARATOR = Entry(separator=True)


def _pause(actions: TrayActions, for_s: float | None, until_tomorrow: bool) -> Callable[[], None]:
    def run() -> None:
        actions.pause(for_s, until_tomorrow)

    return run


def menu_entries(actions: TrayActions) -> tuple[Entry, ...]:
    """Status line, stretch now, show current (the default), snooze, pause ▸, resume, I'm
    standing, safety card, open config, statistics, quit."""
    return (
        Entry(lambda v: v.status_line, enabled=lambda _v: False),
        SEPARATOR,
        Entry("Stretch now", actions.stretch_now),
        Entry("Show current stretch", actions.show_current, default=True),
        Entry("Snooze", actions.snooze),
        Entry(
            "Pause",
            children=tuple(
                Entry(label, _pause(actions, for_s, tomorrow))
                for label, for_s, tomorrow in PAUSE_CHOICES
            ),
        ),
        Entry("Resume", actions.resume, enabled=lambda v: v.state == "paused"),
        Entry("I'm standing", actions.toggle_standing, checked=lambda v: v.state == "standing"),
        SEPARATOR,
        Entry("Safety card", actions.safety_card),
        Entry("Open config", actions.open_config),
        Entry("Statistics", actions.statistics),
        SEPARATOR,
        Entry("Quit", actions.quit),
    )
