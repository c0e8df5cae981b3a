"""History figures: write latency, size of a year, and how fast statistics and the chart come.

    python bench/history.py [--days 365]

Replays a synthetic year (the demo office person, who answers nudges) into a fresh database,
then measures, in this one run:
  - one record committed by the daemon's recorder (WAL, synchronous=FULL), median and p95;
  - the database size per year of records;
  - `stats --month` computed over the year-sized database, and the chart drawn from it;
  - `sitbreak stats --week` as a whole process (interpreter start-up included).
Targets: a record < 5 ms (the daemon writes a few per hour), stats < 0.5 s, < 2 MB per year.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitbreak.engine import commands as cmd  # noqa: E402
from sitbreak.engine.policy import Policy  # noqa: E402
from sitbreak.history import Anchor, Recorder  # noqa: E402
from sitbreak.history.demo import office_week  # noqa: E402
from sitbreak.history.records import load  # noqa: E402
from sitbreak.history.replay_sink import ReplaySink  # noqa: E402
from sitbreak.history.stats import Window, compare  # noqa: E402
from sitbreak.history.store import open_for_reading  # noqa: E402
from sitbreak.replay import replay  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    args = ap.parse_args()
    last = date(2026, 11, 21)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.sqlite3"

        t0 = time.perf_counter()
        lines = office_week(last, args.days, seed=11)
        sink = ReplaySink(db)
        summary = replay(lines, Policy(), "year", on_command=sink.handle, on_start=sink.start)[-1]
        records = sink.write()
        t_fill = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).glob("history.sqlite3*"))
        print(f"filled {args.days} days: {records} records from {summary['events']} events "
              f"in {t_fill:.1f} s")
        print(f"database size: {size / 1024:.0f} KiB ({size / 1024 / 1024 * 365 / args.days:.2f}"
              " MiB per year)")

        lat: list[float] = []
        with Recorder(Path(tmp) / "latency.sqlite3", anchor=Anchor(1.79e9)) as rec:
            for i in range(500):
                s = time.perf_counter()
                rec.handle(cmd.SittingSpan(i * 60.0, i * 60.0 + 50))
                lat.append(time.perf_counter() - s)
        lat.sort()
        print(f"one record committed: median {statistics.median(lat) * 1000:.2f} ms, "
              f"p95 {lat[int(len(lat) * 0.95)] * 1000:.2f} ms")

        conn = open_for_reading(db)
        window = Window.ending("month", last)
        s = time.perf_counter()
        history = load(conn, window.previous().lo, window.hi)
        compare(history, window, 1800)
        t_stats = time.perf_counter() - s
        print(f"stats --month over a {args.days}-day database: {t_stats * 1000:.1f} ms")
        try:
            from sitbreak.history.chart import draw

            s = time.perf_counter()
            draw(history, window, 1800, Path(tmp) / "month.png")
            print(f"month chart drawn: {(time.perf_counter() - s) * 1000:.0f} ms")
        except Exception as exc:  # no matplotlib: the figure is simply missing
            print(f"chart: {exc}")

        s = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitbreak", "stats", "--week", "--date",
                        (last - timedelta(days=1)).isoformat(), "--db", str(db)],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"`sitbreak stats --week` as a process: {(time.perf_counter() - s) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
