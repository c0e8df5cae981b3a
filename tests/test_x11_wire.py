"""The daemon's own X11 requests (idle time, the active window's state) against a real Xvfb."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import pytest

from sitbreak.adapters.dnd import fullscreen_window_x11
from sitbreak.adapters.x11_wire import X11Error, X11Wire, cookie_for, parse_display
from tests.desktop import Desktop
from tests.test_adapters_idle import use_desktop


def entry(family: int, address: bytes, number: bytes, name: bytes, data: bytes) -> bytes:
    out = struct.pack(">H", family)
    for value in (address, number, name, data):
        out += struct.pack(">H", len(value)) + value
    return out


def test_the_cookie_for_this_display_is_found(tmp_path: Path) -> None:
    auth = tmp_path / "Xauthority"
    here = socket.gethostname().encode()
    auth.write_bytes(
        entry(256, here, b"7", b"MIT-MAGIC-COOKIE-1", b"seven")
        + entry(256, b"elsewhere", b"8", b"MIT-MAGIC-COOKIE-1", b"not ours")
        + entry(256, here, b"8", b"XDM-AUTHORIZATION-1", b"other scheme")
        + entry(256, here, b"8", b"MIT-MAGIC-COOKIE-1", b"eight")
        + entry(65535, b"", b"", b"MIT-MAGIC-COOKIE-1", b"any")
    )
    assert cookie_for(7, path=str(auth)) == b"seven"
    assert cookie_for(8, path=str(auth)) == b"eight"
    assert cookie_for(9, path=str(auth)) == b"any"
    assert cookie_for(7, path=str(tmp_path / "missing")) is None
    auth.write_bytes(entry(256, here, b"7", b"MIT-MAGIC-COOKIE-1", b"seven")[:9])  # cut short
    assert cookie_for(7, path=str(auth)) is None


def test_display_names() -> None:
    assert parse_display(":0") == ("", 0, 0)
    assert parse_display("unix:12.1") == ("unix", 12, 1)
    assert parse_display("remote:10") == ("remote", 10, 0)
    for bad in ("", "0", ":x"):
        with pytest.raises(X11Error):
            parse_display(bad)


def test_idle_time_and_no_fullscreen_window_on_a_real_server(
    xdisplay: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_desktop(monkeypatch, xdisplay)
    wire = X11Wire()
    try:
        time.sleep(0.6)
        assert wire.idle_ms() >= 500
        xdisplay.move_mouse()
        assert wire.idle_ms() < 400
        assert wire.extension("NO-SUCH-EXTENSION") is None
        assert wire.atom("_NET_ACTIVE_WINDOW") == wire.atom("_NET_ACTIVE_WINDOW") > 0
        assert wire.cardinals(wire.root, wire.atom("_NET_ACTIVE_WINDOW")) == []  # no WM
    finally:
        wire.close()
    assert fullscreen_window_x11() is False


def test_a_server_that_wants_a_cookie_refuses_us_without_it(
    xdisplay: Desktop, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_desktop(monkeypatch, xdisplay)
    monkeypatch.setenv("XAUTHORITY", str(tmp_path / "none"))
    with pytest.raises(X11Error, match="refused"):
        X11Wire()
