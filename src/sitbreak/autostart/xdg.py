"""Linux and other freedesktop sessions: an XDG autostart entry (``autostart/sitbreak.desktop``).

The user's entry lives in ``$XDG_CONFIG_HOME/autostart``; the all-users one in the first of
``$XDG_CONFIG_DIRS`` (``/etc/xdg/autostart``). A user entry of the same name overrides a system one,
so turning autostart off for yourself under an all-users install writes ``Hidden=true``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sitbreak.autostart import files
from sitbreak.autostart.base import State, check_printable

FILE_NAME = "sitbreak.desktop"
# Characters that make the Desktop Entry spec require a quoted argument in Exec.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One Exec argument per the Desktop Entry spec: quoted when needed, ``%`` doubled, and the
    string-level backslash escape applied on top of the quoting one."""
    arg = arg.replace("%", "%%")
    if arg and not (_RESERVED & set(arg)):
        quoted = arg
    else:
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        quoted = f'"{inner}"'
    return quoted.replace("\\", "\\\\")


def exec_line(argv: Sequence[str]) -> str:
    check_printable(argv)
    return " ".join(exec_quote(a) for a in argv)


def desktop_entry(command: str, *, hidden: bool = False, menu: bool = False) -> str:
    """The entry; ``command`` is an Exec value (``exec_line(argv)``). ``menu``: the launcher
    entry for ``applications/`` rather than the autostart one."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=sitbreak",
        "GenericName=Stretch reminder",
        "Comment=Nudges you to stand up and stretch before sitting hurts",
        "Exec=" + command,
        "Icon=sitbreak",
        "Terminal=false",
        "Categories=Utility;",
        "StartupNotify=false",
    ]
    if menu:
        lines.append("Keywords=break;stretch;posture;sitting;timer;")
    else:
        lines += ["X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-Delay=10"]
    if hidden:
        lines.append("Hidden=true")
    return "\n".join(lines) + "\n"


def _entry_value(text: str, key: str) -> str | None:
    in_main = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            in_main = line == "[Desktop Entry]"
        elif in_main and line.startswith(key + "="):
            return line.split("=", 1)[1]
    return None


def _is_hidden(text: str) -> bool:
    return (_entry_value(text, "Hidden") or "").lower() == "true" or (
        _entry_value(text, "X-GNOME-Autostart-enabled") or ""
    ).lower() == "false"


def config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def config_dirs() -> list[Path]:
    raw = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    return [Path(p) for p in raw.split(":") if p and os.path.isabs(p)] or [Path("/etc/xdg")]


class XdgAutostart:
    name = "xdg"

    def __init__(
        self,
        user_dir: Path | None = None,
        system_dirs: Sequence[Path] | None = None,
        *,
        all_users: bool = False,
    ) -> None:
        self.user_dir = user_dir if user_dir is not None else config_home() / "autostart"
        dirs = system_dirs if system_dirs is not None else [d / "autostart" for d in config_dirs()]
        self.system_dirs = list(dirs)
        self.all_users = all_users

    @property
    def path(self) -> Path:
        return (self.system_dirs[0] if self.all_users else self.user_dir) / FILE_NAME

    def _system_entry(self) -> Path | None:
        for d in self.system_dirs:
            if (d / FILE_NAME).is_file():
                return d / FILE_NAME
        return None

    def enable(self, argv: Sequence[str]) -> str:
        files.write_atomic(self.path, desktop_entry(exec_line(argv)).encode())
        return f"autostart enabled: {self.path}"

    def disable(self) -> str:
        if self.all_users:
            removed = files.remove(self.path)
            return f"autostart for all users removed: {self.path}" if removed else (
                "autostart for all users was not enabled"
            )
        system = self._system_entry()
        if system is not None:
            # the user's entry of the same name hides the system one for this user only
            command = _entry_value(files.read_text(system) or "", "Exec") or "sitbreak run"
            files.write_atomic(self.path, desktop_entry(command, hidden=True).encode())
            return f"autostart disabled for you (it stays on for other users): {self.path}"
        removed = files.remove(self.path)
        return f"autostart disabled: removed {self.path}" if removed else "autostart was not enabled"

    def state(self) -> State:
        if not self.all_users:
            text = files.read_text(self.path)
            if text is not None:
                if _is_hidden(text):
                    return State(False, self.name, str(self.path), None, "hidden for you")
                return State(True, self.name, str(self.path), _entry_value(text, "Exec"))
        system = self._system_entry()
        if system is not None:
            text = files.read_text(system) or ""
            if not _is_hidden(text):
                return State(True, self.name, str(system), _entry_value(text, "Exec"),
                             "for all users")
        return State(False, self.name, str(self.path))


def main(argv: list[str]) -> int:
    """``python -m sitbreak.autostart.xdg --menu PROGRAM ARGS…``: print the launcher entry (the
    Linux installer writes it to ``applications/``)."""
    if len(argv) < 3 or argv[1] != "--menu":
        print("usage: python -m sitbreak.autostart.xdg --menu PROGRAM [ARGS…]", file=sys.stderr)
        return 2
    sys.stdout.write(desktop_entry(exec_line(argv[2:]), menu=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
