"""Logging to a rotating file in the user log dir. Only times and states are logged, never input.

A log file that cannot be written (disk full, read-only, removed) must not flood stderr with
``--- Logging error ---`` tracebacks, one per record: it costs one line, and writing resumes
by itself once the disk has room again.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from sitbreak.daemon import paths
from sitbreak.i18n import _
from sitbreak.safe_text import clean

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """``RotatingFileHandler`` whose write failures are one stderr line per outage."""

    def __init__(self, filename: Path, **kwargs: object) -> None:
        super().__init__(filename, **kwargs)  # type: ignore[arg-type]
        self.failing = False  # the last record could not be written
        self.dropped = 0  # records lost in the current outage
        self._failed_now = False

    def emit(self, record: logging.LogRecord) -> None:
        self._failed_now = False
        super().emit(record)
        if self.failing and not self._failed_now:
            self.failing = False
            lost, self.dropped = self.dropped, 0
            note = logging.LogRecord(record.name, logging.WARNING, __file__, 0,
                                     "log file writable again after %d failed writes",
                                     (lost,), None)
            super().emit(note)

    def close(self) -> None:
        try:
            super().close()
        except OSError:  # the last buffered lines cannot be flushed to a full disk
            self.stream = None

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed_now = True
        self.dropped += 1
        if self.failing:
            return
        self.failing = True
        exc = sys.exc_info()[1]
        why = getattr(exc, "strerror", None) or (type(exc).__name__ if exc else "error")
        line = (f"sitbreak: cannot write the log {clean(self.baseFilename)} ({clean(why)}); "
                "log lines are dropped until it can\n")
        try:
            sys.stderr.write(line)
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):  # no stderr either: stay silent
            pass


def setup(verbose: bool, *, to_stderr: bool = False, log_dir: Path | None = None) -> Path:
    """Route the root logger to ``<log dir>/sitbreak.log`` (1 MB × 3); returns the file path."""
    directory = log_dir or paths.log_dir()
    file = directory / "sitbreak.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        root.removeHandler(h)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = QuietFileHandler(
            file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:  # read-only or full: run on, logging to stderr only
        print(_("sitbreak: cannot open the log {path} ({error}); logging to the terminal "
                "only").format(path=clean(file), error=clean(exc.strerror or exc)),
              file=sys.stderr)
        to_stderr = True
    else:
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
