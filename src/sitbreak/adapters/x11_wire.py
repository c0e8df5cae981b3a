"""The few X11 requests the daemon makes, spoken directly on the X socket (no client library).

The daemon asks X two things: how long since the last input (MIT-SCREEN-SAVER QueryInfo, at its
deadlines) and, before a nudge, whether the active window is fullscreen (two properties).
python-xlib answers both but loads every extension module and queries each extension on connect
(~15 ms of CPU and ~1.4 MiB per daemon); this speaks the core protocol (X Window System
Protocol, version 11, and the MIT-SCREEN-SAVER extension) for exactly those requests.

``X11Wire(display)`` connects (``$DISPLAY`` by default: a local ``:N[.S]`` over the Unix socket,
``host:N`` over TCP) with the MIT-MAGIC-COOKIE-1 from ``$XAUTHORITY`` (or ``~/.Xauthority``)
when there is one; every failure is an ``X11Error`` (an ``OSError``). Not thread-safe: one
connection per user of it.
"""

from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

TIMEOUT_S = 5.0
COOKIE = b"MIT-MAGIC-COOKIE-1"
FAMILY_WILD = 65535
ANY_PROPERTY_TYPE = 0

_INTERN_ATOM = 16
_GET_PROPERTY = 20
_QUERY_EXTENSION = 98
_SS_QUERY_INFO = 1


class X11Error(OSError):
    """No X server, refused, or an error answer to a request."""


def _pad(n: int) -> int:
    return (4 - n % 4) % 4


def parse_display(name: str) -> tuple[str, int, int]:
    """``"host:N.S"`` → (host, N, S); host "" or "unix" means the local Unix socket."""
    host, sep, rest = name.rpartition(":")
    if not sep:
        raise X11Error(f"bad DISPLAY {name!r}")
    number, _, screen = rest.partition(".")
    try:
        return host, int(number), int(screen or 0)
    except ValueError:
        raise X11Error(f"bad DISPLAY {name!r}") from None


def cookie_for(number: int, host: str = "", path: str | None = None) -> bytes | None:
    """The MIT-MAGIC-COOKIE-1 for display ``number`` from the Xauthority file, if any."""
    path = path or os.environ.get("XAUTHORITY") or str(Path.home() / ".Xauthority")
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    # xauth files name the local machine by its host name (or "localhost")
    ours = {socket.gethostname().encode(), b"localhost"}
    if host not in ("", "unix"):
        ours.add(host.encode())
    offset = 0

    def field() -> bytes:
        nonlocal offset
        (n,) = struct.unpack_from(">H", data, offset)
        value = data[offset + 2: offset + 2 + n]
        offset += 2 + n
        return value

    try:
        while offset < len(data):
            (family,) = struct.unpack_from(">H", data, offset)
            offset += 2
            address, num, name, cookie = field(), field(), field(), field()
            if name != COOKIE or (num and num != str(number).encode()):
                continue
            if family == FAMILY_WILD or address in ours:
                return cookie
    except struct.error:
        return None
    return None


