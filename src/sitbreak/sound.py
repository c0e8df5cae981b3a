"""Short cue sounds (switch sides, done, a nudge), played without blocking and without a GUI
toolkit: the desktop's sound theme where a player for it exists, else a bundled WAV.

Order: ``canberra-gtk-play -i ID`` (libcanberra: the user's sound theme) → ``paplay FILE`` (the
freedesktop theme's file, else the bundled one) → ``pw-play`` → ``aplay`` (bundled WAV, only
with sound hardware) → ``afplay`` on macOS → ``winsound`` on Windows. The PulseAudio/PipeWire
players are used only when a sound server is running, so nothing ever autospawns one.
``SITBREAK_SOUND_PLAYER`` pins one player (or ``none``); tests use it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sitbreak.content.paths import assets_dir

log = logging.getLogger(__name__)

Cue = Literal["switch", "done", "nudge"]
PLAYER_ENV = "SITBREAK_SOUND_PLAYER"

# the freedesktop sound-theme names for each cue (sound-naming-spec)
THEME_IDS: dict[Cue, str] = {
    "switch": "bell",
    "done": "complete",
    "nudge": "message-new-instant",
}
PLAYERS = ("canberra-gtk-play", "paplay", "pw-play", "aplay", "afplay", "winsound")


@dataclass(frozen=True, slots=True)
class Plan:
    """How a cue will be played: a command line, or ``winsound`` with a file."""

    player: str
    argv: tuple[str, ...]
    file: Path | None


def bundled(cue: Cue) -> Path:
    return assets_dir() / "sounds" / f"{cue}.wav"


def theme_file(cue: Cue) -> Path | None:
    """The freedesktop theme's file for ``cue`` in $XDG_DATA_DIRS, if any."""
    dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    for base in dirs.split(os.pathsep):
        for ext in ("oga", "ogg", "wav"):
            path = Path(base) / "sounds" / "freedesktop" / "stereo" / f"{THEME_IDS[cue]}.{ext}"
            if path.is_file():
                return path
    return None


def sound_server_running() -> bool:
    """A PulseAudio (or PipeWire-Pulse) server to talk to, without autospawning one."""
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        return False
    return (Path(runtime) / "pulse" / "native").exists()


def _have(name: str) -> bool:
    if name == "winsound":
        return sys.platform == "win32"
    if name == "afplay":
        return sys.platform == "darwin" and shutil.which(name) is not None
    if name in ("canberra-gtk-play", "paplay", "pw-play"):
        return shutil.which(name) is not None and sound_server_running()
    if name == "aplay":
        return shutil.which(name) is not None and Path("/dev/snd").is_dir()
    return False


def plan(cue: Cue, players: Sequence[str] | None = None) -> Plan | None:
    """How ``cue`` would be played here, or None when there is no way to play it."""
    pinned = os.environ.get(PLAYER_ENV, "").strip()
    if pinned == "none":
        return None
    order = [pinned] if pinned else list(players or PLAYERS)
    own = bundled(cue)
    for player in order:
        if player not in PLAYERS or (not pinned and not _have(player)):
            continue
        if player == "canberra-gtk-play":
            return Plan(player, (player, "-i", THEME_IDS[cue], "-d", "sitbreak"), None)
        if player in ("paplay", "pw-play"):
            file = theme_file(cue) or own
            return Plan(player, (player, str(file)), file)
        if player == "aplay":
            return Plan(player, (player, "-q", str(own)), own)
        if player == "afplay":
            return Plan(player, (player, str(own)), own)
        return Plan(player, (), own)  # winsound
    return None


def play(cue: Cue) -> subprocess.Popen[bytes] | None:
    """Start playing ``cue`` and return at once (the caller reaps the process with
    ``poll()``); None when nothing could be started."""
    how = plan(cue)
    if how is None:
        return None
    if how.player == "winsound":
        import winsound  # type: ignore[import-not-found,unused-ignore]

        flags = winsound.SND_FILENAME | winsound.SND_ASYNC  # type: ignore[attr-defined,unused-ignore]
        winsound.PlaySound(str(how.file), flags)  # type: ignore[attr-defined,unused-ignore]
        return None
    try:
        return subprocess.Popen(
            how.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        log.debug("cannot play %s with %s: %s", cue, how.player, exc)
        return None


_REAPING: set[Any] = set()  # player processes being waited for (asyncio tasks)


async def play_soon(cue: Cue) -> bool:
    """The daemon's flavour (on its asyncio loop): start the player and reap it in the
    background. True when a player was started."""
    import asyncio  # here: the card, which only uses ``play``, starts faster without it

    how = plan(cue)
    if how is None:
        log.debug("no sound player for the %s cue", cue)
        return False
    if how.player == "winsound":
        return play(cue) is None
    try:
        proc = await asyncio.create_subprocess_exec(
            *how.argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        log.debug("cannot play %s with %s: %s", cue, how.player, exc)
        return False
    log.debug("playing the %s cue with %s", cue, " ".join(how.argv))
    task = asyncio.ensure_future(proc.wait())
    _REAPING.add(task)
    task.add_done_callback(_REAPING.discard)
    return True
