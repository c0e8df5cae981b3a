"""The Wayland activity sources on real compositors: headless Sway (wtype types real keys) and
``kwin_wayland --virtual``, both started by the tests as an unprivileged user."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitbreak.adapters.environment import DesktopEnv
from sitbreak.adapters.idle import select_idle_source
from sitbreak.adapters.idle_wayland import ACTIVE_TIMEOUT_S, IdleEdges, WaylandIdle
from tests.daemon_proc import Daemon
from tests.desktop import wait_until
from tests.wayland_protocol_gen import KDE_IDLE_XML, generate
from tests.wayland_session import WaylandSession, in_ci
from tests.wayland_session import skip_reason as wayland_skip_reason

LEAKS = ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "XDG_SESSION_ID")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pywayland") is None, reason="pywayland is not installed"
)


def use_session(monkeypatch: pytest.MonkeyPatch, s: WaylandSession) -> DesktopEnv:
    for name in LEAKS:
        monkeypatch.delenv(name, raising=False)
    for name, value in s.env_overrides.items():
        monkeypatch.setenv(name, value)
    return DesktopEnv.detect()


def expected_source(s: WaylandSession) -> str:
    """What auto must pick here: ext-idle-notify where offered (KWin, wlroots >= 0.16)."""
    offered = s.globals()
    return "wayland-ext-idle-notify" if "ext_idle_notifier_v1" in offered else "wayland-kde-idle"


class LoopThread:
    """The daemon's worker loop in miniature: an asyncio loop on its own thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def call(self, fn: Any, *args: Any) -> Any:
        async def run() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    lt = LoopThread()
    yield lt
    lt.close()


class Attached:
    """A source attached to a loop thread; counts the "input resumed" callbacks."""

    def __init__(self, source: Any, lt: LoopThread) -> None:
        self.source = source
        self.lt = lt
        self.resumes = 0
        lt.call(source.attach, lt.loop, self._resumed)

    def _resumed(self) -> None:
        self.resumes += 1

    def read(self) -> float:
        """A reading on the loop thread, as the runtime makes it at a deadline."""
        value: float = self.lt.call(self.source.seconds_since_last_input)
        return value

    def close(self) -> None:
        self.lt.call(self.source.close)


class KdeIdlePoker:
    """Activity as the compositor counts it, for KWin (which gives unprivileged clients no
    virtual keyboard): ``org_kde_kwin_idle_timeout.simulate_user_activity``, which "behaves
    just like real user activity on the seat"."""

    def __init__(self, socket: Path) -> None:
        from pywayland.client.display import Display
        from pywayland.protocol.wayland import WlSeat

        from sitbreak.adapters.wayland_kde_idle import OrgKdeKwinIdle

        self.display = Display(str(socket))
        self.display.connect()
        offered: dict[str, int] = {}
        registry = self.display.get_registry()
        registry.dispatcher["global"] = lambda _r, name, iface, _v: offered.setdefault(iface, name)
        self.display.roundtrip()
        seat = registry.bind(offered["wl_seat"], WlSeat, 1)
        manager = registry.bind(offered["org_kde_kwin_idle"], OrgKdeKwinIdle, 1)
        self.timer = manager.get_idle_timeout(seat, 60_000)
        self.display.roundtrip()

    def poke(self) -> None:
        self.timer.simulate_user_activity()
        self.display.roundtrip()

    def close(self) -> None:
        self.display.disconnect()


# ---- pure ----------------------------------------------------------------------------------


def test_idle_edges_rebuild_seconds_since_input() -> None:
    edges = IdleEdges(timeout_s=1.0, now=0.0)  # a new timer counts as activity
    assert edges.seconds_since_last_input(0.25) == 0.25
    assert edges.seconds_since_last_input(5.0) == 1.0  # active: input within the last second
    edges.idled(10.0)  # no input since 9.0
    assert edges.seconds_since_last_input(10.0) == 1.0
    assert edges.seconds_since_last_input(14.5) == 5.5
    edges.idled(12.0)  # a repeated edge does not move the start
    assert edges.seconds_since_last_input(14.5) == 5.5
    assert edges.resumed(15.0) is True  # ended an idle spell
    assert edges.seconds_since_last_input(15.0) == 0.0
    assert edges.seconds_since_last_input(15.4) == pytest.approx(0.4)  # the resume was input
    assert edges.seconds_since_last_input(30.0) == 1.0
    assert edges.resumed(31.0) is False


