"""Talking to a StatusNotifierItem as a tray host does (jeepney, blocking): the watcher's list of
items, the item's properties, the dbusmenu tree (``GetLayout``) and a click (``Event``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"


@dataclass
class MenuNode:
    id: int
    props: dict[str, Any]
    children: list[MenuNode] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.props.get("label", "")).replace("__", "_")

    def walk(self) -> Iterator[MenuNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, label: str) -> MenuNode:
        for node in self.walk():
            if node.label == label:
                return node
        raise KeyError(label)


def _plain(value: Any) -> Any:
    """jeepney gives variants as (signature, value): keep the value."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return value[1]
    return value


def _node(raw: Any) -> MenuNode:
    node_id, props, children = raw
    return MenuNode(node_id, {k: _plain(v) for k, v in props.items()},
                    [_node(_plain(c)) for c in children])  # fmt: skip


class SniHost:
    """One connection to a session bus (by address), used like a panel uses it."""

    def __init__(self, bus_address: str) -> None:
        self.conn: DBusConnection = open_dbus_connection(bus=bus_address)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SniHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, dest: str, path: str, iface: str, method: str, *, sig: str = "",
             args: tuple[Any, ...] = ()) -> Any:  # fmt: skip
        addr = DBusAddress(path, bus_name=dest, interface=iface)
        reply = self.conn.send_and_get_reply(new_method_call(addr, method, sig, args), timeout=5)
        return unwrap_msg(reply)

    # -- the watcher --------------------------------------------------------------------------

    def items(self) -> list[str]:
        try:
            value = self.call(WATCHER, "/StatusNotifierWatcher", PROPS, "Get", sig="ss",
                              args=(WATCHER, "RegisteredStatusNotifierItems"))[0]  # fmt: skip
        except Exception:
            return []
        return list(_plain(value))

    def wait_item(self, timeout: float = 10.0) -> tuple[str, str]:
        """The first registered item as (bus name, object path)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            items = self.items()
            if items:
                service = items[0]
                name, _, path = service.partition("/")
                return name, ("/" + path) if path else "/StatusNotifierItem"
            time.sleep(0.05)
        raise AssertionError("no StatusNotifierItem registered with the watcher")

    # -- the item -----------------------------------------------------------------------------

    def prop(self, item: tuple[str, str], name: str) -> Any:
        return _plain(self.call(item[0], item[1], PROPS, "Get", sig="ss", args=(ITEM, name))[0])

    def activate(self, item: tuple[str, str]) -> None:
        self.call(item[0], item[1], ITEM, "Activate", sig="ii", args=(0, 0))

    def menu_path(self, item: tuple[str, str]) -> str:
        return str(self.prop(item, "Menu"))

    def layout(self, item: tuple[str, str]) -> MenuNode:
        revision, root = self.call(item[0], self.menu_path(item), MENU, "GetLayout", sig="iias",
                                   args=(0, -1, []))  # fmt: skip
        assert revision >= 1
        return _node(root)

    def click(self, item: tuple[str, str], node_id: int) -> None:
        """What a host sends when the user clicks a menu line."""
        self.call(item[0], self.menu_path(item), MENU, "Event", sig="isvu",
                  args=(node_id, "clicked", ("i", 0), int(time.time()) & 0xFFFFFFFF))  # fmt: skip

    @contextlib.contextmanager
    def listen(self, *interfaces: str) -> Iterator[SignalLog]:
        """Collect the signals of these interfaces from now on (``log.wait(pred)``)."""
        for iface in interfaces:
            rule = MatchRule(type="signal", interface=iface)
            self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                      "AddMatch", sig="s", args=(rule.serialise(),))  # fmt: skip
        with self.conn.filter(MatchRule(type="signal"), bufsize=1000) as queue:
            yield SignalLog(self.conn, queue, set(interfaces))


@dataclass
class Signal:
    interface: str
    member: str
    body: tuple[Any, ...]


class SignalLog:
    def __init__(self, conn: DBusConnection, queue: Any, interfaces: set[str]) -> None:
        self._conn = conn
        self._queue = queue
        self._interfaces = interfaces
        self.seen: list[Signal] = []

    def _drain(self) -> None:
        while self._queue:
            self._note(self._queue.popleft())

    def _note(self, msg: Any) -> None:
        iface = msg.header.fields.get(HeaderFields.interface)
        if iface in self._interfaces:
            member = msg.header.fields.get(HeaderFields.member)
            self.seen.append(Signal(iface, member, msg.body))

    def wait(self, pred: Callable[[list[Signal]], bool], timeout: float = 5.0) -> list[Signal]:
        deadline = time.monotonic() + timeout
        while True:
            self._drain()
            if pred(self.seen):
                return self.seen
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"signals seen: {[s.member for s in self.seen]}")
            with contextlib.suppress(TimeoutError):
                self._note(self._conn.recv_until_filtered(self._queue, timeout=left))

    def members(self) -> set[str]:
        return {s.member for s in self.seen}
