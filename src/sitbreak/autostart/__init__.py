"""Starting sitbreak with every session: one backend per platform, picked by ``select``.

``sitbreak autostart enable|disable|status`` (``commands/autostart.py``) is the only caller; the
installers call that command, so there is one implementation of where each platform looks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sitbreak.autostart.base import AutostartError, Backend, State, launch_argv, run_command
from sitbreak.errors import PlatformUnsupported
from sitbreak.i18n import _

__all__ = ["AutostartError", "Backend", "State", "alternatives", "launch_argv", "select"]


def select(
    platform: str = sys.platform, *, systemd: bool = False, all_users: bool = False
) -> Backend:
    """The backend for this platform; ``systemd`` picks the systemd user unit on Linux."""
    if platform == "win32":
        from sitbreak.autostart.windows import WindowsAutostart, WinRegistry

        return WindowsAutostart(WinRegistry(), all_users=all_users)
    if platform == "darwin":
        from sitbreak.autostart.macos import MacAutostart

        home = Path.home()
        agents = Path("/Library/LaunchAgents") if all_users else home / "Library" / "LaunchAgents"
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return MacAutostart(
            agents, home / "Library" / "Logs" / "sitbreak", run_command, uid, all_users=all_users
        )
    if platform.startswith("linux") or "bsd" in platform:
        if systemd:
            if all_users:
                raise AutostartError(
                    _("--systemd is per user; for all users use the XDG entry (without "
                      "--systemd)")
                )
            from sitbreak.autostart.systemd import SystemdAutostart
            from sitbreak.autostart.xdg import config_home

            return SystemdAutostart(config_home() / "systemd" / "user", run_command)
        from sitbreak.autostart.xdg import XdgAutostart

        return XdgAutostart(all_users=all_users)
    raise PlatformUnsupported(_("autostart: no backend for platform {platform!r}").format(platform=platform))


def alternatives(chosen: Backend, platform: str = sys.platform) -> list[Backend]:
    """The other per-user Linux backend, turned off when one is turned on (never start twice)."""
    if not (platform.startswith("linux") or "bsd" in platform):
        return []
    if chosen.name == "xdg" and not getattr(chosen, "all_users", False):
        return [select(platform, systemd=True)]
    if chosen.name == "systemd":
        return [select(platform)]
    return []
