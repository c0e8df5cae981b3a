"""Config hot reload: saved edits apply within 2 s; broken edits keep the last good config."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

from sitbreak.daemon.config_watch import ConfigWatcher
from sitbreak.settings import Settings, load

GOOD = '[timing]\nstretch_every = "20m"\n'


def save_by_rename(path: Path, text: str) -> None:
    """What editors do: write a sibling file, then rename it over the original."""
    tmp = path.with_name(path.name + ".swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


async def wait_for(pred: Callable[[], object], timeout: float) -> float:
    start = time.monotonic()
    while not pred():
        if time.monotonic() - start > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


def test_edits_apply_quickly_and_bad_ones_are_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "sitbreak.toml"
    path.write_text(GOOD, encoding="utf-8")
    applied: list[Settings] = []
    errors: list[str] = []

    async def scenario() -> None:
        w = ConfigWatcher(path, lambda p: load(p, use_env=False), applied.append, errors.append)
        w.start()
        await asyncio.sleep(0.2)
        save_by_rename(path, '[timing]\nstretch_every = "45m"\n')
        took = await wait_for(lambda: applied, 2.0)
        assert took < 2.0
        assert applied[-1].timing.stretch_every == 45 * 60

        save_by_rename(path, "[timing]\nstretch_every = 45m\n")  # unquoted duration
        await wait_for(lambda: errors, 2.0)
        assert len(applied) == 1  # the last good config stays
        assert errors[0].startswith(f"{path}:2: TOML syntax error")
        assert "\n" not in errors[0]

        # the same broken content saved again is not reported a second time
        save_by_rename(path, "[timing]\nstretch_every = 45m\n\n")
        save_by_rename(path, "[timing]\nstretch_every = 45m\n")
        await asyncio.sleep(1.8)
        assert len(errors) == 1

        # an in-place write (no rename) is seen too
        path.write_text('[timing]\nstretch_every = "50m"\n', encoding="utf-8")
        await wait_for(lambda: len(applied) == 2, 2.0)
        assert applied[-1].timing.stretch_every == 50 * 60
        await w.close()

    asyncio.run(scenario())
