"""``sitbreak trace``: print synthetic office days with calls as a replay trace (typing bursts,
reading pauses, silent spells in calls, coffee, locked lunches, overnight sleep) — to try
``sitbreak replay`` without recording a day first."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("trace", help=_("print synthetic office days with calls as a replay trace "
                       "(try: trace | replay -)"))
    p.add_argument("--days", type=int, default=5, help=_("how many days (default 5)"))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", default="2026-11-23", help=_("first day (a YYYY-MM-DD Monday)"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sitbreak.tracegen import main

    return main(["--days", str(args.days), "--seed", str(args.seed), "--start", args.start])
