"""A private PulseAudio server for tests: a null sink (no sound hardware needed), a socket in a
temp dir, started and stopped by PID. Debian packages pulseaudio and pulseaudio-utils."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

SCRIPT = """\
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
load-module module-null-sink sink_name=null
"""


def missing() -> list[str]:
    return [tool for tool in ("pulseaudio", "parecord", "pactl") if shutil.which(tool) is None]


class PulseServer:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sitbreak-pulse-"))
        self.socket = self.dir / "rt" / "native"
        self.proc: subprocess.Popen[bytes] | None = None
        self._recorders: list[subprocess.Popen[bytes]] = []

    @property
    def server(self) -> str:
        return f"unix:{self.socket}"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PULSE_SERVER": self.server, "HOME": str(self.dir / "home"),
                "XDG_RUNTIME_DIR": str(self.dir / "rt")}

    def start(self) -> PulseServer:
        (self.dir / "rt").mkdir(mode=0o700)
        (self.dir / "home").mkdir()
        script = self.dir / "test.pa"
        script.write_text(SCRIPT.format(socket=self.socket))
        with (self.dir / "pulseaudio.log").open("wb") as log:
            # -n: no default script; as root it warns but runs (--system=false: a user daemon)
            self.proc = subprocess.Popen(
                ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--system=false",
                 "--disallow-exit", "--use-pid-file=false", "-F", str(script),
                 "--log-target=stderr"],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 15
        while self.pactl("info", check=False).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log_text = (self.dir / "pulseaudio.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise RuntimeError(f"private PulseAudio did not start:\n{log_text}")
            time.sleep(0.1)
        return self

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True,
                              timeout=10, check=check)

    def record(self, device: str = "null.monitor") -> subprocess.Popen[bytes]:
        """parecord into /dev/null: an application capturing audio, as a call does."""
        rec = subprocess.Popen(["parecord", "-d", device, "/dev/null"], env=self.env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        self._recorders.append(rec)
        return rec

    def capture_streams(self) -> int:
        return len(self.pactl("list", "short", "source-outputs").stdout.splitlines())

    @staticmethod
    def _end(proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def stop_recording(self, rec: subprocess.Popen[bytes]) -> None:
        self._end(rec)

    def stop(self) -> None:
        for rec in self._recorders:
            self._end(rec)
        if self.proc is not None:
            self._end(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PulseServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
