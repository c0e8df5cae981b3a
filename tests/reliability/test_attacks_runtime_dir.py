"""Attacks on the runtime directory, the lock file and the control socket, as another local user
(or a stray link) would try them. Each must be refused with one line, touch nothing it points at,
and leave the daemon nudging."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitbreak.daemon import paths
from sitbreak.daemon.control_server import ControlServer
from sitbreak.daemon.instance import InstanceLock
from tests.daemon_proc import Daemon, wait_for
from tests.reliability import attacker

UID = os.getuid()
SECRET = b"the victim's own notes\n"


@pytest.fixture(scope="module")
def mallory() -> Iterator[attacker.User]:
    yield from attacker.second_user()


@pytest.fixture
def shared() -> Iterator[Path]:
    yield from attacker.shared_dir()


@pytest.fixture
def no_runtime_dir(shared: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No XDG_RUNTIME_DIR: the daemon falls back to ``<shared>/sitbreak-<uid>``."""
    monkeypatch.delenv("SITBREAK_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared / "no-such-runtime-dir"))
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared / f"sitbreak-{UID}"


@pytest.fixture
def victim_dir(shared: Path) -> Path:
    """A directory of the daemon's user, readable by all, with a file in it."""
    d = shared / "victim-home"
    d.mkdir(mode=0o755)
    d.chmod(0o755)
    (d / "notes.txt").write_bytes(SECRET)
    return d


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _refusal(step: Callable[[], object]) -> str | None:
    """The one-line refusal ``step`` raised, or None when it went ahead."""
    try:
        step()
    except paths.UnsafePath as exc:
        return str(exc)
    return None


# -- the fallback directory ------------------------------------------------------------------


def test_fallback_symlinked_to_the_shared_dir_itself_is_refused_not_chmoded(
    mallory: attacker.User, shared: Path, no_runtime_dir: Path
) -> None:
    mallory.sh(f"ln -s {shared} {no_runtime_dir}")  # "make the victim chmod 700 /tmp"
    refusal = _refusal(paths.runtime_dir)
    assert _mode(shared) == 0o777  # not chmod-ed to 0700: other users keep their /tmp
    assert refusal == f"runtime directory {no_runtime_dir} is a symbolic link; refused"
    assert sorted(p.name for p in shared.iterdir()) == [no_runtime_dir.name]


def test_fallback_symlinked_to_a_directory_of_ours_is_refused(
    mallory: attacker.User, no_runtime_dir: Path, victim_dir: Path
) -> None:
    mallory.sh(f"ln -s {victim_dir} {no_runtime_dir}")
    refusal = _refusal(lambda: InstanceLock(paths.lock_path()).acquire())
    assert _mode(victim_dir) == 0o755
    assert sorted(p.name for p in victim_dir.iterdir()) == ["notes.txt"]  # no lock written
    assert refusal == f"runtime directory {no_runtime_dir} is a symbolic link; refused"


def test_fallback_made_by_another_user_is_refused_and_its_links_never_opened(
    mallory: attacker.User, no_runtime_dir: Path, victim_dir: Path
) -> None:
    target = victim_dir / "notes.txt"
    mallory.sh(f"mkdir -m 777 {no_runtime_dir}; ln -s {target} {no_runtime_dir}/daemon.lock;"
               f" ln -s {target} {no_runtime_dir}/control.sock")
    with pytest.raises(paths.UnsafePath) as refused:
        paths.runtime_dir()
    assert str(refused.value) == (
        f"runtime directory {no_runtime_dir} belongs to uid {mallory.uid}, not to you; refused "
        "(set XDG_RUNTIME_DIR or SITBREAK_RUNTIME_DIR to a private directory)")
    assert target.read_bytes() == SECRET
    assert _mode(target) == 0o644
    assert _mode(no_runtime_dir) == 0o777  # theirs: left as it is


def test_fallback_of_ours_with_loose_mode_is_refused_not_chmoded(no_runtime_dir: Path) -> None:
    no_runtime_dir.mkdir(mode=0o755)
    no_runtime_dir.chmod(0o755)
    with pytest.raises(paths.UnsafePath) as refused:
        paths.runtime_dir()
    assert str(refused.value) == (
        f"runtime directory {no_runtime_dir} has mode 0755, not 0700; refused "
        f"(make it private: chmod 700 {no_runtime_dir})")
    assert _mode(no_runtime_dir) == 0o755


def test_fallback_is_created_private(no_runtime_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        assert paths.runtime_dir() == no_runtime_dir
    finally:
        os.umask(old)
    st = os.lstat(no_runtime_dir)
    assert stat.S_ISDIR(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o700
    assert st.st_uid == UID
    assert paths.runtime_dir() == no_runtime_dir  # and it is accepted the next time


# -- the lock file and the socket inside our own directory ------------------------------------


@pytest.fixture
def private(tmp_path: Path) -> Path:
    d = tmp_path / "run"
    d.mkdir(mode=0o700)
    return d


def test_symlink_at_daemon_lock_does_not_truncate_its_target(private: Path,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_bytes(SECRET)
    (private / "daemon.lock").symlink_to(target)
    with pytest.raises(paths.UnsafePath) as refused:
        InstanceLock(private / "daemon.lock").acquire()
    assert str(refused.value) == f"lock file {private / 'daemon.lock'} is a symbolic link; refused"
    assert target.read_bytes() == SECRET


def test_hard_link_at_daemon_lock_does_not_truncate_its_target(private: Path) -> None:
    target = private / "precious.txt"
    target.write_bytes(SECRET)
    os.link(target, private / "daemon.lock")
    with pytest.raises(paths.UnsafePath, match="has 2 links"):
        InstanceLock(private / "daemon.lock").acquire()
    assert target.read_bytes() == SECRET


def test_fifo_at_daemon_lock_is_refused_without_blocking(private: Path) -> None:
    os.mkfifo(private / "daemon.lock")
    with pytest.raises(paths.UnsafePath, match="is not a regular file; refused"):
        InstanceLock(private / "daemon.lock").acquire()


async def _start_server(path: Path) -> None:
    async def handler(req: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    server = ControlServer(path, handler)
    try:
        await server.start()
    finally:
        await server.close()


def test_symlink_at_control_sock_is_refused_and_its_target_untouched(private: Path,
                                                                     tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_bytes(SECRET)
    target.chmod(0o644)
    sock = private / "control.sock"
    sock.symlink_to(target)
    with pytest.raises(paths.UnsafePath) as refused:
        asyncio.run(_start_server(sock))
    assert str(refused.value) == f"control socket path {sock} is a symbolic link; refused"
    assert target.read_bytes() == SECRET
    assert _mode(target) == 0o644
    assert sock.is_symlink()  # left for the user to look at


def test_symlink_to_another_live_socket_is_neither_removed_nor_chmoded(private: Path,
                                                                       tmp_path: Path) -> None:
    other = tmp_path / "other.sock"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(other))
    other.chmod(0o666)
    try:
        (private / "control.sock").symlink_to(other)
        with pytest.raises(paths.UnsafePath, match="is a symbolic link; refused"):
            asyncio.run(_start_server(private / "control.sock"))
        assert other.is_socket()
        assert _mode(other) == 0o666
    finally:
        listener.close()


def test_a_plain_file_at_control_sock_is_left_alone(private: Path) -> None:
    sock = private / "control.sock"
    sock.write_bytes(SECRET)
    with pytest.raises(paths.UnsafePath, match="is not a socket; refused"):
        asyncio.run(_start_server(sock))
    assert sock.read_bytes() == SECRET


def test_our_stale_socket_is_replaced(private: Path) -> None:
    sock = private / "control.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(sock))
    stale.close()  # a crashed daemon's leftover
    asyncio.run(_start_server(sock))
    assert not sock.exists()  # replaced, served, removed on close


# -- the daemon keeps nudging without the refused part ----------------------------------------


def test_daemon_refuses_a_planted_fallback_and_keeps_running(
    mallory: attacker.User, shared: Path, tmp_path: Path
) -> None:
    planted = shared / f"sitbreak-{UID}"
    mallory.sh(f"ln -s {shared} {planted}")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SITBREAK_"))}
    for leak in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(leak, None)
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"), TMPDIR=str(shared),
               XDG_RUNTIME_DIR=str(shared / "no-such-runtime-dir"))
    d = Daemon(env, tmp_path)
    d.start(wait=False)
    try:
        wait_for(lambda: "sitbreak running without a tray" in d.output(), 20, "the daemon")
        refusal = (f"runtime directory {planted} is a symbolic link; refused; running without "
                   "the control socket and the single-instance lock")
        wait_for(lambda: refusal in d.log(), 5, "the refusal in the log")
        assert d.output().count(refusal) == 1  # one line on the terminal too (headless)
        status = d.cli("status", check=False)
        assert status.returncode == 1
        assert status.stderr == (f"sitbreak: runtime directory {planted} is a symbolic link; "
                                 "refused\n")
        assert d.alive
        assert _mode(shared) == 0o777
        assert sorted(p.name for p in shared.iterdir()) == [planted.name]
        assert "Traceback" not in d.output() + d.log()
    finally:
        assert d.proc is not None
        d.proc.send_signal(signal.SIGTERM)
        assert d.proc.wait(15) == 0


# -- the history database ------------------------------------------------------------------------


@pytest.mark.parametrize("planted", ["history.sqlite3", "history.sqlite3-wal",
                                     "history.sqlite3-shm"])
def test_a_symlink_at_the_history_database_is_not_written_through(
    tmp_path: Path, planted: str, caplog: pytest.LogCaptureFixture
) -> None:
    from sitbreak.engine import commands as cmd
    from sitbreak.history import Recorder

    data = tmp_path / "data"
    data.mkdir()
    target = tmp_path / "precious.txt"
    target.write_bytes(SECRET)
    (data / planted).symlink_to(target)
    with Recorder(data / "history.sqlite3", keep_trying=True) as rec:
        rec.handle(cmd.SittingSpan(0, 60))
        assert not rec.enabled
    assert target.read_bytes() == SECRET
    refused, lost = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert refused.startswith(f"history: {data / planted} is a symbolic link; refused")
    assert lost == f"history: 1 record(s) could not be written to {data / 'history.sqlite3'}"


def test_the_first_run_marker_is_never_created_through_a_symlink(tmp_path: Path) -> None:
    from tests.reliability.virtual_runtime import VirtualDaemon

    marker = tmp_path / "data" / "safety-card-shown"
    marker.parent.mkdir()
    target = tmp_path / "elsewhere" / "created-by-us"
    target.parent.mkdir()
    marker.symlink_to(target)  # dangling: touch() would create the target
    d = VirtualDaemon(tmp_path / "h.sqlite3").start()
    try:
        d.on_loop(lambda: d.rt.cards.show_safety_intro(marker))
    finally:
        d.stop()
    assert not target.exists()
    assert marker.is_symlink()
