"""An office's shared config: the system-wide file, the user's file on top key by key, locks.

The last test runs a real daemon: an administrator's locked key holds against the user's file,
`sitbreak status` shows the locked value and the one-line report, and edits to the system file
reach the running daemon.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitbreak.daemon.config_watch import ConfigWatcher
from sitbreak.errors import ConfigError
from sitbreak.settings.layers import load_effective, system_locations
from tests.daemon_proc import FAST_CONFIG, Daemon, headless_env, wait_for

OFFICE = """\
# office defaults, set by IT
[timing]
stretch_every = "45m"
snooze = "5m"

[locked]
keys = ["timing.stretch_every", "history"]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("SITBREAK_"):
            monkeypatch.delenv(key)


def test_system_file_locations_per_platform() -> None:
    assert system_locations("win32", {"PROGRAMDATA": "D:\\Data"}) == [
        "D:\\Data\\sitbreak\\sitbreak.toml"]
    assert system_locations("win32", {}) == ["C:\\ProgramData\\sitbreak\\sitbreak.toml"]
    assert system_locations("darwin", {}) == [
        "/Library/Application Support/sitbreak/sitbreak.toml"]
    assert system_locations("linux", {}) == ["/etc/xdg/sitbreak/sitbreak.toml"]
    # XDG_CONFIG_DIRS is honoured, most important first; relative entries are ignored (spec)
    assert system_locations("linux", {"XDG_CONFIG_DIRS": "/srv/xdg:relative:/etc/xdg/"}) == [
        "/srv/xdg/sitbreak/sitbreak.toml", "/etc/xdg/sitbreak/sitbreak.toml"]


def test_user_file_overrides_key_by_key(tmp_path: Path, clean_env: None) -> None:
    system = write(tmp_path / "etc/sitbreak.toml", '[timing]\nstretch_every = "45m"\nsnooze = "5m"\n')
    user = write(tmp_path / "user.toml", '[timing]\nsnooze = "15m"\n')
    eff = load_effective(user, system=[system])
    assert eff.settings.timing.stretch_every == 45 * 60  # from the office
    assert eff.settings.timing.snooze == 15 * 60  # the user's own
    assert eff.settings.timing.away_after == 180  # default
    assert eff.origins["timing.stretch_every"] == f"system file {system}"
    assert eff.origins["timing.snooze"] == f"user file {user}"
    assert eff.origins["timing.away_after"] == "default"
    assert eff.notes == ()


def test_locked_keys_hold_and_each_attempt_is_one_line(tmp_path: Path, clean_env: None) -> None:
    system = write(tmp_path / "etc/sitbreak.toml", OFFICE)
    user = write(tmp_path / "user.toml",
                 '[timing]\nsnooze = "15m"\nstretch_every = "20m"\n\n[history]\nenabled = false\n')
    eff = load_effective(user, system=[system])
    assert eff.settings.timing.stretch_every == 45 * 60
    assert eff.settings.timing.snooze == 15 * 60  # the rest of the user's file still applies
    assert eff.settings.history.enabled is True  # a whole locked section: the default holds
    assert eff.notes == (
        f'{user}:3: timing.stretch_every is locked by {system}; keeping "45m"',
        f"{user}:6: history.enabled is locked by {system}; keeping the default true",
    )
    assert {"timing.stretch_every", "history.enabled", "history.path"} <= eff.locked
    # setting a locked key to the value in force is not an attempt to change it
    write(user, '[timing]\nstretch_every = "45m"\n')
    assert load_effective(user, system=[system]).notes == ()


