"""What every autostart backend offers, and how sitbreak is started at login."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Protocol

from sitbreak.errors import SitbreakError
from sitbreak.i18n import _

# Runs an OS command (systemctl, launchctl); returns (exit code, one line of output). Kept apart
# from the file and registry writers so those are tested here and the OS calls only where they run.
Runner = Callable[[Sequence[str]], tuple[int, str]]


class AutostartError(SitbreakError):
    exit_code = 1


@dataclass(frozen=True, slots=True)
class State:
    enabled: bool
    backend: str
    where: str  # the file or registry value that does it
    command: str | None = None  # what it starts, as written there
    note: str = ""  # e.g. "hidden for you; enabled for all users"


class Backend(Protocol):
    name: str

    def enable(self, argv: Sequence[str]) -> str:
        """Make ``argv`` start with each session; returns a one-line report."""
        ...

    def disable(self) -> str: ...

    def state(self) -> State: ...


def launch_argv(platform: str = sys.platform, python: str | None = None) -> list[str]:
    """The command line that starts the tray app at login, from this very installation.

    The console script next to this interpreter (a venv's or pipx's ``bin/sitbreak``) when there
    is one, else ``python -m sitbreak``; on Windows ``pythonw.exe`` so that no console opens.
    """
    if platform == "win32":
        # every CPython on Windows (and every venv) has pythonw.exe beside python.exe
        pythonw = PureWindowsPath(python or sys.executable).with_name("pythonw.exe")
        return [str(pythonw), "-m", "sitbreak", "run"]
    exe = Path(python or sys.executable)
    script = exe.parent / "sitbreak"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "run"]
    return [str(exe), "-m", "sitbreak", "run"]


def run_command(argv: Sequence[str]) -> tuple[int, str]:
    """The real runner: a short OS command, its first line of output; 127 when it is missing."""
    import subprocess

    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=30, check=False
        )
    except FileNotFoundError:
        return 127, f"{argv[0]}: not found"
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]}: no answer within 30 s"
    lines = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode, lines[0] if lines else ""


def check_printable(argv: Sequence[str]) -> None:
    for arg in argv:
        if any(ord(c) < 32 or ord(c) == 127 for c in arg):
            raise AutostartError(_("cannot autostart {arg!r}: the path has a control character").format(
                arg=arg))
