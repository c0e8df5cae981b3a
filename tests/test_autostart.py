"""`sitbreak autostart`: the files and registry values each platform reads at login.

Linux files are checked by the real validators (desktop-file-validate, systemd-analyze). The
Windows and macOS backends write through the same code as on those systems, into a dictionary
registry and a temporary LaunchAgents folder; only the OS calls (winreg itself, launchctl) are
left to CI on those systems.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from sitbreak import autostart
from sitbreak.autostart.base import AutostartError, launch_argv
from sitbreak.autostart.macos import LABEL, MacAutostart
from sitbreak.autostart.systemd import SystemdAutostart
from sitbreak.autostart.windows import HKCU, HKLM, RUN_KEY, WindowsAutostart
from sitbreak.autostart.xdg import XdgAutostart, exec_quote

needs_validator = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate missing (Debian desktop-file-utils; installers/desktop-packages.sh)",
)


def validate_desktop(path: Path) -> None:
    run = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True,
                         timeout=30, check=False)
    assert run.returncode == 0 and not run.stdout.strip(), run.stdout + run.stderr


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


class Recorder:
    """Stands in for launchctl/systemctl, which do not exist here: records what would run."""

    def __init__(self, code: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.code = code

    def __call__(self, argv: Sequence[str]) -> tuple[int, str]:
        self.calls.append(list(argv))
        return self.code, "" if self.code == 0 else "Bootstrap failed: 5: Input/output error"


class DictRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}

    def get(self, hive: str, key: str, name: str) -> str | None:
        return self.values.get((hive, key, name))

    def set(self, hive: str, key: str, name: str, value: str) -> None:
        self.values[(hive, key, name)] = value

    def delete(self, hive: str, key: str, name: str) -> bool:
        return self.values.pop((hive, key, name), None) is not None


# ---- Linux: XDG autostart -----------------------------------------------------------------------


@needs_validator
def test_xdg_entry_is_valid_and_starts_this_installation(tmp_path: Path) -> None:
    backend = XdgAutostart(tmp_path / "home/autostart", [tmp_path / "etc/autostart"])
    argv = launch_argv()
    assert Path(argv[0]).is_absolute() and argv[-1] == "run"
    assert "enabled" in backend.enable(argv)
    entry = tmp_path / "home/autostart/sitbreak.desktop"
    validate_desktop(entry)
    text = entry.read_text()
    assert f"Exec={argv[0]} " in text and "Icon=sitbreak" in text
    state = backend.state()
    assert state.enabled and state.where == str(entry) and state.command == " ".join(argv)
    assert "removed" in backend.disable()
    assert not entry.exists() and not backend.state().enabled


@needs_validator
def test_xdg_quotes_awkward_paths_so_the_entry_stays_valid(tmp_path: Path) -> None:
    odd = tmp_path / "My Apps" / "100% $HOME" / "bin" / "sitbreak"
    backend = XdgAutostart(tmp_path / "autostart", [])
    backend.enable([str(odd), "run"])
    validate_desktop(tmp_path / "autostart/sitbreak.desktop")
    assert exec_quote(str(odd)).startswith('"') and "%%" in exec_quote(str(odd))
    assert exec_quote("run") == "run"


def test_xdg_refuses_control_characters(tmp_path: Path) -> None:
    with pytest.raises(AutostartError, match="control character"):
        XdgAutostart(tmp_path / "a", []).enable(["/opt/x\nHidden=true", "run"])
    assert not (tmp_path / "a/sitbreak.desktop").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_xdg_does_not_write_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (tmp_path / "autostart").mkdir()
    (tmp_path / "autostart/sitbreak.desktop").symlink_to(victim)
    XdgAutostart(tmp_path / "autostart", []).enable(["/usr/bin/sitbreak", "run"])
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "autostart/sitbreak.desktop").is_symlink()


@needs_validator
def test_all_users_entry_and_a_user_who_opts_out(tmp_path: Path) -> None:
    system = XdgAutostart(tmp_path / "u/autostart", [tmp_path / "etc/xdg/autostart"], all_users=True)
    system.enable(["/opt/sitbreak/venv/bin/sitbreak", "run"])
    validate_desktop(tmp_path / "etc/xdg/autostart/sitbreak.desktop")
    user = XdgAutostart(tmp_path / "u/autostart", [tmp_path / "etc/xdg/autostart"])
    state = user.state()
    assert state.enabled and state.note == "for all users"
    assert "stays on for other users" in user.disable()
    hidden = tmp_path / "u/autostart/sitbreak.desktop"
    validate_desktop(hidden)
    assert "Hidden=true" in hidden.read_text()
    assert not user.state().enabled
    assert system.state().enabled  # the machine-wide entry is untouched
    user.enable(["/opt/sitbreak/venv/bin/sitbreak", "run"])
    assert user.state().enabled and "Hidden" not in hidden.read_text()


# ---- Linux: systemd user unit ---------------------------------------------------------------------


def _verify_unit(unit: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    return subprocess.run(["systemd-analyze", "--user", "verify", str(unit)], capture_output=True,
                          text=True, timeout=60, env=env, check=False)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_unit_verifies_clean_and_restarts_on_failure(tmp_path: Path) -> None:
    exe = executable(tmp_path / "with space" / "bin" / "sitbreak")
    backend = SystemdAutostart(tmp_path / "systemd/user", Recorder())
    backend.enable([str(exe), "run"])
    unit = tmp_path / "systemd/user/sitbreak.service"
    text = unit.read_text()
    assert "Restart=on-failure" in text and "WantedBy=graphical-session.target" in text
    run = _verify_unit(unit, tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == "" and run.stderr.strip() == "", run.stderr
    link = tmp_path / "systemd/user/graphical-session.target.wants/sitbreak.service"
    assert link.is_symlink() and link.resolve() == unit.resolve()
    assert backend.state().enabled and backend.state().command == f'"{exe}" run'
    backend.disable()
    assert not unit.exists() and not link.is_symlink()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a unit that starts a missing program does not verify."""
    backend = SystemdAutostart(tmp_path / "systemd/user", Recorder())
    backend.enable([str(tmp_path / "nowhere" / "sitbreak"), "run"])
    run = _verify_unit(tmp_path / "systemd/user/sitbreak.service", tmp_path)
    assert run.returncode != 0 and "nowhere" in run.stderr


