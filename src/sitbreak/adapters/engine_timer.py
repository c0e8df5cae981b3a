"""The worker loop's wake-up timer on the engine clock: on Linux a timerfd on CLOCK_BOOTTIME.

asyncio's timers run on CLOCK_MONOTONIC, which stands still while the machine sleeps: a wake-up
due 30 s after a suspend began fires 30 s after the resume, so a break nobody announced would end
(and the next sitting span begin) up to a minute late, at the first reading after the resume. A
deadline on CLOCK_BOOTTIME that passed during the sleep fires right at the resume instead.

One timer, one callback at a time (the runtime has one pending wake-up); the fd is watched by
the loop (``add_reader``), so nothing polls.
"""

from __future__ import annotations

import asyncio
import ctypes
import math
import os
import time
import weakref
from collections.abc import Callable

CLOCK_BOOTTIME = 7  # <linux/time.h>; the same clock as time.CLOCK_BOOTTIME
TFD_TIMER_ABSTIME = 1


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


class BootTimer:
    """``call_at(loop, boottime_s, fn)``: ``fn()`` on ``loop`` when CLOCK_BOOTTIME reaches it."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.timerfd_create(CLOCK_BOOTTIME, os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"timerfd_create(CLOCK_BOOTTIME): {os.strerror(err)}")
        self._settime = libc.timerfd_settime
        self._settime.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.POINTER(_Itimerspec),
                                  ctypes.c_void_p]
        self.fd = fd
        self._closer = weakref.finalize(self, os.close, fd)  # a Clocks let go of: fd closed
        self._loop: asyncio.AbstractEventLoop | None = None
        self._fn: Callable[[], None] | None = None
        self._token = 0

    def call_at(self, loop: asyncio.AbstractEventLoop, at: float,
                fn: Callable[[], None]) -> BootTimerHandle:
        if self._loop is not loop:
            if self._loop is not None and not self._loop.is_closed():
                self._loop.remove_reader(self.fd)
            loop.add_reader(self.fd, self._fired)
            self._loop = loop
        self._token += 1
        self._fn = fn
        self._arm(max(at, 1e-9))  # an all-zero time would disarm it
        return BootTimerHandle(self, self._token)

    def _arm(self, at: float) -> None:
        frac, whole = math.modf(at)
        spec = _Itimerspec(_Timespec(0, 0), _Timespec(int(whole), int(frac * 1e9)))
        if self._settime(self.fd, TFD_TIMER_ABSTIME if at else 0, ctypes.byref(spec), None) < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"timerfd_settime: {os.strerror(err)}")

    def _fired(self) -> None:
        try:
            os.read(self.fd, 8)  # the expiry count; reading it re-arms the readiness
        except BlockingIOError:  # re-armed meanwhile: not due after all
            return
        fn, self._fn = self._fn, None
        if fn is not None:
            fn()

    def cancel(self, token: int) -> None:
        if token == self._token and self._fn is not None:
            self._fn = None
            self._arm(0.0)  # disarm

    def close(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self.fd)
        self._loop = None
        self._closer()


class BootTimerHandle:
    def __init__(self, timer: BootTimer, token: int) -> None:
        self._timer = timer
        self._token = token

    def cancel(self) -> None:
        self._timer.cancel(self._token)


def boot_timer_or_none() -> BootTimer | None:
    """A BootTimer where the platform has one (Linux), else None (asyncio's timers then)."""
    if not (hasattr(time, "CLOCK_BOOTTIME") and time.CLOCK_BOOTTIME == CLOCK_BOOTTIME):
        return None
    try:
        return BootTimer()
    except (OSError, AttributeError):
        return None
