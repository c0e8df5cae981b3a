"""``sitbreak replay TRACE --db PATH``: a replayed trace fills a history database.

The engine's commands are collected during the replay and written in one transaction at the
end, so a trace that turns out to be bad (TraceError) leaves the database as it was.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sitbreak.engine import commands as cmd
from sitbreak.history.recorder import Recorder
from sitbreak.history.timebase import Anchor


class ReplaySink:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.anchor = Anchor(0.0)
        self.commands: list[cmd.Command] = []

    def start(self, local: datetime) -> None:
        """Trace time 0 is ``local`` (naive: this machine's time zone)."""
        self.anchor = Anchor.at(0.0, local)

    def handle(self, command: cmd.Command) -> None:
        self.commands.append(command)

    def write(self) -> int:
        """Write what was collected; returns how many records went in (0 when history is
        unavailable, after its one warning)."""
        # A replayed trace may be old: never prune it (retention is the daemon's business).
        with Recorder(self.path, anchor=self.anchor, retention_days=None) as rec:
            rec.handle_many(self.commands)
            return rec.records
