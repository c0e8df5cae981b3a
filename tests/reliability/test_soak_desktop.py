"""Soak: `sitbreak demo` on a real headless desktop (Xvfb, dunst, trayer) for
SITBREAK_SOAK_MINUTES real minutes (default 1, as in CI; the long run is 30), with a user typing
through xdotool, stepping away now and then, and answering every nudge in turn: Snooze, Skip and
Done from the notification, Done on the stretch card opened by a click, posture checks closed;
when no nudge has come for a few seconds, they ask for one (`sitbreak stretch-now`).

The daemon's resident memory, threads, open fds and child processes are read from /proc at
quiet moments (no card open). After the warm-up (a fifth of the run, and until every answer was
given once) its memory may grow by at most 1 MiB, threads and fds stay flat, and when it quits
no card process is left. The figures are printed.

    SITBREAK_SOAK_MINUTES=30 .venv/bin/pytest tests/reliability/test_soak_desktop.py
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop, DesktopError
from tests.reliability.soak_figures import Figures, figures

MINUTES = float(os.environ.get("SITBREAK_SOAK_MINUTES", "1"))
RUN_S = MINUTES * 60
WARM_UP_S = RUN_S / 5  # and until every answer was given once
SAMPLE_EVERY_S = 10.0 if RUN_S <= 300 else 60.0
ANSWERS = ("snooze", "skip", "done", "card", "away")
CARD = "^SitbreakCard$"

pytestmark = [pytest.mark.desktop, pytest.mark.timeout(int(RUN_S) + 300)]


class User:
    """Types, steps away, and answers each nudge with the next answer in ANSWERS."""

    def __init__(self, desktop: Desktop, d: Daemon) -> None:
        self.desktop = desktop
        self.d = d
        self.turn = 0
        self.done = Counter[str]()
        self.cards: set[int] = set()
        self.last_answer = time.monotonic()

    def type_a_little(self) -> None:
        self.desktop.run(["xdotool", "key", "shift"], check=False)

    def answer(self) -> None:
        desk = self.desktop
        st = self.d.status()
        if st["nudge_kind"] is None:
            if time.monotonic() - self.last_answer > 4:  # keep the pace up: ask for one
                self.d.cli("stretch-now")
                self.last_answer = time.monotonic()
            return
        if desk.dunst_displayed_count() == 0:
            return
        self.last_answer = time.monotonic()
        if st["nudge_kind"] == "posture":
            desk.dunst_close_all()
            self.done["posture closed"] += 1
            return
        how = ANSWERS[self.turn % len(ANSWERS)]
        self.turn += 1
        try:
            if how in ("snooze", "skip", "done"):
                desk.dunst_pick_context(f"^#{how.capitalize()} ")
            elif how == "card":
                self.open_card_and_say_done()
            else:
                time.sleep(17)  # away longer than the demo's away_after (15 s): a break
        except (DesktopError, TimeoutError):
            self.done["missed (the nudge moved on)"] += 1
            return
        self.done[how] += 1

    def open_card_and_say_done(self) -> None:
        desk = self.desktop
        desk.dunst_action(0)  # a click on the nudge
        card = desk.wait_for_window(class_=CARD, visible_only=True, timeout=15)
        self.cards.update(self.d.children())
        desk.xdotool("windowfocus", "--sync", card)
        desk.key("Return")  # the card's Done
        wait_for(lambda: not self.d.children(), 15, "the card to close")


def quiet_figures(d: Daemon) -> Figures | None:
    """The daemon's figures while no card is open (a card is a child and a thread waiting on
    it), or None if one stays open."""
    assert d.proc is not None
    try:
        wait_for(lambda: not d.children(), 10, "no card open")
    except TimeoutError:
        return None
    return figures(d.proc.pid)


def test_real_minutes_on_a_desktop_hold_memory_threads_and_fds_flat(
        desktop: Desktop, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = Daemon(desktop.env, tmp_path, command="demo").start()
    user = User(desktop, d)
    samples: list[tuple[float, Figures]] = []
    try:
        assert d.proc is not None
        first = figures(d.proc.pid)
        start = time.monotonic()
        next_sample = start + WARM_UP_S
        while (now := time.monotonic()) < start + RUN_S:
            user.type_a_little()
            user.answer()
            warmed_up = set(ANSWERS) <= set(user.done)
            if warmed_up and now >= next_sample:
                f = quiet_figures(d)
                if f is not None:
                    samples.append((time.monotonic() - start, f))
                next_sample = time.monotonic() + SAMPLE_EVERY_S
            time.sleep(0.5)
        f = quiet_figures(d)
        if f is not None:
            samples.append((time.monotonic() - start, f))
        log = d.log()
    finally:
        code = d.stop()

    shown = Counter(line.split("nudge: ", 1)[1].split()[0]
                    for line in log.splitlines() if " INFO sitbreak.daemon.runtime: nudge: " in line)
    with capsys.disabled():
        print(f"\nsoak on a desktop: {MINUTES:g} min, nudges {dict(shown)}, "
              f"answers {dict(user.done)}, cards opened {len(user.cards)}")
        print(f"  {first.line('at start')}")
        for at, f in samples:
            print(f"  {f.line(f'at {at / 60:.1f} min')}")
    assert code == 0
    assert len(samples) >= 2, "too few quiet moments to compare"
    (_, warm), (_, last) = samples[0], samples[-1]
    assert last.rss_kib - warm.rss_kib <= 1024, samples
    assert last.threads == warm.threads, samples
    assert last.fds == warm.fds, samples
    assert last.children == ()
    assert "Traceback" not in log
    # it was a real workout: every answer given, a card opened and closed each time
    assert set(ANSWERS) <= set(user.done), user.done
    assert shown["stretch"] >= 4
    left = [pid for pid in user.cards if Path(f"/proc/{pid}").exists()]
    assert not left, f"card processes left behind: {left}"
