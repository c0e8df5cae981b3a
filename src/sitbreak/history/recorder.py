"""The recorder: engine commands in, one committed row per record out.

One writer: the daemon's worker thread (or the replay command) owns a Recorder. Every record is
its own transaction, so a crash or ``kill -9`` loses at most the record being written. Nothing
here ever raises into the caller: history that cannot be written is skipped with one warning and
nudging goes on.

Nothing is lost while the disk is full or the data dir read-only: records wait in memory (up to
``BACKLOG``) and go in, in order, once writing works again; a history that could not even be
opened at start (schema included) is opened again then, every ``RETRY_S`` at most.

The sitting span in progress is a row of its own (``in_progress = 1``), updated by ``open_span``
at each wake-up and closed by its ``SittingSpan``, by ``close`` or, after a kill, at the next
start: at most the seconds since its last update are lost.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections import deque
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
BACKLOG = 10_000  # records kept in memory while they cannot be written (weeks of use)
RETRY_S = 30.0  # a history that cannot be opened is tried again this often at most


class Recorder:
    """Writes engine commands to the history database.

    ``anchor`` maps engine seconds to wall-clock time; the daemon can pass a fresh offset with
    each record instead (``record(rec, wall_offset)``, the runtime's history-sink interface).
    ``retention_days`` None keeps everything (used by replays of old traces). ``keep_trying``
    (the daemon): records that cannot be written wait in memory and the database is opened
    again later; without it (one-shot writers) they are skipped.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        anchor: Anchor | None = None,
        retention_days: float | None = 365,
        keep_trying: bool = False,
    ) -> None:
        self.path = path if path is not None else default_path()
        self._keep_trying = keep_trying  # the daemon: hold records back and retry; else skip
        self.anchor = anchor if anchor is not None else Anchor(0.0)
        self.records = 0  # rows committed by this recorder
        self._retention_days = retention_days
        self._warned = False
        self._lasting = False  # unavailable for good (a newer schema): no retries
        self._retry_at = 0.0
        self._pending: dict[str, int] = {}  # nudge kind -> row id still waiting for an answer
        self._open: tuple[float, int] | None = None  # (engine start, row id) of the open span
        self._backlog: deque[tuple[cmd.Command, Anchor]] = deque()
        self._dropped = 0
        self._conn: sqlite3.Connection | None = None
        self._connect()

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    @property
    def waiting(self) -> int:
        """Records held in memory until they can be written."""
        return len(self._backlog)

    # -- the entry points -------------------------------------------------------------------

    def handle(self, command: cmd.Command) -> None:
        """Record ``command`` if it is a record (others are ignored). Never raises."""
        if not isinstance(command, _RECORDED) or self._lasting:
            return
        if not self._keep_trying:
            if self._conn is not None and self._commit(self._conn, command):
                self._recovered()
            return
        if len(self._backlog) >= BACKLOG:
            self._backlog.popleft()
            self._dropped += 1
            if self._dropped == 1:
                log.warning("history: more than %d records waiting; dropping the oldest", BACKLOG)
        self._backlog.append((command, self.anchor))
        self._flush()

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
        self._set_offset(wall_offset)
        self.handle(rec)

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        """The sitting span that began at engine time ``start`` is still going; its last known
        input was at ``end``. Kept as the in-progress row (one commit). Never raises."""
        self._set_offset(wall_offset)
        self._flush()  # records first, in order: an older span may still be waiting
        if self._conn is None or self._backlog:
            return
        conn = self._conn
        before = self._open
        a, b, off = span = self._span(start, end)
        try:
            with transaction(conn):
                if before is not None and before[0] != start:
                    # its SittingSpan went by unseen (written elsewhere): end it as last known
                    conn.execute("UPDATE sitting SET in_progress = 0 WHERE id = ?", (before[1],))
                    before = None
                if before is None or not self._update_open(conn, before[1], span, 1):
                    cur = conn.execute(
                        "INSERT INTO sitting (start_ts, end_ts, utc_offset, in_progress) "
                        "VALUES (?, ?, ?, 1)", (a, b, off))
                    assert cur.lastrowid is not None
                    self._open = (start, cur.lastrowid)
        except Exception as exc:
            self._open = before
            self._failed(exc)
            return
        self._recovered()

    def close(self) -> None:
        self._flush()
        if self._backlog:
            log.warning("history: %d record(s) could not be written to %s", len(self._backlog),
                        self.path)
        if self._conn is None:
            return
        if self._open is not None:  # quit, logout, SIGTERM: the span ends where it was last seen
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("UPDATE sitting SET in_progress = 0 WHERE id = ?",
                                   (self._open[1],))
            self._open = None
        # Fold the WAL back into the main file so a closed history is one self-contained file.
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()
        self._conn = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connection, backlog ----------------------------------------------------------------

    def _connect(self) -> None:
        try:
            self._conn = open_for_writing(self.path, self._retention_days)
        except HistoryUnavailable as exc:
            self._conn = None
            self._lasting = exc.lasting
            self._retry_at = time.monotonic() + RETRY_S
            self._warn(str(exc))
            return
        with contextlib.suppress(sqlite3.Error):
            closed = self._conn.execute(
                "UPDATE sitting SET in_progress = 0 WHERE in_progress = 1").rowcount
            if closed:
                log.info("history: closed %d sitting span(s) the last run left open, at their "
                         "last known input", closed)

    def _ready(self) -> bool:
        """A connection to write with; one that failed to open is tried again (rate-limited)."""
        if (self._conn is None and self._keep_trying and not self._lasting
                and time.monotonic() >= self._retry_at):
            self._connect()
        return self._conn is not None

    def _flush(self) -> None:
        """Write the waiting records, oldest first, each in its own transaction."""
        if not self._backlog or not self._ready():
            return
        current = self.anchor
        try:
            while self._backlog and self._conn is not None:
                command, self.anchor = self._backlog[0]
                if not self._commit(self._conn, command):
                    return
                self._backlog.popleft()
        finally:
            self.anchor = current
        self._recovered()

    def _commit(self, conn: sqlite3.Connection, command: cmd.Command) -> bool:
        written, opened, pending = self.records, self._open, dict(self._pending)
        try:
            with transaction(conn):
                self._write(conn, command)
        except sqlite3.IntegrityError as exc:  # this record itself is bad: never retry it
            self.records, self._open, self._pending = written, opened, pending
            log.warning("history: a %s record was refused (%s); skipped",
                        type(command).__name__, exc)
            return True
        except Exception as exc:  # sqlite3.Error (full, read-only…), or a bug here
            self.records, self._open, self._pending = written, opened, pending
            self._failed(exc)
            return False
        return True

    def _recovered(self) -> None:
        if self._warned and self._conn is not None:
            log.info("history: recording works again (%s)", self.path)
            self._warned = False

    def _set_offset(self, wall_offset: float) -> None:
        if wall_offset != self.anchor.wall_offset:
            self.anchor = Anchor(wall_offset, self.anchor.tz)

    # -- rows -------------------------------------------------------------------------------

    def _span(self, start: float, end: float) -> tuple[float, float, int]:
        a, b = self.anchor.unix(start), self.anchor.unix(end)
        return a, max(a, b), self.anchor.utc_offset(a)

    @staticmethod
    def _update_open(conn: sqlite3.Connection, row: int, span: tuple[float, float, int],
                     in_progress: int) -> bool:
        """Rewrite the open row whole (the wall offset may have moved since it was made)."""
        return conn.execute(
            "UPDATE sitting SET start_ts = ?, end_ts = ?, utc_offset = ?, in_progress = ? "
            "WHERE id = ?", (*span, in_progress, row)).rowcount == 1

    def _write(self, conn: sqlite3.Connection, c: cmd.Command) -> None:
        match c:
            case cmd.SittingSpan(start=start, end=end):
                span = self._span(start, end)
                opened, self._open = self._open, None
                if opened is None or opened[0] != start or not self._update_open(
                        conn, opened[1], span, 0):
                    conn.execute(
                        "INSERT INTO sitting (start_ts, end_ts, utc_offset) VALUES (?, ?, ?)",
                        span,
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
            # Damaged under our feet: stop writing; the next open moves the file aside.
            assert self._conn is not None
            self._conn.close()
            self._conn = None
            self._retry_at = time.monotonic() + RETRY_S
        self._warn(f"cannot write {self.path}: {exc}")

    def _warn(self, reason: str) -> None:
        if not self._warned:
            then = ("sitbreak goes on and writes the records once it can"
                    if self._keep_trying and not self._lasting
                    else "sitbreak goes on without recording history")
            log.warning("history: %s; %s", reason, then)
            self._warned = True
