"""``sitbreak autostart enable|disable|status``: start with every session (or not)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitbreak.i18n import _


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "autostart",
        help=_("start sitbreak with your session (enable, disable, status)"),
        description=_("Linux: an XDG autostart entry (default) or a systemd user unit (--systemd); "
        "Windows: a Run registry value starting pythonw; macOS: a LaunchAgent."),
    )

    def _help(_args: argparse.Namespace) -> int:
        p.print_help()
        return 0

    p.set_defaults(func=_help)
    asub = p.add_subparsers(dest="autostart_command", metavar="ACTION")
    for name, func, text in (
        ("enable", _enable, "start sitbreak at each login (and now, on macOS)"),
        ("disable", _disable, "stop starting it at login"),
        ("status", _status, "is it enabled, where, and what does it start (exit 1: not enabled)"),
    ):
        a = asub.add_parser(name, help=text)
        a.add_argument(
            "--systemd", action="store_true", help=_("Linux: a systemd user unit instead of XDG")
        )
        a.add_argument(
            "--all-users",
            action="store_true",
            help=_("for every user of this machine (administrators: /etc/xdg/autostart, HKLM, "
            "/Library/LaunchAgents)"),
        )
        a.set_defaults(func=func)


def _backend(args: argparse.Namespace) -> Any:
    from sitbreak import autostart

    return autostart.select(systemd=args.systemd, all_users=args.all_users)


def _enable(args: argparse.Namespace) -> int:
    from sitbreak import autostart

    backend = _backend(args)
    for other in autostart.alternatives(backend):
        if other.state().enabled:
            print(other.disable())
    print(backend.enable(autostart.launch_argv()))
    return 0


def _disable(args: argparse.Namespace) -> int:
    from sitbreak import autostart

    backend = _backend(args)
    print(backend.disable())
    for other in autostart.alternatives(backend):
        if other.state().enabled:
            print(other.disable())
    return 0


def _status(args: argparse.Namespace) -> int:
    from sitbreak import autostart

    backend = _backend(args)
    states = [backend.state(), *(o.state() for o in autostart.alternatives(backend))]
    enabled = [s for s in states if s.enabled]
    for state in enabled or states[:1]:
        word = _("enabled") if state.enabled else _("disabled")
        note = f", {state.note}" if state.note else ""
        print(_("autostart {state} ({backend}): {where}").format(
            state=word, backend=state.backend + note, where=state.where))
        if state.command:
            print("  " + _("starts: {command}").format(command=state.command))
    sys.stdout.flush()
    return 0 if enabled else 1
