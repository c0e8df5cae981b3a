"""Choosing the lock/suspend watcher: ``select_session_watcher(env) -> Picked[SessionWatcher]``.

The clock backstop (``clocks.Clocks``) runs everywhere regardless; a watcher only makes lock and
suspend show up immediately instead of at the next wake-up.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from sitbreak.adapters.base import (
    Picked,
    Reason,
    SessionEventName,
    SessionWatcher,
    not_taken,
    taken,
)
from sitbreak.adapters.environment import DesktopEnv
from sitbreak.i18n import N_

log = logging.getLogger(__name__)


class NullSessionWatcher:
    """Nothing to watch: the clock backstop alone detects suspend."""

    name = "none"

    async def start(self, emit: Callable[[SessionEventName], None]) -> None:
        pass

    async def close(self) -> None:
        pass


def select_session_watcher(env: DesktopEnv | None = None) -> Picked[SessionWatcher]:
    """Never raises; bus connections happen later, in ``await impl.start(emit)``."""
    env = env or DesktopEnv.detect()
    reasons: list[Reason] = []
    if env.platform == "win32":
        from sitbreak.adapters.session_windows import WindowsSessionWatcher

        return Picked(WindowsSessionWatcher(), "windows-wts", (taken("windows-wts", N_("picked")),))
    reasons.append(not_taken("windows-wts", N_("not Windows")))
    if env.platform == "darwin":
        from sitbreak.adapters.session_macos import MacSessionWatcher

        return Picked(MacSessionWatcher(), "macos-nsworkspace",
                      (*reasons, taken("macos-nsworkspace", N_("picked"))))
    reasons.append(not_taken("macos-nsworkspace", N_("not macOS")))
    if env.linux:
        try:
            import dbus_fast  # noqa: F401
        except ImportError:
            reasons.append(not_taken("linux-dbus", N_("dbus-fast not installed")))
        else:
            system = bool(os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")) or os.path.exists(
                "/run/dbus/system_bus_socket"
            )
            if system or env.session_bus:
                from sitbreak.adapters.session_linux import LinuxSessionWatcher

                reasons.append(taken("linux-dbus", N_("picked")))
                return Picked(LinuxSessionWatcher(env), "linux-dbus", tuple(reasons))
            reasons.append(not_taken("linux-dbus", N_("neither a system nor a session D-Bus bus")))
    log.info("no lock/suspend watcher: relying on the clock backstop")
    reasons.append(taken("none", N_("picked: clock backstop only")))
    return Picked(NullSessionWatcher(), "none", tuple(reasons))
