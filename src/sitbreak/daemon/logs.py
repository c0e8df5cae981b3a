"""Logging to a rotating file in the user log dir. Only times and states are logged, never input."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from sitbreak.daemon import paths

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(verbose: bool, *, to_stderr: bool = False, log_dir: Path | None = None) -> Path:
    """Route the root logger to ``<log dir>/sitbreak.log`` (1 MB × 3); returns the file path."""
    directory = log_dir or paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    file = directory / "sitbreak.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.handlers.RotatingFileHandler(
        file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if to_stderr or verbose:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        err.setLevel(logging.DEBUG if verbose else logging.WARNING)
        root.addHandler(err)
    # chatty libraries stay at INFO even with -v
    for name in ("asyncio", "PIL", "dbus_fast"):
        logging.getLogger(name).setLevel(logging.INFO)
    return file
