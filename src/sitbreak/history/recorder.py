"""The recorder: engine commands in, one committed row per record out.

One writer: the daemon's worker thread (or the replay command) owns a Recorder. Every record is
its own transaction, so a crash or ``kill -9`` loses at most the record being written. Nothing
here ever raises into the caller: history that cannot be written is skipped with one warning and
nudging goes on.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from sitbreak.engine import commands as cmd
from sitbreak.history.store import (
    HistoryUnavailable,
    default_path,
    open_for_writing,
    transaction,
)
from sitbreak.history.timebase import Anchor

log = logging.getLogger("sitbreak.history")

# An answer names its show by engine time; allow float noise and a small re-anchor.
_SAME_SHOW_S = 1.0
_RECORDED = (cmd.SittingSpan, cmd.BreakRecorded, cmd.PeriodRecorded, cmd.ShowNudge,
             cmd.NudgeAnswered)


class Recorder:
    """Writes engine commands to the history database.

    ``anchor`` maps engine seconds to wall-clock time; the daemon can pass a fresh offset with
    each record instead (``record(rec, wall_offset)``, the runtime's history-sink interface).
    ``retention_days`` None keeps everything (used by replays of old traces).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        anchor: Anchor | None = None,
        retention_days: float | None = 365,
    ) -> None:
        self.path = path if path is not None else default_path()
        self.anchor = anchor if anchor is not None else Anchor(0.0)
        self.records = 0  # rows committed by this recorder
        self._warned = False
        self._pending: dict[str, int] = {}  # nudge kind -> row id still waiting for an answer
        self._conn: sqlite3.Connection | None
        try:
            self._conn = open_for_writing(self.path, retention_days)
        except HistoryUnavailable as exc:
            self._conn = None
            self._warn(str(exc))

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    # -- the two entry points ---------------------------------------------------------------

    def handle(self, command: cmd.Command) -> None:
        """Record ``command`` if it is a record (others are ignored). Never raises."""
        if self._conn is None or not isinstance(command, _RECORDED):
            return
        written = self.records
        try:
            with transaction(self._conn):
                self._write(self._conn, command)
        except Exception as exc:  # sqlite3.Error, or a bug here: neither may stop nudging
            self.records = written
            self._failed(exc)
            return
        if self._warned and self._conn is not None:
            log.info("history: recording works again (%s)", self.path)
            self._warned = False

    def handle_many(self, commands: list[cmd.Command]) -> None:
        """Record all of ``commands`` in one transaction (all or nothing; for replays)."""
        if self._conn is None:
            return
        written = self.records
        try:
            with transaction(self._conn):
                for c in commands:
                    self._write(self._conn, c)
        except Exception as exc:
            self.records = written
            self._failed(exc)

    def record(self, rec: cmd.Command, wall_offset: float) -> None:
        """The daemon's history-sink interface: ``unix = engine_s + wall_offset``."""
        if wall_offset != self.anchor.wall_offset:
            self.anchor = Anchor(wall_offset, self.anchor.tz)
        self.handle(rec)

    def close(self) -> None:
        if self._conn is None:
            return
        # Fold the WAL back into the main file so a closed history is one self-contained file.
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()
        self._conn = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- rows -------------------------------------------------------------------------------

    def _span(self, start: float, end: float) -> tuple[float, float, int]:
        a, b = self.anchor.unix(start), self.anchor.unix(end)
        return a, max(a, b), self.anchor.utc_offset(a)

    def _write(self, conn: sqlite3.Connection, c: cmd.Command) -> None:
        match c:
            case cmd.SittingSpan(start=start, end=end):
                conn.execute(
                    "INSERT INTO sitting (start_ts, end_ts, utc_offset) VALUES (?, ?, ?)",
                    self._span(start, end),
                )
            case cmd.BreakRecorded(from_=start, to=end, cause=cause):
                conn.execute(
                    "INSERT INTO breaks (start_ts, end_ts, utc_offset, cause) VALUES (?, ?, ?, ?)",
                    (*self._span(start, end), cause),
                )
            case cmd.PeriodRecorded(kind=kind, start=start, end=end):
                conn.execute(
                    "INSERT INTO periods (start_ts, end_ts, utc_offset, kind) VALUES (?, ?, ?, ?)",
                    (*self._span(start, end), kind),
                )
            case cmd.ShowNudge(at=at, kind=kind, item=item, repeat=repeat):
                self._show(conn, at, kind, item, repeat)
            case cmd.NudgeAnswered():
                self._answer(conn, c)
            case _:
                return
        self.records += 1

    def _show(self, conn: sqlite3.Connection, at: float, kind: str, item: str,
              repeat: bool) -> None:
        shown = self.anchor.unix(at)
        cur = conn.execute(
            "INSERT INTO nudges (shown_ts, kind, item, repeat, utc_offset) VALUES (?, ?, ?, ?, ?)",
            (shown, kind, item, int(repeat), self.anchor.utc_offset(shown)),
        )
        assert cur.lastrowid is not None
        self._pending[kind] = cur.lastrowid

    def _answer(self, conn: sqlite3.Connection, a: cmd.NudgeAnswered) -> None:
        """Pair the answer with its ShowNudge row (by kind and show time), or add the row when
        the show was not seen (recorded before this recorder started, or an answers-only sink)."""
        shown = self.anchor.unix(a.shown_at)
        row = conn.execute(
            "SELECT id FROM nudges WHERE kind = ? AND answer IS NULL AND abs(shown_ts - ?) <= ? "
            "ORDER BY id DESC LIMIT 1",
            (a.kind, shown, _SAME_SHOW_S),
        ).fetchone()
        if row is None and a.kind in self._pending:
            # The wall clock was re-anchored between show and answer: the engine shows one
            # nudge at a time, so the one this recorder last showed is the one answered.
            row = conn.execute(
                "SELECT id FROM nudges WHERE id = ? AND answer IS NULL AND item = ?",
                (self._pending[a.kind], a.item),
            ).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO nudges (shown_ts, kind, item, utc_offset) VALUES (?, ?, ?, ?)",
                (shown, a.kind, a.item, self.anchor.utc_offset(shown)),
            )
            row = (cur.lastrowid,)
        conn.execute(
            "UPDATE nudges SET answer = ?, answered_ts = ? WHERE id = ?",
            (a.answer, self.anchor.unix(a.at), row[0]),
        )
        if self._pending.get(a.kind) == row[0]:
            del self._pending[a.kind]

    # -- failures ---------------------------------------------------------------------------

    def _failed(self, exc: Exception) -> None:
        if self._conn is not None and self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.rollback()
        if isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc):
            # Damaged under our feet: stop writing; the next start moves the file aside.
            assert self._conn is not None
            self._conn.close()
            self._conn = None
        self._warn(f"cannot write {self.path}: {exc}")

    def _warn(self, reason: str) -> None:
        if not self._warned:
            log.warning("history: %s; sitbreak goes on without recording history", reason)
            self._warned = True
