"""`sitbreak resume`: resume nudges after a pause."""

from __future__ import annotations

import argparse
from typing import Any

from sitbreak.commands._control import send


def register(sub: Any) -> None:
    p = sub.add_parser("resume", help="resume nudges after a pause")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    return send("resume")
