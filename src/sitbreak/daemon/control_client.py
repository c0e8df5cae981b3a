"""Talks to the running daemon over its control socket (blocking; used by the CLI)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from sitbreak.daemon import paths, protocol
from sitbreak.errors import DaemonNotRunning, SitbreakError

_TIMEOUT_S = 5.0


def call(cmd: str, path: Path | None = None, **args: Any) -> dict[str, Any]:
    """Send one command and return the reply; raises DaemonNotRunning when nobody listens."""
    path = path or paths.socket_path()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(_TIMEOUT_S)
    try:
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            from sitbreak.progname import command

            raise DaemonNotRunning(
                f"sitbreak is not running (start it with `{command('run')}`)"
            ) from None
        except PermissionError:
            raise SitbreakError(f"no permission to use the control socket {path}") from None
        sock.sendall(protocol.encode({"cmd": cmd, **args}))
        buf = b""
        while not buf.endswith(b"\n"):
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                raise SitbreakError("the sitbreak daemon did not answer within 5 s") from None
            if not chunk:
                break
            buf += chunk
    finally:
        sock.close()
    if not buf:
        raise SitbreakError("the sitbreak daemon closed the connection without answering")
    try:
        reply = protocol.decode(buf)
    except protocol.ProtocolError as exc:
        raise SitbreakError(f"unexpected reply from the daemon: {exc}") from None
    if not reply.get("ok"):
        raise SitbreakError(str(reply.get("error", "the daemon refused the command")))
    return reply
