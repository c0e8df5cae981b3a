"""What the Wayland activity source costs the daemon: CPU and wake-ups while idle and while
typing in bursts, on a headless Sway started here (tests/wayland_session.py).

The compositor sends one idled/resumed pair per pause longer than the 1 s timer; the worst case
for us is typing in short bursts with pauses just over it. The daemon runs headless with the
default config; wake-ups are counted from its debug log ("wake-up:" lines: engine readings).
Prints the figures; asserts nothing.

    .venv/bin/python bench/wayland_idle_cost.py [--seconds 30] [--pause 1.2]

Measured 2026-11-29 (2-core Debian 12 VM, sway 1.7 headless, org_kde_kwin_idle, default config):
start-up 0.28 s CPU, RSS 46 MiB; idle 30 s: 0.010 s CPU, 0 wake-ups; typing 26 s in 21 bursts with
1.2 s pauses (21 idled/resumed pairs): 0.010 s CPU (0.04 % of a core), 1 wake-up. The events are
taken in on the loop (a store each); the engine is read only at its deadlines or when input
resumes after the user was away.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.daemon_proc import Daemon  # noqa: E402
from tests.wayland_session import WaylandSession  # noqa: E402

from daemon_cost import cpu_s, kib  # noqa: E402


def wakeups(d: Daemon) -> int:
    return d.log().count("wake-up: idle")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--pause", type=float, default=1.2,
                    help="pause between typing bursts (just over the 1 s timer: worst case)")
    ap.add_argument("--warmup", type=float, default=5.0)
    args = ap.parse_args()

    with WaylandSession("sway") as s:
        work = s.state_dir / "bench"
        work.mkdir()
        d = Daemon(s.env, work, config="", args=("--headless",)).start()
        assert d.proc is not None
        pid = d.proc.pid
        try:
            time.sleep(args.warmup)
            st = d.status()
            c0, w0 = cpu_s(pid), wakeups(d)
            print(f"daemon pid {pid}: source {st['source']} on sway")
            print(f"start-up (after {args.warmup:g} s): CPU {c0:.2f} s, "
                  f"RSS {kib(pid, 'VmRSS') / 1024:.1f} MiB")

            time.sleep(args.seconds)
            c1, w1 = cpu_s(pid), wakeups(d)
            print(f"idle {args.seconds:g} s: CPU {c1 - c0:.3f} s "
                  f"({100 * (c1 - c0) / args.seconds:.3f} % of a core), {w1 - w0} wake-ups")

            # one wtype process: a word, a pause, a word, ... (real keys via virtual keyboard)
            bursts = int(args.seconds / (args.pause + 0.2))
            argv = ["wtype"]
            for _ in range(bursts):
                argv += ["sitting", "-s", str(int(args.pause * 1000))]
            t0 = time.monotonic()
            s.run(argv, as_user=True, timeout=args.seconds * 3)
            took = time.monotonic() - t0
            c2, w2 = cpu_s(pid), wakeups(d)
            print(f"typing {took:.1f} s ({bursts} bursts, {args.pause:g} s pauses): "
                  f"CPU {c2 - c1:.3f} s ({100 * (c2 - c1) / took:.3f} % of a core), "
                  f"{w2 - w1} wake-ups, RSS {kib(pid, 'VmRSS') / 1024:.1f} MiB")
            st = d.status()
            print(f"after typing: presence {st['presence']}, sitting {st['sitting_s']} s, "
                  f"breaks {st['breaks']}")
        finally:
            d.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
