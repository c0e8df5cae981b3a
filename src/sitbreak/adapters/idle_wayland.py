"""Wayland idle notifications: ``ext-idle-notify-v1`` and KDE's older ``org_kde_kwin_idle``.

A Wayland client cannot ask "how long since the last input"; the compositor only says *idled*
(no input for the timeout we asked for) and *resumed* (input again). With one short timeout
``T`` that is enough to rebuild the number the engine reads at its deadlines:

- after *idled* at ``t``: the last input was at ``t - T``, so ``now - t + T`` (exact, to the
  compositor's timer);
- otherwise (active): *resumed* at ``r`` was an input, and some input came within the last
  ``T``: ``min(now - r, T)``, the earliest time the last input can have been (off by less than
  ``T``, as a counter read between two polls would be; never later than the truth, so a reading
  just past the away deadline cannot turn earlier typing into a break).

The connection's fd is watched on the worker loop (``attach``), so events are taken in as they
come, with no polling beat; without ``attach`` (``sitbreak doctor``) each reading drains what is
pending first, without blocking. ``attach``'s ``on_change`` fires when input *resumes* after an
idle spell, so the runtime can read at once and date a break's end exactly.

Inhibitors (a playing video asking the screen to stay on): ``ext-idle-notify`` v2's
``get_input_idle_notification`` counts input only, as the X11, Windows and macOS counters do; v1
and ``org_kde_kwin_idle`` count an inhibited session as active. ``details`` says which.

Bindings: pywayland's wheel ships ``ext_idle_notify_v1`` (and libwayland-client);
``org_kde_kwin_idle`` comes from ``wayland_kde_idle``, generated once with pywayland's scanner
and shipped (see ``tests/wayland_protocol_gen.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, Literal

from sitbreak.adapters.base import Unavailable
from sitbreak.adapters.clocks import engine_now
from sitbreak.i18n import N_, Text

log = logging.getLogger(__name__)

WaylandProtocol = Literal["ext-idle-notify", "kde-idle"]

# Short enough that "active" means input within a second, long enough that typing with short
# pauses does not wake us at every keystroke (one idled/resumed pair per pause longer than T).
ACTIVE_TIMEOUT_S = 1.0
EXT_IDLE_MAX_VERSION = 2

_GLOBALS = {"ext-idle-notify": "ext_idle_notifier_v1", "kde-idle": "org_kde_kwin_idle"}
NAMES = {"ext-idle-notify": "wayland-ext-idle-notify", "kde-idle": "wayland-kde-idle"}


class IdleEdges:
    """Seconds since the last input, rebuilt from idled/resumed edges (pure, no I/O)."""

    def __init__(self, timeout_s: float, now: float) -> None:
        self.timeout_s = timeout_s
        self.idle_since: float | None = None  # when "idled" arrived; None while active
        self.active_since = now  # "resumed" is an input; a new timer starts from "active"

    def idled(self, at: float) -> None:
        if self.idle_since is None:
            self.idle_since = at

    def resumed(self, at: float) -> bool:
        """Input at ``at``; True if that ended an idle spell."""
        was_idle = self.idle_since is not None
        self.idle_since = None
        self.active_since = at
        return was_idle

    def seconds_since_last_input(self, now: float) -> float:
        if self.idle_since is not None:
            return max(0.0, now - self.idle_since) + self.timeout_s
        # active: the last input is no earlier than the resume and no more than T ago. The
        # earliest such time, not "now": a reading just past the away deadline must not date
        # an input that came before it after the deadline (a break that never was).
        return min(max(0.0, now - self.active_since), self.timeout_s)


def _disconnect(display: Any) -> None:
    """Destroy the display's proxies, then the display (pywayland keeps proxies alive in a
    class-level registry: freeing the display first would leave them dangling at exit)."""
    with contextlib.suppress(Exception):
        display.flush()
    with contextlib.suppress(Exception):
        display.disconnect()


class _Connection:
    """One Wayland connection with one idle timer on the first seat."""

    def __init__(self, protocol: WaylandProtocol, display_name: str | None, timeout_s: float,
                 on_idled: Callable[[], None], on_resumed: Callable[[], None]) -> None:
        from pywayland.client.display import Display

        display = Display(display_name)
        try:
            display.connect()
        except ValueError:
            raise Unavailable(N_("cannot connect to the Wayland compositor "
                                 "(WAYLAND_DISPLAY={display})"),
                              display=display_name or "default") from None
        self.display = display
        self.offered_version = 0
        self.timer: Any = None
        self._finalizer = weakref.finalize(self, _disconnect, display)
        try:
            self.version, self.input_only = self._setup(protocol, timeout_s, on_idled,
                                                        on_resumed)
        except BaseException:
            self.close()
            raise

    def _setup(self, protocol: WaylandProtocol, timeout_s: float, on_idled: Callable[[], None],
               on_resumed: Callable[[], None]) -> tuple[int, bool]:
        from pywayland.protocol.wayland import WlSeat

        display = self.display
        offered: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))

        registry = display.get_registry()
        registry.dispatcher["global"] = on_global
        self._roundtrip()
        wanted = _GLOBALS[protocol]
        if wanted not in offered:
            others = sorted(g for g in _GLOBALS.values() if g in offered and g != wanted)
            if others:
                raise Unavailable(N_("the compositor does not offer {wanted} (it offers "
                                     "{others})"), wanted=wanted, others=", ".join(others))
            raise Unavailable(N_("the compositor does not offer {wanted}"), wanted=wanted)
        if "wl_seat" not in offered:
            raise Unavailable(N_("the compositor offers no seat (wl_seat)"))
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        timeout_ms = max(1, round(timeout_s * 1000))
        name, offered_version = offered[wanted]
        self.offered_version = offered_version

        def idled(_proxy: Any) -> None:
            on_idled()

        def resumed(_proxy: Any) -> None:
            on_resumed()

        if protocol == "ext-idle-notify":
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1

            version = min(offered_version, EXT_IDLE_MAX_VERSION, ExtIdleNotifierV1.version)
            notifier = registry.bind(name, ExtIdleNotifierV1, version)
            input_only = version >= 2
            if input_only:
                timer = notifier.get_input_idle_notification(timeout_ms, seat)
            else:
                timer = notifier.get_idle_notification(timeout_ms, seat)
            timer.dispatcher["idled"] = idled
        else:
            from sitbreak.adapters.wayland_kde_idle import OrgKdeKwinIdle

            version, input_only = 1, False
            manager = registry.bind(name, OrgKdeKwinIdle, 1)
            timer = manager.get_idle_timeout(seat, timeout_ms)
            timer.dispatcher["idle"] = idled
        timer.dispatcher["resumed"] = resumed
        self.timer = timer
        self._roundtrip()  # a protocol error (compositor refused the timer) surfaces here
        return version, input_only

    def _roundtrip(self) -> None:
        if self.display.roundtrip() < 0:
            raise Unavailable(N_("the Wayland connection failed during setup"))

    def fileno(self) -> int:
        return int(self.display.get_fd())

    def pump(self) -> None:
        """Take in and dispatch whatever the compositor sent; never blocks.

        ``read`` = prepare_read + read_events, and libwayland reads with MSG_DONTWAIT: with
        nothing to read it returns at once. A closed connection raises RuntimeError.
        """
        self.display.read()
        self.display.dispatch(block=False)
        self.display.flush()

    def close(self) -> None:
        self._finalizer()


class WaylandIdle:
    """Activity source on a Wayland idle protocol; see the module docstring."""

    def __init__(self, protocol: WaylandProtocol, display_name: str | None = None,
                 timeout_s: float = ACTIVE_TIMEOUT_S) -> None:
        self.protocol: WaylandProtocol = protocol
        self.name = NAMES[protocol]
        self._display_name = display_name
        self._edges = IdleEdges(timeout_s, engine_now())
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_change: Callable[[], None] | None = None
        self._watched_fd: int | None = None
        self._failing = False
        self._came_back = False
        # raises if there is no compositor or it lacks the protocol: the factory says why
        self._conn: _Connection | None = self._open()
        self.details: list[Text] = [self._describe(self._conn)]

    def _open(self) -> _Connection:
        return _Connection(self.protocol, self._display_name, self._edges.timeout_s,
                           self._idled, self._resumed)

    def _describe(self, conn: _Connection) -> Text:
        bound = Text(N_("{protocol} version {version}"), protocol=_GLOBALS[self.protocol],
                     version=conn.version)
        if conn.offered_version != conn.version:
            bound = Text(N_("{protocol} version {version} (of {offered})"),
                         protocol=_GLOBALS[self.protocol], version=conn.version,
                         offered=conn.offered_version)
        timer = self._edges.timeout_s
        if conn.input_only:
            return Text(N_("{bound}: input-only idleness, {seconds:g} s timer; idle inhibitors "
                           "(a playing video) do not count as input"), bound=bound, seconds=timer)
        return Text(N_("{bound}: {seconds:g} s timer; respects idle inhibitors: while an app "
                       "inhibits idle (e.g. a playing video) you count as active"),
                    bound=bound, seconds=timer)

    # -- events (on the thread that pumps: the worker loop, or the reader) ------------------

    def _idled(self) -> None:
        self._edges.idled(engine_now())

    def _resumed(self) -> None:
        if self._edges.resumed(engine_now()):
            self._came_back = True

    # -- IdleSource ---------------------------------------------------------------------------

    def seconds_since_last_input(self) -> float:
        """Never raises: a lost connection is reopened on the next reading; until then 0.0
        ("input just now") is returned, with one warning per outage."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                    self._edges.resumed(engine_now())  # a new timer starts from "active"
                    self._watch()
                self._conn.pump()
            except Exception as exc:
                self._drop()
                if not self._failing:
                    log.warning("Wayland idle notifications unavailable: %s", exc)
                self._failing = True
                return 0.0
            if self._failing:
                log.info("Wayland idle notifications available again")
                self._failing = False
            self._came_back = False  # this reading already tells the engine
            return self._edges.seconds_since_last_input(engine_now())

    def attach(self, loop: asyncio.AbstractEventLoop, on_change: Callable[[], None]) -> None:
        """Take events in on ``loop`` as they arrive (call on that loop's thread, once);
        ``on_change`` runs there when input resumes after an idle spell."""
        with self._lock:
            self._loop, self._on_change = loop, on_change
            self._watch()

    def _watch(self) -> None:
        if self._loop is None or self._conn is None:
            return
        fd = self._conn.fileno()
        self._loop.add_reader(fd, self._readable)
        self._watched_fd = fd

    def _unwatch(self) -> None:
        fd, self._watched_fd = self._watched_fd, None
        if fd is not None and self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(Exception):
                self._loop.remove_reader(fd)

    def _readable(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                self._conn.pump()
            except Exception as exc:
                # the compositor went away: stop watching; the next reading tries again
                self._drop()
                if not self._failing:
                    log.warning("Wayland idle notifications lost: %s", exc)
                self._failing = True
                return
            came_back, self._came_back = self._came_back, False
        if came_back and self._on_change is not None:
            self._on_change()

    def _drop(self) -> None:
        self._unwatch()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        with self._lock:
            self._drop()
            self._loop = self._on_change = None
