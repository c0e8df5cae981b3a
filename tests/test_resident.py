"""What the daemon keeps instead of the validators (pydantic): the same config, the same content.

The daemon reads shipped defaults, a content index made in advance and pre-drawn tray pictures,
and asks a short-lived child to validate anything the user wrote; each must give exactly what
the validating code gives, including its one-line errors.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from sitbreak.adapters import tray_frames
from sitbreak.child_json import ChildFailed
from sitbreak.content import catalog, index
from sitbreak.content.for_settings import selection_for
from sitbreak.content.loader import load_dir, load_library
from sitbreak.content.paths import builtin_content_dir
from sitbreak.errors import ConfigError
from sitbreak.settings import resident
from sitbreak.settings.check import defaults
from sitbreak.settings.layers import load_effective
from sitbreak.settings.snapshot import Snapshot

OFFICE = '[timing]\nstretch_every = "45m"\n\n[locked]\nkeys = ["timing.stretch_every"]\n'


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private XDG_CONFIG_DIRS (no system file unless a test writes one), no SITBREAK_ vars."""
    for key in list(os.environ):
        if key.startswith("SITBREAK_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "sitbreak" / "sitbreak.toml"


def no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(module: str, *args: str, **_kw: object) -> dict[str, object]:
        raise AssertionError(f"a child process was asked ({module} {' '.join(args)})")

    monkeypatch.setattr(resident, "ask", refuse)
    monkeypatch.setattr(catalog, "ask", refuse)


def test_shipped_defaults_are_the_models(office: Path) -> None:
    assert json.loads(resident.DEFAULTS.read_text()) == defaults(), (
        "data/settings-defaults.json is stale: python -m sitbreak.settings.check --defaults "
        "> src/sitbreak/data/settings-defaults.json")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_DIRS: Linux")
def test_nothing_to_validate_needs_no_validator(office: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    no_child(monkeypatch)
    comments = tmp_path / "sitbreak.toml"
    comments.write_text("# all defaults\n")
    for user in (None, tmp_path / "absent.toml", comments):
        got = resident.load_effective(user)
        want = load_effective(user)
        assert got.settings.model_dump() == want.settings.model_dump(mode="json")
        assert got.notes == want.notes == ()
        assert got.watched == want.watched


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_DIRS: Linux")
def test_a_users_config_is_validated_in_a_child_the_same_way(office: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    office.parent.mkdir(parents=True)
    office.write_text(OFFICE)
    user = tmp_path / "sitbreak.toml"
    user.write_text('[timing]\nstretch_every = "20m"\nsnooze = "2m"\n')
    monkeypatch.setenv("SITBREAK_NOTIFICATIONS__SOUND", "true")
    got, want = resident.load_effective(user), load_effective(user)
    assert got.settings.model_dump() == want.settings.model_dump(mode="json")
    assert got.settings.timing.snooze == 120 and got.settings.notifications.sound is True
    assert got.notes == want.notes and len(got.notes) == 1  # the locked key, one line
    assert got.watched == want.watched

    user.write_text("[timing]\nstretch_every = 45m\n")  # unquoted duration
    with pytest.raises(ConfigError) as in_process:
        load_effective(user)
    with pytest.raises(ConfigError) as in_child:
        resident.load_effective(user)
    assert str(in_child.value) == str(in_process.value)
    assert "\n" not in str(in_child.value)


def test_if_the_child_cannot_run_the_config_is_checked_here(office: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    def broken(*_args: object, **_kw: object) -> dict[str, object]:
        raise ChildFailed("no interpreter")

    monkeypatch.setattr(resident, "ask", broken)
    user = tmp_path / "sitbreak.toml"
    user.write_text('[timing]\nsnooze = "3m"\n')
    assert resident.load_effective(user).settings.timing.snooze == 180


def test_a_snapshot_reads_compares_and_stays_read_only() -> None:
    a = Snapshot({"timing": {"snooze": 60.0}, "content": {"where": ["desk"]}})
    assert a.timing.snooze == 60.0
    a.content.where.append("floor")  # a copy: the snapshot does not change
    assert a.content.where == ["desk"]
    assert a == Snapshot({"timing": {"snooze": 60.0}, "content": {"where": ["desk"]}})
    assert a.timing != Snapshot({"snooze": 61.0})
    with pytest.raises(AttributeError):
        a.timing = None
    with pytest.raises(AttributeError):
        _ = a.nonsense


def test_content_index_is_the_validated_shipped_library() -> None:
    committed = json.loads(index.INDEX.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(index.shipped_index())), (
        "data/content-index.json is stale: python -m sitbreak.content.index --write")
    assert committed["problems"] == []


def test_daemon_items_read_as_the_validated_ones(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    no_child(monkeypatch)  # the shipped items come from the index
    monkeypatch.delenv("SITBREAK_ASSETS", raising=False)
    plain = catalog.load(tmp_path / "no-user-folder")
    validated = load_dir(builtin_content_dir()).items
    assert list(plain.items) == list(validated)
    for item_id, item in validated.items():
        mine = plain.items[item_id]
        assert (mine.title, mine.kind, mine.steps) == (item.title, item.kind, item.steps)
        assert (mine.dose(), mine.total_s) == (item.dose(), item.total_s)
    library = load_library(user=tmp_path / "no-user-folder")
    for language in ("de", "fr", "es"):
        for item_id in validated:
            translated, theirs = plain.get(item_id, language), library.get(item_id, language)
            assert translated is not None and theirs is not None
            assert translated.model_dump() == theirs.model_dump(mode="json"), (language, item_id)


@pytest.mark.parametrize("content", [
    {},
    {"where": ["desk", "standing", "floor"], "equipment": ["ball"], "favourites": ["modified-pigeon"],
     "exclude": ["walk-break"], "avoid_repeat": 2, "seed": 7, "mix": {"movement": 1, "stretch": 1}},
])
def test_daemon_pool_is_the_validated_pool(content: dict[str, object], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from sitbreak.settings.model import Content

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user content folder
    settings = Content(**content)  # type: ignore[arg-type]
    plain = Snapshot(settings.model_dump(mode="json"))
    _, mine = catalog.selection_for(plain, seed=3)  # type: ignore[arg-type]
    _, theirs = selection_for(settings, seed=3)
    assert mine == theirs


def test_users_own_items_are_validated_in_a_child(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    shipped = builtin_content_dir() / "glute-squeeze.toml"
    mine = shipped.read_text(encoding="utf-8").replace("id = \"glute-squeeze\"", "id = \"my-squeeze\"")
    (folder / "my-squeeze.toml").write_text(mine, encoding="utf-8")
    (folder / "broken.toml").write_text("id = 'x'\n", encoding="utf-8")
    shutil.copy(shipped, folder / ".hidden.toml")  # hidden files are not items
    lib = catalog.load(folder)
    assert "my-squeeze" in lib.items and "glute-squeeze" in lib.items
    assert lib.items["my-squeeze"].dose() == lib.items["glute-squeeze"].dose()
    assert [p.split(":")[0] for p in lib.problems] == [str(folder / "broken.toml")]


def test_a_stale_index_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited shipped item (a different digest) is validated afresh, not read from the index."""
    assets = tmp_path / "assets"
    shutil.copytree(builtin_content_dir().parent, assets, symlinks=False)
    item = assets / "content" / "glute-squeeze.toml"
    item.write_text(item.read_text(encoding="utf-8").replace("title = ", "title = \"Renamed\"\n#", 1),
                    encoding="utf-8")
    monkeypatch.setattr("sitbreak.content.paths.assets_dir", lambda: assets)
    lib = catalog.shipped()
    assert lib.items["glute-squeeze"].title == "Renamed"


def test_tray_pictures_drawn_in_advance_are_what_render_draws() -> None:
    frames = tray_frames.packed()
    assert frames is not None, f"{tray_frames.FRAMES} is missing"
    assert frames.sizes == tray_frames.SIZES
    for key in tray_frames.all_keys():
        assert frames.get(key) == tray_frames.draw(key), (
            f"{key}: data/tray-frames.bin is stale: python -m sitbreak.adapters.tray_frames --write")


def test_every_subcommand_runs_from_its_own_module() -> None:
    """The CLI imports only the module of the command given: each must register exactly the
    command named after it."""
    import argparse

    from sitbreak import cli

    for name, module in cli.command_modules().items():
        parser = cli.build_parser(module)
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert list(sub.choices) == [name], module
    assert cli._chosen(["-v", "run", "--headless"]) == "run"
    assert cli._chosen(["stretch-now"]) == "stretch_now"
    assert cli._chosen(["--help"]) is None
