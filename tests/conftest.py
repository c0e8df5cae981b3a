"""Shared pytest fixtures: a real headless desktop (see tests/desktop.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.desktop import Desktop, missing_tools

KEEP_ENV = "SITBREAK_KEEP_DESKTOP_LOGS"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--keep-desktop-logs", action="store_true",
        help=f"keep each test desktop's state dir (logs, dunstrc); same as {KEEP_ENV}=1",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a test that uses a desktop fixture is a desktop test, marked or not
    for item in items:
        if {"xdisplay", "desktop"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.desktop)


def keep_logs(config: pytest.Config) -> bool:
    return bool(config.getoption("--keep-desktop-logs")) or os.environ.get(KEEP_ENV) == "1"


def _skip_if_missing(*, dunst: bool, trayer: bool) -> None:
    missing = missing_tools(dunst=dunst, trayer=trayer)
    if missing:
        pytest.skip("desktop tools not installed: " + ", ".join(missing)
                    + " (run installers/desktop-packages.sh)")


def _run(request: pytest.FixtureRequest, d: Desktop) -> Iterator[Desktop]:
    d.keep_logs = keep_logs(request.config)
    d.start()
    try:
        yield d
    finally:
        d.stop()
        if d.keep_logs:
            print(f"\ndesktop logs kept in {d.state_dir}")


@pytest.fixture
def xdisplay(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """Xvfb plus a private session bus, nothing else (about 0.2 s)."""
    _skip_if_missing(dunst=False, trayer=False)
    yield from _run(request, Desktop())


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """Xvfb, session bus, system-bus stand-in, dunst (fixture dunstrc) and trayer."""
    _skip_if_missing(dunst=True, trayer=True)
    yield from _run(request, Desktop(system_bus=True, dunst=True, trayer=True))
