"""Shared by the control commands: send one command to the daemon and print the answer."""

from __future__ import annotations

from typing import Any


def send(cmd: str, *, show_status: bool = False, **args: Any) -> int:
    from sitbreak.daemon import control_client, protocol

    reply = control_client.call(cmd, **args)
    if reply.get("message"):
        print(reply["message"])
    if show_status:
        print(protocol.format_status(reply.get("status", {})))
    return 0
