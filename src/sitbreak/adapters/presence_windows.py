"""Windows: a microphone or camera in use, from the CapabilityAccessManager consent store.

Windows records, per application that asked for the microphone or the webcam, when it last
started and stopped using it (``LastUsedTimeStart`` / ``LastUsedTimeStop``, FILETIME QWORDs)
under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\
ConsentStore\\{microphone,webcam}``: one subkey per packaged app, and per desktop program under
``NonPackaged``. A device is in use while some entry has started and ``LastUsedTimeStop == 0``.
This is what the Settings privacy page and the taskbar's microphone icon show. Only *whether*:
the key names (which application) are never kept.

Written against the documented registry layout and tested with recorded values; it has not
run on Windows yet. Looked at only when the answer matters (``pushes`` is False).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sitbreak.adapters.base import PresenceReading
from sitbreak.i18n import N_, Text

STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
CAPABILITIES = ("microphone", "webcam")

# (LastUsedTimeStart, LastUsedTimeStop) of every entry under one capability
Usages = Callable[[str], Iterable[tuple[int, int]]]


def registry_usages(capability: str) -> Iterator[tuple[int, int]]:
    """Walk the consent store with winreg (Windows only)."""
    import importlib

    winreg: Any = importlib.import_module("winreg")  # typeshed hides it off Windows

    def walk(path: str) -> Iterator[tuple[int, int]]:
        try:
            key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, path)
        except OSError:
            return
        with key:
            try:
                start = int(winreg.QueryValueEx(key, "LastUsedTimeStart")[0])
                stop = int(winreg.QueryValueEx(key, "LastUsedTimeStop")[0])
                yield start, stop
            except OSError:
                pass  # a folder such as NonPackaged: its entries are below
            i = 0
            while True:
                try:
                    sub = winreg.EnumKey(key, i)
                except OSError:
                    return
                i += 1
                yield from walk(f"{path}\\{sub}")

    yield from walk(f"{STORE}\\{capability}")


def in_use(usages: Iterable[tuple[int, int]]) -> bool:
    return any(start != 0 and stop == 0 for start, stop in usages)


class ConsentStoreCalls:
    name = "microphone/camera (Windows consent store)"
    pushes = False

    def __init__(self, usages: Usages = registry_usages) -> None:
        self._usages = usages

    async def start(self, on_change: object) -> None:
        """Nothing to start: it looks when asked."""

    def read(self) -> PresenceReading:
        try:
            return PresenceReading(call=any(in_use(self._usages(c)) for c in CAPABILITIES))
        except OSError:
            return PresenceReading()

    def describe(self) -> Text:
        if self.read().call:
            return Text(N_("in use now (not yet run on Windows)"))
        return Text(N_("not in use now (not yet run on Windows)"))

    async def close(self) -> None:
        pass
