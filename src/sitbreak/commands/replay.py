"""``sitbreak replay TRACE [--config FILE]``: what the daemon would have done, deterministically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sitbreak.i18n import _


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "replay",
        help=_("run the engine over a recorded trace (JSON Lines) and print what it would do"),
        description=_("Replays TRACE in virtual time with the built-in defaults plus --config "
        "(never your own config unless named) and prints nudges, breaks and withdrawals as "
        "JSON Lines, then a summary. '-' reads standard input."),
    )
    p.add_argument("trace", help=_("trace file (JSON Lines), or - for standard input"))
    p.add_argument("--config", metavar="FILE", help=_("config file to apply over the defaults"))
    p.add_argument("--db", metavar="PATH",
                   help=_("also record what happened into this history database (for stats)"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sitbreak.content.for_settings import selection_for
    from sitbreak.replay import dumps
    from sitbreak.safe_text import clean
    from sitbreak.settings import load, to_policy

    settings = load(None, use_env=False)
    if args.config:
        settings = load(Path(args.config), use_env=False, must_exist=True)
    # Items from the shipped library (plus content.dir if the named config sets one), seed 0
    # unless the config fixes one: the same trace and config always name the same items.
    library, selection = selection_for(settings.content, with_user=False)
    for problem in [*library.problems, *selection.notes]:
        print(_("sitbreak: {problem}").format(problem=clean(problem, 500)), file=sys.stderr)
    policy = to_policy(settings, selection.pool)
    hooks: dict[str, Any] = {}
    if args.db:
        from sitbreak.history.replay_sink import ReplaySink

        sink = ReplaySink(Path(args.db))
        hooks = {"on_command": sink.handle, "on_start": sink.start}
    records = _replay(args, policy, hooks)
    if args.db:
        sink.write()  # only a trace replayed to its end fills the history
    sys.stdout.write("".join(dumps(r) + "\n" for r in records))
    return 0


def _replay(args: argparse.Namespace, policy: Any, hooks: dict[str, Any]) -> list[Any]:
    from sitbreak.errors import TraceError
    from sitbreak.replay import read_lines, replay
    from sitbreak.safe_text import clean

    if args.trace == "-":
        return replay(read_lines(sys.stdin.buffer, "<stdin>"), policy, "<stdin>", **hooks)
    path = Path(args.trace)
    # A named trace may be a pipe (`<(…)`); whatever it is, lines are read in bounded chunks.
    try:
        with path.open("rb") as f:
            return replay(read_lines(f, str(path)), policy, str(path), **hooks)
    except FileNotFoundError:
        raise TraceError(_("{path}: no such file").format(path=clean(path))) from None
    except IsADirectoryError:
        raise TraceError(_("{path}: is a directory, not a trace").format(path=clean(path))) from None
    except OSError as exc:
        raise TraceError(_("{path}: cannot read ({error})").format(
            path=clean(path), error=exc.strerror or exc)) from None
