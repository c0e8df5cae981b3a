"""Starting the daemon's parts on the worker loop, and closing them at shutdown: all at once,
each bounded, so `quit`, SIGTERM and Ctrl-C always end the process promptly even when a bus or
a card does not answer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from sitbreak.adapters.base import SessionEventName
from sitbreak.daemon.control_server import ControlServer
from sitbreak.daemon.paths import UnsafePath
from sitbreak.daemon.wiring import Parts

log = logging.getLogger("sitbreak.daemon.runtime")


async def start_parts(
    parts: Parts,
    control_path: Path | None,
    control: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
    session_event: Callable[[SessionEventName], None],
) -> ControlServer | None:
    """History, notifier, control socket, session watchers; each one that fails is logged and
    left out (nudging goes on). Returns the control server, if it could listen."""
    if parts.make_history is not None:
        try:
            parts.history = parts.make_history()
        except Exception as exc:
            log.warning("history disabled: %s", exc)
    if parts.make_notifier is not None:
        try:
            parts.notifier = await parts.make_notifier()
        except Exception as exc:
            log.warning("notifier setup failed (%s); using %s", exc, parts.notifier.name)
    listening: ControlServer | None = None
    if control_path is not None:  # None: the runtime dir was refused (one line said so)
        server = ControlServer(control_path, control)
        try:
            await server.start()
            listening = server
        except (OSError, AttributeError, NotImplementedError, UnsafePath) as exc:
            # e.g. Windows (no Unix sockets in asyncio there yet): nudging goes on
            log.warning("no control socket (%s): `sitbreak status` cannot reach this", exc)
    for watcher in parts.watchers:
        try:
            await watcher.start(session_event)
        except Exception as exc:
            log.warning("session watcher %s did not start: %s", watcher.name, exc)
    return listening


async def close_parts(parts: Parts, ops_task: asyncio.Task[None], within_s: float,
                      more: Sequence[tuple[str, Awaitable[None]]] = ()) -> None:
    """The notifier (after its queue has drained: the withdraw goes out before the bus
    closes), the session watchers, the card, the statistics window and ``more``, together; a
    part that hangs is cancelled, named in one log line, and never keeps the process from
    ending."""

    async def notifier_done() -> None:
        await ops_task
        await parts.notifier.close()

    closers: list[tuple[str, Awaitable[None]]] = [("notifier", notifier_done())]
    closers += [(f"watcher {w.name}", w.close()) for w in parts.watchers]
    closers.append(("card", parts.card.close()))
    if parts.stats_window is not None:
        closers.append(("statistics window", parts.stats_window.close()))
    closers += more

    async def bounded(name: str, step: Awaitable[None]) -> None:
        started = time.monotonic()
        try:
            await step
        except Exception as exc:
            log.debug("closing %s: %s", name, exc)
        log.debug("closed %s in %.2f s", name, time.monotonic() - started)

    tasks = [asyncio.ensure_future(bounded(n, c)) for n, c in closers]
    _done, late = await asyncio.wait(tasks, timeout=within_s)
    for task in late:
        task.cancel()
    if late:
        log.warning("shutdown: %d part(s) did not close within %.0f s", len(late), within_s)
