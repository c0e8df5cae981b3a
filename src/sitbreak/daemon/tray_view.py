"""What the tray shows for an engine status: state, ring fill and the minute-resolution text."""

from __future__ import annotations

from typing import Literal

from sitbreak.adapters.base import TrayView
from sitbreak.daemon.protocol import word
from sitbreak.engine import Policy
from sitbreak.engine import commands as cmd
from sitbreak.i18n import _

State = Literal["fresh", "due", "overdue", "paused", "standing", "away"]


def tray_view(st: cmd.Status, policy: Policy, now: float) -> TrayView:
    """E.g. "Sitting 24 min · next stretch in 6 min"; changes at most once a minute."""
    sitting = st.sitting_s(now)
    fill = min(1.0, sitting / policy.stretch_every) if policy.stretch_every > 0 else 0.0
    state: State
    if st.paused:
        state = "paused"
        text = _("Paused") if st.paused_until is None else _("Paused · {time} left").format(
            time=ceil_min(st.paused_until - now))
    elif st.standing:
        state, text = "standing", _("Standing")
    elif st.presence != "sitting":
        state, text = "away", _("Away")
    else:
        if st.nudge_kind == "stretch":
            overdue = sitting >= policy.stretch_every + policy.repeat_after
            state = "overdue" if overdue else "due"
        else:
            state = "fresh"
        text = _("Sitting {minutes} min").format(minutes=int(sitting // 60))
        if st.nudge_kind == "stretch":
            text += _(" · time to stretch")
        elif st.next_nudge_at is not None and st.next_nudge_kind is not None:
            text += _(" · next {kind} in {time}").format(
                kind=word(st.next_nudge_kind), time=ceil_min(st.next_nudge_at - now))
    return TrayView(state, round(fill, 2), text, text)


def next_view_change(st: cmd.Status, now: float, at_most: float) -> float:
    """When the text would next change (a minute boundary of a count), within ``at_most``."""
    target = now + at_most
    if st.sitting_since is not None:
        target = min(target, now + 60.0 - (now - st.sitting_since) % 60.0)
    for t in (st.next_nudge_at, st.paused_until):
        if t is not None and t > now:
            target = min(target, now + ((t - now) % 60.0 or 60.0))
    return target + 0.01


def ceil_min(seconds: float) -> str:
    return _("{minutes} min").format(minutes=max(1, int(-(-seconds // 60))))
