"""Colours for the card: follow the system's dark setting where Tk can tell, else calm light."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any


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


LIGHT = Palette("light", "#f6f4ef", "#ffffff", "#1f2a36", "#55616d", "#8a4b12", "#d9692e",
                "#ffffff", "#e6e2d9", "#1f5fa8")
DARK = Palette("dark", "#1d2126", "#262b31", "#e8eaed", "#a7b0ba", "#f0b070", "#e07a3f",
               "#1d2126", "#353b43", "#8cb8ff")


def pick(root: Any, wanted: str | None = None) -> Palette:
    """``wanted`` (light/dark) wins, then $SITBREAK_THEME, then what the system says."""
    choice = (wanted or os.environ.get("SITBREAK_THEME", "")).lower()
    if choice in ("light", "dark"):
        return DARK if choice == "dark" else LIGHT
    return DARK if system_prefers_dark(root) else LIGHT


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
    # Linux/X11: Tk cannot ask the desktop; GTK_THEME=Adwaita:dark is the common hint.
    return "dark" in os.environ.get("GTK_THEME", "").lower()
