"""``sitbreak history export|forget|demo``: take your history out, erase it, or print a
synthetic office fortnight to replay into a scratch database (to try `sitbreak stats`)."""

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

    demo = sub.add_parser("demo", help=_("print a synthetic office week as a replay trace "
                          "(try: history demo > w.jsonl; replay w.jsonl --db w.sqlite3)"))
    demo.add_argument("--days", type=int, default=7, help=_("how many days (default 7)"))
    demo.add_argument("--last", metavar="DATE", help=_("last day (YYYY-MM-DD, default today)"))
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from datetime import date

    from sitbreak.history.dates import parse_day
    from sitbreak.history.demo import office_week

    if not 1 <= args.days <= 366:
        from sitbreak.errors import UsageError

        raise UsageError(_("--days: {days} is not between 1 and 366").format(days=args.days))
    last = parse_day("--last", args.last) if args.last else date.today()
    sys.stdout.write("".join(line + "\n" for line in office_week(last, args.days, args.seed)))
    return 0


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
