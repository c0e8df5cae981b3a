"""Statistics over a day, a week or a month, with the period before it for the trend.

Periods are rolling windows of whole local days ending with (and including) a given day: a week
is that day and the six before it. Sitting time is clipped to the window; a span's length (for
"longest" and "over the limit") counts on the day the span ended.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sitbreak.history.records import History, local_seconds
from sitbreak.i18n import N_, _
from sitbreak.locale_format import format_day, format_number, format_percent, format_signed

PeriodName = Literal["day", "week", "month"]
PERIOD_DAYS: dict[str, int] = {"day": 1, "week": 7, "month": 30}
ANSWERS = ("done", "snoozed", "skipped", "ignored", "clicked")
CAUSES = ("away", "lock", "sleep", "done")


@dataclass(frozen=True, slots=True)
class Window:
    first: date
    last: date  # inclusive

    @classmethod
    def ending(cls, period: PeriodName, last: date) -> Window:
        return cls(last - timedelta(days=PERIOD_DAYS[period] - 1), last)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def lo(self) -> float:
        return local_seconds(self.first)

    @property
    def hi(self) -> float:
        return local_seconds(self.last + timedelta(days=1))

    def previous(self) -> Window:
        n = len(self.days)
        return Window(self.first - timedelta(days=n), self.first - timedelta(days=1))

    def label(self) -> str:
        """The days in the user's language: ``Mon 16 Nov – Sun 22 Nov 2026``."""
        if self.first == self.last:
            return format_day(self.first)
        return f"{format_day(self.first, year=False)} – {format_day(self.last)}"


@dataclass(slots=True)
class Summary:
    window: Window
    limit_s: float
    sitting_s: float = 0.0
    spans: int = 0
    longest_s: float = 0.0
    over_limit: int = 0
    days_sitting: int = 0
    breaks: Counter[str] = field(default_factory=Counter)
    nudges_shown: int = 0
    nudges_by_kind: Counter[str] = field(default_factory=Counter)
    repeats: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    median_response_s: float | None = None
    pause_s: float = 0.0
    stand_s: float = 0.0

    @property
    def natural_breaks(self) -> int:
        return sum(n for cause, n in self.breaks.items() if cause != "done")

    @property
    def all_breaks(self) -> int:
        return sum(self.breaks.values())

    @property
    def sitting_per_day_s(self) -> float:
        return self.sitting_s / self.days_sitting if self.days_sitting else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_day": self.window.first.isoformat(),
            "last_day": self.window.last.isoformat(),
            "stretch_limit_s": self.limit_s,
            "sitting_s": round(self.sitting_s, 3),
            "sitting_spans": self.spans,
            "longest_sitting_s": round(self.longest_s, 3),
            "spans_over_limit": self.over_limit,
            "days_with_sitting": self.days_sitting,
            "breaks": {cause: self.breaks[cause] for cause in CAUSES},
            "natural_breaks": self.natural_breaks,
            "nudges": {
                "shown": self.nudges_shown,
                "stretch": self.nudges_by_kind["stretch"],
                "posture": self.nudges_by_kind["posture"],
                "repeated": self.repeats,
                **{answer: self.answers[answer] for answer in ANSWERS},
                "no_answer_yet": self.answers["pending"],
            },
            "median_response_s": (
                None if self.median_response_s is None else round(self.median_response_s, 3)
            ),
            "paused_s": round(self.pause_s, 3),
            "standing_s": round(self.stand_s, 3),
        }


