"""``sitbreak history export|forget``: take your history out, or erase it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sitbreak.i18n import _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help=_("export or forget the recorded history"),
        description=_("The local history holds only times: sitting spans, breaks, nudges and your "
        "answers, pauses and standing. Export it or erase it here."),
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    export = sub.add_parser("export", help=_("write the history as CSV or JSON"))
    export.add_argument("--format", choices=("csv", "json"), required=True,
                        help=_("csv: one row per record; json: one list per kind of record"))
    export.add_argument("--since", metavar="DATE", help=_("only records from DATE on (YYYY-MM-DD)"))
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help=_("write to FILE instead of standard output"))
    export.add_argument("--db", type=Path, metavar="PATH",
                        help=_("history database to read (default: as configured)"))
    export.add_argument("--config", metavar="FILE", help=_("config file naming the history path"))
    export.set_defaults(func=run_export)

    forget = sub.add_parser("forget", help=_("erase recorded history"))
    which = forget.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help=_("erase everything"))
    which.add_argument("--before", metavar="DATE",
                       help=_("erase records that ended before DATE (YYYY-MM-DD)"))
    forget.add_argument("--db", type=Path, metavar="PATH",
                        help=_("history database to change (default: as configured)"))
    forget.add_argument("--config", metavar="FILE", help=_("config file naming the history path"))
    forget.set_defaults(func=run_forget)


def _db(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db)
    from sitbreak.history.config import db_path, user_settings

    return db_path(user_settings(args.config))


def run_export(args: argparse.Namespace) -> int:
    from sitbreak.history.dates import parse_day
    from sitbreak.history.export import write_csv, write_json
    from sitbreak.history.records import load, local_seconds
    from sitbreak.history.store import open_for_reading

    since = parse_day("--since", args.since) if args.since else None
    path = _db(args)
    conn = open_for_reading(path)
    try:
        history = load(conn, None if since is None else local_seconds(since))
    finally:
        if conn is not None:
            conn.close()
    if conn is None:
        print(_("sitbreak: no history yet at {path}").format(path=path), file=sys.stderr)
    out = sys.stdout
    if args.output is not None:
        try:
            out = args.output.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            from sitbreak.errors import SitbreakError

            raise SitbreakError(_("cannot write {path}: {error}").format(
                path=args.output, error=exc.strerror)) from None
    try:
        if args.format == "csv":
            write_csv(history, out)
        else:
            write_json(history, out, None if since is None else since.isoformat())
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def run_forget(args: argparse.Namespace) -> int:
    from sitbreak.history.dates import parse_day
    from sitbreak.history.export import forget
    from sitbreak.history.records import local_seconds
    from sitbreak.history.store import HistoryError, HistoryUnavailable, open_for_writing

    before = parse_day("--before", args.before) if args.before else None
    path = _db(args)
    if not path.exists():
        print(_("nothing to forget: no history at {path}").format(path=path))
        return 0
    try:
        conn = open_for_writing(path, retention_days=None)
    except HistoryUnavailable as exc:
        raise HistoryError(str(exc)) from None
    try:
        removed = forget(conn, None if before is None else local_seconds(before))
    finally:
        conn.close()
    what = (_("all records") if before is None
            else _("records before {date}").format(date=before.isoformat()))
    print(ngettext("forgot {count} record ({what}) in {path}",
                   "forgot {count} records ({what}) in {path}", removed).format(
        count=removed, what=what, path=path))
    return 0
