"""Opening the stretch card: a child process (``python -m sitbreak.card ITEM``) that prints one
JSON line such as ``{"answer": "done"}`` on stdout and exits.

Runs on the worker loop with asyncio subprocesses, so waiting for the user never blocks it.
A crash, a garbled answer or a card killed at shutdown all count as ``"closed"``. One card at a
time: opening while a card is up returns that card's answer instead of a second window.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import cast

from sitbreak import i18n, limits
from sitbreak.adapters.base import CardAnswer

log = logging.getLogger(__name__)

ANSWERS: frozenset[str] = frozenset({"done", "snooze", "skip", "another", "closed"})
MAX_LINE = 64 * 1024


def default_command() -> list[str]:
    if getattr(sys, "frozen", False):  # a bundled app re-invokes itself
        return [sys.executable, "card"]
    exe = sys.executable
    if sys.platform == "win32" and exe.lower().endswith("python.exe"):
        exe = exe[: -len("python.exe")] + "pythonw.exe"  # no console window flashing up
    return [exe, "-m", "sitbreak.card"]


def parse_answer(line: bytes) -> CardAnswer:
    """The card's stdout line → an answer; anything unexpected is "closed"."""
    return parse_reply(line)[0]


def parse_reply(line: bytes) -> tuple[CardAnswer, float]:
    """The card's stdout line → (answer, seconds held); anything unexpected is ("closed", 0).
    The hold is a number that goes on into the history: finite, 0 to an hour, else 0."""
    try:
        data = json.loads(line.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return "closed", 0.0
    if not isinstance(data, dict) or data.get("answer") not in ANSWERS:
        return "closed", 0.0
    try:
        held = limits.check_finite_range("held_s", data.get("held_s", 0.0), 0.0, limits.MAX_HOLD_S)
    except limits.OutOfRange as exc:
        log.warning("stretch card: %s; taken as 0", exc)
        held = 0.0
    return cast(CardAnswer, data["answer"]), held


class CardProcessOpener:
    name = "card-process"
    held_s = 0.0

    def __init__(
        self, command: Sequence[str] | None = None, env: dict[str, str] | None = None
    ) -> None:
        self._command = list(command) if command is not None else default_command()
        self._env = env
        self._current: asyncio.Task[CardAnswer] | None = None
        self._proc: asyncio.subprocess.Process | None = None

    def open(self, item: str) -> asyncio.Task[CardAnswer]:
        """Start the card for ``item`` (or join the one already open); await it for the answer."""
        if self._current is not None and not self._current.done():
            log.info("a stretch card is already open; not opening a second one")
            return self._current
        self._current = asyncio.get_running_loop().create_task(self._run(item))
        return self._current

    async def _run(self, item: str) -> CardAnswer:
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            proc = await asyncio.create_subprocess_exec(
                *self._command,
                item,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=None,  # the card's own errors go wherever the daemon's stderr goes
                env=self._child_env(),
                limit=MAX_LINE,
                **kwargs,  # type: ignore[arg-type]
            )
        except OSError as exc:
            log.error("cannot start the stretch card (%s): %s", " ".join(self._command), exc)
            return "closed"
        self._proc = proc
        answer: CardAnswer = "closed"
        try:
            assert proc.stdout is not None
            try:
                line = await proc.stdout.readline()
            except ValueError:  # a line longer than MAX_LINE
                line = b""
            answer, self.held_s = parse_reply(line) if line.strip() else ("closed", 0.0)
            # read to EOF so the child never blocks on a full pipe, then reap it
            with contextlib.suppress(ValueError):
                await proc.stdout.read()
            code = await proc.wait()
            if code != 0:
                log.warning("stretch card exited with status %s (answer: %s)", code, answer)
        finally:
            self._proc = None
            if proc.returncode is None:  # cancelled or failed while the card was up
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        return answer

    def _child_env(self) -> dict[str, str]:
        """The card speaks the daemon's language (``ui.language`` or the daemon's locale)."""
        env = dict(self._env if self._env is not None else os.environ)
        env[i18n.ENV_OVERRIDE] = i18n.current()
        return env

    async def close(self) -> None:
        """Close an open card (at shutdown); its pending ``open`` answers "closed"."""
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 3.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
        if self._current is not None:
            with contextlib.suppress(Exception):
                await self._current
