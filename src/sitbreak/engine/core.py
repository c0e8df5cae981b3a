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
input gap < away_after still sitting (reading, thinking, calls)
no input for           the user left: nudge withdrawn, sitting clock stops; when they are back,
away_after             ``BreakRecorded(from_=last input, to=first input back)``; clock reset
lock / sleep           away from that moment (nudge withdrawn, none shown); the break is still
                       the input gap, so a lock shorter than away_after after the last input
                       credits nothing; cause = sleep > lock > away, from what the gap contained
clock jump             a sleep that nobody announced; its skipped seconds count toward the gap
stretch clock reaches  stretch nudge
stretch_every
stretch nudge          raised again (same item) every repeat_after while the user keeps sitting
unanswered
done                   break credited (cause done), sitting span and stretch clock restart
snooze                 next stretch nudge snooze after the answer
skip                   stretch clock restarts, no break credited
stretch now            stretch nudge at once, whatever the state
posture_every          a posture check at each multiple of it on the stretch clock before the
                       stretch nudge is due; none while a stretch nudge is unanswered; 0 = off
nudge due while idle   waits for the next input (checked every ``recheck`` s when the runtime
> present_within       samples an idle counter); dropped if the user turns out to be away
paused / standing /    no nudges (sitting is still tracked while paused); a stretch nudge that
away / locked / asleep fell due comes once the reason ends; posture checks due meanwhile are
/ outside hours        skipped; standing ends the sitting span, sitting again starts a new one
=====================  =========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import floor, inf
from typing import Any