def test_a_reading_past_the_away_deadline_keeps_the_input_before_it() -> None:
    """Typing resumed 0.5 s before the engine's away deadline; the reading comes 0.2 s after
    it: the input must be dated before the deadline (no false break)."""
    from sitbreak.engine import Engine, Policy
    from sitbreak.engine import commands as cmd
    from sitbreak.engine import events as ev

    policy = Policy(stretch_every=600, away_after=3.0, present_within=2.0)
    engine = Engine(policy, start_at=0.0)
    edges = IdleEdges(timeout_s=1.0, now=0.0)
    out = engine.handle(ev.IdleSample(at=0.0, idle_s=edges.seconds_since_last_input(0.0)))
    edges.idled(1.0)
    edges.resumed(2.5)
    deadline = engine.next_deadline()
    assert deadline is not None
    assert deadline == pytest.approx(3.0)
    at = deadline + 0.2
    out = engine.handle(ev.IdleSample(at=at, idle_s=edges.seconds_since_last_input(at)))
    assert not [c for c in out if isinstance(c, cmd.BreakRecorded)]
    assert engine.status(at).presence == "sitting"


def test_shipped_kde_idle_bindings_are_what_the_scanner_makes(tmp_path: Path) -> None:
    if not KDE_IDLE_XML.exists():
        if in_ci():
            pytest.fail(f"{KDE_IDLE_XML} missing: installers/desktop-packages.sh installs it")
        pytest.skip(f"{KDE_IDLE_XML} not installed (Debian package plasma-wayland-protocols)")
    fresh = tmp_path / "fresh_kde_idle.py"
    fresh.write_text(generate())
    spec = importlib.util.spec_from_file_location("fresh_kde_idle", fresh)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = importlib.import_module("sitbreak.adapters.wayland_kde_idle")

    def wire(mod: Any) -> list[Any]:
        out = []
        for cls in (mod.OrgKdeKwinIdle, mod.OrgKdeKwinIdleTimeout):
            for kind in ("requests", "events"):
                for m in getattr(cls, kind):
                    args = [(a.argument_type, a.interface and a.interface.name)
                            for a in m.arguments]
                    out.append((cls.name, cls.version, kind, m.name, args))
        return out

    assert wire(module) == wire(shipped)
    assert ("org_kde_kwin_idle_timeout", 1, "events", "resumed", []) in wire(shipped)


# ---- headless Sway -------------------------------------------------------------------------


def test_sway_auto_picks_the_wayland_protocol_and_sees_wtype_and_absence(
    sway_bare: WaylandSession, monkeypatch: pytest.MonkeyPatch, loop_thread: LoopThread
) -> None:
    s = sway_bare
    env = use_session(monkeypatch, s)
    picked = select_idle_source("auto", env)
    reasons = picked.why()
    src = Attached(picked.impl, loop_thread)
    try:
        assert picked.name == expected_source(s)
        assert "Wayland" in reasons["x11-screensaver"]
        assert "XWayland" in reasons["pynput-listener"]  # auto never falls back to it here
        if picked.name == "wayland-kde-idle":  # Debian 12's sway 1.7 (wlroots 0.15)
            assert reasons["wayland-ext-idle-notify"] == (
                "the compositor does not offer ext_idle_notifier_v1 (it offers org_kde_kwin_idle)")
            assert "respects idle inhibitors" in str(picked.impl.details[0])  # type: ignore[attr-defined]
        time.sleep(1.5)  # quiet past the 1 s timer
        assert src.read() >= 1.0
        # input: the loop hears it by itself, before anyone reads
        s.key()
        wait_until(lambda: src.resumes == 1, 5.0, message="the resumed event on the loop")
        assert src.read() < 0.5
        # absence: no input; the idled event arrives through the fd watched on the loop
        time.sleep(2.5)
        idle = src.read()
        assert 2.5 - 0.4 <= idle <= 2.5 + 0.5, idle  # rebuilt from one 1 s timer
        assert src.resumes == 1
        s.type_text("up")
        wait_until(lambda: src.resumes == 2, 5.0, message="the next resumed event")
        assert src.read() < 0.5
        # a keystroke while active changes nothing and wakes nobody
        s.key()
        assert src.read() < 1.0
        time.sleep(0.3)
        assert src.resumes == 2
    finally:
        src.close()


