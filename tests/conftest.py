"""Shared pytest fixtures: a real headless desktop (see tests/desktop.py)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator

import pytest

from tests.desktop import Desktop, missing_tools
from tests.wayland_session import Compositor, WaylandSession
from tests.wayland_session import skip_reason as wayland_skip_reason

# The suite reads English output whatever the developer's locale: English for this process and
# every program it starts (the language tests give theirs a LANG or ui.language of their own).
os.environ["LANG"] = "C.UTF-8"
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "SITBREAK_UI__LANGUAGE"):
    os.environ.pop(_name, None)

KEEP_ENV = "SITBREAK_KEEP_DESKTOP_LOGS"
_FAILED = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--keep-desktop-logs", action="store_true",
        help=f"keep each test desktop's state dir (logs, dunstrc); same as {KEEP_ENV}=1",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a test that uses a desktop fixture is a desktop test, marked or not
    for item in items:
        if {"xdisplay", "desktop", "sni_desktop", "sway_session", "sway_bare",
                "kwin_session"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.desktop)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport,
                                                                pytest.TestReport]:
    report = yield
    if report.failed and report.when == "call":
        item.stash[_FAILED] = True
    return report


def _skip_if_missing(*, bus: bool = True, dunst: bool, trayer: bool,
                     sni_panel: bool = False) -> None:
    missing = missing_tools(bus=bus, dunst=dunst, trayer=trayer, sni_panel=sni_panel)
    if missing:
        pytest.skip("desktop tools not installed: " + ", ".join(missing)
                    + " (run installers/desktop-packages.sh)")


def _run(request: pytest.FixtureRequest, d: Desktop) -> Iterator[Desktop]:
    config = request.config
    d.keep_logs = bool(config.getoption("--keep-desktop-logs")) or os.environ.get(KEEP_ENV) == "1"
    d.start()
    try:
        yield d
    finally:
        # a failed test keeps its desktop's logs for a look afterwards
        if request.node.stash.get(_FAILED, False):
            d.keep_logs = True
        d.stop()
        if d.keep_logs:
            print(f"\ndesktop logs kept in {d.state_dir}")


@pytest.fixture
def xdisplay(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """Xvfb only (about 0.1 s); D-Bus variables point at a bus that does not exist."""
    _skip_if_missing(bus=False, dunst=False, trayer=False)
    yield from _run(request, Desktop(session_bus=False))


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """Xvfb, session bus, system-bus stand-in, dunst (fixture dunstrc) and trayer."""
    _skip_if_missing(dunst=True, trayer=True)
    yield from _run(request, Desktop(system_bus=True, dunst=True, trayer=True))


@pytest.fixture
def sni_desktop(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """Xvfb, buses and dunst as ``desktop``, with xfce4-panel instead of trayer: a real
    StatusNotifierWatcher and host (and an XEmbed tray) along the top of the screen."""
    _skip_if_missing(dunst=True, trayer=False, sni_panel=True)
    yield from _run(request, Desktop(system_bus=True, dunst=True, sni_panel=True))


# ---- Wayland sessions (tests/wayland_session.py) -------------------------------------------


def _wayland(request: pytest.FixtureRequest, compositor: Compositor, *, waybar: bool = False,
             mako: bool = False) -> Iterator[WaylandSession]:
    reason = wayland_skip_reason(compositor, waybar=waybar, mako=mako)
    if reason:
        pytest.skip(reason)
    s = WaylandSession(compositor, waybar=waybar, mako=mako)
    s.keep_logs = (bool(request.config.getoption("--keep-desktop-logs"))
                   or os.environ.get(KEEP_ENV) == "1")
    s.start()
    try:
        yield s
    finally:
        if request.node.stash.get(_FAILED, False):
            s.keep_logs = True
        s.stop()
        if s.keep_logs:
            print(f"\nWayland session logs kept in {s.state_dir}")


@pytest.fixture
def sway_session(request: pytest.FixtureRequest) -> Iterator[WaylandSession]:
    """Headless Sway as the unprivileged test user, private session bus, mako and waybar."""
    yield from _wayland(request, "sway", waybar=True, mako=True)


@pytest.fixture
def sway_bare(request: pytest.FixtureRequest) -> Iterator[WaylandSession]:
    """Headless Sway and a private session bus only (about 0.3 s)."""
    yield from _wayland(request, "sway")


@pytest.fixture
def kwin_session(request: pytest.FixtureRequest) -> Iterator[WaylandSession]:
    """``kwin_wayland --virtual`` as the unprivileged test user, with a private session bus."""
    yield from _wayland(request, "kwin")
