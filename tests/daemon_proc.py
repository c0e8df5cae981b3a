"""`sitbreak run` as a real subprocess on a test desktop, plus the CLI to talk to it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# away after 3 s without input; a stretch every minute (the shortest the config allows);
# the idle counter is read every second while only fresh input can change anything
FAST_CONFIG = """\
[timing]
stretch_every = "60s"
posture_every = 0
away_after = "3s"
present_within = "2s"
repeat_after = "30s"
snooze = "90s"

[activity]
idle_poll = "1s"
"""


def wait_for(pred: Callable[[], T | None], timeout: float = 10.0, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


class Daemon:
    """One `sitbreak run` started with ``env`` (a private HOME/XDG set), stopped by stop()."""

    def __init__(
        self,
        env: Mapping[str, str],
        workdir: Path,
        *,
        config: str = FAST_CONFIG,
        args: tuple[str, ...] = (),
        command: str = "run",
    ) -> None:
        self.env = dict(env)
        self.workdir = workdir
        self.config_path = workdir / "sitbreak.toml"
        self.config_path.write_text(config, encoding="utf-8")
        self.env["SITBREAK_CONFIG"] = str(self.config_path)
        # the socket path must stay short, whatever the test's tmp dir is
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        # The first-run safety card would cover every test's desktop; its own test turns it on.
        self.env.setdefault("SITBREAK_NO_SAFETY_INTRO", "1")
        self.out_path = workdir / "daemon.out"
        self.args = args
        self.command = command
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        state = Path(self.env.get("XDG_STATE_HOME") or Path(self.env["HOME"]) / ".local/state")
        return state / "sitbreak" / "log" / "sitbreak.log"

    def start(self, wait: bool = True) -> Daemon:
        with self.out_path.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sitbreak", "-v", self.command, *self.args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if wait:
            try:
                wait_for(self._answers, 20, "the daemon's control socket")
            except TimeoutError as exc:
                assert self.proc is not None
                if self.proc.poll() is None:  # every thread's stack into the output
                    os.kill(self.proc.pid, signal.SIGUSR1)
                    time.sleep(0.5)
                raise TimeoutError(
                    f"{exc}\n--- log:\n{self.log()[-2000:]}\n--- output:\n{self.output()}"
                ) from None
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"daemon exited with {self.proc.returncode}:\n{self.output()}")
        r = self.cli("status", check=False)
        return r.returncode == 0

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(
            [sys.executable, "-m", "sitbreak", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if check and r.returncode != 0:
            raise AssertionError(
                f"sitbreak {' '.join(args)} exited {r.returncode}: {r.stderr}\n{self.output()}"
            )
        return r

    def status(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.cli("status", "--json").stdout)
        return data

    def wait_status(
        self, pred: Callable[[dict[str, Any]], bool], timeout: float, what: str
    ) -> dict[str, Any]:
        """Poll `sitbreak status` until ``pred`` holds; returns that status."""
        last: dict[str, Any] = {}

        def check() -> bool:
            nonlocal last
            last = self.status()
            return pred(last)

        try:
            wait_for(check, timeout, what)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; last status: {last}") from None
        return last

    def output(self) -> str:
        text = self.out_path.read_text(errors="replace") if self.out_path.exists() else ""
        return text[-4000:]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def children(self) -> list[int]:
        """PIDs of the daemon's child processes (the stretch card)."""
        assert self.proc is not None
        kids: list[int] = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                kids.append(int(entry))
        return kids

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 10 s; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        return self.proc.returncode

    def __enter__(self) -> Daemon:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def headless_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This process's environment for a daemon of its own: a private HOME and runtime dir under
    ``tmp_path``, no display, no session bus, nothing of the caller's sitbreak or XDG settings."""
    home = tmp_path / "home"
    run = tmp_path / "run"
    home.mkdir()
    run.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SITBREAK_"))}
    for leak in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(leak, None)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(run), XDG_STATE_HOME=str(home / "state"))
    env.update(extra)
    return env
