"""A real, throw-away headless desktop for tests: Xvfb, private D-Bus buses, dunst, trayer, or
xfce4-panel as a StatusNotifierItem host.

Usage::

    with Desktop(dunst=True, trayer=True, system_bus=True) as d:
        subprocess.run(["notify-send", "hi"], env=d.env, check=True)
        d.wait_until(lambda: d.dunst_displayed_count() == 1)

Everything runs on a random free display with a private X cookie, on private buses, with HOME and
the XDG directories inside a temporary state directory, so tests never touch the user's session.
stop() signals only the processes this object started (checked by PID, name and start time).
Logs go to files in the state directory; failures quote their tail.

python-xlib is optional: with it, tray readiness, idle time and tray icons are read directly from
the X server; without it, command-line tools stand in (xwininfo, xprintidle).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

SCREEN = "1280x800x24"
DISPLAY_RANGE = range(100, 900)
STOP_GRACE_S = 3.0

# Debian packages for each tool, for the "not installed" messages.
PACKAGES = {
    "Xvfb": "xvfb",
    "xauth": "xauth",
    "mcookie": "util-linux",
    "xdpyinfo": "x11-utils",
    "xwininfo": "x11-utils",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "notify-send": "libnotify-bin",
    "trayer": "trayer",
    "xfce4-panel": "xfce4-panel",
    "import": "imagemagick",
}

DUNSTRC = """\
[global]
    origin = top-right
    offset = 10x40
    width = 300
    font = Monospace 9
    # left click on a bubble fires its "default" action (clients' on_clicked)
    mouse_left_click = do_action, close_current
    mouse_middle_click = close_current
    mouse_right_click = close_all
    history_length = 50
    sticky_history = yes
    # never freeze timeouts because the (synthetic) user looks idle
    idle_threshold = 0
    dmenu = {dmenu}
    browser = /bin/false
[urgency_low]
    timeout = 30
[urgency_normal]
    timeout = 30
[urgency_critical]
    timeout = 0
"""

# xfce4-panel with one panel along the top holding only its "Status Tray" plugin, which is a
# StatusNotifierWatcher and host (menus through libdbusmenu-gtk3) and an XEmbed tray. configver
# 2 skips its first-start "default or empty panel?" dialog.
PANEL_HEIGHT = 32
XFCE_PANEL_XML = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="{PANEL_HEIGHT}"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
"""
SNI_WATCHER = "org.kde.StatusNotifierWatcher"

# dunst starts dmenu itself, so the stand-in sees dunst's environment (DMENU_PICK_FILE), not
# dunstctl's. It records the menu it was shown and its answer for dunst_pick_context().
FAKE_DMENU = """\
#!/bin/sh
menu=$(cat)
pick=$(cat "$DMENU_PICK_FILE" 2>/dev/null || echo ',default]$')
answer=$(printf '%s\\n' "$menu" | grep -m1 -E -- "$pick")
rc=$?
{{ printf '%s\\n' "$menu" > "{state}/dmenu-last-menu.txt"; }} 2>/dev/null
printf '%s\\n' "$answer" > "{state}/dmenu-last-answer.txt.tmp"
mv -f "{state}/dmenu-last-answer.txt.tmp" "{state}/dmenu-last-answer.txt"
[ $rc -eq 0 ] && printf '%s\\n' "$answer"
exit $rc
"""


# Xvfb messages meaning "this display number is taken": worth trying the next one
_XVFB_RETRY = re.compile(r"already active|Cannot establish any listening sockets|in use|lock",
                         re.IGNORECASE)


class DesktopError(RuntimeError):
    """A desktop component could not be started or queried."""


def missing_tools(*, bus: bool = True, dunst: bool = True, trayer: bool = True,
                  sni_panel: bool = False) -> list[str]:
    """Names of the command-line tools (with their Debian package) that are not installed."""
    need = ["Xvfb", "xauth", "xdpyinfo", "xdotool"]
    if bus or dunst or sni_panel:
        need += ["dbus-daemon", "dbus-send"]
    if dunst:
        need += ["dunst", "dunstctl"]
    if trayer:
        need += ["trayer"]
    if sni_panel:
        need += ["xfce4-panel"]
    return [f"{t} ({PACKAGES[t]})" for t in need if shutil.which(t) is None]


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str | None = None,
) -> T:
    """Poll predicate until it returns something truthy and return that; TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            what = message or getattr(predicate, "__name__", "condition")
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


# ---- /proc helpers ---------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (field 3 onwards), None if gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()


def _alive(pid: int) -> bool:
    """Running and not a zombie waiting to be reaped."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X", "x")


