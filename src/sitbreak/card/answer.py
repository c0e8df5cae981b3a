"""How the card reports back: one JSON line on stdout and a matching exit code."""

from __future__ import annotations

import json
from typing import Literal

CardAnswer = Literal["done", "snooze", "skip", "another", "closed"]

EXIT_CODES: dict[str, int] = {
    "done": 0,
    "snooze": 10,
    "skip": 11,
    "another": 12,
    "closed": 13,
}
EXIT_USAGE = 2  # unknown item, bad option
EXIT_NO_DISPLAY = 3  # Tk could not open a window


def answer_line(answer: CardAnswer, item: str, held_s: float, completed: bool) -> str:
    """E.g. {"answer": "done", "item": "seated-figure-four", "held_s": 60.2, "completed": true}"""
    return json.dumps(
        {"answer": answer, "item": item, "held_s": round(held_s, 1), "completed": completed}
    )


def parse_answer(line: str) -> tuple[CardAnswer, str, float, bool]:
    """The caller's side: read the card's last stdout line (raises ValueError if malformed)."""
    data = json.loads(line)
    answer = data.get("answer")
    if answer not in EXIT_CODES:
        raise ValueError(f"unknown card answer {answer!r}")
    return answer, str(data["item"]), float(data["held_s"]), bool(data.get("completed", False))
