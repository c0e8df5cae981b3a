"""Working hours such as ``"mon-fri 08:00-18:00"`` or ``"mon-thu 08:00-17:30, fri 08:00-13:00"``.

Pure date arithmetic on naive local datetimes; the engine never reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def N_(message: str) -> str:
    """Marks a message for the translation catalogue; the config layer translates it (the
    engine itself imports nothing outside the standard library)."""
    return message


class HoursError(ValueError):
    """The working-hours text is malformed; the message says where. ``template`` and
    ``values`` let the config layer show it in the user's language."""

    def __init__(self, template: str, **values: str) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


@dataclass(frozen=True, slots=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time  # end <= start means the window runs past midnight


@dataclass(frozen=True, slots=True)
class WorkingHours:
    windows: tuple[Window, ...]
    text: str

    def contains(self, local: datetime) -> bool:
        if not self.windows:
            return True
        t = local.time()
        day = local.weekday()
        for w in self.windows:
            if w.start < w.end:
                if day in w.days and w.start <= t < w.end:
                    return True
            elif (day in w.days and t >= w.start) or ((day - 1) % 7 in w.days and t < w.end):
                return True
        return False

    def next_change(self, local: datetime) -> datetime | None:
        """The next time after ``local`` at which ``contains`` flips (None if it never does)."""
        if not self.windows:
            return None
        inside = self.contains(local)
        candidates: list[datetime] = []
        base = local.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(9):
            day = base + timedelta(days=offset)
            for w in self.windows:
                for edge in (w.start, w.end):
                    at = datetime.combine(day.date(), edge)
                    if at > local:
                        candidates.append(at)
        for at in sorted(set(candidates)):
            if self.contains(at) != inside:
                return at
        return None


def _parse_day_range(text: str, whole: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split("+"):
        if "-" in part:
            a, b = part.split("-", 1)
            if a not in DAYS or b not in DAYS:
                raise HoursError(N_("unknown day in {part} (use mon, tue, … sun) in {whole}"),
                                 part=repr(part), whole=repr(whole))
            i, j = DAYS.index(a), DAYS.index(b)
            k = i
            while True:
                days.add(k)
                if k == j:
                    break
                k = (k + 1) % 7
        else:
            if part not in DAYS:
                raise HoursError(N_("unknown day {part} (use mon, tue, … sun) in {whole}"),
                                 part=repr(part), whole=repr(whole))
            days.add(DAYS.index(part))
    return frozenset(days)


def _parse_clock(text: str, whole: str) -> time:
    hh, _, mm = text.partition(":")
    # ASCII digits only: int() would also read "٠٨", " 8", "+8" or "0_8"
    if not (text.isascii() and hh.isdigit() and mm.isdigit() and len(hh) <= 2 and len(mm) == 2):
        raise HoursError(N_("bad time {text} (use HH:MM) in {whole}"), text=repr(text),
                         whole=repr(whole))
    h, m = int(hh), int(mm)
    if h == 24 and m == 0:
        return time(0, 0)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise HoursError(N_("time {text} out of range in {whole}"), text=repr(text),
                         whole=repr(whole))
    return time(h, m)


def parse_working_hours(text: str) -> WorkingHours:
    """Parse the config text; empty means always."""
    whole = text.strip()
    windows: list[Window] = []
    if not whole:
        return WorkingHours((), "")
    for raw in whole.replace(";", ",").split(","):
        chunk = raw.strip().lower()
        if not chunk:
            continue
        parts = chunk.split()
        if len(parts) == 1:
            days, span = frozenset(range(7)), parts[0]
        elif len(parts) == 2:
            days, span = _parse_day_range(parts[0], whole), parts[1]
        else:
            raise HoursError(N_("expected 'DAYS HH:MM-HH:MM', got {chunk}"), chunk=repr(chunk))
        if span.count("-") != 1:
            raise HoursError(N_("expected a time range like 08:00-18:00, got {span} in {whole}"),
                             span=repr(span), whole=repr(whole))
        a, b = span.split("-")
        start, end = _parse_clock(a, whole), _parse_clock(b, whole)
        if start == end:
            raise HoursError(N_("empty time range {span} in {whole}"), span=repr(span),
                             whole=repr(whole))
        windows.append(Window(days, start, end))
    return WorkingHours(tuple(windows), whole)
