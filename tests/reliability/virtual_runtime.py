"""The real runtime (worker thread, engine, history sink, real SQLite) on a virtual clock the test
moves, with an idle counter that reports the inputs the test says happened."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitbreak.adapters.base import CardOpener, IdleSource
from sitbreak.daemon.headless import NoCard, TerminalNotifier
from sitbreak.daemon.runtime import Runtime
from sitbreak.daemon.wiring import Parts
from sitbreak.engine import Policy
from sitbreak.history import Recorder

WALL0 = 1_790_000_000.0  # Unix time at engine time 0
START = 1000.0  # engine time at the start of each run

POLICY = Policy(stretch_every=1800, posture_every=0, away_after=300, present_within=60,
                repeat_after=600, snooze=600, recheck=5)


@dataclass
class Gap:
    at: float
    skipped_s: float
    kind: str


@dataclass
class VirtualClocks:
    """Engine seconds the test sets; the wall clock is WALL0 + engine seconds + ``wall_shift``
    (a clock set forward moves only the wall)."""

    t: float = START
    wall_shift: float = 0.0
    gaps: list[Gap] = field(default_factory=list)

    def now(self) -> float:
        return self.t

    def wall(self) -> float:
        return WALL0 + self.t + self.wall_shift

    def local(self) -> datetime:
        return datetime.fromtimestamp(self.wall())

    def call_later(self, loop: asyncio.AbstractEventLoop, delay: float,
                   fn: Callable[[], None]) -> asyncio.TimerHandle:
        return loop.call_later(delay, fn)  # the tests wake the runtime themselves

    def sample(self) -> Gap | None:
        return self.gaps.pop(0) if self.gaps else None


class ReportedIdle:
    """An idle counter: seconds since the last input the test reported."""

    name = "virtual"

    def __init__(self, clocks: VirtualClocks, last_input: float) -> None:
        self.clocks = clocks
        self.last_input = last_input

    def seconds_since_last_input(self) -> float:
        return max(0.0, self.clocks.t - self.last_input)

    def close(self) -> None:
        pass


class VirtualDaemon:
    def __init__(self, db: Path, *, last_input: float = START, card: CardOpener | None = None,
                 policy: Policy = POLICY, sock: Path | None = None,
                 source: IdleSource | None = None) -> None:
        self.clocks = VirtualClocks()
        self.idle = ReportedIdle(self.clocks, last_input)
        self.out = io.StringIO()
        parts = Parts(idle=source or self.idle, notifier=TerminalNotifier(self.out),
                      card=card if card is not None else NoCard())
        parts.make_history = lambda: Recorder(db, retention_days=None, keep_trying=True)
        self.rt = Runtime(policy, parts, self.clocks, sock)
        self.thread = threading.Thread(target=self.rt._thread_main, daemon=True)

    def start(self) -> VirtualDaemon:
        self.thread.start()
        assert self.rt.ready.wait(10)
        return self

    def on_loop(self, fn: object) -> None:
        """Run ``fn()`` on the worker loop and wait for it."""
        loop = self.rt._loop
        assert loop is not None
        done = threading.Event()

        def step() -> None:
            try:
                fn()  # type: ignore[operator]
            finally:
                done.set()

        loop.call_soon_threadsafe(step)
        assert done.wait(10)

    def at(self, t: float, *, input_at: float | None = None) -> None:
        """Move the clock to ``t`` (an input at ``input_at`` if given) and wake up there."""
        if input_at is not None:
            self.idle.last_input = input_at
        self.clocks.t = t
        self.on_loop(self.rt._wake)

    def active(self, until: float, every: float = 60.0) -> None:
        """The user types steadily until ``until``: a wake-up each ``every`` s sees fresh input."""
        t = self.clocks.t
        while t < until:
            t = min(until, t + every)
            self.at(t, input_at=t - 1)

    def due_at(self) -> float:
        """When the runtime's pending wake-up is due (virtual seconds)."""
        return self.rt._due_at

    def stop(self) -> None:
        self.rt.request_stop()
        self.thread.join(15)
        assert not self.thread.is_alive()
