"""The tray ring's pictures drawn in advance, so the tray needs no imaging library at run time.

``data/tray-frames.bin`` holds every picture ``tray_icon.picture_key`` can ask for, at each of
the StatusNotifierItem's sizes, as ARGB32 in network byte order (what SNI's ``IconPixmap``
carries), each key's sizes zlib-compressed together (~50 KB for all). A test checks the file
is what ``render`` draws; rewrite it after changing the picture::

    .venv/bin/python -m sitbreak.adapters.tray_frames --write

Without the file (or a key it lacks) the picture is drawn with Pillow, as before.

Layout: a 4-byte big-endian length N, N bytes of JSON ``{"sizes": [...], "frames": {"state:n":
[offset, length]}}`` (offsets from the end of the JSON), then the compressed frames.
"""

from __future__ import annotations

import functools
import json
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

from sitbreak.adapters.tray_icon import STEPS, render

FRAMES = Path(__file__).resolve().parent.parent / "data" / "tray-frames.bin"
SIZES = (16, 22, 24, 32, 48)
STATIC = ("paused", "standing", "away")  # pictures without the fill
FILLED = ("fresh", "due", "overdue")

Pixmaps = list[list[Any]]  # a(iiay): [width, height, ARGB bytes]


def all_keys() -> list[tuple[str, int]]:
    return [(s, 0) for s in STATIC] + [(s, n) for s in FILLED for n in range(STEPS + 1)]


def draw(key: tuple[str, int], sizes: tuple[int, ...] = SIZES) -> Pixmaps:
    """The picture at each size, drawn now (Pillow)."""
    from PIL import Image

    out: Pixmaps = []
    for size in sizes:
        red, green, blue, alpha = render(key, size).split()
        argb = Image.merge("RGBA", (alpha, red, green, blue)).tobytes()
        out.append([size, size, argb])
    return out


def pack(sizes: tuple[int, ...] = SIZES) -> bytes:
    frames: dict[str, list[int]] = {}
    blobs: list[bytes] = []
    offset = 0
    for key in all_keys():
        blob = zlib.compress(b"".join(p[2] for p in draw(key, sizes)), 9)
        frames[f"{key[0]}:{key[1]}"] = [offset, len(blob)]
        blobs.append(blob)
        offset += len(blob)
    index = json.dumps({"sizes": list(sizes), "frames": frames}, sort_keys=True).encode()
    return struct.pack(">I", len(index)) + index + b"".join(blobs)


class Frames:
    """Reads pictures from the packed file (kept in memory: ~50 KB)."""

    def __init__(self, data: bytes) -> None:
        (length,) = struct.unpack_from(">I", data)
        index = json.loads(data[4:4 + length])
        self.sizes: tuple[int, ...] = tuple(index["sizes"])
        self._frames: dict[str, list[int]] = index["frames"]
        self._body = memoryview(data)[4 + length:]

    def get(self, key: tuple[str, int]) -> Pixmaps | None:
        where = self._frames.get(f"{key[0]}:{key[1]}")
        if where is None:
            return None
        offset, length = where
        raw = zlib.decompress(self._body[offset:offset + length])
        out: Pixmaps = []
        for size in self.sizes:
            n = size * size * 4
            out.append([size, size, raw[:n]])
            raw = raw[n:]
        return out


@functools.cache
def packed() -> Frames | None:
    try:
        return Frames(FRAMES.read_bytes())
    except (OSError, ValueError, KeyError, struct.error):
        return None


def pixmaps(key: tuple[str, int]) -> Pixmaps:
    """The picture for ``key`` at each size: from the packed file, else drawn now."""
    frames = packed()
    found = frames.get(key) if frames is not None else None
    return found if found is not None else draw(key)


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print(f"usage: python -m sitbreak.adapters.tray_frames --write  (rewrites {FRAMES})",
              file=sys.stderr)
        return 2
    data = pack()
    FRAMES.write_bytes(data)
    print(f"{FRAMES}: {len(all_keys())} pictures × {len(SIZES)} sizes, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
