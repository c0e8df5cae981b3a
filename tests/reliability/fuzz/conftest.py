"""Fuzzing the loaders: how many inputs each was given, and how it handled them.

``SITBREAK_FUZZ_EXAMPLES`` sets the examples per fuzz test (default: a few seconds' worth;
the long run in the README uses 20000). The figures are printed at the end of the run.
"""

from __future__ import annotations

import pytest

from tests.reliability.fuzz.harness import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("fuzzing: inputs tried and handled per loader")
    for loader, counts in sorted(FIGURES.items()):
        tried = counts["tried"]
        handled = counts["accepted"] + counts["rejected"]
        terminalreporter.write_line(
            f"{loader:<16} tried {tried:>7}  handled {handled:>7}  (accepted {counts['accepted']}, "
            f"rejected with one clear line {counts['rejected']})")
