"""Shared pieces of the fuzz tests: settings, the one-clear-line check, a hang guard, the
figures, a tiny TOML writer and strategies for hostile values."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("SITBREAK_FUZZ_EXAMPLES", "0") or 0)
HANG_S = 10.0  # one input taking this long counts as a hang
MAX_LINE = 1000  # an error line longer than this is not "one clear line"

FIGURES: dict[str, dict[str, int]] = defaultdict(lambda: {"tried": 0, "accepted": 0,
                                                          "rejected": 0})


def fuzz_settings(default_examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or default_examples,
        deadline=None,  # a loaded CI machine is slow, not hung: the hang guard decides
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much],
    )


def record(loader: str, outcome: str) -> None:
    counts = FIGURES[loader]
    counts["tried"] += 1
    counts[outcome] += 1


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(what: str) -> Iterator[None]:
    """Fail (not wait) when one input takes longer than ``HANG_S``. pytest-timeout's own timer
    (the same SIGALRM) is put back afterwards, less the time spent."""

    def alarm(_sig: int, _frame: object) -> None:
        raise Hang(f"{what}: no answer after {HANG_S:g} s")

    old = signal.signal(signal.SIGALRM, alarm)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, HANG_S)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:
            left = max(0.001, outer - (time.monotonic() - start))
            signal.setitimer(signal.ITIMER_REAL, left, interval)


def assert_one_clear_line(message: str) -> None:
    assert message, "an empty error message"
    assert "\n" not in message and "\r" not in message, repr(message)
    assert len(message) <= MAX_LINE, f"{len(message)} characters"
    bad = [ch for ch in message if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0
           or ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    assert not bad, f"control characters {bad!r} in {message!r}"
    assert "Traceback" not in message


def assert_finite_json(record: Any) -> None:
    json.dumps(record, allow_nan=False)  # ValueError on NaN or an infinity anywhere


# -- hostile values ----------------------------------------------------------------------------

DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９"
DURATION_BITS = st.sampled_from(["h", "m", "s", " ", ".", "e", "E", "+", "-", "_", "inf", "nan",
                                 "Infinity", "\x1b[31m", "\x00", "\u202e", "d", "min", "ms"])
duration_text = st.lists(st.one_of(st.text(DIGITS, min_size=1, max_size=6), DURATION_BITS),
                         max_size=8).map("".join)
huge_ints = st.one_of(st.integers(-(10**30), 10**30),
                      st.integers(1, 450).map(lambda n: int("9" * n)),
                      st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 86400, 86401]))
any_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -0.0, 5e-324]))
nasty_text = st.one_of(
    st.text(max_size=40),
    duration_text,
    st.sampled_from(["true", "yes", "on", "1", "True", "", " ", "30m", "1h30m", "desk",
                     "mon-fri 08:00-18:00", "mon-fri ٠٨:٠٠-18:00", "a\x00b", "\x1b]0;x\x07",
                     "../../../etc/passwd", "x" * 5000]),
)
scalars = st.one_of(st.booleans(), huge_ints, any_floats, nasty_text)


def nested(depth: int, leaf: Any, as_table: bool) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value} if as_table else [value]
    return value


values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12)
deep_values = st.builds(nested, st.integers(50, 4000), scalars, st.booleans())
any_value = st.one_of(scalars, scalars, values, deep_values)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insert bytes) edits to ``data``."""
    out = bytearray(data)
    for pos, delete, insert in edits:
        p = pos % (len(out) + 1)
        out[p:p + delete] = insert
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 4), st.binary(max_size=6)),
                 min_size=1, max_size=6)


def json_value(value: Any) -> str:
    """``json.dumps`` (NaN/Infinity as JavaScript's words) without a recursion limit, for the
    deep values."""
    opens: list[str] = []
    closes: list[str] = []
    while isinstance(value, list | dict) and len(value) == 1:
        if isinstance(value, list):
            opens.append("[")
            closes.append("]")
            value = value[0]
        else:
            (key, value), = value.items()
            opens.append("{" + json.dumps(key) + ": ")
            closes.append("}")
    if isinstance(value, list):
        inner = "[" + ", ".join(json_value(v) for v in value) + "]"
    elif isinstance(value, dict):
        inner = "{" + ", ".join(f"{json.dumps(str(k))}: {json_value(v)}"
                                for k, v in value.items()) + "}"
    else:
        inner = json.dumps(value, allow_nan=True)
    return "".join(opens) + inner + "".join(reversed(closes))


# -- a tiny TOML writer (enough to write every value above, however hostile) -----------------

def toml_key(key: str) -> str:
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return toml_string(key)


def toml_string(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 32 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch) % 0xD800 if 0xD800 <= ord(ch) <= 0xDFFF else ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_value(value: Any) -> str:
    # iterative for the deep values: no recursion limit on our side of the test
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    opens: list[str] = []
    closes: list[str] = []
    while isinstance(value, list | dict) and len(value) == 1 and (
            isinstance(value, list) or "a" in value):
        if isinstance(value, list):
            opens.append("[")
            closes.append("]")
            value = value[0]
        else:
            opens.append("{a = ")
            closes.append("}")
            value = value["a"]
    if opens:
        return "".join(opens) + toml_value(value) + "".join(reversed(closes))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(tables: dict[str, dict[str, Any]], top: dict[str, Any]) -> str:
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in top.items()]
    for name, table in tables.items():
        lines.append(f"[{toml_key(name)}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
