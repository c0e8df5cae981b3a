"""The card opener runs a real child process and reads its one-line JSON answer."""

from __future__ import annotations

import asyncio
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
        same = opener.open("y")  # one card at a time
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
