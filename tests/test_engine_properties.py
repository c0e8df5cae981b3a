"""Properties that must hold on any office day (hypothesis generates the days)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from tests.engine_timeline import Run, policy

POL = policy()
AWAY = POL.away_after


@dataclass
class Day:
    events: list[e.Event] = field(default_factory=list)
    inputs: list[float] = field(default_factory=list)
    locks: list[tuple[float, float]] = field(default_factory=list)
    sleeps: list[tuple[float, float]] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)


burst = st.tuples(st.just("burst"), st.floats(5, 2400), st.floats(2, 40))
reading = st.tuples(st.just("pause"), st.floats(1, 170), st.just(0.0))  # still sitting
pause = st.tuples(st.just("pause"), st.floats(1, 1200), st.just(0.0))
lock = st.tuples(st.just("lock"), st.floats(1, 3000), st.just(0.0))
sleep = st.tuples(st.just("sleep"), st.floats(30, 30000), st.just(0.0))
answer = st.tuples(st.sampled_from(["done", "snooze", "skip"]), st.just(0.0), st.just(0.0))


def segments(with_answers: bool) -> st.SearchStrategy[list[tuple[str, float, float]]]:
    parts = [burst, burst, burst, reading, reading, pause, lock, sleep]
    if with_answers:
        parts.append(answer)
    return st.lists(st.one_of(*parts), min_size=1, max_size=40)


def build(segs: list[tuple[str, float, float]]) -> Day:
    day = Day()
    t = 0.0
    for kind, length, every in segs:
        if kind == "burst":
            end = t + length
            while t < end:
                t += every
                day.events.append(e.Input(t))
                day.inputs.append(t)
        elif kind == "pause":
            t += length
        elif kind in ("lock", "sleep"):
            a, b = t + 0.5, t + 0.5 + length
            day.events += [e.Lock(a), e.Unlock(b)] if kind == "lock" else [e.Sleep(a), e.Wake(b)]
            (day.locks if kind == "lock" else day.sleeps).append((a, b))
            t = b + 0.5
        else:
            t += 0.25
            answers: dict[str, type[e.Done | e.Snooze | e.Skip]] = {
                "done": e.Done, "snooze": e.Snooze, "skip": e.Skip}
            day.events.append(answers[kind](t))
            day.answers.append(t)
    return day


def gaps(day: Day) -> list[tuple[float, float]]:
    return [(a, b) for a, b in zip(day.inputs, day.inputs[1:], strict=False) if b - a >= AWAY]


def inside(t: float, spans: list[tuple[float, float]]) -> bool:
    return any(a < t < b for a, b in spans)


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(segments(with_answers=True))
def test_no_nudge_while_away_locked_or_asleep(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    for show in run.shows():
        before = [x for x in day.inputs if x <= show.at]
        assert before, "a nudge before any input"
        assert show.at - before[-1] <= POL.present_within, "nudged an idle screen"
        assert not inside(show.at, day.locks), "nudged while locked"
        assert not inside(show.at, day.sleeps), "nudged while asleep"


@SETTINGS
@given(segments(with_answers=True))
def test_every_long_input_gap_is_exactly_one_break_with_the_right_ends(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    natural = [(f, t) for f, t, cause in run.breaks() if cause != "done"]
    assert natural == gaps(day)
    for f, t, cause in run.breaks():
        if cause == "done":
            continue
        expected = ("sleep" if any(f < a < t for a, _ in day.sleeps)
                    else "lock" if any(f < a < t for a, _ in day.locks) else "away")
        assert cause == expected


@SETTINGS
@given(segments(with_answers=False))
def test_every_sitting_span_that_reaches_stretch_every_gets_a_stretch_nudge(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    stretch_times = [s.at for s in run.shows() if s.kind == "stretch"]
    # Spans: runs of inputs separated by gaps shorter than away_after.
    spans: list[list[float]] = []
    for t in day.inputs:
        if spans and t - spans[-1][-1] < AWAY:
            spans[-1].append(t)
        else:
            spans.append([t])
    for span in spans:
        start = span[0]
        due = start + POL.stretch_every
        # An input at or after the due time, not inside a lock, must have brought the nudge.
        later = [t for t in span if t >= due and not inside(t, day.locks)]
        if later:
            assert any(due <= s <= later[0] for s in stretch_times), (start, later[0])


@SETTINGS
@given(segments(with_answers=True))
def test_repeats_are_never_closer_than_repeat_after(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    last_stretch: float | None = None
    for cmd in run.log:
        if isinstance(cmd, c.ShowNudge) and cmd.kind == "stretch":
            if cmd.repeat:
                assert last_stretch is not None
                assert cmd.at - last_stretch >= POL.repeat_after - 1e-6
            last_stretch = cmd.at


@SETTINGS
@given(segments(with_answers=True))
def test_the_engine_never_asks_to_be_woken_in_the_past(segs):
    day = build(segs)
    run = Run(POL)
    for ev in day.events:
        run.feed([ev])
        deadline = run.engine.next_deadline()
        assert deadline is None or deadline > run.engine.now or deadline == ev.at


def _sampled_run(day: Day, recheck: float = 5.0) -> Run:
    """Drive the engine as the daemon does with an OS idle counter: no input events at all,
    only counter readings at the engine's deadlines (and at lock/sleep signals)."""
    from bisect import bisect_right
    from dataclasses import replace

    run = Run(replace(POL, recheck=recheck))
    inputs = day.inputs
    signals = [x for x in day.events if not isinstance(x, e.Input | e.Done | e.Snooze | e.Skip)]
    end = (inputs[-1] if inputs else 0.0) + POL.away_after + 2 * recheck

    def read(at: float) -> None:
        i = bisect_right(inputs, at)
        if i:  # the counter says: last input at inputs[i-1]
            run.log.extend(run.engine.handle(e.IdleSample(at, at - inputs[i - 1])))
        run.log.extend(run.engine.handle(e.Tick(at)))

    t = 0.0
    read(t)
    while t < end:
        d = run.engine.next_deadline()
        nxt = d if d is not None and d > t else t + recheck
        if signals and signals[0].at <= nxt:
            sig = signals.pop(0)
            read(max(sig.at, t))
            run.log.extend(run.engine.handle(sig))
            t = max(sig.at, t)
            continue
        t = nxt
        read(t)
    return run


@SETTINGS
@given(segments(with_answers=False))
def test_reading_an_idle_counter_at_deadlines_finds_the_same_breaks(segs):
    day = build(segs)
    sampled = _sampled_run(day)
    # A reading shows only the latest input, so a gap of exactly away_after (within the 0.5 s
    # reading jitter) cannot be told from a reading that lands just after that input: such a
    # gap may count either way; every longer one must be found.
    want = dict(gaps(day))
    sure = {f for f, t in want.items() if t - f > AWAY + 0.5}
    got = [(f, t) for f, t, _cause in sampled.breaks()]
    froms = [f for f, _t in got]
    assert sorted(froms) == froms
    assert sure <= set(froms) <= set(want)  # left at the same moment
    for f, t_got in got:
        # Back at the first input; a reading every 5 s may only see a slightly later one.
        assert want[f] <= t_got <= want[f] + 5.0 + 1e-6
    for show in sampled.shows():
        assert not inside(show.at, day.locks) and not inside(show.at, day.sleeps)
