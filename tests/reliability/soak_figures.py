"""Resource figures of a process from /proc: resident memory, threads, open fds, children."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figures:
    rss_kib: int
    threads: int
    fds: int
    children: tuple[int, ...]

    def line(self, label: str) -> str:
        return (f"{label}: RSS {self.rss_kib / 1024:.1f} MiB, threads {self.threads}, "
                f"fds {self.fds}, children {len(self.children)}")


def figures(pid: int | None = None) -> Figures:
    pid = os.getpid() if pid is None else pid
    status = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return Figures(
        rss_kib=int(status["VmRSS"].split()[0]),
        threads=int(status["Threads"]),
        fds=len(os.listdir(f"/proc/{pid}/fd")),
        children=tuple(children_of(pid)),
    )


def children_of(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(entry))
    return kids
