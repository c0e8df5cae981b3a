"""The real runtime in simulated time: its own worker thread, its asyncio loop, its timers, the
real ``Clocks`` gap detection, the real control socket and a real SQLite history — only the
clocks are simulated, so a day passes in seconds.

``SimTime`` holds three clocks, as the machine has them: ``engine`` counts through suspend
(CLOCK_BOOTTIME), ``awake`` stops in suspend (CLOCK_MONOTONIC, also the event loop's clock and
the X idle counter's), ``wall`` is Unix time that anyone may set. The worker loop runs on an
event loop whose ``time()`` is ``awake`` and whose selector, when nothing is ready, jumps the
clocks to the next timer instead of sleeping. Scripted events (a suspend, a clock set) happen at
their moment on the way. ``run_until`` lets time run to a point and holds it there, while the
loop still answers the control socket.

``SimUser`` is the person at the desk: input every ``every`` seconds during their sessions (in
awake time: a suspended machine sees no input); the idle counter reports the time since the last
of them, the way X does.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import itertools
import selectors
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sitbreak.adapters.base import NudgeAnswerName, NudgeView
from sitbreak.adapters.clocks import Clocks
from sitbreak.daemon.control_client import call
from sitbreak.daemon.headless import NoCard
from sitbreak.daemon.runtime import Runtime
from sitbreak.daemon.wiring import Parts
from sitbreak.engine import Policy
from sitbreak.history import Recorder

START = 10_000.0  # engine and awake clocks at the start (as after some uptime)
HOLD_REAL_S = 0.02  # while held at a point: how long the loop waits for real I/O per round


class SimTime:
    def __init__(self, wall0: float) -> None:
        self.engine = START
        self.awake = START
        self.wall = wall0
        self.limit = START  # the clocks may run up to this awake time
        self._script: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._lock = threading.Condition()
        self._engine_timers: list[EngineTimer] = []

    def clocks(self) -> SimClocks:
        return SimClocks(self)

    # -- what happens to the machine --------------------------------------------------------

    def at(self, awake_t: float, action: Callable[[], None]) -> None:
        """Do ``action`` (on the loop's thread, between its rounds) when awake time reaches it."""
        with self._lock:
            heapq.heappush(self._script, (awake_t, next(self._order), action))

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: engine and wall run on, awake (and the event loop) stand."""
        self.engine += seconds
        self.wall += seconds

    def set_wall(self, by: float) -> None:
        """Someone sets the clock (NTP, the user): only the wall clock moves."""
        self.wall += by

    # -- driving ----------------------------------------------------------------------------

    def _advance(self, to: float) -> None:
        dt = to - self.awake
        if dt > 0:
            self.engine += dt
            self.awake += dt
            self.wall += dt

    def jump(self, timeout: float) -> bool:
        """The loop would sleep ``timeout`` s: run the clocks on instead, to the first of its
        next timer, a scripted event, a timer on the engine clock or ``limit``. False when
        nothing moved (held at ``limit``)."""
        with self._lock:
            target = min(self.awake + timeout, self.limit)
            moved = False
            while True:
                if self._fire_engine_timers():
                    return True
                if self.awake >= target:
                    break
                step = target
                if self._script:
                    step = min(step, self._script[0][0])
                if self._engine_timers:
                    soonest = min(t.at for t in self._engine_timers)
                    step = min(step, self.awake + (soonest - self.engine))
                if step > self.awake:
                    self._advance(step)
                    moved = True
                while self._script and self._script[0][0] <= self.awake:
                    heapq.heappop(self._script)[2]()
            if self.awake >= self.limit:
                self._lock.notify_all()
            return moved

    # -- timers on the engine clock (CLOCK_BOOTTIME: they count the time asleep) -------------

    def call_at_engine(self, loop: asyncio.AbstractEventLoop, at: float,
                       fn: Callable[[], None]) -> EngineTimer:
        timer = EngineTimer(at, fn, loop, self)
        self._engine_timers.append(timer)
        return timer

    def _fire_engine_timers(self) -> bool:
        due = [t for t in self._engine_timers if t.at <= self.engine]
        for timer in due:
            self._engine_timers.remove(timer)
            timer.loop.call_soon(timer.fn)
        return bool(due)

    def run_until(self, awake_t: float, timeout: float = 60.0) -> None:
        """Let time run to ``awake_t`` and wait (real time) until the loop is held there."""
        with self._lock:
            self.limit = awake_t
            if not self._lock.wait_for(lambda: self.awake >= awake_t, timeout):
                raise TimeoutError(f"simulated time stuck at {self.awake} before {awake_t}")


@dataclass(eq=False)
class EngineTimer:
    at: float
    fn: Callable[[], None]
    loop: asyncio.AbstractEventLoop
    sim: SimTime

    def cancel(self) -> None:
        if self in self.sim._engine_timers:
            self.sim._engine_timers.remove(self)


class SimClocks(Clocks):
    """The real gap detection over the simulated clocks; wake-ups on the engine clock, as
    ``Clocks`` has them on Linux (CLOCK_BOOTTIME)."""

    def __init__(self, sim: SimTime) -> None:
        self._sim = sim
        super().__init__(engine=lambda: sim.engine, awake=lambda: sim.awake,
                         wall=lambda: sim.wall)

    def call_later(self, loop: asyncio.AbstractEventLoop, delay: float,
                   fn: Callable[[], None]) -> EngineTimer:
        return self._sim.call_at_engine(loop, self._sim.engine + delay, fn)


class _SimSelector(selectors.BaseSelector):
    """The real selector, asked without waiting; the wait itself becomes a jump in time."""

    def __init__(self, sim: SimTime) -> None:
        self._real = selectors.DefaultSelector()
        self._sim = sim

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._real.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.modify(fileobj, events, data)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._real.select(0)
        if ready or timeout == 0:
            return ready
        if not self._sim.jump(float("inf") if timeout is None else timeout):
            return self._real.select(HOLD_REAL_S)  # held: serve the control socket meanwhile
        return []

    def close(self) -> None:
        self._real.close()

    def get_key(self, fileobj: Any) -> selectors.SelectorKey:
        return self._real.get_key(fileobj)

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return self._real.get_map()


class SimLoop(asyncio.SelectorEventLoop):
    def __init__(self, sim: SimTime) -> None:
        self._sim = sim
        super().__init__(_SimSelector(sim))

    def time(self) -> float:
        return self._sim.awake


@dataclass
class SimUser:
    """Input every ``every`` s during each (start, end) session, in awake seconds."""

    sessions: list[tuple[float, float]] = field(default_factory=list)
    every: float = 2.0

    def sit(self, start: float, end: float) -> None:
        self.sessions.append((start, end))
        self.sessions.sort()

    def last_input(self, now: float) -> float | None:
        starts = [s for s, _ in self.sessions]
        i = bisect.bisect_right(starts, now) - 1
        if i < 0:
            return None
        start, end = self.sessions[i]
        until = min(now, end)
        return start + ((until - start) // self.every) * self.every


class SimIdle:
    name = "simulated"

    def __init__(self, sim: SimTime, user: SimUser) -> None:
        self._sim = sim
        self._user = user

    def seconds_since_last_input(self) -> float:
        last = self._user.last_input(self._sim.awake)
        return 86400.0 if last is None else self._sim.awake - last

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Shown:
    engine: float
    awake: float
    kind: str
    item: str


Answer = tuple[float, NudgeAnswerName] | None  # (after seconds, answer); None: left unanswered


class AnsweringNotifier:
    """The person reads each nudge and answers it after a while: ``answers`` maps a kind to
    one answer or to a list taken in turn; unlisted kinds go unanswered."""

    name = "simulated"
    clickable = True
    sound = False

    def __init__(self, sim: SimTime,
                 answers: Mapping[str, Answer | list[Answer]]) -> None:
        self._sim = sim
        self._answers = {k: itertools.cycle(v if isinstance(v, list) else [v])
                         for k, v in answers.items()}
        self.shown: list[Shown] = []
        self.alerts: list[str] = []
        self._pending: asyncio.TimerHandle | None = None

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        await self.withdraw()
        self.shown.append(Shown(self._sim.engine, self._sim.awake, view.kind, view.item))
        turn = self._answers.get(view.kind)
        planned = next(turn) if turn is not None else None
        if planned is not None:
            after, name = planned
            self._pending = asyncio.get_running_loop().call_later(after, answer, name)

    async def withdraw(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    async def alert(self, title: str, message: str) -> None:
        self.alerts.append(f"{title}: {message}")

    async def dnd_active(self) -> bool:
        return False

    async def close(self) -> None:
        await self.withdraw()


class SimDaemon:
    """The runtime with simulated parts around it, on its own thread, recording to ``db``."""

    def __init__(self, tmp: Path, policy: Policy, sim: SimTime, user: SimUser, *,
                 answers: Mapping[str, Answer | list[Answer]] | None = None) -> None:
        self.sim = sim
        self.db = tmp / "history.sqlite3"
        self.sock = tmp / "control.sock"
        self.notifier = AnsweringNotifier(sim, answers or {})
        parts = Parts(idle=SimIdle(sim, user), notifier=self.notifier, card=NoCard())
        parts.make_history = lambda: Recorder(self.db, retention_days=None)
        self.rt = Runtime(policy, parts, sim.clocks(), self.sock)
        self.thread = threading.Thread(target=self._main, name="sim-worker", daemon=True)
        self.crashed: BaseException | None = None

    def _main(self) -> None:
        try:
            with asyncio.Runner(loop_factory=lambda: SimLoop(self.sim)) as runner:
                runner.run(self.rt.main())
        except BaseException as exc:
            self.crashed = exc
        finally:
            self.rt.ready.set()

    def start(self) -> SimDaemon:
        self.thread.start()
        assert self.rt.ready.wait(10)
        assert self.crashed is None, self.crashed
        return self

    def status(self) -> dict[str, Any]:
        st: dict[str, Any] = call("status", self.sock)["status"]
        return st

    def stop(self) -> None:
        self.rt.request_stop()
        self.sim.limit = float("inf")  # shutdown's own bounded waits may run
        self.thread.join(15)
        assert not self.thread.is_alive()
        assert self.crashed is None, self.crashed


def local(dt: datetime) -> float:
    """Unix time of a naive local time (in the process's TZ)."""
    return dt.timestamp()
