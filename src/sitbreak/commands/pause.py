"""`sitbreak pause 30m|1h|until-tomorrow`: no nudges for a while (sitting is still tracked)."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.errors import UsageError
from sitbreak.i18n import _
from sitbreak.safe_text import clean


def parse_pause(text: str) -> tuple[float | None, bool]:
    """(seconds, until_tomorrow); raises UsageError (one line) naming the bad value.

    The same range as every other entry point: more than 0 s, at most 7 days
    (``sitbreak.limits.check_pause``).
    """
    t = text.strip().lower()
    if t in ("until-tomorrow", "tomorrow"):
        return None, True
    from sitbreak.limits import MAX_PAUSE_S, check_pause
    from sitbreak.settings.durations import parse_duration

    shown = clean(repr(text), 40)
    if t.replace(".", "", 1).isascii() and t.replace(".", "", 1).isdigit():
        raise UsageError(_("pause: add a unit to {text}, e.g. 30m, 1h or 1h30m").format(text=shown))
    try:
        seconds = check_pause(parse_duration(t, max_s=MAX_PAUSE_S))
    except ValueError as exc:
        raise UsageError(_("pause: {error} (or 'until-tomorrow')").format(error=clean(exc))) from None
    return seconds, False


def register(sub: Any) -> None:
    p = sub.add_parser("pause", help=_("pause nudges: 30m, 1h, 1h30m or until-tomorrow"))
    p.add_argument("how_long", metavar="DURATION", help=_("e.g. 30m, 1h or until-tomorrow"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    for_s, tomorrow = parse_pause(args.how_long)
    if tomorrow:
        return send("pause", until_tomorrow=True)
    return send("pause", for_s=for_s)
