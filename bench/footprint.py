"""Footprint side by side: sitbreak (each tray mode, and headless), Workrave and Safe Eyes.

    .venv/bin/python bench/footprint.py                 # the full run (~50 min)
    .venv/bin/python bench/footprint.py --quick         # short settings (bench/all, ~4 min)
    .venv/bin/python bench/footprint.py --only sitbreak-xorg,workrave --runs 1

Every program runs in a fresh session of its own (Xvfb, private session and system buses,
dunst, and trayer as the XEmbed tray, or xfce4-panel as a StatusNotifierItem host for
sitbreak's SNI tray; tests/desktop.py) with a fresh HOME, started in a session of its own. Per
run: start-up until the tray icon is docked (sitbreak headless: until its control socket
answers), a warm-up, then idle, then xdotool input at each rate; from /proc over the whole
process tree: CPU seconds, context switches, RSS and PSS (bench/proc_tree.py). The runs
interleave the programs; the table shows medians and ratios to Workrave. Then, for sitbreak's
default desktop mode: which threads wake up while idle (strace), and the latency from a nudge
falling due to the notification server having it, and from a click on it to the stretch card's
window being mapped. Workrave and Safe Eyes are installed with apt-get when missing and this
runs as root (--no-install: skipped instead). Writes JSON (--json). bench/README.md explains
every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import inspect
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.desktop import Desktop  # noqa: E402

import proc_tree  # noqa: E402

KEY_EVERY_S = 0.2  # a Shift tap every 200 ms on top of the pointer moves
OTHER_PACKAGES = {"workrave": ["workrave"],
                  # what `apt-get install safeeyes` brings by default: its tray icon and idle tool
                  "safeeyes": ["safeeyes", "gir1.2-ayatanaappindicator3-0.1", "xprintidle"]}
WAIT_SYSCALLS = ("epoll_wait", "epoll_pwait", "poll", "ppoll", "select", "pselect6", "futex",
                 "clock_nanosleep", "nanosleep")

# the nudge latency session: short intervals, so deadlines come within a minute
LATENCY_CONFIG = """\
[timing]
stretch_every = "60s"
posture_every = "30s"
away_after = "50s"
present_within = "10s"
repeat_after = "30s"
snooze = "30s"
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---- the programs ------------------------------------------------------------------------------


@dataclass
class Subject:
    key: str
    label: str
    argv: list[str]
    ready: str  # "xembed": an icon embedded in trayer; "sni": registered with the watcher;
    # "socket": the control socket answers
    session: dict[str, Any] = field(default_factory=dict)  # Desktop(...) options
    env: dict[str, str] = field(default_factory=dict)
    version: str = ""
    sitbreak: bool = False
    default: bool = False


def _dpkg_version(package: str) -> str | None:
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                       text=True, check=False)
    return r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None


def _install(packages: list[str]) -> bool:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    log(f"installing {' '.join(packages)} with apt-get (for the comparison)…")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env,
                       capture_output=True, text=True, check=False, timeout=900)
    if r.returncode != 0:
        log(f"apt-get install failed: {r.stderr.strip()[-400:]}")
    return r.returncode == 0


def _sitbreak_version() -> str:
    from sitbreak import __version__

    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True, check=False)
    commit = r.stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{__version__} ({commit}{'+' if dirty else ''})" if commit else __version__


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _gtk_available() -> bool:
    code = "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          check=False).returncode == 0


def _sni_panel_supported() -> bool:
    return "sni_panel" in inspect.signature(Desktop.__init__).parameters


def sitbreak_modes() -> tuple[list[str], str, dict[str, str]]:
    """The tray modes this checkout has, the one `./sitbreak` sets up here, and why any is
    left out."""
    modes: list[str] = []
    skipped: dict[str, str] = {}
    if _has_module("sitbreak.adapters.tray_sni"):
        if not _sni_panel_supported():
            skipped["sni"] = "tests/desktop.py cannot start an SNI host"
        elif shutil.which("xfce4-panel") is None:
            skipped["sni"] = "xfce4-panel (the StatusNotifierItem host) is not installed"
        else:
            modes.append("sni")
    modes.append("xorg")
    default = modes[0]
    # pystray's GTK backend: no longer what ./sitbreak sets up (only measured when asked for)
    if _gtk_available():
        modes.append("gtk")
    return [*modes, "headless"], default, skipped


