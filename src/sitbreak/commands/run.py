"""`sitbreak run`: the tray daemon (one per user)."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.i18n import _


def add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help=_("config file (default: the user config dir)"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--headless",
        action="store_true",
        default=None,
        help=_("no tray: print nudges to the terminal (automatic without a display)"),
    )
    mode.add_argument(
        "--desktop",
        dest="headless",
        action="store_false",
        help=_("use the tray and notifications even if no display variable is set"),
    )
    # default=SUPPRESS keeps a top-level `sitbreak -v run` working
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)


def register(sub: Any) -> None:
    p = sub.add_parser("run", help=_("start the tray daemon"))
    add_run_options(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace, *, demo: bool = False) -> int:
    from sitbreak.daemon.app import Options, run

    return run(
        Options(
            config=args.config,
            headless=args.headless,
            verbose=bool(getattr(args, "verbose", False)),
            demo=demo,
        )
    )
