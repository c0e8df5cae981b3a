"""The control protocol: one JSON object per line each way.

Request:  ``{"cmd": "pause", "for_s": 1800}``   Reply: ``{"ok": true, "message": "...",
"status": {...}}`` or ``{"ok": false, "error": "..."}``. Times in ``status`` are relative seconds
(``sitting_s``, ``next_nudge_in_s``), so the client never needs the daemon's clock.
"""

from __future__ import annotations

import json
from typing import Any

from sitbreak import limits
from sitbreak.safe_text import clean

# one status line may name two config files (a refused locked key): room for both, still bounded
_STATUS_LINE_MAX = 600

COMMANDS = (
    "status",
    "show-status",  # a second `sitbreak run`: the running daemon shows its status
    "pause",
    "resume",
    "stretch-now",
    "snooze",
    "stand",
    "sit",
    "quit",
)
MAX_LINE = 64 * 1024


class ProtocolError(ValueError):
    pass


def encode(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def _no_constant(name: str) -> Any:
    raise ProtocolError(f"{name} is not a number here; send a finite number")


def decode(line: bytes) -> dict[str, Any]:
    """One JSON object; NaN/Infinity, deep nesting and huge integers are protocol errors."""
    try:
        obj = json.loads(line, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"not a JSON line: {clean(exc)}") from None
    except RecursionError:
        raise ProtocolError("not a JSON line: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise ProtocolError(f"not a JSON line: {clean(exc)}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("expected a JSON object")
    return obj


def parse_request(line: bytes) -> dict[str, Any]:
    """The request in ``line``, every value checked; raises ProtocolError (one clean line)."""
    req = decode(line)
    cmd = req.get("cmd")
    if not isinstance(cmd, str) or cmd not in COMMANDS:
        raise ProtocolError(f"unknown command {clean(repr(cmd), 60)}")
    if cmd == "pause":
        for_s = req.get("for_s")
        if for_s is not None:
            try:
                req["for_s"] = limits.check_finite_range(
                    "pause: for_s", for_s, 1.0, limits.MAX_PAUSE_S, "s"
                )
            except limits.OutOfRange as exc:
                raise ProtocolError(str(exc)) from None
        if not isinstance(req.get("until_tomorrow", False), bool):
            raise ProtocolError("pause: until_tomorrow must be true or false")
    return req


def _minutes(seconds: float) -> str:
    m = int(seconds // 60)
    if m < 1:
        return f"{int(seconds)} s"
    if m < 60:
        return f"{m} min"
    return f"{m // 60} h {m % 60:02d} min"


_WAITS = {
    "call": "after the call",
    "input": "when you next type or move the mouse",
    "hours": "when working hours start",
}


def format_status(st: dict[str, Any]) -> str:
    """The human text for ``sitbreak status``: one line per fact, each true in every state."""
    lines: list[str] = []
    presence = st.get("presence", "?")
    call = " · in a call" if st.get("in_call") else ""
    video = " · idle inhibitor held (a video?)" if st.get("inhibited") else ""
    if presence == "sitting" and st.get("sitting_s") is not None:
        lines.append(f"Sitting:    {_minutes(float(st['sitting_s']))}{call}{video}")
    else:
        sat = st.get("sitting_s")
        before = f" (sat {_minutes(float(sat))} before)" if sat and presence != "standing" else ""
        lines.append(f"Presence:   {presence}{before}{call}{video}")
    if st.get("standing"):
        lines.append("Standing:   yes (no nudges until `sitbreak sit`)")
    if st.get("paused"):
        until = st.get("paused_for_s")
        lines.append(
            "Paused:     yes" + (f", {_minutes(float(until))} left" if until is not None else "")
        )
    else:
        lines.append("Paused:     no")
    nxt = st.get("next_nudge_in_s")
    kind = st.get("next_nudge_kind") or "nudge"
    waits = st.get("next_nudge_waits")
    if nxt is not None and waits in _WAITS and (waits != "hours" or float(nxt) <= 0):
        lines.append(f"Next nudge: {kind} {_WAITS[waits]}")
    elif nxt is not None:
        lines.append(f"Next nudge: {kind} in {_minutes(max(0.0, float(nxt)))}")
    elif presence in ("away", "locked", "asleep"):
        lines.append(f"Next nudge: none while {presence}")
    else:
        lines.append("Next nudge: none scheduled")
    if st.get("nudge_item"):
        lines.append(f"On screen:  {st.get('nudge_kind')} {st['nudge_item']}")
    if not st.get("in_working_hours", True):
        lines.append("Outside working hours")
    last = st.get("last_break")
    if last:
        lines.append(
            f"Last break: {last['cause']}, {_minutes(float(last['length_s']))}, "
            f"{_minutes(float(last['ago_s']))} ago ({st.get('breaks', 0)} since start)"
        )
    lines.append(
        f"Source:     {st.get('source', '?')} · notifier {st.get('notifier', '?')} · "
        f"tray {st.get('tray', '?')}"
    )
    sources = st.get("presence_sources")
    if sources is not None:
        lines.append(f"Presence:   {', '.join(sources) or 'no sources'} (calls, inhibitors)"
                     if sources else "Presence:   no call or inhibitor sources")
    every = st.get("stretch_every_s")
    if isinstance(every, int | float) and not isinstance(every, bool):
        lines.append(f"Stretch:    every {_minutes(float(every))}")
    lines += [f"Config:     not applied: {note}" for note in st.get("config_notes") or []]
    # item ids and part names come from files a user can edit: nothing echoed raw
    return "\n".join(clean(line, limit=_STATUS_LINE_MAX) for line in lines)
