"""Replay a recorded trace through the engine in virtual time (deterministic JSON Lines out).

Trace: JSON Lines, ``{"t": 12.5, "event": "input"}``, ``t`` = seconds from the start, never
decreasing, at most 10 years; optional first line ``{"start": "2026-11-23T08:30:00"}`` (local
time of t = 0, years 1900-2999). A pause's ``for`` is at most 7 days (sitbreak/limits.py).
Anything else (NaN, Infinity, huge numbers, deep nesting, non-UTF-8 bytes, a line over 1 MiB)
is one TraceError line naming the trace and line; nothing is printed as if it were fine.
The replay drives the engine exactly as the daemon does: before each event it wakes the engine at
every deadline that falls due, then hands it the event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from sitbreak.engine.core import Engine, EngineError
from sitbreak.engine.policy import Policy
from sitbreak.errors import TraceError
from sitbreak.i18n import _
from sitbreak.limits import MAX_PAUSE_S, MAX_TRACE_S, TRACE_YEARS, check_seconds
from sitbreak.safe_text import clean

DEFAULT_START = datetime(2026, 11, 23, 8, 0)  # a Monday

_SIMPLE: dict[str, Callable[[float], e.Event]] = {
    "lock": e.Lock,
    "unlock": e.Unlock,
    "sleep": e.Sleep,
    "wake": e.Wake,
    "done": e.Done,
    "snooze": e.Snooze,
    "skip": e.Skip,
    "stretch_now": e.StretchNow,
    "resume": e.Resume,
    "stand": e.Stand,
    "sit": e.Sit,
    "opened": e.Opened,
    "call_start": e.CallStart,
    "call_end": e.CallEnd,
    "inhibit": e.InhibitStart,
    "uninhibit": e.InhibitEnd,
}
EVENT_NAMES = ("input", *sorted(_SIMPLE), "pause")

# Most lines are plain inputs in this exact shape: read them without json.loads.
_FAST_INPUT = re.compile(r'\{"t": ?([0-9]{1,12}(?:\.[0-9]{1,9})?), ?"event": ?"input"\}\s*\Z')
MAX_LINE = 1 << 20  # bytes; a trace line is about 30
_CHUNK = 1 << 20


@dataclass(slots=True)
class Summary:
    events: int = 0
    nudges: dict[str, int] = field(default_factory=lambda: {"stretch": 0, "posture": 0})
    movement: int = 0  # stretch nudges that showed a movement item (content.mix)
    breaks: int = 0
    sitting_s: float = 0.0
    longest_sitting_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "summary",
            "events": self.events,
            "nudges": dict(self.nudges),
            "movement": self.movement,
            "breaks": self.breaks,
            "sitting_s": _r(self.sitting_s),
            "longest_sitting_s": _r(self.longest_sitting_s),
        }


def _r(x: float) -> float:
    return round(x, 3)


class _Printer:
    """Turns engine commands into output records and keeps the summary."""

    def __init__(self, on_command: Callable[[c.Command], None] | None,
                 movement: frozenset[str] = frozenset()) -> None:
        self.records: list[dict[str, Any]] = []
        self.summary = Summary()
        self.on_command = on_command
        self.movement = movement

    def take(self, commands: Iterable[c.Command]) -> None:
        for cmd in commands:
            if self.on_command is not None:
                self.on_command(cmd)
            kind = type(cmd)
            if kind is c.ShowNudge:
                assert isinstance(cmd, c.ShowNudge)
                self.summary.nudges[cmd.kind] += 1
                record: dict[str, Any] = {"t": _r(cmd.at), "type": "nudge", "kind": cmd.kind,
                                          "item": cmd.item, "sitting_s": _r(cmd.sitting_s)}
                if cmd.kind == "stretch":
                    moving = cmd.item in self.movement
                    record["movement"] = moving
                    self.summary.movement += moving
                self.records.append(record)
            elif kind is c.BreakRecorded:
                assert isinstance(cmd, c.BreakRecorded)
                self.summary.breaks += 1
                self.records.append({"t": _r(cmd.to), "type": "break", "from": _r(cmd.from_),
                                     "to": _r(cmd.to), "cause": cmd.cause})
            elif kind is c.WithdrawNudge:
                assert isinstance(cmd, c.WithdrawNudge)
                if cmd.reason in ("away", "lock", "sleep", "call"):
                    self.records.append({"t": _r(cmd.at), "type": "withdraw"})
            elif kind is c.SittingSpan:
                assert isinstance(cmd, c.SittingSpan)
                self._span(cmd.end - cmd.start)

    def _span(self, length: float) -> None:
        self.summary.sitting_s += length
        self.summary.longest_sitting_s = max(self.summary.longest_sitting_s, length)


def _fail(name: str, lineno: int, what: str) -> TraceError:
    return TraceError(f"{clean(name)}:{lineno}: {clean(what, 300)}")


def read_lines(stream: BinaryIO, name: str) -> Iterator[str]:
    """The lines of a trace as text, read in bulk. A line that is not UTF-8 or longer than
    ``MAX_LINE`` bytes is a TraceError naming its line number; memory stays bounded whatever
    the stream is (a pipe, /dev/zero)."""
    done = 0  # lines yielded so far
    rest = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        data = rest + chunk if rest else chunk
        cut = data.rfind(b"\n") + 1
        whole, rest = data[:cut], data[cut:]
        if len(rest) > MAX_LINE:
            raise _fail(name, done + whole.count(b"\n") + 1,
                        f"line longer than {MAX_LINE} bytes (is this a trace?)")
        if whole:
            lines = _decode(whole, name, done).split("\n")
            lines.pop()  # the empty text after the last newline
            done += len(lines)
            yield from lines
    if rest:
        yield _decode(rest, name, done)


def _decode(data: bytes, name: str, before: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = before + data.count(b"\n", 0, exc.start) + 1
        raise _fail(name, line, f"not UTF-8 text ({exc.reason})") from None


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number JSON allows")


def _parse_event(obj: Any, name: str, lineno: int) -> tuple[float, str, dict[str, Any]]:
    if not isinstance(obj, dict):
        raise _fail(name, lineno, "expected a JSON object like {\"t\": 12.5, \"event\": \"input\"}")
    t = obj.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float):
        raise _fail(name, lineno, "'t' must be a number of seconds from the start of the trace")
    try:
        seconds = check_seconds(t, high=MAX_TRACE_S, what="'t'")
    except ValueError as exc:
        raise _fail(name, lineno, str(exc)) from None
    ev = obj.get("event")
    if not isinstance(ev, str) or ev not in EVENT_NAMES:
        raise _fail(name, lineno, f"unknown event {clean(repr(ev), 60)} "
                                  f"(known: {', '.join(EVENT_NAMES)})")
    extra = set(obj) - {"t", "event"} - ({"for", "until"} if ev == "pause" else set())
    if extra:
        raise _fail(name, lineno, f"unexpected key {clean(repr(sorted(extra)[0]), 60)} "
                                  f"for event {ev!r}")
    return seconds, ev, obj


def _make_event(t: float, ev: str, obj: dict[str, Any], name: str, lineno: int) -> e.Event:
    if ev == "pause":
        for_s = obj.get("for")
        until = obj.get("until")
        if for_s is not None:
            try:
                for_s = check_seconds(for_s, high=MAX_PAUSE_S, what="'for'")
            except ValueError as exc:
                raise _fail(name, lineno, str(exc)) from None
        if until is not None and until != "tomorrow":
            raise _fail(name, lineno, "'until' can only be \"tomorrow\"")
        return e.Pause(t, for_s, until == "tomorrow")
    return _SIMPLE[ev](t)


def _parse_start(obj: dict[str, Any], name: str) -> datetime:
    extra = set(obj) - {"start"}
    if extra:
        raise _fail(name, 1, f"unexpected key {clean(repr(sorted(extra)[0]), 60)} "
                             "in the start line")
    raw = obj["start"]
    try:
        if not isinstance(raw, str) or len(raw) > 40:
            raise ValueError
        start = datetime.fromisoformat(raw)
    except ValueError:
        raise _fail(name, 1, f"'start' must be an ISO date-time like 2026-11-23T08:30:00, "
                             f"got {clean(repr(raw), 60)}") from None
    low, high = TRACE_YEARS
    if not low <= start.year <= high:
        raise _fail(name, 1, f"'start' must be in the years {low}-{high}, got {start.year}")
    return start.replace(tzinfo=None)


def replay(lines: Iterable[str], policy: Policy, name: str = "trace",
           on_command: Callable[[c.Command], None] | None = None,
           on_start: Callable[[datetime], None] | None = None) -> list[dict[str, Any]]:
    """All output records (the summary last). Raises TraceError naming the first bad line, in
    which case nothing is returned as if it were fine. ``on_start`` learns the local time of
    t = 0; ``on_command`` sees every engine command, and at the end the span still open."""
    printer = _Printer(on_command, policy.items.movement)
    take = printer.take
    engine: Engine | None = None
    prev = 0.0
    events = 0
    fast = _FAST_INPUT.match
    built: e.Event | None = None
    for lineno, line in enumerate(lines, 1):
        m = fast(line)
        if m is not None and (t := float(m.group(1))) <= MAX_TRACE_S:
            ev = "input"
        else:
            if not line.strip():
                continue
            try:
                raw = json.loads(line, parse_constant=_no_constant)
            except json.JSONDecodeError as exc:
                raise _fail(name, lineno, f"not valid JSON ({exc.msg}, column {exc.colno})") from None
            except RecursionError:
                raise _fail(name, lineno, "not a trace line (JSON nested too deeply)") from None
            except ValueError as exc:  # NaN/Infinity, or an integer of thousands of digits
                what = str(exc) if "JSON allows" in str(exc) else "a number with thousands of digits"
                raise _fail(name, lineno, f"not valid JSON ({what})") from None
            if isinstance(raw, dict) and "start" in raw:
                if engine is not None or events:
                    raise _fail(name, lineno, "a start line is only allowed as the first line")
                start = _parse_start(raw, name)
                engine = Engine(policy, 0.0, start)
                if on_start is not None:
                    on_start(start)
                continue
            t, ev, obj = _parse_event(raw, name, lineno)
            if ev != "input":
                built = _make_event(t, ev, obj, name, lineno)  # its own fields first
        if engine is None:
            engine = Engine(policy, 0.0, DEFAULT_START)
            if on_start is not None:
                on_start(DEFAULT_START)
        if t < prev:
            raise _fail(name, lineno, f"'t' went backwards ({t:g} after {prev:g})")
        prev = t
        events += 1
        deadline = engine.next_deadline()
        while deadline is not None and deadline <= t:
            take(engine.handle(e.Tick(deadline)))
            later = engine.next_deadline()
            if later is not None and later <= deadline:
                raise EngineError(_("engine deadline stuck at {deadline} (a bug: please report it with "
                  "this trace, line {lineno})").format(deadline=deadline, lineno=lineno))
            deadline = later
        if ev == "input":
            out = engine.input_at(t)
            if out:
                take(out)
        else:
            assert built is not None
            take(engine.handle(built))
    if engine is not None and engine.sit_start is not None and engine.last_input is not None:
        # the span still open
        take([c.SittingSpan(engine.sit_start, max(engine.sit_start, engine.last_input))])
    printer.summary.events = events
    return [*printer.records, printer.summary.as_dict()]


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, separators=(", ", ": "))
