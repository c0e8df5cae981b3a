"""`sitbreak run --headless` as a real process: control commands, one instance, clean exits."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, headless_env, wait_for


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return headless_env(tmp_path)


def test_control_commands_against_running_daemon(env: dict[str, str], tmp_path: Path) -> None:
    with Daemon(env, tmp_path) as d:
        sock = tmp_path / "run" / "sitbreak" / "control.sock"
        assert stat.S_IMODE(sock.stat().st_mode) == 0o600
        assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700

        st = d.status()
        assert st["paused"] is False
        assert st["notifier"] == st["notifier"]
        assert st["tray"] == "none"

        r = d.cli("pause", "30m")
        assert r.stdout.strip() == "paused"
        st = d.status()
        assert st["paused"] is True
        assert 29 * 60 < st["paused_for_s"] <= 30 * 60
        assert "Paused:     yes, 29 min left" in d.cli("status").stdout

        assert d.cli("resume").stdout.strip() == "resumed"
        assert d.status()["paused"] is False
        assert d.cli("resume").stdout.strip() == "not paused"

        d.cli("pause", "until-tomorrow")
        st = d.status()
        assert st["paused"] is True
        assert 0 < st["paused_for_s"] <= 24 * 3600
        d.cli("resume")

        d.cli("stand")
        assert d.status()["standing"] is True
        d.cli("sit")
        assert d.status()["standing"] is False

        # headless: the nudge is printed on the daemon's terminal
        d.cli("stretch-now")
        wait_for(lambda: "[sitbreak] Time to stand" in d.output(), 5, "the printed nudge")
        assert d.status()["nudge_kind"] == "stretch"
        assert d.cli("snooze").stdout.strip().startswith("snoozed for")
        assert d.status()["nudge_kind"] is None

        r = d.cli("quit")
        assert r.stdout.strip() == "quitting"
        assert d.proc is not None
        assert d.proc.wait(10) == 0
        assert not sock.exists()
    r = d.cli("status", check=False)
    assert r.returncode == 4
    assert "not running" in r.stderr


def test_second_start_shows_status_and_exits_0(env: dict[str, str], tmp_path: Path) -> None:
    with Daemon(env, tmp_path) as first:
        second = first.cli("run", "--headless")
        assert second.returncode == 0
        assert second.stdout.startswith("sitbreak is already running.")
        assert "Paused:     no" in second.stdout
        # the first one was asked to show its status (headless: on its terminal)
        wait_for(lambda: "[sitbreak] sitbreak is running" in first.output(), 5, "status shown")
        assert first.alive


def test_sigterm_is_a_clean_shutdown(env: dict[str, str], tmp_path: Path) -> None:
    d = Daemon(env, tmp_path).start()
    sock = tmp_path / "run" / "sitbreak" / "control.sock"
    assert sock.exists()
    assert d.stop() == 0
    assert not sock.exists()
    assert "shutting down" in d.log()
    # and it can start again at once (lock released, no stale socket in the way)
    with Daemon(env, tmp_path):
        assert sock.exists()


def test_broken_config_at_start_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    d = Daemon(env, tmp_path, config="[timing]\nstretch_evry = '30m'\n")
    r = d.cli("run", check=False)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert "stretch_evry" in r.stderr
    assert "did you mean 'stretch_every'" in r.stderr
    assert "Traceback" not in r.stderr


def test_log_records_nudges_and_answers(env: dict[str, str], tmp_path: Path) -> None:
    with Daemon(env, tmp_path) as d:
        d.cli("stretch-now")
        d.cli("snooze")
    log = d.log()
    assert "nudge: stretch" in log
    assert "answered: snoozed" in log


def test_answering_without_clicking_done_and_skip(env: dict[str, str], tmp_path: Path) -> None:
    """Headless, nothing can be clicked: the nudge says how to answer, and the answers work."""
    # away_after well above the test's pace: with no activity source (timer only) the engine
    # would otherwise call the user away between two sparse wake-ups
    config = FAST_CONFIG.replace('away_after = "3s"', 'away_after = "50s"')
    with Daemon(env, tmp_path, config=config) as d:
        d.cli("stretch-now")
        wait_for(lambda: "[sitbreak] Time to stand" in d.output(), 5, "the printed nudge")
        printed = d.output()[d.output().index("[sitbreak] Time to stand"):]
        assert "click" not in printed.lower()
        item = d.status()["nudge_item"]
        # the commands it prints, and the stretch itself as text
        for command in ("sitbreak done", "sitbreak snooze", "sitbreak skip",
                        f"sitbreak content show {item}"):
            assert f"`{command}`" in printed
        steps = d.cli("content", "show", item).stdout
        assert "1. " in steps

        done = d.cli("done").stdout.strip()
        assert done.startswith("done: well stretched; next stretch in ")
        st = d.status()
        assert st["nudge_kind"] is None
        assert st["breaks"] == 1
        assert st["last_break"]["cause"] == "done"

        assert d.cli("skip").stdout.strip() == "no nudge to skip"
        d.cli("stretch-now")
        wait_for(lambda: d.status()["nudge_kind"] == "stretch", 5, "the second nudge")
        assert d.cli("skip").stdout.strip() == "skipped; the stretch clock starts again"
        st = d.status()
        assert st["nudge_kind"] is None
        assert st["next_nudge_in_s"] > 55  # the stretch clock restarted
    log = d.log()
    assert "answered: done" in log
    assert "answered: skipped" in log
    assert log.count("break recorded: done") == 1  # a skip credits no break
