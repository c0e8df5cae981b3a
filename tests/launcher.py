"""The clone's launcher (``./sitbreak``) as a user runs it: in a terminal (a real pty, so
Ctrl-C is the terminal's own SIGINT), with a stand-in ``.venv`` that runs this checkout.

``fake_venv`` makes a venv directory whose ``bin/sitbreak`` runs the interpreter running the
tests, stamped as up to date, so ``./sitbreak`` goes straight to the program (no pip).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def venv_stamp() -> str:
    """What installers/venv.sh writes to its stamp after an install (sha256 of pyproject.toml
    and itself, first 16 hex digits)."""
    data = (REPO / "pyproject.toml").read_bytes() + (REPO / "installers" / "venv.sh").read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def fake_venv(where: Path, kind: str = "runtime") -> Path:
    venv = where / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} \"$@\"\n")
    sitbreak = venv / "bin" / "sitbreak"
    sitbreak.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m sitbreak \"$@\"\n")
    for exe in (python, sitbreak):
        exe.chmod(0o755)
    (venv / f".sitbreak-{kind}.stamp").write_text(venv_stamp() + "\n")
    return venv


class Terminal:
    """``argv`` in a new session whose controlling terminal is a pty we hold the other end of."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path = REPO) -> None:
        master, slave = os.openpty()
        self._master = master
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._stop_reading = threading.Event()

        # util-linux's `setsid --ctty`: a new session whose controlling terminal is the pty
        # (it execs in place, so the PID is the program's own)
        self.proc = subprocess.Popen(
            ["setsid", "--ctty", *argv], stdin=slave, stdout=slave, stderr=slave,
            env=dict(env), cwd=cwd, close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop_reading.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 4096)
            except OSError:  # the other side is gone (EIO)
                return
            if not chunk:
                return
            with self._lock:
                self._chunks.append(chunk)

    @property
    def output(self) -> str:
        with self._lock:
            return b"".join(self._chunks).decode("utf-8", "replace").replace("\r\n", "\n")

    def wait_for_output(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.proc.poll() is not None:
                raise AssertionError(f"exited {self.proc.returncode} before {text!r}:\n"
                                     f"{self.output}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {text!r} after {timeout:g} s:\n{self.output}")
            time.sleep(0.05)
        return self.output

    def ctrl_c(self) -> None:
        """What pressing Ctrl-C does: the terminal sends SIGINT to its foreground group."""
        os.write(self._master, b"\x03")

    def hang_up(self) -> None:
        """Close the terminal (a logout, a closed terminal window): the kernel sends SIGHUP."""
        self._stop_reading.set()
        self._reader.join(2)  # nobody may hold the master open, or there is no hangup
        with contextlib.suppress(OSError):
            os.close(self._master)
        self._master = -1

    def wait(self, timeout: float = 15.0) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
            raise AssertionError(f"still running {timeout:g} s later:\n{self.output}") from None

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self._stop_reading.set()
        self._reader.join(2)
        if self._master >= 0:
            with contextlib.suppress(OSError):
                os.close(self._master)
            self._master = -1
