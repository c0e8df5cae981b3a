"""Where finished records go (breaks, sitting spans, answers, pauses).

The SQLite history (``sitbreak.history``'s Recorder) plugs in by implementing ``HistorySink``;
it is built on the worker thread (a SQLite connection stays on its thread). The runtime hands it
each record with the offset that turns engine seconds into Unix time
(``wall = engine_s + wall_offset``), because engine seconds count from boot.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sitbreak.engine import commands as cmd

log = logging.getLogger("sitbreak.history")

# ShowNudge too: the history pairs each answer with the nudge it answers
Record = (
    cmd.BreakRecorded | cmd.SittingSpan | cmd.NudgeAnswered | cmd.PeriodRecorded | cmd.ShowNudge
)


class HistorySink(Protocol):
    def record(self, rec: Record, wall_offset: float) -> None: ...

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        """The sitting span from ``start`` is still going; its last known input was at ``end``
        (kept so that a quit, a logout or a kill loses at most the time since)."""

    def close(self) -> None: ...


class NullSink:
    def record(self, rec: Record, wall_offset: float) -> None:
        pass

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        pass

    def close(self) -> None:
        pass


class LogSink:
    """Writes one log line per record (times and causes only)."""

    def record(self, rec: Record, wall_offset: float) -> None:
        match rec:
            case cmd.BreakRecorded(from_=a, to=b, cause=cause):
                log.info("break recorded: %s, %.0f s", cause, b - a)
            case cmd.SittingSpan(start=a, end=b):
                log.info("sitting span ended: %.0f s", b - a)
            case cmd.NudgeAnswered(kind=kind, item=item, answer=answer, at=at, shown_at=shown):
                log.info("%s nudge %s answered: %s after %.0f s", kind, item, answer, at - shown)
            case cmd.PeriodRecorded(kind=kind, start=a, end=b):
                log.info("%s period ended: %.0f s", kind, b - a)
            case cmd.ShowNudge():
                pass  # the runtime logs shown nudges itself

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        pass  # a line per wake-up would drown the log

    def close(self) -> None:
        pass


class TeeSink:
    """Several sinks at once; a failing sink is logged and never stops the others."""

    def __init__(self, *sinks: HistorySink) -> None:
        self.sinks = sinks

    def record(self, rec: Record, wall_offset: float) -> None:
        for sink in self.sinks:
            try:
                sink.record(rec, wall_offset)
            except Exception:
                log.exception("history sink %s failed", type(sink).__name__)

    def open_span(self, start: float, end: float, wall_offset: float) -> None:
        for sink in self.sinks:
            try:
                sink.open_span(start, end, wall_offset)
            except Exception:
                log.exception("history sink %s failed", type(sink).__name__)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                log.exception("closing history sink %s failed", type(sink).__name__)
