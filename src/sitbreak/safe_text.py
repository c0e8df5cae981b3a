"""Text that is echoed back to a terminal, a log or a notification: no control characters, no
ANSI escapes, and a cap on how much of an offending value is shown."""

from __future__ import annotations

import re

MAX_VALUE_CHARS = 200

# CSI/OSC/other escape sequences first (so their parameters go too), then any control character
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` made safe to print on one line: escapes removed, control characters shown as
    ``?``, and at most ``limit`` characters (an ellipsis says it was cut)."""
    s = _ESCAPES.sub("", str(text))
    s = _CONTROLS.sub("?", s)
    if len(s) > limit:
        s = s[:limit] + "…"
    return s
