"""The control socket: a Unix socket (0600, in the 0700 runtime dir) speaking JSON lines.

Connections from another uid are refused (SO_PEERCRED), even if the file mode were loosened.

A stuck or hostile client cannot lock the user out: at most ``MAX_CONNECTIONS`` at once (a new
one closes the oldest idle one, so `sitbreak status` gets in even through a flood), a first line
within ``FIRST_LINE_TIMEOUT_S``, requests of at most ``MAX_REQUEST`` bytes. Running out of file
descriptors is logged once a minute, never as a traceback per failed accept.

The socket path is checked with ``lstat``: only a socket of ours is ever removed as stale; a
symlink or anything else there is refused (one line) and left alone, and nothing is chmod-ed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import stat
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitbreak.daemon import protocol
from sitbreak.daemon.paths import UnsafePath
from sitbreak.i18n import _
from sitbreak.safe_text import clean

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
MAX_CONNECTIONS = 32
MAX_PER_PROCESS = 4  # one runaway script cannot take the slots `sitbreak status` needs
MAX_REQUEST = 4096  # bytes per request line; a real one is under 100
FIRST_LINE_TIMEOUT_S = 5.0  # our client sends at once; a silent connection is let go
IDLE_TIMEOUT_S = 30.0  # between requests on one connection
_LOG_EVERY_S = 60.0
_ACCEPT_FAILED = "socket.accept() out of system resource"


def peer_ids(sock: Any) -> tuple[int, int] | None:
    """(pid, uid) of the connecting process, or None where the platform cannot tell."""
    opt = getattr(socket, "SO_PEERCRED", None)
    if opt is None:
        return None
    raw = sock.getsockopt(socket.SOL_SOCKET, opt, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", raw)
    return int(pid), int(uid)


def peer_uid(sock: Any) -> int | None:
    """The connecting process's uid, or None where the platform cannot tell."""
    ids = peer_ids(sock)
    return None if ids is None else ids[1]


