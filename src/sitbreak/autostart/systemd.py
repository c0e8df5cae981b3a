"""Linux, as an option: a systemd user unit that starts with the graphical session and is
restarted if it crashes (``Restart=on-failure``).

It only starts where the desktop activates ``graphical-session.target`` (GNOME, KDE Plasma and
others with systemd session support); the XDG entry is the default because every desktop honours
it. Enabling is what ``systemctl --user enable`` does: the unit file plus a link in
``graphical-session.target.wants/``, so it works without a running user manager; a running one is
told to reload.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from sitbreak.autostart import files
from sitbreak.autostart.base import AutostartError, Runner, State, check_printable
from sitbreak.i18n import _

UNIT = "sitbreak.service"
TARGET = "graphical-session.target"


def exec_quote(arg: str) -> str:
    """One ExecStart argument: specifiers and variables escaped, C-style quoting when needed."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and not any(c in arg for c in " \t\"'\\;"):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unit_text(argv: Sequence[str]) -> str:
    check_printable(argv)
    return "\n".join(
        [
            "[Unit]",
            "Description=sitbreak: stretch nudges from your sitting time",
            f"PartOf={TARGET}",
            f"After={TARGET}",
            "",
            "[Service]",
            "Type=simple",
            "ExecStart=" + " ".join(exec_quote(a) for a in argv),
            "Restart=on-failure",
            "RestartSec=5",
            "",
            "[Install]",
            f"WantedBy={TARGET}",
            "",
        ]
    )


def _exec_start(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("ExecStart="):
            return line.split("=", 1)[1]
    return None


class SystemdAutostart:
    name = "systemd"

    def __init__(self, unit_dir: Path, runner: Runner) -> None:
        self.unit_dir = unit_dir
        self.runner = runner

    @property
    def path(self) -> Path:
        return self.unit_dir / UNIT

    @property
    def wants_link(self) -> Path:
        return self.unit_dir / f"{TARGET}.wants" / UNIT

    def _reload(self) -> str:
        if shutil.which("systemctl") is None:
            return ""
        code, _out = self.runner(["systemctl", "--user", "daemon-reload"])
        if code != 0:
            return " (no systemd user manager answered; it takes effect at your next login)"
        return ""

    def enable(self, argv: Sequence[str]) -> str:
        files.write_atomic(self.path, unit_text(argv).encode())
        link = self.wants_link
        try:
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(self.path)
        except OSError as exc:
            raise AutostartError(_("{link}: cannot link the unit ({error})").format(
                link=link, error=exc.strerror)) from None
        return f"autostart enabled: {self.path} (systemd user unit){self._reload()}"

    def disable(self) -> str:
        had_link = files.remove(self.wants_link)
        had_unit = files.remove(self.path)
        if not (had_link or had_unit):
            return "systemd autostart was not enabled"
        return f"systemd autostart disabled: removed {self.path}{self._reload()}"

    def state(self) -> State:
        text = files.read_text(self.path)
        if text is None:
            return State(False, self.name, str(self.path))
        if not self.wants_link.is_symlink():
            return State(False, self.name, str(self.path), _exec_start(text), "unit present, not enabled")
        return State(True, self.name, str(self.path), _exec_start(text))
