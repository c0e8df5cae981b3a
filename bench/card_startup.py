"""How fast the stretch card opens: from process start to its window being visible.

Usage: python bench/card_startup.py [ITEM] [RUNS]
Uses $DISPLAY if set, else starts a private Xvfb (and stops only that). Prints, per run and as
a median, the wall time until `xdotool search --onlyvisible` sees the window, the card's own
stage marks (SITBREAK_CARD_TIMING), and a bare `tkinter.Tk()` start for comparison. Target: the
card is visible in under 1 s.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def start_xvfb(state: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    auth = state / "Xauthority"
    cookie = subprocess.run(["mcookie"], capture_output=True, text=True, check=True).stdout
    for _ in range(20):
        n = random.randint(300, 899)
        if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            continue
        subprocess.run(["xauth", "-f", str(auth), "add", f":{n}", ".", cookie.strip()],
                       check=True, capture_output=True)
        xvfb = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten",
                                 "tcp", "-auth", str(auth)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        env = dict(os.environ, DISPLAY=f":{n}", XAUTHORITY=str(auth))
        for _ in range(200):
            if xvfb.poll() is not None:
                break
            ok = subprocess.run(["xdpyinfo"], env=env, capture_output=True,
                                check=False).returncode == 0
            if ok:
                return xvfb, env
            time.sleep(0.05)
        xvfb.kill()
        xvfb.wait()
    raise SystemExit("could not start Xvfb")


def visible_after(cmd: list[str], env: dict[str, str], title: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        while True:
            r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title], env=env,
                               capture_output=True, text=True, check=False)
            if r.stdout.strip():
                took = (time.perf_counter() - t0) * 1000
                break
            if proc.poll() is not None:
                raise SystemExit(f"card exited early: {proc.stderr.read() if proc.stderr else ''}")
            if time.perf_counter() - t0 > 10:
                raise SystemExit("card window did not appear within 10 s")
            time.sleep(0.01)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=5)
    return took, err


def main() -> int:
    item = sys.argv[1] if len(sys.argv) > 1 else "seated-figure-four"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    for tool in ("xdotool", "Xvfb", "xauth", "xdpyinfo", "mcookie"):
        if shutil.which(tool) is None:
            print(f"card_startup: needs {tool}", file=sys.stderr)
            return 1
    state = Path(tempfile.mkdtemp(prefix="sitbreak-bench-"))
    xvfb = None
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        xvfb, env = start_xvfb(state)
    env["SITBREAK_CARD_TIMING"] = "1"
    env["XDG_CONFIG_HOME"] = str(state / "config")  # no user items: the shipped library only
    try:
        from sitbreak.content import load_library

        title = "^" + re.escape(load_library(with_user=False).items[item].title)
        card = [sys.executable, "-m", "sitbreak.card", item]
        bare = [sys.executable, "-c",
                "import tkinter as t; r = t.Tk(); r.title('bare tk'); r.geometry('200x100');"
                " r.mainloop()"]
        visible_after(card, env, title)  # warm the file cache once
        card_ms: list[float] = []
        marks: dict[str, list[float]] = {}
        bare_ms: list[float] = []
        for _ in range(runs):
            took, err = visible_after(card, env, title)
            card_ms.append(took)
            line = next((ln for ln in err.splitlines() if ln.startswith("card timing ms:")), "")
            for k, v in re.findall(r"(\w+)=(\d+)", line):
                marks.setdefault(k, []).append(float(v))
            bare_ms.append(visible_after(bare, env, "^bare tk$")[0])
        print(f"card start-up for {item!r}, {runs} runs, display {env['DISPLAY']}")
        print("  window visible (ms): " + " ".join(f"{v:.0f}" for v in card_ms))
        med = statistics.median(card_ms)
        print(f"  median {med:.0f} ms, max {max(card_ms):.0f} ms (target < 1000 ms)")
        print("  inside the card, median ms since interpreter start: "
              + " ".join(f"{k}={statistics.median(v):.0f}" for k, v in marks.items()))
        bare_med = statistics.median(bare_ms)
        print(f"  bare tkinter window: median {bare_med:.0f} ms; card/bare = {med / bare_med:.2f}")
        return 0 if max(card_ms) < 1000 else 1
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=5)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
