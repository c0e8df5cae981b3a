"""The sitting estimator and nudge scheduler: events in, commands out.

Purity rules (as in h11's ``_state.py``): everything that decides *when* lives here; no I/O, no
threads, no clock reads, standard library only. Time only arrives inside events. The runtime asks
``next_deadline()`` and wakes the engine with ``Tick`` then; the replay does the same in virtual
time, so the daemon, the tests and ``sitbreak replay`` run the very same rules.

The rules, as a table of cases (defaults from ``Policy``):

=====================  =========================================================================
case                   what happens
=====================  =========================================================================
first input after      a sitting span starts; the stretch clock starts with it
being away
input gap < away_after still sitting (reading, thinking)
no input for           the user left: nudge withdrawn, sitting clock stops; when they are back,
away_after             ``BreakRecorded(from_=last presence, to=first input back)``; clock reset.
                       Last presence = the last input, or the end of counting evidence after it
call on                (microphone or camera in use) input gaps are sitting, not absence; no
                       nudge is shown (one on screen is withdrawn); a stretch nudge due meanwhile
                       is held and comes at the first moment after the call that the user is
                       present (input within present_within); posture checks due are dropped
inhibitor held         input gaps are sitting (``inhibitors_count_as_sitting``); nudges as usual
call / inhibitor       counts for at most call_max from its start (a device left open all day);
longer than call_max   then the normal rules apply again, nudges included
lock / sleep           away from that moment (nudge withdrawn, none shown), also during a call:
                       evidence does not count while locked or asleep; the break is still the
                       gap since the last presence, so a lock shorter than away_after credits
                       nothing; cause = sleep > lock > away, from what the gap contained
clock jump             a sleep that nobody announced; its skipped seconds count toward the gap
stretch clock reaches  stretch nudge (an item picked for this stretch cycle)
stretch_every
stretch nudge          raised again (same item) while the user keeps sitting, never sooner than
unanswered             repeat_after after it was last shown (also after a lock, call or pause)
done                   break credited (cause done), sitting span and stretch clock restart
snooze                 the same stretch nudge again snooze after the answer
skip                   stretch clock restarts, no break credited
stretch now            stretch nudge at once, whatever the state
posture_every          a posture check at each multiple of it on the stretch clock before the
                       stretch nudge is due; none while a stretch nudge is pending; 0 = off
one nudge at a time    a stretch nudge that is due supersedes a posture check due with it
nudge due while idle   waits for the next input (checked every ``recheck`` s when the runtime
> present_within       samples an idle counter); dropped if the user turns out to be away
paused / standing /    no nudges (sitting is still tracked while paused); a stretch nudge that
away / locked / asleep fell due comes once the reason ends; posture checks due meanwhile are
/ outside hours        skipped; standing ends the sitting span, sitting again starts a new one
status                 true in every state: not at the desk = sitting time stands still and no
                       next nudge is announced; a held nudge says what it waits for
=====================  =========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import inf
from typing import Any

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from sitbreak.engine.cycle import StretchCycle
from sitbreak.engine.policy import Policy
from sitbreak.engine.presence import Evidence
from sitbreak.engine.rotation import Rotation


class EngineError(Exception):
    """A programming error in the caller (e.g. time going backwards); the state is unchanged."""


@dataclass(slots=True)
class _Shown:
    kind: c.NudgeKind
    item: str
    shown_at: float
    clicked: bool = False


_CAUSE_RANK = {"away": 0, "lock": 1, "sleep": 2}
_SLACK = timedelta(microseconds=500)
# Counters tick in milliseconds on their own clock: two readings of the same input can put it a
# little apart. A reading means a new input only when it is later than this; and input a reading
# reveals this close after the away deadline is not a break (the wake-up came a moment late).
_READING_JITTER = 0.5


class Engine:
    def __init__(self, policy: Policy, start_at: float = 0.0,
                 start_local: datetime | None = None) -> None:
        self.policy = policy
        self._rotation = Rotation(policy.items)
        self.now = start_at
        # Local wall time is only an anchor for working hours and "until tomorrow".
        self._anchor_at = start_at
        self._anchor_local = start_local or datetime(2026, 11, 23, 8, 0)  # a Monday 08:00
        self.last_input: float | None = None
        self._seen = -inf  # the latest moment counting evidence (a call…) showed the user here
        self._evidence = Evidence()
        self._calling = False  # a call held nudges at the last evaluation
        self._gap_extra = 0.0  # seconds a clock jump added to the current input gap
        self._gap_cause = "away"
        self._away = True  # no input within away_after (or never any input)
        self.sit_start: float | None = None
        self._cycle = StretchCycle()
        self._shown: _Shown | None = None
        self.locked = False
        self.asleep = False
        self.paused = False
        self._paused_until: float | None = None
        self._pause_start = 0.0
        self.standing = False
        self._stand_start = 0.0
        self._status_key: tuple[object, ...] | None = None
        self._timer = inf  # earliest deadline other than the away check; kept current
        self._hot_limit = -inf  # inputs before this time cannot fire anything

    # -- public API ------------------------------------------------------------------------

    def handle(self, event: e.Event) -> list[c.Command]:
        at = event.at
        kind = type(event)
        if kind is e.Input and self._hot_input(at):
            return []
        if not self.now <= at < inf:  # NaN compares false: refused too
            if at < self.now:
                raise EngineError(f"time went backwards: {at} < {self.now}")
            raise EngineError(f"event time must be a finite number, got {at}")
        out: list[c.Command] = []
        if kind is e.IdleSample:
            assert isinstance(event, e.IdleSample)
            # The input a counter reading reveals happened at ``at - idle_s``: settle what was
            # due up to then, count the input, and only then judge ``at`` (a reading that lands
            # on the away deadline must not call an active user away).
            # A reading shows only the latest input, not the ones before it: the gap since the
            # previous input is a break only if it is longer than away_after, or if an earlier
            # reading already found the user away.
            last = at - max(0.0, event.idle_s)
            if self.last_input is None and at > last + self.policy.away_after - self._gap_extra:
                # The first reading finds the user already away (a start at an empty desk):
                # their last input opens no sitting span; coming back ends the break it began.
                self.last_input = last
            elif self.last_input is None or last > self.last_input + _READING_JITTER:
                self.now = max(last, self.now)
                self._evaluate(self.now, out, sampled=True)
                self._input(last, out, sampled=True)
        self.now = at
        if kind in _EVIDENCE_STARTS:
            # evidence seen at ``at`` holds at ``at``: a call found on the away deadline keeps
            # the user sitting
            _HANDLERS[kind](self, event, out)
            self._evaluate(at, out)
        else:
            self._evaluate(at, out)
            _HANDLERS[kind](self, event, out)
            self._evaluate(at, out)
        self._refresh(at, out)
        return out

    def input_at(self, at: float) -> Sequence[c.Command]:
        """``handle(Input(at))`` without building the event on the hot path (the replay's
        inner loop: most events are inputs that change nothing)."""
        if self._hot_input(at):
            return ()
        return self.handle(e.Input(at))

    def _hot_input(self, at: float) -> bool:
        """An input while sitting that fires no timer and changes no status: just note it."""
        if at < self._hot_limit and not self._away and at >= self.now:
            last = self.last_input
            if last is not None and at < last + self.policy.away_after - self._gap_extra:
                self.now = self.last_input = at
                self._gap_extra = 0.0
                self._gap_cause = "away"
                return True
        return False

    def next_deadline(self) -> float | None:
        """When the engine next needs a ``Tick`` (None: only events can change anything)."""
        t = self._timer
        away_at = self._away_deadline()
        if away_at is not None and not self._evidence_counts(self.now):
            t = min(t, away_at)
        return None if t == inf else t

    def status(self, at: float | None = None) -> c.Status:
        at = self.now if at is None else at
        presence = self._presence()
        here = presence == "sitting"
        due = self._nudge_due() if here and not self.paused else None
        waits: c.Waits | None = None
        due_at = None if due is None else due[0]
        if due_at is not None:
            if not self._in_hours(at):
                waits = "hours"
                change = self.policy.working_hours.next_change(self.local_time(at))
                if change is not None:
                    due_at = max(due_at, at + (change - self.local_time(at)).total_seconds())
            elif due_at <= at:
                waits = "call" if self._evidence.in_call(at, self.policy) else (
                    None if self._ready(at) else "input")
        return c.Status(
            at=at,
            presence=presence,
            sitting_since=self.sit_start,
            next_nudge_at=due_at,
            next_nudge_kind=None if due is None else due[1],
            paused=self.paused,
            paused_until=self._paused_until,
            standing=self.standing,
            nudge_kind=None if self._shown is None else self._shown.kind,
            nudge_item=None if self._shown is None else self._shown.item,
            in_working_hours=self._in_hours(at),
            sitting_until=None if here or self.sit_start is None else self._last_presence(),
            next_nudge_waits=waits,
            in_call=self._evidence.in_call(at, self.policy),
            inhibited=self._evidence.inhibited(at, self.policy),
        )

    def local_time(self, at: float) -> datetime:
        return self._anchor_local + timedelta(seconds=at - self._anchor_at)

    # -- event handlers --------------------------------------------------------------------

    def _on_input(self, ev: e.Input, out: list[c.Command]) -> None:
        self._input(ev.at, out)

    def _on_idle(self, ev: e.IdleSample, out: list[c.Command]) -> None:
        """Nothing left to do: ``handle`` counted the input before judging ``ev.at``."""

    def _input(self, at: float, out: list[c.Command], sampled: bool = False) -> None:
        last = self._last_presence()
        away_at = self._away_deadline()
        gone = self._away or (away_at is not None and (
            at > away_at + _READING_JITTER if sampled else at >= away_at))
        if last is None:
            self._start_sitting(at)
        elif gone:
            out.append(c.BreakRecorded(last, at, self._gap_cause))  # type: ignore[arg-type]
            self._end_span(last, out)
            if self.standing:  # a real break ends "I'm standing": they may well sit back down
                out.append(c.PeriodRecorded("stand", self._stand_start, last))
                self.standing = False
            self._start_sitting(at)
        elif self.sit_start is None and not self.standing:
            self._start_sitting(at)
        self.last_input = at
        self._away = False
        self._gap_extra = 0.0
        self._gap_cause = "away"

    def _on_lock(self, ev: e.Lock, out: list[c.Command]) -> None:
        self.locked = True
        self._mark_cause("lock")
        self._withdraw(ev.at, "lock", out)

    def _on_unlock(self, ev: e.Unlock, out: list[c.Command]) -> None:
        self.locked = False

    def _on_sleep(self, ev: e.Sleep, out: list[c.Command]) -> None:
        self.asleep = True
        self._mark_cause("sleep")
        self._withdraw(ev.at, "sleep", out)

    def _on_wake(self, ev: e.Wake, out: list[c.Command]) -> None:
        self.asleep = False

    def _on_jump(self, ev: e.ClockJump, out: list[c.Command]) -> None:
        if ev.local is not None:
            self._anchor_at, self._anchor_local = ev.at, ev.local
        if ev.skipped_s > 0:
            self._mark_cause("sleep")
            self._gap_extra += ev.skipped_s
            self._withdraw(ev.at, "sleep", out)

    def _on_call_start(self, ev: e.CallStart, out: list[c.Command]) -> None:
        self._evidence.start_call(ev.at)

    def _on_call_end(self, ev: e.CallEnd, out: list[c.Command]) -> None:
        self._evidence.end_call()

    def _on_inhibit_start(self, ev: e.InhibitStart, out: list[c.Command]) -> None:
        self._evidence.start_inhibit(ev.at)

    def _on_inhibit_end(self, ev: e.InhibitEnd, out: list[c.Command]) -> None:
        self._evidence.end_inhibit()

    def _on_done(self, ev: e.Done, out: list[c.Command]) -> None:
        self._answer(ev.at, "done", out)
        if self.sit_start is not None:
            # the stretch took the held seconds before the answer: not sitting then
            held = min(max(0.0, ev.held_s), ev.at - self.sit_start)
            out.append(c.BreakRecorded(ev.at - held, ev.at, "done"))
            self._end_span(ev.at - held, out)
            self._start_sitting(ev.at)
        else:
            self._cycle.restart(ev.at)

    def _on_snooze(self, ev: e.Snooze, out: list[c.Command]) -> None:
        shown = self._shown
        self._answer(ev.at, "snoozed", out)
        if shown is None or shown.kind == "stretch":
            self._cycle.snooze(ev.at + self.policy.snooze)

    def _on_skip(self, ev: e.Skip, out: list[c.Command]) -> None:
        shown = self._shown
        self._answer(ev.at, "skipped", out)
        if shown is None or shown.kind == "stretch":
            self._cycle.restart(ev.at)

    def _on_opened(self, ev: e.Opened, out: list[c.Command]) -> None:
        if self._shown is not None:
            self._shown.clicked = True

    def _on_stretch_now(self, ev: e.StretchNow, out: list[c.Command]) -> None:
        self._show(ev.at, "stretch", out)

    def _on_pause(self, ev: e.Pause, out: list[c.Command]) -> None:
        if not self.paused:
            self._pause_start = ev.at
        self.paused = True
        if ev.until_tomorrow:
            local = self.local_time(ev.at)
            midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
            self._paused_until = ev.at + (midnight - local).total_seconds()
        elif ev.for_s is not None:
            self._paused_until = ev.at + max(0.0, ev.for_s)
        else:
            self._paused_until = None
        if self._shown is not None:
            self._retire(ev.at, "ignored", out)
            out.append(c.WithdrawNudge(ev.at, "paused"))

    def _on_resume(self, ev: e.Resume, out: list[c.Command]) -> None:
        self._end_pause(ev.at, out)

    def _on_stand(self, ev: e.Stand, out: list[c.Command]) -> None:
        if self.standing:
            return
        self.standing = True
        self._stand_start = ev.at
        if self.sit_start is not None:
            self._end_span(ev.at, out)
        if self._shown is not None:
            self._retire(ev.at, "ignored", out)
            out.append(c.WithdrawNudge(ev.at, "standing"))

    def _on_sit(self, ev: e.Sit, out: list[c.Command]) -> None:
        if not self.standing:
            return
        self.standing = False
        out.append(c.PeriodRecorded("stand", self._stand_start, ev.at))
        if not self._away and not self.locked and not self.asleep:
            self._start_sitting(ev.at)

    def _on_config(self, ev: e.ConfigChanged, out: list[c.Command]) -> None:
        if ev.policy.items != self.policy.items:
            self._rotation = Rotation(ev.policy.items)
        self.policy = ev.policy

    def _on_tick(self, ev: e.Tick, out: list[c.Command]) -> None:
        if ev.local is not None:
            self._anchor_at, self._anchor_local = ev.at, ev.local

    # -- timers ----------------------------------------------------------------------------

    def _evaluate(self, now: float, out: list[c.Command], sampled: bool = False) -> None:
        """Fire whatever is due at ``now``: pause expiry, the away transition, a nudge.
        ``sampled``: ``now`` is the time of an input a reading revealed, so being exactly on
        the away deadline does not make the user away."""
        p = self.policy
        if self._paused_until is not None and now >= self._paused_until:
            self._end_pause(now, out)
        self._note_evidence(now)
        # Compare with exactly the sum next_deadline() returned: a rounding difference would
        # leave the runtime waking the engine at a deadline that never fires.
        away_at = self._away_deadline()
        if not self._away and away_at is not None and (
                now > away_at + _READING_JITTER if sampled else now >= away_at):
            self._away = True
            if self._shown is not None:
                self._retire(now, "ignored", out)
                out.append(c.WithdrawNudge(now, "away"))
        self._track_call(now, out)
        if self._may_nudge(now) and self._ready(now):
            cycle = self._cycle
            posture = cycle.posture_due(p)
            if cycle.stretch_due(p)[0] <= now:
                if posture is not None:  # one nudge at a time: the stretch supersedes it
                    cycle.skip_postures(now, p)
                self._show(now, "stretch", out)
            elif posture is not None and posture <= now:
                cycle.skip_postures(now, p)
                self._show(now, "posture", out)
        self._timer, self._hot_limit = self._compute_timers(now)

    def _note_evidence(self, now: float) -> None:
        """Evidence (a call…) that counted up to ``now`` moves the last presence forward."""
        if not (self._away or self.locked or self.asleep):
            cover = self._evidence.cover(now, self.policy)
            if cover is not None and cover > self._seen:
                self._seen = cover

    def _track_call(self, now: float, out: list[c.Command]) -> None:
        """A call starts: the nudge on screen goes. It ends: posture checks due are dropped
        (a stretch nudge due meanwhile is still due, so it comes next)."""
        calling = self._evidence.in_call(now, self.policy)
        if calling and not self._calling:
            self._withdraw(now, "call", out)
        elif self._calling and not calling and self.sit_start is not None:
            self._cycle.skip_postures(now, self.policy)
        self._calling = calling

    def _compute_timers(self, now: float) -> tuple[float, float]:
        """(next wake-up other than the away check, time before which an input is inert)."""
        p = self.policy
        t = inf if self._paused_until is None else self._paused_until
        for expiry in self._evidence.expiries(now, p):  # a call reaches call_max
            t = min(t, expiry)
        hot = t
        due = self._nudge_due()
        if due is not None and not self.paused:
            if not self._in_hours(now):
                change = p.working_hours.next_change(self.local_time(now))
                if change is not None:
                    t = min(t, now + (change - self.local_time(now)).total_seconds())
                hot = min(hot, t)
            elif due[0] > now:
                t = min(t, due[0])
                hot = min(hot, t)
            elif not self._calling:  # during a call only its end can bring the nudge
                hot = now  # a due nudge waits for the next input: it must see it
                if p.recheck is not None and not self._away:
                    t = min(t, now + p.recheck)  # idle counters show input only when read
        if p.recheck is not None and self._away:
            t = min(t, now + p.recheck)  # only an idle-counter sample can see them return
        if self.sit_start is None and not self.standing:
            hot = -inf  # the next input starts a sitting span
        return t, hot

    def _last_presence(self) -> float | None:
        """The last input, or the end of counting evidence after it."""
        if self.last_input is None:
            return None
        return max(self.last_input, self._seen)

    def _away_deadline(self) -> float | None:
        last = self._last_presence()
        if self._away or last is None:
            return None
        return last + self.policy.away_after - self._gap_extra

    def _evidence_counts(self, now: float) -> bool:
        return not (self.locked or self.asleep) and self._evidence.counts(now, self.policy)

    def _nudge_due(self) -> tuple[float, c.NudgeKind, bool] | None:
        if self.sit_start is None or self.standing:
            return None
        return self._cycle.next_due(self.policy)

    def _may_nudge(self, now: float) -> bool:
        return not (self._away or self.locked or self.asleep or self.paused or self.standing
                    or self.sit_start is None or self._calling or not self._in_hours(now))

    def _ready(self, now: float) -> bool:
        return self.last_input is not None and now - self.last_input <= self.policy.present_within

    def _in_hours(self, at: float) -> bool:
        hours = self.policy.working_hours
        # Half a millisecond of slack: a wake-up computed for 08:00 may land a float ulp early.
        return not hours.windows or hours.contains(self.local_time(at) + _SLACK)

    # -- helpers ---------------------------------------------------------------------------

    def _show(self, at: float, kind: c.NudgeKind, out: list[c.Command]) -> None:
        if self._shown is not None:
            self._retire(at, "ignored", out)
        repeat = False
        if kind == "stretch":
            # one item per stretch cycle: repeats and a snoozed nudge bring the same stretch
            if self._cycle.item is None:
                self._cycle.item = self._rotation.pick(kind)
            item = self._cycle.item
            repeat = self._cycle.shown(at)
        else:
            item = self._rotation.pick(kind)
        self._shown = _Shown(kind, item, at)
        sitting = 0.0 if self.sit_start is None else at - self.sit_start
        out.append(c.ShowNudge(at, kind, item, sitting, repeat))

    def _retire(self, at: float, answer: c.Answer, out: list[c.Command]) -> None:
        shown = self._shown
        assert shown is not None
        if answer == "ignored" and shown.clicked:
            answer = "clicked"
        out.append(c.NudgeAnswered(at, shown.kind, shown.item, shown.shown_at, answer))
        self._shown = None

    def _answer(self, at: float, answer: c.Answer, out: list[c.Command]) -> None:
        if self._shown is not None:
            self._retire(at, answer, out)
            out.append(c.WithdrawNudge(at, "answered"))

    def _withdraw(self, at: float, reason: str, out: list[c.Command]) -> None:
        if self._shown is not None:
            self._retire(at, "ignored", out)
            out.append(c.WithdrawNudge(at, reason))  # type: ignore[arg-type]

    def _mark_cause(self, cause: str) -> None:
        if _CAUSE_RANK[cause] > _CAUSE_RANK[self._gap_cause]:
            self._gap_cause = cause

    def _start_sitting(self, at: float) -> None:
        self.sit_start = at
        self._cycle.restart(at)

    def _end_span(self, end: float, out: list[c.Command]) -> None:
        if self.sit_start is not None:
            out.append(c.SittingSpan(self.sit_start, max(end, self.sit_start)))
            self.sit_start = None

    def _end_pause(self, at: float, out: list[c.Command]) -> None:
        if not self.paused:
            return
        self.paused = False
        self._paused_until = None
        out.append(c.PeriodRecorded("pause", self._pause_start, at))
        if self.sit_start is not None:
            self._cycle.skip_postures(at, self.policy)

    def _presence(self) -> c.Presence:
        if self.asleep:
            return "asleep"
        if self.locked:
            return "locked"
        if self.standing:
            return "standing"
        return "away" if self._away or self.sit_start is None else "sitting"

    def _refresh(self, at: float, out: list[c.Command]) -> None:
        status = self.status(at)
        key = (status.presence, status.sitting_since, status.next_nudge_at,
               status.next_nudge_kind, status.paused, status.paused_until, status.standing,
               status.nudge_kind, status.nudge_item, status.in_working_hours,
               status.sitting_until, status.next_nudge_waits, status.in_call, status.inhibited)
        if key != self._status_key:
            self._status_key = key
            out.append(c.StateChanged(status))


_Handler = Callable[[Engine, Any, list[c.Command]], None]

# The dispatch table: one handler per event type.
_HANDLERS: dict[type, _Handler] = {
    e.Input: Engine._on_input,
    e.IdleSample: Engine._on_idle,
    e.Lock: Engine._on_lock,
    e.Unlock: Engine._on_unlock,
    e.Sleep: Engine._on_sleep,
    e.Wake: Engine._on_wake,
    e.ClockJump: Engine._on_jump,
    e.CallStart: Engine._on_call_start,
    e.CallEnd: Engine._on_call_end,
    e.InhibitStart: Engine._on_inhibit_start,
    e.InhibitEnd: Engine._on_inhibit_end,
    e.Done: Engine._on_done,
    e.Snooze: Engine._on_snooze,
    e.Skip: Engine._on_skip,
    e.Opened: Engine._on_opened,
    e.StretchNow: Engine._on_stretch_now,
    e.Pause: Engine._on_pause,
    e.Resume: Engine._on_resume,
    e.Stand: Engine._on_stand,
    e.Sit: Engine._on_sit,
    e.ConfigChanged: Engine._on_config,
    e.Tick: Engine._on_tick,
}
# Evidence that starts at ``at`` already holds when ``at`` is judged.
_EVIDENCE_STARTS = frozenset({e.CallStart, e.InhibitStart})
