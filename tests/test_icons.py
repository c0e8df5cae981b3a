"""The app icon set is what `assets/icons/make_icons.py` draws, and it is the tray's ring."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from PIL import Image

from sitbreak.adapters.tray_icon import COLOURS, TRACK

ICONS = Path(__file__).resolve().parent.parent / "assets/icons"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ICONS / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pixels(path: Path) -> bytes:
    with Image.open(path) as img:  # .ico / .icns: their largest picture
        return img.convert("RGBA").tobytes()


def test_committed_icons_are_what_the_generator_draws(tmp_path: Path) -> None:
    written = _generator().write_all(tmp_path)
    assert len(written) == 11
    for fresh in written:
        committed = ICONS / fresh.relative_to(tmp_path)
        assert committed.is_file(), committed
        if fresh.suffix == ".svg":
            assert fresh.read_text() == committed.read_text()
        else:  # compare pictures, not bytes: zlib output may differ between Pillow builds
            assert _pixels(fresh) == _pixels(committed), committed
    with Image.open(ICONS / "sitbreak.ico") as ico:
        assert ico.info["sizes"] == {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)}
    with Image.open(ICONS / "sitbreak.icns") as icns:
        assert (16, 16, 2) in icns.info["sizes"] and (512, 512, 2) in icns.info["sizes"]


def test_the_icon_is_the_tray_ring_three_quarters_full() -> None:
    with Image.open(ICONS / "hicolor/256x256/apps/sitbreak.png") as img:
        rgba = img.convert("RGBA")
    def at(x: int, y: int) -> tuple[int, ...]:
        pixel = rgba.getpixel((x, y))
        assert isinstance(pixel, tuple)
        return pixel

    ring = 128 - 16 - 18  # the middle of the ring's width, from the centre
    amber, track = COLOURS["due"], TRACK
    assert at(128 + ring, 128)[:3] == amber  # three o'clock: filled
    assert at(128, 128 + ring)[:3] == amber  # six o'clock: filled
    assert at(128 - 67, 128 - 67)[:3] == track  # half past ten: still empty
    assert at(128, 128)[:3] == (255, 255, 255)  # on a white disc
    assert at(0, 0)[3] == 0  # transparent corners
