"""`sitbreak stand`: I'm standing: no nudges until `sitbreak sit`."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("stand", help=_("I'm standing: no nudges until `sitbreak sit`"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("stand")
