"""The sitting chart (PNG): one lane per day with its sitting spans at the clock times they
happened, the stretch limit marked inside each span that went past it, breaks marked between
spans, and beside it one bar per day of total sitting split into its spans.

Needs matplotlib (a dependency of sitbreak, imported only here: never by the daemon); drawn
off-screen with Agg.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sitbreak.errors import SitbreakError
from sitbreak.history.records import History, Span
from sitbreak.history.stats import Window, hm, summarize
from sitbreak.i18n import _
from sitbreak.locale_format import format_day, format_number, weekday

CALM = "#5b8def"  # sitting within the stretch limit
OVER = "#f08a24"  # sitting past it
LIMIT_LINE = "#8c2d04"
DONE = "#1f9e5a"  # stretch done at a nudge
NATURAL = "#6b7280"  # away / lock / sleep
PAUSE = "#d9dde3"
INK = "#1f2933"
GRID = "#e6e8eb"


class ChartUnavailable(SitbreakError):
    pass


def _matplotlib() -> tuple[Any, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartUnavailable(
            _("the chart needs matplotlib, which is missing from this Python "
              "environment; reinstall sitbreak (from a clone: delete .venv and run "
              "./sitbreak)")
        ) from None
    return Figure, FigureCanvasAgg


def _pieces(span: Span, window: Window) -> list[tuple[int, float, float]]:
    """(day index, start hour, end hour) for the parts of ``span`` on each day of the window."""
    out: list[tuple[int, float, float]] = []
    lo = window.lo
    a, b = max(span.local_start, lo), min(span.local_end, window.hi)
    while a < b:
        day = int((a - lo) // 86400)
        day_end = lo + (day + 1) * 86400
        end = min(b, day_end)
        base = lo + day * 86400
        out.append((day, (a - base) / 3600, (end - base) / 3600))
        a = end
    return out


def day_labels(days: list[date]) -> list[str]:
    """One lane label per day in the user's language: "Mo., 23. Nov." (a week), "Mo. 23"."""
    if len(days) <= 7:
        return [format_day(d, year=False) for d in days]
    return [f"{weekday(d)} {d.day}" for d in days]


