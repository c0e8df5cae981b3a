"""What the control socket's commands do (`sitbreak status`, `pause`, `snooze`…), on the worker
loop, and the status they all answer with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitbreak.daemon import protocol
from sitbreak.engine import events as ev
from sitbreak.i18n import _
from sitbreak.progname import command

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime


async def handle(rt: Runtime, req: dict[str, Any]) -> dict[str, Any]:
    engine = rt.require_engine()
    name = req["cmd"]
    message = ""
    if name == "status":
        pass
    elif name == "show-status":
        rt.nudges.alert(_("sitbreak is running"), protocol.format_status(status_dict(rt)))
        message = _("already running")
    elif name == "pause":
        for_s = req.get("for_s")
        rt.pause(None if for_s is None else float(for_s), bool(req.get("until_tomorrow")))
        message = _("paused")
    elif name == "resume":
        if not engine.paused:
            message = _("not paused")
        else:
            rt.feed_now(ev.Resume)
            message = _("resumed")
    elif name == "stretch-now":
        rt.feed_now(ev.StretchNow)
        message = _("stretch nudge shown")
    elif name == "snooze":
        if engine.status().nudge_kind is None:
            message = _("no nudge to snooze")
        else:
            rt.feed_now(ev.Snooze)
            message = _("snoozed for {minutes} min").format(minutes=int(rt.policy.snooze // 60))
    elif name == "done":
        shown = engine.status().nudge_kind is not None
        rt.feed_now(ev.Done)
        minutes = int(rt.policy.stretch_every // 60)
        message = (_("done: well stretched; next stretch in {minutes} min of sitting") if shown
                   else _("done: break noted; next stretch in {minutes} min of sitting")).format(
            minutes=minutes)
    elif name == "skip":
        if engine.status().nudge_kind is None:
            message = _("no nudge to skip")
        else:
            rt.feed_now(ev.Skip)
            message = _("skipped; the stretch clock starts again")
    elif name == "stand":
        rt.feed_now(ev.Stand)
        message = _("standing: no nudges until `{command}`").format(command=command("sit"))
    elif name == "sit":
        rt.feed_now(ev.Sit)
        message = _("sitting")
    elif name == "quit":
        rt.stop_after_reply()
        message = _("quitting")
    return {"ok": True, "message": message, "status": status_dict(rt)}


def status_dict(rt: Runtime) -> dict[str, Any]:
    """Relative times only. True in every state: while away/locked/asleep the sitting time
    stands still and no next nudge is announced; a held nudge is never "in -5 s" but says
    what it waits for (``next_nudge_waits``: call, input, hours)."""
    engine = rt.require_engine()
    now = rt.clocks.now()
    st = engine.status(now)
    parts = rt.parts
    out: dict[str, Any] = {
        "presence": st.presence,
        "in_call": st.in_call,
        "inhibited": st.inhibited,
        "sitting_s": None if st.sitting_since is None else round(st.sitting_s(now), 1),
        "next_nudge_in_s": None
        if st.next_nudge_at is None
        else round(max(0.0, st.next_nudge_at - now), 1),
        "next_nudge_kind": st.next_nudge_kind,
        "next_nudge_waits": st.next_nudge_waits,
        "paused": st.paused,
        "paused_for_s": None if st.paused_until is None else round(st.paused_until - now, 1),
        "standing": st.standing,
        "nudge_kind": st.nudge_kind,
        "nudge_item": st.nudge_item,
        "deferred": rt.nudges.deferred is not None,
        "in_working_hours": st.in_working_hours,
        "breaks": rt.records.breaks,
        "last_break": None,
        "source": parts.idle.name if parts.idle is not None else "none",
        "presence_sources": [s.name for s in parts.presence],
        "watchers": [w.name for w in parts.watchers if w.name != "none"],
        "notifier": parts.notifier.name,
        "tray": parts.tray.name if parts.tray is not None else "none",
        "stretch_every_s": rt.policy.stretch_every,
        "config_notes": list(rt.config_notes),
    }
    b = rt.records.last_break
    if b is not None:
        out["last_break"] = {
            "cause": b.cause,
            "length_s": round(b.length_s, 1),
            "ago_s": round(now - b.ended_at, 1),
        }
    return out
