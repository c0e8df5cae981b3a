"""``sitbreak replay TRACE [--config FILE]``: what the daemon would have done, deterministically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "replay",
        help="run the engine over a recorded trace (JSON Lines) and print what it would do",
        description="Replays TRACE in virtual time with the built-in defaults plus --config "
        "(never your own config unless named) and prints nudges, breaks and withdrawals as "
        "JSON Lines, then a summary. '-' reads standard input.",
    )
    p.add_argument("trace", help="trace file (JSON Lines), or - for standard input")
    p.add_argument("--config", metavar="FILE", help="config file to apply over the defaults")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sitbreak.engine.policy import Policy
    from sitbreak.errors import TraceError
    from sitbreak.replay import dumps, replay

    policy = Policy()
    if args.config:
        from sitbreak.settings import load, to_policy

        policy = to_policy(load(Path(args.config), use_env=False, must_exist=True))
    if args.trace == "-":
        records = replay(sys.stdin, policy, "<stdin>")
    else:
        path = Path(args.trace)
        try:
            with path.open(encoding="utf-8") as f:
                records = replay(f, policy, str(path))
        except FileNotFoundError:
            raise TraceError(f"{path}: no such file") from None
        except UnicodeDecodeError as exc:
            raise TraceError(f"{path}: not UTF-8 text ({exc.reason})") from None
    sys.stdout.write("".join(dumps(r) + "\n" for r in records))
    return 0
