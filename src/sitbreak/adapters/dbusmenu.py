"""The tray menu over D-Bus: ``com.canonical.dbusmenu`` (version 3), served with dbus-fast.

A host (KDE's Plasma, GNOME's AppIndicator extension, XFCE's and LXQt's panels, waybar) reads the
whole tree with ``GetLayout``, draws it with its own toolkit, and reports a click as
``Event(id, "clicked", …)``. The tree never changes shape: only labels, ``enabled`` and the
standing check box follow the ``TrayView``, announced with ``ItemsPropertiesUpdated`` (hosts then
update the open menu in place instead of rebuilding it).

``MenuTree`` is the menu as plain data (ids, properties); ``DBusMenu`` is the interface around it.
Both run on the tray's own asyncio loop.
"""

# no `from __future__ import annotations`: dbus-fast reads these annotations as D-Bus
# signatures, and a deferred "-> None" would read as a missing one
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from dbus_fast import DBusError, ErrorType, PropertyAccess, Variant
from dbus_fast.annotations import DBusSignature
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from sitbreak.adapters.base import TrayView
from sitbreak.adapters.tray_menu import Entry

log = logging.getLogger(__name__)

INTERFACE = "com.canonical.dbusmenu"
ROOT = 0

Props = dict[str, Variant]
Layout = Annotated[list[Any], DBusSignature("(ia{sv}av)")]


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    entry: Entry | None  # None: the invisible root
    children: tuple[int, ...]


class MenuTree:
    """The entries numbered depth-first from 1 (0 is the root), with each item's properties
    for a given view."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.nodes: dict[int, Node] = {}
        next_id = 1

        def number(entry: Entry | None, node_id: int, children: Iterable[Entry]) -> None:
            nonlocal next_id
            ids = []
            for child in children:
                child_id = next_id
                next_id += 1
                ids.append(child_id)
                number(child, child_id, child.children)
            self.nodes[node_id] = Node(node_id, entry, tuple(ids))

        number(None, ROOT, entries)

    def __contains__(self, node_id: int) -> bool:
        return node_id in self.nodes

    def ids(self) -> Iterator[int]:
        return iter(sorted(self.nodes))

    def props(self, node_id: int, view: TrayView) -> Props:
        node = self.nodes[node_id]
        entry = node.entry
        if entry is None:
            return {"children-display": Variant("s", "submenu")}
        if entry.separator:
            return {"type": Variant("s", "separator"), "visible": Variant("b", True)}
        props: Props = {
            "label": Variant("s", entry.text(view).replace("_", "__")),  # "_" marks a mnemonic
            "enabled": Variant("b", entry.enabled(view)),
            "visible": Variant("b", True),
        }
        if entry.checked is not None:
            props["toggle-type"] = Variant("s", "checkmark")
            props["toggle-state"] = Variant("i", 1 if entry.checked(view) else 0)
        if node.children:
            props["children-display"] = Variant("s", "submenu")
        return props

    def layout(self, node_id: int, depth: int, names: list[str], view: TrayView) -> list[Any]:
        """``(id, properties, [children as variants])``; depth -1 is the whole subtree."""
        props = _only(self.props(node_id, view), names)
        children = []
        if depth != 0:
            for child in self.nodes[node_id].children:
                sub = self.layout(child, depth - 1 if depth > 0 else -1, names, view)
                children.append(Variant("(ia{sv}av)", sub))
        return [node_id, props, children]

    def click(self, node_id: int, view: TrayView) -> bool:
        """Run the item's action if it has one and is enabled; False if nothing ran."""
        entry = self.nodes[node_id].entry
        if entry is None or entry.run is None or not entry.enabled(view):
            return False
        entry.run()
        return True


def _only(props: Props, names: list[str]) -> Props:
    return {k: v for k, v in props.items() if k in names} if names else props


