"""The pieces of the content model that need no validator: what every office has, how a hold
reads, and a validated item as plain data (``ItemData``, for the daemon: ``content.catalog``)."""

from __future__ import annotations

from sitbreak.i18n import _
from sitbreak.settings.snapshot import Snapshot

# Every office has these; only the others (ball, roller, mat) must be listed as owned.
ALWAYS_AVAILABLE: frozenset[str] = frozenset({"chair", "wall"})


def duration_text(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _("{minutes} min").format(minutes=seconds // 60)
    if seconds >= 60:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{seconds} s").format(seconds=seconds)


def dose_text(hold_s: int, reps: int, sides: int) -> str:
    """Short human summary of a hold, in the user's language: '30 s each side', '8 × 5 s'."""
    hold = duration_text(hold_s)
    text = f"{reps} × {hold}" if reps > 1 else hold
    return _("{hold} each side").format(hold=text) if sides == 2 else text


def total_seconds(hold_s: int, reps: int, rest_s: int, sides: int) -> int:
    """Seconds the whole timer runs (holds plus rests, without the switch pause)."""
    return sides * (reps * hold_s + (reps - 1) * rest_s)


class ItemData(Snapshot):
    """A validated item's JSON dump, answering what ``model.Item`` answers."""

    __slots__ = ()

    @property
    def total_s(self) -> int:
        return total_seconds(self.hold_s, self.reps, self.rest_s, self.sides)

    def dose(self) -> str:
        return dose_text(self.hold_s, self.reps, self.sides)
