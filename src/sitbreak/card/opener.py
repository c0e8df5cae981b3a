"""The daemon's side of the card: start ``python -m sitbreak.card`` and await its answer.

Implements ``sitbreak.adapters.base.CardOpener``. The item id ``"safety"`` opens the safety
card. A card that cannot open (no display, unknown item) is logged once and counts as closed.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from sitbreak.card.answer import CardAnswer, parse_answer

log = logging.getLogger(__name__)


class TkCardOpener:
    name = "tk"

    def __init__(
        self,
        *,
        content_dir: Path | None = None,
        env: Mapping[str, str] | None = None,
        hold_scale: float | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.env = dict(env) if env is not None else None
        self.hold_scale = hold_scale

    def argv(self, item: str) -> list[str]:
        argv = [sys.executable, "-m", "sitbreak.card"]
        argv += ["--safety"] if item == "safety" else [item]
        if self.content_dir is not None:
            argv += ["--dir", str(self.content_dir)]
        if self.hold_scale is not None:
            argv += ["--hold-scale", str(self.hold_scale)]
        return argv

    async def open(self, item: str) -> CardAnswer:
        # no console window flashing up on Windows
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        proc = await asyncio.create_subprocess_exec(
            *self.argv(item), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self.env, creationflags=flags,
        )
        try:
            out, err = await proc.communicate()
        except asyncio.CancelledError:  # the daemon is shutting down: close the window too
            if proc.returncode is None:
                proc.terminate()
                await proc.wait()
            raise
        lines = out.decode("utf-8", "replace").strip().splitlines()
        if lines:
            try:
                answer, _, held_s, completed = parse_answer(lines[-1])
            except (ValueError, KeyError) as exc:
                log.warning("stretch card gave an unreadable answer (%s)", exc)
                return "closed"
            log.debug("card %s: %s after %.0f s (completed=%s)", item, answer, held_s,
                      completed)
            return answer
        problem = err.decode("utf-8", "replace").strip().splitlines()
        log.warning("stretch card could not open (exit %s): %s", proc.returncode,
                    problem[-1] if problem else "no message")
        return "closed"
