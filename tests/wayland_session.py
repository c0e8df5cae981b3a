"""A real, throw-away headless Wayland session for tests: Sway or KWin, a private D-Bus, waybar, mako.

Usage::

    with WaylandSession("sway", waybar=True, mako=True) as s:
        s.wtype("hello")                                   # real keys (virtual-keyboard protocol)
        print(s.globals()["org_kde_kwin_idle"])            # protocol versions the compositor offers
        daemon = s.spawn([sys.executable, "-m", "sitbreak", "run"], env=s.env)

Compositors refuse to run as root (sway: "Unable to drop root"; kwin_wayland carries file
capabilities that an unprivileged user may not exec). So when the tests run as root, as CI does,
the compositor and the session's own clients (wtype, waybar, mako) run as an unprivileged test user
(``SITBREAK_TEST_USER``, default ``sitbreak-test``, created with ``useradd --system`` if missing);
run as another user, everything simply runs as that user.

Two environments:

- ``env``: for the test's own processes (the daemon under test, dbus-send, wayland-info). It
  names the compositor's socket by its absolute path in ``WAYLAND_DISPLAY`` (libwayland >= 1.15),
  which root can reach in the test user's private runtime dir; the process keeps the test run's
  uid, so it can use this checkout's interpreter even where the test user cannot read it
  (a virtualenv on a pyenv Python under /root).
- ``user_env``: for ``spawn(..., as_user=True)``/``run(..., as_user=True)``: a process of the test
  user inside the session, with the compositor's own ``XDG_RUNTIME_DIR``.

Both reach one private session bus (its policy admits the test run's uid and the test user's).
stop() ends only what this object started (checked by PID, executable name and start time), in
reverse order; a watchdog process does the same if the test run dies. Logs go to files in the
state directory; failures quote their tail.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from tests.desktop import DesktopError, _Proc, _start_time, _stop_all, _tail, wait_until

Compositor = Literal["sway", "kwin"]

TEST_USER_ENV = "SITBREAK_TEST_USER"
DEFAULT_TEST_USER = "sitbreak-test"
_STATE_PREFIX = "sitbreak-wayland-"
_KWIN_SOCKET = "wayland-sitbreak"

# Debian packages for each tool, for the "not installed" messages (same names on Debian 12 and 13)
PACKAGES = {
    "sway": "sway",
    "swaymsg": "sway",
    "kwin_wayland": "kwin-wayland",
    "wtype": "wtype",
    "waybar": "waybar",
    "mako": "mako-notifier",
    "makoctl": "mako-notifier",
    "wayland-info": "wayland-utils",
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "useradd": "passwd",
    "Xwayland": "xwayland",
    "xhost": "x11-xserver-utils",
}

SWAY_CONFIG = """\
output HEADLESS-1 resolution 1280x800
xwayland {xwayland}
"""

# waybar as the tray host: its tray module is a StatusNotifierWatcher and host
WAYBAR_CONFIG = {
    "layer": "top",
    "position": "top",
    "height": 30,
    "modules-left": [],
    "modules-center": [],
    "modules-right": ["tray"],
    "tray": {"icon-size": 21, "spacing": 4},
}
WAYBAR_STYLE = "* { font-family: monospace; font-size: 12px; }\n"

# notifications stay until the test acts on them; actions are on (makoctl invoke)
MAKO_CONFIG = """\
default-timeout=0
ignore-timeout=1
actions=1
max-visible=10
history=1
"""

_BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <!-- no service directories: nothing is started behind the test's back -->
  <policy context="default">
{users}
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_tools(compositor: Compositor = "sway", *, waybar: bool = False,
                  mako: bool = False) -> list[str]:
    """Tools (with their Debian package) that this session would need but are not installed."""
    need = ["dbus-daemon", "dbus-send", "wayland-info"]
    need += ["sway", "swaymsg", "wtype"] if compositor == "sway" else ["kwin_wayland"]
    if waybar:
        need.append("waybar")
    if mako:
        need += ["mako", "makoctl"]
    if os.geteuid() == 0 and not _user_exists(session_user_name()):
        need.append("useradd")
    return [f"{t} ({PACKAGES[t]})" for t in need if shutil.which(t) is None]


def skip_reason(compositor: Compositor = "sway", *, waybar: bool = False,
                mako: bool = False) -> str | None:
    """Why a test on this session cannot run here, or None. CI must run it: there, None."""
    missing = missing_tools(compositor, waybar=waybar, mako=mako)
    if not missing or in_ci():
        return None
    return ("Wayland session tools not installed: " + ", ".join(missing)
            + " (run installers/desktop-packages.sh as root)")


def session_user_name() -> str:
    return os.environ.get(TEST_USER_ENV) or DEFAULT_TEST_USER


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def ensure_test_user() -> pwd.struct_passwd:
    """The unprivileged user the compositor runs as; created (system user, no home) if missing.

    Not root: the current user (nothing to switch to).
    """
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    name = session_user_name()
    if not _user_exists(name):
        r = subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home",
             "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
            check=False, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        if r.returncode != 0 and not _user_exists(name):
            raise DesktopError(f"could not create test user {name!r}: {r.stderr.strip()}")
    user = pwd.getpwnam(name)
    if user.pw_uid == 0:
        raise DesktopError(f"test user {name!r} is root; compositors refuse to run as root")
    return user


def _socket_answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


_RUNNING: set[WaylandSession] = set()


@atexit.register
def _stop_leftovers() -> None:
    for session in list(_RUNNING):
        with contextlib.suppress(Exception):
            session.stop()


class WaylandSession:
    """A headless Wayland session; start() brings up the requested parts, stop() ends exactly those.

    compositor: "sway" (WLR_BACKENDS=headless, pixman renderer, one 1280x800 output) or "kwin"
    (``kwin_wayland --virtual``, run from a copy without file capabilities). waybar: a tray host
    (StatusNotifierWatcher); mako: the notification server. Starting is all-or-nothing: a failed
    step stops what already runs and raises DesktopError quoting the log tail (logs then kept).
    """

    def __init__(self, compositor: Compositor = "sway", *, waybar: bool = False,
                 mako: bool = False, xwayland: bool = False,
                 keep_logs: bool | None = None) -> None:
        if compositor not in ("sway", "kwin"):
            raise ValueError(f"unknown compositor {compositor!r}")
        self.compositor: Compositor = compositor
        self.want_waybar = waybar
        self.want_mako = mako
        # sway only: start Xwayland with the session, for X clients such as the Tk stretch card
        self.want_xwayland = xwayland
        self.keep_logs = (keep_logs if keep_logs is not None
                          else os.environ.get("SITBREAK_KEEP_DESKTOP_LOGS") == "1")
        self.state_dir = Path()
        self.user: pwd.struct_passwd | None = None
        self.wayland_socket: Path | None = None
        self.session_bus_address: str | None = None
        self._procs: list[_Proc] = []
        self.started_pids: list[int] = []
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._started = False

    # ---- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> WaylandSession:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> WaylandSession:
        if self._started:
            raise DesktopError("this WaylandSession was already started")
        missing = missing_tools(self.compositor, waybar=self.want_waybar, mako=self.want_mako)
        if missing:
            raise DesktopError("not installed: " + ", ".join(missing))
        self.user = ensure_test_user()
        self._started = True
        self.state_dir = Path(tempfile.mkdtemp(prefix=_STATE_PREFIX))
        _RUNNING.add(self)
        try:
            self._make_dirs()
            self._start_watchdog()
            self.session_bus_address = self._start_bus()
            if self.compositor == "sway":
                self._start_sway()
                if self.want_xwayland:
                    self._open_xwayland()
            else:
                self._start_kwin()
            if self.want_mako:
                self._add(self._popen("mako", ["mako", "-c", str(self._write("mako.conf",
                                                                               MAKO_CONFIG))],
                                      self.user_env, as_user=True))
            if self.want_waybar:
                config = self._write("waybar.json", json.dumps(WAYBAR_CONFIG))
                style = self._write("waybar.css", WAYBAR_STYLE)
                self._add(self._popen("waybar", ["waybar", "-c", str(config), "-s", str(style)],
                                      self.user_env, as_user=True))
            if self.want_mako:
                self._await_ready("mako", lambda: self.bus_name_has_owner(
                    "org.freedesktop.Notifications"), 10.0)
            if self.want_waybar:
                self._await_ready("waybar", lambda: self.bus_name_has_owner(
                    "org.kde.StatusNotifierWatcher"), 15.0)
        except BaseException:
            self.keep_logs = True
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop what start() and spawn() started (newest first) and remove the state dir."""
        _stop_all(self._procs, {"session-bus": self.session_bus_address})
        self._procs.clear()
        _RUNNING.discard(self)
        if self._started:
            if self.keep_logs:
                self._save_state(stopped=True)
            else:
                shutil.rmtree(self.state_dir, ignore_errors=True)
        self._end_watchdog()
        self._started = False

    def _start_watchdog(self) -> None:
        # the X11 desktop's watchdog reads the same state.json and stops the same way
        watcher = Path(__file__).with_name("desktop.py")
        self._watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", str(watcher), "--watch", str(self.state_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _end_watchdog(self) -> None:
        dog, self._watchdog = self._watchdog, None
        if dog is None:
            return
        with contextlib.suppress(OSError):
            if dog.stdin is not None:
                dog.stdin.close()
        try:
            dog.wait(5.0)
        except subprocess.TimeoutExpired:
            dog.kill()
            dog.wait()

    def _add(self, proc: _Proc) -> None:
        self._procs.append(proc)
        self._save_state()

    def _save_state(self, *, stopped: bool = False) -> None:
        state = {
            "owner": [os.getpid(), _start_time(os.getpid())],
            "keep": self.keep_logs,
            "stopped": stopped,
            "procs": [[p.label, p.name, p.pid, p.start_time] for p in self._procs],
            "buses": {"session-bus": self.session_bus_address},
        }
        tmp = self.state_dir / "state.json.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.state_dir / "state.json")
        if not stopped:
            (self.state_dir / "env.sh").write_text("".join(
                f"export {k}={shlex.quote(v)}\n" for k, v in self.env_overrides.items()))

    @property
    def pids(self) -> dict[str, int]:
        """PIDs of the components and spawned programs, by label."""
        return {p.label: p.pid for p in self._procs}

    def running(self) -> dict[str, bool]:
        return {p.label: p.ours() for p in self._procs}

    def check_running(self) -> None:
        """Raise DesktopError (with the log tail) if a started component has died."""
        for proc in self._procs:
            if not proc.label.startswith("spawn:") and not proc.ours():
                raise DesktopError(f"{proc.label} (pid {proc.pid}) died"
                                   + self._log_hint(proc.log))

    def log_path(self, name: str) -> Path:
        """Log file of a component ("session-bus", "sway", "kwin", "mako", "waybar") or spawn."""
        return self.state_dir / f"{name}.log"

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in self.pids.items())
        return f"<WaylandSession {self.compositor} {parts or 'stopped'} state={self.state_dir}>"

    # ---- environment -------------------------------------------------------------------------

    @property
    def user_dir(self) -> Path:
        """The test user's part of the state dir: its runtime dir and HOME."""
        return self.state_dir / "user"

    @property
    def user_runtime_dir(self) -> Path:
        return self.user_dir / "runtime"

    @property
    def as_other_user(self) -> bool:
        """Whether session clients run as a different (unprivileged) user than the tests."""
        return self.user is not None and self.user.pw_uid != os.geteuid()

    @property
    def desktop_name(self) -> str:
        return "sway" if self.compositor == "sway" else "KDE"

    def _base_env(self, home: Path, runtime: Path, wayland_display: str) -> dict[str, str]:
        env = {
            "WAYLAND_DISPLAY": wayland_display,
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": self.desktop_name,
            "XDG_SESSION_DESKTOP": self.desktop_name,
            "DESKTOP_SESSION": self.desktop_name.lower(),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "NO_AT_BRIDGE": "1",
            "GDK_BACKEND": "wayland",
            "QT_QPA_PLATFORM": "wayland",
            "DBUS_SESSION_BUS_ADDRESS": (self.session_bus_address
                                         or f"unix:path={runtime / 'no-session-bus'}"),
            # no system bus here: clients fail cleanly instead of reaching the machine's
            "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={runtime / 'no-system-bus'}",
        }
        sway_sock = self.sway_socket()
        if sway_sock is not None:
            env["SWAYSOCK"] = str(sway_sock)
        return env

    @property
    def env_overrides(self) -> dict[str, str]:
        """The variables ``env`` sets (the socket by absolute path)."""
        socket_path = str(self.wayland_socket) if self.wayland_socket else ""
        return self._base_env(self.state_dir / "home", self.state_dir / "runtime", socket_path)

    @property
    def env(self) -> dict[str, str]:
        """Environment for the test's own processes in this session (a copy of os.environ).

        No DISPLAY: nothing falls back to an X server by accident.
        """
        env = dict(os.environ)
        x_display = self.x_display() if self.want_xwayland else None
        for leak in ("DISPLAY", "XAUTHORITY", "SESSION_MANAGER", "DBUS_STARTER_ADDRESS",
                     "DBUS_STARTER_BUS_TYPE", "SWAYSOCK", "I3SOCK", "KDE_FULL_SESSION",
                     "GNOME_DESKTOP_SESSION_ID"):
            env.pop(leak, None)
        env.update(self.env_overrides)
        if x_display:
            env["DISPLAY"] = x_display
        return env

    def x_display(self) -> str | None:
        """The DISPLAY of sway's Xwayland (``xwayland=True``), e.g. ":1"; None before it runs.

        wlroots double-forks Xwayland, so it is found by the session's runtime dir in its
        environment rather than by parent."""
        if not self.want_xwayland or not self.state_dir.parts:
            return None
        runtime = f"XDG_RUNTIME_DIR={self.user_runtime_dir}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                if Path(argv[0].decode()).name != "Xwayland":
                    continue
                if runtime in (entry / "environ").read_bytes().split(b"\0"):
                    return next((a.decode() for a in argv[1:] if a.startswith(b":")), None)
        return None

    @property
    def user_env(self) -> dict[str, str]:
        """Environment for the test user's processes in this session (minimal, not inherited)."""
        name = self.wayland_socket.name if self.wayland_socket else ""
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "USER": self.user.pw_name if self.user else "",
            "LOGNAME": self.user.pw_name if self.user else "",
        }
        env.update(self._base_env(self.user_dir / "home", self.user_runtime_dir, name))
        return env

    def _make_dirs(self) -> None:
        assert self.user is not None
        # the test user must traverse the state dir to reach the bus socket and its own dir
        self.state_dir.chmod(0o711)
        for d in (self.state_dir / "runtime", self.user_runtime_dir):
            d.mkdir(mode=0o700, parents=True)
            d.chmod(0o700)
        for home in (self.state_dir / "home", self.user_dir / "home"):
            for sub in (".config", ".local/share", ".local/state", ".cache"):
                (home / sub).mkdir(parents=True, exist_ok=True)
        if self.as_other_user:
            for dirpath, _dirs, _files in os.walk(self.user_dir):
                os.chown(dirpath, self.user.pw_uid, self.user.pw_gid)

    def _write(self, name: str, text: str) -> Path:
        path = self.state_dir / name
        path.write_text(text)
        path.chmod(0o644)
        return path

    # ---- starting the parts ------------------------------------------------------------------

    def _log_hint(self, log: Path | None) -> str:
        if log is None:
            return ""
        return f"; last lines of {log} (kept):\n{_tail(log)}"

    def _popen(self, name: str, argv: Sequence[str], env: Mapping[str, str], *,
               as_user: bool = False, cwd: Path | None = None) -> _Proc:
        log = self.log_path(name)
        switch: dict[str, Any] = {}
        if as_user and self.as_other_user:
            assert self.user is not None
            switch = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        with log.open("ab") as out:
            popen = subprocess.Popen(
                list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=dict(env), start_new_session=True,
                cwd=str(cwd or (self.user_dir if as_user else self.state_dir)), **switch,
            )
        self.started_pids.append(popen.pid)
        return _Proc(os.path.basename(argv[0]), popen.pid, _start_time(popen.pid), log, popen,
                     label=name)

    def _await_ready(self, name: str, ready: Callable[[], bool], timeout: float) -> None:
        proc = next(p for p in self._procs if p.label == name)
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
            time.sleep(0.03)

    def _start_bus(self) -> str:
        bus_socket = self.state_dir / "session-bus.socket"
        users = {os.geteuid()}
        if self.user is not None:
            users.add(self.user.pw_uid)
        allow = "\n".join(f'    <allow user="{pwd.getpwuid(u).pw_name}"/>' for u in sorted(users))
        config = self._write("session-bus.conf",
                             _BUS_CONFIG.format(socket=bus_socket, users=allow))
        self._add(self._popen("session-bus", ["dbus-daemon", "--nofork", "--nopidfile",
                                              f"--config-file={config}"], os.environ))
        address = f"unix:path={bus_socket}"
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
        self._await_ready("session-bus", lambda: bus_socket.exists() and self._dbus_call(
            env, "GetId") is not None, 10.0)
        # the daemon creates its socket with the umask; the test user must be able to connect
        bus_socket.chmod(0o666)
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

    def bus_name_has_owner(self, name: str) -> bool:
        return self._dbus_call(self.env, "NameHasOwner", f"string:{name}") == "boolean true"

    def bus_name_pid(self, name: str) -> int | None:
        """PID of the process owning a name on the private session bus."""
        reply = self._dbus_call(self.env, "GetConnectionUnixProcessID", f"string:{name}")
        return int(reply.split()[-1]) if reply else None

    def _wayland_sockets(self) -> list[Path]:
        return sorted(p for p in self.user_runtime_dir.glob("wayland-*")
                      if not p.name.endswith(".lock") and p.is_socket())

    def _start_compositor(self, name: str, argv: Sequence[str], env: Mapping[str, str],
                          socket_name: str | None) -> None:
        self._add(self._popen(name, argv, env, as_user=True))

        def socket_ready() -> bool:
            found = self._wayland_sockets()
            if socket_name is not None:
                found = [p for p in found if p.name == socket_name]
            if found and _socket_answers(found[0]):
                self.wayland_socket = found[0]
                return True
            return False

        self._await_ready(name, socket_ready, 20.0)
        # the socket is bound before the globals are announced: wait for a client to see them
        self._await_ready(name, lambda: bool(self._globals_or_none()), 20.0)
        self._save_state()

    def _compositor_env(self) -> dict[str, str]:
        env = self.user_env
        env.pop("WAYLAND_DISPLAY")
        env.pop("GDK_BACKEND")
        env.pop("QT_QPA_PLATFORM")
        return env

    def _start_sway(self) -> None:
        config = self._write(
            "sway.conf", SWAY_CONFIG.format(xwayland="force" if self.want_xwayland else "disable"))
        env = {**self._compositor_env(), "WLR_BACKENDS": "headless",
               "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}
        self._start_compositor("sway", ["sway", "-c", str(config)], env, None)
        wait_until(lambda: self.sway_socket() is not None, 10.0, message="sway's IPC socket")
        self._save_state()

    def _open_xwayland(self) -> None:
        """Wait for sway's Xwayland; it admits only its own user (the test user), so let the
        test run's uid in too: X clients the tests start (the Tk card) can then open windows."""
        display = wait_until(self.x_display, 10.0, message="sway's Xwayland")
        assert display
        if self.as_other_user:
            me = pwd.getpwuid(os.geteuid()).pw_name
            self.run(["xhost", f"+si:localuser:{me}"], as_user=True,
                     env={**self.user_env, "DISPLAY": display})

    def _start_kwin(self) -> None:
        # kwin_wayland carries cap_sys_resource; exec by an unprivileged user fails with EPERM.
        # A plain copy has no file capabilities.
        source = shutil.which("kwin_wayland")
        assert source is not None
        bindir = self.state_dir / "bin"
        bindir.mkdir(mode=0o755)
        kwin = bindir / "kwin_wayland"
        shutil.copyfile(source, kwin)
        kwin.chmod(0o755)
        # QPainter compositing: no GPU here
        env = {**self._compositor_env(), "KWIN_COMPOSE": "Q"}
        self._start_compositor("kwin", [str(kwin), "--virtual", "--no-lockscreen",
                                        "--socket", _KWIN_SOCKET], env, _KWIN_SOCKET)

    def sway_socket(self) -> Path | None:
        """Sway's IPC socket (for swaymsg), None on KWin or before sway made it."""
        if self.compositor != "sway" or not self.state_dir.parts:
            return None
        with contextlib.suppress(OSError):
            found = sorted(self.user_runtime_dir.glob("sway-ipc.*.sock"))
            if found:
                return found[0]
        return None

    # ---- looking at the session --------------------------------------------------------------

    def _globals_or_none(self) -> dict[str, int] | None:
        r = subprocess.run(["wayland-info"], env=self.env, capture_output=True, text=True,
                           timeout=15, check=False, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            return None
        found: dict[str, int] = {}
        for m in re.finditer(r"interface: '([^']+)',\s*version:\s*(\d+)", r.stdout):
            found[m.group(1)] = max(found.get(m.group(1), 0), int(m.group(2)))
        return found or None

    def globals(self) -> dict[str, int]:
        """Wayland globals the compositor offers: interface name -> highest version."""
        found = self._globals_or_none()
        if found is None:
            raise DesktopError("wayland-info could not list the compositor's globals")
        return found

    def swaymsg(self, *args: str) -> Any:
        """Run swaymsg with these arguments (raw JSON output parsed)."""
        r = self.run(["swaymsg", "--raw", *args])
        return json.loads(r.stdout) if r.stdout.strip() else None

    # ---- running things in the session -------------------------------------------------------

    def run(self, argv: Sequence[str], *, as_user: bool = False, check: bool = True,
            timeout: float = 30.0, input: str | None = None,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a short command in this session and capture its output (text).

        as_user: as the test user with ``user_env`` (default: as the test run, with ``env``).
        """
        switch: dict[str, Any] = {}
        if as_user and self.as_other_user:
            assert self.user is not None
            switch = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        use_env = env if env is not None else (self.user_env if as_user else self.env)
        r = subprocess.run(list(argv), check=False, env=dict(use_env), capture_output=True,
                           text=True, timeout=timeout, input=input,
                           stdin=None if input is not None else subprocess.DEVNULL,
                           cwd=str(self.user_dir if as_user else self.state_dir), **switch)
        if check and r.returncode != 0:
            raise DesktopError(f"{' '.join(argv)} failed with exit code {r.returncode}: "
                               f"{r.stderr.strip() or r.stdout.strip()}")
        return r

    def spawn(self, argv: Sequence[str], *, name: str | None = None, as_user: bool = False,
              env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start a long-running program in this session, logging to <state>/<name>.log.

        as_user: as the test user (default env ``user_env``); else as the test run (``env``).
        stop() ends it first (TERM, KILL after 3 s), together with its children.
        """
        label = name or os.path.basename(argv[0])
        use_env = env if env is not None else (self.user_env if as_user else self.env)
        proc = self._popen(label, argv, use_env, as_user=as_user)
        proc.label = f"spawn:{label}"
        proc.name = None  # may exec something else; PID + start time identify it
        self._add(proc)
        assert proc.popen is not None
        return proc.popen

    def user_can_run(self, argv: Sequence[str], timeout: float = 30.0) -> bool:
        """Whether the test user can run this (e.g. this checkout's Python importing sitbreak)."""
        try:
            return self.run(argv, as_user=True, check=False, timeout=timeout).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False

    def wtype(self, *args: str) -> None:
        """Run wtype (Sway only): ``wtype("text")`` types it, ``wtype("-k", "Return")`` a key.

        Real key events through the virtual-keyboard protocol: they reset the idle timers.
        """
        self.run(["wtype", *args], as_user=True)

    def type_text(self, text: str) -> None:
        self.wtype("--", text)

    def key(self, name: str = "Shift_L") -> None:
        """Press and release one key by keysym (default Shift_L, which types nothing anywhere).

        A real key press: a bare modifier change (``wtype -M shift``) is not activity to sway's
        idle timers, a pressed Shift_L is.
        """
        self.wtype("-k", name)

    # ---- mako (notification server) ----------------------------------------------------------

    def makoctl(self, *args: str) -> str:
        return self.run(["makoctl", *args], as_user=True).stdout

    def mako_notifications(self) -> list[dict[str, Any]]:
        """Displayed notifications as plain dicts (id, summary, body, app-name, actions, ...)."""
        data = json.loads(self.makoctl("list"))
        entries = data.get("data", [[]])[0] if isinstance(data, dict) else []
        out: list[dict[str, Any]] = []
        for entry in entries:
            out.append({k: v.get("data") if isinstance(v, dict) else v for k, v in entry.items()})
        return out

    def mako_invoke(self, action: str = "default", notification_id: int | None = None) -> None:
        """Invoke an action (default: a click on the body) of a notification (default: newest)."""
        args = ["invoke"]
        if notification_id is not None:
            args += ["-n", str(notification_id)]
        self.makoctl(*args, action)

    def mako_dismiss_all(self) -> None:
        self.makoctl("dismiss", "--all")

    # ---- waybar (StatusNotifierWatcher + host) -----------------------------------------------

    def sni_items(self) -> list[str]:
        """Items registered with waybar's StatusNotifierWatcher ("<bus name>/<path>" strings)."""
        r = self.run(["dbus-send", "--session", "--print-reply=literal",
                      "--dest=org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                      "org.freedesktop.DBus.Properties.Get", "string:org.kde.StatusNotifierWatcher",
                      "string:RegisteredStatusNotifierItems"], check=False)
        if r.returncode != 0:
            return []
        return re.findall(r"^\s*(\S+)\s*$", r.stdout.split("[", 1)[-1].rsplit("]", 1)[0],
                          re.MULTILINE)

    @staticmethod
    def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05,
                   message: str | None = None) -> Any:
        return wait_until(predicate, timeout, interval, message)


@contextlib.contextmanager
def wayland_session(compositor: Compositor = "sway", **kwargs: Any) -> Iterator[WaylandSession]:
    """Context manager shorthand: with wayland_session("sway", mako=True) as s: ..."""
    with WaylandSession(compositor, **kwargs) as s:
        yield s