def subjects(install: bool) -> tuple[list[Subject], dict[str, str]]:
    modes, default, skipped = sitbreak_modes()
    exe = Path(sys.executable).with_name("sitbreak")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "sitbreak"]
    version = _sitbreak_version()
    out: list[Subject] = []
    for mode in modes:
        env = {"SITBREAK_NO_SAFETY_INTRO": "1"}  # the first-run card would add a Tk process
        if mode == "headless":
            subject = Subject("sitbreak-headless", "sitbreak, headless", [*base, "run", "--headless"],
                              "socket", {"trayer": True}, env)
        else:
            env["SITBREAK_TRAY_BACKEND"] = mode
            session = {"sni_panel": True} if mode == "sni" else {"trayer": True}
            label = {"sni": "sitbreak, SNI tray", "gtk": "sitbreak, GTK tray",
                     "xorg": "sitbreak, xorg tray"}[mode]
            subject = Subject(f"sitbreak-{mode}", label, [*base, "run"],
                              "sni" if mode == "sni" else "xembed", session, env)
        subject.version, subject.sitbreak, subject.default = version, True, mode == default
        if subject.default:
            subject.label += " (what `./sitbreak` sets up)"
        out.append(subject)
    why_not: dict[str, str] = {f"sitbreak-{m}": why for m, why in skipped.items()}
    for name, argv in (("workrave", ["workrave"]), ("safeeyes", ["sh", "-c", "exec safeeyes"])):
        packages = OTHER_PACKAGES[name]
        missing = [p for p in packages if _dpkg_version(p) is None]
        if missing and not (install and _install(missing)):
            why_not[name] = (f"not installed ({' '.join(missing)}); run as root without "
                             "--no-install to have it installed")
            continue
        label = {"workrave": "Workrave", "safeeyes": "Safe Eyes"}[name]
        v = _dpkg_version(name) or "?"
        # Safe Eyes is started through sh so that its instance check (any process with python
        # in argv[0] and "safeeyes" among its arguments) does not match this benchmark
        out.append(Subject(name, f"{label} {v.split('-')[0]}", argv, "xembed",
                           {"trayer": True}, {}, v))
    return out, why_not


def compile_bytecode() -> None:
    """What pip does when it installs a package: byte-compile it. An editable checkout run with
    PYTHONDONTWRITEBYTECODE (as on this machine) would otherwise compile every module at each
    start; Safe Eyes' Debian package ships its bytecode too."""
    import compileall

    import sitbreak

    package = Path(sitbreak.__file__).resolve().parent
    compileall.compile_dir(str(package), quiet=1)
    log(f"byte-compiled {package}")


# ---- the session -------------------------------------------------------------------------------


@contextlib.contextmanager
def session(subject: Subject) -> Iterator[Desktop]:
    with Desktop(system_bus=True, dunst=True, **subject.session) as desk:
        yield desk


def _xlib_connection(desk: Desktop) -> Any:
    from Xlib import display

    saved = os.environ.get("XAUTHORITY")
    os.environ["XAUTHORITY"] = str(desk.xauthority)
    try:
        return display.Display(desk.display)
    finally:
        if saved is None:
            os.environ.pop("XAUTHORITY", None)
        else:
            os.environ["XAUTHORITY"] = saved


def _xembed_docked(desk: Desktop) -> bool:
    from Xlib import X

    d = desk.xlib_display()
    for wid in desk.tray_icons():
        with contextlib.suppress(Exception):
            if d.create_resource_object("window", wid).get_attributes().map_state == X.IsViewable:
                return True
    return False


class ControlSocket:
    """sitbreak's control protocol, spoken directly (no CLI process in the measurements)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def call(self, cmd: str, timeout: float = 5.0) -> dict[str, Any] | None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(str(self.path))
                s.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
                buf = b""
                while not buf.endswith(b"\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        return None
                    buf += chunk
        except OSError:
            return None
        reply: dict[str, Any] = json.loads(buf)
        return reply


class SniWatcher:
    """Reads the StatusNotifierWatcher's registered items on the session's bus (jeepney)."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(address)

    def items(self) -> list[str]:
        from jeepney import DBusAddress, Properties
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        watcher = DBusAddress("/StatusNotifierWatcher", bus_name="org.kde.StatusNotifierWatcher",
                              interface="org.kde.StatusNotifierWatcher")
        msg = Properties(watcher).get("RegisteredStatusNotifierItems")
        try:
            reply = unwrap_msg(self._conn.send_and_get_reply(msg, timeout=2))
        except (DBusErrorResponse, TimeoutError, OSError):
            return []
        return list(reply[0][1])

    def close(self) -> None:
        self._conn.close()


