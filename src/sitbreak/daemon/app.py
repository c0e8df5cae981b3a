"""Composition root for `sitbreak run` / `sitbreak demo`: pick the parts, start the threads.

Order: logging → config (a broken config at start is a one-line error, exit 2) → single-instance
lock (a second start asks the first to show its status and exits 0) → adapters → worker thread
(engine, notifier, watchers, control socket) → tray on the main thread (or a plain wait when
headless) → graceful shutdown on SIGTERM/SIGINT/quit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from sitbreak.daemon import control_client, logs, paths, protocol
from sitbreak.daemon.instance import InstanceLock
from sitbreak.errors import DaemonNotRunning, SitbreakError
from sitbreak.i18n import _

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime
    from sitbreak.daemon.wiring import Parts
    from sitbreak.engine import Policy
    from sitbreak.settings.resident import Effective

log = logging.getLogger("sitbreak.daemon")
_HARD_EXIT_S = 8.0  # after a stop request, the worker has this long before the process just exits
_TRAY_GRACE_S = 2.0  # after the worker is done, the tray's loop has this long to return
_MAIN_DONE = threading.Event()
_SESSION_OVER = threading.Event()  # the X display or the session bus went away


@dataclass(frozen=True, slots=True)
class Options:
    config: str | None = None
    headless: bool | None = None  # None: decide from the environment
    verbose: bool = False
    demo: bool = False


def display_available() -> bool:
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def demo_policy(policy: Policy) -> Policy:
    """Shrunk intervals so a newcomer sees the whole loop in a minute: a posture check at 10 s,
    the stretch nudge at 20 s, snoozes and repeats after 30 s."""
    return dataclasses.replace(
        policy,
        stretch_every=20.0,
        posture_every=10.0,
        away_after=15.0,
        present_within=10.0,
        repeat_after=30.0,
        snooze=30.0,
        recheck=1.0,
    )


def _without_openssl() -> None:
    """The daemon speaks no TLS and needs no hash that Python does not build in, yet asyncio
    imports ``ssl`` and hashlib (through dbus-fast) ``_hashlib``, which map OpenSSL (~3 MiB
    resident and start-up time). Both treat them as optional (asyncio without TLS, hashlib with
    its built-in SHA and BLAKE2), so mark them absent before anything imports them. The card and
    the CLI are other processes."""
    for name in ("ssl", "_hashlib"):
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # import -> ImportError


def run(opts: Options) -> int:
    _without_openssl()
    from sitbreak.settings import resident, resolve_path

    headless = (not display_available()) if opts.headless is None else opts.headless
    log_file = logs.setup(opts.verbose, to_stderr=headless)
    path = resolve_path(opts.config)
    # validated without keeping the validator resident; ConfigError: the CLI edge prints it
    effective = resident.load_effective(path)
    for note in effective.notes:
        log.warning("config not applied: %s", note)

    lock: InstanceLock | None = None
    control: Path | None = None
    try:
        lock = InstanceLock(paths.lock_path())
        if not lock.acquire():
            return _already_running()
        control = paths.socket_path()
    except paths.UnsafePath as exc:
        # Nudging does not need them; without the lock a leftover socket cannot be told
        # from a live one's, so both go.
        lock = None
        log.warning("%s; running without the control socket and the single-instance lock", exc)
        if not headless and not opts.verbose:  # the warning reaches stderr then anyway
            print(_("sitbreak: {error}; running without the control socket").format(
                error=exc), file=sys.stderr)
    try:
        return _run_locked(opts, effective, path, headless, log_file, control=control)
    finally:
        if lock is not None:
            lock.release()


def _already_running() -> int:
    reply: dict[str, Any] | None = None
    deadline = time.monotonic() + 5
    while reply is None:
        try:
            reply = control_client.call("show-status")
        except DaemonNotRunning:
            # the first instance holds the lock but has not opened its socket yet
            if time.monotonic() > deadline:
                raise SitbreakError(
                    _("another sitbreak holds the lock but does not answer on its control socket")
                ) from None
            time.sleep(0.1)
    print(_("sitbreak is already running."))
    print(protocol.format_status(reply.get("status", {})))
    return 0


def _run_locked(
    opts: Options, effective: Effective, path: Path, headless: bool, log_file: Path, *,
    control: Path | None,
) -> int:
    from sitbreak.daemon import parts as parts_mod
    from sitbreak.daemon.config_watch import ConfigWatcher
    from sitbreak.daemon.reload import Reloader, Watches, policy_for
    from sitbreak.daemon.runtime import Runtime

    settings = effective.settings
    clocks = parts_mod.clocks()
    parts = parts_mod.pick(settings, headless=headless, demo=opts.demo, config=path)
    # a source that reports input as it resumes (Wayland) needs no idle_poll recheck while away
    sampled = not hasattr(parts.idle, "attach")
    policy, parts.describe, _problems = policy_for(settings, opts.demo, sampled)
    log.info("starting%s: config %s, log %s", " (demo)" if opts.demo else "", path, log_file)

    def watch(rt: Runtime) -> Watches:
        from sitbreak.settings.resident import load_effective

        reloader = Reloader(rt, settings, demo=opts.demo, sampled=sampled)
        # the system-wide files too: an administrator's edit reaches running sessions
        config = ConfigWatcher(path, load_effective, reloader.apply_effective,
                               rt.report_config_error, also=effective.watched[:-1])
        return Watches(config, reloader)

    marker = paths.safety_intro_marker()
    first_run = not headless and not marker.exists() and not os.environ.get("SITBREAK_NO_SAFETY_INTRO")
    runtime = Runtime(
        policy,
        parts,
        clocks,
        control,
        config_watch=watch,
        open_config=lambda: _open_config(path),
        safety_intro=marker if first_run else None,
    )
    runtime.config_notes = effective.notes
    if not headless:
        parts.tray = parts_mod.pick_tray(runtime.tray_actions())
    if headless:
        print(
            _("sitbreak running without a tray (nudges appear here; log: {log}). "
              "Ctrl+C to stop.").format(log=log_file),
            flush=True,
        )
    elif sys.stdout.isatty():
        from sitbreak.progname import command

        print(_("sitbreak running (log: {log}); `{command}` stops it.").format(
            log=log_file, command=command('quit')), flush=True)
    return _drive(runtime, parts, log_file)


def _drive(runtime: Runtime, parts: Parts, log_file: Path) -> int:
    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping", signum)
        runtime.request_stop()

    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID`: every thread's stack, for a hang report
        import faulthandler

        faulthandler.register(signal.SIGUSR1, all_threads=True)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_signal)

    threading.Thread(
        target=_watchdog, args=(runtime, log_file), name="sitbreak-watchdog", daemon=True
    ).start()
    worker = runtime.start_thread()
    threading.Thread(
        target=_tray_reaper, args=(runtime, worker), name="sitbreak-reaper", daemon=True
    ).start()
    session = _watch_session_end(runtime) if parts.tray is not None else None
    runtime.ready.wait(15)
    tray = parts.tray
    if tray is not None and worker.is_alive():

        def ready() -> None:
            log.info("tray %s is up", tray.name)
            runtime.tray_ready()

        try:
            tray.run(on_ready=ready)
        except Exception as exc:
            if not runtime.stopping:
                log.warning("tray %s failed (%s); running without it", tray.name, exc)
        if session is not None and getattr(tray, "display_lost", False):
            session.end("the X display")  # the tray's connection saw it first
        over = session is not None and session.ended
        if worker.is_alive() and not runtime.stopping and not over:
            log.warning("the tray stopped; sitbreak keeps running without it")
            runtime.detach_tray()
    worker.join()  # signals still reach their handlers: the wait is interruptible
    _MAIN_DONE.set()
    _exit_when_stuck(runtime.exit_code)
    return runtime.exit_code


def _watch_session_end(runtime: Runtime) -> Any:
    """Logout or a crashed desktop (X server or session bus gone): stop cleanly, exit 0."""
    from sitbreak.adapters.session_end import watch_session_end

    def ended(what: str) -> None:
        log.warning("%s is gone (the desktop session ended); sitbreak stops", what)
        _SESSION_OVER.set()
        runtime.request_stop()

    try:
        return watch_session_end(ended)
    except Exception as exc:
        log.debug("not watching for the end of the session: %s", exc)
        return None


def _tray_reaper(runtime: Runtime, worker: threading.Thread) -> None:
    """The worker has shut everything down, but pystray's X loop on the main thread can miss
    its own stop (python-xlib loses a wakeup when two threads share the connection), or is
    parked in libX11's error handler after the X server went away: nothing is left to clean
    up, so leave with the worker's exit code."""
    worker.join()
    if _MAIN_DONE.wait(0.5 if _SESSION_OVER.is_set() else _TRAY_GRACE_S):
        return
    if _SESSION_OVER.is_set():
        _hard_exit(runtime.exit_code)
    log.warning("the tray did not stop within %.0f s; exiting without it", _TRAY_GRACE_S)
    _hard_exit(runtime.exit_code)


