"""``sitbreak doctor``: which activity source, lock/suspend watcher, notifier and tray backend
this desktop gets, and why each other candidate was not taken. Shows nothing on screen: the
tray is only probed (no icon), the notifier only asked for its capabilities."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "doctor",
        help="explain which platform backends sitbreak picks here, and why",
        description="Probes the activity source, lock/suspend watcher, notifier and tray "
        "backend the daemon would use on this desktop and explains each choice.",
    )
    p.add_argument("--config", metavar="FILE", help="config file (default: your user config)")
    p.add_argument(
        "--source",
        choices=("auto", "idle", "listener"),
        help="override the config's [activity] source",
    )
    p.set_defaults(func=run)


def _section(part: str, picked: Any, extra: list[str] | None = None) -> list[str]:
    """The part's line exactly as `sitbreak status` prints it, then every candidate."""
    from sitbreak.parts_text import line

    lines = [line(part, picked.name)]
    for candidate, why in picked.reasons:
        mark = "+" if why.startswith("picked") else "-"
        lines.append(f"  {mark} {candidate}: {why}")
    lines += [f"    {line}" for line in extra or []]
    return lines


def _noop() -> None:
    pass


def run(args: argparse.Namespace) -> int:
    import logging

    from sitbreak.adapters.base import TrayActions
    from sitbreak.adapters.clocks import Clocks
    from sitbreak.adapters.environment import DesktopEnv
    from sitbreak.adapters.idle import select_idle_source
    from sitbreak.adapters.tray import MENU_HINT, TrayProbe, select_tray
    from sitbreak.settings import load, resolve_path

    if not getattr(args, "verbose", False):  # the report says it all; no duplicate warnings
        logging.getLogger("sitbreak").setLevel(logging.ERROR)
    path = resolve_path(args.config)
    settings = load(path, must_exist=bool(args.config))
    source = args.source or settings.activity.source
    env = DesktopEnv.detect()
    out = [f"desktop: {env.describe()}", f"config: {path}", ""]

    idle = select_idle_source(source, env)
    try:
        now = idle.impl.seconds_since_last_input()
    finally:
        idle.impl.close()
    out += _section(
        "source",
        idle,
        [f'[activity] source = "{source}"']
        + ([f"last input {now:.1f} s ago"] if idle.name != "none" else []),
    )

    watcher_lines, notifier_lines = asyncio.run(_async_parts(env))
    Clocks()  # the backstop needs no probing; say what it compares

    clocks = (
        "CLOCK_BOOTTIME vs CLOCK_MONOTONIC"
        if sys.platform.startswith("linux")
        else "CLOCK_MONOTONIC vs CLOCK_UPTIME_RAW"
        if sys.platform == "darwin"
        else "monotonic clock vs wall clock"
    )
    out += ["", *watcher_lines, f"  + clock backstop: {clocks} (always on)", ""]
    out += notifier_lines

    names = [
        "stretch_now", "show_current", "snooze", "resume", "toggle_standing",
        "safety_card", "open_config", "statistics", "quit",
    ]  # fmt: skip
    actions = TrayActions(pause=lambda _s, _t: None, **dict.fromkeys(names, _noop))
    tray = select_tray(actions, env, make=TrayProbe)
    out += ["", *_section("tray", tray)]
    if tray.name == "pystray-xorg":
        out.append(f"  note: no tray menu with pystray's xorg backend; {MENU_HINT}")
    print("\n".join(out))
    return 0


async def _async_parts(env: Any) -> tuple[list[str], list[str]]:
    from sitbreak.adapters.notify import select_notifier
    from sitbreak.adapters.session import select_session_watcher

    watcher = select_session_watcher(env)
    status: list[str] = []
    try:
        await asyncio.wait_for(watcher.impl.start(lambda _name: None), 10)
        status = [f"{what}: {state}" for what, state in getattr(watcher.impl, "status", [])]
    except Exception as exc:
        status = [f"start failed: {exc}"]
    finally:
        await watcher.impl.close()
    watcher_lines = _section("watcher", watcher, status)

    notifier = await select_notifier(env=env)
    try:
        extra = [
            "clicks open the card" if notifier.impl.clickable else "no clicks on nudges",
            "nudges wait now (do-not-disturb or fullscreen)"
            if await notifier.impl.dnd_active()
            else "",
        ]
    finally:
        await notifier.impl.close()
    return watcher_lines, _section("notifier", notifier, [e for e in extra if e])
