"""A private PulseAudio server with a null sink, to hear what sitbreak plays (no sound hardware
needed). Named for playback: another helper's microphone test uses PulseAudio as well.

    with PlaybackServer(tmp_path) as pulse:
        env = {**env, **pulse.env}
        ...                      # something plays a sound
        pulse.wait_played(1)     # one playback stream came and went
        assert pulse.loudest() > 1000   # and it was not silence

The server runs in its own runtime dir (never the user's), records its sink's monitor to a raw
file, and counts playback streams through ``pactl subscribe``. stop() ends only the processes
started here, by PID.
"""

from __future__ import annotations

import array
import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType

PACKAGES = "pulseaudio pulseaudio-utils"


def missing() -> list[str]:
    return [t for t in ("pulseaudio", "pactl", "parec") if shutil.which(t) is None]


class PlaybackServer:
    def __init__(self, where: Path) -> None:
        self.dir = where / "pulse-playback"
        self.runtime = self.dir / "run"
        self.socket = self.runtime / "pulse" / "native"
        self.record = self.dir / "monitor.raw"
        self._procs: list[subprocess.Popen[bytes]] = []
        self._events = self.dir / "events.txt"

    @property
    def env(self) -> dict[str, str]:
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def _spawn(self, argv: list[str], out: Path) -> subprocess.Popen[bytes]:
        env = {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime), "HOME": str(self.dir),
               **self.env}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        with out.open("wb") as sink:
            proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self._procs.append(proc)
        return proc

    def start(self) -> PlaybackServer:
        self.runtime.mkdir(parents=True, mode=0o700)
        self._spawn(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                     "--use-pid-file=no", "--log-target=stderr",
                     "-L", "module-native-protocol-unix",
                     "-L", "module-null-sink sink_name=null rate=22050 channels=1"],
                    self.dir / "pulseaudio.log")
        deadline = time.monotonic() + 15
        while not self._answers():
            if time.monotonic() > deadline:
                log = (self.dir / "pulseaudio.log").read_text(errors="replace")[-1500:]
                self.stop()
                raise RuntimeError(f"PulseAudio did not start:\n{log}")
            time.sleep(0.1)
        self._spawn(["pactl", "subscribe"], self._events)
        self._spawn(["parec", "-d", "null.monitor", "--raw", "--format=s16le", "--channels=1",
                     "--rate=22050", "--latency-msec=20"], self.record)
        time.sleep(0.5)  # both are listening
        return self

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        r = subprocess.run(["pactl", "info"], env={**os.environ, **self.env},
                           capture_output=True, timeout=10, check=False)
        return r.returncode == 0

    def played(self) -> int:
        """Playback streams opened so far (one per sound played)."""
        try:
            text = self._events.read_text(errors="replace")
        except OSError:
            return 0
        return text.count("Event 'new' on sink-input")

    def wait_played(self, n: int, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self.played() < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.played()} sounds played, not {n}, in {timeout:g} s")
            time.sleep(0.05)
        return self.played()

    def loudest(self) -> int:
        """The loudest sample the sink's monitor has heard (0: silence)."""
        time.sleep(0.3)  # parec's buffer reaches the file
        data = self.record.read_bytes()
        samples = array.array("h", data[: len(data) // 2 * 2])
        return max((abs(s) for s in samples), default=0)

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(3)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(3)
        self._procs.clear()

    def __enter__(self) -> PlaybackServer:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
