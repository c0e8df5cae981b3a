"""macOS lock/sleep watcher: NSWorkspace sleep/wake notifications and the (undocumented)
distributed ``com.apple.screenIsLocked`` / ``com.apple.screenIsUnlocked`` notifications.

UNTESTED: cannot run on the Linux CI. Observers are delivered on the registering thread's run
loop, so ``register_on_main_thread`` must be called from the main thread before the tray's
``Icon.run()``; ``start`` then only connects the emitter. Import-safe (pyobjc imported lazily),
never selected off macOS.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sitbreak.adapters.base import SessionEventName

_WORKSPACE = {
    "NSWorkspaceWillSleepNotification": "sleep",
    "NSWorkspaceDidWakeNotification": "wake",
    "NSWorkspaceSessionDidResignActiveNotification": "lock",
    "NSWorkspaceSessionDidBecomeActiveNotification": "unlock",
}
_DISTRIBUTED = {"com.apple.screenIsLocked": "lock", "com.apple.screenIsUnlocked": "unlock"}


class MacSessionWatcher:
    name = "macos-nsworkspace"

    def __init__(self) -> None:
        self._post: Callable[[SessionEventName], None] | None = None
        self._observer: Any = None

    def register_on_main_thread(self) -> None:
        import AppKit
        import Foundation
        import objc

        watcher = self

        class Observer(Foundation.NSObject):  # type: ignore[misc]
            def handle_(self, note: Any) -> None:
                name = str(note.name())
                event = _WORKSPACE.get(name) or _DISTRIBUTED.get(name)
                if event is not None and watcher._post is not None:
                    watcher._post(event)  # type: ignore[arg-type]

        obs = Observer.new()
        center = AppKit.NSWorkspace.sharedWorkspace().notificationCenter()
        for name in _WORKSPACE:
            center.addObserver_selector_name_object_(obs, objc.selector(obs.handle_), name, None)
        dist = Foundation.NSDistributedNotificationCenter.defaultCenter()
        for name in _DISTRIBUTED:
            dist.addObserver_selector_name_object_(obs, objc.selector(obs.handle_), name, None)
        self._observer = obs

    async def start(self, emit: Callable[[SessionEventName], None]) -> None:
        loop = asyncio.get_running_loop()

        def post(name: SessionEventName) -> None:
            loop.call_soon_threadsafe(emit, name)

        self._post = post

    async def close(self) -> None:
        self._post = None
