"""Reading the idle counter for the worker loop: a failing source is one warning per outage
(and one line when it answers again), never an exception in the wake-up."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable

from sitbreak.adapters.base import IdleSource

log = logging.getLogger("sitbreak.daemon.runtime")


class IdleReader:
    def __init__(self) -> None:
        self._failed = False

    def read(self, source: IdleSource | None) -> float | None:
        if source is None:
            return None
        try:
            idle = float(source.seconds_since_last_input())
            if not math.isfinite(idle):
                raise ValueError(f"not a finite number: {idle}")
        except Exception as exc:
            if not self._failed:
                log.warning("idle source %s failed: %s", source.name, exc)
                self._failed = True
            return None
        if self._failed:
            log.info("idle source %s answers again", source.name)
            self._failed = False
        return max(0.0, idle)

    def attach(
        self, source: IdleSource | None, loop: asyncio.AbstractEventLoop | None,
        on_resumed: Callable[[], None],
    ) -> None:
        """An event-driven source (Wayland) watches its fd on the worker loop and calls back when
        input resumes after an idle spell; other sources are only read at deadlines."""
        attach = getattr(source, "attach", None)
        if attach is None or loop is None:
            return
        try:
            attach(loop, on_resumed)
        except Exception as exc:
            log.warning("idle source %s is read at deadlines only: %s", getattr(source, "name", "?"), exc)