# ---- Windows: the Run value ---------------------------------------------------------------------------


def test_windows_run_value_starts_pythonw_without_a_console() -> None:
    argv = launch_argv("win32", python=r"C:\Users\Ann Lee\AppData\Local\sitbreak\venv\Scripts\python.exe")
    assert argv == [r"C:\Users\Ann Lee\AppData\Local\sitbreak\venv\Scripts\pythonw.exe",
                    "-m", "sitbreak", "run"]
    registry = DictRegistry()
    backend = WindowsAutostart(registry)
    assert backend.enable(argv) == (
        r"autostart enabled: HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\sitbreak")
    assert registry.values == {(HKCU, RUN_KEY, "sitbreak"):
        r'"C:\Users\Ann Lee\AppData\Local\sitbreak\venv\Scripts\pythonw.exe" -m sitbreak run'}
    state = backend.state()
    assert state.enabled and state.command is not None and "pythonw.exe" in state.command
    assert "removed" in backend.disable()
    assert registry.values == {} and not backend.state().enabled
    assert backend.disable() == "autostart was not enabled"


def test_windows_all_users_writes_the_machine_hive() -> None:
    registry = DictRegistry()
    WindowsAutostart(registry, all_users=True).enable([r"C:\Program Files\sitbreak\pythonw.exe",
                                                        "-m", "sitbreak", "run"])
    assert list(registry.values) == [(HKLM, RUN_KEY, "sitbreak")]
    assert registry.values[(HKLM, RUN_KEY, "sitbreak")].startswith('"C:\\Program Files\\sitbreak\\')


# ---- macOS: the LaunchAgent ----------------------------------------------------------------------------


