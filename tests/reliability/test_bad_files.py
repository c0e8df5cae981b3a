"""Special and hostile files as the config, as user content or as a trace: one line, no hang,
no unbounded read, and a rejected file never replaces a shipped item — for the card too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitbreak.card.quick import CardContentError, find_item
from sitbreak.content import load_library
from sitbreak.content.paths import builtin_content_dir
from sitbreak.errors import ConfigError
from sitbreak.settings import load

WALK = (builtin_content_dir() / "walk-break.toml").read_text(encoding="utf-8")


def one_clean_line(text: str) -> str:
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, text
    assert "Traceback" not in text
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in lines[0]), repr(lines[0])
    return lines[0]


def timed(fn: object, *args: object) -> tuple[float, object]:
    start = time.monotonic()
    try:
        result = fn(*args)  # type: ignore[operator]
    except Exception as exc:
        result = exc
    return time.monotonic() - start, result


# -- the config ----------------------------------------------------------------------------

def test_a_fifo_as_the_config_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "sitbreak.toml"
    os.mkfifo(fifo)
    took, result = timed(load, fifo)  # nobody writes to it: a blocking open would hang here
    assert took < 2
    assert isinstance(result, ConfigError)
    assert one_clean_line(str(result)) == f"{fifo}: not a regular file (a FIFO)"


def test_dev_zero_as_the_config_is_refused_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "sitbreak.toml"
    link.symlink_to("/dev/zero")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec,
    # so a large pytest process would show as this child's peak
    code = ("import sys\nfrom pathlib import Path\nfrom sitbreak.settings import load\n"
            "try:\n    load(Path(sys.argv[1]))\nexcept Exception as e:\n    print(e)\n"
            "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')][0]\n"
            "print(hwm.split()[1])\n")
    for target in ("/dev/zero", str(link)):
        r = subprocess.run([sys.executable, "-c", code, target], capture_output=True, text=True,
                           timeout=30, check=True)
        message, rss_kib = r.stdout.splitlines()
        assert message.startswith(f"{target}: not a regular file (a device)")
        assert int(rss_kib) < 200_000  # the old loader grew to 1.75 GB reading it


def test_a_huge_config_is_refused_by_size(tmp_path: Path) -> None:
    big = tmp_path / "sitbreak.toml"
    with big.open("wb") as f:
        f.truncate(3 << 30)  # 3 GiB of holes: costs no disk
    took, result = timed(load, big)
    assert took < 2
    assert isinstance(result, ConfigError)
    assert "too large" in one_clean_line(str(result))


@pytest.mark.parametrize("depth", [3000, 100_000])
def test_deep_nesting_in_the_config_is_one_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[content]\nwhere = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, use_env=False)
    assert one_clean_line(str(info.value)) == (
        f"{path}: arrays or tables nested too deeply (a config needs at most 2 levels)")
    inline = tmp_path / "i.toml"
    inline.write_text("x = " + "{a = " * depth + "1" + "}" * depth + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load(inline, use_env=False)


def test_config_check_cli_on_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    for path, complaint in ((fifo, "not a regular file (a FIFO)"),
                            (Path("/dev/zero"), "not a regular file (a device)"),
                            (dangling, "a symbolic link to a missing file"),
                            (tmp_path, "not a regular file (a directory)")):
        r = subprocess.run([sys.executable, "-m", "sitbreak", "config", "check", str(path)],
                           capture_output=True, text=True, timeout=30, check=False)
        assert r.returncode == 2
        assert one_clean_line(r.stderr) == f"sitbreak: {path}: {complaint}"


def test_a_symlinked_config_from_a_dotfile_manager_still_works(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "sitbreak.toml"
    real.parent.mkdir()
    real.write_text('[timing]\nstretch_every = "45m"\n', encoding="utf-8")
    link = tmp_path / "sitbreak.toml"
    link.symlink_to(real)
    assert load(link, use_env=False).timing.stretch_every == 2700


# -- user content --------------------------------------------------------------------------

@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    d = tmp_path / "content"
    d.mkdir()
    return d


def shipped_count() -> int:
    return len(load_library(with_user=False).items)


def test_a_fifo_and_a_device_in_the_content_folder_do_not_block_or_drop_the_library(
        user_dir: Path) -> None:
    os.mkfifo(user_dir / "a-fifo.toml")
    (user_dir / "zero.toml").symlink_to("/dev/zero")
    (user_dir / "folder.toml").mkdir()
    took, lib = timed(load_library, None, user_dir)
    assert took < 5
    assert not isinstance(lib, Exception)
    assert len(lib.items) == shipped_count()  # type: ignore[attr-defined]
    lines = sorted(str(p) for p in lib.problems)  # type: ignore[attr-defined]
    assert lines == [
        f"{user_dir / 'a-fifo.toml'}: file: not a regular file (a FIFO)",
        f"{user_dir / 'folder.toml'}: file: not a regular file (a directory)",
        f"{user_dir / 'zero.toml'}: file: is a symbolic link; refusing to follow it",
    ]
    took, item = timed(find_item, "walk-break", user_dir)  # the card, same folder
    assert took < 5 and getattr(item, "hold_s", None) == 180


@pytest.mark.parametrize("depth", [3000, 30_000])  # 30,000: just under the 64 KiB cap
def test_one_deeply_nested_user_file_costs_only_itself(user_dir: Path, depth: int) -> None:
    (user_dir / "deep.toml").write_text("steps = " + "[" * depth + "]" * depth + "\n",
                                        encoding="utf-8")
    mine = user_dir / "my-walk.toml"
    mine.write_text(WALK.replace('id = "walk-break"', 'id = "my-walk"'), encoding="utf-8")
    lib = load_library(user=user_dir)
    assert len(lib.items) == shipped_count() + 1
    assert [str(p) for p in lib.problems] == [
        f"{user_dir / 'deep.toml'}: file: arrays or tables nested too deeply"]


@pytest.mark.parametrize(("change", "field"), [
    (("reps = 1", "reps = 1000000000"), "reps"),
    (("hold_s = 180", "hold_s = 100000000"), "hold_s"),
    (("hold_s = 180", "hold_s = true"), "hold_s"),
    (('image = "walk-break.png"', 'image = "../../../etc/passwd"'), "image"),
    (('image = "walk-break.png"', 'image = "/etc/passwd.png"'), "image"),
    (('title = "Three-minute walk"', 'title = "Walk\\u001b[2J"'), "title"),
])
def test_a_rejected_user_file_never_shadows_the_shipped_item_in_library_or_card(
        user_dir: Path, change: tuple[str, str], field: str) -> None:
    old, new = change
    text = WALK if old in WALK else WALK.replace('timer_label = "Walk"', f'{old}\ntimer_label = "Walk"')
    assert old in text
    bad = user_dir / "evil.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    lib = load_library(user=user_dir)
    assert lib.files["walk-break"].parent == builtin_content_dir()
    assert [p.field.split(" ")[0] for p in lib.problems] == [field]
    heard: list[str] = []
    card = find_item("walk-break", user_dir, heard.append)
    shipped = lib.items["walk-break"]
    assert (card.reps, card.hold_s, card.title) == (shipped.reps, shipped.hold_s, shipped.title)
    assert card.image == lib.images["walk-break"]
    assert len(heard) == 1 and heard[0].startswith(f"{bad}: {field}")
    one_clean_line(heard[0])


def test_a_rejected_item_of_the_users_own_never_reaches_the_card(user_dir: Path) -> None:
    own = user_dir / "huge-walk.toml"
    own.write_text(WALK.replace('id = "walk-break"', 'id = "huge-walk"')
                   .replace('timer_label = "Walk"', 'reps = 1000000000\ntimer_label = "Walk"'),
                   encoding="utf-8")
    with pytest.raises(CardContentError) as info:
        find_item("huge-walk", user_dir)
    assert one_clean_line(str(info.value)).startswith(f"{own}: reps: ")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    r = subprocess.run([sys.executable, "-m", "sitbreak.card", "huge-walk", "--dir", str(user_dir)],
                       env=env, capture_output=True, text=True, timeout=30, check=False)
    assert r.returncode == 2  # refused before any window (no display here would be exit 3)
    assert one_clean_line(r.stderr).startswith(f"sitbreak card: {own}: reps: ")


def test_the_card_sees_exactly_the_daemons_library(user_dir: Path) -> None:
    # a valid override, a valid new item, a broken override and a duplicate id
    (user_dir / "a-longer-walk.toml").write_text(WALK.replace("hold_s = 180", "hold_s = 300"),
                                                 encoding="utf-8")
    (user_dir / "b-walk-again.toml").write_text(WALK.replace("hold_s = 180", "hold_s = 240"),
                                                encoding="utf-8")
    (user_dir / "my-walk.toml").write_text(WALK.replace('id = "walk-break"', 'id = "my-walk"'),
                                           encoding="utf-8")
    pigeon = (builtin_content_dir() / "modified-pigeon.toml").read_text(encoding="utf-8")
    (user_dir / "pigeon.toml").write_text(pigeon + "reps = 99\n", encoding="utf-8")
    lib = load_library(user=user_dir)
    for item_id, item in lib.items.items():
        card = find_item(item_id, user_dir)
        assert (card.title, card.steps, card.sides, card.hold_s, card.reps, card.rest_s) == (
            item.title, tuple(item.steps), item.sides, item.hold_s, item.reps, item.rest_s)
        assert card.image == lib.images[item_id]
    assert find_item("walk-break", user_dir).hold_s == 300


def test_pictures_resolve_only_inside_the_content_and_image_folders(user_dir: Path,
                                                                    tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    shutil.copy(builtin_content_dir().parent / "images" / "walk-break.png", secret)
    (user_dir / "linked.png").symlink_to(secret)
    mine = user_dir / "my-walk.toml"
    mine.write_text(WALK.replace('id = "walk-break"', 'id = "my-walk"')
                    .replace('image = "walk-break.png"', 'image = "linked.png"'), encoding="utf-8")
    lib = load_library(user=user_dir)
    assert "my-walk" not in lib.items
    assert [str(p) for p in lib.problems] == [
        f"{mine}: image: {user_dir / 'linked.png'}: is a symbolic link; refusing to follow it"]
    with pytest.raises(CardContentError, match="symbolic link"):
        find_item("my-walk", user_dir)
    with pytest.raises(CardContentError, match="no item"):
        find_item("../../etc/passwd")


def test_content_check_cli_lists_each_hostile_file_once(user_dir: Path) -> None:
    os.mkfifo(user_dir / "a-fifo.toml")
    (user_dir / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (user_dir / "big.toml").write_bytes(b"#" * (70 * 1024))
    r = subprocess.run([sys.executable, "-m", "sitbreak", "content", "check", str(user_dir)],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert sorted(r.stderr.splitlines()) == sorted([
        f"{user_dir / 'a-fifo.toml'}: file: not a regular file (a FIFO)",
        f"{user_dir / 'big.toml'}: file: too large (71680 bytes; at most 65536)",
        f"{user_dir / 'deep.toml'}: file: arrays or tables nested too deeply",
    ])
