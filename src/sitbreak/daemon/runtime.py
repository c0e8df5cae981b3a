"""The worker-thread runtime: feeds the engine, carries out its commands, serves the control socket.

Everything here runs on one asyncio loop in one worker thread; the only entry points from other
threads are ``request_stop`` and the tray actions, which hop onto the loop with
``call_soon_threadsafe``. There is no fixed-beat polling: the loop sleeps until the engine's next
deadline (or the next minute the tray would show differently, at most ``MAX_SLEEP_S``), then reads
the idle counter and feeds ``IdleSample`` + ``Tick``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sitbreak.adapters.base import (
    CardAnswer,
    CardOpener,
    IdleSource,
    Notifier,
    NudgeAnswerName,
    NudgeView,
    SessionEventName,
    SessionWatcher,
    Tray,
    TrayActions,
    TrayView,
)
from sitbreak.daemon import protocol
from sitbreak.daemon.control_server import ControlServer
from sitbreak.daemon.history_sink import HistorySink, NullSink, Record
from sitbreak.daemon.tray_feed import TrayFeed
from sitbreak.daemon.tray_view import next_view_change, tray_view
from sitbreak.engine import Engine, Policy
from sitbreak.engine import commands as cmd
from sitbreak.engine import events as ev

log = logging.getLogger(__name__)

MAX_SLEEP_S = 60.0  # a wake-up at least this often catches unannounced clock gaps
QUIET_RECHECK_S = 5.0  # how often a nudge deferred by do-not-disturb looks again (one D-Bus read)
_MIN_SLEEP_S = 0.05
TRAY_SETTLE_S = 1.0  # the first view goes to a fresh tray icon after this
SHUTDOWN_S = 2.5  # closing buses, the card and the notifier together may take this long


class Gap(Protocol):
    @property
    def at(self) -> float: ...
    @property
    def skipped_s(self) -> float: ...
    @property
    def kind(self) -> str: ...


class ClockSource(Protocol):
    def now(self) -> float: ...

    def sample(self) -> Gap | None: ...


Describe = Callable[[cmd.ShowNudge], NudgeView]
Quiet = Callable[[], Awaitable[bool]]  # True while do-not-disturb or a fullscreen window is up


def describe_plain(show: cmd.ShowNudge) -> NudgeView:
    """Used until the content library is wired in: the item id stands in for its title."""
    minutes = int(show.sitting_s // 60)
    if show.kind == "stretch":
        title = f"Time to stand: {show.item}"
        body = f"Sitting {minutes} min · click for the stretch card"
    else:
        title = f"Posture check: {show.item}"
        body = f"Sitting {minutes} min"
    return NudgeView(show.kind, show.item, title, body)


@dataclass
class Parts:
    """What the composition root picked; names are shown by `sitbreak status`."""

    idle: IdleSource | None
    notifier: Notifier
    card: CardOpener
    tray: Tray | None = None
    watchers: list[SessionWatcher] = field(default_factory=list)
    history: HistorySink = field(default_factory=NullSink)
    describe: Describe = describe_plain
    quiet: Quiet | None = None
    # notifiers that must connect on the worker loop (D-Bus) are made there; until then
    # ``notifier`` is the fallback
    make_notifier: Callable[[], Awaitable[Notifier]] | None = None
    # built on the worker thread: the SQLite history must be used where it was opened
    make_history: Callable[[], HistorySink] | None = None


@dataclass(frozen=True, slots=True)
class _LastBreak:
    cause: str
    length_s: float
    ended_at: float


class Runtime:
    def __init__(
        self,
        policy: Policy,
        parts: Parts,
        clocks: ClockSource,
        control_path: Path,
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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._server: ControlServer | None = None
        self._config_watch: Any = None
        self._ops: asyncio.Queue[Callable[[], Awaitable[None]] | None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._shown: cmd.ShowNudge | None = None  # what the engine considers on screen
        self._deferred: cmd.ShowNudge | None = None  # due, held back by do-not-disturb
        self._nudge_token = 0
        self._card_open = False
        self._last_view: TrayView | None = None
        self._last_break: _LastBreak | None = None
        self._breaks = 0
        self._idle_failed = False
        self._spins = 0
        self.stop_requested = threading.Event()  # a watchdog in the app ends a hung shutdown
        self._tray_feed: TrayFeed | None = None  # set once the tray is up

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
            if self._tray_feed is not None:
                self._tray_feed.close()
            tray = self.parts.tray
            if tray is not None:
                # from a thread of its own: a tray whose loop is stuck must not keep the worker
                # (and so the exit code and the process) from finishing
                threading.Thread(target=_stop_quietly, args=(tray,), daemon=True).start()

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

    def tray_ready(self) -> None:
        """The tray is up (thread-safe): show it the current state. Views sent before that
        could be lost (pystray applies a new title only to a visible icon)."""

        def show() -> None:
            tray = self.parts.tray
            if tray is None or self._tray_feed is not None:
                return
            self._tray_feed = TrayFeed(tray)
            self._last_view = None
            self._update_tray()

        def soon() -> None:
            # after the burst of expose/dock traffic of a fresh icon: pystray's xorg backend
            # runs cross-thread updates through the same X connection and can hang on a race
            assert self._loop is not None
            self._loop.call_later(TRAY_SETTLE_S, show)

        self._threadsafe(soon)()

    def detach_tray(self) -> None:
        """The tray died: carry on without it (thread-safe)."""

        def detach() -> None:
            self.parts.tray = None
            if self._tray_feed is not None:
                self._tray_feed.close()
                self._tray_feed = None

        self._threadsafe(detach)()

    def _threadsafe(self, fn: Callable[[], None]) -> Callable[[], None]:
        def call() -> None:
            loop = self._loop
            if loop is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(fn)

        return call

    def tray_actions(self) -> TrayActions:
        """Menu callbacks for the tray; each only hops onto the worker loop."""
        ts = self._threadsafe

        def pause(for_s: float | None, until_tomorrow: bool) -> None:
            ts(lambda: self._do_pause(for_s, until_tomorrow))()

        return TrayActions(
            stretch_now=ts(lambda: self._feed_now(ev.StretchNow)),
            show_current=ts(self._show_current),
            snooze=ts(lambda: self._feed_now(ev.Snooze)),
            pause=pause,
            resume=ts(lambda: self._feed_now(ev.Resume)),
            toggle_standing=ts(self._toggle_standing),
            safety_card=ts(lambda: self._open_card("safety", None)),
            open_config=ts(self._do_open_config),
            statistics=ts(self._statistics),
            quit=self.request_stop,
        )

    # -- lifecycle ------------------------------------------------------------------------

    async def main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self.stop_requested.is_set():  # a signal arrived before the loop existed
            self._stop.set()
        self._ops = asyncio.Queue()
        now = self.clocks.now()
        self.engine = Engine(self.policy, start_at=now, start_local=datetime.now())
        ops_task = asyncio.create_task(self._run_ops(), name="notifier-ops")
        try:
            if self.parts.make_history is not None:
                try:
                    self.parts.history = self.parts.make_history()
                except Exception as exc:
                    log.warning("history disabled: %s", exc)
            if self.parts.make_notifier is not None:
                try:
                    self.parts.notifier = await self.parts.make_notifier()
                except Exception as exc:
                    fallback = self.parts.notifier.name
                    log.warning("notifier setup failed (%s); using %s", exc, fallback)
            server = ControlServer(self.control_path, self._control)
            try:
                await server.start()
                self._server = server
            except (OSError, AttributeError, NotImplementedError) as exc:
                # e.g. Windows (no Unix sockets in asyncio there yet): nudging goes on
                log.warning("no control socket (%s): `sitbreak status` cannot reach this", exc)
            for watcher in self.parts.watchers:
                try:
                    await watcher.start(self._session_event)
                except Exception as exc:
                    log.warning("session watcher %s did not start: %s", watcher.name, exc)
            if self._config_watch_factory is not None:
                self._config_watch = self._config_watch_factory(self)
                self._config_watch.start()
            self._wake()
            self.ready.set()
            if self._safety_intro is not None:
                self._show_safety_intro(self._safety_intro)
            p = self.parts
            log.info(
                "sitbreak running: source %s, notifier %s, tray %s, watchers %s",
                p.idle.name if p.idle is not None else "none",
                p.notifier.name,
                p.tray.name if p.tray is not None else "none",
                ", ".join(w.name for w in p.watchers) or "none",
            )
            await self._stop.wait()
        finally:
            log.info("shutting down")
            await self._shutdown(ops_task)

    async def _shutdown(self, ops_task: asyncio.Task[None]) -> None:
        """Stop listening, withdraw the nudge, close buses and the card: all at once, bounded
        by SHUTDOWN_S so `quit`/SIGTERM always end the process promptly."""
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            await self._server.close()
        if self._config_watch is not None:
            with contextlib.suppress(Exception):
                await self._config_watch.close()
        assert self._ops is not None
        if self._shown is not None:
            self._ops.put_nowait(self.parts.notifier.withdraw)
        self._ops.put_nowait(None)

        async def notifier_done() -> None:
            await ops_task  # the withdraw above goes out before the bus closes
            await self.parts.notifier.close()

        closers: list[tuple[str, Awaitable[None]]] = [("notifier", notifier_done())]
        closers += [(f"watcher {w.name}", w.close()) for w in self.parts.watchers]
        closers.append(("card", self.parts.card.close()))

        async def bounded(name: str, step: Awaitable[None]) -> None:
            started = time.monotonic()
            try:
                await step
            except Exception as exc:
                log.debug("closing %s: %s", name, exc)
            log.debug("closed %s in %.2f s", name, time.monotonic() - started)

        tasks = [asyncio.ensure_future(bounded(n, c)) for n, c in closers]
        _done, late = await asyncio.wait(tasks, timeout=SHUTDOWN_S)
        for task in late:
            task.cancel()
        if late:
            log.warning("shutdown: %d part(s) did not close within %.0f s", len(late), SHUTDOWN_S)
        for task in list(self._tasks):
            task.cancel()
        if self.parts.idle is not None:
            with contextlib.suppress(Exception):
                self.parts.idle.close()
        with contextlib.suppress(Exception):
            self.parts.history.close()

    def _spawn(self, coro: Awaitable[Any], name: str) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- feeding the engine ---------------------------------------------------------------

    def _feed(self, event: ev.Event) -> None:
        assert self.engine is not None
        try:
            out = self.engine.handle(event)
        except Exception:
            log.exception("engine refused %s", type(event).__name__)
            return
        for command in out:
            self._carry_out(command)

    def _feed_now(self, make: Callable[[float], ev.Event]) -> None:
        self._feed(make(self.clocks.now()))
        self._after_change()

    def _wake(self) -> None:
        """At a deadline: clock gap check, idle sample, tick. Always schedules the next one."""
        self._timer = None
        try:
            gap = self.clocks.sample()
            now = self.clocks.now()
            local = datetime.now()
            if gap is not None:
                log.info("clock gap of %.0f s (%s) before this wake-up", gap.skipped_s, gap.kind)
                self._feed(ev.ClockJump(at=now, skipped_s=gap.skipped_s, local=local))
            idle = self._read_idle()
            log.debug("wake-up: idle %s s", "?" if idle is None else f"{idle:.1f}")
            if idle is not None:
                self._feed(ev.IdleSample(at=now, idle_s=idle))
            self._feed(ev.Tick(at=now, local=local))
            if self._deferred is not None:
                self._spawn(self._try_deferred(), "deferred-nudge")
            self._update_tray()
        except Exception:  # never lose the timer: a daemon that stops waking is silently dead
            log.exception("wake-up failed")
        finally:
            self._schedule()

    def _read_idle(self) -> float | None:
        source = self.parts.idle
        if source is None:
            return None
        try:
            idle = float(source.seconds_since_last_input())
        except Exception as exc:
            if not self._idle_failed:
                log.warning("idle source %s failed: %s", source.name, exc)
                self._idle_failed = True
            return None
        if self._idle_failed:
            log.info("idle source %s answers again", source.name)
            self._idle_failed = False
        return max(0.0, idle)

    def _after_change(self) -> None:
        self._update_tray()
        self._schedule()

    def _schedule(self) -> None:
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
            target = min(target, self._next_view_change(now))
        if self._deferred is not None:
            target = min(target, now + QUIET_RECHECK_S)
        delay = target - now
        if delay < _MIN_SLEEP_S:
            # a deadline that does not move after a wake-up would spin; back off
            self._spins += 1
            delay = _MIN_SLEEP_S if self._spins < 20 else 1.0
        else:
            self._spins = 0
        self._timer = self._loop.call_later(delay, self._wake)

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
        self._feed_now(make)

    # -- carrying out commands ------------------------------------------------------------

    def _carry_out(self, c: cmd.Command) -> None:
        match c:
            case cmd.ShowNudge():
                self._record(c)
                self._shown = c
                self._deferred = None
                self._nudge_token += 1
                self._spawn(self._show_unless_quiet(c, self._nudge_token), "show-nudge")
            case cmd.WithdrawNudge(reason=reason):
                log.info("nudge withdrawn (%s)", reason)
                self._shown = None
                self._deferred = None
                self._nudge_token += 1
                self._enqueue(self.parts.notifier.withdraw)
            case cmd.StateChanged():
                pass  # the tray reads engine.status after every change
            case (
                cmd.BreakRecorded() | cmd.SittingSpan() | cmd.NudgeAnswered() | cmd.PeriodRecorded()
            ):
                self._record(c)

    def _record(self, rec: Record) -> None:
        if isinstance(rec, cmd.BreakRecorded):
            self._breaks += 1
            self._last_break = _LastBreak(rec.cause, rec.to - rec.from_, rec.to)
        offset = time.time() - self.clocks.now()
        try:
            self.parts.history.record(rec, offset)
        except Exception:
            log.exception("history sink failed")

    def _enqueue(self, op: Callable[[], Awaitable[None]]) -> None:
        assert self._ops is not None
        self._ops.put_nowait(op)

    async def _run_ops(self) -> None:
        """Notifier calls run one at a time, in order (show, then withdraw, never crossed)."""
        assert self._ops is not None
        while True:
            op = await self._ops.get()
            if op is None:
                return
            try:
                await op()
            except Exception as exc:
                log.warning("notifier %s failed: %s", self.parts.notifier.name, exc)

    async def _show_unless_quiet(self, show: cmd.ShowNudge, token: int) -> None:
        if await self._is_quiet():
            if token == self._nudge_token:
                log.info("nudge deferred: do-not-disturb or fullscreen")
                self._deferred = show
                self._schedule()
            return
        if token == self._nudge_token:
            self._enqueue(lambda: self._show(show, token))

    async def _try_deferred(self) -> None:
        show = self._deferred
        if show is None or await self._is_quiet():
            return
        if self._deferred is show:
            self._deferred = None
            token = self._nudge_token
            self._enqueue(lambda: self._show(show, token))

    async def _is_quiet(self) -> bool:
        if self.parts.quiet is None:
            return False
        try:
            return await self.parts.quiet()
        except Exception as exc:
            log.debug("do-not-disturb check failed: %s", exc)
            return False

    async def _show(self, show: cmd.ShowNudge, token: int) -> None:
        if token != self._nudge_token:
            return  # withdrawn or replaced while waiting in the queue
        view = self.parts.describe(show)
        log.info("nudge: %s %s after %.0f s sitting", show.kind, show.item, show.sitting_s)

        def answer(name: NudgeAnswerName) -> None:
            self._on_answer(name, show, token)

        await self.parts.notifier.show(view, answer)

    def _on_answer(self, name: NudgeAnswerName, show: cmd.ShowNudge, token: int) -> None:
        log.info("nudge answer: %s", name)
        if name == "clicked":
            self._open_card(show.item, show)
            return
        if name == "dismissed":
            return
        if token != self._nudge_token:
            log.info("answer %s for a nudge no longer shown; ignored", name)
            return
        events: dict[str, Callable[[float], ev.Event]] = {
            "done": ev.Done,
            "snooze": ev.Snooze,
            "skip": ev.Skip,
        }
        self._feed_now(events[name])

    # -- the card -------------------------------------------------------------------------

    def _open_card(self, item: str, show: cmd.ShowNudge | None) -> None:
        if self._card_open:
            log.info("stretch card already open")
            return
        self._card_open = True
        self._spawn(self._card_session(item, show), "card")

    async def _card_session(self, item: str, show: cmd.ShowNudge | None) -> None:
        try:
            if show is not None:
                self._feed_now(ev.Opened)
            while True:
                answer: CardAnswer = await self.parts.card.open(item)
                log.info("card answer: %s", answer)
                if answer != "another":
                    break
                item = self._another_item(show.kind if show else "stretch", item)
            events: dict[str, Callable[[float], ev.Event]] = {
                "done": ev.Done,
                "snooze": ev.Snooze,
                "skip": ev.Skip,
            }
            make = events.get(answer)
            if make is not None:
                self._feed_now(make)
        except Exception as exc:
            log.warning("stretch card failed: %s", exc)
        finally:
            self._card_open = False

    def _another_item(self, kind: str, current: str) -> str:
        ids = [i for i in self.policy.items.ids(kind) if i != current]
        return random.choice(ids) if ids else current

    def _show_safety_intro(self, marker: Path) -> None:
        """Before the first nudge ever: when to get professional help (once per user)."""
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError as exc:
            log.warning("could not note that the safety card was shown (%s)", exc)
        log.info("first run: showing the safety card")
        self._open_card("safety", None)

    def _show_current(self) -> None:
        if self._shown is not None:
            self._open_card(self._shown.item, self._shown)
        else:
            ids = self.policy.items.ids("stretch")
            self._open_card(random.choice(ids) if ids else "stretch", None)

    # -- control --------------------------------------------------------------------------

    def _do_pause(self, for_s: float | None, until_tomorrow: bool) -> None:
        now = self.clocks.now()
        self._feed(ev.Tick(at=now, local=datetime.now()))  # "tomorrow" from the current date
        self._feed(ev.Pause(at=now, for_s=for_s, until_tomorrow=until_tomorrow))
        self._after_change()

    def _toggle_standing(self) -> None:
        assert self.engine is not None
        self._feed_now(ev.Sit if self.engine.standing else ev.Stand)

    def _do_open_config(self) -> None:
        if self._open_config is not None:
            try:
                self._open_config()
            except Exception as exc:
                log.warning("could not open the config: %s", exc)

    def _statistics(self) -> None:
        self._enqueue(
            lambda: self.parts.notifier.alert("sitbreak", "Statistics are not available yet.")
        )

    def apply_policy(self, policy: Policy) -> None:
        """A valid config edit (on the worker loop)."""
        self.policy = policy
        self._feed(ev.ConfigChanged(at=self.clocks.now(), policy=policy))
        self._after_change()

    def report_config_error(self, message: str) -> None:
        self._enqueue(lambda: self.parts.notifier.alert("sitbreak: config not applied", message))

    async def _control(self, req: dict[str, Any]) -> dict[str, Any]:
        assert self.engine is not None
        assert self._stop is not None
        name = req["cmd"]
        message = ""
        if name == "status":
            pass
        elif name == "show-status":
            text = protocol.format_status(self.status_dict())
            self._enqueue(lambda: self.parts.notifier.alert("sitbreak is running", text))
            message = "already running"
        elif name == "pause":
            for_s = req.get("for_s")
            self._do_pause(None if for_s is None else float(for_s), bool(req.get("until_tomorrow")))
            message = "paused"
        elif name == "resume":
            if not self.engine.paused:
                message = "not paused"
            else:
                self._feed_now(ev.Resume)
                message = "resumed"
        elif name == "stretch-now":
            self._feed_now(ev.StretchNow)
            message = "stretch nudge shown"
        elif name == "snooze":
            if self.engine.status().nudge_kind is None:
                message = "no nudge to snooze"
            else:
                self._feed_now(ev.Snooze)
                message = f"snoozed for {int(self.policy.snooze // 60)} min"
        elif name == "stand":
            self._feed_now(ev.Stand)
            message = "standing: no nudges until `sitbreak sit`"
        elif name == "sit":
            self._feed_now(ev.Sit)
            message = "sitting"
        elif name == "quit":
            assert self._loop is not None
            self.stop_requested.set()
            self._loop.call_later(0.1, self._stop.set)  # after the reply is written
            message = "quitting"
        return {"ok": True, "message": message, "status": self.status_dict()}

    def status_dict(self) -> dict[str, Any]:
        assert self.engine is not None
        now = self.clocks.now()
        st = self.engine.status(now)
        parts = self.parts
        out: dict[str, Any] = {
            "presence": st.presence,
            "sitting_s": None if st.sitting_since is None else round(st.sitting_s(now), 1),
            "next_nudge_in_s": None
            if st.next_nudge_at is None or st.paused or st.standing
            else round(st.next_nudge_at - now, 1),
            "next_nudge_kind": st.next_nudge_kind,
            "paused": st.paused,
            "paused_for_s": None if st.paused_until is None else round(st.paused_until - now, 1),
            "standing": st.standing,
            "nudge_kind": st.nudge_kind,
            "nudge_item": st.nudge_item,
            "deferred": self._deferred is not None,
            "in_working_hours": st.in_working_hours,
            "breaks": self._breaks,
            "last_break": None,
            "source": parts.idle.name if parts.idle is not None else "none",
            "notifier": parts.notifier.name,
            "tray": parts.tray.name if parts.tray is not None else "none",
            "stretch_every_s": self.policy.stretch_every,
            "config_notes": list(self.config_notes),
        }
        if self._last_break is not None:
            b = self._last_break
            out["last_break"] = {
                "cause": b.cause,
                "length_s": round(b.length_s, 1),
                "ago_s": round(now - b.ended_at, 1),
            }
        return out

    # -- tray -----------------------------------------------------------------------------

    def tray_view(self, now: float) -> TrayView:
        assert self.engine is not None
        return tray_view(self.engine.status(now), self.policy, now)

    def _next_view_change(self, now: float) -> float:
        assert self.engine is not None
        return next_view_change(self.engine.status(now), now, MAX_SLEEP_S)

    def _update_tray(self) -> None:
        feed = self._tray_feed
        if feed is None:
            return
        view = self.tray_view(self.clocks.now())
        if view != self._last_view:
            self._last_view = view
            feed.push(view)


def _stop_quietly(tray: Tray) -> None:
    with contextlib.suppress(Exception):
        tray.stop()
