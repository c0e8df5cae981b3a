"""Hot reload: a saved config edit, or a new or edited file in the user's content folder,
applies without a restart, key family by key family.

- ``timing``, ``schedule``, ``activity.idle_poll``, ``content`` and the content folder's files:
  a new engine policy (and item pool, nudge texts);
- ``notifications.sound`` / ``respect_dnd``: set on the notifier / the do-not-disturb check;
- ``activity.source``: the activity source is picked again (and the old one closed);
- ``history``: the history database is reopened (or closed, with ``enabled = false``);
- ``card`` and ``content.dir``: the next card opens with the new theme, text size, sound, folder.

The content folder is watched by ``ContentDirWatcher``, the config watcher's mechanism pointed
at every item file in the folder, so both share whatever change detection the watcher uses.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.daemon.config_watch import ConfigWatcher
from sitbreak.daemon.wiring import Describe
from sitbreak.i18n import _

if TYPE_CHECKING:
    from sitbreak.daemon.runtime import Runtime
    from sitbreak.engine import Policy
    from sitbreak.settings import Settings
    from sitbreak.settings.resident import Effective

log = logging.getLogger("sitbreak.daemon.config_watch")


def policy_for(settings: Settings, demo: bool,
               sampled: bool = True) -> tuple[Policy, Describe, list[str]]:
    """The engine policy, nudge texts and content problems ("FILE: field: what") for a config.
    ``sampled``: the activity source is read at deadlines (not one that reports resumed input)."""
    from sitbreak import i18n
    from sitbreak.daemon import content_view
    from sitbreak.daemon.app import demo_policy
    from sitbreak.settings import to_policy

    # every text made from here on (nudges, menu, alerts, the card it starts) is in this
    # language: at start and at every config edit
    i18n.setup(settings.ui.language)
    content = content_view.load(settings)
    policy = to_policy(settings, items=content.pool, sampled=sampled)
    return (demo_policy(policy) if demo else policy), content.describe, content.problems


def content_dir(settings: Settings) -> Path:
    from sitbreak.content.paths import user_content_dir

    return Path(settings.content.dir).expanduser() if settings.content.dir else user_content_dir()


def dir_stamp(directory: Path) -> tuple[tuple[str, int, int, int], ...]:
    """(name, inode, mtime_ns, size) of every item file and picture in ``directory``."""
    found: list[tuple[str, int, int, int]] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.name.endswith((".toml", ".png")):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found.append((entry.name, st.st_ino, st.st_mtime_ns, st.st_size))
    except OSError:  # not there (yet): an empty folder
        return ()
    return tuple(sorted(found))


class ContentDirWatcher(ConfigWatcher["Settings"]):
    """The config watcher over a folder: any added, edited or removed item file counts."""

    def __init__(self, directory: Path, current: Callable[[], Settings],
                 on_change: Callable[[Settings], None]) -> None:
        super().__init__(directory, lambda _path: current(), on_change, lambda _msg: None)

    def stamp(self) -> object:
        return dir_stamp(self.path)

    def watched(self) -> tuple[list[Path], list[Path]]:
        return [], [self.path]  # the folder itself: any file in it (and it appearing)

    def gone(self, before: object, now: object) -> str | None:
        return None  # a folder emptied or removed is just no user items


class Reloader:
    """Applies each valid config (and each content folder change) to the running daemon."""

    def __init__(self, rt: Runtime, settings: Settings, *, demo: bool, sampled: bool = True) -> None:
        self._rt = rt
        self.settings = settings
        self._demo = demo
        self._sampled = sampled
        self._content_watch: ContentDirWatcher | None = None
        self._problems: set[str] = set()

    # -- watching ---------------------------------------------------------------------------

    def start(self) -> None:
        """On the worker loop: watch the content folder too."""
        self._watch_content(content_dir(self.settings))

    async def close(self) -> None:
        if self._content_watch is not None:
            await self._content_watch.close()
            self._content_watch = None

    def _watch_content(self, directory: Path) -> None:
        if self._content_watch is not None:
            self._rt.spawn(self._content_watch.close(), "content-watch-close")
        self._content_watch = ContentDirWatcher(
            directory, lambda: self.settings, lambda _s: self._content_changed()
        )
        self._content_watch.start()

    # -- applying ---------------------------------------------------------------------------

    def apply_effective(self, new: Effective) -> None:
        """A valid edit of the user's or a system-wide file: the merged config applies; a newly
        refused change to a locked key is said once."""
        rt = self._rt
        for note in new.notes:
            if note not in rt.config_notes:
                log.warning("config not applied: %s", note)
                rt.report_config_error(note)
        rt.config_notes = new.notes
        self.apply(new.settings)

    def apply(self, new: Settings) -> None:
        """A valid config edit (on the worker loop)."""
        old, self.settings = self.settings, new
        self._policy()
        if new.notifications != old.notifications:
            self._notifications(new)
        if new.activity.source != old.activity.source:
            self._rt.spawn(self._activity_source(new), "activity-source")
        if new.history != old.history:
            self._history(new)
        if new.card != old.card or new.content.dir != old.content.dir:
            self._card(new)
        if content_dir(new) != content_dir(old):
            self._watch_content(content_dir(new))

    def _content_changed(self) -> None:
        log.info("content folder changed: reloading the items")
        self._policy()

    def _policy(self) -> None:
        policy, describe, problems = policy_for(self.settings, self._demo, self._sampled)
        self._rt.parts.describe = describe
        self._rt.apply_policy(policy)
        for problem in problems:
            if problem not in self._problems:  # once per broken file and content
                self._rt.nudges.alert(_("sitbreak: item not loaded"), problem)
        self._problems = set(problems)

    def _notifications(self, new: Settings) -> None:
        parts = self._rt.parts
        parts.notifier.sound = new.notifications.sound
        dnd = getattr(parts.notifier, "dnd_active", None)
        parts.quiet = dnd if new.notifications.respect_dnd else None
        log.info(
            "notifications: sound %s, do-not-disturb %s",
            "on" if new.notifications.sound else "off",
            "respected" if new.notifications.respect_dnd else "ignored",
        )
        self._rt.nudges.retry_deferred()  # a nudge held back may go out now

    async def _activity_source(self, new: Settings) -> None:
        from sitbreak.adapters.idle import select_idle_source

        picked = await asyncio.to_thread(select_idle_source, new.activity.source)
        parts = self._rt.parts
        old, parts.idle = parts.idle, picked.impl
        log.info("activity source: %s", picked.name)
        if old is not None:
            try:
                old.close()
            except Exception as exc:
                log.debug("closing the old activity source: %s", exc)

    def _history(self, new: Settings) -> None:
        from sitbreak.daemon.parts import history

        parts = self._rt.parts
        old = parts.history
        try:
            parts.history = history(new)()
        except Exception as exc:
            log.warning("history not reopened (%s); keeping the old one", exc)
            return
        log.info("history reopened for the new [history] settings")
        try:
            old.close()
        except Exception as exc:
            log.debug("closing the old history: %s", exc)

    def _card(self, new: Settings) -> None:
        from sitbreak.daemon.parts import card_command

        card = self._rt.parts.card
        if hasattr(card, "command"):  # no card at all when headless
            card.command = card_command(new, demo=self._demo)
            log.info("the next card opens with the new [card] settings")


class Watches:
    """The config watcher and the reloader it feeds, started and closed together."""

    def __init__(self, config: ConfigWatcher[Any], reloader: Reloader) -> None:
        self.config = config
        self.reloader = reloader

    def start(self) -> None:
        self.config.start()
        self.reloader.start()

    async def close(self) -> None:
        await self.config.close()
        await self.reloader.close()
