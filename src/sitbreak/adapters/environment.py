"""What kind of desktop we run in, read once from the environment (no platform calls)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DesktopEnv:
    platform: str  # sys.platform
    session_type: str  # XDG_SESSION_TYPE lower-cased: "x11", "wayland", "tty", "" …
    desktops: tuple[str, ...]  # XDG_CURRENT_DESKTOP split on ":" and lower-cased
    display: str  # DISPLAY ("" if unset)
    wayland_display: str
    session_bus: bool  # DBUS_SESSION_BUS_ADDRESS set (or the default socket exists)

    @property
    def linux(self) -> bool:
        return self.platform.startswith("linux") or "bsd" in self.platform

    @property
    def wayland(self) -> bool:
        return self.session_type == "wayland" or (
            bool(self.wayland_display) and self.session_type != "x11"
        )

    @property
    def x11(self) -> bool:
        return bool(self.display) and not self.wayland

    @property
    def gnome(self) -> bool:
        return any(d in ("gnome", "ubuntu", "unity", "pop") for d in self.desktops)

    @property
    def kde(self) -> bool:
        return "kde" in self.desktops

    @classmethod
    def detect(
        cls, environ: Mapping[str, str] | None = None, platform: str | None = None
    ) -> DesktopEnv:
        env = os.environ if environ is None else environ
        runtime = env.get("XDG_RUNTIME_DIR", "")
        default_bus = bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))
        return cls(
            platform=platform or sys.platform,
            session_type=env.get("XDG_SESSION_TYPE", "").strip().lower(),
            desktops=tuple(
                d.strip().lower() for d in env.get("XDG_CURRENT_DESKTOP", "").split(":") if d
            ),
            display=env.get("DISPLAY", ""),
            wayland_display=env.get("WAYLAND_DISPLAY", ""),
            session_bus=bool(env.get("DBUS_SESSION_BUS_ADDRESS")) or default_bus,
        )

    def describe(self) -> str:
        parts = [self.platform]
        if self.session_type:
            parts.append(f"session={self.session_type}")
        if self.desktops:
            parts.append("desktop=" + ":".join(self.desktops))
        if self.display:
            parts.append(f"DISPLAY={self.display}")
        if self.wayland_display:
            parts.append(f"WAYLAND_DISPLAY={self.wayland_display}")
        return " ".join(parts)
