"""Items as plain text, for screen readers and terminals (`sitbreak content show`, nudges)."""

from __future__ import annotations

from sitbreak.card.timer import SWITCH_S, Timed, format_seconds
from sitbreak.i18n import _


def timer_plan(item: Timed) -> str:
    """What the card's hold timer runs, in words: "Timer: 30 s on the left side, 5 s to
    change sides, then 30 s on the right side"."""
    hold = format_seconds(item.hold_s)
    each = f"{item.reps} × {hold}" if item.reps > 1 else hold
    if item.reps > 1 and item.rest_s:
        each = _("{each} with {rest} rest between").format(
            each=each, rest=format_seconds(item.rest_s))
    if item.sides == 2:
        return _("Timer: {each} on the left side, {switch} to change sides, then {each} on the "
                 "right side").format(each=each, switch=format_seconds(int(SWITCH_S)))
    label = _("Hold") if item.timer_label == "Hold" else item.timer_label
    return _("Timer: {each} ({label})").format(each=each, label=label.lower())
