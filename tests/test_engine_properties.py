"""Properties that must hold on any office day (hypothesis generates the days)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from tests import presence_oracle as oracle
from tests.engine_timeline import Run, policy

POL = policy()
AWAY = POL.away_after


@dataclass
class Day:
    events: list[e.Event] = field(default_factory=list)
    inputs: list[float] = field(default_factory=list)
    locks: list[tuple[float, float]] = field(default_factory=list)
    sleeps: list[tuple[float, float]] = field(default_factory=list)
    calls: list[tuple[float, float]] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)


burst = st.tuples(st.just("burst"), st.floats(5, 2400), st.floats(2, 40))
reading = st.tuples(st.just("pause"), st.floats(1, 170), st.just(0.0))  # still sitting
pause = st.tuples(st.just("pause"), st.floats(1, 1200), st.just(0.0))
lock = st.tuples(st.just("lock"), st.floats(1, 3000), st.just(0.0))
sleep = st.tuples(st.just("sleep"), st.floats(30, 30000), st.just(0.0))
answer = st.tuples(st.sampled_from(["done", "snooze", "skip"]), st.just(0.0), st.just(0.0))
# A call: input every ``every`` s (over away_after: long silent spells), ended by a hang-up
# click or in silence; "call_lock" has a lock in its middle (still away).
call = st.tuples(st.sampled_from(["call", "call_silent_end", "call_lock"]), st.floats(60, 7200),
                 st.floats(20, 1500))


def segments(with_answers: bool, with_calls: bool = True
             ) -> st.SearchStrategy[list[tuple[str, float, float]]]:
    parts = [burst, burst, burst, reading, reading, pause, lock, sleep]
    if with_answers:
        parts.append(answer)
    if with_calls:
        parts.append(call)
    return st.lists(st.one_of(*parts), min_size=1, max_size=40)


def build(segs: list[tuple[str, float, float]]) -> Day:
    day = Day()
    t = 0.0

    def inp(at: float) -> None:
        day.events.append(e.Input(at))
        day.inputs.append(at)

    for kind, length, every in segs:
        if kind == "burst":
            end = t + length
            while t < end:
                t += every
                inp(t)
        elif kind == "pause":
            t += length
        elif kind in ("lock", "sleep"):
            a, b = t + 0.5, t + 0.5 + length
            day.events += [e.Lock(a), e.Unlock(b)] if kind == "lock" else [e.Sleep(a), e.Wake(b)]
            (day.locks if kind == "lock" else day.sleeps).append((a, b))
            t = b + 0.5
        elif kind.startswith("call"):
            a, b = t + 0.5, t + 0.5 + length
            day.events.append(e.CallStart(a))
            day.calls.append((a, b))
            lock_at = a + length / 3 if kind == "call_lock" else None
            t = a
            while t + every < b - 1:
                t += every
                if lock_at is not None and t >= lock_at:
                    lb = min(lock_at + length / 4, b - 1)
                    day.events += [e.Lock(lock_at), e.Unlock(lb)]
                    day.locks.append((lock_at, lb))
                    t, lock_at = lb, None
                    continue
                inp(t)
            day.events.append(e.CallEnd(b))
            t = b
            if kind == "call":
                t = b + 0.25  # the hang-up click
                inp(t)
        else:
            t += 0.25
            answers: dict[str, type[e.Done | e.Snooze | e.Skip]] = {
                "done": e.Done, "snooze": e.Snooze, "skip": e.Skip}
            day.events.append(answers[kind](t))
            day.answers.append(t)
    return day


def presence_breaks(day: Day) -> list[tuple[float, float]]:
    return oracle.presence_breaks(day.inputs, day.calls, [*day.locks, *day.sleeps], AWAY)


def gaps(day: Day) -> list[tuple[float, float]]:
    return presence_breaks(day)


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
        assert not inside(show.at, day.calls), "nudged during a call"


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
        expected = ("sleep" if any(f <= a < t for a, _ in day.sleeps)
                    else "lock" if any(f <= a < t for a, _ in day.locks) else "away")
        assert cause == expected


def span_starts(day: Day) -> list[float]:
    return ([day.inputs[0]] if day.inputs else []) + [t for _f, t in presence_breaks(day)]


@SETTINGS
@given(segments(with_answers=False))
def test_every_sitting_span_that_reaches_stretch_every_gets_a_stretch_nudge(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    stretch_times = [s.at for s in run.shows() if s.kind == "stretch"]
    starts = span_starts(day)
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else float("inf")
        due = start + POL.stretch_every
        # An input at or after the due time, not inside a lock or a call, must have brought
        # the nudge (a call only holds it until the first input after the call).
        later = [t for t in day.inputs if due <= t < end
                 and not inside(t, day.locks) and not inside(t, day.calls)]
        if later:
            assert any(due <= s <= later[0] for s in stretch_times), (start, later[0])


@SETTINGS
@given(segments(with_answers=False))
def test_a_stretch_due_during_a_call_comes_right_after_it_when_the_user_stays(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    stretch_times = [s.at for s in run.shows() if s.kind == "stretch"]
    starts = span_starts(day)
    for a, b in day.calls:
        if inside(b, day.locks) or any(a <= la <= b for la, _ in day.locks):
            continue
        stay = [t for t in day.inputs if b <= t <= b + POL.present_within]
        if not stay or any(b <= a2 <= stay[0] for a2, _b2 in day.calls):
            continue  # they left with the call (see the break test), or the next call began
        if not [s for s in starts if s <= b]:
            continue
        span = max(s for s in starts if s <= b)
        shown_before = [s for s in stretch_times if span <= s < b]
        due = (span + POL.stretch_every if not shown_before
               else shown_before[-1] + POL.repeat_after)
        if a < due <= b:  # fell due during the call
            assert any(b <= s <= stay[0] for s in stretch_times), (a, b, stay[0])


@SETTINGS
@given(segments(with_answers=False))
def test_a_lock_or_a_leave_right_after_a_call_is_still_a_break(segs):
    day = build(segs)
    run = Run(POL).feed(day.events)
    breaks = [(f, t) for f, t, _cause in run.breaks()]
    ends = {b for _a, b in day.calls} | {la for la, _lb in day.locks}
    for f, t in presence_breaks(day):
        if f in ends:  # gone from the end of a call, or from a lock inside one
            assert (f, t) in breaks


@SETTINGS
@given(segments(with_answers=True))
def test_repeats_are_never_closer_than_repeat_after(segs):
    # Locks, calls and pauses that take the nudge down do not bring it back sooner; only an
    # answer or a break starts afresh.
    day = build(segs)
    run = Run(POL).feed(day.events)
    last_stretch: float | None = None
    for cmd in run.log:
        if isinstance(cmd, c.ShowNudge) and cmd.kind == "stretch":
            if last_stretch is not None:
                assert cmd.at - last_stretch >= POL.repeat_after - 1e-6
            last_stretch = cmd.at
        elif isinstance(cmd, c.BreakRecorded) or (
                isinstance(cmd, c.NudgeAnswered) and cmd.answer not in ("ignored", "clicked")):
            last_stretch = None


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
    # lock/sleep and the microphone's call events are pushed when they happen
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
    # A reading on the away deadline itself shows the input there and is not a break (the
    # engine gives a reading half a second of jitter): gaps that close leave out.
    assume(not any(AWAY <= t - f <= AWAY + 0.5 for f, t in gaps(day)))
    sampled = _sampled_run(day)
    # A reading shows only the latest input, so a gap of exactly away_after (within the 0.5 s
    # reading jitter) cannot be told from a reading that lands just after that input: such a
    # gap may count either way; every longer one must be found.
    want = dict(gaps(day))
    sure = {f for f, t in want.items() if t - f > AWAY + 0.5}
    def known(f: float) -> float:
        # a reading gives "idle for at - input" seconds, so the engine's input time is
        # at - (at - input): the same moment, but not always the same float
        return min(want, key=lambda w: abs(w - f)) if want else f

    got = [(known(f), t) for f, t, _cause in sampled.breaks()]
    assert all(abs(known(f) - f) < 1e-6 for f, _t, _c in sampled.breaks())
    froms = [f for f, _t in got]
    assert sorted(froms) == froms
    assert sure <= set(froms) <= set(want)  # left at the same moment
    for f, t_got in got:
        # Back at the first input; a reading every 5 s may only see a slightly later one.
        assert want[f] <= t_got <= want[f] + 5.0 + 1e-6
    for show in sampled.shows():
        assert not inside(show.at, day.locks) and not inside(show.at, day.sleeps)
        assert not inside(show.at, day.calls)