def test_sway_doctor_explains_the_wayland_choice(sway_bare: WaylandSession) -> None:
    s = sway_bare
    r = s.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    lines = r.stdout.splitlines()
    picked = expected_source(s)
    assert any(line.startswith("Activity source: the Wayland compositor's idle notifications")
               and line.endswith(f"({picked})") for line in lines)
    assert '    [activity] source = "auto"' in lines
    assert f"  + {picked}: picked" in lines
    assert "  - x11-screensaver: Wayland session: Xwayland only sees X clients' input" in lines
    assert any(line.startswith("  - pynput-listener: Wayland session") for line in lines)
    protocol = "ext_idle_notifier_v1" if "ext" in picked else "org_kde_kwin_idle"
    detail = next(line for line in lines if line.startswith(f"    {protocol} version"))
    assert "idle inhibitors" in detail
    assert "    event-based: the compositor says idled/resumed; no polling" in lines


def test_source_survives_the_compositor_going_away(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, loop_thread: LoopThread
) -> None:
    reason = wayland_skip_reason("sway")
    if reason:
        pytest.skip(reason)
    s = WaylandSession("sway").start()
    try:
        use_session(monkeypatch, s)
        src = Attached(WaylandIdle("ext-idle-notify" if expected_source(s).endswith("notify")
                                   else "kde-idle"), loop_thread)
        time.sleep(1.5)
        assert src.read() >= 1.0
    finally:
        s.stop()
    caplog.set_level(logging.INFO, logger="sitbreak")
    # the loop saw the hang-up by itself: it stopped watching the dead fd (no busy loop)
    wait_until(lambda: src.source._watched_fd is None, 5.0, message="the reader to go")
    assert src.read() == 0.0  # no compositor: "input just now", no exception
    assert src.read() == 0.0
    lost = [r for r in caplog.records if "Wayland idle notifications" in r.getMessage()]
    assert len(lost) == 1, [r.getMessage() for r in lost]  # one line per outage
    src.close()


def test_sway_daemon_records_a_break_from_wayland_idle(
    sway_bare: WaylandSession, tmp_path: Path
) -> None:
    """A real `sitbreak run` on the Sway session: wtype keys are sitting, a silence longer than
    away_after (3 s) is away, and the next key records the break at once (the resumed event
    wakes the daemon: without it the next deadline could be a minute away)."""
    s = sway_bare
    with Daemon(s.env, tmp_path, args=("--headless",)) as d:
        st = d.status()
        assert st["source"] == expected_source(s)
        s.key()
        st = d.wait_status(lambda st: st["presence"] == "sitting", 5, "sitting after a key")
        # the daemon's start-up may itself have been a silence longer than away_after
        before = st["breaks"]
        for _ in range(3):  # typing: still sitting, no break
            s.type_text("typing")
            time.sleep(0.5)
        assert d.status()["breaks"] == before
        last_key = time.monotonic()
        d.wait_status(lambda st: st["presence"] == "away", 3 + ACTIVE_TIMEOUT_S + 4,
                      "away after 3 s without input")
        away_after_s = time.monotonic() - last_key
        assert d.status()["breaks"] == before, d.log()
        time.sleep(1.0)
        s.key()
        back = time.monotonic()
        st = d.wait_status(lambda st: st["breaks"] == before + 1, 5,
                           "the break recorded on return")
        recorded_in = time.monotonic() - back
        assert st["presence"] == "sitting"
        assert st["last_break"]["cause"] == "away"
        # from the last key to this one: at least away_after, at most what the test waited
        assert 3.0 <= st["last_break"]["length_s"] <= away_after_s + 1.0 + 2.0
        print(f"\nsway: away {away_after_s:.1f} s after the last key; break recorded "
              f"{recorded_in:.2f} s after the next key ({st['last_break']})")
    assert "activity source: wayland-" in d.log()


