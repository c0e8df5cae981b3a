"""Clock backstop: a suspend or a clock change nobody announced becomes one gap."""

from __future__ import annotations

import sys
import time

import pytest

from sitbreak.adapters.clocks import Clocks, engine_now


class FakeClocks:
    def __init__(self) -> None:
        self.engine = 1000.0
        self.awake = 500.0
        self.wall = 1_700_000_000.0

    def run(self, s: float) -> None:  # the machine is awake for s seconds
        self.engine += s
        self.awake += s
        self.wall += s

    def make(self, tolerance_s: float = 10.0, *, counts_suspend: bool = True) -> Clocks:
        return Clocks(
            engine=lambda: self.engine,
            awake=lambda: self.awake,
            wall=lambda: self.wall,
            tolerance_s=tolerance_s,
            engine_counts_suspend=counts_suspend,
        )


def test_awake_time_is_no_gap() -> None:
    f = FakeClocks()
    c = f.make()
    for _ in range(5):
        f.run(60)
        assert c.sample() is None


def test_suspend_seen_as_engine_minus_awake() -> None:
    f = FakeClocks()
    c = f.make()
    f.run(30)
    # 2 h suspend: engine (boottime) and wall advance, awake (monotonic) stands still
    f.engine += 7200
    f.wall += 7200
    f.run(5)
    gap = c.sample()
    assert gap is not None
    assert gap.kind == "suspend"
    assert gap.skipped_s == pytest.approx(7200)
    assert gap.at == pytest.approx(f.engine)
    # reported once, not again at the next sample
    f.run(5)
    assert c.sample() is None


@pytest.mark.parametrize(("counts_suspend", "kind"), [(True, "clock-set"), (False, "wall")])
def test_wall_jump_forward_is_reported_backward_is_not(counts_suspend: bool, kind: str) -> None:
    f = FakeClocks()
    c = f.make(counts_suspend=counts_suspend)
    f.run(10)
    # the clock set forward (where the engine clock counts suspend, nothing else can explain it;
    # elsewhere it may be a suspend the engine clock also missed)
    f.wall += 3600
    gap = c.sample()
    assert gap is not None
    assert gap.kind == kind
    assert gap.skipped_s == pytest.approx(3600)
    f.run(10)
    f.wall -= 3600
    assert c.sample() is None


def test_small_drift_within_tolerance_is_ignored() -> None:
    f = FakeClocks()
    c = f.make(tolerance_s=10)
    f.run(60)
    f.engine += 9
    f.wall += 9
    assert c.sample() is None
    f.engine += 11
    f.wall += 11
    gap = c.sample()
    assert gap is not None
    assert gap.skipped_s == pytest.approx(11)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CLOCK_BOOTTIME is Linux-only")
def test_engine_clock_is_boottime_on_linux() -> None:
    boot = time.clock_gettime(time.CLOCK_BOOTTIME)
    assert abs(engine_now() - boot) < 1.0
    # real clocks, no suspend in between: no gap
    assert Clocks().sample() is None