class X11Wire:
    def __init__(self, display: str | None = None) -> None:
        name = display if display is not None else os.environ.get("DISPLAY", "")
        host, number, self.screen_number = parse_display(name)
        self._sock = self._connect(host, number)
        try:
            self._sock.settimeout(TIMEOUT_S)
            self.root = self._setup(cookie_for(number, host))
            self._sequence = 0
            self._extensions: dict[str, int | None] = {}
        except BaseException:
            self._sock.close()
            raise

    @staticmethod
    def _connect(host: str, number: int) -> socket.socket:
        if host in ("", "unix"):
            path = f"/tmp/.X11-unix/X{number}"
            for address in (path, "\0" + path):  # the socket file, else Linux's abstract one
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.settimeout(TIMEOUT_S)
                    s.connect(address)
                    return s
                except OSError:
                    s.close()
            raise X11Error(f"cannot connect to X display :{number}")
        try:
            return socket.create_connection((host, 6000 + number), TIMEOUT_S)
        except OSError as exc:
            raise X11Error(f"cannot connect to X display {host}:{number}: {exc}") from None

    def _read(self, n: int) -> bytes:
        chunks: list[bytes] = []
        while n > 0:
            try:
                chunk = self._sock.recv(n)
            except OSError as exc:
                raise X11Error(f"X connection: {exc}") from None
            if not chunk:
                raise X11Error("the X server closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _setup(self, cookie: bytes | None) -> int:
        name, data = (COOKIE, cookie) if cookie else (b"", b"")
        self._sock.sendall(
            struct.pack("<BxHHHHxx", 0x6C, 11, 0, len(name), len(data))
            + name + b"\0" * _pad(len(name)) + data + b"\0" * _pad(len(data))
        )
        status, reason_len, _major, _minor, length = struct.unpack("<BBHHH", self._read(8))
        body = self._read(length * 4)
        if status != 1:
            reason = body[:reason_len].decode("latin-1", "replace") if status == 0 else ""
            raise X11Error(f"the X server refused the connection{': ' + reason if reason else ''}")
        vendor_len, = struct.unpack_from("<H", body, 16)
        screens, formats = body[20], body[21]
        offset = 32 + vendor_len + _pad(vendor_len) + 8 * formats
        for index in range(screens):
            root, = struct.unpack_from("<I", body, offset)
            if index == self.screen_number:
                return int(root)
            depths = body[offset + 39]
            offset += 40
            for _ in range(depths):
                visuals, = struct.unpack_from("<H", body, offset + 2)
                offset += 8 + 24 * visuals
        raise X11Error(f"no screen {self.screen_number} on this display")

    def _request(self, data: bytes) -> bytes:
        """Send one request that has a reply; the whole reply (32 bytes plus its extra data)."""
        self._sock.sendall(data)
        self._sequence = (self._sequence + 1) & 0xFFFF
        while True:
            head = self._read(32)
            kind = head[0]
            if kind == 0:  # an error
                raise X11Error(f"X error {head[1]} (request {head[10]}.{head[9]})")
            if kind == 1:
                extra, = struct.unpack_from("<I", head, 4)
                reply = head + self._read(extra * 4)
                sequence, = struct.unpack_from("<H", head, 2)
                if sequence == self._sequence:
                    return reply
                continue  # an answer to something else: not ours to wait for
            # an event (none are selected, but a client message may still come): skip it

    def extension(self, name: str) -> int | None:
        """The major opcode of an extension, None when the server lacks it."""
        if name not in self._extensions:
            raw = name.encode()
            reply = self._request(
                struct.pack("<BxHH2x", _QUERY_EXTENSION, 2 + (len(raw) + _pad(len(raw))) // 4,
                            len(raw)) + raw + b"\0" * _pad(len(raw)))
            self._extensions[name] = reply[9] if reply[8] else None
        return self._extensions[name]

    def idle_ms(self) -> int:
        """Milliseconds since the last keyboard or pointer input (MIT-SCREEN-SAVER)."""
        major = self.extension("MIT-SCREEN-SAVER")
        if major is None:
            raise X11Error("X server lacks the MIT-SCREEN-SAVER extension")
        reply = self._request(struct.pack("<BBHI", major, _SS_QUERY_INFO, 2, self.root))
        ms, = struct.unpack_from("<I", reply, 16)
        return int(ms)

    def atom(self, name: str) -> int:
        raw = name.encode()
        reply = self._request(
            struct.pack("<BBHH2x", _INTERN_ATOM, 0, 2 + (len(raw) + _pad(len(raw))) // 4,
                        len(raw)) + raw + b"\0" * _pad(len(raw)))
        value, = struct.unpack_from("<I", reply, 8)
        return int(value)

    def cardinals(self, window: int, prop: int, limit: int = 64) -> list[int]:
        """A 32-bit property's values (window ids, atoms); [] when unset."""
        reply = self._request(struct.pack("<BBHIIIII", _GET_PROPERTY, 0, 6, window, prop,
                                          ANY_PROPERTY_TYPE, 0, limit))
        fmt = reply[1]
        count, = struct.unpack_from("<I", reply, 16)
        if fmt != 32 or not count:
            return []
        return list(struct.unpack_from(f"<{count}I", reply, 32))

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        self._sock.close()
