"""The tray menu as one table, shared by every tray backend (pystray and StatusNotifierItem).

Each entry says its label, what it runs, and when it is enabled or ticked, as functions of the
current ``TrayView``; a backend only translates the table into its own menu objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitbreak.adapters.base import TrayActions, TrayView
from sitbreak.i18n import N_, _

PAUSE_CHOICES: tuple[tuple[str, float | None, bool], ...] = (
    (N_("30 min"), 30 * 60.0, False),
    (N_("1 h"), 3600.0, False),
    (N_("Until tomorrow"), None, True),
)


def _always(_view: TrayView) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Entry:
    """One menu line. ``label`` is a msgid (translated when shown, so a language change in the
    config shows at the next update) or a function of the view; ``run`` is None for a line
    that does nothing (the status line, a submenu's parent, a separator)."""

    label: str | Callable[[TrayView], str] = ""
    run: Callable[[], None] | None = None
    enabled: Callable[[TrayView], bool] = _always
    checked: Callable[[TrayView], bool] | None = None  # a check box when not None
    children: tuple[Entry, ...] = ()
    default: bool = False  # what a left click on the icon does
    separator: bool = False

    def text(self, view: TrayView) -> str:
        if callable(self.label):
            return self.label(view)
        return _(self.label) if self.label else ""


SEPARATOR = Entry(separator=True)


def _pause(actions: TrayActions, for_s: float | None, until_tomorrow: bool) -> Callable[[], None]:
    def run() -> None:
        actions.pause(for_s, until_tomorrow)

    return run


def menu_entries(actions: TrayActions) -> tuple[Entry, ...]:
    """Status line, stretch now, show current (the default), snooze, pause ▸, resume, I'm
    standing, safety card, open config, statistics, quit."""
    return (
        # the daemon's lines come translated; the backends' fixed "Starting…" is a msgid
        Entry(lambda v: _(v.status_line), enabled=lambda _v: False),
        SEPARATOR,
        Entry(N_("Stretch now"), actions.stretch_now),
        Entry(N_("Show current stretch"), actions.show_current, default=True),
        Entry(N_("Snooze"), actions.snooze),
        Entry(
            N_("Pause"),
            children=tuple(
                Entry(label, _pause(actions, for_s, tomorrow))
                for label, for_s, tomorrow in PAUSE_CHOICES
            ),
        ),
        Entry(N_("Resume"), actions.resume, enabled=lambda v: v.state == "paused"),
        Entry(N_("I'm standing"), actions.toggle_standing,
              checked=lambda v: v.state == "standing"),
        SEPARATOR,
        Entry(N_("Safety card"), actions.safety_card),
        Entry(N_("Open config"), actions.open_config),
        Entry(N_("Statistics"), actions.statistics),
        SEPARATOR,
        Entry(N_("Quit"), actions.quit),
    )
