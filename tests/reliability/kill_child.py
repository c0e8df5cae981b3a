"""Child process for the SIGKILL test: the real runtime on a virtual clock writes a user's day
into a history database as fast as it can, and after each step prints what is committed so far
(``ack`` lines: the finished rows and the span in progress). Run: python -m ... DB SEED T0."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

from tests.reliability.virtual_runtime import START, WALL0, VirtualDaemon


def committed(db: Path) -> dict[str, list[list[float | str | int]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            "sitting": [list(r) for r in conn.execute(
                "SELECT start_ts, end_ts, in_progress FROM sitting ORDER BY id")],
            "breaks": [list(r) for r in conn.execute(
                "SELECT start_ts, end_ts, cause FROM breaks ORDER BY id")],
        }
    finally:
        conn.close()


def main() -> None:
    db, seed, t0 = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    rng = random.Random(seed)
    d = VirtualDaemon(db, last_input=t0)
    d.clocks.t = t0
    d.start()
    t = t0
    while True:
        if rng.random() < 0.25:  # away for a while, then back
            t += rng.uniform(400, 1500)
            d.at(t - 1, input_at=t - 1)
        else:
            t += rng.uniform(10, 60)
            d.at(t, input_at=t - rng.uniform(0, 5))
        print("ack", json.dumps(committed(db)), flush=True)


if __name__ == "__main__":
    assert START and WALL0
    main()