def ready_probe(subject: Subject, desk: Desktop, control: ControlSocket) -> Callable[[], bool]:
    if subject.ready == "socket":
        return lambda: control.call("status", timeout=1.0) is not None
    if subject.ready == "sni":
        watcher = SniWatcher(desk.env["DBUS_SESSION_BUS_ADDRESS"])
        return lambda: bool(watcher.items())
    return lambda: _xembed_docked(desk)


def start(subject: Subject, desk: Desktop, config: str | None = None
          ) -> tuple[subprocess.Popen[bytes], ControlSocket, Path]:
    work = desk.state_dir / "bench"
    work.mkdir(exist_ok=True)
    env = dict(desk.env, **subject.env)
    control = ControlSocket(work / "run" / "control.sock")
    if subject.sitbreak:
        env["SITBREAK_RUNTIME_DIR"] = str(work / "run")
        if config is not None:
            (work / "sitbreak.toml").write_text(config)
            env["SITBREAK_CONFIG"] = str(work / "sitbreak.toml")
    out = work / f"{subject.key}.out"
    with out.open("ab") as sink:
        proc = subprocess.Popen(subject.argv, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                stderr=subprocess.STDOUT, start_new_session=True)
    return proc, control, out


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


# ---- input -------------------------------------------------------------------------------------


