"""``sitbreak doctor``: which activity source, lock/suspend watcher, notifier, tray backend and
presence sources (calls, idle inhibitors) this desktop gets, and why each other candidate was
not taken. Shows nothing on screen: the tray is only probed (no icon), the notifier only asked
for its capabilities, each presence source once what it sees.

In the user's language: the adapters' reasons are ``Text`` (English in the log), translated
here as the report is written; backend names, D-Bus names and error texts stay as they are."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitbreak.i18n import N_, Text, _


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


def _shown(text: object) -> str:
    """What an adapter said, in the user's language (a ``Text``), or as it is."""
    return text.translated() if isinstance(text, Text) else str(text)


def _labelled(label: str, value: str) -> str:
    return _("{label}: {value}").format(label=label, value=value)


def _section(part: str, picked: Any, extra: list[str] | None = None) -> list[str]:
    """The part's line exactly as `sitbreak status` prints it, then every candidate: + the
    one(s) picked, - the others."""
    from sitbreak.adapters.base import Reason
    from sitbreak.parts_text import candidate, line

    lines = [line(part, picked.name)]
    reason: Reason
    for reason in picked.reasons:
        mark = "+" if reason.picked else "-"
        lines.append(f"  {mark} " + _labelled(candidate(reason.candidate), reason.why.translated()))
    lines += [f"    {text}" for text in extra or []]
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
    out = [_("desktop: {description}").format(description=env.describe()),
           _("config: {path}").format(path=path), ""]

    idle = select_idle_source(source, env)
    try:
        now = idle.impl.seconds_since_last_input()
    finally:
        idle.impl.close()
    # e.g. which Wayland protocol version, and whether idle inhibitors count as activity
    details = [f'[activity] source = "{source}"',  # the config's own words: never translated
               *(_shown(d) for d in getattr(idle.impl, "details", []))]
    if idle.name.startswith("wayland-"):
        details.append(_("event-based: the compositor says idled/resumed; no polling"))
    elif idle.name != "none":
        from sitbreak.locale_format import format_number

        details.append(_("last input {seconds} s ago").format(seconds=format_number(now, 1)))
    out += _section("source", idle, details)

    watcher_lines, notifier_lines, presence_lines = asyncio.run(_async_parts(env, settings))
    Clocks()  # the backstop needs no probing; say what it compares

    clocks = (
        "CLOCK_BOOTTIME vs CLOCK_MONOTONIC"
        if sys.platform.startswith("linux")
        else "CLOCK_MONOTONIC vs CLOCK_UPTIME_RAW"
        if sys.platform == "darwin"
        else _("monotonic clock vs wall clock")
    )
    backstop = _("clock backstop: {clocks} (always on)").format(clocks=clocks)
    out += ["", *watcher_lines, f"  + {backstop}", ""]
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
        out.append("  " + _("note: no tray menu with pystray's xorg backend; {hint}").format(
            hint=_(MENU_HINT)))
    out += ["", *_gnome_breaks(env)]
    print("\n".join(out).rstrip("\n"))
    return 0


async def _presence(settings: Any) -> list[str]:
    """Each presence source, asked once what it sees now (a call? an inhibitor?)."""
    import asyncio

    from sitbreak.adapters.presence import PresenceChoice, select_presence_sources
    from sitbreak.parts_text import presence_source

    p = settings.presence
    picked = select_presence_sources(
        PresenceChoice(p.microphone, p.camera, p.inhibitors, p.camera_dir))
    lines = []
    for source in picked.impl:
        try:
            probe = getattr(source, "probe", None)
            if probe is not None:
                seen = _shown(await asyncio.to_thread(probe))
            else:
                await asyncio.wait_for(source.start(_noop), 5)
                seen = _shown(source.describe())
        except Exception as exc:
            seen = _("not answering now: {error}").format(error=exc)
        finally:
            await source.close()
        lines.append(_labelled(presence_source(source.name), seen))
    lines.append(_("only whether a call or an inhibitor is on; never which application"))
    lines.append(_("[presence] turns each off"))
    return _section("presence", picked, lines)


def _tray_notes(env: Any, picked: str) -> list[str]:
    """Who would draw a StatusNotifierItem here, and on GNOME what to do when nobody would."""
    from sitbreak.adapters.tray_host import APPINDICATOR_HINT, gnome_appindicator_state, watcher_state

    if not env.linux:
        return []
    notes = []
    state = watcher_state() if env.session_bus else None
    if state is not None and state.present:
        host = {True: N_("a panel draws items"), False: N_("but no panel draws items yet"),
                None: N_("host unknown")}[state.host_registered]  # fmt: skip
        notes.append(_("StatusNotifierWatcher: {owner} ({host})").format(
            owner=state.owner, host=_(host)))
    elif picked == "sni":
        notes.append(_("no StatusNotifierWatcher yet: the icon appears once a panel starts one"))
    if env.gnome and not (state is not None and state.present):
        ext = gnome_appindicator_state()  # a msgid (or GNOME's state number)
        notes.append(_("GNOME AppIndicator extension: {state}").format(
            state=_(ext) if ext else _("unknown")))
        notes.append(_("to see the tray icon: {hint}").format(hint=_(APPINDICATOR_HINT)))
    return notes


def _gnome_breaks(env: Any) -> list[str]:
    """GNOME 48+'s own movement breaks, and the one way to avoid being nagged twice."""
    from sitbreak.adapters import gnome_breaks

    if not env.linux:
        return []
    reminders = gnome_breaks.read()
    if reminders.state == "absent" and not env.gnome:
        return []
    lines = [_("GNOME break reminders: {summary}").format(summary=reminders.summary().translated())]
    if reminders.state == "on":
        advice = reminders.advice().translated()
        lines.append("  " + (_("note: {advice}") if env.gnome else _(
            "note: {advice} (this is not a GNOME session: they only nag on GNOME)")).format(
            advice=advice))
    return lines


async def _async_parts(env: Any, settings: Any) -> tuple[list[str], list[str], list[str]]:
    import asyncio

    from sitbreak.adapters.notify import select_notifier
    from sitbreak.adapters.session import select_session_watcher

    watcher = select_session_watcher(env)
    status: list[str] = []
    try:
        await asyncio.wait_for(watcher.impl.start(lambda _name: None), 10)
        status = [_labelled(_shown(what), _shown(state))
                  for what, state in getattr(watcher.impl, "status", [])]
    except Exception as exc:
        status = [_("start failed: {error}").format(error=exc)]
    finally:
        await watcher.impl.close()
    watcher_lines = _section("watcher", watcher, status)

    notifier = await select_notifier(env=env)
    try:
        extra = [
            _("clicks open the card") if notifier.impl.clickable else _("no clicks on nudges"),
            _("nudges wait now (do-not-disturb or fullscreen)")
            if await notifier.impl.dnd_active()
            else "",
        ]
    finally:
        await notifier.impl.close()
    presence_lines = await _presence(settings)
    return watcher_lines, _section("notifier", notifier, [e for e in extra if e]), presence_lines
