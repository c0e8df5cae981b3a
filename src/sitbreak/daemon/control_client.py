"""Talks to the running daemon over its control socket (blocking; used by the CLI)."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

from sitbreak.daemon import paths, protocol
from sitbreak.errors import DaemonNotRunning, SitbreakError
from sitbreak.i18n import _
from sitbreak.safe_text import clean

_TIMEOUT_S = 5.0


def call(cmd: str, path: Path | None = None, **args: Any) -> dict[str, Any]:
    """Send one command and return the reply; raises DaemonNotRunning when nobody listens."""
    path = path or paths.socket_path()
    request = protocol.encode({"cmd": cmd, **args})
    deadline = time.monotonic() + _TIMEOUT_S
    while True:
        buf = _exchange(path, request, deadline)
        if buf:
            break
        # Closed before our request was read: a daemon under a flood of connections lets idle
        # ones go, and ours may have looked idle. The request was not run; ask again.
        if time.monotonic() > deadline:
            raise SitbreakError(_("the sitbreak daemon closed the connection without answering"))
        time.sleep(0.02)
    try:
        reply = protocol.decode(buf)
    except protocol.ProtocolError as exc:
        raise SitbreakError(_("unexpected reply from the daemon: {error}").format(error=clean(exc))) from None
    if not reply.get("ok"):
        raise SitbreakError(clean(reply.get("error", "the daemon refused the command")))
    return reply


def _exchange(path: Path, request: bytes, deadline: float) -> bytes:
    """One connection: the reply line, or b"" when the daemon closed without answering."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        try:
            _connect(sock, path, deadline)
        except (FileNotFoundError, ConnectionRefusedError):
            from sitbreak.progname import command

            raise DaemonNotRunning(
                _("sitbreak is not running (start it with `{command}`)").format(command=command('run'))
            ) from None
        except PermissionError:
            raise SitbreakError(_("no permission to use the control socket {path}").format(
                path=clean(path))) from None
        buf = b""
        try:
            sock.sendall(request)
            while not buf.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                if len(buf) > protocol.MAX_LINE:
                    raise SitbreakError(_("the sitbreak daemon sent an overlong reply"))
        except TimeoutError:
            raise SitbreakError(
                _("the sitbreak daemon did not answer within {TIMEOUT_S:g} s").format(TIMEOUT_S=_TIMEOUT_S)
            ) from None
        except (BrokenPipeError, ConnectionResetError):
            return b""
        return buf
    finally:
        sock.close()


def _connect(sock: socket.socket, path: Path, deadline: float) -> None:
    """Connect; a full listen queue (a flood of connections, the daemon busy) answers EAGAIN at
    once for a Unix socket, so keep trying until the deadline instead of failing."""
    while True:
        try:
            sock.connect(str(path))
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise SitbreakError(
                    _("the sitbreak daemon did not accept a connection within {TIMEOUT_S:g} s").format(
                        TIMEOUT_S=_TIMEOUT_S)
                ) from None
            time.sleep(0.01)
