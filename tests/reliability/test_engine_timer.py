"""The worker loop's wake-up timer on CLOCK_BOOTTIME (a real timerfd on this Linux machine):
it fires at its deadline on the loop, a new deadline replaces the old one, a cancelled one never
fires. (That it fires right at a resume is CLOCK_BOOTTIME's part; test_clock_faults.py shows
what the runtime makes of it.)"""

from __future__ import annotations

import asyncio
import sys
import time

import pytest

from sitbreak.adapters.clocks import Clocks
from sitbreak.adapters.engine_timer import BootTimer, boot_timer_or_none

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux timerfd")


def test_fires_on_the_loop_at_its_deadline_and_only_the_latest_one() -> None:
    async def scenario() -> list[tuple[str, float]]:
        timer = BootTimer()
        fired: list[tuple[str, float]] = []
        start = time.clock_gettime(time.CLOCK_BOOTTIME)
        loop = asyncio.get_running_loop()

        def note(what: str) -> None:
            fired.append((what, time.clock_gettime(time.CLOCK_BOOTTIME) - start))

        timer.call_at(loop, start + 0.1, lambda: note("replaced"))
        timer.call_at(loop, start + 0.2, lambda: note("second"))  # one timer: replaces
        await asyncio.sleep(0.4)
        timer.call_at(loop, start + 0.5, lambda: note("cancelled")).cancel()
        await asyncio.sleep(0.3)
        timer.close()
        return fired

    fired = asyncio.run(scenario())
    assert [w for w, _ in fired] == ["second"]
    assert 0.2 <= fired[0][1] < 0.35


def test_the_daemons_clocks_wake_on_boottime() -> None:
    assert boot_timer_or_none() is not None

    async def scenario() -> float:
        clocks = Clocks()
        done = asyncio.Event()
        start = clocks.now()
        handle = clocks.call_later(asyncio.get_running_loop(), 0.1, done.set)
        assert type(handle).__name__ == "BootTimerHandle"
        await asyncio.wait_for(done.wait(), 2)
        return clocks.now() - start

    assert 0.1 <= asyncio.run(scenario()) < 0.3
