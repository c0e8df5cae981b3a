"""The tray icon through pystray, with the backend chosen explicitly (not by import order).

Backends: ``appindicator`` / ``gtk`` (need PyGObject: a real menu), ``xorg`` (python-xlib only:
no menu; pystray 0.19.5 never asks for button events, pystray#151, so ``ClickableXorgIcon``
selects ButtonPressMask and a left click opens the current stretch), ``win32``, ``darwin``.
``run`` blocks the calling (main) thread; ``update`` may be called from any thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import TrayActions, TrayView
from sitbreak.adapters.tray_icon import picture_key, render
from sitbreak.adapters.tray_menu import Entry, menu_entries
from sitbreak.i18n import N_

log = logging.getLogger(__name__)

APP = "sitbreak"
CALL_TIMEOUT_S = 5.0
DOCK_CHECK_S = 0.25  # first look after this, then twice as long each time
DOCK_ATTEMPTS = 7
XORG_BACKGROUND = (32, 32, 32)  # XEmbed icons here have no alpha channel
INITIAL = TrayView(state="fresh", fill=0.0, tooltip="sitbreak", status_line=N_("Starting…"))


def import_pystray() -> None:
    """Import the pystray package without its import-time backend guess.

    ``pystray/__init__`` picks a backend on import and lets anything but ImportError escape: with
    PyGObject present but no AppIndicator typelib, ``import pystray`` raises ValueError. Its
    ``dummy`` backend imports nothing, so the package is imported with that; the real backend
    module is then imported explicitly."""
    if "pystray" in sys.modules:
        return
    saved = os.environ.get("PYSTRAY_BACKEND")
    os.environ["PYSTRAY_BACKEND"] = "dummy"
    try:
        import pystray  # noqa: F401
    finally:
        if saved is None:
            os.environ.pop("PYSTRAY_BACKEND", None)
        else:
            os.environ["PYSTRAY_BACKEND"] = saved


def icon_class(backend: str) -> Any:
    """pystray's Icon class for a backend, imported directly (PYSTRAY_BACKEND is not used)."""
    import importlib

    import_pystray()
    if backend == "xorg":
        return clickable_xorg_icon()
    module = importlib.import_module(f"pystray._{backend}")
    if backend in ("gtk", "appindicator"):
        return keeping_sigint(module.Icon)
    return module.Icon


def keeping_sigint(cls: Any) -> Any:
    """pystray's GTK backends set SIGINT to SIG_DFL when their loop starts ("do not inhibit
    ctrl+c"): a Ctrl-C would then kill the process with no shutdown (span lost, socket left).
    Put the daemon's own handler back; PyGObject's main loop wakes for Python signal handlers."""

    class Icon(cls):  # type: ignore[misc]
        def _initialize(self) -> None:
            ours = signal.getsignal(signal.SIGINT)
            super()._initialize()
            if threading.current_thread() is threading.main_thread() and ours is not None:
                signal.signal(signal.SIGINT, ours)

    Icon.__name__ = Icon.__qualname__ = f"SigintKeeping{cls.__name__}"
    return Icon


