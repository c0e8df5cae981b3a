"""Closing many parts at once within a time limit (the daemon's shutdown): a part that hangs
is cancelled, named in one log line, and never keeps the process from ending."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence

log = logging.getLogger("sitbreak.daemon.runtime")


async def close_all(closers: Sequence[tuple[str, Awaitable[None]]], limit_s: float) -> None:
    async def bounded(name: str, step: Awaitable[None]) -> None:
        started = time.monotonic()
        try:
            await step
        except Exception as exc:
            log.debug("closing %s: %s", name, exc)
        log.debug("closed %s in %.2f s", name, time.monotonic() - started)

    tasks = [asyncio.ensure_future(bounded(n, c)) for n, c in closers]
    if not tasks:
        return
    _done, late = await asyncio.wait(tasks, timeout=limit_s)
    for task in late:
        task.cancel()
    if late:
        log.warning("shutdown: %d part(s) did not close within %.0f s", len(late), limit_s)
