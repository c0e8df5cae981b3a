"""Reading a process tree's cost from /proc: CPU time, context switches, RSS and PSS.

CPU comes two ways and both are kept: per-thread ``schedstat`` (nanoseconds on a CPU; only
threads alive at the reading) and ``stat`` utime+stime+cutime+cstime (clock ticks, 10 ms, but
including threads that have ended). A delta uses the nanosecond figure unless the tick figure
says more went missing (a thread or child that ended in between). Reaped children count through
cutime/cstime in both.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int | str) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()


def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(entry.name)
            if fields:
                kids.setdefault(int(fields[1]), []).append(int(entry.name))
    return kids


def tree(root: int) -> list[int]:
    """``root`` and every descendant (by parent PID)."""
    kids = children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _kib(path: str, key: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


@dataclass(frozen=True, slots=True)
class Reading:
    cpu_ns: int  # live threads' schedstat + reaped children
    cpu_ticks: int  # utime+stime+cutime+cstime
    ctx: int  # voluntary + involuntary context switches of live threads
    rss_kib: int
    pss_kib: int
    processes: int
    threads: int
    switches_by_thread: dict[int, int]  # thread id -> context switches (live threads)

    @property
    def cpu_s(self) -> float:
        return max(self.cpu_ns / 1e9, self.cpu_ticks / TICK)


def read(root: int, *, memory: bool = True) -> Reading:
    cpu_ns = cpu_ticks = ctx = rss = pss = threads = 0
    by_thread: dict[int, int] = {}
    pids = tree(root)
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is None:
            continue
        own = int(fields[11]) + int(fields[12])
        reaped = int(fields[13]) + int(fields[14])
        cpu_ticks += own + reaped
        cpu_ns += reaped * 1_000_000_000 // TICK
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            base = f"/proc/{pid}/task/{tid}"
            try:
                cpu_ns += int(Path(f"{base}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            switches = _kib(f"{base}/status", "voluntary_ctxt_switches") + _kib(
                f"{base}/status", "nonvoluntary_ctxt_switches"
            )
            ctx += switches
            threads += 1
            by_thread[int(tid)] = switches
        if memory:
            rss += _kib(f"/proc/{pid}/status", "VmRSS")
            pss += _kib(f"/proc/{pid}/smaps_rollup", "Pss")
    return Reading(cpu_ns, cpu_ticks, ctx, rss, pss, len(pids), threads, by_thread)


def cpu_between(a: Reading, b: Reading) -> float:
    """CPU seconds used between two readings of the same tree."""
    precise = (b.cpu_ns - a.cpu_ns) / 1e9
    coarse = (b.cpu_ticks - a.cpu_ticks) / TICK
    # ticks are truncated at both ends: only more than two ticks' difference means lost threads
    return coarse if coarse - precise > 2 / TICK else max(0.0, precise)