def clickable_xorg_icon() -> Any:
    """pystray's xorg Icon, fixed: its window receives button presses (pystray#151), and calls
    from other threads reach its X thread without sharing its X connection (pystray flushes the
    icon's connection from the calling thread while its own thread waits for a reply on it,
    which can deadlock python-xlib)."""
    import Xlib.display
    import Xlib.error
    import Xlib.protocol.event
    import Xlib.X
    from pystray import _xorg

    class ClickableXorgIcon(_xorg.Icon):  # type: ignore[misc]
        _systray_manager: Any  # pystray's: the tray host's window, None while there is none
        _icon_data: Any
        def _rewrite_implementation(self, *originals: Callable[[], None]) -> None:
            # the icon's X thread runs each call; other threads queue it and wake that thread
            # with a ClientMessage sent over a second connection used only for waking
            self._pending: queue.Queue[tuple[Callable[[], None], queue.Queue[object]]] = (
                queue.Queue()
            )
            self._wake_lock = threading.Lock()
            self._wake_display = Xlib.display.Display()
            wake_atom = self._display.intern_atom("_SITBREAK_TRAY_CALL")

            def run_pending() -> None:
                while True:
                    try:
                        fn, reply = self._pending.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        fn()
                        reply.put(None)
                    except BaseException as exc:
                        reply.put(exc)

            manager_atom = self._display.intern_atom("MANAGER")
            root_id = self._display.screen().root.id

            def on_client_message(event: Any) -> None:
                if event.client_type == wake_atom:
                    run_pending()
                elif (event.client_type == manager_atom
                      and event.data[1][1] == self._net_system_tray_sx):
                    self.dock_changed()  # a tray host (re)started: dock with it

            def on_reparent(event: Any) -> None:
                # the tray host let go of the icon (it quit or crashed): back on the root
                if event.window.id == self._window.id and event.parent.id == root_id:
                    self.dock_changed()

            def dispatcher(original: Callable[[], None]) -> Callable[[], None]:
                def call() -> None:
                    thread = getattr(self, "_thread", None)
                    if thread is not None and threading.current_thread() is thread:
                        original()
                        return
                    reply: queue.Queue[object] = queue.Queue()
                    self._pending.put((original, reply))
                    with self._wake_lock:
                        window = self._wake_display.create_resource_object(
                            "window", self._window.id
                        )
                        window.send_event(
                            Xlib.protocol.event.ClientMessage(
                                window=window, client_type=wake_atom, data=(32, [0] * 5)
                            ),
                            event_mask=Xlib.X.NoEventMask,
                        )
                        self._wake_display.flush()
                    try:
                        result = reply.get(timeout=CALL_TIMEOUT_S)
                    except queue.Empty:
                        log.warning("tray icon thread did not answer %s", original.__name__)
                        return
                    if isinstance(result, BaseException):
                        raise result

                return call

            for original in originals:
                setattr(self, original.__name__, dispatcher(original))
            self._message_handlers[Xlib.X.ClientMessage] = on_client_message
            self._message_handlers[Xlib.X.ReparentNotify] = on_reparent

        def dock_changed(self) -> None:
            """Set by the tray: called on the icon's X thread when docking may have to be
            asked for again."""

        def _create_window(self) -> Any:
            window = super()._create_window()
            window.change_attributes(
                event_mask=Xlib.X.ExposureMask | Xlib.X.StructureNotifyMask | Xlib.X.ButtonPressMask
            )
            # a tray host announces itself with a MANAGER message to the root window
            self._display.screen().root.change_attributes(event_mask=Xlib.X.StructureNotifyMask)
            return window

        def _mainloop(self) -> None:
            # pystray's loop logs a traceback when the X server goes away; here that only
            # ends the loop (the daemon's session watch stops the daemon)
            try:
                for event in self._events():
                    if event.type == Xlib.X.DestroyNotify and event.window == self._window:
                        break
                    self._message_handlers.get(event.type, lambda e: None)(event)
            except (Xlib.error.ConnectionClosedError, OSError):
                self.display_lost = True
            except Exception:
                log.exception("the tray icon's X loop failed")

        # pystray logs "Failed to dock icon" with a traceback at every update while no tray
        # host runs (it was killed, or restarts): one line when it goes, and wait for the next
        def _docked(self) -> bool:
            self._dock_window()  # (re)sends the dock request to the tray host, if there is one
            return bool(self._systray_manager)

        def _show(self) -> None:
            self._docked()

        def _update_icon(self) -> None:
            if self._docked():
                self._icon_data = None  # drawn afresh from the picture
                self._draw()
                self._icon_valid = True

        def _on_destroy_notify(self, event: Any) -> None:
            manager = self._systray_manager
            if manager is None or event.window.id != manager.id:
                return
            self._systray_manager = None
            if not self._docked():
                log.info("the tray host went away; the icon docks again when one starts")

        def __del__(self) -> None:
            # pystray closes its X connection here, which raises if the server is already gone
            with contextlib.suppress(Exception):
                super().__del__()
            with contextlib.suppress(Exception):
                self._wake_display.close()

        def _update_title(self) -> None:
            # WM_NAME is Latin-1 (python-xlib raises on anything else): set it lossily and
            # put the exact text in _NET_WM_NAME
            title = self.title or ""
            self._window.set_wm_name(title.encode("latin-1", "replace"))
            utf8 = self._display.intern_atom("UTF8_STRING")
            net_wm_name = self._display.intern_atom("_NET_WM_NAME")
            self._window.change_property(net_wm_name, utf8, 8, title.encode())

        def _assert_icon_data(self, width: int, height: int) -> None:
            # pystray stretches the picture to the slot and pastes it without its alpha mask
            # (black fringes, a squashed ring): keep it square and composite it properly
            from PIL import Image

            cached: Any = self._icon_data
            if cached and cached.size == (width, height):
                return
            side = max(1, min(width, height))
            picture = self._icon.convert("RGBA").resize((side, side), Image.Resampling.LANCZOS)
            data = Image.new("RGB", (width, height), XORG_BACKGROUND)
            data.paste(picture, ((width - side) // 2, (height - side) // 2), picture)
            data.tostring = data.tobytes  # type: ignore[attr-defined]  # python-xlib wants it
            self._icon_data = data

    return ClickableXorgIcon


def _plain(fn: Callable[[], None]) -> Callable[[], None]:
    """pystray inspects an action's argument count: hand it a plain zero-argument function."""

    def action() -> None:
        fn()

    return action


def build_menu(actions: TrayActions, view: Callable[[], TrayView]) -> Any:
    """pystray's menu from the shared table (``tray_menu``); texts and states are read from
    ``view()`` each time pystray draws the menu."""
    import_pystray()
    from pystray import Menu, MenuItem

    def convert(entry: Entry) -> Any:
        if entry.separator:
            return Menu.SEPARATOR
        # read at each draw: the status line changes, and so may the language
        label: Any = lambda _item, e=entry: e.text(view())  # noqa: E731
        options: dict[str, Any] = {
            "default": entry.default,
            "enabled": lambda _item, e=entry: e.enabled(view()),
        }
        if entry.checked is not None:
            options["checked"] = lambda _item, e=entry: e.checked is not None and e.checked(view())
        if entry.children:
            return MenuItem(label, Menu(*map(convert, entry.children)), **options)
        return MenuItem(label, _plain(entry.run) if entry.run else None, **options)

    return Menu(*map(convert, menu_entries(actions)))


class PystrayTray:
    def __init__(self, actions: TrayActions, backend: str) -> None:
        self.name = f"pystray-{backend}"
        self.backend = backend
        cls = icon_class(backend)
        self.has_menu = bool(cls.HAS_MENU)
        self._view = INITIAL
        self._key = picture_key(INITIAL)
        self._lock = threading.Lock()
        self._running = False
        self._stopped = False
        self._dock_lock = threading.Lock()
        self._dock_thread: threading.Thread | None = None
        self._dock_again = False
        self._session_bus: Any = None  # keeps GLib's shared connection (see _no_exit_on_bus_close)
        self.icon: Any = cls(
            APP, icon=render(self._key), title=INITIAL.tooltip, menu=build_menu(actions, self.view)
        )

    def view(self) -> TrayView:
        return self._view

    @property
    def display_lost(self) -> bool:
        """The icon's X connection was closed by the server (the session ended)."""
        return bool(getattr(self.icon, "display_lost", False))

    def run(self, on_ready: Callable[[], None]) -> None:
        if self.backend in ("gtk", "appindicator"):
            self._session_bus = _no_exit_on_bus_close()

        def setup(icon: Any) -> None:
            icon.visible = True
            self._running = True
            if self.backend == "xorg":
                icon.dock_changed = self._check_dock
                self._check_dock()
            on_ready()

        self.icon.run(setup=setup)
        self._running = False

    def _check_dock(self) -> None:
        """Make sure the icon gets docked: at start, and whenever a tray host appears or lets
        go of the icon (X events, no timer while docked)."""
        with self._dock_lock:
            if self._dock_thread is not None:
                self._dock_again = True  # the running check looks once more before it ends
                return
            self._dock_thread = threading.Thread(
                target=self._dock_until_embedded, name="sitbreak-dock", daemon=True
            )
            self._dock_thread.start()

    def _dock_until_embedded(self) -> None:
        while True:
            self._dock_attempts()
            with self._dock_lock:
                if not self._dock_again or not self._running:
                    self._dock_thread = None
                    return
                self._dock_again = False

    def _dock_attempts(self) -> None:
        """XEmbed dock requests are sometimes lost (the tray host just started): while the icon
        is not embedded but a tray host exists, ask again, a few times, backing off; done as
        soon as it is embedded (or there is no host: its MANAGER message starts this again)."""
        from Xlib import X, display

        try:
            conn = display.Display()
        except Exception as exc:
            log.debug("dock check: no X connection (%s)", exc)
            return
        try:
            tray_atom = conn.intern_atom(f"_NET_SYSTEM_TRAY_S{conn.get_default_screen()}")
            window = conn.create_resource_object("window", self.icon._window.id)
            root = conn.screen().root.id
            delay = DOCK_CHECK_S
            for attempt in range(1, DOCK_ATTEMPTS + 1):
                time.sleep(delay)
                delay *= 2
                if not self._running:
                    return
                tree = window.query_tree()
                if tree.parent.id != root and window.get_attributes().map_state == X.IsViewable:
                    return  # embedded
                if conn.get_selection_owner(tray_atom) == X.NONE:
                    return  # no tray host yet: its MANAGER message starts this again
                log.debug("tray icon not embedded yet; asking the tray again (%d)", attempt)
                with self._lock:  # pystray's xorg dispatch shares one reply queue: serialise
                    if not self._running:
                        return
                    self.icon.visible = False
                    self.icon.visible = True
            log.warning("the tray host does not embed the icon; giving up")
        except Exception as exc:  # the window is gone: the icon stopped
            log.debug("dock check ends: %s", exc)
        finally:
            with contextlib.suppress(Exception):
                conn.close()

    def update(self, view: TrayView) -> None:
        if self.backend == "darwin":
            # pystray's darwin backend touches NSStatusItem on the calling thread, which
            # crashes on recent macOS: run the update on the main thread (UNTESTED here)
            from PyObjCTools import AppHelper

            AppHelper.callAfter(self._update, view)
            return
        self._update(view)

    def _update(self, view: TrayView) -> None:
        with self._lock:
            if self._stopped:
                return  # pystray's xorg dispatch would wait forever for a dead main loop
            old, self._view = self._view, view
            key = picture_key(view)
            if key != self._key:
                self._key = key
                self.icon.icon = render(key)
            if view.tooltip != old.tooltip:
                self.icon.title = view.tooltip
            if self.has_menu and (view.status_line, view.state) != (old.status_line, old.state):
                self.icon.update_menu()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self._running = False
            self.icon.stop()


def _no_exit_on_bus_close() -> Any:
    """GLib raises SIGTERM in the process when its shared session-bus connection closes (pystray's
    GTK backend opens one for its own notifications): the daemon's session watch decides what
    a lost bus means instead, and says so. GLib holds that connection weakly: the caller keeps
    the returned one, so pystray gets this same connection."""
    try:
        from gi.repository import Gio

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        bus.set_exit_on_close(False)
        return bus
    except Exception:  # no session bus: pystray's GTK backend says so itself
        return None
