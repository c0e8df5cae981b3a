"""`sitbreak done`: I did the stretch on screen (a break is credited, the clock restarts)."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("done", help=_("answer the stretch nudge on screen: done"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("done")