def feed_input(desk: Desktop, seconds: float, rate: int) -> dict[str, float]:
    """``rate`` pointer moves per second plus a Shift tap every 200 ms for ``seconds``, from
    one `xdotool -` process fed each line at its own deadline."""
    xd = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, env=desk.env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert xd.stdin is not None
    n = int(seconds * rate)
    per_key = max(1, round(rate * KEY_EVERY_S))
    t0 = time.monotonic()
    sent = keys = 0
    try:
        while sent < n:
            due = t0 + sent / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            lines = []
            # write every line that is due (catching up after a late wake-up)
            while sent < n and t0 + sent / rate <= time.monotonic():
                x = 200 + (sent * 7) % 800
                y = 200 + (sent // 114 % 2) * 40
                lines.append(f"mousemove {x} {y}\n")
                sent += 1
                if sent % per_key == 0:
                    lines.append("key shift\n")
                    keys += 1
            xd.stdin.write("".join(lines).encode())
            xd.stdin.flush()
        took = time.monotonic() - t0
    finally:
        xd.stdin.close()
        xd.wait(30)
    return {"moves": sent, "keys": keys, "seconds": took, "moves_per_s": sent / took}


class Presence:
    """Keeps the user at the keyboard: a Shift tap every second (the nudge latency session)."""

    def __init__(self, desk: Desktop) -> None:
        self._xd = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, env=desk.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._xd.stdin is not None
        while not self._stop.wait(1.0):
            with contextlib.suppress(OSError):
                self._xd.stdin.write(b"key shift\n")
                self._xd.stdin.flush()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        assert self._xd.stdin is not None
        with contextlib.suppress(OSError):
            self._xd.stdin.close()
        self._xd.wait(10)


# ---- one measured run --------------------------------------------------------------------------


@dataclass
class Settings:
    warmup: float
    window: float
    rates: list[int]
    strace_s: float


def measure(subject: Subject, cfg: Settings, *, wakeups: bool) -> dict[str, Any]:
    with session(subject) as desk:
        t0 = time.monotonic()
        proc, control, out = start(subject, desk)
        probe = ready_probe(subject, desk, control)
        ready_s: float | None = None
        ready_cpu: float | None = None
        while time.monotonic() - t0 < max(30.0, cfg.warmup):
            if proc.poll() is not None:
                raise RuntimeError(f"{subject.key} exited with {proc.returncode}: "
                                   f"{out.read_text(errors='replace')[-800:]}")
            if probe():
                ready_s = time.monotonic() - t0
                ready_cpu = proc_tree.read(proc.pid, memory=False).cpu_s
                break
            time.sleep(0.02)
        if ready_s is None:
            log(f"  {subject.key}: never docked/ready within 30 s")
        try:
            time.sleep(max(0.0, t0 + cfg.warmup - time.monotonic()))
            warm = proc_tree.read(proc.pid)
            result: dict[str, Any] = {
                "ready_s": ready_s,
                "ready_cpu_s": ready_cpu,
                "startup_cpu_s": warm.cpu_s,
                "after_warmup": _memory(warm),
            }
            time.sleep(cfg.window)
            idle = proc_tree.read(proc.pid)
            span = cfg.window
            result["idle"] = {
                "cpu_s_per_60s": proc_tree.cpu_between(warm, idle) * 60 / span,
                "ctx_per_min": (idle.ctx - warm.ctx) * 60 / span,
                "ctx_per_min_by_thread": _per_thread(warm, idle, span),
                **_memory(idle),
            }
            last = idle
            xvfb = desk.pids["Xvfb"]
            for rate in cfg.rates:
                x0 = proc_tree.read(xvfb, memory=False)
                sent = feed_input(desk, cfg.window, rate)
                now = proc_tree.read(proc.pid)
                x1 = proc_tree.read(xvfb, memory=False)
                result[f"input_{rate}"] = {
                    "cpu_s_per_60s": proc_tree.cpu_between(last, now) * 60 / sent["seconds"],
                    "ctx_per_min": (now.ctx - last.ctx) * 60 / sent["seconds"],
                    "xvfb_cpu_s_per_60s": proc_tree.cpu_between(x0, x1) * 60 / sent["seconds"],
                    **sent,
                    **_memory(now),
                }
                last = now
            if wakeups and cfg.strace_s > 0:
                time.sleep(3.0)  # the input's aftermath (an idle reading, a tray redraw)
                result["wakeups"] = strace_wakeups(proc.pid, cfg.strace_s)
            result["threads"] = last.threads
            result["processes"] = last.processes
        finally:
            stop(proc)
    return result


def _memory(r: proc_tree.Reading) -> dict[str, float]:
    return {"rss_mib": r.rss_kib / 1024, "pss_mib": r.pss_kib / 1024}


def _per_thread(a: proc_tree.Reading, b: proc_tree.Reading, span: float) -> list[float]:
    rates = [(b.switches_by_thread[t] - a.switches_by_thread.get(t, 0)) * 60 / span
             for t in b.switches_by_thread]
    return sorted((round(r, 1) for r in rates), reverse=True)


_STRACE_LINE = re.compile(r"^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()")


def strace_wakeups(pid: int, seconds: float) -> dict[str, Any]:
    """Which threads return from a blocking wait while idle, and in which call: strace -f on
    every thread for ``seconds``. A wait that returns is a wake-up."""
    if shutil.which("strace") is None:
        return {"error": "strace not installed (Debian: strace)"}
    names: dict[int, str] = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError):
            names[int(task)] = Path(f"/proc/{pid}/task/{task}/comm").read_text().strip()
    out = Path(f"/tmp/sitbreak-bench-strace-{pid}.txt")
    cmd = ["strace", "-f", "-qq", "-e", "trace=" + ",".join(WAIT_SYSCALLS), "-o", str(out),
           "-p", str(pid)]
    tracer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(seconds)
    tracer.send_signal(signal.SIGINT)
    try:
        tracer.wait(10)
    except subprocess.TimeoutExpired:
        tracer.kill()
        tracer.wait()
    calls: dict[str, int] = {}
    lines = out.read_text(errors="replace").splitlines() if out.exists() else []
    out.unlink(missing_ok=True)
    # a wait call that completes = one wake-up of that thread
    for line in lines:
        m = _STRACE_LINE.match(line)
        if not m:
            continue
        tid, resumed, started = int(m.group(1)), m.group(2), m.group(3)
        name = resumed or started
        if name not in WAIT_SYSCALLS:
            continue
        if started and "<unfinished ...>" in line:
            continue  # counted when it resumes
        key = f"{tid} ({names.get(tid, '?')}) {name}"
        calls[key] = calls.get(key, 0) + 1
    per_min = {k: round(v * 60 / seconds, 1) for k, v in sorted(calls.items(),
                                                                 key=lambda kv: -kv[1])}
    return {"seconds": seconds, "total_per_min": round(sum(calls.values()) * 60 / seconds, 1),
            "per_thread_call_per_min": per_min}


