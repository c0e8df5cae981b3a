import os
from pathlib import Path

import pytest

from sitbreak.safe_files import UnsafeFile, read_regular_file
from sitbreak.safe_text import clean


def test_clean_strips_escapes_and_controls_and_caps():
    assert clean("a\x1b[31mred\x1b[0m\nb") == "ared?b"
    assert clean("\x1b]0;title\x07x") == "x"
    out = clean("x" * 500)
    assert len(out) == 201 and out.endswith("…")


def test_reads_a_regular_file(tmp_path: Path) -> None:
    p = tmp_path / "a.toml"
    p.write_bytes(b"k = 1\n")
    assert read_regular_file(p) == b"k = 1\n"


def test_refuses_symlink_fifo_device_and_large(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_text("x")
    link = tmp_path / "l"
    link.symlink_to(target)
    with pytest.raises(UnsafeFile, match="symbolic link"):
        read_regular_file(link)
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile, match="FIFO"):
        read_regular_file(fifo)  # must not block
    with pytest.raises(UnsafeFile, match="device"):
        read_regular_file(Path("/dev/zero"))
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(UnsafeFile, match="too large"):
        read_regular_file(big, max_bytes=1000)
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing")
