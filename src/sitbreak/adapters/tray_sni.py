"""The tray icon as a StatusNotifierItem (``org.kde.StatusNotifierItem``) with a
``com.canonical.dbusmenu`` menu, spoken directly over D-Bus with dbus-fast: no GUI toolkit.

The host (KDE Plasma, GNOME with the AppIndicator extension, XFCE, Cinnamon, MATE, LXQt, waybar)
draws the icon from our pixmaps and the menu from our tree. Protocol, in our words:

- the item owns ``org.kde.StatusNotifierItem-<pid>-1`` on its own session-bus connection, serves
  the item at ``/StatusNotifierItem`` and the menu at ``/MenuBar``, and registers that name with
  ``org.kde.StatusNotifierWatcher``; closing the connection is how an item goes away;
- the watcher can appear later or restart (a panel started after us, a crash): we listen for
  ``NameOwnerChanged`` of the watcher's name and register again each time it gets an owner;
- the picture is the same ring as everywhere, sent as ``IconPixmap`` (ARGB32, network byte order)
  at a few sizes; a new picture, tooltip or title is announced with ``NewIcon``/``NewToolTip``/
  ``NewTitle``, and hosts read the property again;
- ``Activate`` (left click) runs the menu's default entry (show the current stretch), as the
  xorg icon's left click does; ``ItemIsMenu`` is false so hosts keep the menu on right click.

Threads: ``run`` owns an asyncio loop on the calling (main) thread; ``update`` and ``stop`` may
be called from any thread and only hand work to that loop.
"""

# no `from __future__ import annotations`: dbus-fast reads these annotations as D-Bus
# signatures, and a deferred "-> None" would read as a missing one
import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from typing import Annotated, Any

from dbus_fast import BusType, Message, MessageType, NameFlag, PropertyAccess, RequestNameReply
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusSignature
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from sitbreak.adapters import tray_frames
from sitbreak.adapters.base import TrayActions, TrayView
from sitbreak.adapters.dbusmenu import DBusMenu, MenuTree
from sitbreak.adapters.tray_icon import picture_key
from sitbreak.adapters.tray_menu import menu_entries
from sitbreak.i18n import N_

log = logging.getLogger(__name__)

APP = "sitbreak"
ITEM_PATH = "/StatusNotifierItem"
MENU_PATH = "/MenuBar"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
PIXMAP_SIZES = tray_frames.SIZES
REGISTER_TIMEOUT_S = 5.0
INITIAL = TrayView(state="fresh", fill=0.0, tooltip=APP, status_line=N_("Starting…"))

Pixmaps = list[list[Any]]  # a(iiay): [width, height, ARGB bytes]


def pixmaps(key: tuple[str, int]) -> Pixmaps:
    """The ring at each size in ``PIXMAP_SIZES`` as SNI wants it: ARGB32 in network byte order
    (bytes A, R, G, B per pixel), row by row; drawn in advance (``tray_frames``: no Pillow)."""
    return tray_frames.pixmaps(key)


