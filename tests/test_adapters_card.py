"""The card opener runs a real child process and reads its one-line JSON answer."""

from __future__ import annotations

import asyncio
import logging
import sys
import time

import pytest

from sitbreak.adapters.card import CardProcessOpener, default_command, parse_answer


def script(code: str) -> list[str]:
    """A stand-in card: ``python -c CODE ITEM`` (the item lands in sys.argv[1])."""
    return [sys.executable, "-c", code]


def run_card(code: str, item: str = "seated-figure-four") -> str:
    async def main() -> str:
        return await CardProcessOpener(script(code)).open(item)

    return asyncio.run(main())


def test_answer_line_is_read() -> None:
    code = "import json,sys; print(json.dumps({'answer': 'done', 'item': sys.argv[1]}))"
    assert run_card(code) == "done"


def test_item_reaches_the_card() -> None:
    code = (
        "import json,sys; print(json.dumps({'answer': 'skip' if sys.argv[1] == 'x' else 'done'}))"
    )
    assert run_card(code, item="x") == "skip"


@pytest.mark.parametrize(
    "code",
    [
        "raise SystemExit(3)",  # crashed before answering
        "print('not json')",
        "import json; print(json.dumps({'answer': 'explode'}))",
        "import os; os.abort()",
    ],
)
def test_crash_or_nonsense_is_closed(code: str) -> None:
    assert run_card(code) == "closed"


def test_waiting_for_the_card_does_not_block_the_loop_and_close_ends_it() -> None:
    async def main() -> tuple[str, int]:
        opener = CardProcessOpener(script("import time; time.sleep(60)"))
        pending = opener.open("x")
        ticks = 0
        for _ in range(10):  # the loop keeps running while the card is up
            await asyncio.sleep(0.02)
            ticks += 1
        same = opener.open("y")  # one card at a time (the daemon closes it before the next)
        assert same is pending
        t0 = time.monotonic()
        await opener.close()
        assert time.monotonic() - t0 < 3
        return await pending, ticks

    answer, ticks = asyncio.run(main())
    assert answer == "closed"
    assert ticks == 10


def test_missing_program_is_closed_not_a_crash() -> None:
    async def main() -> str:
        return await CardProcessOpener(["/nonexistent/sitbreak-card"]).open("x")

    assert asyncio.run(main()) == "closed"


def test_default_command_runs_the_card_module() -> None:
    assert default_command()[-2:] == ["-m", "sitbreak.card"]
    assert parse_answer(b'{"answer": "another"}\n') == "another"


def test_a_card_that_ignores_close_is_killed_within_the_bound(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A hung card (here: one that ignores SIGTERM) never blocks the next: close() kills it
    after CLOSE_GRACE_S, and a new card opens at once."""
    from sitbreak.adapters.card import CLOSE_GRACE_S

    hung = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "time.sleep(120)\n"
    )
    answers = "import json,sys; print(json.dumps({'answer': 'done'}))"

    async def main() -> tuple[str, float, str]:
        opener = CardProcessOpener(script(hung))
        pending = opener.open("x")
        await asyncio.sleep(0.5)  # it is up (and ignoring us)
        t0 = time.monotonic()
        await opener.close()
        took = time.monotonic() - t0
        first = await pending
        opener.command = script(answers)
        return first, took, await opener.open("y")

    with caplog.at_level(logging.WARNING, logger="sitbreak.adapters.card"):
        first, took, second = asyncio.run(main())
    assert first == "closed"
    assert CLOSE_GRACE_S <= took < CLOSE_GRACE_S + 1.0
    assert second == "done"
    assert [r.getMessage() for r in caplog.records] == [
        f"the stretch card did not close within {CLOSE_GRACE_S:.1f} s; killing it"
    ]


@pytest.mark.parametrize(("code", "warned"), [(0, False), (10, False), (11, False), (12, False),
                                               (13, False), (1, True), (3, True)])
def test_normal_answers_are_not_warnings(
    caplog: pytest.LogCaptureFixture, code: int, warned: bool
) -> None:
    card = f"import sys; print('{{\"answer\": \"closed\"}}', flush=True); sys.exit({code})"
    with caplog.at_level(logging.WARNING, logger="sitbreak.adapters.card"):
        assert run_card(card) == "closed"
    assert bool(caplog.records) is warned