def test_environment_cannot_unlock_either(tmp_path: Path, clean_env: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    system = write(tmp_path / "etc/sitbreak.toml", OFFICE)
    monkeypatch.setenv("SITBREAK_TIMING__STRETCH_EVERY", "10m")
    monkeypatch.setenv("SITBREAK_TIMING__REPEAT_AFTER", "2m")
    eff = load_effective(None, system=[system])
    assert eff.settings.timing.stretch_every == 45 * 60
    assert eff.settings.timing.repeat_after == 120
    assert eff.origins["timing.repeat_after"] == "environment SITBREAK_TIMING__REPEAT_AFTER"
    assert eff.notes == (
        "environment variable SITBREAK_TIMING__STRETCH_EVERY: timing.stretch_every is locked by "
        f'{system}; keeping "45m"',)


def test_more_important_xdg_dir_wins(tmp_path: Path, clean_env: None) -> None:
    first = write(tmp_path / "a/sitbreak.toml", '[timing]\nsnooze = "2m"\n')
    second = write(tmp_path / "b/sitbreak.toml", '[timing]\nsnooze = "7m"\nrepeat_after = "4m"\n')
    eff = load_effective(None, system=[first, second])
    assert eff.settings.timing.snooze == 120
    assert eff.settings.timing.repeat_after == 240
    assert eff.origins["timing.repeat_after"] == f"system file {second}"


@pytest.mark.parametrize(("system_text", "user_text", "message"), [
    (OFFICE, '[locked]\nkeys = []\n',
     "{user}:1: locked: only the system-wide file ({system}) can lock keys"),
    ('[locked]\nkeys = ["timing.strech_every"]\n', "",
     "{system}:2: locked.keys: unknown key 'timing.strech_every' (write section.key, e.g. "
     "'timing.stretch_every')"),
    ('[timing]\nstretch_every = "soon"\n', "",
     "{system}:2: timing.stretch_every: bad duration 'soon'; write a number with h, m or s "
     "(each once, in that order), e.g. '30m', '90s' or '1h30m'"),
    ('[timing]\nstretch_every = "45m"\n', '[timing]\naway_after = "50m"\n',
     "{user}:2: timing.away_after: must be shorter than stretch_every (3000s >= 2700s)"),
    ("[timing\n", "", "{system}:1: TOML syntax error"),
])
def test_bad_files_are_one_line_naming_the_file(tmp_path: Path, clean_env: None, system_text: str,
                                                user_text: str, message: str) -> None:
    system = write(tmp_path / "etc/sitbreak.toml", system_text)
    user = write(tmp_path / "user.toml", user_text)
    with pytest.raises(ConfigError) as err:
        load_effective(user, system=[system])
    assert str(err.value).startswith(message.format(user=user, system=system)), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_linked_system_file_is_followed_to_a_regular_file_only(tmp_path: Path,
                                                                 clean_env: None) -> None:
    # configuration management links files into /etc: followed, like the user's dotfiles; what
    # the link leads to must still be a regular file (a FIFO would block the daemon)
    real = write(tmp_path / "elsewhere.toml", OFFICE)
    link = tmp_path / "etc/sitbreak.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    assert load_effective(None, system=[link]).settings.timing.stretch_every == 45 * 60
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    link.unlink()
    link.symlink_to(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_effective(None, system=[link])


def test_watcher_reloads_on_a_system_file_edit_without_a_user_file(tmp_path: Path,
                                                                  clean_env: None) -> None:
    system = write(tmp_path / "etc/sitbreak.toml", OFFICE)
    user = tmp_path / "no-user-file.toml"
    applied: list[float] = []
    watcher = ConfigWatcher(user, lambda p: load_effective(p, system=[system]),
                            lambda eff: applied.append(eff.settings.timing.stretch_every),
                            lambda msg: None, settle=0.01, also=[system])
    time.sleep(0.01)
    write(system, OFFICE.replace("45m", "50m"))
    assert asyncio.run(watcher.check())
    assert applied == [50 * 60]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_DIRS: Linux")
def test_config_show_prints_values_and_where_they_come_from(tmp_path: Path) -> None:
    write(tmp_path / "xdg/sitbreak/sitbreak.toml", OFFICE)
    user = write(tmp_path / "user.toml", '[timing]\nstretch_every = "20m"\nrepeat_after = "4m"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITBREAK_")}
    env.update(XDG_CONFIG_DIRS=str(tmp_path / "xdg"), SITBREAK_CONFIG=str(user),
               SITBREAK_TIMING__SNOOZE="3m")
    run = subprocess.run([sys.executable, "-m", "sitbreak", "config", "show"], env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    system = tmp_path / "xdg/sitbreak/sitbreak.toml"
    lines = run.stdout.splitlines()
    assert f'stretch_every = "45m"  # system file {system}, locked' in lines
    assert f'repeat_after = "4m"  # user file {user}' in lines
    assert 'snooze = "3m"  # environment SITBREAK_TIMING__SNOOZE' in lines
    assert 'away_after = "3m"  # default' in lines
    assert f'# not applied: {user}:2: timing.stretch_every is locked by {system}; keeping "45m"' in lines
    shown = json.loads(subprocess.run(
        [sys.executable, "-m", "sitbreak", "config", "show", "--json"], env=env,
        capture_output=True, text=True, timeout=60, check=True).stdout)
    assert shown["values"]["timing.stretch_every"] == {
        "value": 2700.0, "from": f"system file {system}", "locked": True}


def _daemon_env(tmp_path: Path) -> dict[str, str]:
    return headless_env(tmp_path, XDG_CONFIG_DIRS=str(tmp_path / "xdg"))


def _shared_objects(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_DIRS, /proc: Linux")
def test_locked_key_on_a_running_daemon(tmp_path: Path) -> None:
    system = write(tmp_path / "xdg/sitbreak/sitbreak.toml", OFFICE)
    # the user's file is the fast test config, which tries to set stretch_every = "60s"
    with Daemon(_daemon_env(tmp_path), tmp_path, config=FAST_CONFIG, args=("--headless",)) as d:
        user = d.config_path
        refused = f'{user}:2: timing.stretch_every is locked by {system}; keeping "45m"'
        st = d.status()
        assert st["stretch_every_s"] == 45 * 60
        assert st["config_notes"] == [refused]
        text = d.cli("status").stdout
        assert "Stretch:    every 45 min" in text
        assert f"Config:     not applied: {refused}" in text
        assert f"config not applied: {refused}" in d.log()
        # the rest of the user's file applies: their 90 s snooze, not the office's 5 min
        assert "snooze = \"1m30s\"  # user file" in d.cli("config", "show").stdout

        # the administrator changes the locked value: the running daemon follows
        write(system, OFFICE.replace('"45m"', '"50m"'))
        st = d.wait_status(lambda s: s["stretch_every_s"] == 50 * 60, 10, "the new locked value")
        assert st["config_notes"] == [refused.replace('"45m"', '"50m"')]
        # …and unlocks it: the user's own 60 s applies, nothing is refused any more
        write(system, OFFICE.replace('"timing.stretch_every", ', ""))
        st = d.wait_status(lambda s: s["stretch_every_s"] == 60, 10, "the user's value")
        assert st["config_notes"] == []
        # the daemon never loads the chart library (statistics import it only in `stats`)
        assert d.proc is not None
        assert "matplotlib" not in _shared_objects(d.proc.pid)
    assert wait_for(lambda: not d.alive, 10, "the daemon to stop")
