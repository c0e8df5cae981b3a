"""Asking a short-lived ``python -m MODULE`` for one JSON answer (the validators run there, so
the daemon never keeps them resident)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

TIMEOUT_S = 30.0


class ChildFailed(RuntimeError):
    """The child did not run, crashed, or did not answer with one JSON object."""


def ask(module: str, *args: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """Run ``python -m module args…`` with this interpreter; its last stdout line, as JSON."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", module, *args], capture_output=True, timeout=timeout,
            check=False, stdin=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console on Windows
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChildFailed(f"{module}: {exc}") from None
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ChildFailed(f"{module} exited {done.returncode}: {' '.join(tail)}") from None
    if not isinstance(answer, dict):
        raise ChildFailed(f"{module} answered {answer!r:.80}")
    return answer
