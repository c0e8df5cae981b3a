"""The history schema and its forward migrations (``PRAGMA user_version`` = applied steps).

Append a step to migrate; never edit a released one. Every table holds times only: Unix seconds
plus the UTC offset in force (``utc_offset``, seconds east of UTC) so days are the user's days.
Nothing here can hold a key, a window title or typed text.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE sitting (
        id INTEGER PRIMARY KEY,
        start_ts REAL NOT NULL,
        end_ts REAL NOT NULL CHECK (end_ts >= start_ts),
        utc_offset INTEGER NOT NULL
    );
    CREATE INDEX sitting_by_end ON sitting (end_ts);
    CREATE TABLE breaks (
        id INTEGER PRIMARY KEY,
        start_ts REAL NOT NULL,
        end_ts REAL NOT NULL CHECK (end_ts >= start_ts),
        cause TEXT NOT NULL CHECK (cause IN ('away', 'lock', 'sleep', 'done')),
        utc_offset INTEGER NOT NULL
    );
    CREATE INDEX breaks_by_end ON breaks (end_ts);
    CREATE TABLE nudges (
        id INTEGER PRIMARY KEY,
        shown_ts REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('stretch', 'posture')),
        item TEXT NOT NULL,
        -- 1: the same unanswered stretch nudge raised again
        repeat INTEGER NOT NULL DEFAULT 0 CHECK (repeat IN (0, 1)),
        -- NULL while the nudge is on screen; 'clicked': the card was opened, no answer given
        answer TEXT CHECK (answer IN ('done', 'snoozed', 'skipped', 'ignored', 'clicked')),
        answered_ts REAL,
        utc_offset INTEGER NOT NULL
    );
    CREATE INDEX nudges_by_shown ON nudges (shown_ts);
    CREATE TABLE periods (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('pause', 'stand')),
        start_ts REAL NOT NULL,
        end_ts REAL NOT NULL CHECK (end_ts >= start_ts),
        utc_offset INTEGER NOT NULL
    );
    CREATE INDEX periods_by_end ON periods (end_ts);
    """,
    # 2: the sitting span in progress is kept as a row (1 until it ends), so quitting, a logout
    # or a kill loses at most the seconds since its last update
    """
    ALTER TABLE sitting ADD COLUMN in_progress INTEGER NOT NULL DEFAULT 0
        CHECK (in_progress IN (0, 1));
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

# (table, column that ends a row's life) for retention and forget
AGED_BY: tuple[tuple[str, str], ...] = (
    ("sitting", "end_ts"),
    ("breaks", "end_ts"),
    ("nudges", "shown_ts"),
    ("periods", "end_ts"),
)
