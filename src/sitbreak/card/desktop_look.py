"""What the desktop says about how things should look: dark or light, high contrast, text size.

Read once when the card opens, each source optional and quick (a missing one is skipped):
- the XDG desktop portal's settings (``org.freedesktop.portal.Settings.ReadAll``):
  ``org.freedesktop.appearance`` ``color-scheme`` (1 = prefer dark) and ``contrast`` (1 =
  high), and GNOME's ``text-scaling-factor``, ``gtk-theme`` and ``high-contrast``;
- the X resource ``Xft.dpi`` (what KDE, Xfce and GNOME set for "text size" on X11 and for
  XWayland; 96 = 100 %). Tk's point-sized fonts already follow it (through Xft), so it only
  widens the card's line lengths; the portal's factor applies where no Xft.dpi is set;
- the GTK theme name: ``$GTK_THEME`` or ``~/.config/gtk-3.0/settings.ini`` ("Adwaita-dark",
  "HighContrast", ``gtk-application-prefer-dark-theme``).
Windows and macOS dark mode are asked by ``theme.system_prefers_dark``.
"""

from __future__ import annotations

import configparser
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SETTINGS_IFACE = "org.freedesktop.portal.Settings"
NAMESPACES = ("org.freedesktop.appearance", "org.gnome.desktop.interface",
              "org.gnome.desktop.a11y.interface")
PORTAL_TIMEOUT_S = 1.0


@dataclass(frozen=True, slots=True)
class Look:
    dark: bool | None = None  # None: the desktop did not say
    high_contrast: bool = False
    text_scale: float = 1.0  # what the card must apply to its fonts (1.0 = 100 %)
    wrap_scale: float = 1.0  # how much wider lines may be: text Tk already scales (Xft.dpi)
    sources: tuple[str, ...] = ()  # what was read, for the card's debug line


def read(root: Any = None) -> Look:
    dark: bool | None = None
    high = False
    scale: float | None = None
    sources: list[str] = []
    portal = _portal_settings()
    if portal:
        sources.append("portal")
        appearance = portal.get("org.freedesktop.appearance", {})
        scheme = appearance.get("color-scheme")
        if scheme in (1, 2):
            dark = scheme == 1
        high = appearance.get("contrast") == 1
        gnome = portal.get("org.gnome.desktop.interface", {})
        factor = gnome.get("text-scaling-factor")
        if isinstance(factor, float) and math.isfinite(factor) and 0.5 <= factor <= 4:
            scale = factor
        theme = gnome.get("gtk-theme")
        if isinstance(theme, str):
            dark, high = _from_theme_name(theme, dark, high)
        if portal.get("org.gnome.desktop.a11y.interface", {}).get("high-contrast") is True:
            high = True
    for theme in _gtk_theme_names():
        dark, high = _from_theme_name(theme, dark, high)
    wrap = 1.0
    dpi = xft_dpi(root) if root is not None else None
    if dpi is not None:  # Tk's text follows it already; GNOME folds its factor into it
        sources.append(f"Xft.dpi={dpi:g}")
        wrap, scale = dpi / 96, None
    scale = min(max(scale or 1.0, 0.5), 4.0)
    return Look(dark, high, scale, min(max(wrap, 0.5), 4.0) * scale, tuple(sources))


def _from_theme_name(name: str, dark: bool | None, high: bool) -> tuple[bool | None, bool]:
    lowered = name.lower()
    if "highcontrast" in lowered.replace("-", "").replace(" ", ""):
        high = True
        if "inverse" in lowered:
            dark = True
    if dark is None and ("dark" in lowered):
        dark = True
    return dark, high


def _gtk_theme_names() -> list[str]:
    names = []
    env = os.environ.get("GTK_THEME", "")
    if env:
        names.append(env.replace(":", "-"))
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    ini = configparser.ConfigParser(interpolation=None)
    try:
        ini.read(config / "gtk-3.0" / "settings.ini", encoding="utf-8")
        section = ini["Settings"] if ini.has_section("Settings") else None
    except (configparser.Error, OSError, UnicodeDecodeError):
        section = None
    if section is not None:
        if section.get("gtk-application-prefer-dark-theme", "").strip().lower() in ("1", "true"):
            names.append("prefer-dark")
        if section.get("gtk-theme-name"):
            names.append(section.get("gtk-theme-name", ""))
    return names


def _portal_settings() -> dict[str, dict[str, Any]]:
    """The portal's settings of NAMESPACES, or {} (no portal, no bus, not Linux)."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not os.environ.get("XDG_RUNTIME_DIR"):
        return {}
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg
    except ImportError:
        return {}
    try:
        addr = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=SETTINGS_IFACE)
        with open_dbus_connection(bus="SESSION") as conn:
            reply = conn.send_and_get_reply(
                new_method_call(addr, "ReadAll", "as", (list(NAMESPACES),)),
                timeout=PORTAL_TIMEOUT_S,
            )
            (found,) = unwrap_msg(reply)
    except Exception:  # no portal (or no bus): the other sources speak
        return {}
    out: dict[str, dict[str, Any]] = {}
    for namespace, values in dict(found).items():
        out[str(namespace)] = {str(k): _plain(v) for k, v in dict(values).items()}
    return out


def _plain(value: Any) -> Any:
    """jeepney gives variants as (signature, value) pairs, nested ones too."""
    while isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        value = value[1]
    return value


def xft_dpi(root: Any) -> float | None:
    """Xft.dpi from the X server's resource database (RESOURCE_MANAGER), if set."""
    try:
        if root.tk.call("tk", "windowingsystem") != "x11":
            return None
        from Xlib import Xatom, display
    except Exception:
        return None
    try:
        d = display.Display()
        try:
            prop = d.screen().root.get_full_property(
                d.intern_atom("RESOURCE_MANAGER"), Xatom.STRING
            )
        finally:
            d.close()
    except Exception:
        return None
    if prop is None:
        return None
    raw = prop.value
    text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Xft.dpi":
            try:
                dpi = float(value.strip())
            except ValueError:
                return None
            return dpi if math.isfinite(dpi) and 48 <= dpi <= 480 else None
    return None