# ---- kwin_wayland --virtual ----------------------------------------------------------------


def test_kwin_ext_idle_notify_v1_reports_idled_after_the_timeout(
    kwin_session: WaylandSession, monkeypatch: pytest.MonkeyPatch, loop_thread: LoopThread
) -> None:
    s = kwin_session
    env = use_session(monkeypatch, s)
    assert env.kde and env.wayland
    picked = select_idle_source("auto", env)
    reasons = picked.why()
    src = Attached(picked.impl, loop_thread)
    try:
        assert picked.name == "wayland-ext-idle-notify"
        version = s.globals()["ext_idle_notifier_v1"]
        detail = str(picked.impl.details[0])  # type: ignore[attr-defined]
        assert detail.startswith(f"ext_idle_notifier_v1 version {min(version, 2)}")
        if version == 1:  # KWin 5.27: inhibitors count, and doctor says so
            assert "respects idle inhibitors" in detail
        assert reasons["freedesktop-screensaver"].startswith("KDE on Wayland")
        assert reasons["wayland-kde-idle"] == "not tried: wayland-ext-idle-notify comes first"
        # nobody types on this KWin: the timer created with the source fires after 1 s, and
        # the reading grows from there
        time.sleep(2.5)
        idle = src.read()
        assert 2.5 - 0.5 <= idle <= 2.5 + 0.6, idle
        if "org_kde_kwin_idle" in s.globals():
            poker = KdeIdlePoker(s.wayland_socket)  # type: ignore[arg-type]
            try:
                poker.poke()
                wait_until(lambda: src.resumes == 1, 5.0, message="resumed on the loop")
                assert src.read() < 0.5
            finally:
                poker.close()
    finally:
        src.close()


def test_kwin_daemon_records_a_break(kwin_session: WaylandSession, tmp_path: Path) -> None:
    s = kwin_session
    if "org_kde_kwin_idle" not in s.globals():
        pytest.skip("this KWin has no org_kde_kwin_idle: no way for a test client to be active")
    with Daemon(s.env, tmp_path, args=("--headless",)) as d:
        assert d.status()["source"] == "wayland-ext-idle-notify"
        poker = KdeIdlePoker(s.wayland_socket)  # type: ignore[arg-type]
        try:
            poker.poke()
            before = d.wait_status(lambda st: st["presence"] == "sitting", 5, "sitting")["breaks"]
            d.wait_status(lambda st: st["presence"] == "away", 3 + ACTIVE_TIMEOUT_S + 4, "away")
            assert d.status()["breaks"] == before
            time.sleep(0.5)
            poker.poke()
            st = d.wait_status(lambda st: st["breaks"] == before + 1, 5,
                               "the break recorded on return")
        finally:
            poker.close()
        assert st["last_break"]["cause"] == "away"
        assert st["last_break"]["length_s"] >= 3.0


def test_kwin_doctor_says_version_1_respects_idle_inhibitors(kwin_session: WaylandSession) -> None:
    s = kwin_session
    r = s.run([sys.executable, "-m", "sitbreak", "doctor"], timeout=60)
    lines = r.stdout.splitlines()
    assert ("Activity source: the Wayland compositor's idle notifications "
            "(wayland-ext-idle-notify)") in lines
    assert any(line.startswith("  - freedesktop-screensaver: KDE on Wayland") for line in lines)
    version = min(s.globals()["ext_idle_notifier_v1"], 2)
    detail = next(line for line in lines if line.startswith("    ext_idle_notifier_v1 version"))
    assert detail.startswith(f"    ext_idle_notifier_v1 version {version}")
    if version == 1:
        assert "respects idle inhibitors" in detail
    else:
        assert "input-only" in detail
