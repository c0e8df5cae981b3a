"""Replay speed against a bare ``json.loads`` loop over the same trace, both as whole processes.

    python bench/replay.py [--days 10] [--runs 5]

Generates a multi-day office trace (>= 500,000 events), then times, interleaved, `sitbreak replay
TRACE` and a bare loop that only parses the same lines with json.loads. Interpreter start-up and
imports are included: that is what a user waits for. Prints events/s for both and the ratio
(target: replay <= 1.5x the bare parse). Medians of the runs; machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitbreak.tracegen import office_days  # noqa: E402

BARE = "import json, sys\nfor line in open(sys.argv[1], encoding='utf-8'):\n    json.loads(line)\n"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "office.jsonl"
        with trace.open("w", encoding="utf-8") as f:
            for line in office_days(args.days, seed=42):
                f.write(line + "\n")
        events = sum(1 for _ in trace.open()) - 1
        print(f"trace: {args.days} office days, {events:,} events, "
              f"{trace.stat().st_size / 1e6:.1f} MB")
        replay_cmd = [sys.executable, "-m", "sitbreak", "replay", str(trace)]
        bare_cmd = [sys.executable, "-c", BARE, str(trace)]
        timed(bare_cmd)  # warm the page cache
        replay_t, bare_t = [], []
        for _ in range(args.runs):
            bare_t.append(timed(bare_cmd))
            replay_t.append(timed(replay_cmd))
        r, b = statistics.median(replay_t), statistics.median(bare_t)
        print(f"bare json.loads loop : {b:6.3f} s  {events / b:12,.0f} events/s")
        print(f"sitbreak replay      : {r:6.3f} s  {events / r:12,.0f} events/s")
        print(f"ratio replay / bare  : {r / b:6.2f}x  (target <= 1.5x; median of {args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
