"""The control protocol: one JSON object per line each way.

Request:  ``{"cmd": "pause", "for_s": 1800}``   Reply: ``{"ok": true, "message": "...",
"status": {...}}`` or ``{"ok": false, "error": "..."}``. Times in ``status`` are relative seconds
(``sitting_s``, ``next_nudge_in_s``), so the client never needs the daemon's clock.
"""

from __future__ import annotations

import json
from typing import Any

from sitbreak import limits
from sitbreak.i18n import N_, _
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
                req["for_s"] = limits.check_pause(for_s)
            except limits.OutOfRange as exc:
                raise ProtocolError(str(exc)) from None
        if not isinstance(req.get("until_tomorrow", False), bool):
            raise ProtocolError("pause: until_tomorrow must be true or false")
    return req


def _minutes(seconds: float) -> str:
    m = int(seconds // 60)
    if m < 1:
        return _("{seconds} s").format(seconds=int(seconds))
    if m < 60:
        return _("{minutes} min").format(minutes=m)
    return _("{hours} h {minutes:02d} min").format(hours=m // 60, minutes=m % 60)


_WAITS = {
    "call": N_("after the call"),
    "input": N_("when you next type or move the mouse"),
    "hours": N_("when working hours start"),
}
# the daemon's words for its states, kinds and break causes, as the user reads them
WORDS = {
    "sitting": N_("sitting"),
    "away": N_("away"),
    "locked": N_("locked"),
    "asleep": N_("asleep"),
    "standing": N_("standing"),
    "stretch": N_("stretch"),
    "posture": N_("posture"),
    "movement": N_("movement"),
    "nudge": N_("nudge"),
    "lock": N_("lock"),
    "sleep": N_("sleep"),
    "done": N_("done"),
    "none": N_("none"),
}


def word(code: object) -> str:
    """A state, kind or cause code in the user's language (unknown codes as they are)."""
    text = str(code)
    return _(WORDS[text]) if text in WORDS else text


def format_status(st: dict[str, Any]) -> str:
    """The human text for ``sitbreak status``: one line per fact, each true in every state."""
    rows: list[tuple[str, str]] = []
    presence = st.get("presence", "?")
    call = _(" · in a call") if st.get("in_call") else ""
    video = _(" · idle inhibitor held (a video?)") if st.get("inhibited") else ""
    if presence == "sitting" and st.get("sitting_s") is not None:
        rows.append((_("Sitting:"), f"{_minutes(float(st['sitting_s']))}{call}{video}"))
    else:
        sat = st.get("sitting_s")
        before = (_(" (sat {time} before)").format(time=_minutes(float(sat)))
                  if sat and presence != "standing" else "")
        rows.append((_("Presence:"), f"{word(presence)}{before}{call}{video}"))
    if st.get("standing"):
        from sitbreak.progname import command

        rows.append((_("Standing:"), _("yes (no nudges until `{command}`)").format(
            command=command("sit"))))
    if st.get("paused"):
        until = st.get("paused_for_s")
        rows.append((_("Paused:"), _("yes") if until is None else
                     _("yes, {time} left").format(time=_minutes(float(until)))))
    else:
        rows.append((_("Paused:"), _("no")))
    nxt = st.get("next_nudge_in_s")
    kind = word(st.get("next_nudge_kind") or "nudge")
    waits = st.get("next_nudge_waits")
    if nxt is not None and waits in _WAITS and (waits != "hours" or float(nxt) <= 0):
        rows.append((_("Next nudge:"), f"{kind} {_(_WAITS[waits])}"))
    elif nxt is not None:
        rows.append((_("Next nudge:"), _("{kind} in {time}").format(
            kind=kind, time=_minutes(max(0.0, float(nxt))))))
    elif presence in ("away", "locked", "asleep"):
        rows.append((_("Next nudge:"), _("none while {state}").format(state=word(presence))))
    else:
        rows.append((_("Next nudge:"), _("none scheduled")))
    if st.get("nudge_item"):
        rows.append((_("On screen:"), f"{word(st.get('nudge_kind'))} {st['nudge_item']}"))
    if not st.get("in_working_hours", True):
        rows.append((_("Outside working hours"), ""))
    last = st.get("last_break")
    if last:
        rows.append((_("Last break:"), _("{cause}, {length}, {ago} ago ({count} since start)").format(
            cause=word(last["cause"]), length=_minutes(float(last["length_s"])),
            ago=_minutes(float(last["ago_s"])), count=st.get("breaks", 0))))
    from sitbreak.parts_text import line

    # the platform parts, in the words and order `sitbreak doctor` uses (not aligned: as there)
    rows.append((line("source", str(st.get("source", "?"))), ""))
    if "watchers" in st:
        rows.append((line("watcher", ", ".join(st["watchers"]) or "none"), ""))
    rows.append((line("notifier", str(st.get("notifier", "?"))), ""))
    rows.append((line("tray", str(st.get("tray", "?"))), ""))
    sources = st.get("presence_sources")
    if sources is not None:
        rows.append((line("presence", ", ".join(sources) or "none"), ""))
    every = st.get("stretch_every_s")
    if isinstance(every, int | float) and not isinstance(every, bool):
        rows.append((_("Stretch:"), _("every {time}").format(time=_minutes(float(every)))))
    rows += [(_("Config:"), _("not applied: {problem}").format(problem=note))
             for note in st.get("config_notes") or []]
    width = max([12, *(len(label) + 1 for label, value in rows if value)])
    # item ids and part names come from files a user can edit: nothing echoed raw
    return "\n".join(clean(f"{label:<{width}}{value}" if value else label, limit=_STATUS_LINE_MAX)
                     for label, value in rows)
