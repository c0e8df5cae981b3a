"""`sitbreak snooze`: snooze the nudge on screen."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send


def register(sub: Any) -> None:
    p = sub.add_parser("snooze", help="snooze the nudge on screen")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("snooze")
