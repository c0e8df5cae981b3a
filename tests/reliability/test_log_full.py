"""A full log disk: no ``--- Logging error ---`` traceback per record on stderr, one line per
outage, and the daemon keeps working (a real tmpfs, filled up, in a private mount namespace)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.daemon_proc import Daemon, headless_env, wait_for

LOG_LINES = """
import logging, sys
from pathlib import Path
from sitbreak.daemon import logs
logs.setup(False, log_dir=Path(sys.argv[1]))
for i in range(3000):
    logging.getLogger("sitbreak.test").info("line %d %s", i, "x" * 100)
print("still running", file=sys.stderr)
"""


def in_full_tmpfs(target: Path, command: list[str]) -> list[str]:
    """``command`` in a private mount namespace where ``target`` is a 16 KiB tmpfs already
    filled to the last byte (root only; the mount goes away with the process)."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare to mount a small tmpfs")
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    fill = (f"mount -t tmpfs -o size=16k sitbreak-full {target} && "
            f"(cat /dev/zero > {target}/filler 2>/dev/null; true)")
    return [unshare, "-m", "sh", "-c", f'{fill} && exec "$@"', "sh", *command]


def test_a_full_log_disk_costs_one_line_not_a_traceback_per_record(tmp_path: Path) -> None:
    logs = tmp_path / "log"
    logs.mkdir()
    r = subprocess.run(in_full_tmpfs(logs, [sys.executable, "-c", LOG_LINES, str(logs)]),
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    assert "Logging error" not in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [
        f"sitbreak: cannot write the log {logs}/sitbreak.log (No space left on device); "
        "log lines are dropped until it can",
        "still running",
    ]


RESUME = """
import json, logging, os, sys
from pathlib import Path
from sitbreak.daemon import logs
folder = Path(sys.argv[1])
logs.setup(False, log_dir=folder)
log = logging.getLogger("sitbreak.test")
for i in range(300):
    log.info("while full %d %s", i, "x" * 100)
os.remove(folder / "filler")  # room again
log.info("after")
logging.shutdown()
print(json.dumps((folder / "sitbreak.log").read_text().splitlines()[-2:]))
"""


def test_logging_resumes_when_the_disk_has_room_again(tmp_path: Path) -> None:
    logs = tmp_path / "log"
    logs.mkdir()
    r = subprocess.run(in_full_tmpfs(logs, [sys.executable, "-c", RESUME, str(logs)]),
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("cannot write the log") == 1 and "Traceback" not in r.stderr
    last, note = json.loads(r.stdout)
    assert last.endswith("INFO sitbreak.test: after")
    assert note.endswith("WARNING sitbreak.test: log file writable again after 300 failed "
                         "writes")


def test_the_daemon_runs_on_with_a_full_log_disk(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    logs = Path(env["XDG_STATE_HOME"]) / "sitbreak" / "log"
    logs.mkdir(parents=True)
    d = Daemon(env, tmp_path)
    with d.out_path.open("ab") as out:
        d.proc = subprocess.Popen(
            in_full_tmpfs(logs, [sys.executable, "-m", "sitbreak", "run"]), env=d.env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_for(d._answers, 20, "the daemon's control socket")
        for _ in range(3):
            d.cli("pause", "1h")
            d.cli("resume")
        assert d.status()["paused"] is False
    finally:
        assert d.stop() == 0
    printed = d.output()
    assert "Logging error" not in printed and "Traceback" not in printed
    assert printed.count("cannot write the log") == 1, printed
