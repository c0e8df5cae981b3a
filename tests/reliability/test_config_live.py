"""A running daemon whose config goes bad: it keeps the last good config *and* raises the one
notification, for every way a file can go bad (invalid, non-finite, deleted, a dangling
symlink, a FIFO, a directory, a device, unreadable); the worker loop never blocks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, headless_env, wait_for

ALERT = "[sitbreak] sitbreak: config not applied: "


def config_env(base: Path) -> dict[str, str]:
    return headless_env(base, XDG_CONFIG_HOME=str(base / "home" / "config"),
                        XDG_DATA_HOME=str(base / "home" / "data"))


def alerts(d: Daemon) -> list[str]:
    out = d.out_path.read_text(errors="replace") if d.out_path.exists() else ""
    return [line.removeprefix(ALERT) for line in out.splitlines() if line.startswith(ALERT)]


def expect_alert(d: Daemon, before: int, ending: str) -> str:
    """The next alert (exactly one new one) says ``ending``; the status still answers fast and
    the last good config is still in force."""
    new = wait_for(lambda: alerts(d)[before:], 10, f"an alert ending {ending!r}")
    time.sleep(1.5)  # one more watch round: still exactly one alert for this problem
    new = alerts(d)[before:]
    assert len(new) == 1, new
    assert ending in new[0], new[0]
    assert not any(ord(ch) < 32 for ch in new[0])
    start = time.monotonic()
    assert d.status()["stretch_every_s"] == 60  # FAST_CONFIG's value, kept
    assert time.monotonic() - start < 5
    return new[0]


def replace(path: Path, make: Callable[[Path], object]) -> None:
    """Swap the config for something else the way an editor or a user would: atomically."""
    tmp = path.with_name(".swap")
    make(tmp)
    os.replace(tmp, path)


def test_every_kind_of_bad_config_keeps_the_last_good_one_and_notifies_once(
        tmp_path: Path) -> None:
    env = config_env(tmp_path)
    content = Path(env["XDG_CONFIG_HOME"]) / "sitbreak" / "content"
    content.mkdir(parents=True)
    os.mkfifo(content / "stuck.toml")  # read at start and at every reload: must not block
    with Daemon(env, tmp_path) as d:
        cfg = d.config_path
        assert d.status()["stretch_every_s"] == 60
        assert f"{content / 'stuck.toml'}: file: not a regular file (a FIFO)" in d.log()

        replace(cfg, lambda p: p.write_text(FAST_CONFIG.replace('"60s"', '"inf"')))
        expect_alert(d, 0, "bad duration 'inf'; write a number with h, m or s (each once, in "
                           "that order), e.g. '30m', '90s' or '1h30m'")
        # the old daemon took "inf", and after a snooze every later status failed
        assert d.cli("snooze", check=False).returncode in (0, 1)
        assert d.status()["stretch_every_s"] == 60

        replace(cfg, lambda p: p.write_text(FAST_CONFIG.replace('away_after = "3s"',
                                                                "away_after = nan")))
        expect_alert(d, 1, "a duration must be a finite number of seconds, got nan")

        replace(cfg, os.mkfifo)
        expect_alert(d, 2, f"{cfg}: not a regular file (a FIFO)")

        cfg.unlink()
        expect_alert(d, 3, f"{cfg}: the config file was deleted")

        cfg.symlink_to(tmp_path / "gone.toml")
        expect_alert(d, 4, f"{cfg}: a symbolic link to a missing file")

        cfg.unlink()
        cfg.mkdir()
        expect_alert(d, 5, f"{cfg}: not a regular file (a directory)")

        cfg.rmdir()
        cfg.symlink_to("/dev/zero")
        expect_alert(d, 6, f"{cfg}: not a regular file (a device) (via a symbolic link to "
                           "/dev/zero)")

        replace(cfg, lambda p: p.write_text(FAST_CONFIG.replace('"60s"', '"120s"')))
        d.wait_status(lambda s: s["stretch_every_s"] == 120, 10, "the good config applied")
        assert len(alerts(d)) == 7
        assert all(a.endswith("; keeping the last good config") for a in alerts(d))
        assert "Traceback" not in d.log() and "Traceback" not in d.output()
    assert d.proc is not None and d.proc.returncode == 0


# -- unreadable: the daemon must not be root for permissions to count --------------------

class NobodyDaemon(Daemon):
    """The same daemon run as user 'nobody' (setpriv), CLI calls too."""

    prefix: ClassVar[list[str]] = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    def start(self, wait: bool = True) -> Daemon:
        with self.out_path.open("ab") as out:
            self.proc = subprocess.Popen(
                [*self.prefix, sys.executable, "-m", "sitbreak", "-v", self.command],
                env=self.env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        if wait:
            wait_for(self._answers, 20, "the daemon's control socket")
        return self

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([*self.prefix, sys.executable, "-m", "sitbreak", *args], env=self.env,
                           capture_output=True, text=True, timeout=30, check=False)
        if check and r.returncode != 0:
            raise AssertionError(f"sitbreak {' '.join(args)}: {r.stderr}\n{self.output()}")
        return r


@pytest.fixture
def nobody_dir() -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the daemon as another user")
    path = Path(tempfile.mkdtemp(prefix="sitbreak-cfg-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_an_unreadable_config_keeps_the_last_good_one_and_notifies(nobody_dir: Path) -> None:
    env = config_env(nobody_dir)
    d = NobodyDaemon(env, nobody_dir)
    for p in [nobody_dir, *nobody_dir.rglob("*")]:
        os.chown(p, 65534, 65534)
    try:
        d.start()
        assert d.status()["stretch_every_s"] == 60
        d.config_path.chmod(0)
        expect_alert(d, 0, f"{d.config_path}: cannot read (Permission denied)")
        d.config_path.chmod(0o644)
        d.config_path.write_text(FAST_CONFIG.replace('"60s"', '"90s"'))
        d.wait_status(lambda s: s["stretch_every_s"] == 90, 10, "the readable config applied")
    finally:
        d.stop()
