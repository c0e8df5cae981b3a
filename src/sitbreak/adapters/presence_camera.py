"""Linux: a camera in use = a ``/dev/video*`` device held open by one of the user's processes.

Looked at only when the answer matters (the runtime calls ``read`` at a deadline while an
input gap is open, and on a slow beat during a call this source reported), never on a fixed
beat. A look lists the device directory, then the open files of the user's own processes
(``/proc/<pid>/fd``, readable for one's own processes only). Nothing is kept: not which
process, not which device.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sitbreak.adapters.base import PresenceReading
from sitbreak.i18n import N_, Text


class CameraInUse:
    name = "camera (/dev/video* open)"
    pushes = False

    def __init__(self, device_dir: str | os.PathLike[str] = "/dev", proc: str = "/proc",
                 uid: int | None = None) -> None:
        self._dir = Path(device_dir)
        self._proc = proc
        self._uid = os.getuid() if uid is None else uid
        self.looks = 0  # how often it looked (for the tests and the footprint bench)

    async def start(self, on_change: object) -> None:
        """Nothing to start: it looks when asked."""

    def devices(self) -> set[str]:
        try:
            names = [p for p in self._dir.iterdir() if p.name.startswith("video")]
        except OSError:
            return set()
        return {os.path.realpath(p) for p in names}

    def read(self) -> PresenceReading:
        self.looks += 1
        devices = self.devices()
        return PresenceReading(call=bool(devices) and self._held_open(devices))

    def describe(self) -> Text:
        n = len(self.devices())
        if n and self.read().call:
            return Text(N_("video devices in {dir}: {count}; in use now; looked at only when it "
                           "matters"), count=n, dir=str(self._dir))
        return Text(N_("video devices in {dir}: {count}; not in use now; looked at only when it "
                       "matters"), count=n, dir=str(self._dir))

    def _held_open(self, devices: set[str]) -> bool:
        try:
            pids = [e for e in os.listdir(self._proc) if e.isdigit()]
        except OSError:
            return False
        for pid in pids:
            base = f"{self._proc}/{pid}"
            try:
                if os.stat(base).st_uid != self._uid:
                    continue  # only the user's own processes
                fds = os.listdir(f"{base}/fd")
            except OSError:  # gone meanwhile, or not ours to read
                continue
            for fd in fds:
                with contextlib.suppress(OSError):
                    if os.readlink(f"{base}/fd/{fd}") in devices:
                        return True
        return False

    async def close(self) -> None:
        pass
