"""The tray's Statistics on a real (virtual) desktop: the chart and this week's numbers open in a
window of their own process; matplotlib and Tk never load in the daemon."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop

pytestmark = pytest.mark.desktop

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "artifacts" / "screenshots"
CALM = (0x5B, 0x8D, 0xEF)  # history.chart: sitting within the stretch limit
OVER = (0xF0, 0x8A, 0x24)  # sitting past it


def colour_count(path: Path, rgb: tuple[int, int, int]) -> int:
    with Image.open(path) as img:
        colours = img.convert("RGB").getcolors(1 << 22) or []
    return sum(n for n, c in colours if c == rgb)


def week_of_history(env: dict[str, str], db: Path) -> None:
    """A synthetic office week up to today, through the same replay a user would run."""
    trace = subprocess.run(
        [sys.executable, "-m", "sitbreak", "history", "demo", "--days", "7",
         "--last", date.today().isoformat()],
        env=env, capture_output=True, check=True, timeout=60,
    ).stdout
    subprocess.run([sys.executable, "-m", "sitbreak", "replay", "-", "--db", str(db)],
                   input=trace, env=env, capture_output=True, check=True, timeout=120)


def libraries_of(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text(errors="replace")


def assert_chart_window(desktop: Desktop, daemon_pid: int, shot: Path) -> int:
    wid = desktop.wait_for_window(class_="^SitbreakStats$", visible_only=True, timeout=40)
    title = desktop.xdotool("getwindowname", wid).strip()
    assert title.startswith("Sitting statistics")
    time.sleep(0.5)  # drawn
    _x, _y, w, h = desktop.window_geometry(wid)
    assert w <= 1280 and h <= 800, "fits the screen"
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(shot, window=wid)
    # the chart is there: sitting spans in both colours, and the numbers beside it
    assert colour_count(shot, CALM) > 2000
    assert colour_count(shot, OVER) > 200
    maps = libraries_of(daemon_pid)
    assert "_tkinter" not in maps and "matplotlib" not in maps, "no GUI toolkit in the daemon"
    return wid


def test_tray_menu_statistics_opens_the_chart_window(sni_desktop: Desktop, tmp_path: Path) -> None:
    """The tray a Linux user gets (sitbreak's StatusNotifierItem in a real panel, xfce4-panel):
    right click, Statistics (second from the end), and the chart window opens."""
    from tests.test_adapters_tray_sni import icon_box, open_menu_and_press

    desktop = sni_desktop
    db = tmp_path / "history.sqlite3"
    week_of_history(desktop.env, db)
    config = f'[history]\npath = "{db}"\n'  # the default 30 min stretch limit
    with Daemon(desktop.env, tmp_path, config=config) as d:
        assert d.status()["tray"] == "sni"
        wait_for(lambda: "tray sni is up" in d.log(), 10, "the tray up, in the log")
        box = wait_for(lambda: icon_box(desktop, tmp_path / "panel.png"), 10, "the panel icon")
        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        # the panel's own menu, by keyboard once it is open: Up from the end is Quit, then
        # Statistics
        open_menu_and_press(desktop, x, y, "Up", "Up", "Return")
        assert d.proc is not None
        wid = assert_chart_window(desktop, d.proc.pid, SHOTS / "statistics-window.png")
        assert "statistics window opened" in d.log()
        # keyboard: Esc closes it
        desktop.xdotool("windowfocus", "--sync", wid)
        desktop.key("Escape")
        wait_for(lambda: not desktop.search_windows(class_="^SitbreakStats$",
                                                    visible_only=True), 10, "window closed")


def test_the_statistics_window_part_opens_and_closes_with_the_daemon(
    desktop: Desktop, tmp_path: Path
) -> None:
    """What the runtime runs for every tray backend's Statistics item (``StatsWindow``, the
    real child process); closing it (the daemon quitting) takes the window down."""
    from sitbreak.daemon.stats_window import StatsWindow

    db = tmp_path / "history.sqlite3"
    week_of_history(desktop.env, db)
    config = tmp_path / "sitbreak.toml"
    config.write_text(f'[history]\npath = "{db}"\n', encoding="utf-8")
    assert StatsWindow(config).command[-3:] == ["--window", "--config", str(config)]
    code = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from sitbreak.daemon.stats_window import StatsWindow\n"
        "async def main():\n"
        "    w = StatsWindow(Path(sys.argv[1]))\n"
        "    shown = asyncio.ensure_future(w.open())\n"
        "    await asyncio.to_thread(sys.stdin.readline)\n"
        "    await w.close()\n"
        "    await shown\n"
        "asyncio.run(main())\n"
    )
    owner = subprocess.Popen([sys.executable, "-c", code, str(config)], env=desktop.env,
                             stdin=subprocess.PIPE)
    try:
        assert_chart_window(desktop, owner.pid, tmp_path / "stats.png")
        assert owner.stdin is not None
        owner.stdin.write(b"close\n")
        owner.stdin.flush()
        assert owner.wait(10) == 0
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
    assert not desktop.search_windows(class_="^SitbreakStats$", visible_only=True)
