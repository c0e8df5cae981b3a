"""Colours for the card: ``card.theme`` light or dark, or "auto" following the desktop (see
``desktop_look``), in a high-contrast variant when the desktop asks for high contrast."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from sitbreak.card.desktop_look import Look


@dataclass(frozen=True, slots=True)
class Palette:
    name: str
    bg: str
    panel: str  # behind the timer
    fg: str
    muted: str
    caution: str
    accent: str  # the flash at the end of a side, primary button
    accent_fg: str
    button: str
    link: str

    @property
    def dark(self) -> bool:
        """Dark background: the picture is turned dark too."""
        return self.name.endswith("dark")


LIGHT = Palette("light", "#f6f4ef", "#ffffff", "#1f2a36", "#55616d", "#8a4b12", "#d9692e",
                "#ffffff", "#e6e2d9", "#1f5fa8")
DARK = Palette("dark", "#1d2126", "#262b31", "#e8eaed", "#a7b0ba", "#f0b070", "#e07a3f",
               "#1d2126", "#353b43", "#8cb8ff")
# high contrast: black on white (or white on black), no greys for text
HIGH_CONTRAST = Palette("high-contrast", "#ffffff", "#ffffff", "#000000", "#000000", "#8a0000",
                        "#000000", "#ffffff", "#ffff00", "#0000c0")
HIGH_CONTRAST_DARK = Palette("high-contrast-dark", "#000000", "#000000", "#ffffff", "#ffffff",
                             "#ffd700", "#ffff00", "#000000", "#262626", "#80c8ff")


def pick(root: Any, wanted: str | None = None, look: Look | None = None) -> Palette:
    """``wanted`` light/dark wins, then $SITBREAK_THEME, then the desktop (``look``, then what
    Tk or the system registry can tell); high contrast when the desktop asks for it."""
    look = look or Look()
    choice = (wanted or "").lower()
    if choice not in ("light", "dark"):
        choice = os.environ.get("SITBREAK_THEME", "").lower()
    if choice in ("light", "dark"):
        dark = choice == "dark"
    elif look.dark is not None:
        dark = look.dark
    else:
        dark = system_prefers_dark(root)
    if look.high_contrast:
        return HIGH_CONTRAST_DARK if dark else HIGH_CONTRAST
    return DARK if dark else LIGHT


def system_prefers_dark(root: Any) -> bool:
    try:
        if sys.platform == "darwin":
            return bool(int(root.tk.call("tk::unsupported::MacWindowStyle", "isdark", root)))
        if sys.platform == "win32":
            import winreg

            key = winreg.OpenKey(  # type: ignore[attr-defined,unused-ignore]
                winreg.HKEY_CURRENT_USER,  # type: ignore[attr-defined,unused-ignore]
                r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize",
            )
            value, _ = winreg.QueryValueEx(key, "AppsUseLightTheme")  # type: ignore[attr-defined,unused-ignore]
            return int(value) == 0
    except Exception:  # no answer from the system: keep the light theme
        return False
    return False  # Linux: desktop_look has read the portal, the GTK theme and GTK_THEME
