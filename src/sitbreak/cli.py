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

from sitbreak import __version__, commands, i18n
from sitbreak.errors import SitbreakError
from sitbreak.i18n import _
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
        description=_("Nudges you to stand up and stretch your glutes before sitting hurts."),
    )
    parser.add_argument("--version", action="version", version=f"sitbreak {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=_("debug logging"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [only] if only is not None else sorted(command_modules().values())
    for name in names:
        module = importlib.import_module(f"sitbreak.commands.{name}")
        module.register(sub)
    return parser


def setup_language(argv: Sequence[str]) -> None:
    """The language before any text is made: ``ui.language`` (from ``--config`` or the usual
    config), else the locale. A bad value is one line here and the locale is used."""
    config = None
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            config = argv[i + 1]
        elif arg.startswith("--config="):
            config = arg.split("=", 1)[1]
    i18n.setup(None)  # the locale's language for a problem with the configured one
    choice, problem = i18n.configured_language(config)
    i18n.setup(choice)
    if problem:
        print(_("sitbreak: {problem}").format(problem=problem), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    setup_language(given)
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
        print(_("sitbreak: {error}").format(error=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