from sitbreak.engine import commands as c
from sitbreak.engine import events as e
from sitbreak.engine.policy import Policy
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
# little apart. A reading means a new input only when it is later than this.
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
        self._gap_extra = 0.0  # seconds a clock jump added to the current input gap
        self._gap_cause = "away"
        self._away = True  # no input within away_after (or never any input)
        self.sit_start: float | None = None
        self._anchor = 0.0  # stretch clock start
        self._posture_fired = 0  # posture checks fired (or skipped) in this stretch cycle
        self._snoozed_until: float | None = None
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
        if type(event) is e.Input and self._hot_input(at):
            return []
        if not self.now <= at < inf:  # NaN compares false: refused too
            if at < self.now:
                raise EngineError(f"time went backwards: {at} < {self.now}")
            raise EngineError(f"event time must be a finite number, got {at}")
        out: list[c.Command] = []
        if type(event) is e.IdleSample:
            # The input a counter reading reveals happened at ``at - idle_s``: settle what was
            # due up to then, count the input, and only then judge ``at`` (a reading that lands
            # on the away deadline must not call an active user away).
            # A reading shows only the latest input, not the ones before it: the gap since the
            # previous input is a break only if it is longer than away_after, or if an earlier
            # reading already found the user away.
            last = at - max(0.0, event.idle_s)
            if self.last_input is None or last > self.last_input + _READING_JITTER:
                self.now = max(last, self.now)
                self._evaluate(self.now, out, sampled=True)
                self._input(last, out, sampled=True)
        self.now = at
        self._evaluate(at, out)
        _HANDLERS[type(event)](self, event, out)
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
        if not self._away and self.last_input is not None:
            t = min(t, self.last_input + self.policy.away_after - self._gap_extra)
        return None if t == inf else t

    def status(self, at: float | None = None) -> c.Status:
        at = self.now if at is None else at
        due = self._nudge_due()
        return c.Status(
            at=at,
            presence=self._presence(),
            sitting_since=self.sit_start,
            next_nudge_at=None if due is None else due[0],
            next_nudge_kind=None if due is None else due[1],
            paused=self.paused,
            paused_until=self._paused_until,
            standing=self.standing,
            nudge_kind=None if self._shown is None else self._shown.kind,
            nudge_item=None if self._shown is None else self._shown.item,
            in_working_hours=self._in_hours(at),
        )

    def local_time(self, at: float) -> datetime:
        return self._anchor_local + timedelta(seconds=at - self._anchor_at)

    # -- event handlers --------------------------------------------------------------------

    def _on_input(self, ev: e.Input, out: list[c.Command]) -> None:
        self._input(ev.at, out)

    def _on_idle(self, ev: e.IdleSample, out: list[c.Command]) -> None:
        """Nothing left to do: ``handle`` counted the input before judging ``ev.at``."""

    def _input(self, at: float, out: list[c.Command], sampled: bool = False) -> None:
        p = self.policy
        last = self.last_input
        if last is not None:
            away_at = last + p.away_after - self._gap_extra  # same sum as the deadline
            gone = self._away or (at > away_at if sampled else at >= away_at)
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

    def _on_done(self, ev: e.Done, out: list[c.Command]) -> None:
        self._answer(ev.at, "done", out)
        if self.sit_start is not None:
            out.append(c.BreakRecorded(ev.at, ev.at, "done"))
            self._end_span(ev.at, out)
            self._start_sitting(ev.at)
        else:
            self._restart_stretch_clock(ev.at)

    def _on_snooze(self, ev: e.Snooze, out: list[c.Command]) -> None:
        shown = self._shown
        self._answer(ev.at, "snoozed", out)
        if shown is None or shown.kind == "stretch":
            self._snoozed_until = ev.at + self.policy.snooze

    def _on_skip(self, ev: e.Skip, out: list[c.Command]) -> None:
        shown = self._shown
        self._answer(ev.at, "skipped", out)
        if shown is None or shown.kind == "stretch":
            self._restart_stretch_clock(ev.at)

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
        # Compare with exactly the sum next_deadline() returned: a rounding difference would
        # leave the runtime waking the engine at a deadline that never fires.
        if not self._away and self.last_input is not None and (
                now > self.last_input + p.away_after - self._gap_extra if sampled
                else now >= self.last_input + p.away_after - self._gap_extra):
            self._away = True
            if self._shown is not None:
                self._retire(now, "ignored", out)
                out.append(c.WithdrawNudge(now, "away"))
        due = self._nudge_due()
        if due is not None and due[0] <= now and self._may_nudge(now) and self._ready(now):
            if due[1] == "posture":
                self._posture_fired = self._posture_index(now)
            self._show(now, due[1], out, repeat=due[2])
        self._timer, self._hot_limit = self._compute_timers(now)

    def _compute_timers(self, now: float) -> tuple[float, float]:
        """(next wake-up other than the away check, time before which an input is inert)."""
        p = self.policy
        t = inf if self._paused_until is None else self._paused_until
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
            else:
                hot = now  # a due nudge waits for the next input: it must see it
                if p.recheck is not None and not self._away:
                    t = min(t, now + p.recheck)  # idle counters show input only when read
        if p.recheck is not None and self._away:
            t = min(t, now + p.recheck)  # only an idle-counter sample can see them return
        if self.sit_start is None and not self.standing:
            hot = -inf  # the next input starts a sitting span
        return t, hot

    def _nudge_due(self) -> tuple[float, c.NudgeKind, bool] | None:
        if self.sit_start is None or self.standing:
            return None
        p = self.policy
        shown = self._shown
        if shown is not None and shown.kind == "stretch":
            return (shown.shown_at + p.repeat_after, "stretch", True)
        regular = self._anchor + p.stretch_every
        stretch_due = regular
        if self._snoozed_until is not None:
            stretch_due = max(regular, self._snoozed_until)
        elif p.posture_every > 0:
            at = self._anchor + (self._posture_fired + 1) * p.posture_every
            if at < regular:
                return (at, "posture", False)
        return (stretch_due, "stretch", False)

    def _posture_index(self, now: float) -> int:
        return floor((now - self._anchor) / self.policy.posture_every)

    def _may_nudge(self, now: float) -> bool:
        return not (self._away or self.locked or self.asleep or self.paused or self.standing
                    or self.sit_start is None or not self._in_hours(now))

    def _ready(self, now: float) -> bool:
        return self.last_input is not None and now - self.last_input <= self.policy.present_within

    def _in_hours(self, at: float) -> bool:
        hours = self.policy.working_hours
        # Half a millisecond of slack: a wake-up computed for 08:00 may land a float ulp early.
        return not hours.windows or hours.contains(self.local_time(at) + _SLACK)

    # -- helpers ---------------------------------------------------------------------------

    def _show(self, at: float, kind: c.NudgeKind, out: list[c.Command],
              repeat: bool = False) -> None:
        prev = self._shown
        if prev is not None:
            self._retire(at, "ignored", out)
        item = prev.item if repeat and prev is not None else self._rotation.pick(kind)
        self._shown = _Shown(kind, item, at)
        if kind == "stretch":
            self._snoozed_until = None
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
        self._restart_stretch_clock(at)

    def _restart_stretch_clock(self, at: float) -> None:
        self._anchor = at
        self._posture_fired = 0
        self._snoozed_until = None

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
        if self.sit_start is not None and self.policy.posture_every > 0:
            self._posture_fired = max(self._posture_fired, self._posture_index(at))

    def _presence(self) -> c.Presence:
        if self.asleep:
            return "asleep"
        if self.locked:
            return "locked"
        return "away" if self._away or (self.sit_start is None and not self.standing) else "sitting"

    def _refresh(self, at: float, out: list[c.Command]) -> None:
        status = self.status(at)
        key = (status.presence, status.sitting_since, status.next_nudge_at,
               status.next_nudge_kind, status.paused, status.paused_until, status.standing,
               status.nudge_kind, status.nudge_item, status.in_working_hours)
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
