"""Starting the card without a usable display or with bad arguments: one line, an exit code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_card(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "sitbreak.card", *args], env=env,
                          capture_output=True, text=True, timeout=30, check=False)


def test_no_display_is_one_line_exit_3():
    r = run_card("seated-figure-four")
    assert r.returncode == 3
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sitbreak card: cannot open a window: ")


def test_unknown_item_fails_before_opening_a_window():
    r = run_card("no-such-stretch")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("sitbreak card: no item 'no-such-stretch'; "
                        "`sitbreak content list` shows the ids\n")


def test_bad_hold_scale_is_a_usage_error():
    r = run_card("walk-break", "--hold-scale", "0")
    assert r.returncode == 2
    assert "--hold-scale must be > 0" in r.stderr.splitlines()[-1]


def test_item_or_safety_is_required():
    r = run_card()
    assert r.returncode == 2
    assert "give an item id, or --safety" in r.stderr


def test_card_reads_every_shipped_item_like_the_library(tmp_path):
    from sitbreak.card.quick import find_item, find_safety
    from sitbreak.content import load_library

    lib = load_library(with_user=False)
    for item_id, item in lib.items.items():
        quick = find_item(item_id, tmp_path)
        assert (quick.title, quick.steps, quick.cautions, quick.why) == (
            item.title, tuple(item.steps), tuple(item.cautions), item.why)
        assert (quick.sides, quick.hold_s, quick.reps, quick.rest_s, quick.timer_label) == (
            item.sides, item.hold_s, item.reps, item.rest_s, item.timer_label)
        assert quick.image == lib.images[item_id]
    assert lib.safety is not None
    assert find_safety().seek_help == tuple(lib.safety.seek_help)


def test_card_prefers_the_users_item_and_names_a_broken_one(tmp_path):
    from sitbreak.card.quick import CardContentError, find_item
    from sitbreak.content.paths import builtin_content_dir

    text = (builtin_content_dir() / "walk-break.toml").read_text(encoding="utf-8")
    mine = tmp_path / "longer-walk.toml"
    mine.write_text(text.replace("hold_s = 180", "hold_s = 300"), encoding="utf-8")
    assert find_item("walk-break", tmp_path).hold_s == 300  # the user's version wins

    mine.write_text(text.replace("hold_s = 180", 'hold_s = "five minutes"'), encoding="utf-8")
    heard: list[str] = []
    item = find_item("walk-break", tmp_path, heard.append)
    assert item.hold_s == 180  # broken: the shipped item, as the library does
    assert heard == [f"{mine}: hold_s: Input should be a valid integer (got 'five minutes'); "
                     "run `sitbreak content check` (showing the shipped item instead)"]

    own = tmp_path / "my-own.toml"
    own.write_text(text.replace('id = "walk-break"', 'id = "my-own"').replace(
        'title = "Three-minute walk"', "title = 3"), encoding="utf-8")
    r = run_card("my-own", "--dir", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr == (f"sitbreak card: {own}: title: Input should be a valid string (got 3); "
                        "run `sitbreak content check`\n")
    with pytest.raises(CardContentError, match="no item 'nothing-here'"):
        find_item("nothing-here", tmp_path)


def test_opener_without_a_display_says_why_and_counts_as_closed(caplog):
    import asyncio
    import logging

    from sitbreak.card.opener import TkCardOpener

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    opener = TkCardOpener(env=env)
    assert opener.argv("safety")[-1] == "--safety"
    with caplog.at_level(logging.WARNING, logger="sitbreak.card.opener"):
        assert asyncio.run(opener.open("walk-break")) == "closed"
    assert [r.getMessage() for r in caplog.records] == [
        "stretch card could not open (exit 3): sitbreak card: cannot open a window: "
        "no display name and no $DISPLAY environment variable"
    ]


def test_theme_follows_the_desktop_hint_unless_told(monkeypatch, tmp_path):
    from sitbreak.card import desktop_look, theme

    monkeypatch.delenv("SITBREAK_THEME", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")  # no portal
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("GTK_THEME", "Adwaita:dark")
    look = desktop_look.read()
    assert theme.pick(None, "auto", look).name == "dark"
    assert theme.pick(None, "light", look).name == "light"
    monkeypatch.setenv("SITBREAK_THEME", "light")
    assert theme.pick(None, "auto", look).name == "light"
    monkeypatch.delenv("SITBREAK_THEME")
    monkeypatch.setenv("GTK_THEME", "Adwaita")
    assert theme.pick(None, "auto", desktop_look.read()).name == "light"  # the calm default
    # GTK's own settings file: a dark preference, a high-contrast theme
    monkeypatch.delenv("GTK_THEME")
    (tmp_path / "gtk-3.0").mkdir()
    ini = tmp_path / "gtk-3.0" / "settings.ini"
    ini.write_text("[Settings]\ngtk-application-prefer-dark-theme=1\n", encoding="utf-8")
    assert theme.pick(None, "auto", desktop_look.read()).name == "dark"
    ini.write_text("[Settings]\ngtk-theme-name=HighContrast\n", encoding="utf-8")
    look = desktop_look.read()
    assert look.high_contrast
    assert theme.pick(None, "auto", look).name == "high-contrast"
    assert theme.pick(None, "dark", look).name == "high-contrast-dark"


def test_sitbreak_card_command_unknown_item_is_one_line(capsys, monkeypatch, tmp_path):
    from sitbreak.cli import main

    config = tmp_path / "sitbreak.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("SITBREAK_CONFIG", str(config))
    monkeypatch.setenv("SITBREAK_PROG", "./sitbreak")
    assert main(["card", "no-such-stretch"]) == 2
    err = capsys.readouterr().err
    assert err == ("sitbreak card: no item 'no-such-stretch'; `./sitbreak content list` shows "
                   "the ids\n")
