"""`sitbreak card ID` (or `safety`): open the stretch card for one item, as the daemon does on
a click, with your `[card]` settings. It takes the keyboard at once (you asked for it); the
answer is printed as one JSON line. Exit codes as ``python -m sitbreak.card``."""

from __future__ import annotations

import argparse
import os
from typing import Any

from sitbreak import i18n
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("card", help=_("open the stretch card for one item (or 'safety')"))
    p.add_argument("id", help=_("item id (`content list` shows them), or 'safety'"))
    p.add_argument("--config", metavar="FILE", help=_("config whose [card] settings to use"))
    p.add_argument("--hold-scale", type=float, default=1.0, metavar="F",
                   help=_("multiply every hold by F (e.g. 0.1 to try it quickly)"))
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from sitbreak.adapters.card import default_command
    from sitbreak.card.__main__ import main as card_main
    from sitbreak.daemon.parts import card_command
    from sitbreak.settings import load, resolve_path

    settings = load(resolve_path(args.config), must_exist=args.config is not None)
    # the daemon's card command line, minus the interpreter: the same options it would pass
    options = card_command(settings)[len(default_command()):]
    # the card reads its language from the environment, as from the daemon: this command's
    previous = os.environ.get(i18n.ENV_OVERRIDE)
    os.environ[i18n.ENV_OVERRIDE] = i18n.current()
    try:
        return card_main([*options, args.id, "--focus", "--hold-scale", f"{args.hold_scale:g}"])
    finally:
        if previous is None:
            os.environ.pop(i18n.ENV_OVERRIDE, None)
        else:
            os.environ[i18n.ENV_OVERRIDE] = previous