def test_macos_launch_agent_round_trips_through_plistlib(tmp_path: Path) -> None:
    home = tmp_path / "Users" / "ann"
    launchctl = Recorder()
    backend = MacAutostart(home / "Library/LaunchAgents", home / "Library/Logs/sitbreak", launchctl, 501)
    argv = [str(home / ".local/pipx/venvs/sitbreak/bin/sitbreak"), "run"]
    backend.enable(argv)
    path = home / "Library/LaunchAgents/org.sitbreak.agent.plist"
    assert backend.path == path
    raw = path.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')
    data = plistlib.loads(raw)
    assert data == {
        "Label": LABEL,
        "ProgramArguments": argv,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # restarted after a crash, not after Quit
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
        "StandardOutPath": str(home / "Library/Logs/sitbreak/launchd.log"),
        "StandardErrorPath": str(home / "Library/Logs/sitbreak/launchd.log"),
    }
    assert plistlib.dumps(data) == raw  # what we read back is exactly what we wrote
    assert (home / "Library/Logs/sitbreak").is_dir()
    assert launchctl.calls == [["launchctl", "bootout", f"gui/501/{LABEL}"],
                               ["launchctl", "bootstrap", "gui/501", str(path)]]
    assert backend.state().enabled and backend.state().command == " ".join(argv)
    backend.disable()
    assert not path.exists() and launchctl.calls[-1] == ["launchctl", "bootout", f"gui/501/{LABEL}"]


def test_macos_failed_load_still_starts_at_next_login(tmp_path: Path) -> None:
    backend = MacAutostart(tmp_path / "LaunchAgents", tmp_path / "Logs", Recorder(code=5), 501)
    message = backend.enable(["/usr/local/bin/sitbreak", "run"])
    assert "starts at next login" in message and "Input/output error" in message
    assert backend.state().enabled


def test_macos_all_users_agent_is_not_loaded_into_the_admins_session(tmp_path: Path) -> None:
    launchctl = Recorder()
    backend = MacAutostart(tmp_path / "Library/LaunchAgents", tmp_path / "Logs", launchctl, 0,
                           all_users=True)
    backend.enable(["/usr/local/bin/sitbreak", "run"])
    assert launchctl.calls == []
    assert plistlib.loads((tmp_path / "Library/LaunchAgents/org.sitbreak.agent.plist").read_bytes())[
        "RunAtLoad"] is True


def test_factory_paths_per_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etcxdg"))
    mac = autostart.select("darwin")
    assert isinstance(mac, MacAutostart)
    assert mac.path == tmp_path / "Library/LaunchAgents/org.sitbreak.agent.plist"
    mac_all = autostart.select("darwin", all_users=True)
    assert isinstance(mac_all, MacAutostart)
    assert mac_all.path == Path("/Library/LaunchAgents/org.sitbreak.agent.plist")
    linux = autostart.select("linux")
    assert isinstance(linux, XdgAutostart) and linux.path == tmp_path / "cfg/autostart/sitbreak.desktop"
    linux_all = autostart.select("linux", all_users=True)
    assert isinstance(linux_all, XdgAutostart)
    assert linux_all.path == tmp_path / "etcxdg/autostart/sitbreak.desktop"
    unit = autostart.select("linux", systemd=True)
    assert isinstance(unit, SystemdAutostart)
    assert unit.path == tmp_path / "cfg/systemd/user/sitbreak.service"
    if sys.platform != "win32":
        with pytest.raises(ModuleNotFoundError):
            autostart.select("win32").state()  # winreg exists only on Windows


# ---- the command -------------------------------------------------------------------------------------------


@needs_validator
def test_cli_enable_status_disable_and_switching_backends(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"),
           "XDG_CONFIG_DIRS": str(tmp_path / "etc-xdg")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sitbreak", "autostart", *args], env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    assert cli("status").returncode == 1
    assert cli("enable").returncode == 0
    entry = tmp_path / ".config/autostart/sitbreak.desktop"
    validate_desktop(entry)
    status = cli("status")
    assert status.returncode == 0 and status.stdout.startswith("autostart enabled (xdg)")
    # switching to the systemd unit removes the XDG entry: never started twice
    switched = cli("enable", "--systemd")
    assert switched.returncode == 0 and not entry.exists(), switched.stdout + switched.stderr
    assert (tmp_path / ".config/systemd/user/sitbreak.service").is_file()
    assert "(systemd)" in cli("status").stdout
    assert cli("disable").returncode == 0
    assert not (tmp_path / ".config/systemd/user/sitbreak.service").exists()
    assert cli("status").returncode == 1
