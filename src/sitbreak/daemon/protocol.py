"""The control protocol: one JSON object per line each way.

Request:  ``{"cmd": "pause", "for_s": 1800}``   Reply: ``{"ok": true, "message": "...",
"status": {...}}`` or ``{"ok": false, "error": "..."}``. Times in ``status`` are relative seconds
(``sitting_s``, ``next_nudge_in_s``), so the client never needs the daemon's clock.
"""

from __future__ import annotations

import json
from typing import Any

COMMANDS = (
    "status",
    "show-status",  # a second `sitbreak run`: the running daemon shows its status
    "pause",
    "resume",
    "stretch-now",
    "snooze",
    "done",
    "skip",
    "stand",
    "sit",
    "quit",
)
MAX_LINE = 64 * 1024


class ProtocolError(ValueError):
    pass


def encode(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("expected a JSON object")
    return obj


def parse_request(line: bytes) -> dict[str, Any]:
    req = decode(line)
    cmd = req.get("cmd")
    if cmd not in COMMANDS:
        raise ProtocolError(f"unknown command {cmd!r}")
    if cmd == "pause":
        for_s = req.get("for_s")
        if for_s is not None and (
            isinstance(for_s, bool) or not isinstance(for_s, int | float) or for_s <= 0
        ):
            raise ProtocolError("pause: for_s must be a positive number of seconds")
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


def format_status(st: dict[str, Any]) -> str:
    """The human text for ``sitbreak status``."""
    lines: list[str] = []
    presence = st.get("presence", "?")
    if presence == "sitting" and st.get("sitting_s") is not None:
        lines.append(f"Sitting:    {_minutes(float(st['sitting_s']))}")
    else:
        lines.append(f"Presence:   {presence}")
    if st.get("standing"):
        from sitbreak.progname import command

        lines.append(f"Standing:   yes (no nudges until `{command('sit')}`)")
    if st.get("paused"):
        until = st.get("paused_for_s")
        lines.append(
            "Paused:     yes" + (f", {_minutes(float(until))} left" if until is not None else "")
        )
    else:
        lines.append("Paused:     no")
    nxt = st.get("next_nudge_in_s")
    if nxt is not None:
        kind = st.get("next_nudge_kind") or "nudge"
        lines.append(f"Next nudge: {kind} in {_minutes(max(0.0, float(nxt)))}")
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
    from sitbreak.parts_text import line

    # the platform parts, in the words and order `sitbreak doctor` uses
    lines.append(line("source", str(st.get("source", "?"))))
    if "watchers" in st:
        lines.append(line("watcher", ", ".join(st["watchers"]) or "none"))
    lines.append(line("notifier", str(st.get("notifier", "?"))))
    lines.append(line("tray", str(st.get("tray", "?"))))
    return "\n".join(lines)
