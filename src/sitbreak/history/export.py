"""``history export`` (CSV or JSON, local times with their UTC offset) and ``history forget``."""

from __future__ import annotations

import csv
import json
import sqlite3
from typing import Any, TextIO

from sitbreak.history.records import History, Nudge, Span
from sitbreak.history.schema import AGED_BY, SCHEMA_VERSION
from sitbreak.history.store import transaction
from sitbreak.history.timebase import local_datetime

CSV_COLUMNS = ("record", "start", "end", "duration_s", "cause", "kind", "item", "repeat",
               "answer", "response_s")


def _iso(unix_s: float | None, utc_offset: int) -> str | None:
    if unix_s is None:
        return None
    return local_datetime(unix_s, utc_offset).isoformat(timespec="seconds")


def _span(span: Span) -> dict[str, Any]:
    return {
        "start": _iso(span.start, span.utc_offset),
        "end": _iso(span.end, span.utc_offset),
        "duration_s": round(span.duration, 1),
    }


def _nudge(n: Nudge) -> dict[str, Any]:
    response = n.response_s
    return {
        "shown": _iso(n.shown, n.utc_offset),
        "kind": n.kind,
        "item": n.item,
        "repeat": n.repeat,
        "answer": n.answer,
        "answered": _iso(n.answered, n.utc_offset),
        "response_s": None if response is None else round(response, 1),
    }


def as_json(history: History, since: str | None) -> dict[str, Any]:
    return {
        "format": "sitbreak-history",
        "schema": SCHEMA_VERSION,
        "since": since,
        "sitting": [_span(s) for s in history.sitting],
        "breaks": [{**_span(b), "cause": b.cause} for b in history.breaks],
        "nudges": [_nudge(n) for n in history.nudges],
        "pauses": [_span(p) for p in history.periods if p.kind == "pause"],
        "standing": [_span(p) for p in history.periods if p.kind == "stand"],
    }


def write_json(history: History, out: TextIO, since: str | None) -> None:
    json.dump(as_json(history, since), out, indent=1, ensure_ascii=False)
    out.write("\n")


def write_csv(history: History, out: TextIO) -> None:
    """One row per record, in time order; columns that do not apply are empty."""
    rows: list[tuple[float, float, dict[str, Any]]] = []
    for s in history.sitting:
        rows.append((s.start, s.end, {"record": "sitting", **_span(s)}))
    for b in history.breaks:
        rows.append((b.start, b.end, {"record": "break", **_span(b), "cause": b.cause}))
    for p in history.periods:
        rows.append((p.start, p.end, {"record": "standing" if p.kind == "stand" else "pause",
                               **_span(p)}))
    for n in history.nudges:
        d = _nudge(n)
        rows.append((n.shown, n.shown, {
            "record": "nudge", "start": d["shown"], "end": d["answered"], "kind": n.kind,
            "item": n.item, "repeat": "yes" if n.repeat else "no", "answer": n.answer or "",
            "response_s": d["response_s"],
        }))
    rows.sort(key=lambda r: (r[0], r[1]))  # a zero-length "done" break before the next span
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _, _, row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def forget(conn: sqlite3.Connection, before_local_s: float | None) -> int:
    """Delete every record (``None``) or those that ended before local second ``before_local_s``.
    Returns how many. Deleted pages are overwritten (secure_delete) and the WAL truncated."""
    removed = 0
    with transaction(conn):
        for table, column in AGED_BY:
            if before_local_s is None:
                removed += conn.execute(f"DELETE FROM {table}").rowcount
            else:
                removed += conn.execute(
                    f"DELETE FROM {table} WHERE {column} + utc_offset < ?", (before_local_s,)
                ).rowcount
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if before_local_s is None:
        conn.execute("VACUUM")
    return removed
