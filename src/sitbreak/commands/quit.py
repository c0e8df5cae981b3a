"""`sitbreak quit`: stop the running daemon."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("quit", help=_("stop the running daemon"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("quit")
