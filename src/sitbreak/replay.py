"""Replay a recorded trace through the engine in virtual time (deterministic JSON Lines out).

Trace: JSON Lines, ``{"t": 12.5, "event": "input"}``, ``t`` = seconds from the start, never
decreasing; optional first line ``{"start": "2026-11-23T08:30:00"}`` (local time of t = 0).
The replay drives the engine exactly as the daemon does: before each event it wakes the engine at
every deadline that falls due, then hands it the event.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from sitbreak.engine.core import Engine, EngineError
from sitbreak.engine.policy import Policy
from sitbreak.errors import TraceError
from sitbreak.i18n import _

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
_FAST_INPUT = re.compile(r'\{"t": ?(\d+(?:\.\d+)?), ?"event": ?"input"\}\s*\Z')


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
    return TraceError(f"{name}:{lineno}: {what}")


def _parse_event(obj: Any, name: str, lineno: int) -> tuple[float, str, dict[str, Any]]:
    if not isinstance(obj, dict):
        raise _fail(name, lineno, "expected a JSON object like {\"t\": 12.5, \"event\": \"input\"}")
    t = obj.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float):
        raise _fail(name, lineno, "'t' must be a number of seconds from the start of the trace")
    if not math.isfinite(t) or t < 0:
        raise _fail(name, lineno, f"'t' must be a finite number >= 0, got {t}")
    ev = obj.get("event")
    if ev not in EVENT_NAMES:
        raise _fail(name, lineno, f"unknown event {ev!r} (known: {', '.join(EVENT_NAMES)})")
    extra = set(obj) - {"t", "event"} - ({"for", "until"} if ev == "pause" else set())
    if extra:
        raise _fail(name, lineno, f"unexpected key {sorted(extra)[0]!r} for event {ev!r}")
    return float(t), ev, obj


def _make_event(t: float, ev: str, obj: dict[str, Any], name: str, lineno: int) -> e.Event:
    if ev == "pause":
        for_s = obj.get("for")
        until = obj.get("until")
        if for_s is not None and (isinstance(for_s, bool) or not isinstance(for_s, int | float)
                                  or not math.isfinite(for_s) or for_s < 0):
            raise _fail(name, lineno, "'for' must be a number of seconds >= 0")
        if until not in (None, "tomorrow"):
            raise _fail(name, lineno, "'until' can only be \"tomorrow\"")
        return e.Pause(t, None if for_s is None else float(for_s), until == "tomorrow")
    return _SIMPLE[ev](t)


def _parse_start(obj: dict[str, Any], name: str) -> datetime:
    extra = set(obj) - {"start"}
    if extra:
        raise _fail(name, 1, f"unexpected key {sorted(extra)[0]!r} in the start line")
    try:
        start = datetime.fromisoformat(str(obj["start"]))
    except ValueError:
        raise _fail(name, 1, f"'start' must be an ISO date-time like 2026-11-23T08:30:00, "
                             f"got {obj['start']!r}") from None
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
        if m is not None:
            t = float(m.group(1))
            ev = "input"
        else:
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _fail(name, lineno, f"not valid JSON ({exc.msg}, column {exc.colno})") from None
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
