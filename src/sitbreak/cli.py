"""Command-line edge: one module per subcommand in ``sitbreak.commands``, errors → exit codes.

Each module in ``sitbreak.commands`` exposes ``register(subparsers)``; the parser it adds sets
``func`` (taking the parsed args, returning an exit code) and is named after the module (``_`` →
``-``). Only the module of the subcommand given is imported (``sitbreak run`` does not load the
other commands); help and unknown commands get the full parser. Heavy imports stay inside the
functions so that ``sitbreak replay`` and the control commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from sitbreak import __version__, commands
from sitbreak.errors import SitbreakError
from sitbreak.progname import prog

DEFAULT_COMMAND = "run"


def command_modules() -> dict[str, str]:
    """Subcommand name → module name, from the package listing (nothing imported)."""
    found = pkgutil.iter_modules(commands.__path__)
    return {m.name.replace("_", "-"): m.name for m in found if not m.name.startswith("_")}


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand's module if argv names one (after the global options; only global
    options: the default command's), else None (help, unknown: the full parser)."""
    for arg in argv:
        if arg in ("-v", "--verbose"):
            continue
        return command_modules().get(arg)
    return command_modules().get(DEFAULT_COMMAND) if argv else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with only the one in module ``only``."""
    parser = argparse.ArgumentParser(
        prog=prog(),
        description="Nudges you to stand up and stretch your glutes before sitting hurts.",
    )
    parser.add_argument("--version", action="version", version=f"sitbreak {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [only] if only is not None else sorted(command_modules().values())
    for name in names:
        module = importlib.import_module(f"sitbreak.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_chosen(given))
    args = parser.parse_args(given)
    if getattr(args, "func", None) is None:
        if not given:
            parser.print_help()
            return 0
        # only global options (`sitbreak -v`): they go with the default command
        args = parser.parse_args([*given, DEFAULT_COMMAND])
    try:
        code: int = args.func(args)
    except SitbreakError as exc:
        print(f"sitbreak: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
