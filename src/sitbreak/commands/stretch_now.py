"""`sitbreak stretch-now`: show a stretch nudge now."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("stretch-now", help=_("show a stretch nudge now"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("stretch-now")