# ---- latency -----------------------------------------------------------------------------------


@dataclass
class BusMessage:
    kind: str  # mc (method call), mr (method return), sig, err
    time: float  # when dbus-monitor got it (wall clock)
    serial: str
    sender: str
    destination: str
    member: str = ""  # calls and signals
    reply_serial: str = ""  # returns and errors


class BusMonitor:
    """``dbus-monitor --profile`` on the session bus: one line per message, with the time the
    monitor got it."""

    def __init__(self, desk: Desktop) -> None:
        self.messages: queue.Queue[BusMessage] = queue.Queue()
        self.seen: list[BusMessage] = []
        self._proc = subprocess.Popen(["dbus-monitor", "--session", "--profile"], env=desk.env,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            f = line.rstrip("\n").split("\t")
            if len(f) < 6 or f[0] not in ("mc", "mr", "sig", "err"):
                continue
            with contextlib.suppress(ValueError):
                msg = BusMessage(f[0], float(f[1]), f[2], f[3], f[4])
                if f[0] in ("mc", "sig") and len(f) >= 8:
                    msg.member = f[7]
                else:
                    msg.reply_serial = f[5]
                self.messages.put(msg)

    def wait_for(self, pred: Callable[[BusMessage], bool], timeout: float) -> BusMessage:
        """The first message (seen or arriving) for which ``pred`` holds."""
        for msg in self.seen:
            if pred(msg):
                return msg
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no such message on the bus")
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(msg)
            if pred(msg):
                return msg

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(5)


class MapWatch:
    """Every window mapped on the display, with the time the X server told us, from a thread
    with its own X connection (SubstructureNotify on the root)."""

    def __init__(self, desk: Desktop) -> None:
        from Xlib import X

        self._d = _xlib_connection(desk)
        self._d.screen().root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self._d.sync()
        self.mapped: queue.Queue[tuple[float, str]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from Xlib import X

        while True:
            try:
                ev = self._d.next_event()
            except Exception:
                return
            if ev.type != X.MapNotify:
                continue
            at = time.time()
            try:
                cls = ev.window.get_wm_class() or ("", "")
            except Exception:
                cls = ("", "")
            self.mapped.put((at, cls[1]))

    def wait_for(self, wm_class: str, after: float, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {wm_class} window mapped")
            try:
                at, cls = self.mapped.get(timeout=left)
            except queue.Empty:
                continue
            if cls.lower() == wm_class.lower() and at >= after:  # Tk's wrapper: Sitbreakcard
                return at


def _notify_after(after: float) -> Callable[[BusMessage], bool]:
    """A Notify call (only sitbreak sends them in its session)."""
    return lambda m: m.kind == "mc" and m.member == "Notify" and m.time >= after


def _return_of(call: BusMessage) -> Callable[[BusMessage], bool]:
    return lambda m: (m.kind in ("mr", "err") and m.reply_serial == call.serial
                      and m.destination == call.sender)


def latency(subject: Subject, samples: int, deadlines: int) -> dict[str, Any]:
    """Nudge → notification server, and click → card window mapped, in one session."""
    with session(subject) as desk:
        monitor = BusMonitor(desk)
        maps = MapWatch(desk)
        presence = Presence(desk)
        proc, control, out = start(subject, desk, LATENCY_CONFIG)
        try:
            for _ in range(600):
                if control.call("status", timeout=1.0) is not None:
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"sitbreak exited: {out.read_text()[-800:]}")
                time.sleep(0.05)
            time.sleep(2.0)  # notifier connected, first idle reading done
            now_to_server: list[float] = []
            click_to_card: list[float] = []
            failures: list[str] = []
            while len(click_to_card) < samples and len(failures) < samples:
                try:
                    desk.dunst_close_all()
                    desk.wait_until(lambda: desk.dunst_displayed_count() == 0, 5)
                    t0 = time.time()
                    control.call("stretch-now")
                    call = monitor.wait_for(_notify_after(t0), 10)
                    answered = monitor.wait_for(_return_of(call), 10)
                    now_to_server.append(answered.time - t0)
                    click_to_card.append(_click_to_card(desk, monitor, maps))
                except (TimeoutError, OSError, RuntimeError) as exc:  # DesktopError too
                    failures.append(str(exc))
                    log(f"  latency sample failed: {exc}")
            deadline_to_server: list[float] = []
            for _ in range(deadlines + 2):  # a dropped sample gets another try
                if len(deadline_to_server) >= deadlines:
                    break
                sample = _deadline_nudge(desk, monitor, control)
                if sample is not None:
                    deadline_to_server.append(sample)
        finally:
            stop(proc)
            presence.close()
            monitor.close()
    return {
        "failures": failures,
        "stretch_now_to_server_s": _spread(now_to_server),
        "deadline_to_server_s": _spread(deadline_to_server),
        "click_to_card_mapped_s": _spread(click_to_card),
    }


def _action_invoked_after(after: float) -> Callable[[BusMessage], bool]:
    return lambda m: m.kind == "sig" and m.member == "ActionInvoked" and m.time >= after


def _click_to_card(desk: Desktop, monitor: BusMonitor, maps: MapWatch) -> float:
    """A real left click on the bubble (the fixture's dunst fires the default action); timed
    from dunst's ActionInvoked on the bus to the card's window being mapped. Then Escape
    closes the card. A click that dunst did not take (the bubble still being placed) is
    clicked again."""
    for _attempt in range(3):
        bubble = desk.wait_until(desk.dunst_windows, 5)[0]
        t_click = time.time()
        desk.click_window(bubble)
        try:
            invoked = monitor.wait_for(_action_invoked_after(t_click - 0.01), 3)
            break
        except TimeoutError:
            continue
    else:
        raise TimeoutError("dunst did not report the click on the bubble")
    mapped = maps.wait_for("SitbreakCard", invoked.time, 15)
    card = desk.wait_for_window(class_="^SitbreakCard$", visible_only=True, timeout=10)
    desk.xdotool("windowfocus", "--sync", card)
    desk.key("Escape")
    desk.wait_until(lambda: not desk.search_windows(class_="^SitbreakCard$", visible_only=True),
                    10)
    return mapped - invoked.time


def _deadline_nudge(desk: Desktop, monitor: BusMonitor, control: ControlSocket) -> float | None:
    """The engine's own deadline: the due time from the status (0.1 s resolution), the
    Notify answered by dunst. None when the due time moved meanwhile (a break was recorded:
    the idle counter shows only the latest input, so the engine may take a reading right on
    its away deadline for one)."""
    desk.dunst_close_all()
    t_a = time.time()
    reply = control.call("status")
    t_b = time.time()
    st = (reply or {}).get("status", {})
    if st.get("next_nudge_in_s") is None:
        return None
    due_in = float(st["next_nudge_in_s"])
    due = (t_a + t_b) / 2 + due_in
    try:
        call = monitor.wait_for(_notify_after(due - 1.0), due_in + 30)
        answered = monitor.wait_for(_return_of(call), 10)
    except TimeoutError:
        return None
    after = (control.call("status") or {}).get("status", {})
    if after.get("breaks") != st.get("breaks"):
        log("  a break was recorded before the nudge: sample dropped")
        return None
    return answered.time - due


def _spread(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": statistics.median(values), "max": max(values),
            "min": min(values), "values": [round(v, 4) for v in values]}


# ---- report ------------------------------------------------------------------------------------

COLUMNS: list[tuple[str, str, Callable[[dict[str, Any]], float | None]]] = [
    ("RSS MiB", "{:.1f}", lambda r: r["idle"]["rss_mib"]),
    ("PSS MiB", "{:.1f}", lambda r: r["idle"]["pss_mib"]),
    ("CPU s/60 s idle", "{:.3f}", lambda r: r["idle"]["cpu_s_per_60s"]),
    ("CPU s/60 s at 100 ev/s", "{:.3f}", lambda r: r.get("input_100", {}).get("cpu_s_per_60s")),
    ("at 500 ev/s", "{:.3f}", lambda r: r.get("input_500", {}).get("cpu_s_per_60s")),
    ("ctx switches/min idle", "{:.0f}", lambda r: r["idle"]["ctx_per_min"]),
    ("startup CPU s", "{:.2f}", lambda r: r["startup_cpu_s"]),
    ("tray docked s", "{:.2f}", lambda r: r["ready_s"]),
]


def medians(runs: list[dict[str, Any]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, _fmt, get in COLUMNS:
        values = [v for v in (get(r) for r in runs) if v is not None]
        out[name] = statistics.median(values) if values else None
    return out


def table(results: dict[str, Any], order: list[Subject]) -> str:
    head = "| program | " + " | ".join(c[0] for c in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for s in order:
        med = results[s.key]["median"]
        cells = [fmt.format(med[name]) if med[name] is not None else "–"
                 for name, fmt, _get in COLUMNS]
        lines.append(f"| {s.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratio_table(results: dict[str, Any], order: list[Subject], base: str = "workrave") -> str:
    if base not in results:
        return "(no Workrave run: no ratios)"
    ref = results[base]["median"]
    lines = ["| program (× Workrave) | " + " | ".join(c[0] for c in COLUMNS) + " |",
             "|" + "---|" * (len(COLUMNS) + 1)]
    for s in order:
        med = results[s.key]["median"]
        cells = []
        for name, _fmt, _get in COLUMNS:
            a, b = med[name], ref[name]
            cells.append(f"{a / b:.2f}" if a is not None and b else "–")
        lines.append(f"| {s.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    debian = ""
    with contextlib.suppress(OSError):
        debian = Path("/etc/debian_version").read_text().strip()
    return {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cpu": cpu,
            "cores": str(os.cpu_count()), "kernel": platform.release(),
            "debian": debian, "python": platform.python_version(),
            "load_before": " ".join(Path("/proc/loadavg").read_text().split()[:3])}


def targets(default: dict[str, Any], lat: dict[str, Any] | None) -> list[str]:
    """The issue's targets for the default desktop mode: met or missed, by how much."""
    med = default["median"]
    checks: list[tuple[str, float | None, float]] = [
        ("RSS MiB", med["RSS MiB"], 40.0),
        ("PSS MiB", med["PSS MiB"], 32.0),
        ("CPU s/60 s idle", med["CPU s/60 s idle"], 0.008),
        ("CPU s/60 s at 100 ev/s", med["CPU s/60 s at 100 ev/s"], 0.028),
        ("CPU s/60 s at 500 ev/s", med["at 500 ev/s"], 0.028),
        ("ctx switches/min idle", med["ctx switches/min idle"], 15.0),
        ("startup CPU s", med["startup CPU s"], 0.2),
        ("tray docked s", med["tray docked s"], 0.5),
    ]
    if lat:
        for key, name in (("stretch_now_to_server_s", "nudge → server (stretch-now) s"),
                          ("deadline_to_server_s", "nudge due → server (deadline) s"),
                          ("click_to_card_mapped_s", "click → card mapped s")):
            spread = lat.get(key, {})
            checks.append((name + " median", spread.get("median"), 1.0))
            checks.append((name + " max", spread.get("max"), 1.0))
    out = []
    for name, value, limit in checks:
        if value is None:
            out.append(f"  {name}: not measured (target ≤ {limit:g})")
            continue
        verdict = "met" if value <= limit else f"MISSED by {value - limit:.3g} ({value / limit:.2f}×)"
        out.append(f"  {name}: {value:.3g} (target ≤ {limit:g}) {verdict}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=10.0)
    ap.add_argument("--window", type=float, default=60.0, help="seconds idle and per input rate")
    ap.add_argument("--rates", default="100,500", help="input events per second, comma-separated")
    ap.add_argument("--strace", type=float, default=30.0,
                    help="seconds of strace while idle (first run of each sitbreak mode; 0: none)")
    ap.add_argument("--latency-samples", type=int, default=10)
    ap.add_argument("--deadline-samples", type=int, default=10)
    ap.add_argument("--only", default="", help="comma-separated keys (sitbreak-xorg, workrave, …)")
    ap.add_argument("--quick", action="store_true",
                    help="short settings for bench/all: 1 run, 20 s windows, the default mode and "
                    "the two others only")
    ap.add_argument("--no-install", action="store_true",
                    help="skip Workrave/Safe Eyes when missing instead of apt-get installing them")
    ap.add_argument("--json", type=Path, default=None,
                    help="where to write the figures (default bench/out/footprint-DATE.json)")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.warmup, args.window, args.strace = 1, 8.0, 20.0, 10.0
        args.deadline_samples = 1

    info = machine()
    found, skipped = subjects(install=not args.no_install)
    default = next(s for s in found if s.default)
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    if args.quick and not only:
        only = {default.key, "workrave", "safeeyes"}
    # the GTK tray is measured only when named (./sitbreak no longer sets it up)
    chosen = [s for s in found if s.key in only or (not only and s.key != "sitbreak-gtk")]
    compile_bytecode()
    for key, why in skipped.items():
        log(f"skipped {key}: {why}")
    rates = [int(r) for r in args.rates.split(",") if r.strip()]
    cfg = Settings(args.warmup, args.window, rates, args.strace)
    log(f"footprint: {', '.join(s.key for s in chosen)}; {args.runs} run(s), warm-up "
        f"{cfg.warmup:g} s, windows {cfg.window:g} s, rates {rates}")

    runs: dict[str, list[dict[str, Any]]] = {s.key: [] for s in chosen}
    for i in range(args.runs):
        for s in chosen:  # interleaved: the machine's noise spreads over every program
            log(f"run {i + 1}/{args.runs}: {s.key}")
            try:
                runs[s.key].append(measure(s, cfg, wakeups=(i == 0)))
            except Exception as exc:
                log(f"  {s.key} failed: {exc}")
    results: dict[str, Any] = {}
    for s in chosen:
        if runs[s.key]:
            results[s.key] = {"label": s.label, "version": s.version, "runs": runs[s.key],
                              "median": medians(runs[s.key]), "default": s.default}
    measured = [s for s in chosen if s.key in results]

    lat: dict[str, Any] | None = None
    if default in chosen and args.latency_samples > 0:
        log(f"latency: {default.key}, {args.latency_samples} nudges and clicks, "
            f"{args.deadline_samples} deadline nudge(s)")
        try:
            lat = latency(default, args.latency_samples, args.deadline_samples)
        except Exception as exc:
            log(f"  latency failed: {exc}")

    print(f"# Footprint, {info['date']}: {info['cpu']} ({info['cores']} cores), Debian "
          f"{info['debian']}, kernel {info['kernel']}, Python {info['python']}, load "
          f"{info['load_before']} at the start")
    print(f"{args.runs} run(s) per program, medians; warm-up {cfg.warmup:g} s, idle and input "
          f"windows {cfg.window:g} s; input: pointer moves at the rate plus a Shift tap every "
          f"{KEY_EVERY_S * 1000:.0f} ms")
    print("versions: " + "; ".join(f"{s.label}: {s.version}" for s in measured))
    print()
    print(table(results, measured))
    print()
    print(ratio_table(results, measured))
    for s in measured:
        wake = results[s.key]["runs"][0].get("wakeups")
        if wake:
            print(f"\nwake-ups while idle, {s.label} (strace {wake.get('seconds', 0):g} s; "
                  f"returns from blocking waits per minute, by thread and call): "
                  f"{wake.get('total_per_min', wake.get('error'))}")
            for k, v in list(wake.get("per_thread_call_per_min", {}).items())[:12]:
                print(f"  {v:7.1f}  {k}")
    if lat:
        print(f"\nlatency ({default.label}):")
        for key, what in (("stretch_now_to_server_s", "stretch-now request → dunst has the nudge"),
                          ("deadline_to_server_s", "nudge due (engine deadline) → dunst has it"),
                          ("click_to_card_mapped_s", "click on the nudge → card window mapped")):
            sp = lat[key]
            if sp["n"]:
                print(f"  {what}: median {sp['median'] * 1000:.0f} ms, max {sp['max'] * 1000:.0f} "
                      f"ms (n={sp['n']})")
            else:
                print(f"  {what}: no sample")
    if default.key in results:
        print(f"\ntargets ({default.label}):")
        print("\n".join(targets(results[default.key], lat)))
    for key, why in skipped.items():
        print(f"skipped {key}: {why}")

    path = args.json or ROOT / "bench" / "out" / f"footprint-{dt.datetime.now():%Y%m%d-%H%M}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": info, "settings": vars(cfg), "runs": args.runs,
                                "results": results, "latency": lat, "skipped": skipped},
                               indent=1, default=str))
    log(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
