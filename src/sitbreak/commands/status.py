"""`sitbreak status`: sitting time, next nudge, source, paused? (from the running daemon)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("status", help=_("what the running daemon sees"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from sitbreak.daemon import control_client, protocol

    reply = control_client.call("status")
    status = reply.get("status", {})
    if args.json:
        print(json.dumps(status, indent=2, sort_keys=True))
    else:
        print(protocol.format_status(status))
    return 0
