"""The control socket: user-only, JSON lines, clear errors when no daemon runs."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from sitbreak.daemon import control_client, protocol
from sitbreak.daemon.control_server import ControlServer
from sitbreak.daemon.instance import InstanceLock
from sitbreak.errors import DaemonNotRunning, SitbreakError


class ServerThread:
    """A real ControlServer on its own loop; the handler echoes the request back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: list[dict[str, Any]] = []
        self.loop = asyncio.new_event_loop()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._main, daemon=True)

    async def _handle(self, req: dict[str, Any]) -> dict[str, Any]:
        self.seen.append(req)
        if req["cmd"] == "quit":
            raise RuntimeError("boom")
        return {"ok": True, "message": f"did {req['cmd']}", "status": {"presence": "sitting"}}

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = ControlServer(self.path, self._handle)
        self.loop.run_until_complete(self.server.start())
        self.started.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.server.close())
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()

    def __enter__(self) -> ServerThread:
        self.thread.start()
        assert self.started.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def sock_path(tmp_path: Path) -> Path:
    d = tmp_path / "rt"
    d.mkdir(mode=0o700)
    return d / "c.sock"


def test_round_trip_and_socket_is_user_only(sock_path: Path) -> None:
    with ServerThread(sock_path) as srv:
        mode = stat.S_IMODE(os.stat(sock_path).st_mode)
        assert mode == 0o600
        reply = control_client.call("pause", sock_path, for_s=1800)
        assert reply["message"] == "did pause"
        assert srv.seen == [{"cmd": "pause", "for_s": 1800}]
    assert not sock_path.exists()  # removed on close


def test_bad_requests_get_errors_not_crashes(sock_path: Path) -> None:
    with ServerThread(sock_path):
        with pytest.raises(SitbreakError, match="unknown command 'dance'"):
            control_client.call("dance", sock_path)
        with pytest.raises(SitbreakError, match=r"a pause must be more than 0s and at most 7 days"):
            control_client.call("pause", sock_path, for_s=-5)
        with pytest.raises(SitbreakError, match="RuntimeError: boom"):
            control_client.call("quit", sock_path)
        # raw garbage on one connection, then a good line on the same connection
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(sock_path))
        s.sendall(b"not json\n" + protocol.encode({"cmd": "status"}))
        f = s.makefile("rb")
        first, second = json.loads(f.readline()), json.loads(f.readline())
        s.close()
        assert first["ok"] is False
        assert "not a JSON line" in first["error"]
        assert second["ok"] is True


def test_no_daemon_is_a_clear_error(sock_path: Path) -> None:
    with pytest.raises(DaemonNotRunning, match="not running"):
        control_client.call("status", sock_path)


def test_cli_without_daemon_exits_4(tmp_path: Path) -> None:
    env = {**os.environ, "SITBREAK_RUNTIME_DIR": str(tmp_path / "rt")}
    for args in (["status"], ["pause", "30m"], ["quit"]):
        proc = subprocess.run(
            [sys.executable, "-m", "sitbreak", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert proc.returncode == 4, proc.stderr
        assert proc.stderr.strip() == (
            "sitbreak: sitbreak is not running (start it with `sitbreak run`)"
        )
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("soon", "bad duration 'soon'"),
        ("30", "add a unit to '30', e.g. 30m"),  # minutes or seconds? say so, do not guess
        ("0m", "more than 0s"),
    ],
)
def test_pause_rejects_bad_duration(tmp_path: Path, arg: str, message: str) -> None:
    env = {**os.environ, "SITBREAK_RUNTIME_DIR": str(tmp_path / "rt")}
    proc = subprocess.run(
        [sys.executable, "-m", "sitbreak", "pause", arg],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.skipif(not hasattr(os, "setuid") or os.geteuid() != 0, reason="needs root to setuid")
def test_connection_from_another_user_is_refused() -> None:
    # a directory "nobody" can reach (pytest's tmp_path lives under a 0700 dir)
    base = Path(tempfile.mkdtemp(prefix="sitbreak-peer-"))
    os.chmod(base, 0o755)
    sock_path = base / "c.sock"
    with ServerThread(sock_path) as srv:
        # loosen the file mode so only the SO_PEERCRED check stands in the way
        os.chmod(sock_path, 0o666)
        code = (
            "import os, socket, sys\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])\n"
            "try:\n"
            "    s.sendall(b'{\"cmd\":\"status\"}\\n')\n"
            "except BrokenPipeError:\n"
            "    pass  # the server may refuse before reading\n"
            "print(s.makefile().readline().strip())\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, str(sock_path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == {"ok": False, "error": "refused: another user"}
        assert srv.seen == []  # the command never reached the handler
    shutil.rmtree(base)


def test_single_instance_lock(tmp_path: Path) -> None:
    path = tmp_path / "daemon.lock"
    first = InstanceLock(path)
    assert first.acquire()
    code = (
        "import sys; from pathlib import Path\n"
        "from sitbreak.daemon.instance import InstanceLock\n"
        "sys.exit(0 if InstanceLock(Path(sys.argv[1])).acquire() else 7)\n"
    )
    held = subprocess.run([sys.executable, "-c", code, str(path)], timeout=30, check=False)
    assert held.returncode == 7
    first.release()
    free = subprocess.run([sys.executable, "-c", code, str(path)], timeout=30, check=False)
    assert free.returncode == 0
