"""macOS: a LaunchAgent (``~/Library/LaunchAgents``; all users: ``/Library/LaunchAgents``) that
starts sitbreak at login (``RunAtLoad``) and again if it crashes (``KeepAlive`` while the exit
was not a success), in GUI sessions only. Written and read back with ``plistlib``.

``launchctl`` goes through the injected runner, so the plist is checked on any system.
"""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sitbreak.autostart import files
from sitbreak.autostart.base import AutostartError, Runner, State, check_printable
from sitbreak.i18n import _

LABEL = "org.sitbreak.agent"


def agent(argv: Sequence[str], log_dir: Path) -> dict[str, Any]:
    check_printable(argv)
    return {
        "Label": LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
        "StandardOutPath": str(log_dir / "launchd.log"),
        "StandardErrorPath": str(log_dir / "launchd.log"),
    }


class MacAutostart:
    name = "launchagent"

    def __init__(
        self, agents_dir: Path, log_dir: Path, runner: Runner, uid: int, *, all_users: bool = False
    ) -> None:
        self.agents_dir = agents_dir
        self.log_dir = log_dir
        self.runner = runner
        self.uid = uid
        self.all_users = all_users

    @property
    def path(self) -> Path:
        return self.agents_dir / f"{LABEL}.plist"

    def enable(self, argv: Sequence[str]) -> str:
        plist = agent(argv, self.log_dir)
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AutostartError(_("{log_dir}: cannot create ({error})").format(
                log_dir=self.log_dir, error=exc.strerror)) from None
        files.write_atomic(self.path, plistlib.dumps(plist))
        if self.all_users:
            return f"autostart enabled for all users: {self.path} (starts at each login)"
        # load it now too, replacing an older copy; a failure only delays it to the next login
        self.runner(["launchctl", "bootout", f"gui/{self.uid}/{LABEL}"])
        code, out = self.runner(["launchctl", "bootstrap", f"gui/{self.uid}", str(self.path)])
        later = "" if code == 0 else f" (launchctl: {out or f'exit {code}'}; starts at next login)"
        return f"autostart enabled: {self.path}{later}"

    def disable(self) -> str:
        if not self.all_users and self.path.exists():
            self.runner(["launchctl", "bootout", f"gui/{self.uid}/{LABEL}"])
        removed = files.remove(self.path)
        return f"autostart disabled: removed {self.path}" if removed else "autostart was not enabled"

    def read(self) -> dict[str, Any] | None:
        text = files.read_text(self.path)
        if text is None:
            return None
        try:
            data = plistlib.loads(text.encode())
        except (plistlib.InvalidFileException, ValueError) as exc:
            raise AutostartError(_("{path}: not a readable plist ({error})").format(
                path=self.path, error=exc)) from None
        return data if isinstance(data, dict) else None

    def state(self) -> State:
        data = self.read()
        if data is None:
            return State(False, self.name, str(self.path))
        args = data.get("ProgramArguments") or []
        return State(True, self.name, str(self.path), " ".join(str(a) for a in args))
