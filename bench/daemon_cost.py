"""What `sitbreak run` costs: CPU seconds and RSS after 60 s idle and 60 s of input at ~500/s.

Starts a throw-away desktop (Xvfb, private buses, dunst, and trayer or xfce4-panel as the tray
host; tests/desktop.py), runs the daemon there with the default config and a private HOME, and
reads /proc (process tree: the daemon and any children). Prints the figures; asserts nothing.

    .venv/bin/python bench/daemon_cost.py [--seconds 60] [--rate 500] [--tray sni|xorg]

Measured 2026-11-21 (2-core Debian 12 VM, Xvfb, dunst, trayer; 60 s + 60 s at ~520 events/s):
gtk tray (since removed): idle 0.02 s CPU, input 0.06 s CPU, RSS 135 MiB (PSS 84 MiB);
xorg tray: idle 0.03 s, input 0.05 s, RSS 54 MiB (PSS 36 MiB). Input costs almost nothing
because the OS idle counter is read at deadlines, not per event.
Measured again with `--seconds 30` (same machine, one run each): sni (xfce4-panel host):
start-up CPU 0.38 s, idle 0.000 s, input 0.010 s, RSS 53.7 MiB (PSS 42.1); xorg: start-up
0.43 s, idle 0.020 s (its dock-watch thread), input 0.010 s, RSS 54.6 MiB (PSS 43.2).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.daemon_proc import Daemon, wait_for  # noqa: E402
from tests.desktop import Desktop  # noqa: E402

from proc_tree import tree  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """utime+stime+cutime+cstime of the process tree, in seconds."""
    total = 0
    for p in tree(pid):
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in f[11:15])
    return total / TICK


def kib(pid: int, key: str, name: str = "status") -> int:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/{name}").read_text().splitlines():
                if line.startswith(key + ":"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def input_script(seconds: float, rate: int) -> str:
    """One `xdotool -` script: pointer moves along a square, a shift tap every 100 moves."""
    n = int(seconds * rate)
    pause = max(0.0, 1.0 / rate - 0.0004)  # each step costs xdotool ~0.3-0.4 ms itself
    lines = []
    for i in range(n):
        x = 200 + (i % 400)
        y = 200 + (i // 400 % 2) * 50
        lines.append(f"mousemove {x} {y}")
        if i % 100 == 99:
            lines.append("key shift")
        lines.append(f"sleep {pause:.4f}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rate", type=int, default=500, help="input events per second")
    ap.add_argument("--warmup", type=float, default=10.0)
    ap.add_argument("--tray", choices=("sni", "xorg"), default="xorg",
                    help="sni: xfce4-panel hosts a StatusNotifierItem; xorg: trayer, XEmbed")
    args = ap.parse_args()

    sni = args.tray == "sni"
    with Desktop(system_bus=True, dunst=True, trayer=not sni, sni_panel=sni) as desk:
        work = desk.state_dir / "bench"
        work.mkdir()
        env = desk.env
        env["SITBREAK_TRAY_BACKEND"] = args.tray
        d = Daemon(env, work, config="").start()
        assert d.proc is not None
        pid = d.proc.pid
        try:
            time.sleep(args.warmup)
            st = d.status()
            c0, r0 = cpu_s(pid), kib(pid, "VmRSS")
            print(f"daemon pid {pid}: source {st['source']}, notifier {st['notifier']}, "
                  f"tray {st['tray']}")
            print(f"start-up (after {args.warmup:g} s): CPU {c0:.2f} s, RSS {r0 / 1024:.1f} MiB, "
                  f"PSS {kib(pid, 'Pss', 'smaps_rollup') / 1024:.1f} MiB")

            time.sleep(args.seconds)
            c1, r1 = cpu_s(pid), kib(pid, "VmRSS")
            idle_cpu = c1 - c0
            print(f"idle {args.seconds:g} s: CPU {idle_cpu:.3f} s "
                  f"({100 * idle_cpu / args.seconds:.3f} % of a core), RSS {r1 / 1024:.1f} MiB")

            script = input_script(args.seconds, args.rate)
            xvfb = desk.pids["Xvfb"]
            x0 = cpu_s(xvfb)
            t0 = time.monotonic()
            subprocess.run(["xdotool", "-"], input=script, text=True, env=desk.env, check=True,
                           timeout=args.seconds * 3)
            took = time.monotonic() - t0
            c2, r2 = cpu_s(pid), kib(pid, "VmRSS")
            busy_cpu = c2 - c1
            moves = int(args.seconds * args.rate)
            print(f"input {took:.1f} s ({moves} moves + {moves // 100} key taps, "
                  f"{moves / took:.0f}/s): CPU {busy_cpu:.3f} s "
                  f"({100 * busy_cpu / took:.3f} % of a core), RSS {r2 / 1024:.1f} MiB "
                  f"(Xvfb used {cpu_s(xvfb) - x0:.2f} s)")
            st = d.status()
            wait_for(lambda: d.alive, 1, "daemon alive")
            print(f"presence after input: {st['presence']}, sitting {st['sitting_s']} s")
        finally:
            d.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
