"""Stand-ins for two desktop services, on a test's private session bus (dbus-fast):

    python -m tests.dbus_standins portal STATE.json   # org.freedesktop.portal.Desktop Settings
    python -m tests.dbus_standins a11y STATE.json     # org.a11y.Bus org.a11y.Status

Each reads STATE.json on every call, so a test changes what the desktop says by rewriting it:
portal: {"color-scheme": 1, "contrast": 1, "text-scaling-factor": 1.5, "gtk-theme": "..."};
a11y: {"ScreenReaderEnabled": true, "IsEnabled": true}.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

from dbus_fast import Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusBool, DBusSignature, DBusStr, DBusUInt32, DBusVariant
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method

StrList = Annotated[list[str], DBusSignature("as")]
Settings = Annotated[dict[str, dict[str, Variant]], DBusSignature("a{sa{sv}}")]

PORTAL_NAMESPACES = {
    "color-scheme": ("org.freedesktop.appearance", "u"),
    "contrast": ("org.freedesktop.appearance", "u"),
    "text-scaling-factor": ("org.gnome.desktop.interface", "d"),
    "gtk-theme": ("org.gnome.desktop.interface", "s"),
    "high-contrast": ("org.gnome.desktop.a11y.interface", "b"),
}


def _state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class PortalSettings(ServiceInterface):
    def __init__(self, state: Path) -> None:
        super().__init__("org.freedesktop.portal.Settings")
        self._state = state

    def _all(self) -> dict[str, dict[str, Variant]]:
        out: dict[str, dict[str, Variant]] = {}
        for key, value in _state(self._state).items():
            namespace, sig = PORTAL_NAMESPACES[key]
            out.setdefault(namespace, {})[key] = Variant(sig, value)
        return out

    @method()
    def ReadAll(self, namespaces: StrList) -> Settings:
        wanted = set(namespaces)
        return {ns: v for ns, v in self._all().items() if not wanted or ns in wanted}

    @method()
    def ReadOne(self, namespace: DBusStr, key: DBusStr) -> DBusVariant:
        return self._all()[namespace][key]

    @dbus_property(access=PropertyAccess.READ)
    def version(self) -> DBusUInt32:
        return 2


class A11yStatus(ServiceInterface):
    def __init__(self, state: Path) -> None:
        super().__init__("org.a11y.Status")
        self._state = state

    @dbus_property(access=PropertyAccess.READ)
    def IsEnabled(self) -> DBusBool:
        return bool(_state(self._state).get("IsEnabled", False))

    @dbus_property(access=PropertyAccess.READ)
    def ScreenReaderEnabled(self) -> DBusBool:
        return bool(_state(self._state).get("ScreenReaderEnabled", False))


async def serve(kind: str, state: Path) -> None:
    bus = await MessageBus().connect()
    if kind == "portal":
        bus.export("/org/freedesktop/portal/desktop", PortalSettings(state))
        await bus.request_name("org.freedesktop.portal.Desktop")
    else:
        bus.export("/org/a11y/bus", A11yStatus(state))
        await bus.request_name("org.a11y.Bus")
    print("ready", flush=True)
    await bus.wait_for_disconnect()  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], Path(sys.argv[2])))
