"""`sitbreak skip`: skip the stretch nudge on screen (the clock restarts, no break)."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("skip", help=_("answer the stretch nudge on screen: skip it"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("skip")
