"""Talks to the running daemon over its control socket (blocking; used by the CLI)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from sitbreak.daemon import paths, protocol
from sitbreak.errors import DaemonNotRunning, SitbreakError
from sitbreak.i18n import _

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
            raise DaemonNotRunning(
                _("sitbreak is not running (start it with `sitbreak run`)")
            ) from None
        except PermissionError:
            raise SitbreakError(
                _("no permission to use the control socket {path}").format(path=path)
            ) from None
        sock.sendall(protocol.encode({"cmd": cmd, **args}))
        buf = b""
        while not buf.endswith(b"\n"):
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                raise SitbreakError(_("the sitbreak daemon did not answer within 5 s")) from None
            if not chunk:
                break
            buf += chunk
    finally:
        sock.close()
    if not buf:
        raise SitbreakError(_("the sitbreak daemon closed the connection without answering"))
    try:
        reply = protocol.decode(buf)
    except protocol.ProtocolError as exc:
        raise SitbreakError(_("unexpected reply from the daemon: {error}").format(error=exc)) from None
    if not reply.get("ok"):
        raise SitbreakError(str(reply.get("error", _("the daemon refused the command"))))
    return reply
