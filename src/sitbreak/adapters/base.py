"""The small protocols between the runtime and the platform.

Threading contract: the runtime owns one worker thread with an asyncio loop (engine, notifier,
D-Bus, config polling); the tray owns the main thread; the stretch card is a child process.
Adapters never call the engine: they return values or call the callback they were given, and
callbacks only enqueue (no work on foreign threads).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, Literal, Protocol, TypeVar

from sitbreak.i18n import N_, Text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one candidate was or was not taken: words translated where they are shown
    (``sitbreak doctor``; the log keeps the English), and whether it was the one picked."""

    candidate: str
    why: Text
    picked: bool = False


def taken(candidate: str, msgid: str, /, **values: object) -> Reason:
    """The candidate picked; ``msgid`` marked with ``N_`` (its values as in ``Text``)."""
    return Reason(candidate, Text(msgid, **values), picked=True)


def not_taken(candidate: str, msgid: str, /, **values: object) -> Reason:
    return Reason(candidate, Text(msgid, **values))


class Unavailable(RuntimeError):
    """A candidate that cannot work here, saying why in words a user can read (``sitbreak
    doctor`` translates them; ``str()`` is the English, for the log)."""

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.why = Text(msgid, **values)
        super().__init__(str(self.why))


def short_error(exc: BaseException) -> str:
    """``Type: first line`` of an exception (technical text: it stays as it is)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failure(candidate: str, exc: BaseException) -> Reason:
    """Why ``candidate`` failed: its own words if it said ``Unavailable``, else the error after
    a translated lead-in."""
    if isinstance(exc, Unavailable):
        return Reason(candidate, exc.why)
    if isinstance(exc, TimeoutError) and not str(exc):
        return not_taken(candidate, N_("timed out"))
    return not_taken(candidate, N_("failed: {error}"), error=short_error(exc))


@dataclass(frozen=True, slots=True)
class Picked(Generic[T]):
    """What a factory chose, and why each candidate was or was not taken."""

    impl: T
    name: str
    reasons: tuple[Reason, ...] = field(default=())

    def why(self) -> dict[str, str]:
        """Candidate → its reason in English, as the log says it."""
        return {r.candidate: str(r.why) for r in self.reasons}


class IdleSource(Protocol):
    """Seconds since the last keyboard/mouse input (never which key). Read at the engine's
    deadlines, not on a fixed beat.

    An event-driven source (Wayland) may also offer ``attach(loop, on_change)``: the runtime
    calls it once on the worker loop; the source then watches its fd there and calls
    ``on_change`` when input resumes after an idle spell (the runtime reads at once if the
    engine waits for that). Such a source needs no ``idle_poll`` recheck while the user is away.
    """

    name: str

    def seconds_since_last_input(self) -> float: ...

    def close(self) -> None: ...


SessionEventName = Literal["lock", "unlock", "sleep", "wake"]


class SessionWatcher(Protocol):
    """Pushes lock/unlock/sleep/wake as they happen (runs on the worker loop)."""

    name: str

    async def start(self, emit: Callable[[SessionEventName], None]) -> None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PresenceReading:
    call: bool = False  # a microphone or camera is in use
    inhibited: bool = False  # an application holds the idle inhibitor (a video, a slide show)


class PresenceSource(Protocol):
    """Evidence that the user is at the desk without touching anything: a call or an idle
    inhibitor. Only *whether*, never which application, never what is said.

    ``pushes``: the source watches by itself (a subscription, a signal) and calls
    ``on_change`` whenever its answer may have changed; ``read`` then returns what it last
    saw. Otherwise ``read`` looks now, and the runtime calls it only when the answer matters
    (at a deadline while an input gap is open, or on a slow beat during a call it reported),
    so it costs nothing while the user types or is away. ``on_change`` may be called from any
    thread; it only enqueues."""

    name: str
    pushes: bool

    async def start(self, on_change: Callable[[], None]) -> None: ...

    def read(self) -> PresenceReading: ...

    def describe(self) -> Text:
        """One line for `sitbreak doctor`: what it watches and what it sees now."""

    async def close(self) -> None: ...


NudgeAnswerName = Literal["done", "snooze", "skip", "clicked", "dismissed"]


@dataclass(frozen=True, slots=True)
class NudgeView:
    kind: Literal["stretch", "posture"]
    item: str
    title: str  # e.g. "Time to stand: seated figure-four"
    body: str  # e.g. "30 s each side"; the notifier adds how to answer where that is possible


class Notifier(Protocol):
    name: str
    clickable: bool  # False: the tray's "Show stretch" is the way to the card
    sound: bool  # notifications.sound: a sound with each nudge (settable on a config reload)

    async def show(self, view: NudgeView, answer: Callable[[NudgeAnswerName], None]) -> None:
        """Show ``view``, replacing any nudge still on screen; ``answer`` is called on the
        worker loop when the user clicks the body or a button."""

    async def withdraw(self) -> None: ...

    async def alert(self, title: str, message: str) -> None:
        """A plain one-off message (e.g. an invalid config edit); no buttons."""

    async def dnd_active(self) -> bool:
        """True while the user's do-not-disturb is on: defer the nudge (do not drop it)."""

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class TrayView:
    state: Literal["fresh", "due", "overdue", "paused", "standing", "away"]
    fill: float  # 0..1 of the stretch interval sat through (the ring)
    tooltip: str  # "Sitting 24 min · next stretch in 6 min"
    status_line: str


@dataclass(frozen=True, slots=True)
class TrayActions:
    """Menu callbacks; each one only enqueues work for the worker thread."""

    stretch_now: Callable[[], None]
    show_current: Callable[[], None]
    snooze: Callable[[], None]
    pause: Callable[[float | None, bool], None]  # (seconds or None, until_tomorrow)
    resume: Callable[[], None]
    toggle_standing: Callable[[], None]
    safety_card: Callable[[], None]
    open_config: Callable[[], None]
    statistics: Callable[[], None]
    quit: Callable[[], None]


class Tray(Protocol):
    name: str
    has_menu: bool

    def run(self, on_ready: Callable[[], None]) -> None:
        """Block the calling (main) thread until ``stop``; ``on_ready`` runs once it is up."""

    def update(self, view: TrayView) -> None:
        """Thread-safe; redraws only when what is shown changed."""

    def stop(self) -> None: ...


CardAnswer = Literal["done", "snooze", "skip", "another", "closed"]


class CardOpener(Protocol):
    """Opens the stretch card as a child process and reports the user's answer."""

    # seconds the last card's timer says the stretch was held (0 when it said nothing usable)
    held_s: float

    def open(self, item: str, *, focus: bool = False) -> Awaitable[CardAnswer]:
        """``focus``: asked for from the keyboard (the card's "Another one"): it may take the
        keyboard at once; otherwise it waits for a click, so typing elsewhere goes on."""

    async def close(self) -> None:
        """Close a card still open (shutdown); its pending ``open`` answers "closed"."""
