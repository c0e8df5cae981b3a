"""Sound cues, heard on a private PulseAudio null sink: the card's "switch sides" and "done",
and the nudge's sound where the notification server plays none (dunst)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitbreak import sound
from tests.desktop import Desktop, wait_until
from tests.pulse_playback import PACKAGES, PlaybackServer, missing

needs_pulse = pytest.mark.skipif(bool(missing()), reason=f"needs {PACKAGES} (Debian)")


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PlaybackServer]:
    with PlaybackServer(tmp_path) as server:
        yield server


def test_the_theme_sound_is_played_with_paplay_else_the_bundled_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.delenv(sound.PLAYER_ENV, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    # no sound server: nothing would start one (no autospawn), nothing is planned
    assert sound.plan("switch", players=["paplay"]) is None
    (runtime / "pulse" / "native").touch()
    theme = tmp_path / "share" / "sounds" / "freedesktop" / "stereo"
    theme.mkdir(parents=True)
    (theme / "bell.oga").write_bytes(b"")
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "share"))
    monkeypatch.setenv("PATH", f"{tmp_path}/bin")
    (tmp_path / "bin").mkdir()
    assert sound.plan("switch") is None  # no player on PATH
    for player in ("paplay", "canberra-gtk-play"):
        (tmp_path / "bin" / player).write_text("#!/bin/sh\n")
        (tmp_path / "bin" / player).chmod(0o755)
    how = sound.plan("switch", players=["paplay"])
    assert how is not None
    assert how.argv == ("paplay", str(theme / "bell.oga"))  # the desktop's sound theme
    how = sound.plan("done", players=["paplay"])
    assert how is not None
    assert how.argv == ("paplay", str(sound.bundled("done")))  # not in the theme: bundled
    assert sound.bundled("done").is_file()
    how = sound.plan("done")  # libcanberra first: it knows the user's chosen theme
    assert how is not None
    assert how.argv == ("canberra-gtk-play", "-i", "complete", "-d", "sitbreak")


def test_bundled_sounds_are_reproducible(tmp_path: Path) -> None:
    assets = Path(sound.bundled("done")).parent
    script = assets / "make_sounds.py"
    copy = tmp_path / "make_sounds.py"
    copy.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True, timeout=60)
    for cue in ("switch", "done", "nudge"):
        assert (tmp_path / f"{cue}.wav").read_bytes() == (assets / f"{cue}.wav").read_bytes()


class Card:
    def __init__(self, d: Desktop, env: dict[str, str], *args: str) -> None:
        self.d = d
        self.proc = subprocess.Popen([sys.executable, "-m", "sitbreak.card", *args], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def window(self, title: str) -> int:
        return self.d.wait_for_window(name=f"^{re.escape(title)}", visible_only=True)

    def title(self, wid: int) -> str:
        return self.d.xdotool("getwindowname", wid).strip()

    def finish(self) -> str:
        out, _err = self.proc.communicate(timeout=15)
        return out


@needs_pulse
@pytest.mark.parametrize("theme", ["freedesktop", "bundled"])
def test_card_sounds_switch_sides_and_done(
    xdisplay: Desktop, pulse: PlaybackServer, tmp_path: Path, theme: str
) -> None:
    env = {**xdisplay.env, **pulse.env}
    if theme == "bundled":  # no sound theme installed: the bundled chimes
        env["XDG_DATA_DIRS"] = str(tmp_path / "nothing")
    card = Card(xdisplay, env, "seated-figure-four", "--hold-scale", "0.1", "--sound")
    wid = card.window("Seated figure-four stretch")
    x, y, _w, _h = xdisplay.window_geometry(wid)
    xdisplay.xdotool("mousemove", x + 30, y + 12, "click", 1)
    assert pulse.played() == 0
    xdisplay.key("space")
    wait_until(lambda: "Switch" in card.title(wid), 8, message="the switch")
    pulse.wait_played(1, 3)  # "switch sides", heard while looking away
    wait_until(lambda: card.title(wid).endswith("Done"), 10, message="the end of the hold")
    pulse.wait_played(2, 3)  # "done"
    assert pulse.loudest() > 1000  # real sound reached the sink, not silence
    xdisplay.key("Return")
    assert '"answer": "done"' in card.finish()
    time.sleep(0.5)
    assert pulse.played() == 2


@needs_pulse
def test_card_sound_off_is_silent(xdisplay: Desktop, pulse: PlaybackServer) -> None:
    env = {**xdisplay.env, **pulse.env}
    card = Card(xdisplay, env, "seated-figure-four", "--hold-scale", "0.1", "--no-sound")
    wid = card.window("Seated figure-four stretch")
    x, y, _w, _h = xdisplay.window_geometry(wid)
    xdisplay.xdotool("mousemove", x + 30, y + 12, "click", 1)
    xdisplay.key("space")
    wait_until(lambda: card.title(wid).endswith("Done"), 12, message="the end of the hold")
    xdisplay.key("Return")
    card.finish()
    assert pulse.played() == 0
    assert pulse.loudest() == 0
