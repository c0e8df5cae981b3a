"""`sitbreak demo`: the daemon with shrunk intervals (first stretch nudge after ~20 s)."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands.run import add_run_options
from sitbreak.commands.run import main as run_main
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo", help=_("run with shrunk intervals: a posture check at 10 s, a stretch at 20 s")
    )
    add_run_options(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    print(_("sitbreak demo: keep using the mouse or keyboard; a stretch nudge comes in ~20 s."))
    return run_main(args, demo=True)
