"""Windows: a value under the ``Run`` key (per user: HKCU; all users: HKLM) that starts
``pythonw.exe -m sitbreak run``, so no console window opens at login.

The registry is reached through ``Registry``; ``WinRegistry`` is the real one (``winreg``), and
tests hand in a dictionary-backed one, so the value written is checked on any system.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Protocol

from sitbreak.autostart.base import AutostartError, State, check_printable
from sitbreak.i18n import _

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE = "sitbreak"
HKCU = "HKEY_CURRENT_USER"
HKLM = "HKEY_LOCAL_MACHINE"


class Registry(Protocol):
    def get(self, hive: str, key: str, name: str) -> str | None: ...

    def set(self, hive: str, key: str, name: str, value: str) -> None: ...

    def delete(self, hive: str, key: str, name: str) -> bool: ...


class WinRegistry:
    """The real registry (only importable on Windows)."""

    def _hive(self, hive: str) -> int:
        import winreg

        return int(getattr(winreg, hive))

    def get(self, hive: str, key: str, name: str) -> str | None:
        import winreg

        try:
            with winreg.OpenKey(self._hive(hive), key) as k:  # type: ignore[attr-defined,unused-ignore]
                value, _kind = winreg.QueryValueEx(k, name)  # type: ignore[attr-defined,unused-ignore]
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, hive: str, key: str, name: str, value: str) -> None:
        import winreg

        with winreg.CreateKeyEx(self._hive(hive), key, 0, winreg.KEY_SET_VALUE) as k:  # type: ignore[attr-defined,unused-ignore]
            winreg.SetValueEx(k, name, 0, winreg.REG_SZ, value)  # type: ignore[attr-defined,unused-ignore]

    def delete(self, hive: str, key: str, name: str) -> bool:
        import winreg

        try:
            with winreg.OpenKey(self._hive(hive), key, 0, winreg.KEY_SET_VALUE) as k:  # type: ignore[attr-defined,unused-ignore]
                winreg.DeleteValue(k, name)  # type: ignore[attr-defined,unused-ignore]
        except FileNotFoundError:
            return False
        return True


def command_line(argv: Sequence[str]) -> str:
    check_printable(argv)
    return subprocess.list2cmdline(list(argv))


class WindowsAutostart:
    name = "windows-run"

    def __init__(self, registry: Registry, *, all_users: bool = False) -> None:
        self.registry = registry
        self.hive = HKLM if all_users else HKCU

    @property
    def where(self) -> str:
        return f"{self.hive}\\{RUN_KEY}\\{VALUE}"

    def enable(self, argv: Sequence[str]) -> str:
        try:
            self.registry.set(self.hive, RUN_KEY, VALUE, command_line(argv))
        except OSError as exc:
            raise AutostartError(_("{where}: cannot write ({error})").format(
                where=self.where, error=exc.strerror)) from None
        return f"autostart enabled: {self.where}"

    def disable(self) -> str:
        try:
            removed = self.registry.delete(self.hive, RUN_KEY, VALUE)
        except OSError as exc:
            raise AutostartError(_("{where}: cannot remove ({error})").format(
                where=self.where, error=exc.strerror)) from None
        return f"autostart disabled: removed {self.where}" if removed else "autostart was not enabled"

    def state(self) -> State:
        value = self.registry.get(self.hive, RUN_KEY, VALUE)
        return State(value is not None, self.name, self.where, value)
