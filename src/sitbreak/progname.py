"""How the user runs sitbreak where they are, for every command the program prints.

In a clone ``sitbreak`` is usually not on PATH: the ``./sitbreak`` launcher sets
``$SITBREAK_PROG`` to the way it was invoked (``./sitbreak``), so a hint such as "`./sitbreak
quit` stops it" works as printed.
"""

from __future__ import annotations

import os
import shutil
import sys

PROG_ENV = "SITBREAK_PROG"


def prog() -> str:
    """``$SITBREAK_PROG`` (set by the clone's launcher), else the script this process was
    started as when ``sitbreak`` on PATH is not that script, else ``sitbreak``."""
    given = os.environ.get(PROG_ENV, "").strip()
    if given and not any(ch.isspace() or not ch.isprintable() for ch in given):
        return given
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "sitbreak" and os.sep in argv0:
        found = shutil.which("sitbreak")
        if found is None or os.path.realpath(found) != os.path.realpath(argv0):
            return argv0
    return "sitbreak"


def command(*args: str) -> str:
    """E.g. ``command("quit")`` → ``./sitbreak quit`` in a clone, ``sitbreak quit`` when
    installed."""
    return " ".join((prog(), *args))
