"""Privacy: text typed while sitbreak runs (with the keyboard listener, which sees every key
event in-process) appears in no file and no log it writes. A canary is typed with xdotool on a
real X server before, during and after a nudge, then every file of the run is searched."""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon_proc import FAST_CONFIG, Daemon, wait_for
from tests.desktop import Desktop

pytestmark = pytest.mark.desktop

CANARY = "QzvKarpfen7319Xw"


def _variants() -> list[bytes]:
    """The canary as it could be stored: as is, in another case, as UTF-16, key by key."""
    plain = [CANARY, CANARY.lower(), CANARY.upper(), CANARY[::-1]]
    out = [v.encode() for v in plain]
    out += [v.encode("utf-16-le") for v in plain]
    return out


def _key_by_key(data: bytes) -> list[bytes]:
    """What a key-by-key record would spell: the lone letters and digits in order (a log line
    per key, "key 'Q'"), and the text with everything but letters and digits dropped
    ("Q, z, v")."""
    lone = b"".join(re.findall(rb"(?<![0-9A-Za-z])[0-9A-Za-z](?![0-9A-Za-z])", data))
    return [lone, re.sub(rb"[^0-9A-Za-z]", b"", data)]


def _files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                yield path


def test_a_typed_canary_is_in_no_file_or_log(desktop: Desktop, tmp_path: Path) -> None:
    if importlib.util.find_spec("pynput") is None:
        pytest.skip("the listener extra (pynput) is not installed")
    config = FAST_CONFIG.replace("[activity]\n", '[activity]\nsource = "listener"\n')
    d = Daemon(desktop.env, tmp_path, config=config).start()
    try:
        assert d.status()["source"] == "pynput-listener"
        desktop.type_text(CANARY)
        d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after typing")
        d.cli("stretch-now")
        d.wait_status(lambda s: s["nudge_kind"] == "stretch", 10, "the stretch nudge")
        desktop.type_text(CANARY)  # while the nudge is up
        d.cli("snooze")
        desktop.type_text(CANARY)
        d.cli("pause", "30m")
        desktop.type_text(CANARY)  # while paused
        d.cli("resume")
        time.sleep(1.0)
        # long enough to be away, and back by typing: a break is recorded around the canary
        time.sleep(4.5)
        desktop.type_text(CANARY)
        d.wait_status(lambda s: s["breaks"] >= 1, 10, "a break recorded on return")
    finally:
        assert d.stop() == 0
    wait_for(lambda: not d.alive, 5, "the daemon to exit")
    searched = 0
    hits: list[str] = []
    variants = _variants()
    for path in _files(desktop.state_dir, tmp_path):
        data = path.read_bytes()
        searched += 1
        if any(v in data for v in variants) or any(CANARY.encode() in spelled
                                                   for spelled in _key_by_key(data)):
            hits.append(str(path))
    assert searched >= 5  # the log, the history, the config, the daemon's output, …
    assert d.log_path.exists()
    assert hits == []
