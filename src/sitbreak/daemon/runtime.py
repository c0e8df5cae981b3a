"""The worker loop: feeds the engine, sleeps until its next deadline, hands its commands on.

Everything here runs on one asyncio loop in one worker thread; the only entry points from other
threads are ``request_stop`` and the tray actions, which hop onto the loop with
``call_soon_threadsafe``. There is no fixed-beat polling: the loop sleeps until the engine's next
deadline (or the next minute the tray would show differently, at most ``MAX_SLEEP_S``), then reads
the idle counter and feeds ``IdleSample`` + ``Tick``.

The jobs around it live beside it: ``nudges`` (presenting nudges), ``card_slot`` (the stretch
card), ``control_commands`` (the control socket's commands and status), ``tray_status`` (the
tray's actions and view).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sitbreak.adapters.base import (
    SessionEventName,
    TrayActions,
    TrayView,
)
from sitbreak.daemon import control_commands
from sitbreak.daemon.card_slot import CardSlot
from sitbreak.daemon.clock_gaps import feed_gap
from sitbreak.daemon.control_server import ControlServer
from sitbreak.daemon.idle_reader import IdleReader
from sitbreak.daemon.lifecycle import close_parts, start_parts
from sitbreak.daemon.nudges import NudgePresenter
from sitbreak.daemon.presence import PresenceFeed
from sitbreak.daemon.record_keeper import RecordKeeper
from sitbreak.daemon.tray_status import TrayStatus, stop_quietly
from sitbreak.daemon.wiring import Cancellable, ClockSource, Parts
from sitbreak.engine import Engine, Policy
from sitbreak.engine import commands as cmd
from sitbreak.engine import events as ev
from sitbreak.i18n import _

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_SLEEP_S = 60.0  # a wake-up at least this often catches unannounced clock gaps
QUIET_RECHECK_S = 5.0  # how often a nudge deferred by do-not-disturb looks again (one D-Bus read)
_MIN_SLEEP_S = 0.05
_LATE_S = 5.0  # a wake-up later than this is a gap of its own (the clocks report it)
SHUTDOWN_S = 2.5  # closing buses, the card and the notifier together may take this long


class Runtime:
    def __init__(
        self,
        policy: Policy,
        parts: Parts,
        clocks: ClockSource,
        control_path: Path | None,
        *,
        config_watch: Callable[[Runtime], Any] | None = None,
        open_config: Callable[[], None] | None = None,
        safety_intro: Path | None = None,
    ) -> None:
        self.policy = policy
        self.parts = parts
        self.clocks = clocks
        self.control_path = control_path
        self._config_watch_factory = config_watch
        self._open_config = open_config
        self._safety_intro = safety_intro  # first run: show the safety card, then mark it shown
        # one line per user setting an administrator's lock kept from applying (config layers)
        self.config_notes: tuple[str, ...] = ()
        self.engine: Engine | None = None
        self.exit_code = 0
        self.ready = threading.Event()
        self.nudges = NudgePresenter(self)
        self.cards = CardSlot(self)
        self.tray = TrayStatus(self)
        self.presence = PresenceFeed(self)
        self.records = RecordKeeper(self)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._timer: Cancellable | None = None
        self._server: ControlServer | None = None
        self._config_watch: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = IdleReader()
        self._spins = 0
        self._due_at = 0.0  # when the pending wake-up is due (engine time)
        self.stop_requested = threading.Event()  # a watchdog in the app ends a hung shutdown

    # -- threads --------------------------------------------------------------------------

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self._thread_main, name="sitbreak-worker", daemon=True)
        thread.start()
        return thread

    def _thread_main(self) -> None:
        try:
            asyncio.run(self.main())
        except Exception:
            log.exception("the worker loop crashed")
            self.exit_code = 1
        finally:
            self.stop_requested.set()
            self.ready.set()
            self.tray.close_feed()
            tray = self.parts.tray
            if tray is not None:
                # from a thread of its own: a tray whose loop is stuck must not keep the worker
                # (and so the exit code and the process) from finishing
                threading.Thread(target=stop_quietly, args=(tray,), daemon=True).start()

    @property
    def stopping(self) -> bool:
        return self.stop_requested.is_set()

    def request_stop(self) -> None:
        """Thread-safe (signal handlers, tray menu)."""
        self.stop_requested.set()
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)

    def stop_after_reply(self) -> None:
        """`sitbreak quit`: stop once the control reply is written (on the worker loop)."""
        assert self._loop is not None
        assert self._stop is not None
        self.stop_requested.set()
        self._loop.call_later(0.1, self._stop.set)

    def tray_ready(self) -> None:
        self.tray.ready()

    def detach_tray(self) -> None:
        self.tray.detach()

    def tray_actions(self) -> TrayActions:
        return self.tray.actions()

    def threadsafe(self, fn: Callable[[], None]) -> Callable[[], None]:
        """``fn`` made callable from any thread: it runs on the worker loop."""

        def call() -> None:
            loop = self._loop
            if loop is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(fn)

        return call

    def call_later(self, delay: float, fn: Callable[[], None]) -> None:
        assert self._loop is not None
        self._loop.call_later(delay, fn)

    def require_engine(self) -> Engine:
        assert self.engine is not None
        return self.engine

    # -- lifecycle ------------------------------------------------------------------------

    async def main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self.stop_requested.is_set():  # a signal arrived before the loop existed
            self._stop.set()
        now = self._due_at = self.clocks.now()
        self.engine = Engine(self.policy, start_at=now, start_local=self.clocks.local())
        ops_task = asyncio.create_task(self.nudges.run_ops(), name="notifier-ops")
        try:
            await self._start_parts()
            self._wake()  # the first reading first: starting the presence sources takes a moment
            await self.presence.start()
            self.ready.set()
            if self._safety_intro is not None:
                self.cards.show_safety_intro(self._safety_intro)
            p = self.parts
            log.info(
                "sitbreak running: source %s, notifier %s, tray %s, watchers %s, presence %s",
                p.idle.name if p.idle is not None else "none",
                p.notifier.name,
                p.tray.name if p.tray is not None else "none",
                ", ".join(w.name for w in p.watchers) or "none",
                ", ".join(s.name for s in p.presence) or "none",
            )
            await self._stop.wait()
        finally:
            log.info("shutting down")
            await self._shutdown(ops_task)

    async def _start_parts(self) -> None:
        self._server = await start_parts(self.parts, self.control_path, self._control,
                                         self._session_event)
        if self._config_watch_factory is not None:
            self._config_watch = self._config_watch_factory(self)
            self._config_watch.start()
        self._attach_idle()

    async def _shutdown(self, ops_task: asyncio.Task[None]) -> None:
        """Stop listening, withdraw the nudge, close buses and the card: all at once, bounded
        by SHUTDOWN_S so `quit`/SIGTERM always end the process promptly."""
        if self._timer is not None:
            self._timer.cancel()
        try:  # first: whatever hangs below, the span in progress is on disk
            self.records.at_shutdown()
        except Exception:
            log.exception("keeping the sitting span failed")
        if self._server is not None:
            await self._server.close()
        if self._config_watch is not None:
            with contextlib.suppress(Exception):
                await self._config_watch.close()
        self.nudges.close_queue()
        await close_parts(self.parts, ops_task, SHUTDOWN_S,
                          more=[("presence sources", self.presence.close())])
        for task in list(self._tasks):
            task.cancel()
        if self.parts.idle is not None:
            with contextlib.suppress(Exception):
                self.parts.idle.close()
        with contextlib.suppress(Exception):
            self.parts.history.close()

    def spawn(self, coro: Awaitable[T], name: str) -> asyncio.Task[T]:
        task: asyncio.Task[T] = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- feeding the engine ---------------------------------------------------------------

    def feed(self, event: ev.Event) -> None:
        assert self.engine is not None
        try:
            out = self.engine.handle(event)
        except Exception:
            log.exception("engine refused %s", type(event).__name__)
            return
        for command in out:
            self._carry_out(command)

    def feed_now(self, make: Callable[[float], ev.Event]) -> None:
        """An event at the current time, then the tray and the timer catch up."""
        self.feed(make(self.clocks.now()))
        self.after_change()

    def sample_idle(self, now: float) -> float | None:
        """Read the idle counter and tell the engine what it shows."""
        idle = self.read_idle()
        if idle is not None:
            self.feed(ev.IdleSample(at=now, idle_s=idle))
        return idle

    def _wake(self) -> None:
        """At a deadline: clock gap check, idle sample, tick. Always schedules the next one."""
        self._timer = None
        try:
            gap = self.clocks.sample()
            now = self.clocks.now()
            local = self.clocks.local()
            idle = self.read_idle()
            if gap is not None:
                feed_gap(self, gap, now, local, idle)
            if idle is not None and gap is None and getattr(self.parts.idle, "always_present",
                                                            False):
                # timer-only: "present" means present since the wake-up was due; a late
                # wake-up must not read as an input gap longer than away_after (a false break)
                idle = max(idle, min(now - self._due_at, _LATE_S))
            log.debug("wake-up: idle %s s", "?" if idle is None else f"{idle:.1f}")
            # a call found on the away deadline holds before the gap is judged
            self.presence.at_wake(now, idle)
            if idle is not None:
                self.feed(ev.IdleSample(at=now, idle_s=idle))
            self.feed(ev.Tick(at=now, local=local))
            self.nudges.retry_deferred()
            self.tray.update()
            self.records.note_span()
        except Exception:  # never lose the timer: a daemon that stops waking is silently dead
            log.exception("wake-up failed")
        finally:
            self.reschedule()

    def read_idle(self) -> float | None:
        return self._idle.read(self.parts.idle)

    def _attach_idle(self) -> None:
        self._idle.attach(self.parts.idle, self._loop, self._idle_resumed)

    def _idle_resumed(self) -> None:
        """Input again after an idle spell: read at once if the engine waits for it (a break
        ends, or a due nudge waits for the user), so neither waits for the next deadline."""
        now = self.clocks.now()
        st = self.require_engine().status(now)
        waiting = st.next_nudge_at is not None and st.next_nudge_at <= now
        if st.presence == "away" or waiting:
            if self._timer is not None:
                self._timer.cancel()
            self._wake()

    def after_change(self) -> None:
        self.tray.update()
        self.records.note_span()
        self.reschedule()

    def reschedule(self) -> None:
        """Sleep until the engine's next deadline (or the tray's next change, or a recheck of a
        nudge held back by do-not-disturb), whichever comes first."""
        assert self.engine is not None
        assert self._loop is not None
        if self._timer is not None:
            self._timer.cancel()
        now = self.clocks.now()
        target = now + MAX_SLEEP_S
        deadline = self.engine.next_deadline()
        if deadline is not None:
            target = min(target, deadline)
        if self.parts.tray is not None:
            target = min(target, self.tray.next_change(now, MAX_SLEEP_S))
        if self.nudges.deferred is not None:
            target = min(target, now + QUIET_RECHECK_S)
        beat = self.presence.next_beat(now)  # a camera call: look again to see it end
        if beat is not None:
            target = min(target, beat)
        delay = target - now
        if delay < _MIN_SLEEP_S:
            # a deadline that does not move after a wake-up would spin; back off
            self._spins += 1
            delay = _MIN_SLEEP_S if self._spins < 20 else 1.0
        else:
            self._spins = 0
        self._due_at = now + delay
        self._timer = self.clocks.call_later(self._loop, delay, self._wake)

    def _session_event(self, name: SessionEventName) -> None:
        """Called on the worker loop by session watchers."""
        kinds: dict[str, Callable[[float], ev.Event]] = {
            "lock": ev.Lock,
            "unlock": ev.Unlock,
            "sleep": ev.Sleep,
            "wake": ev.Wake,
        }
        make = kinds.get(name)
        if make is None:
            log.debug("unknown session event %r", name)
            return
        log.info("session: %s", name)
        self.clocks.sample()  # an announced sleep is not also an unannounced gap
        self.sample_idle(self.clocks.now())  # the break a lock or sleep begins: from the last input
        self.feed_now(make)

    # -- carrying out commands ------------------------------------------------------------

    def _carry_out(self, c: cmd.Command) -> None:
        match c:
            case cmd.ShowNudge():
                self.records.record(c)
                self.nudges.show(c)
            case cmd.WithdrawNudge(reason=reason):
                self.nudges.withdraw(reason)
            case cmd.StateChanged():
                pass  # the tray reads engine.status after every change
            case (
                cmd.BreakRecorded() | cmd.SittingSpan() | cmd.NudgeAnswered() | cmd.PeriodRecorded()
            ):
                self.records.record(c)

    # -- actions from the tray and the control socket -------------------------------------

    def pause(self, for_s: float | None, until_tomorrow: bool) -> None:
        now = self.clocks.now()
        self.feed(ev.Tick(at=now, local=self.clocks.local()))  # "tomorrow" from the current date
        self.feed(ev.Pause(at=now, for_s=for_s, until_tomorrow=until_tomorrow))
        self.after_change()

    def toggle_standing(self) -> None:
        self.feed_now(ev.Sit if self.require_engine().standing else ev.Stand)

    def open_config(self) -> None:
        if self._open_config is not None:
            try:
                self._open_config()
            except Exception as exc:
                log.warning("could not open the config: %s", exc)

    def statistics(self) -> None:
        window = self.parts.stats_window
        if window is None:
            from sitbreak.progname import command

            self.nudges.alert("sitbreak", _("Statistics: `{command}`").format(
                command=command("stats")))
            return
        self.spawn(window.open(), "statistics-window")

    def apply_policy(self, policy: Policy) -> None:
        """A valid config edit (on the worker loop)."""
        self.policy = policy
        self.feed(ev.ConfigChanged(at=self.clocks.now(), policy=policy))
        self.after_change()

    def report_config_error(self, message: str) -> None:
        self.nudges.alert(_("sitbreak: config not applied"), message)

    async def _control(self, req: dict[str, Any]) -> dict[str, Any]:
        return await control_commands.handle(self, req)

    def status_dict(self) -> dict[str, Any]:
        return control_commands.status_dict(self)

    def tray_view(self, now: float) -> TrayView:
        return self.tray.view(now)
