"""``sitbreak stats``: how long you sat, how often you broke it up, and how you answered nudges."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sitbreak.i18n import N_, _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help=_("sitting statistics for a day, week or month (and a chart)"),
        description=_("Totals from the local history, compared with the period before. A week is "
        "the last seven days up to --date (default today)."),
    )
    period = parser.add_mutually_exclusive_group()
    for name, what in (("day", N_("that day")), ("week", N_("the last 7 days (default)")),
                       ("month", N_("the last 30 days"))):
        period.add_argument(f"--{name}", dest="period", action="store_const", const=name,
                            help=_(what))
    parser.set_defaults(period="week")
    parser.add_argument("--date", metavar="DATE", help=_("last day of the period (YYYY-MM-DD)"))
    parser.add_argument("--chart", nargs="?", const="", metavar="PATH",
                        help=_("also draw a PNG chart (default path: the user cache directory)"))
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help=_("history database to read (default: as configured)"))
    parser.add_argument("--config", metavar="FILE",
                        help=_("config file for the stretch limit and history path"))
    parser.add_argument("--limit", type=float, metavar="MINUTES",
                        help=_("stretch limit to judge spans by (default: timing.stretch_every)"))
    parser.add_argument("--json", action="store_true", help=_("print the numbers as JSON"))
    parser.add_argument("--window", action="store_true",
                        help=_("show the chart and the numbers in a window (the tray's "
                             "Statistics)"))
    parser.set_defaults(func=run)


def stretch_limit_s(args: argparse.Namespace, configured: float) -> float:
    if args.limit is None:
        return configured
    if not args.limit > 0:
        from sitbreak.errors import UsageError

        raise UsageError(_("--limit: {value} is not a positive number of minutes").format(
            value=f"{args.limit:g}"))
    return float(args.limit) * 60


def default_chart_path(period: str, last: date) -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("sitbreak", appauthor=False)) / (
        f"sitting-{period}-{last.isoformat()}.png"
    )


def run(args: argparse.Namespace) -> int:
    from sitbreak.history.config import db_path, user_settings
    from sitbreak.history.dates import parse_day
    from sitbreak.history.records import latest_day, load
    from sitbreak.history.stats import Window, compare, format_text
    from sitbreak.history.store import open_for_reading

    last = parse_day("--date", args.date) if args.date else date.today()
    settings = user_settings(args.config)
    limit = stretch_limit_s(args, settings.timing.stretch_every)
    window = Window.ending(args.period, last)
    path = args.db or db_path(settings)
    conn = open_for_reading(path)
    try:
        history = load(conn, window.previous().lo, window.hi)
        newest = latest_day(conn)
    finally:
        if conn is not None:
            conn.close()
    cur, prev = compare(history, window, limit)
    if args.window:
        return _window(args, history, window, limit, format_text(cur, prev, args.period),
                       missing_db=path if conn is None else None)
    if args.json:
        print(json.dumps({"period": args.period, "current": cur.as_dict(),
                          "previous": prev.as_dict(), "database": str(path)}, indent=1))
    else:
        if conn is None:
            print(_("No history yet at {path}: sitbreak records it while it runs.").format(
                path=path))
        print(format_text(cur, prev, args.period))
        if cur.spans == 0 and newest is not None and not args.date and newest < window.first:
            what = {"day": _("Nothing recorded on this day"),
                    "week": _("Nothing recorded in this week"),
                    "month": _("Nothing recorded in this month")}[args.period]
            print("\n" + _("{nothing}; the latest sitting was on {day} (try --date {date}).")
                  .format(nothing=what, day=newest.isoformat(), date=newest.isoformat()))
    if args.chart is not None:
        from sitbreak.history.chart import draw

        out = Path(args.chart) if args.chart else default_chart_path(args.period, last)
        draw(history, window, limit, out)
        print(_("chart: {path}").format(path=out), file=sys.stderr if args.json else sys.stdout)
    return 0


def _window(args: argparse.Namespace, history: Any, window: Any, limit: float, numbers: str,
            *, missing_db: Path | None) -> int:
    """The chart and the numbers in a window; blocks until it is closed."""
    from sitbreak.history.chart import draw
    from sitbreak.history.window import NoWindow, open_root, show

    try:
        root = open_root()
    except NoWindow as exc:
        print(_("sitbreak: {error}").format(error=exc), file=sys.stderr)
        return 3
    out = Path(args.chart) if args.chart else default_chart_path(args.period, window.days[-1])
    # the chart carries the period as its title: the numbers start with their table
    numbers = "\n".join(numbers.splitlines()[2:])
    numbers = f"Compared with {window.previous().label()}\n\n{numbers}"
    if missing_db is not None:
        numbers = f"No history yet ({missing_db}):\nsitbreak records it while it runs.\n\n" \
                  + numbers
    show(root, lambda dpi: draw(history, window, limit, out, dpi=dpi), numbers)
    return 0