class _Throttled:
    """At most one log line per ``every`` seconds for a condition that repeats (a flood)."""

    def __init__(self, every: float = _LOG_EVERY_S) -> None:
        self.every = every
        self._last = -float("inf")
        self._quiet = 0  # occurrences not logged since the last line

    def warn(self, message: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            self._quiet += 1
            return
        if self._quiet:
            message += f" ({self._quiet} more since the last such line)"
        log.warning(message, *args)
        self._last = now
        self._quiet = 0


@dataclass(eq=False)
class _Conn:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    pid: int | None
    busy: bool = False

    def has_input(self) -> bool:
        """A request already arrived (in our buffer or the kernel's): not idle, not evictable."""
        if getattr(self.reader, "_buffer", b""):
            return True
        trsock = self.writer.get_extra_info("socket")
        if trsock is None:
            return False
        peek = socket.socket(fileno=trsock.fileno())
        try:
            return bool(peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        except OSError:
            return False
        finally:
            peek.detach()


class ControlServer:
    def __init__(self, path: Path, handler: Handler) -> None:
        self.path = path
        self._handler = handler
        self._server: asyncio.AbstractServer | None = None
        self._uid = os.getuid()
        self._conns: list[_Conn] = []  # oldest first
        self._identity: tuple[int, int] | None = None  # (dev, ino) of the socket we bound
        self._crowded = _Throttled()
        self._greedy = _Throttled()  # one process over its share
        self._refused = _Throttled()
        self._no_fds = _Throttled()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._prev_handler: Any = None

    async def start(self) -> None:
        """Raises ``UnsafePath`` (one line) when the socket path is not ours to replace."""
        self._remove_stale()
        old = os.umask(0o177)  # born 0600: no window where others could connect
        try:
            self._server = await asyncio.start_unix_server(
                self._serve, path=str(self.path), limit=MAX_REQUEST
            )
        finally:
            os.umask(old)
        st = os.lstat(self.path)
        if not stat.S_ISSOCK(st.st_mode) or st.st_uid != self._uid or st.st_mode & 0o077:
            await self.close()
            raise UnsafePath(_("control socket {path} is not a private socket of ours").format(
                path=clean(self.path)))
        self._identity = (st.st_dev, st.st_ino)
        self._loop = asyncio.get_running_loop()
        self._prev_handler = self._loop.get_exception_handler()
        self._loop.set_exception_handler(self._loop_exception)
        log.info("control socket at %s", self.path)

    def _remove_stale(self) -> None:
        """The caller holds the single-instance lock, so a leftover socket of ours is stale."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode):
            raise UnsafePath(_("control socket path {path} is a symbolic link; refused").format(
                path=clean(self.path)))
        if not stat.S_ISSOCK(st.st_mode):
            raise UnsafePath(_("control socket path {path} is not a socket; refused").format(
                path=clean(self.path)))
        if st.st_uid != self._uid:
            raise UnsafePath(
                _("control socket {path} belongs to uid {st_uid}; refused").format(
                    path=clean(self.path), st_uid=st.st_uid)
            )
        self.path.unlink()

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.set_exception_handler(self._prev_handler)
            self._loop = None
        for conn in list(self._conns):
            conn.writer.transport.abort()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None
        if self._identity is not None:
            # remove it only if it is still the socket we made
            with contextlib.suppress(OSError):
                st = os.lstat(self.path)
                if (st.st_dev, st.st_ino) == self._identity:
                    self.path.unlink()
            self._identity = None

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == _ACCEPT_FAILED:
            exc = context.get("exception")
            self._no_fds.warn("control socket: cannot accept a connection (%s)", exc)
            return
        if self._prev_handler is not None:
            self._prev_handler(loop, context)
        else:
            loop.default_exception_handler(context)

    def _admit(self, conn: _Conn) -> bool:
        """Make room for ``conn``: close the oldest idle connection when at the cap (of all,
        or of its process)."""
        mine = [c for c in self._conns if conn.pid is not None and c.pid == conn.pid]
        if len(mine) >= MAX_PER_PROCESS:
            self._greedy.warn("control socket: more than %d connections from process %d; closing "
                             "idle ones", MAX_PER_PROCESS, conn.pid)
            victim = next((c for c in mine if not c.busy and not c.has_input()), None)
            if victim is None:
                return False
            self._conns.remove(victim)
            victim.writer.transport.abort()
        elif len(self._conns) >= MAX_CONNECTIONS:
            self._crowded.warn("control socket: more than %d connections; closing idle ones",
                               MAX_CONNECTIONS)
            victim = next((c for c in self._conns if not c.busy and not c.has_input()), None)
            if victim is None:
                return False
            self._conns.remove(victim)
            victim.writer.transport.abort()
        self._conns.append(conn)
        return True

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        ids = peer_ids(sock) if sock is not None else None
        pid, uid = (None, None) if ids is None else ids
        pid = pid if pid else None  # 0: a process the kernel cannot name to us
        conn = _Conn(reader, writer, pid)
        try:
            if not self._admit(conn):
                writer.write(protocol.encode({"ok": False, "error": "busy: too many connections"}))
                return
            if uid is not None and uid != self._uid:
                self._refused.warn("refused a control connection from uid %d", uid)
                writer.write(protocol.encode({"ok": False, "error": "refused: another user"}))
                await writer.drain()
                return
            timeout = FIRST_LINE_TIMEOUT_S
            while True:
                try:
                    line = await asyncio.wait_for(reader.readline(), timeout)
                except TimeoutError:
                    return
                except ValueError:  # over MAX_REQUEST
                    writer.write(protocol.encode(
                        {"ok": False, "error": f"request too long (over {MAX_REQUEST} bytes)"}))
                    await writer.drain()
                    return
                if not line.endswith(b"\n"):
                    return  # closed, or closed mid-line
                conn.busy = True
                writer.write(protocol.encode(await self._reply(line)))
                await writer.drain()
                conn.busy = False
                timeout = IDLE_TIMEOUT_S
        except (ConnectionError, OSError):
            return
        finally:
            with contextlib.suppress(ValueError):
                self._conns.remove(conn)
            writer.close()

    async def _reply(self, line: bytes) -> dict[str, Any]:
        try:
            req = protocol.parse_request(line)
        except protocol.ProtocolError as exc:
            return {"ok": False, "error": clean(str(exc))}
        try:
            return await self._handler(req)
        except Exception as exc:  # a bad command must not take the daemon down
            log.exception("control command %s failed", req.get("cmd"))
            return {"ok": False, "error": clean(f"{type(exc).__name__}: {exc}")}