def draw(history: History, window: Window, limit_s: float, path: Path, *, dpi: float = 110
         ) -> Path:
    Figure, FigureCanvasAgg = _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    days = window.days
    n = len(days)
    lane_h = 0.52 if n <= 7 else 0.34
    fig = Figure(figsize=(12.5, 1.9 + lane_h * n + 0.9), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    grid = fig.add_gridspec(1, 2, width_ratios=(3.3, 1.25), wspace=0.05,
                            left=0.09, right=0.97, top=1 - 1.15 / (1.9 + lane_h * n + 0.9),
                            bottom=0.75 / (1.9 + lane_h * n + 0.9))
    lanes = fig.add_subplot(grid[0, 0])
    totals = fig.add_subplot(grid[0, 1], sharey=lanes)

    bar_h = 0.56
    day_totals = [0.0] * n
    stacks: list[list[tuple[float, float]]] = [[] for _ in range(n)]  # (within, over) hours
    hours_seen: list[float] = []

    for period in history.periods:
        for day, a, b in _pieces(period, window):
            lanes.broken_barh([(a, b - a)], (day - 0.43, 0.86), facecolors=PAUSE,
                              edgecolors="none", hatch="///" if period.kind == "stand" else None,
                              zorder=1)

    for span in history.sitting:
        pieces = _pieces(span, window)
        if not pieces:
            continue
        limit_at = span.local_start + limit_s  # local seconds when the limit was reached
        for day, a, b in pieces:
            base = window.lo + day * 86400
            cut = min(max((limit_at - base) / 3600, a), b)
            hours_seen += [a, b]
            if cut > a:
                lanes.broken_barh([(a, cut - a)], (day - bar_h / 2, bar_h), facecolors=CALM,
                                  edgecolors="white", linewidth=0.6, zorder=3)
            if b > cut:
                lanes.broken_barh([(cut, b - cut)], (day - bar_h / 2, bar_h), facecolors=OVER,
                                  edgecolors="white", linewidth=0.6, zorder=3)
            if a < cut < b:
                lanes.plot([cut, cut], [day - bar_h / 2 - 0.08, day + bar_h / 2 + 0.08],
                           color=LIMIT_LINE, linewidth=1.6, solid_capstyle="butt", zorder=4)
            day_totals[day] += b - a
            stacks[day].append((cut - a, b - cut))

    for brk in history.breaks:
        # Marked where the user got up: the end of the span it interrupts.
        at = brk.local_start
        if not window.lo <= at < window.hi:
            continue
        day = int((at - window.lo) // 86400)
        x = (at - window.lo - day * 86400) / 3600
        done = brk.cause == "done"
        lanes.plot([x], [day - bar_h / 2 - 0.13], marker="v", markersize=6.5 if done else 5,
                   color=DONE if done else NATURAL, markeredgecolor="white",
                   markeredgewidth=0.5, linestyle="none", zorder=5)

    # The working day, not 24 h of mostly nothing.
    if hours_seen:
        x0 = max(0.0, min(hours_seen) // 1 - 0.5)
        x1 = min(24.0, max(hours_seen) // 1 + 1.5)
    else:
        x0, x1 = 7.0, 19.0
    lanes.set_xlim(x0, x1)
    ticks = list(range(int(x0 + 0.99), int(x1) + 1))
    step = 1 if len(ticks) <= 14 else 2
    lanes.set_xticks(ticks[::step])
    lanes.set_xticklabels([f"{h:02d}:00" for h in ticks[::step]])
    pad = 0.3 if n == 1 else 0.0  # a lone day needs no fat bar
    lanes.set_ylim(n - 0.5 + pad, -0.5 - pad)
    lanes.set_yticks(range(n))
    lanes.set_yticklabels(day_labels(days))
    lanes.tick_params(axis="y", length=0, pad=8)
    lanes.set_title(_("When you sat"), loc="left", fontsize=11, color=INK, pad=6)

    for day, parts in enumerate(stacks):
        left = 0.0
        for within, over in parts:
            if within > 0:
                totals.barh(day, within, left=left, height=bar_h, color=CALM,
                            edgecolor="white", linewidth=0.8, zorder=3)
            if over > 0:
                totals.barh(day, over, left=left + within, height=bar_h, color=OVER,
                            edgecolor="white", linewidth=0.8, zorder=3)
            left += within + over
    top = max(day_totals, default=0.0)
    totals.set_xlim(0, max(1.0, top * 1.32))
    for day, total in enumerate(day_totals):
        if total > 0:
            totals.text(total + top * 0.03, day, hm(total * 3600), va="center", fontsize=8.5,
                        color=INK, zorder=4)
    totals.set_title(_("Sitting per day (bar = spans)"), loc="left", fontsize=11, color=INK, pad=6)
    totals.tick_params(axis="y", left=False, labelleft=False)
    totals.set_xlabel(_("hours"), fontsize=9, color=INK)
    totals.xaxis.set_major_formatter(lambda x, _pos: format_number(x, 0 if x == int(x) else 1))

    for ax in (lanes, totals):
        ax.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#9aa1a9")
        ax.tick_params(colors=INK, labelsize=9)

    s = summarize(history, window, limit_s)
    done_n = s.answers["done"]
    fig.suptitle(_("Sitting, {days}").format(days=window.label()), x=0.09, ha="left", y=0.985, fontsize=14,
                 fontweight="bold", color=INK)
    fig.text(0.09, 1 - 0.62 / (1.9 + lane_h * n + 0.9),
             _("{sitting} sitting · longest {longest} · {over} of {spans} spans over {limit} · "
               "{breaks} natural breaks · {done} of {nudges} nudges done").format(
                 sitting=hm(s.sitting_s), longest=hm(s.longest_s),
                 over=format_number(s.over_limit), spans=format_number(s.spans),
                 limit=hm(limit_s), breaks=format_number(s.natural_breaks),
                 done=format_number(done_n), nudges=format_number(s.nudges_shown)),
             fontsize=10, color="#4b5563", ha="left", va="center")

    handles = [
        Patch(facecolor=CALM, label=_("sitting, first {limit}").format(limit=hm(limit_s))),
        Patch(facecolor=OVER, label=_("sitting past the stretch limit")),
        Line2D([], [], color=LIMIT_LINE, linewidth=1.6,
               label=_("stretch limit ({limit})").format(limit=hm(limit_s))),
        Line2D([], [], marker="v", color=DONE, linestyle="none", label=_("stretch done")),
        Line2D([], [], marker="v", color=NATURAL, linestyle="none",
               label=_("natural break (away, lock, sleep)")),
    ]
    if history.periods:
        handles.append(Patch(facecolor=PAUSE, label=_("paused / standing")))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.09, 0.0), ncol=len(handles),
               frameon=False, fontsize=8.5, handlelength=1.6, columnspacing=1.4)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png", facecolor="white")
    except FileExistsError:
        raise SitbreakError(_("cannot write the chart to {path}: {folder} is not a "
                              "directory").format(path=path, folder=path.parent)) from None
    except OSError as exc:
        raise SitbreakError(_("cannot write the chart to {path}: {error}").format(
            path=path, error=exc.strerror)) from None
    return path
