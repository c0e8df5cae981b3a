"""The tray's Statistics: `sitbreak stats --window` in a child process (the chart and this
week's numbers in a small window). matplotlib and Tk load there, never in the daemon.

One window at a time: asking again while it is open leaves that one up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path

from sitbreak import i18n

log = logging.getLogger(__name__)

CLOSE_GRACE_S = 1.5


def window_command(config: Path | None) -> list[str]:
    argv = [sys.executable, "-m", "sitbreak", "stats", "--window"]
    if config is not None:
        argv += ["--config", str(config)]
    return argv


class StatsWindow:
    name = "stats-window"

    def __init__(self, config: Path | None = None) -> None:
        self.command = window_command(config)
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def is_open(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def open(self) -> None:
        if self.is_open:
            log.info("the statistics window is already open")
            return
        try:
            proc = await asyncio.create_subprocess_exec(
                *self.command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                # in the daemon's language, as the card
                env={**os.environ, i18n.ENV_OVERRIDE: i18n.current()},
                start_new_session=True,  # a Ctrl-C for the daemon is not one for this window
            )
        except OSError as exc:
            log.warning("cannot open the statistics window: %s", exc)
            return
        self._proc = proc
        log.info("statistics window opened (pid %d)", proc.pid)
        _out, err = await proc.communicate()
        if proc.returncode not in (0, -15):
            last = err.decode("utf-8", "replace").strip().splitlines()
            log.warning("the statistics window failed (status %s): %s", proc.returncode,
                        last[-1] if last else "no message")

    async def close(self) -> None:
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), CLOSE_GRACE_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
