"""Ctrl-C, SIGTERM and logout end `./sitbreak` cleanly in every mode (the StatusNotifierItem
tray in a real panel, pystray's xorg tray, headless), run from the clone's launcher in a real
terminal (a pty)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, wait_for
from tests.desktop import Desktop
from tests.launcher import REPO, Terminal, fake_venv

pytestmark = pytest.mark.desktop


def launcher_env(desktop: Desktop, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "sitbreak.toml"
    config.write_text(FAST_CONFIG, encoding="utf-8")
    return {
        **desktop.env,
        "SITBREAK_VENV": str(fake_venv(tmp_path)),
        "SITBREAK_CONFIG": str(config),
        "SITBREAK_NO_SAFETY_INTRO": "1",
        "TERM": "dumb",
    }


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitbreak", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=30, check=False)


def log_of(env: dict[str, str]) -> str:
    path = Path(env["XDG_STATE_HOME"]) / "sitbreak" / "log" / "sitbreak.log"
    return path.read_text(errors="replace") if path.exists() else ""


def socket_of(env: dict[str, str]) -> Path:
    return Path(env["XDG_RUNTIME_DIR"]) / "sitbreak" / "control.sock"


def start(desktop: Desktop, tmp_path: Path, mode: str) -> tuple[Terminal, dict[str, str]]:
    env = launcher_env(desktop, tmp_path)
    argv = ["./sitbreak"]
    if mode == "headless":
        env.pop("DISPLAY", None)  # no display: headless by itself
        argv.append("-v")  # global options alone run the default command, with debug logging
    else:
        env["SITBREAK_TRAY_BACKEND"] = mode
    term = Terminal(argv, env)
    try:
        if mode == "headless":
            out = term.wait_for_output("Ctrl+C to stop")
            assert "DEBUG sitbreak" in term.wait_for_output("DEBUG sitbreak")
        else:
            out = term.wait_for_output("stops it.")
            # a command that works where the user is: `sitbreak` is not on PATH in a clone
            assert "`./sitbreak quit` stops it." in out
        wait_for(lambda: cli(env, "status").returncode == 0, 20, "the control socket")
        if mode != "headless":
            tray = cli(env, "status", "--json").stdout
            if f'"{"sni" if mode == "sni" else "pystray-" + mode}"' not in tray:
                pytest.skip(f"no {mode} tray here ({tray.strip()[:200]})")
            wait_for(lambda: "is up" in log_of(env), 20, "the tray to run its loop")
    except BaseException:
        term.close()
        raise
    return term, env


def assert_clean_exit(code: int, env: dict[str, str], term: Terminal, signum: int) -> None:
    log = log_of(env)
    assert code == 0, f"exit {code}\n{term.output}\n--- log:\n{log[-3000:]}"
    assert f"signal {signum}: stopping" in log
    assert "shutting down" in log
    assert "shutdown hangs" not in log
    assert not socket_of(env).exists(), "no stale control socket"
    gone = cli(env, "status")
    assert gone.returncode == 4
    assert "not running" in gone.stderr
    assert "Traceback" not in term.output


@pytest.mark.parametrize("mode", ["sni", "xorg", "headless"])
def test_ctrl_c_ends_every_mode_cleanly(request: pytest.FixtureRequest, tmp_path: Path,
                                        mode: str) -> None:
    # the StatusNotifierItem needs a panel that hosts it (xfce4-panel); the others a plain desktop
    desktop: Desktop = request.getfixturevalue("sni_desktop" if mode == "sni" else "desktop")
    term, env = start(desktop, tmp_path, mode)
    try:
        term.ctrl_c()
        code = term.wait(15)
    finally:
        term.close()
    assert_clean_exit(code, env, term, signal.SIGINT)


def test_logout_and_sigterm_end_the_tray_mode_cleanly(desktop: Desktop, tmp_path: Path) -> None:
    # logout: the terminal (or session) goes away, the kernel sends SIGHUP
    (tmp_path / "hup").mkdir()
    term, env = start(desktop, tmp_path / "hup", "xorg")
    try:
        term.hang_up()
        code = term.wait(15)
    finally:
        term.close()
    assert_clean_exit(code, env, term, signal.SIGHUP)
    # SIGTERM (systemd, a session manager, `kill`)
    (tmp_path / "term").mkdir()
    term, env = start(desktop, tmp_path / "term", "xorg")
    try:
        term.proc.send_signal(signal.SIGTERM)
        code = term.wait(15)
    finally:
        term.close()
    assert_clean_exit(code, env, term, signal.SIGTERM)


def test_the_printed_quit_command_works_from_the_clone(desktop: Desktop, tmp_path: Path) -> None:
    term, env = start(desktop, tmp_path, "xorg")
    try:
        printed = term.output.split("`", 2)[1]  # "./sitbreak quit"
        assert printed == "./sitbreak quit"
        quit_ = subprocess.run(printed.split(), env=env, cwd=REPO, capture_output=True,
                               text=True, timeout=30, check=False)
        assert quit_.returncode == 0, quit_.stderr
        assert quit_.stdout.strip() == "quitting"
        assert term.wait(15) == 0
    finally:
        term.close()
