"""Being told about file changes (inotify here): what editors do is seen, nothing else wakes us."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from sitbreak.adapters.file_watch import PollWatch, select_file_watch

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify: Linux")


def watching(files: list[Path], dirs: list[Path],
             scenario: Callable[[Callable[[float], Awaitable[int]]], Awaitable[None]]) -> str:
    """Run ``scenario(changes)`` with a watch attached; ``changes(wait)`` sleeps ``wait`` s and
    returns how many callbacks came meanwhile. Returns the watch's name."""

    async def main() -> str:
        picked = select_file_watch(files, dirs)
        calls = 0

        def on_change() -> None:
            nonlocal calls
            calls += 1

        picked.impl.attach(asyncio.get_running_loop(), on_change)

        async def changes(wait: float) -> int:
            nonlocal calls
            await asyncio.sleep(wait)
            seen, calls = calls, 0
            return seen

        try:
            await scenario(changes)
        finally:
            picked.impl.close()
        return picked.name

    return asyncio.run(main())


def save_by_rename(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@linux_only
def test_editor_saves_are_seen_and_nothing_else_calls(tmp_path: Path) -> None:
    config = tmp_path / "sitbreak.toml"
    config.write_text("# empty\n")

    async def scenario(changes: Callable[[float], Awaitable[int]]) -> None:
        assert await changes(0.3) == 0  # quiet: no beat of its own
        save_by_rename(config, "[timing]\n")
        assert await changes(0.3) >= 1
        config.write_text("[timing]\nsnooze = \"5m\"\n")  # in place
        assert await changes(0.3) >= 1
        (tmp_path / "other.txt").write_text("not ours")  # the same folder, another file
        assert await changes(0.3) == 0
        config.unlink()
        assert await changes(0.3) >= 1

    assert watching([config], [], scenario) == "inotify"


@linux_only
def test_a_config_folder_made_later_is_followed(tmp_path: Path) -> None:
    config = tmp_path / "config" / "sitbreak" / "sitbreak.toml"  # no folder yet

    async def scenario(changes: Callable[[float], Awaitable[int]]) -> None:
        config.parent.mkdir(parents=True)
        await changes(0.3)
        config.write_text("[timing]\n")
        assert await changes(0.3) >= 1

    watching([config], [], scenario)


@linux_only
def test_an_edit_at_a_symlinks_target_is_seen(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "sitbreak.toml"
    target.write_text("# mine\n")
    config = tmp_path / "sitbreak.toml"
    config.symlink_to(target)

    async def scenario(changes: Callable[[float], Awaitable[int]]) -> None:
        save_by_rename(target, "[timing]\n")
        assert await changes(0.3) >= 1

    watching([config], [], scenario)


@linux_only
def test_a_watched_folder_reports_any_file_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()

    async def scenario(changes: Callable[[float], Awaitable[int]]) -> None:
        (folder / "my-stretch.toml").write_text("id = 'x'\n")
        assert await changes(0.3) >= 1
        assert await changes(0.3) == 0

    watching([], [folder], scenario)


def test_without_notifications_it_polls_slowly(tmp_path: Path) -> None:
    picked = select_file_watch([tmp_path / "sitbreak.toml"], platform="win32")
    assert picked.name == "poll"
    assert isinstance(picked.impl, PollWatch)

    async def main() -> int:
        calls = 0

        def on_change() -> None:
            nonlocal calls
            calls += 1

        watch = PollWatch(interval=0.1)
        watch.attach(asyncio.get_running_loop(), on_change)
        await asyncio.sleep(0.35)
        watch.close()
        seen = calls
        await asyncio.sleep(0.25)
        assert calls == seen  # closed: no more beats
        return seen

    assert asyncio.run(main()) >= 1
