"""Living with GNOME: its own movement breaks (GNOME 48+) and the AppIndicator extension its
shell needs for tray icons — read through the real ``gsettings`` tool on a private keyfile store
(tests/gnome_settings.py), reported by ``sitbreak doctor`` and, once, by the daemon."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitbreak.adapters import gnome_breaks, gsettings
from tests import gnome_settings
from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop

MOVEMENT_ON = "['eyesight', 'movement']"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    why = gnome_settings.missing()
    if why:
        pytest.skip(why)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for key, value in gnome_settings.gsettings_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    return tmp_path


def gset(schema: str, key: str, value: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["gsettings", "set", schema, key, value], check=True, env=env)


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("false", False), ("uint32 1800", 1800), ("'x'", "x"), ("@as []", []),
     ("['eyesight', 'movement']", ["eyesight", "movement"]), ("int32 -3", -3)],
)  # fmt: skip
def test_gvariant_text(text: str, value: object) -> None:
    assert gsettings.parse(text + "\n") == value


@pytest.mark.parametrize("text", ["(1, 2)", "{'a': <1>}", "[1, 2]", "nothing", ""])
def test_gvariant_text_we_do_not_read_is_refused(text: str) -> None:
    with pytest.raises((ValueError, SyntaxError)):
        gsettings.parse(text)


def test_movement_breaks_read_from_gsettings_and_the_advice_works(store: Path) -> None:
    schema = gnome_breaks.SCHEMA
    assert gnome_breaks.read() == gnome_breaks.BreakReminders("off")  # GNOME's default: none
    gset(schema, "selected-breaks", "['eyesight']")
    assert gnome_breaks.read().state == "off"
    assert "eyesight breaks on" in str(gnome_breaks.read().summary())
    gset(schema, "selected-breaks", MOVEMENT_ON)
    gset(gnome_breaks.MOVEMENT, "interval-seconds", "2700")
    on = gnome_breaks.read()
    assert (on.state, on.interval_s, on.duration_s) == ("on", 2700, 300)
    assert str(on.summary()) == "movement breaks ON every 45 min: GNOME nudges you to move too"
    assert on.fix_command() == (
        "gsettings set org.gnome.desktop.break-reminders selected-breaks \"['eyesight']\""
    )
    # the documented command, run as a user would paste it: movement off, eyesight kept
    subprocess.run(on.fix_command(), shell=True, check=True)
    after = gnome_breaks.read()
    assert (after.state, after.selected) == ("off", ("eyesight",))
    gset(schema, "selected-breaks", "['movement']")
    only = gnome_breaks.read()
    subprocess.run(only.fix_command(), shell=True, check=True)
    assert gnome_breaks.read() == gnome_breaks.BreakReminders("off")


def test_without_the_schema_it_is_absent(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = store / "no-schemas"
    empty.mkdir()
    monkeypatch.setenv("XDG_DATA_DIRS", str(empty))  # hide the system's schemas too
    monkeypatch.setenv("GSETTINGS_SCHEMA_DIR", str(empty))
    assert gnome_breaks.read().state == "absent"
    monkeypatch.setenv("PATH", str(empty))  # no gsettings tool at all
    assert gnome_breaks.read().state == "absent"


def test_marker_is_created_once_and_never_through_a_symlink(tmp_path: Path) -> None:
    marker = tmp_path / "state" / "noticed"
    assert gnome_breaks.mark_noticed(marker)
    assert not gnome_breaks.mark_noticed(marker)
    target = tmp_path / "elsewhere"
    link = tmp_path / "link"
    link.symlink_to(target)
    assert not gnome_breaks.mark_noticed(link)
    assert not target.exists()


def gnome_env(d: Desktop, tmp_path: Path) -> dict[str, str]:
    why = gnome_settings.missing()
    if why:
        pytest.skip(why)
    return {**d.env, "XDG_CURRENT_DESKTOP": "GNOME", **gnome_settings.gsettings_env(tmp_path)}


def test_doctor_on_gnome_explains_breaks_and_the_missing_extension(
    desktop: Desktop, tmp_path: Path
) -> None:
    env = gnome_env(desktop, tmp_path)
    gset(gnome_breaks.SCHEMA, "selected-breaks", MOVEMENT_ON, env)

    def doctor() -> list[str]:
        r = subprocess.run([sys.executable, "-m", "sitbreak", "doctor"], env=env,
                           capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
        return r.stdout.splitlines()

    lines = doctor()
    assert "GNOME break reminders: movement breaks ON every 30 min: GNOME nudges you to move too" in lines
    note = next(line for line in lines if line.startswith("  note: to avoid being nagged twice"))
    assert "selected-breaks \"['eyesight']\"" in note
    # no watcher on this desktop (trayer is an XEmbed tray): GNOME Shell would show nothing
    assert "    GNOME AppIndicator extension: not enabled" in lines
    assert any("gnome-extensions enable appindicatorsupport@rgcjonas.gmail.com" in line
               for line in lines)  # fmt: skip
    gset("org.gnome.shell", "enabled-extensions", "['appindicatorsupport@rgcjonas.gmail.com']", env)
    gset(gnome_breaks.SCHEMA, "selected-breaks", "@as []", env)
    lines = doctor()
    assert "    GNOME AppIndicator extension: enabled" in lines
    assert "GNOME break reminders: movement breaks off" in lines
    assert not any("nagged twice" in line for line in lines)


def test_daemon_tells_once_that_gnome_movement_breaks_are_on(
    desktop: Desktop, tmp_path: Path
) -> None:
    env = gnome_env(desktop, tmp_path)
    gset(gnome_breaks.SCHEMA, "selected-breaks", MOVEMENT_ON, env)
    env["SITBREAK_TRAY_BACKEND"] = "xorg"
    with Daemon(env, tmp_path) as first:
        wait_for(lambda: desktop.dunst_displayed_count() >= 1, 15, "the notice")
        desktop.dunst_close_all()
        notes = [n for n in desktop.dunst_history()
                 if n["summary"] == "sitbreak: GNOME's movement breaks are on"]  # fmt: skip
        assert len(notes) == 1
        body = notes[0]["body"]
        assert "every 30 min" in body
        assert "gsettings set org.gnome.desktop.break-reminders selected-breaks" in body
        assert "GNOME's movement breaks are on" in first.log()
        assert first.stop() == 0
        told = len(first.log())
    with Daemon(env, tmp_path) as second:
        wait_for(lambda: "GNOME's movement breaks are on" in second.log()[told:], 15, "log line")
        assert second.stop() == 0
    desktop.dunst_close_all()
    again = [n for n in desktop.dunst_history() if "movement breaks" in n["summary"]]
    assert len(again) == 1, "told once, not at every start"