def _start_time(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


def _exe_names(pid: int) -> set[str]:
    names: set[str] = set()
    with contextlib.suppress(OSError, IndexError):
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        names.add(os.path.basename(argv0))
    with contextlib.suppress(OSError):
        exe = os.readlink(f"/proc/{pid}/exe").removesuffix(" (deleted)")
        names.add(os.path.basename(exe))
    return names


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _descendants(pid: int) -> list[int]:
    tree = _children_map()
    out: list[int] = []
    todo = list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(tree.get(child, []))
    return out


def _activated_by(bus_address: str) -> list[int]:
    """Processes a bus started by D-Bus activation (they carry its DBUS_STARTER_ADDRESS).

    The daemon's helper double-forks, so they are not its descendants; the bus GUID in the
    inherited variable identifies them (and their children) exactly.
    """
    m = re.search(r"guid=([0-9a-fA-F]+)", bus_address)
    if not m:
        return []
    needle = b"DBUS_STARTER_ADDRESS="
    guid = m.group(1).encode()
    me = os.getpid()
    found: list[int] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            environ = Path(f"/proc/{entry.name}/environ").read_bytes()
        except OSError:
            continue
        for var in environ.split(b"\0"):
            if var.startswith(needle) and guid in var:
                found.append(int(entry.name))
                break
    return found


def _display_busy(n: int) -> bool:
    """Is another X server listening on display n, or holding its lock file?"""
    try:
        unix = Path("/proc/net/unix").read_text()
    except OSError:
        unix = ""
    if re.search(rf"[.]X11-unix/X{n}$", unix, re.MULTILINE):
        return True
    try:
        owner = int(Path(f"/tmp/.X{n}-lock").read_text().strip())
    except (OSError, ValueError):
        return False
    # a stale lock of a dead server is no obstacle: Xvfb replaces it
    return _alive(owner)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else f"({path} is empty)"


# python-xlib reads the cookie file from os.environ["XAUTHORITY"] while connecting; swap it in
# under a lock rather than changing the test process's environment for good.
_XAUTH_LOCK = threading.Lock()


@dataclass
class _Proc:
    name: str | None  # expected executable basename (None: start time alone identifies it)
    pid: int
    start_time: int | None
    log: Path | None
    popen: subprocess.Popen[bytes] | None = None
    label: str = ""  # role: "Xvfb", "session-bus", ..., or a spawn() name

    def ours(self) -> bool:
        """Still the process we started (not a reused PID) and not yet dead."""
        if self.popen is not None and self.popen.poll() is not None:
            return False
        if not _alive(self.pid):
            return False
        if self.start_time is not None and _start_time(self.pid) != self.start_time:
            return False
        return self.name is None or self.name in _exe_names(self.pid)

    def wait_dead(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.ours():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _stop_pids(pids: Iterable[int]) -> None:
    """TERM, then KILL after the grace time; for processes found (not started) by us."""
    live = [(p, _start_time(p)) for p in pids if p != os.getpid() and _alive(p)]
    for p, _ in live:
        _signal(p, signal.SIGTERM)

    def remaining() -> list[int]:
        return [p for p, st in live if _alive(p) and _start_time(p) == st]

    deadline = time.monotonic() + STOP_GRACE_S
    while remaining() and time.monotonic() < deadline:
        time.sleep(0.02)
    for p in remaining():
        _signal(p, signal.SIGKILL)


def _stop_proc(proc: _Proc) -> None:
    if not proc.ours():
        if proc.popen is not None:
            proc.popen.poll()
        return
    # children (dunst's dmenu, a spawned program's helpers) are ours too; snapshot them before
    # the parent dies and they are re-parented
    kids = [(k, _start_time(k)) for k in _descendants(proc.pid)]
    _signal(proc.pid, signal.SIGTERM)
    if not proc.wait_dead(STOP_GRACE_S):
        _signal(proc.pid, signal.SIGKILL)
        proc.wait_dead(1.0)
    if proc.popen is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(1.0)
    _stop_pids(k for k, st in kids if _start_time(k) == st)


# stop order: programs under test, then the desktop from the top down
_STOP_ORDER = ("trayer", "xfce4-panel", "dunst", "session-bus", "system-bus", "Xvfb")
_STATE_PREFIX = "sitbreak-desktop-"


def _stop_all(procs: Sequence[_Proc], bus_addresses: Mapping[str, str | None]) -> None:
    rank = {name: i for i, name in enumerate(_STOP_ORDER)}
    ordered = sorted(enumerate(procs), key=lambda ip: (rank.get(ip[1].label, -1), -ip[0]))
    for _, proc in ordered:
        address = bus_addresses.get(proc.label)
        if address:
            # services the bus started on demand go before the bus itself
            _stop_pids(_activated_by(address))
        _stop_proc(proc)


def _stop_recorded(state_dir: Path) -> bool:
    """Stop the processes a Desktop recorded in <state_dir>/state.json, unless already done.

    Same PID, name and start-time checks as stop(). Returns whether anything was to stop.
    """
    state_file = state_dir / "state.json"
    try:
        state = json.loads(state_file.read_text())
        if state.get("stopped"):
            return False
        procs = [_Proc(name, pid, start, None, label=label)
                 for label, name, pid, start in state["procs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    _stop_all(procs, state.get("buses", {}))
    if state.get("keep"):
        state["stopped"] = True
        with contextlib.suppress(OSError):
            state_file.write_text(json.dumps(state))
    else:
        shutil.rmtree(state_dir, ignore_errors=True)
    return True


def _watch(state_dir: Path) -> None:
    """Watchdog body: when the owning process goes away without stop(), stop its desktop.

    The owner holds the write end of our stdin; EOF means it closed it (stop()) or died, even
    by SIGKILL, so a killed test run leaves no Xvfb, buses, dunst or trayer behind.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdin.buffer.read()
    _stop_recorded(state_dir)


# strong references: a started Desktop nobody holds any more must still be stopped at exit
_RUNNING: set[Desktop] = set()


@atexit.register
def _stop_leftovers() -> None:
    for desktop in list(_RUNNING):
        with contextlib.suppress(Exception):
            desktop.stop()


class Desktop:
    """A headless desktop; start() brings up the requested parts, stop() ends exactly those.

    Xvfb always runs; a session bus runs unless session_bus=False (dunst needs it); the rest
    only on request. Starting is all-or-nothing: a failed step stops what already runs and
    raises DesktopError quoting the log tail (the logs are then kept).

    screen: Xvfb's WxHxD. display_start: first display number to try (default random in
    100..899). state_dir: where logs, cookie, HOME and XDG dirs go (default a new temp dir,
    removed by stop() unless keep_logs or SITBREAK_KEEP_DESKTOP_LOGS=1). dunstrc: replacement
    dunstrc text; "{dmenu}" in it becomes the stand-in dmenu's path.
    """

    def __init__(
        self,
        *,
        session_bus: bool = True,
        system_bus: bool = False,
        dunst: bool = False,
        trayer: bool = False,
        sni_panel: bool = False,
        screen: str = SCREEN,
        display_start: int | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        keep_logs: bool | None = None,
        dunstrc: str | None = None,
    ) -> None:
        if trayer and sni_panel:
            raise DesktopError("trayer and xfce4-panel would both claim the XEmbed tray")
        self.want_session_bus = session_bus or dunst or sni_panel
        self.want_sni_panel = sni_panel
        self.want_system_bus = system_bus
        self.want_dunst = dunst
        self.want_trayer = trayer
        self.screen = screen
        self.display_start = display_start
        # default from the environment, so scripts and benches honour it too
        self.keep_logs = (keep_logs if keep_logs is not None
                          else os.environ.get("SITBREAK_KEEP_DESKTOP_LOGS") == "1")
        self._dunstrc_text = dunstrc
        self._own_state_dir = state_dir is None
        self._state_dir_arg = Path(state_dir) if state_dir is not None else None
        self.state_dir = Path()
        self.display_number = -1
        self.xauthority: Path | None = None
        self.session_bus_address: str | None = None
        self.system_bus_address: str | None = None
        self._procs: dict[str, _Proc] = {}
        self._spawned: list[_Proc] = []
        # every PID ever started here, kept after stop() so tests can check they are gone
        self.started_pids: list[int] = []
        self._xlib_display: Any = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._started = False

    # ---- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Desktop:
        if self._started:
            raise DesktopError("this Desktop was already started")
        missing = missing_tools(bus=self.want_session_bus or self.want_system_bus,
                                dunst=self.want_dunst, trayer=self.want_trayer,
                                sni_panel=self.want_sni_panel)
        if missing:
            raise DesktopError("not installed: " + ", ".join(missing))
        self._started = True
        if self._state_dir_arg is None:
            self.state_dir = Path(tempfile.mkdtemp(prefix=_STATE_PREFIX))
        else:
            self.state_dir = self._state_dir_arg
            self.state_dir.mkdir(parents=True, exist_ok=True)
        _RUNNING.add(self)
        try:
            self._start_watchdog()
            self._make_dirs()
            self._start_xvfb()
            if self.want_session_bus:
                self.session_bus_address = self._start_bus("session-bus")
            if self.want_system_bus:
                self.system_bus_address = self._start_bus("system-bus")
            # dunst and trayer are independent: start both, then wait for both
            if self.want_dunst:
                self._launch_dunst()
            if self.want_trayer:
                self._launch_trayer()
            if self.want_sni_panel:
                self._launch_sni_panel()
            if self.want_dunst:
                self._await_ready("dunst", self._dunst_ready, 10.0)
            if self.want_trayer:
                self._await_ready("trayer", self._tray_ready, 10.0)
                if not self._have_xlib():
                    time.sleep(0.3)  # only saw the panel window; let it claim the selection
            if self.want_sni_panel:
                self._await_ready("xfce4-panel", self._sni_host_ready, 15.0)
        except BaseException:
            # the error message quotes log files: keep them
            self.keep_logs = True
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop what start() and spawn() started (newest first) and remove the state dir."""
        if self._xlib_display is not None:
            with contextlib.suppress(Exception):
                self._xlib_display.close()
            self._xlib_display = None
        _stop_all([*self._procs.values(), *self._spawned], self._bus_addresses())
        self._spawned.clear()
        self._procs.clear()
        _RUNNING.discard(self)
        if self._started:
            if self._own_state_dir and not self.keep_logs:
                shutil.rmtree(self.state_dir, ignore_errors=True)
            else:
                self._save_state(stopped=True)
        self._end_watchdog()
        self._started = False

    def _start_watchdog(self) -> None:
        self._watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--watch",
             str(self.state_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _end_watchdog(self) -> None:
        dog, self._watchdog = self._watchdog, None
        if dog is None:
            return
        # EOF on its stdin: it finds the state stopped (or gone) and exits
        with contextlib.suppress(OSError):
            if dog.stdin is not None:
                dog.stdin.close()
        try:
            dog.wait(5.0)
        except subprocess.TimeoutExpired:
            dog.kill()
            dog.wait()

    def _bus_addresses(self) -> dict[str, str | None]:
        return {"session-bus": self.session_bus_address, "system-bus": self.system_bus_address}

    def _add(self, proc: _Proc) -> None:
        self._procs[proc.label] = proc
        self._save_state()

    def _save_state(self, *, stopped: bool = False) -> None:
        """Record our processes so a later run can stop them if this process dies first."""
        state = {
            "owner": [os.getpid(), _start_time(os.getpid())],
            "keep": self.keep_logs or not self._own_state_dir,
            "stopped": stopped,
            "procs": [[p.label, p.name, p.pid, p.start_time]
                      for p in [*self._procs.values(), *self._spawned]],
            "buses": self._bus_addresses(),
        }
        tmp = self.state_dir / "state.json.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.state_dir / "state.json")
        if not stopped:
            (self.state_dir / "env.sh").write_text("".join(
                f"export {k}={shlex.quote(v)}\n" for k, v in self.env_overrides.items()))

    @property
    def pids(self) -> dict[str, int]:
        """PIDs of the components started (Xvfb, session-bus, system-bus, dunst, trayer)."""
        return {name: p.pid for name, p in self._procs.items()}

    def running(self) -> dict[str, bool]:
        """Which started components are still alive."""
        return {name: p.ours() for name, p in self._procs.items()}

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL, timeout: float = 5.0) -> None:
        """Send ``sig`` to a started component ("dunst", "trayer", "session-bus", "Xvfb"…) and
        wait until it is gone: a fault a test injects."""
        proc = self._procs[name]
        if not proc.ours():
            raise DesktopError(f"{name} (pid {proc.pid}) is not running")
        _signal(proc.pid, sig)
        if not proc.wait_dead(timeout):
            raise DesktopError(f"{name} (pid {proc.pid}) still runs {timeout:g} s after {sig.name}")
        if proc.popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(1.0)

    def restart(self, name: str, timeout: float = 10.0) -> int:
        """Start dunst, trayer or xfce4-panel again after a test killed it; returns the new
        PID once ready."""
        launch, ready = {"dunst": (self._launch_dunst, self._dunst_ready),
                         "trayer": (self._launch_trayer, self._tray_ready),
                         "xfce4-panel": (self._launch_sni_panel, self._sni_host_ready)}[name]
        if self._procs[name].ours():
            raise DesktopError(f"{name} is still running")
        launch()
        self._await_ready(name, ready, timeout)
        return self._procs[name].pid

    def check_running(self) -> None:
        """Raise DesktopError (with the log tail) if a started component has died."""
        for name, proc in self._procs.items():
            if not proc.ours():
                raise DesktopError(f"{name} (pid {proc.pid}) died{self._log_hint(proc.log)}")

    def log_path(self, name: str) -> Path:
        """Log file of a component: "Xvfb", "session-bus", "system-bus", "dunst", "trayer"."""
        return self.state_dir / f"{name}.log"

    # ---- environment -------------------------------------------------------------------------

    @property
    def display(self) -> str:
        return f":{self.display_number}"

    @property
    def screen_size(self) -> tuple[int, int]:
        width, height = self.screen.split("x")[:2]
        return int(width), int(height)

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={pid}" for name, pid in self.pids.items())
        return f"<Desktop {self.display} {parts or 'stopped'} state={self.state_dir}>"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a child process on this desktop (a copy of os.environ, overridden)."""
        env = dict(os.environ)
        for leak in ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION",
                     "XDG_SESSION_DESKTOP", "SESSION_MANAGER", "DBUS_STARTER_ADDRESS",
                     "DBUS_STARTER_BUS_TYPE"):
            env.pop(leak, None)
        env.update(self.env_overrides)
        return env

    @property
    def env_overrides(self) -> dict[str, str]:
        """Only the variables this desktop sets."""
        s = self.state_dir
        env = {
            "DISPLAY": self.display,
            "XDG_RUNTIME_DIR": str(s / "runtime"),
            "XDG_SESSION_TYPE": "x11",
            "NO_AT_BRIDGE": "1",
            "HOME": str(s / "home"),
            "XDG_CONFIG_HOME": str(s / "home" / ".config"),
            "XDG_DATA_HOME": str(s / "home" / ".local" / "share"),
            "XDG_STATE_HOME": str(s / "home" / ".local" / "state"),
            "XDG_CACHE_HOME": str(s / "home" / ".cache"),
        }
        if self.xauthority is not None:
            env["XAUTHORITY"] = str(self.xauthority)
        # a bus we did not start points at a socket that does not exist: clients fail cleanly
        # instead of reaching the user's real bus or auto-launching one
        env["DBUS_SESSION_BUS_ADDRESS"] = (self.session_bus_address
                                           or f"unix:path={s / 'runtime' / 'no-session-bus'}")
        env["DBUS_SYSTEM_BUS_ADDRESS"] = (self.system_bus_address
                                          or f"unix:path={s / 'runtime' / 'no-system-bus'}")
        return env

    def _make_dirs(self) -> None:
        runtime = self.state_dir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        runtime.chmod(0o700)
        for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            Path(self.env_overrides[key]).mkdir(parents=True, exist_ok=True)

    # ---- starting the parts ------------------------------------------------------------------

    def _log_hint(self, log: Path | None) -> str:
        if log is None:
            return ""
        return f"; last lines of {log} (kept):\n{_tail(log)}"

    def _popen(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> _Proc:
        log = self.log_path(name)
        with log.open("ab") as out:
            popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=dict(env), start_new_session=True,
            )
        self.started_pids.append(popen.pid)
        return _Proc(os.path.basename(argv[0]), popen.pid, _start_time(popen.pid), log, popen,
                     label=name)

    def _start_xvfb(self) -> None:
        first = self.display_start
        if first is None:
            first = random.randrange(DISPLAY_RANGE.start, DISPLAY_RANGE.stop)
        span = len(DISPLAY_RANGE)
        log = self.log_path("Xvfb")
        tried: list[str] = []
        for i in range(span):
            n = DISPLAY_RANGE.start + (first - DISPLAY_RANGE.start + i) % span
            if _display_busy(n):
                continue
            if len(tried) >= 8:
                break
            offset = log.stat().st_size if log.exists() else 0
            if self._try_xvfb(n):
                return
            attempt = log.read_text(errors="replace")[offset:]
            reasons = [ln.strip() for ln in attempt.splitlines()
                       if ln.startswith("(EE) ") and len(ln.strip()) > 4]
            tried.append(f":{n} ({reasons[0] if reasons else 'no answer'})")
            # only a display taken by someone else is worth another number
            if reasons and not _XVFB_RETRY.search("\n".join(reasons)):
                break
        raise DesktopError("could not start Xvfb; tried " + "; ".join(tried or ["nothing"])
                           + self._log_hint(log))

    def _try_xvfb(self, n: int) -> bool:
        xauthority = self.state_dir / "Xauthority"
        xauthority.unlink(missing_ok=True)
        xauthority.touch(mode=0o600)
        cookie = self._cookie()
        r = subprocess.run(["xauth", "-q", "-f", str(xauthority), "add", f":{n}", ".", cookie],
                           check=False, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=10)
        if r.returncode != 0:
            raise DesktopError(f"xauth could not write {xauthority}: {r.stderr.strip()}")
        self.xauthority = xauthority
        argv = ["Xvfb", f":{n}", "-screen", "0", self.screen, "-nolisten", "tcp", "-noreset",
                "+extension", "RANDR", "-auth", str(xauthority)]
        proc = self._popen("Xvfb", argv, os.environ)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DISPLAY": f":{n}",
               "XAUTHORITY": str(xauthority)}

        def answers() -> bool:
            return subprocess.run(["xdpyinfo"], check=False, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=10).returncode == 0

        deadline = time.monotonic() + 15.0
        ok = False
        try:
            while time.monotonic() < deadline and proc.ours():
                if answers():
                    ok = True
                    break
                time.sleep(0.03)
        except BaseException:
            _stop_proc(proc)
            raise
        # still alive and holding the display's lock: we reached our server, not a foreign one
        if ok and proc.ours() and self._lock_owner(n) in (None, proc.pid):
            self.display_number = n
            self._add(proc)
            return True
        _stop_proc(proc)
        return False

    @staticmethod
    def _lock_owner(n: int) -> int | None:
        try:
            return int(Path(f"/tmp/.X{n}-lock").read_text().strip())
        except (OSError, ValueError):
            return None

    @staticmethod
    def _cookie() -> str:
        if shutil.which("mcookie"):
            out = subprocess.run(["mcookie"], check=False, capture_output=True, text=True,
                                 timeout=10)
            cookie = out.stdout.strip()
            if re.fullmatch(r"[0-9a-f]{32}", cookie):
                return cookie
        return secrets.token_hex(16)

    def _start_bus(self, name: str) -> str:
        log = self.log_path(name)
        out_file = self.state_dir / f"{name}.address"
        # the forked daemon keeps no pipe of ours: output goes to files
        with out_file.open("wb") as out, log.open("ab") as err:
            rc = subprocess.run(
                ["dbus-daemon", "--session", "--fork", "--nopidfile",
                 "--print-address=1", "--print-pid=1"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=self.env, timeout=15,
                check=False,
            ).returncode
        lines = out_file.read_text().split()
        if rc != 0 or len(lines) < 2 or not lines[1].isdigit():
            raise DesktopError(f"dbus-daemon ({name}) failed with exit code {rc}"
                               + self._log_hint(log))
        address, pid = lines[0], int(lines[1])
        self.started_pids.append(pid)
        self._add(_Proc("dbus-daemon", pid, _start_time(pid), log, label=name))
        env = {**self.env, "DBUS_SESSION_BUS_ADDRESS": address}

        def answers() -> bool:
            return self._dbus_call(env, "GetId") is not None

        self._await_ready(name, answers, 5.0)
        return address

    @staticmethod
    def _dbus_call(env: Mapping[str, str], method: str, *args: str) -> str | None:
        r = subprocess.run(
            ["dbus-send", "--session", "--dest=org.freedesktop.DBus", "--print-reply=literal",
             "/org/freedesktop/DBus", f"org.freedesktop.DBus.{method}", *args],
            env=dict(env), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10,
            check=False,
        )
        return r.stdout.strip() if r.returncode == 0 else None

    def _await_ready(self, name: str, ready: Callable[[], bool], timeout: float) -> None:
        proc = self._procs[name]
        deadline = time.monotonic() + timeout
        while True:
            if ready():
                return
            if not proc.ours():
                code = proc.popen.poll() if proc.popen is not None else None
                how = f" with exit code {code}" if code is not None else ""
                raise DesktopError(f"{name} exited{how} before it was ready"
                                   + self._log_hint(proc.log))
            if time.monotonic() >= deadline:
                raise DesktopError(f"{name} not ready within {timeout:g} s"
                                   + self._log_hint(proc.log))
            time.sleep(0.02)

    def bus_name_pid(self, name: str, *, system: bool = False) -> int | None:
        """PID of the process owning a name on the private session (or system) bus."""
        address = self.system_bus_address if system else self.session_bus_address
        if address is None:
            raise DesktopError("that bus was not started")
        reply = self._dbus_call({**self.env, "DBUS_SESSION_BUS_ADDRESS": address},
                                "GetConnectionUnixProcessID", f"string:{name}")
        return int(reply.split()[-1]) if reply else None

    @property
    def dmenu_pick_file(self) -> Path:
        return self.state_dir / "dmenu-pick"

    def _launch_dunst(self) -> None:
        if re.search(r"\s", str(self.state_dir)):
            raise DesktopError(f"state dir {self.state_dir} contains whitespace (dunstrc dmenu)")
        dmenu = self.state_dir / "fake-dmenu.sh"
        dmenu.write_text(FAKE_DMENU.format(state=self.state_dir))
        dmenu.chmod(0o755)
        dunstrc = self.state_dir / "dunstrc"
        text = self._dunstrc_text if self._dunstrc_text is not None else DUNSTRC
        dunstrc.write_text(text.replace("{dmenu}", str(dmenu)))
        env = {**self.env, "DMENU_PICK_FILE": str(self.dmenu_pick_file)}
        self._add(self._popen("dunst", ["dunst", "-config", str(dunstrc)], env))

    def _dunst_ready(self) -> bool:
        return self._dbus_call(self.env, "NameHasOwner",
                               "string:org.freedesktop.Notifications") == "boolean true"

    def _launch_trayer(self) -> None:
        argv = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                "--height", "32", "--SetDockType", "true", "--transparent", "false",
                "--tint", "0x336699", "--expand", "true"]
        self._add(self._popen("trayer", argv, self.env))

    def _launch_sni_panel(self) -> None:
        channel = Path(self.env_overrides["XDG_CONFIG_HOME"]) / "xfce4/xfconf/xfce-perchannel-xml"
        channel.mkdir(parents=True, exist_ok=True)
        (channel / "xfce4-panel.xml").write_text(XFCE_PANEL_XML)
        # xfconfd, which the panel reads its settings from, is D-Bus-activated on our bus
        self._add(self._popen("xfce4-panel", ["xfce4-panel", "--disable-wm-check"], self.env))

    def _sni_host_ready(self) -> bool:
        return self.sni_watcher_property("IsStatusNotifierHostRegistered") is True

    def sni_watcher_property(self, name: str) -> Any:
        """A property of the session bus's StatusNotifierWatcher (None: no watcher): e.g.
        "RegisteredStatusNotifierItems" (list of "bus-name/path" or "bus-name")."""
        r = subprocess.run(
            ["dbus-send", "--session", f"--dest={SNI_WATCHER}", "--print-reply=literal",
             "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties.Get",
             f"string:{SNI_WATCHER}", f"string:{name}"],
            env=self.env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10,
            check=False,
        )
        if r.returncode != 0:
            return None
        text = r.stdout.strip()
        if text.startswith("variant"):
            text = text[len("variant"):].strip()
        if text.startswith("boolean "):
            return text.split()[1] == "true"
        if text.startswith("array ["):
            return text[len("array ["):].rstrip("]").split()
        return text

    def sni_items(self) -> list[str]:
        """Items the StatusNotifierWatcher knows ([] if none, or no watcher)."""
        return list(self.sni_watcher_property("RegisteredStatusNotifierItems") or [])

    def panel_shot(self, path: str | os.PathLike[str]) -> Any:
        """A screenshot of the panel strip along the top (a Pillow RGB image)."""
        from PIL import Image

        shot = Image.open(self.screenshot(path)).convert("RGB")
        return shot.crop((0, 0, shot.width, PANEL_HEIGHT))

    def _tray_ready(self) -> bool:
        if self._have_xlib():
            return self.tray_owner() != 0
        return bool(self.search_windows(classname="^panel$"))

    # ---- X access via python-xlib (optional) -------------------------------------------------

    @staticmethod
    def _have_xlib() -> bool:
        try:
            import Xlib.display  # noqa: F401
        except ImportError:
            return False
        return True

    def xlib_display(self) -> Any:
        """A python-xlib connection to this display (kept open until stop())."""
        if self._xlib_display is None:
            from Xlib import display as xdisplay

            with _XAUTH_LOCK:
                saved = os.environ.get("XAUTHORITY")
                if self.xauthority is not None:
                    os.environ["XAUTHORITY"] = str(self.xauthority)
                try:
                    self._xlib_display = xdisplay.Display(self.display)
                finally:
                    if saved is None:
                        os.environ.pop("XAUTHORITY", None)
                    else:
                        os.environ["XAUTHORITY"] = saved
        return self._xlib_display

    def tray_owner(self) -> int:
        """Window owning the _NET_SYSTEM_TRAY_S0 selection (0: none). Needs python-xlib."""
        d = self.xlib_display()
        owner = d.get_selection_owner(d.intern_atom("_NET_SYSTEM_TRAY_S0"))
        return int(getattr(owner, "id", owner) or 0)

    def idle_ms(self) -> int:
        """Milliseconds since the last input on this display (XScreenSaver idle counter)."""
        if self._have_xlib():
            from Xlib.ext import screensaver  # noqa: F401  (registers the extension method)

            root = self.xlib_display().screen().root
            return int(root.screensaver_query_info().idle)
        if shutil.which("xprintidle"):
            return int(self.run(["xprintidle"]).stdout.strip())
        raise DesktopError("idle_ms needs python-xlib or xprintidle")

    def tray_icons(self) -> list[int]:
        """Client windows currently embedded in trayer (XEmbed icons), in tree order."""
        panels = self.search_windows(classname="^panel$")
        if not panels:
            return []
        if self._have_xlib():
            d = self.xlib_display()
            xembed = d.intern_atom("_XEMBED_INFO")
            found: list[int] = []

            def walk(win: Any) -> None:
                for child in win.query_tree().children:
                    if child.get_full_property(xembed, 0) is not None:
                        found.append(int(child.id))
                    walk(child)

            from Xlib import error as xerror

            for panel in panels:
                with contextlib.suppress(xerror.XError):
                    walk(d.create_resource_object("window", panel))
            return found
        # without Xlib: windows under the panel made by another client (other resource-id base)
        tree = self.run(["xwininfo", "-tree", "-id", str(panels[0])]).stdout
        ids = [int(m, 16) for m in re.findall(r"^\s+(0x[0-9a-f]+) ", tree, re.MULTILINE)]
        return [w for w in ids if (w >> 21) != (panels[0] >> 21)]

    # ---- running things on the desktop -------------------------------------------------------

    def run(self, argv: Sequence[str], *, check: bool = True, timeout: float = 30.0,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a short command on this desktop and capture its output (text)."""
        raw = subprocess.run(list(argv), check=False, env=self.env, capture_output=True,
                             timeout=timeout, input=None if input is None else input.encode(),
                             stdin=None if input is not None else subprocess.DEVNULL)
        # X properties may be Latin-1 (an ICCCM WM_NAME set before the UTF-8 _NET_WM_NAME)
        r = subprocess.CompletedProcess(raw.args, raw.returncode, _decode(raw.stdout),
                                        _decode(raw.stderr))
        if check and r.returncode != 0:
            raise DesktopError(f"{' '.join(argv)} failed with exit code {r.returncode}: "
                               f"{r.stderr.strip() or r.stdout.strip()}")
        return r

    def spawn(self, argv: Sequence[str], *, name: str | None = None,
              env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start a long-running program on this desktop, logging to <state>/<name>.log.

        stop() ends it first (TERM, KILL after 3 s), together with its children.
        """
        label = name or os.path.basename(argv[0])
        proc = self._popen(label, argv, env if env is not None else self.env)
        proc.label = f"spawn:{label}"
        proc.name = None  # may exec something else (sh -c 'exec ...'); PID + start time suffice
        self._spawned.append(proc)
        self._save_state()
        assert proc.popen is not None
        return proc.popen

    def xdotool(self, *args: str | int) -> str:
        """Run xdotool with these arguments; returns its stdout."""
        return self.run(["xdotool", *map(str, args)]).stdout

    def key(self, *keys: str) -> None:
        self.xdotool("key", *keys)

    def type_text(self, text: str, delay_ms: int = 12) -> None:
        self.xdotool("type", "--delay", delay_ms, "--", text)

    def mouse_location(self) -> tuple[int, int]:
        out = self.xdotool("getmouselocation", "--shell")
        vals = dict(line.split("=", 1) for line in out.split())
        return int(vals["X"]), int(vals["Y"])

    def move_mouse(self) -> None:
        """Move the pointer to a different spot: real input that resets the idle counter."""
        x, y = self.mouse_location()
        self.xdotool("mousemove", x + 7 if x < 600 else x - 7, y + 5 if y < 400 else y - 5)

    def window_geometry(self, wid: int) -> tuple[int, int, int, int]:
        """(x, y, width, height) of a window in root coordinates."""
        out = self.xdotool("getwindowgeometry", "--shell", wid)
        vals = dict(line.split("=", 1) for line in out.split())
        return int(vals["X"]), int(vals["Y"]), int(vals["WIDTH"]), int(vals["HEIGHT"])

    def click_window(self, wid: int, button: int = 1) -> None:
        """Click the centre of a window (moves the pointer there first)."""
        x, y, w, h = self.window_geometry(wid)
        self.xdotool("mousemove", x + w // 2, y + h // 2, "click", button)

    def search_windows(self, name: str | None = None, classname: str | None = None, *,
                       class_: str | None = None, visible_only: bool = False) -> list[int]:
        """Window ids matching all the given regexes (xdotool search); [] if none."""
        args = ["search"]
        if visible_only:
            args.append("--onlyvisible")
        criteria = [("--name", name), ("--classname", classname), ("--class", class_)]
        given = [(flag, value) for flag, value in criteria if value is not None]
        if not given:
            raise ValueError("search_windows needs name, classname or class_")
        if len(given) > 1:
            args.append("--all")
        for flag, value in given:
            args += [flag, value]
        r = self.run(["xdotool", *args], check=False)
        return [int(w) for w in r.stdout.split()]

    def wait_for_window(self, name: str | None = None, classname: str | None = None, *,
                        class_: str | None = None, visible_only: bool = False,
                        timeout: float = 10.0) -> int:
        """First window matching, waiting for it to appear."""
        def found() -> list[int]:
            return self.search_windows(name, classname, class_=class_,
                                       visible_only=visible_only)

        what = f"window name={name!r} classname={classname!r} class={class_!r}"
        return wait_until(found, timeout, message=what)[0]

    def screenshot(self, path: str | os.PathLike[str], window: int | None = None) -> Path:
        """Save a PNG of the whole screen (or one window) with ImageMagick's import."""
        target = "root" if window is None else str(window)
        self.run(["import", "-window", target, str(path)])
        return Path(path)

    # ---- dunst -------------------------------------------------------------------------------

    def dunstctl(self, *args: str) -> str:
        return self.run(["dunstctl", *args]).stdout

    def dunst_history(self) -> list[dict[str, Any]]:
        """Closed notifications, newest first, as plain dicts (summary, body, appname, id, ...)."""
        data = json.loads(self.dunstctl("history"))
        entries = data["data"][0] if data.get("data") else []
        return [{k: v.get("data") for k, v in entry.items()} for entry in entries]

    def dunst_displayed_count(self) -> int:
        return int(self.dunstctl("count", "displayed").strip())

    def dunst_close_all(self) -> None:
        self.dunstctl("close-all")

    def dunst_action(self, n: int = 0) -> None:
        """Invoke the default action of the n-th displayed notification (dunst leaves it shown)."""
        self.dunstctl("action", str(n))

    def dunst_pick_context(self, regex: str, timeout: float = 10.0) -> str:
        """Open dunst's context menu and pick the first line matching regex (grep -E).

        Menu lines look like "# (Summary (appname)) [3,default]" (the default action) or
        "#Snooze (Summary (appname)) [3,<button-id>]". Returns the picked line; DesktopError if
        no line matched.
        """
        answer = self.state_dir / "dmenu-last-answer.txt"
        answer.unlink(missing_ok=True)
        self.dmenu_pick_file.write_text(regex + "\n")
        self.dunstctl("context")
        wait_until(answer.exists, timeout,
                   message="dunst to run the stand-in dmenu (is a notification displayed?)")
        picked = answer.read_text().strip()
        if not picked:
            menu = _tail(self.state_dir / "dmenu-last-menu.txt", 20)
            raise DesktopError(f"no context-menu line matches {regex!r}; menu was:\n{menu}")
        return picked

    def dunst_windows(self) -> list[int]:
        return self.search_windows(classname="^Dunst$")

    @staticmethod
    def wait_until(predicate: Callable[[], T], timeout: float = 10.0, interval: float = 0.05,
                   message: str | None = None) -> T:
        return wait_until(predicate, timeout, interval, message)


@contextlib.contextmanager
def desktop(**kwargs: Any) -> Iterator[Desktop]:
    """Context manager shorthand: with desktop(dunst=True) as d: ..."""
    with Desktop(**kwargs) as d:
        yield d


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--watch":
        _watch(Path(sys.argv[2]))
    else:
        sys.exit(f"usage: {sys.argv[0]} --watch STATE_DIR  (used by Desktop itself)")


def _decode(data: bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data.decode("latin-1")