class StatusNotifierItem(ServiceInterface):
    """``org.kde.StatusNotifierItem``; ``show(view)`` announces what changed."""

    def __init__(self, view: TrayView, activate: Callable[[], None]) -> None:
        super().__init__("org.kde.StatusNotifierItem")
        self._activate = activate
        self._view = view
        self._key = picture_key(view)
        self._pixmaps = pixmaps(self._key)
        self.activation_token = ""

    def show(self, view: TrayView) -> None:
        old, self._view = self._view, view
        key = picture_key(view)
        if key != self._key:
            self._key = key
            self._pixmaps = pixmaps(key)
            self.NewIcon()
        if view.tooltip != old.tooltip:
            self.NewToolTip()
            self.NewTitle()

    # -- methods ------------------------------------------------------------------------------

    @dbus_method()
    def Activate(
        self, x: Annotated[int, DBusSignature("i")], y: Annotated[int, DBusSignature("i")]
    ) -> None:
        log.info("tray icon activated (left click)")
        self._activate()

    @dbus_method()
    def SecondaryActivate(
        self, x: Annotated[int, DBusSignature("i")], y: Annotated[int, DBusSignature("i")]
    ) -> None:
        pass  # middle click: nothing (a stray click should not start anything)

    @dbus_method()
    def ContextMenu(
        self, x: Annotated[int, DBusSignature("i")], y: Annotated[int, DBusSignature("i")]
    ) -> None:
        # only hosts that cannot read our dbusmenu ask the item to draw a menu: we have no
        # toolkit to draw one with
        log.info("the tray host asked for a menu we cannot draw (it does not read dbusmenu)")

    @dbus_method()
    def Scroll(
        self,
        delta: Annotated[int, DBusSignature("i")],
        orientation: Annotated[str, DBusSignature("s")],
    ) -> None:
        pass

    @dbus_method()
    def ProvideXdgActivationToken(
        self, token: Annotated[str, DBusSignature("s")]
    ) -> None:
        self.activation_token = token

    # -- signals ------------------------------------------------------------------------------

    @dbus_signal()
    def NewTitle(self) -> None:
        return None

    @dbus_signal()
    def NewIcon(self) -> None:
        return None

    @dbus_signal()
    def NewToolTip(self) -> None:
        return None

    @dbus_signal()
    def NewStatus(self, status: str) -> Annotated[str, DBusSignature("s")]:
        return status

    # -- properties ---------------------------------------------------------------------------

    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> Annotated[str, DBusSignature("s")]:
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> Annotated[str, DBusSignature("s")]:
        return APP

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> Annotated[str, DBusSignature("s")]:
        return f"{APP}: {self._view.tooltip}"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> Annotated[str, DBusSignature("s")]:
        return "Active"

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> Annotated[int, DBusSignature("i")]:
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> Annotated[str, DBusSignature("s")]:
        return ""  # no themed icon: the pixmaps are the picture

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> Annotated[str, DBusSignature("s")]:
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> Annotated[Pixmaps, DBusSignature("a(iiay)")]:
        return self._pixmaps

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconName(self) -> Annotated[str, DBusSignature("s")]:
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconPixmap(self) -> Annotated[Pixmaps, DBusSignature("a(iiay)")]:
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> Annotated[str, DBusSignature("s")]:
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> Annotated[Pixmaps, DBusSignature("a(iiay)")]:
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionMovieName(self) -> Annotated[str, DBusSignature("s")]:
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> Annotated[list[Any], DBusSignature("(sa(iiay)ss)")]:
        return ["", [], APP, self._view.tooltip]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> Annotated[bool, DBusSignature("b")]:
        return False  # a left click is Activate; the menu is on right click

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> Annotated[str, DBusSignature("o")]:
        return MENU_PATH


