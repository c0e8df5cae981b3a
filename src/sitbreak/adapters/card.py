"""Opening the stretch card: a child process (``python -m sitbreak.card ITEM``) that prints one
JSON line such as ``{"answer": "done"}`` on stdout and exits.

Runs on the worker loop with asyncio subprocesses, so waiting for the user never blocks it.
A crash, a garbled answer or a card closed by the daemon all count as ``"closed"``. One card at
a time: the daemon closes the card on screen before it opens the next (``close`` is bounded: a
card that hangs or is stopped is killed after ``CLOSE_GRACE_S``).

The card runs in a session of its own: a Ctrl-C in the terminal that started the daemon stops
the daemon, which then closes the card, rather than killing the card mid-answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import cast

from sitbreak import i18n, limits
from sitbreak.adapters.base import CardAnswer

log = logging.getLogger(__name__)

ANSWERS: frozenset[str] = frozenset({"done", "snooze", "skip", "another", "closed"})
MAX_LINE = 64 * 1024
CLOSE_GRACE_S = 1.5  # a card asked to close has this long before it is killed
# the card's exit codes for its ordinary answers (sitbreak.card.answer.EXIT_CODES)
NORMAL_EXITS = frozenset({0, 10, 11, 12, 13})


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
        self.command = list(command) if command is not None else default_command()
        self._env = env
        self._current: asyncio.Task[CardAnswer] | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._closing = False

    def open(self, item: str, *, focus: bool = False) -> asyncio.Task[CardAnswer]:
        """Start the card for ``item``; await it for the answer. ``focus``: the user asked for
        it from the keyboard (e.g. "Another one"), so it may take the keyboard at once.
        While a card is still up, that card's pending answer is returned instead (the daemon
        closes it first when it wants a new one)."""
        if self._current is not None and not self._current.done():
            log.info("a stretch card is already open; not opening a second one")
            return self._current
        argv = [*self.command, item, *(["--focus"] if focus else [])]
        self._current = asyncio.get_running_loop().create_task(self._run(argv))
        return self._current

    async def _run(self, argv: list[str]) -> CardAnswer:
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        else:
            kwargs["start_new_session"] = True
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=None,  # the card's own errors go wherever the daemon's stderr goes
                env=self._child_env(),
                limit=MAX_LINE,
                **kwargs,  # type: ignore[arg-type]
            )
        except OSError as exc:
            log.error("cannot start the stretch card (%s): %s", " ".join(self.command), exc)
            return "closed"
        self._proc = proc
        self._closing = False
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
            if self._closing:
                log.debug("stretch card closed by sitbreak (status %s)", code)
            elif code in NORMAL_EXITS:
                log.debug("stretch card answered %s (status %s)", answer, code)
            else:
                log.warning("stretch card exited with status %s (answer: %s)", code, answer)
        finally:
            self._proc = None
            if proc.returncode is None:  # cancelled or failed while the card was up
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(proc.wait(), CLOSE_GRACE_S)
        return answer

    def _child_env(self) -> dict[str, str]:
        """The card speaks the daemon's language (``ui.language`` or the daemon's locale)."""
        env = dict(self._env if self._env is not None else os.environ)
        env[i18n.ENV_OVERRIDE] = i18n.current()
        return env

    async def close(self) -> None:
        """Close an open card; its pending ``open`` answers "closed". Bounded: a card that
        does not end within CLOSE_GRACE_S of the request (hung, or stopped by SIGSTOP) is
        killed, so the next card can always open."""
        proc = self._proc
        if proc is not None and proc.returncode is None:
            self._closing = True
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
                if hasattr(signal, "SIGCONT"):  # a stopped card cannot act on SIGTERM
                    proc.send_signal(signal.SIGCONT)
            try:
                await asyncio.wait_for(proc.wait(), CLOSE_GRACE_S)
            except TimeoutError:
                log.warning(
                    "the stretch card did not close within %.1f s; killing it", CLOSE_GRACE_S
                )
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
        current = self._current
        if current is not None and not current.done():
            try:
                await asyncio.wait_for(asyncio.shield(current), CLOSE_GRACE_S)
            except TimeoutError:
                current.cancel()
            except Exception as exc:
                log.debug("closing the card: %s", exc)