def _watchdog(runtime: Runtime, log_file: Path) -> None:
    """Once a stop is asked for, the process ends within _HARD_EXIT_S even if a library call
    hangs (the tray's X loop, a D-Bus call): the stacks go to the log, then it just exits."""
    runtime.stop_requested.wait()
    time.sleep(_HARD_EXIT_S)
    log.error("shutdown hangs after %.0f s; thread stacks follow; exiting anyway", _HARD_EXIT_S)
    try:
        import faulthandler

        with log_file.open("a", encoding="utf-8") as out:
            faulthandler.dump_traceback(out, all_threads=True)
    except OSError:
        pass
    _hard_exit(1)


def _hard_exit(code: int) -> None:
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)


def _exit_when_stuck(code: int) -> None:
    """A library thread that is not a daemon thread (a D-Bus or X call stuck in an executor)
    would keep the process alive after `quit`; give such threads a moment, then leave."""
    deadline = time.monotonic() + 1.0
    for thread in threading.enumerate():
        if thread is threading.current_thread() or thread.daemon:
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("thread %s still busy at exit; leaving without it", thread.name)
            _hard_exit(code)


def _open_config(path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # a new file only: never through a (dangling) symlink, never over one that appeared
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, flags, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write("# sitbreak settings; see `sitbreak config --help`\n")
    opener = {"darwin": ["open"], "win32": ["cmd", "/c", "start", ""]}.get(
        sys.platform, ["xdg-open"]
    )
    subprocess.Popen(
        [*opener, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

