"""`sitbreak content list | show ID | check [DIR]` as a user runs them."""

from __future__ import annotations

import shutil

import pytest

from sitbreak.cli import main
from sitbreak.content import load_library
from sitbreak.content.paths import builtin_content_dir


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    d = tmp_path / "content"
    d.mkdir()
    # never read the real user's config: an empty one, with defaults
    config = tmp_path / "sitbreak.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("SITBREAK_CONFIG", str(config))
    return d


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def rows(out: str) -> dict[str, str]:
    """id -> the 'nudges' column of `content list` (skipping header and footer)."""
    lines = out.splitlines()
    start = lines[0].index("nudges")
    return {ln.split()[0].lstrip("*"): ln[start:].split()[0] for ln in lines[1:]
            if ln[:1] in (" ", "*")}


def test_list_shows_every_shipped_item(capsys, user_dir):
    code, out, err = run(capsys, "content", "--dir", str(user_dir), "list")
    assert code == 0
    assert err == ""
    table = rows(out)
    assert list(table) == sorted(load_library(with_user=False).items)
    assert "30 s each side" in out
    assert "3 min" in out
    # defaults: desk and standing, no ball or roller
    assert table["seated-figure-four"] == "stretch"
    assert table["posture-unclench"] == "posture"
    assert table["floor-ball-release"] == "-"
    assert table["wall-ball-release"] == "-"


def test_list_follows_the_config_content_section(capsys, tmp_path):
    mine = tmp_path / "my-items"
    mine.mkdir()
    shutil.copy(builtin_content_dir() / "walk-break.toml", mine / "walk.toml")
    config = tmp_path / "home.toml"
    config.write_text(
        '[content]\nwhere = ["desk", "standing", "floor"]\nequipment = ["ball"]\n'
        f'exclude = ["seated-knee-hug"]\ndir = "{mine}"\n', encoding="utf-8")
    code, out, err = run(capsys, "content", "--config", str(config), "list")
    assert (code, err) == (0, "")
    table = rows(out)
    assert table["floor-ball-release"] == "stretch"
    assert table["modified-pigeon"] == "stretch"
    assert table["foam-roller-glute"] == "-"  # no roller owned
    assert table["seated-knee-hug"] == "-"  # excluded
    assert "*walk-break" in out  # the config's dir holds the user's items


def test_broken_config_is_one_line(capsys, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[content]\nwhere = ["beach"]\n', encoding="utf-8")
    code, out, err = run(capsys, "content", "--config", str(config), "list")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"sitbreak: {config}")


def test_list_marks_user_items_and_reports_broken_ones(capsys, user_dir):
    shutil.copy(builtin_content_dir() / "walk-break.toml", user_dir / "walk-break.toml")
    (user_dir / "bad.toml").write_text('id = "bad"\n', encoding="utf-8")
    code, out, err = run(capsys, "content", "--dir", str(user_dir), "list")
    assert code == 1
    assert "*walk-break" in out
    assert err.splitlines() == [f"{user_dir / 'bad.toml'}: title: required field is missing "
                                "(and 7 more problems)"]


def test_show_prints_numbered_steps_and_cautions(capsys, user_dir):
    code, out, _ = run(capsys, "content", "--dir", str(user_dir), "show", "seated-figure-four")
    assert code == 0
    assert out.startswith("Seated figure-four stretch\n")
    assert "\n1. Sit near the front of your chair" in out
    assert "\n5. " in out
    assert "Cautions:" in out
    assert "hip surgery" in out
    assert "30 s each side" in out


def test_show_is_the_whole_card_as_text(capsys, user_dir, monkeypatch):
    """For a screen reader (Tk's card exposes nothing on Linux): every line of the card."""
    monkeypatch.setenv("SITBREAK_PROG", "./sitbreak")
    for item in load_library(with_user=False).items.values():
        code, out, _ = run(capsys, "content", "--dir", str(user_dir), "show", item.id)
        assert code == 0
        flat = " ".join(out.split())
        for text in [item.title, item.why, *item.steps, *item.cautions]:
            assert " ".join(text.split()) in flat, (item.id, text)
        assert "Timer: " in out
        if item.sides == 2:
            assert "on the left side" in flat and "on the right side" in flat
        # commands that work where the user is (a clone here)
        assert f"card:    ./sitbreak card {item.id}\n" in out
        assert "`./sitbreak content show safety`" in out


def test_any_muscle_name_is_accepted_and_noted(capsys, user_dir):
    text = (builtin_content_dir() / "glute-squeeze.toml").read_text(encoding="utf-8")
    (user_dir / "calf.toml").write_text(
        text.replace('id = "glute-squeeze"', 'id = "calf-raise"')
        .replace('targets = ["gluteus maximus", "gluteus medius"]',
                 'targets = ["calves", "Circulation"]'), encoding="utf-8")
    code, out, err = run(capsys, "content", "check", str(user_dir))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1 item OK, 0 broken"
    note = out.splitlines()[0]
    assert note.startswith(f"{user_dir / 'calf.toml'}: targets: note: 'calves' is new to")
    assert "it knows: gluteus maximus" in note
    code, out, _ = run(capsys, "content", "--dir", str(user_dir), "show", "calf-raise")
    assert "targets: calves, circulation" in out


def test_show_safety_card(capsys, user_dir):
    code, out, _ = run(capsys, "content", "--dir", str(user_dir), "show", "safety")
    assert code == 0
    assert "past the knee" in out
    assert "not medical advice" in out


def test_show_unknown_id_is_one_line_and_exit_2(capsys, user_dir):
    code, out, err = run(capsys, "content", "--dir", str(user_dir), "show", "no-such-item")
    assert code == 2
    assert out == ""
    assert err == "sitbreak: no item 'no-such-item'; `sitbreak content list` shows the ids\n"


def test_check_directory_reports_each_broken_file(capsys, user_dir):
    shutil.copy(builtin_content_dir() / "seated-knee-hug.toml", user_dir / "good.toml")
    (user_dir / "kind.toml").write_text(
        (builtin_content_dir() / "walk-break.toml").read_text(encoding="utf-8")
        .replace('kind = "movement"', 'kind = "dance"'), encoding="utf-8")
    (user_dir / "syntax.toml").write_text('id = "x"\ntitle = \n', encoding="utf-8")
    code, out, err = run(capsys, "content", "check", str(user_dir))
    assert code == 1
    assert out == "1 item OK, 2 broken\n"
    assert err.splitlines() == [
        f"{user_dir / 'kind.toml'}: kind: 'dance' is not one of: "
        "'stretch', 'posture', 'release' or 'movement'",
        f"{user_dir / 'syntax.toml'}: line 2, column 9: invalid TOML: Invalid value",
    ]


def test_check_without_directory_checks_the_shipped_library(capsys, user_dir):
    code, out, err = run(capsys, "content", "--dir", str(user_dir), "check")
    assert (code, err) == (0, "")
    assert out == f"{len(load_library(with_user=False).items)} items OK, 0 broken\n"


def test_check_missing_directory(capsys, tmp_path):
    code, _, err = run(capsys, "content", "check", str(tmp_path / "nope"))
    assert code == 2
    assert err == f"sitbreak: {tmp_path / 'nope'}: not a directory\n"