class SniTray:
    """The ``Tray`` protocol as a StatusNotifierItem (see the module doc)."""

    name = "sni"
    has_menu = True

    def __init__(self, actions: TrayActions) -> None:
        self._entries = menu_entries(actions)
        default = next(e for e in self._entries if e.default)
        assert default.run is not None
        self._activate = default.run
        self._view = INITIAL
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stopped = False
        self.bus_name = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
        self.registered = threading.Event()  # set while a watcher has our item (tests, doctor)
        self._item: StatusNotifierItem | None = None
        self._menu: DBusMenu | None = None
        self._tasks: set[asyncio.Future[Any]] = set()

    # -- Tray protocol (any thread) -----------------------------------------------------------

    def run(self, on_ready: Callable[[], None]) -> None:
        with self._lock:
            if self._stopped:
                return
        asyncio.run(self._main(on_ready))

    def update(self, view: TrayView) -> None:
        with self._lock:
            self._view = view
            loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(self._show)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)

    # -- on the tray's loop -------------------------------------------------------------------

    def _show(self) -> None:
        with self._lock:
            view = self._view
        if self._item is not None and self._menu is not None:
            self._item.show(view)
            self._menu.show(view)

    async def _main(self, on_ready: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        with self._lock:
            if self._stopped:
                return
            self._loop, self._stop = loop, stop
            view = self._view
        bus = await MessageBus(bus_type=BusType.SESSION).connect()
        try:
            with _signals_wake(loop):
                self._item = StatusNotifierItem(view, self._activate)
                self._menu = DBusMenu(MenuTree(self._entries), view)
                bus.export(ITEM_PATH, self._item)
                bus.export(MENU_PATH, self._menu)
                reply = await bus.request_name(self.bus_name, NameFlag.DO_NOT_QUEUE)
                if reply != RequestNameReply.PRIMARY_OWNER:
                    raise RuntimeError(f"could not own {self.bus_name} ({reply.name})")
                await self._follow_watcher(bus)
                if not await self._register(bus):
                    log.info("no StatusNotifierWatcher yet: the icon appears when one starts")
                self._show()  # a view that arrived while connecting
                on_ready()
                disconnected = asyncio.ensure_future(
                    bus.wait_for_disconnect()  # type: ignore[no-untyped-call]
                )
                stopping = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait(
                    {disconnected, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                for fut in (disconnected, stopping):
                    if fut not in done:
                        fut.cancel()
                if disconnected in done:
                    log.warning("the session bus went away: no tray icon any more")
        finally:
            for task in list(self._tasks):
                task.cancel()
            self.registered.clear()
            bus.disconnect()  # the watcher drops an item whose connection closed
            with self._lock:
                self._loop = self._stop = None

    async def _follow_watcher(self, bus: MessageBus) -> None:
        """Register again whenever the watcher's name gets a (new) owner."""
        rule = (
            "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
            f"member='NameOwnerChanged',arg0='{WATCHER}'"
        )
        await bus.call(
            Message(
                destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus",
                member="AddMatch",
                signature="s",
                body=[rule],
            )
        )

        def on_message(msg: Message) -> None:
            if (
                msg.message_type == MessageType.SIGNAL
                and msg.member == "NameOwnerChanged"
                and msg.body
                and msg.body[0] == WATCHER
            ):
                if msg.body[2]:
                    log.info("a StatusNotifierWatcher appeared (%s): registering", msg.body[2])
                    task = asyncio.ensure_future(self._register(bus))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                else:
                    log.info("the StatusNotifierWatcher went away: waiting for a new one")
                    self.registered.clear()

        bus.add_message_handler(on_message)

    async def _register(self, bus: MessageBus) -> bool:
        try:
            reply = await asyncio.wait_for(
                bus.call(
                    Message(
                        destination=WATCHER,
                        path=WATCHER_PATH,
                        interface=WATCHER,
                        member="RegisterStatusNotifierItem",
                        signature="s",
                        body=[self.bus_name],
                    )
                ),
                REGISTER_TIMEOUT_S,
            )
        except Exception as exc:  # a timeout, the bus closing under us
            log.warning("registering the tray icon failed: %s", exc or type(exc).__name__)
            return False
        if reply is None or reply.message_type == MessageType.ERROR:
            detail = reply.error_name if reply is not None else "no reply"
            log.debug("RegisterStatusNotifierItem: %s", detail)
            return False
        log.info("tray icon registered with the StatusNotifierWatcher")
        self.registered.set()
        return True


@contextlib.contextmanager
def _signals_wake(loop: asyncio.AbstractEventLoop) -> Any:
    """On the main thread, let a signal (SIGTERM, Ctrl+C) wake the loop so Python runs the
    daemon's handler at once: without a wakeup fd, a signal delivered to another thread waits
    until the loop wakes for some other reason."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)

    def drain() -> None:
        with contextlib.suppress(OSError):
            rsock.recv(512)

    loop.add_reader(rsock.fileno(), drain)
    old = signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(old)
        loop.remove_reader(rsock.fileno())
        rsock.close()
        wsock.close()
