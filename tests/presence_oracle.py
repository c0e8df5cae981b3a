"""An engine-independent oracle for breaks when calls are presence evidence.

The user is present at each input, and through the unlocked part of a call from the first
moment in it that they were there (still within away_after of their last presence, or typing
in it). An absence is a gap of at least away_after between the last presence and the next
input; it ends at that input.
"""

from __future__ import annotations

from collections.abc import Sequence

Span = tuple[float, float]


def call_parts(calls: Sequence[Span], locks: Sequence[Span]) -> list[Span]:
    """The parts of each call with the screen unlocked and the machine awake."""
    parts: list[Span] = []
    for a, b in calls:
        cut = [(a, b)]
        for la, lb in locks:
            cut = [piece for x, y in cut for piece in ((x, min(y, la)), (max(x, lb), y))
                   if piece[1] > piece[0]] if la < b and lb > a else cut
        parts += cut
    return parts


def presence_breaks(inputs: Sequence[float], calls: Sequence[Span], locks: Sequence[Span],
                    away: float) -> list[Span]:
    parts = call_parts(calls, locks)
    marks = sorted([(t, 1) for t in inputs] + [(x, 0) for x, _y in parts])
    out: list[Span] = []
    last: float | None = None
    for at, is_input in marks:
        if is_input:
            if last is not None and at - last >= away:
                out.append((last, at))
            last = at if last is None else max(last, at)
        if last is None or at - last >= away:
            continue  # not there: evidence does not bring anyone back
        for x, y in parts:  # present inside a call: it carries them to its end
            if x <= at < y:
                last = max(last, y)
    return out
