"""Windows idle counter: ``user32.GetLastInputInfo`` (ctypes).

``LASTINPUTINFO.dwTime`` is a 32-bit tick count that wraps every 49.7 days, so it is compared
with the low 32 bits of ``GetTickCount64`` modulo 2**32. Not testable on the Linux CI.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

_WRAP = 1 << 32


def idle_ms_from_ticks(now_tick64: int, last_input_tick32: int) -> int:
    """Milliseconds since the last input, correct across the 32-bit wrap."""
    return ((now_tick64 & (_WRAP - 1)) - last_input_tick32) % _WRAP


class WindowsLastInputIdle:
    name = "windows-lastinput"

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise RuntimeError("GetLastInputInfo needs Windows")

        class LASTINPUTINFO(ctypes.Structure):
            _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint))

        windll: Any = getattr(ctypes, "windll")  # noqa: B009  (absent off Windows)
        self._user32: Any = windll.user32
        self._kernel32: Any = windll.kernel32
        self._kernel32.GetTickCount64.restype = ctypes.c_ulonglong
        self._info: Any = LASTINPUTINFO()
        self._info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        self.seconds_since_last_input()

    def seconds_since_last_input(self) -> float:
        if not self._user32.GetLastInputInfo(ctypes.byref(self._info)):
            return 0.0
        now = int(self._kernel32.GetTickCount64())
        return idle_ms_from_ticks(now, int(self._info.dwTime)) / 1000.0

    def close(self) -> None:
        pass