class DBusMenu(ServiceInterface):
    """``com.canonical.dbusmenu`` for a ``MenuTree``; ``show(view)`` announces what changed."""

    def __init__(self, tree: MenuTree, view: TrayView) -> None:
        super().__init__(INTERFACE)
        self.tree = tree
        self.view = view
        self.revision = 1
        self._published = {i: tree.props(i, view) for i in tree.ids()}

    # -- what the tray calls ----------------------------------------------------------------

    def show(self, view: TrayView) -> None:
        """Take a new view; tell hosts which item properties changed (if any did)."""
        self.view = view
        updated: list[list[Any]] = []
        for node_id in self.tree.ids():
            now = self.tree.props(node_id, view)
            before = self._published[node_id]
            changed = {k: v for k, v in now.items() if before.get(k) != v}
            if changed:
                updated.append([node_id, changed])
            self._published[node_id] = now
        if updated:
            self.ItemsPropertiesUpdated(updated, [])

    def _check(self, node_id: int) -> None:
        if node_id not in self.tree:
            raise DBusError(ErrorType.INVALID_ARGS, f"no menu item {node_id}")

    # -- methods ------------------------------------------------------------------------------

    @dbus_method()
    def GetLayout(
        self,
        parent_id: Annotated[int, DBusSignature("i")],
        recursion_depth: Annotated[int, DBusSignature("i")],
        property_names: Annotated[list[str], DBusSignature("as")],
    ) -> Annotated[list[Any], DBusSignature("u(ia{sv}av)")]:
        self._check(parent_id)
        return [
            self.revision,
            self.tree.layout(parent_id, recursion_depth, property_names, self.view),
        ]

    @dbus_method()
    def GetGroupProperties(
        self,
        ids: Annotated[list[int], DBusSignature("ai")],
        property_names: Annotated[list[str], DBusSignature("as")],
    ) -> Annotated[list[list[Any]], DBusSignature("a(ia{sv})")]:
        wanted = ids or list(self.tree.ids())  # an empty list asks for every item
        return [
            [i, _only(self.tree.props(i, self.view), property_names)]
            for i in wanted
            if i in self.tree
        ]

    @dbus_method()
    def GetProperty(
        self, id: Annotated[int, DBusSignature("i")], name: Annotated[str, DBusSignature("s")]
    ) -> Annotated[Variant, DBusSignature("v")]:
        self._check(id)
        props = self.tree.props(id, self.view)
        if name not in props:
            raise DBusError(ErrorType.INVALID_ARGS, f"menu item {id} has no property {name!r}")
        return props[name]

    @dbus_method()
    def Event(
        self,
        id: Annotated[int, DBusSignature("i")],
        event_id: Annotated[str, DBusSignature("s")],
        data: Annotated[Variant, DBusSignature("v")],
        timestamp: Annotated[int, DBusSignature("u")],
    ) -> None:
        self._check(id)
        self._event(id, event_id)

    @dbus_method()
    def EventGroup(
        self, events: Annotated[list[list[Any]], DBusSignature("a(isvu)")]
    ) -> Annotated[list[int], DBusSignature("ai")]:
        errors = []
        for node_id, event_id, _data, _timestamp in events:
            if node_id in self.tree:
                self._event(node_id, event_id)
            else:
                errors.append(node_id)
        return errors

    @dbus_method()
    def AboutToShow(self, id: Annotated[int, DBusSignature("i")]) -> Annotated[
        bool, DBusSignature("b")
    ]:
        self._check(id)
        return False  # the menu is always up to date: nothing to refresh first

    @dbus_method()
    def AboutToShowGroup(
        self, ids: Annotated[list[int], DBusSignature("ai")]
    ) -> Annotated[list[list[int]], DBusSignature("aiai")]:
        return [[], [i for i in ids if i not in self.tree]]

    def _event(self, node_id: int, event_id: str) -> None:
        if event_id != "clicked":
            return  # "hovered", "opened", "closed": nothing to do
        node = self.tree.nodes[node_id]
        label = node.entry.text(self.view) if node.entry else "(root)"
        if self.tree.click(node_id, self.view):
            log.info("tray menu: %s", label)
        else:
            log.debug("tray menu: %s is not clickable now", label)

    # -- signals ------------------------------------------------------------------------------

    @dbus_signal()
    def ItemsPropertiesUpdated(
        self, updated: list[list[Any]], removed: list[list[Any]]
    ) -> Annotated[list[Any], DBusSignature("a(ia{sv})a(ias)")]:
        return [updated, removed]

    @dbus_signal()
    def LayoutUpdated(
        self, revision: int, parent: int
    ) -> Annotated[list[int], DBusSignature("ui")]:
        return [revision, parent]

    # -- properties ---------------------------------------------------------------------------

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> Annotated[int, DBusSignature("u")]:
        return 3

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> Annotated[str, DBusSignature("s")]:
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> Annotated[str, DBusSignature("s")]:
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> Annotated[list[str], DBusSignature("as")]:
        return []
