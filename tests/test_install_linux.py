"""installers/linux/install.sh end to end in a temporary HOME on a real (virtual) desktop:
from a clone to sitbreak in the tray and starting with the session, twice (idempotent), then
uninstall.sh keeping config and history, and --purge removing them. Also the silent
all-users install (``--system``) into a staging root.

Each test builds a fresh venv with pip (about 20–60 s with a warm pip cache), hence the marker.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon_proc import wait_for
from tests.desktop import Desktop

ROOT = Path(__file__).resolve().parent.parent
INSTALL = ROOT / "installers/linux/install.sh"
UNINSTALL = ROOT / "installers/linux/uninstall.sh"
ICONS = ROOT / "assets/icons/hicolor"

pytestmark = [
    pytest.mark.install,
    pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                       reason="desktop-file-validate missing (installers/desktop-packages.sh)"),
]


def _pip_cache() -> str:
    run = subprocess.run(["python3", "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                         timeout=60, check=False)
    return run.stdout.strip() or str(Path.home() / ".cache/pip")


def _env(base: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in base.items() if not k.startswith("SITBREAK_")}
    env.pop("VIRTUAL_ENV", None)
    # the test's HOME is new: keep the machine's pip cache so the venv builds from it
    env.update(PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR") or _pip_cache(),
               SITBREAK_NO_SAFETY_INTRO="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _run(argv: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                         stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 0, f"{argv} exited {run.returncode}:\n{run.stdout}\n{run.stderr}"
    return run


def _validate(path: Path) -> None:
    run = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True,
                         timeout=30, check=False)
    assert run.returncode == 0 and not run.stdout.strip(), run.stdout


def _exec_program(entry: Path) -> Path:
    line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    return Path(line.removeprefix("Exec=").split(" ")[0].strip('"'))


def _daemon_pid(env: dict[str, str]) -> int | None:
    lock = Path(env["XDG_RUNTIME_DIR"]) / "sitbreak" / "sitbreak.lock"
    for candidate in [lock, *lock.parent.glob("*.lock")] if lock.parent.is_dir() else []:
        try:
            pid = int(candidate.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if Path(f"/proc/{pid}").exists():
            return pid
    return None


def _files(home: Path) -> set[str]:
    """What an install leaves in HOME, minus what running sitbreak writes (logs, caches)."""
    skip = ("venv/", ".cache/", "state/", ".local/state/", "history.sqlite3")
    return {str(p.relative_to(home)) for p in home.rglob("*")
            if p.is_file() and not any(s in str(p.relative_to(home)) for s in skip)}


@pytest.fixture
def cleanup() -> Iterator[list[dict[str, str]]]:
    """Stops a sitbreak that an installer started, by the PID in its own lock file."""
    envs: list[dict[str, str]] = []
    yield envs
    for env in envs:
        pid = _daemon_pid(env)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)


def test_install_autostart_tray_reinstall_uninstall_purge(
    desktop: Desktop, cleanup: list[dict[str, str]]
) -> None:
    env = _env(desktop.env)
    cleanup.append(env)
    home = Path(env["HOME"])
    data = Path(env["XDG_DATA_HOME"])
    bin_link = home / ".local/bin/sitbreak"
    autostart = Path(env["XDG_CONFIG_HOME"]) / "autostart/sitbreak.desktop"
    menu = data / "applications/sitbreak.desktop"

    first = _run([str(INSTALL)], env)
    assert "sitbreak is running in your tray" in first.stdout, first.stdout + first.stderr
    # starts with the session: a valid autostart entry that runs the installed sitbreak
    _validate(autostart)
    _validate(menu)
    program = _exec_program(autostart)
    assert program == data / "sitbreak/venv/bin/sitbreak" and os.access(program, os.X_OK)
    assert bin_link.resolve() == program.resolve()
    # the icon set where the hicolor theme looks for it, exactly the shipped files
    for icon in ICONS.glob("*/apps/sitbreak.*"):
        installed = data / "icons/hicolor" / icon.relative_to(ICONS)
        assert installed.is_file() and filecmp.cmp(icon, installed, shallow=False), installed
    assert len(list((data / "icons/hicolor").glob("*/apps/sitbreak.*"))) == 9
    # running in the tray, its icon docked in the panel
    status = json.loads(_run([str(bin_link), "status", "--json"], env).stdout)
    assert status["tray"].startswith("pystray"), status
    assert len(wait_for(desktop.tray_icons, 10, "the icon docked in trayer")) == 1
    first_pid = _daemon_pid(env)
    assert first_pid is not None
    config = Path(_run([str(bin_link), "config", "path"], env).stdout.strip())
    assert config.is_file()
    config.write_text(config.read_text().replace('snooze = "10m"', 'snooze = "7m"'))
    installed_files = _files(home)

    # again: same files, one sitbreak (restarted on the new code), still in the tray
    second = _run([str(INSTALL)], env)
    assert "sitbreak is running in your tray" in second.stdout
    assert _files(home) == installed_files
    assert autostart.read_text().count("[Desktop Entry]") == 1
    assert 'snooze = "7m"' in config.read_text()  # your config is never overwritten
    second_pid = _daemon_pid(env)
    assert second_pid is not None and second_pid != first_pid
    assert not Path(f"/proc/{first_pid}").exists()
    assert wait_for(lambda: len(desktop.tray_icons()) == 1, 10, "one icon in the tray")
    history = data / "sitbreak/history.sqlite3"
    assert wait_for(history.exists, 10, "the history database")

    # uninstall: sitbreak stopped, its files gone, your config and history kept
    out = _run([str(UNINSTALL)], env).stdout
    assert "your config" in out
    assert wait_for(lambda: not Path(f"/proc/{second_pid}").exists(), 10, "sitbreak to quit")
    assert not autostart.exists() and not menu.exists() and not bin_link.exists()
    assert not (data / "sitbreak/venv").exists()
    assert list((data / "icons/hicolor").glob("*/apps/sitbreak.*")) == []
    assert 'snooze = "7m"' in config.read_text() and history.is_file()

    # install.sh --uninstall --purge: everything sitbreak kept goes too
    _run([str(INSTALL), "--uninstall", "--purge"], env)
    assert not config.exists() and not history.exists() and not (data / "sitbreak").exists()
    assert not (home / ".local/state/sitbreak").exists()


def test_silent_install_for_all_users(tmp_path: Path) -> None:
    stage = tmp_path / "root"
    office = tmp_path / "office.toml"
    office.write_text('[timing]\nstretch_every = "40m"\n\n[locked]\nkeys = ["timing.stretch_every"]\n')
    env = _env({k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")})
    env.update(HOME=str(tmp_path / "admin"), SITBREAK_DESTDIR=str(stage))
    run = _run([str(INSTALL), "--system", "--system-config", str(office), "--quiet"], env)
    assert run.stdout.strip() == ""  # silent for MDM / configuration management
    program = stage / "opt/sitbreak/venv/bin/sitbreak"
    assert (stage / "usr/local/bin/sitbreak").resolve() == program.resolve()
    entry = stage / "etc/xdg/autostart/sitbreak.desktop"
    _validate(entry)
    assert _exec_program(entry) == program
    _validate(stage / "usr/local/share/applications/sitbreak.desktop")
    assert (stage / "usr/local/share/icons/hicolor/48x48/apps/sitbreak.png").is_file()
    assert (stage / "etc/xdg/sitbreak/sitbreak.toml").read_text() == office.read_text()
    assert not (tmp_path / "admin/.config").exists()  # nothing in the administrator's own HOME

    # a user of that machine: the office value holds and the autostart entry is theirs too
    user = {**env, "HOME": str(tmp_path / "ann"), "XDG_CONFIG_DIRS": str(stage / "etc/xdg"),
            "XDG_CONFIG_HOME": str(tmp_path / "ann/.config")}
    user.pop("SITBREAK_DESTDIR")
    shown = _run([str(program), "config", "show"], user).stdout
    assert f'stretch_every = "40m"  # system file {stage}/etc/xdg/sitbreak/sitbreak.toml, locked' in shown
    assert "(xdg, for all users)" in _run([str(program), "autostart", "status"], user).stdout

    _run([str(UNINSTALL), "--system"], env)
    assert not (stage / "opt/sitbreak").exists() and not entry.exists()
    assert not (stage / "usr/local/bin/sitbreak").exists()
    assert (stage / "etc/xdg/sitbreak/sitbreak.toml").is_file()  # the office config stays
    _run([str(UNINSTALL), "--system", "--purge"], env)
    assert not (stage / "etc/xdg/sitbreak").exists()
