"""The control socket: a Unix socket (0600, in the 0700 runtime dir) speaking JSON lines.

Connections from another uid are refused (SO_PEERCRED), even if the file mode were loosened.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import struct
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sitbreak.daemon import protocol

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
_IDLE_TIMEOUT_S = 30.0


def peer_uid(sock: socket.socket) -> int | None:
    """The connecting process's uid, or None where the platform cannot tell."""
    opt = getattr(socket, "SO_PEERCRED", None)
    if opt is None:
        return None
    raw = sock.getsockopt(socket.SOL_SOCKET, opt, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


class ControlServer:
    def __init__(self, path: Path, handler: Handler) -> None:
        self.path = path
        self._handler = handler
        self._server: asyncio.AbstractServer | None = None
        self._uid = os.getuid()

    async def start(self) -> None:
        # The caller holds the single-instance lock, so a leftover socket file is stale.
        if self.path.is_socket():
            self.path.unlink()
        old = os.umask(0o177)  # born 0600: no window where others could connect
        try:
            self._server = await asyncio.start_unix_server(
                self._serve, path=str(self.path), limit=protocol.MAX_LINE
            )
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)
        log.info("control socket at %s", self.path)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            sock = writer.get_extra_info("socket")
            uid = peer_uid(sock) if sock is not None else None
            if uid is not None and uid != self._uid:
                log.warning("refused a control connection from uid %d", uid)
                writer.write(protocol.encode({"ok": False, "error": "refused: another user"}))
                await writer.drain()
                return
            while True:
                try:
                    line = await asyncio.wait_for(reader.readline(), _IDLE_TIMEOUT_S)
                except (TimeoutError, ValueError):  # ValueError: line over the limit
                    return
                if not line:
                    return
                try:
                    req = protocol.parse_request(line)
                except protocol.ProtocolError as exc:
                    reply: dict[str, Any] = {"ok": False, "error": str(exc)}
                else:
                    try:
                        reply = await self._handler(req)
                    except Exception as exc:  # a bad command must not take the daemon down
                        log.exception("control command %s failed", req.get("cmd"))
                        reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                writer.write(protocol.encode(reply))
                await writer.drain()
        except (ConnectionError, OSError):
            return
        finally:
            writer.close()
