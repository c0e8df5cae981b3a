"""``sitbreak doctor``: which activity source, lock/suspend watcher, notifier, tray backend and
presence sources (calls, idle inhibitors) this desktop gets, and why each other candidate was
not taken. Shows nothing on screen: the tray is only probed (no icon), the notifier only asked
for its capabilities, each presence source once what it sees."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitbreak.i18n import _


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "doctor",
        help=_("explain which platform backends sitbreak picks here, and why"),
        description=_("Probes the activity source, lock/suspend watcher, notifier and tray "
        "backend the daemon would use on this desktop and explains each choice."),
    )
    p.add_argument("--config", metavar="FILE", help=_("config file (default: your user config)"))
    p.add_argument(
        "--source",
        choices=("auto", "idle", "listener"),
        help=_("override the config's [activity] source"),
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
    import asyncio  # here, not at the top: building the CLI parser must not load it
    import logging

    from sitbreak.adapters.base import TrayActions
    from sitbreak.adapters.clocks import Clocks
    from sitbreak.adapters.environment import DesktopEnv
    from sitbreak.adapters.idle import select_idle_source
    from sitbreak.adapters.tray import MENU_HINT, TrayProbe, select_tray
    from sitbreak.settings import load_settings, resolve_path

    if not getattr(args, "verbose", False):  # the report says it all; no duplicate warnings
        logging.getLogger("sitbreak").setLevel(logging.ERROR)
    path = resolve_path(args.config)
    settings = load_settings(path, must_exist=bool(args.config))
    source = args.source or settings.activity.source
    env = DesktopEnv.detect()
    out = [f"desktop: {env.describe()}", f"config: {path}", ""]

    idle = select_idle_source(source, env)
    try:
        now = idle.impl.seconds_since_last_input()
    finally:
        idle.impl.close()
    # e.g. which Wayland protocol version, and whether idle inhibitors count as activity
    details = [f'[activity] source = "{source}"', *(str(d) for d in getattr(idle.impl, "details", []))]
    if idle.name.startswith("wayland-"):
        details.append("event-based: the compositor says idled/resumed; no polling")
    elif idle.name != "none":
        details.append(f"last input {now:.1f} s ago")
    out += _section("source", idle, details)

    watcher_lines, notifier_lines, presence_lines = asyncio.run(_async_parts(env, settings))
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
    out += ["", *presence_lines]

    names = [
        "stretch_now", "show_current", "snooze", "resume", "toggle_standing",
        "safety_card", "open_config", "statistics", "quit",
    ]  # fmt: skip
    actions = TrayActions(pause=lambda _s, _t: None, **dict.fromkeys(names, _noop))
    tray = select_tray(actions, env, make=TrayProbe)
    out += ["", *_section("tray", tray, _tray_notes(env, tray.name))]
    if tray.name == "pystray-xorg":
        out.append(f"  note: no tray menu with pystray's xorg backend; {MENU_HINT}")
    out += ["", *_gnome_breaks(env)]
    print("\n".join(out).rstrip("\n"))
    return 0


async def _presence(settings: Any) -> list[str]:
    """Each presence source, asked once what it sees now (a call? an inhibitor?)."""
    import asyncio

    from sitbreak.adapters.presence import PresenceChoice, select_presence_sources

    p = settings.presence
    picked = select_presence_sources(
        PresenceChoice(p.microphone, p.camera, p.inhibitors, p.camera_dir))
    lines = []
    for source in picked.impl:
        try:
            probe = getattr(source, "probe", None)
            if probe is not None:
                seen = await asyncio.to_thread(probe)
            else:
                await asyncio.wait_for(source.start(_noop), 5)
                seen = source.describe()
        except Exception as exc:
            seen = f"not answering now: {exc}"
        finally:
            await source.close()
        lines.append(f"{source.name}: {seen}")
    lines.append("only whether a call or an inhibitor is on; never which application")
    lines.append("[presence] turns each off")
    return _section("presence", picked, lines)


def _tray_notes(env: Any, picked: str) -> list[str]:
    """Who would draw a StatusNotifierItem here, and on GNOME what to do when nobody would."""
    from sitbreak.adapters.tray_host import APPINDICATOR_HINT, gnome_appindicator_state, watcher_state

    if not env.linux:
        return []
    notes = []
    state = watcher_state() if env.session_bus else None
    if state is not None and state.present:
        host = {True: "a panel draws items", False: "but no panel draws items yet",
                None: "host unknown"}[state.host_registered]  # fmt: skip
        notes.append(f"StatusNotifierWatcher: {state.owner} ({host})")
    elif picked == "sni":
        notes.append("no StatusNotifierWatcher yet: the icon appears once a panel starts one")
    if env.gnome and not (state is not None and state.present):
        ext = gnome_appindicator_state()
        notes.append(f"GNOME AppIndicator extension: {ext or 'unknown'}")
        notes.append(f"to see the tray icon: {APPINDICATOR_HINT}")
    return notes


def _gnome_breaks(env: Any) -> list[str]:
    """GNOME 48+'s own movement breaks, and the one way to avoid being nagged twice."""
    from sitbreak.adapters import gnome_breaks

    if not env.linux:
        return []
    reminders = gnome_breaks.read()
    if reminders.state == "absent" and not env.gnome:
        return []
    lines = [f"GNOME break reminders: {reminders.summary()}"]
    if reminders.state == "on":
        where = "" if env.gnome else " (this is not a GNOME session: they only nag on GNOME)"
        lines.append(f"  note: {reminders.advice()}{where}")
    return lines


async def _async_parts(env: Any, settings: Any) -> tuple[list[str], list[str], list[str]]:
    import asyncio

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
    presence_lines = await _presence(settings)
    return watcher_lines, _section("notifier", notifier, [e for e in extra if e]), presence_lines