def summarize(history: History, window: Window, limit_s: float) -> Summary:
    lo, hi = window.lo, window.hi
    out = Summary(window, limit_s)
    days: set[int] = set()
    for span in history.sitting:
        inside = span.clipped(lo, hi)
        out.sitting_s += inside
        if inside > 0:
            days.update(range(int((max(span.local_start, lo) - lo) // 86400),
                              int((min(span.local_end, hi) - lo - 1e-9) // 86400) + 1))
        if lo <= span.local_end < hi:
            out.spans += 1
            out.longest_s = max(out.longest_s, span.duration)
            if span.duration > limit_s:
                out.over_limit += 1
    out.days_sitting = len(days)
    for brk in history.breaks:
        if lo <= brk.local_end < hi:
            out.breaks[brk.cause] += 1
    for period in history.periods:
        inside = period.clipped(lo, hi)
        if period.kind == "stand":
            out.stand_s += inside
        else:
            out.pause_s += inside
    responses: list[float] = []
    for nudge in history.nudges:
        if not lo <= nudge.local_shown < hi:
            continue
        out.nudges_shown += 1
        out.nudges_by_kind[nudge.kind] += 1
        out.repeats += nudge.repeat
        out.answers[nudge.answer or "pending"] += 1
        if nudge.response_s is not None:
            responses.append(nudge.response_s)
    out.median_response_s = statistics.median(responses) if responses else None
    return out


def compare(history: History, window: Window, limit_s: float) -> tuple[Summary, Summary]:
    """This window and the one before it (``history`` must cover both)."""
    return summarize(history, window, limit_s), summarize(history, window.previous(), limit_s)


# -- text -------------------------------------------------------------------------------------


def hm(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=format_number(minutes))
    return _("{hours} h {minutes:02d} min").format(hours=format_number(minutes // 60),
                                                   minutes=minutes % 60)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    s = round(seconds)
    if s < 60:
        return _("{seconds} s").format(seconds=s)
    return _("{minutes} min {seconds:02d} s").format(minutes=s // 60, seconds=s % 60)


def _pct(now: float, before: float) -> str:
    if before <= 0:
        return _("new") if now > 0 else ""
    change = round((now - before) / before * 100)
    return _("same") if change == 0 else format_percent(change)


def _diff(now: float, before: float) -> str:
    d = round(now - before)
    return _("same") if d == 0 else format_signed(d)


def _dur_diff(now: float, before: float) -> str:
    d = now - before
    if abs(d) < 30:
        return _("same")
    return ("+" if d > 0 else "−") + hm(abs(d))


_COLUMNS = {
    "day": (N_("this day"), N_("day before")),
    "week": (N_("this week"), N_("previous week")),
    "month": (N_("this month"), N_("previous month")),
}


def format_text(cur: Summary, prev: Summary, period: PeriodName) -> str:
    this, last = (_(label) for label in _COLUMNS[period])
    n = format_number
    rows: list[tuple[str, str, str, str]] = [
        (_("Total sitting"), hm(cur.sitting_s), hm(prev.sitting_s),
         _pct(cur.sitting_s, prev.sitting_s)),
    ]
    if period != "day":
        rows.append(("  " + _("per day with sitting"), hm(cur.sitting_per_day_s),
                     hm(prev.sitting_per_day_s),
                     _pct(cur.sitting_per_day_s, prev.sitting_per_day_s)))
    rows += [
        (_("Sitting spans"), n(cur.spans), n(prev.spans), _diff(cur.spans, prev.spans)),
        (_("Longest continuous sitting"), hm(cur.longest_s), hm(prev.longest_s),
         _dur_diff(cur.longest_s, prev.longest_s)),
        (_("Spans over the limit ({limit})").format(limit=hm(cur.limit_s)), n(cur.over_limit),
         n(prev.over_limit), _diff(cur.over_limit, prev.over_limit)),
        (_("Natural breaks"), n(cur.natural_breaks), n(prev.natural_breaks),
         _diff(cur.natural_breaks, prev.natural_breaks)),
    ]
    for cause, label in (("away", N_("left the desk")), ("lock", N_("locked the screen")),
                         ("sleep", N_("computer asleep"))):
        rows.append(("  " + _(label), n(cur.breaks[cause]), n(prev.breaks[cause]), ""))
    rows += [
        (_("Nudges shown"), n(cur.nudges_shown), n(prev.nudges_shown),
         _diff(cur.nudges_shown, prev.nudges_shown)),
        ("  " + _("stretch / posture"), f"{n(cur.nudges_by_kind['stretch'])} / "
         f"{n(cur.nudges_by_kind['posture'])}", f"{n(prev.nudges_by_kind['stretch'])} / "
         f"{n(prev.nudges_by_kind['posture'])}", ""),
        ("  " + _("done"), n(cur.answers["done"]), n(prev.answers["done"]),
         _diff(cur.answers["done"], prev.answers["done"])),
        ("  " + _("snoozed"), n(cur.answers["snoozed"]), n(prev.answers["snoozed"]), ""),
        ("  " + _("skipped"), n(cur.answers["skipped"]), n(prev.answers["skipped"]), ""),
        ("  " + _("ignored"), n(cur.answers["ignored"]), n(prev.answers["ignored"]), ""),
        ("  " + _("opened the card, no answer"), n(cur.answers["clicked"]),
         n(prev.answers["clicked"]), ""),
        (_("Median time to answer"), ms(cur.median_response_s), ms(prev.median_response_s), ""),
    ]
    if cur.pause_s or prev.pause_s:
        rows.append((_("Paused"), hm(cur.pause_s), hm(prev.pause_s), ""))
    if cur.stand_s or prev.stand_s:
        rows.append((_("Standing"), hm(cur.stand_s), hm(prev.stand_s), ""))
    header = ("", this, last, _("change"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        _("Sitting, {days}  (previous: {before})").format(days=cur.window.label(),
                                                          before=prev.window.label()),
        "",
    ]
    for r in [header, *rows]:
        lines.append(
            f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}"
            .rstrip()
        )
    return "\n".join(lines)
