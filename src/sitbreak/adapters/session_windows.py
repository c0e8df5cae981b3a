"""Windows lock/suspend watcher: a hidden top-level window on its own message thread receives
``WM_WTSSESSION_CHANGE`` (after ``WTSRegisterSessionNotification``) and ``WM_POWERBROADCAST``
(broadcasts reach only top-level windows). Events are handed to the worker loop with
``call_soon_threadsafe``.

UNTESTED: written from the Win32 documentation; it cannot run on the Linux CI. Import-safe
(ctypes.windll is touched only in ``start``), never selected off Windows.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import threading
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import SessionEventName

log = logging.getLogger(__name__)

WM_DESTROY = 0x0002
WM_CLOSE = 0x0010
WM_POWERBROADCAST = 0x0218
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_UNLOCK = 0x8
PBT_APMSUSPEND = 0x4
PBT_APMRESUMESUSPEND = 0x7
PBT_APMRESUMEAUTOMATIC = 0x12
NOTIFY_FOR_THIS_SESSION = 0
WS_POPUP = 0x80000000

_MESSAGES: dict[tuple[int, int], SessionEventName] = {
    (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK): "lock",
    (WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK): "unlock",
    (WM_POWERBROADCAST, PBT_APMSUSPEND): "sleep",
    (WM_POWERBROADCAST, PBT_APMRESUMESUSPEND): "wake",
    (WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC): "wake",
}


def event_for(msg: int, wparam: int) -> SessionEventName | None:
    return _MESSAGES.get((msg, wparam))


class WindowsSessionWatcher:
    name = "windows-wts"

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._hwnd: int | None = None
        self._ready = threading.Event()
        self._last: SessionEventName | None = None

    async def start(self, emit: Callable[[SessionEventName], None]) -> None:
        loop = asyncio.get_running_loop()

        def deliver(name: SessionEventName) -> None:
            if name != self._last:  # resume-automatic and resume-suspend both arrive
                self._last = name
                emit(name)

        self._thread = threading.Thread(
            target=self._pump,
            args=(lambda n: loop.call_soon_threadsafe(deliver, n),),
            name="sitbreak-wts",
            daemon=True,
        )
        self._thread.start()
        await asyncio.to_thread(self._ready.wait, 5.0)

    def _pump(self, post: Callable[[SessionEventName], Any]) -> None:
        from ctypes import wintypes

        windll: Any = getattr(ctypes, "windll")  # noqa: B009  (absent off Windows)
        winfunctype: Any = getattr(ctypes, "WINFUNCTYPE")  # noqa: B009
        user32, wtsapi32, kernel32 = windll.user32, windll.wtsapi32, windll.kernel32
        LRESULT = ctypes.c_ssize_t
        WNDPROC = winfunctype(
            LRESULT, wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM
        )
        user32.DefWindowProcW.restype = LRESULT
        user32.DefWindowProcW.argtypes = (
            wintypes.HWND,
            wintypes.UINT,
            wintypes.WPARAM,
            wintypes.LPARAM,
        )

        def wndproc(hwnd: int, msg: int, wparam: int, lparam: int) -> int:
            name = event_for(msg, wparam)
            if name is not None:
                post(name)
            if msg == WM_POWERBROADCAST:
                return 1
            if msg == WM_DESTROY:
                user32.PostQuitMessage(0)
                return 0
            return int(user32.DefWindowProcW(hwnd, msg, wparam, lparam))

        class WNDCLASSW(ctypes.Structure):
            _fields_ = (
                ("style", wintypes.UINT),
                ("lpfnWndProc", WNDPROC),
                ("cbClsExtra", ctypes.c_int),
                ("cbWndExtra", ctypes.c_int),
                ("hInstance", wintypes.HINSTANCE),
                ("hIcon", wintypes.HICON),
                ("hCursor", wintypes.HANDLE),
                ("hbrBackground", wintypes.HBRUSH),
                ("lpszMenuName", wintypes.LPCWSTR),
                ("lpszClassName", wintypes.LPCWSTR),
            )

        proc = WNDPROC(wndproc)  # keep a reference for the window's lifetime
        wc = WNDCLASSW()
        wc.lpfnWndProc = proc
        wc.hInstance = kernel32.GetModuleHandleW(None)
        wc.lpszClassName = "sitbreak-session-watcher"
        user32.RegisterClassW(ctypes.byref(wc))
        hwnd = user32.CreateWindowExW(
            0, wc.lpszClassName, "sitbreak", WS_POPUP, 0, 0, 0, 0, None, None, wc.hInstance, None
        )
        self._hwnd = hwnd
        if not wtsapi32.WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION):
            log.warning("WTSRegisterSessionNotification failed: lock/unlock not watched")
        self._ready.set()
        msg = wintypes.MSG()
        while user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
            user32.TranslateMessage(ctypes.byref(msg))
            user32.DispatchMessageW(ctypes.byref(msg))
        wtsapi32.WTSUnRegisterSessionNotification(hwnd)
        del proc

    async def close(self) -> None:
        if self._hwnd is not None:
            windll: Any = getattr(ctypes, "windll")  # noqa: B009
            windll.user32.PostMessageW(self._hwnd, WM_CLOSE, 0, 0)
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 2.0)
