"""GNOME's own break reminders (GNOME 48+, Settings → Wellbeing): ``org.gnome.desktop.
break-reminders``. When its *movement* breaks are on, GNOME Shell nudges the user to get up on
its own timer, so with sitbreak running they would be nagged twice.

The documented way out, offered by ``doctor`` and by a one-time notice: turn GNOME's movement
breaks off and keep sitbreak's (its eyesight breaks, if on, stay on):
``gsettings set org.gnome.desktop.break-reminders selected-breaks "['eyesight']"`` — the same
switch as Settings → Wellbeing → Break Reminders → Movement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sitbreak.adapters import gsettings
from sitbreak.i18n import N_, Text

SCHEMA = "org.gnome.desktop.break-reminders"
MOVEMENT = f"{SCHEMA}.movement"


@dataclass(frozen=True, slots=True)
class BreakReminders:
    state: Literal["absent", "off", "on"]  # absent: no such settings (GNOME < 48, no gsettings)
    selected: tuple[str, ...] = ()
    interval_s: int | None = None  # movement breaks: every … seconds
    duration_s: int | None = None

    def summary(self) -> Text:
        if self.state == "absent":
            return Text(N_("not available here (GNOME 48+ only)"))
        if self.state == "off" and self.selected:
            # the break kinds as GNOME's settings name them ('eyesight')
            return Text(N_("movement breaks off (GNOME's {kinds} breaks on)"),
                        kinds=", ".join(self.selected))
        if self.state == "off":
            return Text(N_("movement breaks off"))
        if self.interval_s:
            return Text(N_("movement breaks ON every {minutes} min: GNOME nudges you to move too"),
                        minutes=self.interval_s // 60)
        return Text(N_("movement breaks ON: GNOME nudges you to move too"))

    def fix_command(self) -> str:
        """The gsettings command that turns movement breaks off and keeps the others."""
        rest = [b for b in self.selected if b != "movement"]
        value = "[" + ", ".join(f"'{b}'" for b in rest) + "]" if rest else "@as []"
        return f'gsettings set {SCHEMA} selected-breaks "{value}"'

    def advice(self) -> Text:
        return Text(N_("to avoid being nagged twice, turn GNOME's movement breaks off and keep "
                       "sitbreak's: `{command}` (or Settings → Wellbeing → Break Reminders → "
                       "Movement)"), command=self.fix_command())


def read() -> BreakReminders:
    """Ask gsettings (blocking, a few ms; never raises)."""
    selected = gsettings.get(SCHEMA, "selected-breaks")
    if not isinstance(selected, list):
        return BreakReminders("absent")
    if "movement" not in selected:
        return BreakReminders("off", tuple(selected))
    interval = gsettings.get(MOVEMENT, "interval-seconds")
    duration = gsettings.get(MOVEMENT, "duration-seconds")
    return BreakReminders(
        "on",
        tuple(selected),
        interval if isinstance(interval, int) else None,
        duration if isinstance(duration, int) else None,
    )


def mark_noticed(marker: Path) -> bool:
    """Create the once-only marker (no symlinks followed); False if it already existed or
    cannot be written."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)  # fmt: skip
    except OSError:
        return False
    os.close(fd)
    return True
