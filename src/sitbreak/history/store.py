"""Opening the history database: WAL, migrations, retention, and damaged files moved aside.

Writers (the recorder) never raise: anything that stops history becomes ``HistoryUnavailable``
with a one-line reason, and the caller carries on without history. Readers (``stats``,
``history export``) get a ``HistoryError`` that the CLI prints as one line.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitbreak.errors import SitbreakError
from sitbreak.history.schema import AGED_BY, MIGRATIONS, SCHEMA_VERSION
from sitbreak.i18n import _
from sitbreak.safe_text import clean

log = logging.getLogger("sitbreak.history")

DB_NAME = "history.sqlite3"
BUSY_TIMEOUT_MS = 2000
# Extended result codes reduced to their primary code (sqlite3.h).
_CORRUPT, _CANTOPEN, _NOTADB = 11, 14, 26


class HistoryUnavailable(Exception):
    """History cannot be written; the message is one line saying why. ``lasting``: trying again
    cannot help (a newer schema); otherwise space or permissions may come back."""

    def __init__(self, message: str, *, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


class HistoryError(SitbreakError):
    """A reading command cannot use the history database."""


class _Damaged(Exception):
    pass


def default_path() -> Path:
    """``<user data dir>/sitbreak/history.sqlite3`` (config ``[history] path`` overrides it)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("sitbreak", appauthor=False)) / DB_NAME


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One committed unit: either all of it is on disk or none of it is."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    conn.execute("COMMIT")


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we begin and commit ourselves (see transaction()).
    # check_same_thread off: the daemon may build the recorder on one thread and write from its
    # worker; there is still only one writer at a time.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _damage(exc: sqlite3.Error, path: Path) -> _Damaged | None:
    """The file's own fault (corrupt, not a database, unreadable), or None for anything else
    (read-only place, disk full, busy) where the file must be left alone."""
    code = _primary_code(exc)
    if code in (_CORRUPT, _NOTADB):
        return _Damaged(_("damaged ({error})").format(error=exc))
    if code == _CANTOPEN and path.is_file() and not os.access(path, os.R_OK | os.W_OK):
        return _Damaged(_("unreadable"))
    return None


def _open_healthy(path: Path) -> sqlite3.Connection:
    """Connect and run a quick check; raise _Damaged if the file is not a healthy database."""
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise (_damage(exc, path) or exc) from None
    try:
        conn.execute("PRAGMA user_version").fetchone()
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        conn.close()
        raise (_damage(exc, path) or exc) from None
    if rows != [("ok",)]:
        conn.close()
        first = rows[0][0] if rows else "no answer"
        raise _Damaged(_("damaged (integrity check: {first})").format(first=first))
    return conn


def _aside_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    return aside


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm companions) to ``<name>.corrupt-<time>``."""
    aside = _aside_name(path)
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(aside.with_name(aside.name + suffix))
    return aside


def _refuse_newer(conn: sqlite3.Connection, path: Path) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryUnavailable(
            _("{path} was written by a newer sitbreak (schema {version}, this one "
              "knows {SCHEMA_VERSION})").format(
                  path=path, version=version, SCHEMA_VERSION=SCHEMA_VERSION), lasting=True
        )
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = _refuse_newer(conn, path)
    for step in range(version, SCHEMA_VERSION):
        # One transaction per step: a step is applied whole or not at all.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[step]}\n;PRAGMA user_version = {step + 1};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise


def prune(conn: sqlite3.Connection, older_than_unix: float) -> int:
    """Delete records that ended before ``older_than_unix``; returns how many."""
    removed = 0
    with transaction(conn):
        for table, column in AGED_BY:
            removed += conn.execute(
                f"DELETE FROM {table} WHERE {column} < ?", (older_than_unix,)
            ).rowcount
    return removed


def open_for_writing(path: Path, retention_days: float | None = 365) -> sqlite3.Connection:
    """The writer's connection, ready to insert. A damaged or unreadable file is moved aside
    (one warning) and a fresh database started. Raises HistoryUnavailable otherwise."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise HistoryUnavailable(_("{parent} is not a directory").format(parent=path.parent)) from None
    except OSError as exc:
        raise HistoryUnavailable(_("cannot create {parent}: {error}").format(
            parent=path.parent, error=exc.strerror)) from None
    if not os.access(path.parent, os.W_OK):
        # SQLite needs its -wal and -shm files beside the database.
        raise HistoryUnavailable(_("{parent} is read-only").format(parent=path.parent))
    for own in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if own.is_symlink():  # SQLite would write wherever it points
            raise HistoryUnavailable(_("{own} is a symbolic link; refused").format(own=clean(own)))
    try:
        conn = _open_checked(path)
        try:
            _setup_writer(conn, path)
            if retention_days is not None:
                pruned = prune(conn, time.time() - retention_days * 86400)
                if pruned:
                    log.info("history: removed %d records older than %g days", pruned,
                             retention_days)
        except BaseException:
            conn.close()
            raise
    except sqlite3.Error as exc:
        raise HistoryUnavailable(_("cannot write {path}: {error}").format(path=path, error=exc)) from None
    return conn


def _open_checked(path: Path) -> sqlite3.Connection:
    try:
        return _open_healthy(path)
    except _Damaged as damaged:
        try:
            aside = move_aside(path)
        except OSError as exc:
            raise HistoryUnavailable(
                _("{path} is {damaged} and cannot be moved aside ({error})").format(
                    path=path, damaged=damaged, error=exc.strerror)
            ) from None
        log.warning("history: %s was %s; moved it to %s and started a fresh history",
                    path, damaged, aside.name)
        return _connect(path)


def _setup_writer(conn: sqlite3.Connection, path: Path) -> None:
    _refuse_newer(conn, path)  # before anything below changes the file
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise HistoryUnavailable(_("cannot write {path}: WAL journal not available ({mode})").format(
            path=path, mode=mode))
    # FULL: a committed record survives a crash or power cut, not only a killed process.
    conn.execute("PRAGMA synchronous = FULL")
    # Forgotten rows are overwritten on disk, not just unlinked from the b-tree.
    conn.execute("PRAGMA secure_delete = ON")
    migrate(conn, path)


def open_for_reading(path: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when there is no history yet."""
    if not path.exists():
        return None
    later = _("sitbreak moves it aside and starts afresh the next time it records")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        rows = conn.execute("PRAGMA quick_check").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        damaged = _damage(exc, path)
        if damaged is None:
            raise HistoryError(_("cannot read history database {path}: {error}").format(
                path=path, error=exc)) from None
        raise HistoryError(_("history database {path} is {damaged}; {later}").format(
            path=path, damaged=damaged, later=later)) from None
    if rows != [("ok",)]:
        conn.close()
        first = rows[0][0] if rows else "no answer"
        raise HistoryError(_("history database {path} is damaged (integrity check: {first}); {later}").format(
            path=path, first=first, later=later))
    if version == 0:
        conn.close()
        return None
    if version > SCHEMA_VERSION:
        conn.close()
        raise HistoryError(
            _("history database {path} was written by a newer sitbreak (schema "
              "{version}); upgrade sitbreak to read it").format(path=path, version=version)
        )
    if version < SCHEMA_VERSION:
        # An older layout nobody has migrated yet: migrate it now (a writer's job, done once).
        conn.close()
        try:
            writable = open_for_writing(path, retention_days=None)
        except HistoryUnavailable as exc:
            raise HistoryError(str(exc)) from None
        return writable
    return conn
