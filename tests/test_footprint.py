"""The running daemon costs close to nothing between its own deadlines (figures: bench/footprint.py).

A real headless daemon: while idle no thread of it wakes up (no polling of the config, no beat
in the main thread), the validator and the imaging and TLS libraries are not resident, and a
saved config edit still applies (the OS says the file changed) without leaving a thread behind.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.daemon_proc import Daemon, headless_env, wait_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, inotify")

# Nothing falls due for half an hour; the idle counter is read at most every minute.
QUIET = '[timing]\nstretch_every = "30m"\n'


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return headless_env(tmp_path, XDG_CONFIG_DIRS=str(tmp_path / "xdg"))


def switches(pid: int) -> dict[int, int]:
    """Context switches so far, per thread: a thread that wakes up switches at least once."""
    out: dict[int, int] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        status = Path(f"/proc/{pid}/task/{tid}/status").read_text()
        out[int(tid)] = sum(int(line.split()[1]) for line in status.splitlines()
                            if "ctxt_switches:" in line)  # voluntary and involuntary
    return out


def woke(pid: int, seconds: float) -> dict[int, int]:
    before = switches(pid)
    time.sleep(seconds)
    after = switches(pid)
    return {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}


def mapped(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_idle_daemon_sleeps_and_a_config_edit_still_applies(env: dict[str, str],
                                                            tmp_path: Path) -> None:
    with Daemon(env, tmp_path, config=QUIET, args=("--headless",)) as d:
        assert d.proc is not None
        pid = d.proc.pid
        wait_for(lambda: "sitbreak running" in d.log(), 10, "the daemon to be up")
        time.sleep(1.0)  # start-up done: the first reading, the control socket's reply
        threads = len(os.listdir(f"/proc/{pid}/task"))

        # no thread wakes up: the config is not polled, the main thread does not beat
        assert woke(pid, 4.0) == {}

        maps = mapped(pid)
        assert "pydantic" not in maps  # validated in a child process
        assert "/PIL/" not in maps and "libssl" not in maps and "libcrypto" not in maps

        # a saved edit is noticed (inotify) and applied
        tmp = d.config_path.with_name(".sitbreak.toml.swp")
        tmp.write_text('[timing]\nstretch_every = "40m"\n', encoding="utf-8")
        os.replace(tmp, d.config_path)
        d.wait_status(lambda s: s["stretch_every_s"] == 40 * 60, 10, "the edit applied")
        assert "with inotify" in d.log()
        # the reload's thread (and its validator child) are gone again
        wait_for(lambda: len(os.listdir(f"/proc/{pid}/task")) == threads, 5, "threads back")
        assert not d.children()
        assert "pydantic" not in mapped(pid)
        time.sleep(1.0)  # the status requests above woke it; now quiet again
        assert woke(pid, 3.0) == {}
