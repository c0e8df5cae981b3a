"""The tray's side of the worker loop: the menu's actions (each hops onto the loop), the view the
icon shows, and when that view next changes."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from sitbreak.adapters.base import Tray, TrayActions, TrayView
from sitbreak.daemon.tray_feed import TrayFeed
from sitbreak.daemon.tray_view import next_view_change, tray_view
from sitbreak.engine import events as ev

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime

TRAY_SETTLE_S = 1.0  # the first view goes to a fresh tray icon after this


class TrayStatus:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._feed: TrayFeed | None = None  # set once the tray is up
        self._last_view: TrayView | None = None

    def actions(self) -> TrayActions:
        """Menu callbacks for the tray; each only hops onto the worker loop."""
        rt = self._rt
        ts = rt.threadsafe

        def pause(for_s: float | None, until_tomorrow: bool) -> None:
            ts(lambda: rt.pause(for_s, until_tomorrow))()

        return TrayActions(
            stretch_now=ts(lambda: rt.feed_now(ev.StretchNow)),
            show_current=ts(rt.cards.show_current),
            snooze=ts(lambda: rt.feed_now(ev.Snooze)),
            pause=pause,
            resume=ts(lambda: rt.feed_now(ev.Resume)),
            toggle_standing=ts(rt.toggle_standing),
            safety_card=ts(lambda: rt.cards.open("safety", None)),
            open_config=ts(rt.open_config),
            statistics=ts(rt.statistics),
            quit=rt.request_stop,
        )

    def ready(self) -> None:
        """The tray is up (thread-safe): show it the current state. Views sent before that
        could be lost (pystray applies a new title only to a visible icon)."""
        rt = self._rt

        def show() -> None:
            tray = rt.parts.tray
            if tray is None or self._feed is not None:
                return
            self._feed = TrayFeed(tray)
            self._last_view = None
            self.update()

        def soon() -> None:
            # after the burst of expose/dock traffic of a fresh icon: pystray's xorg backend
            # runs cross-thread updates through the same X connection and can hang on a race
            rt.call_later(TRAY_SETTLE_S, show)

        rt.threadsafe(soon)()

    def detach(self) -> None:
        """The tray died: carry on without it (thread-safe)."""

        def detach() -> None:
            self._rt.parts.tray = None
            self.close_feed()

        self._rt.threadsafe(detach)()

    def close_feed(self) -> None:
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    def view(self, now: float) -> TrayView:
        return tray_view(self._rt.require_engine().status(now), self._rt.policy, now)

    def next_change(self, now: float, within_s: float) -> float:
        return next_view_change(self._rt.require_engine().status(now), now, within_s)

    def update(self) -> None:
        feed = self._feed
        if feed is None:
            return
        view = self.view(self._rt.clocks.now())
        if view != self._last_view:
            self._last_view = view
            feed.push(view)


def stop_quietly(tray: Tray) -> None:
    with contextlib.suppress(Exception):
        tray.stop()
