"""A smoke test of an installed sitbreak on any OS (CI runs it on Windows and macOS):
``python tests/smoke.py`` — doctor, replay on a sample, the headless daemon for a few seconds
with its control commands, and autostart enable/status/disable. Exit 0 when all of it works."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITBREAK = [sys.executable, "-m", "sitbreak"]


def run(*args: str, ok: tuple[int, ...] = (0,), stdin: str | None = None) -> str:
    done = subprocess.run([*SITBREAK, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)
    print(f"$ sitbreak {' '.join(args)}  -> exit {done.returncode}\n{done.stdout}{done.stderr}")
    if done.returncode not in ok:
        raise SystemExit(f"smoke test failed: sitbreak {' '.join(args)} exited {done.returncode}")
    return done.stdout


def main() -> int:
    print(run("--version"))
    run("doctor")
    trace = "\n".join(['{"start": "2026-11-23T09:00:00"}',
                       *(json.dumps({"t": t, "event": "input"}) for t in range(0, 3700, 20))])
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "day.jsonl"
        sample.write_text(trace + "\n", encoding="utf-8")
        out = run("replay", str(sample)).splitlines()
    summary = json.loads(out[-1])
    assert summary["type"] == "summary" and summary["nudges"]["stretch"] >= 1, summary

    daemon = subprocess.Popen([*SITBREAK, "run", "--headless"], stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([*SITBREAK, "status"], capture_output=True, timeout=60,
                             check=False).returncode != 0:
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"smoke test failed: the daemon did not answer (exit {daemon.poll()})")
            time.sleep(0.5)
        time.sleep(3)  # a few seconds of running
        status = json.loads(run("status", "--json"))
        assert status["paused"] is False, status
        run("pause", "30m")
        assert json.loads(run("status", "--json"))["paused"] is True
        run("quit")
        daemon.wait(30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    print(f"daemon exited with {daemon.returncode}")

    run("autostart", "status", ok=(0, 1))
    run("autostart", "enable")
    run("autostart", "status")
    run("autostart", "disable")
    run("autostart", "status", ok=(1,))
    run("quit", ok=(0, 4))  # macOS: the LaunchAgent may have started one; it is not left running
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
