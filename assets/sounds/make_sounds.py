"""Generate the bundled cue sounds (used where the desktop has no sound theme player).

    python assets/sounds/make_sounds.py        # rewrites switch.wav, done.wav, nudge.wav here

Pure standard library and fully deterministic: the same bytes on every run. Each cue is a few
soft sine notes with a quick attack and a gentle decay (no clicks), 16-bit mono at 22.05 kHz,
well under half a second, quiet enough for an office.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
VOLUME = 0.35  # of full scale

# (frequency Hz, start s, length s) per note
CUES: dict[str, list[tuple[float, float, float]]] = {
    # switch sides: two rising notes, "and now the other side"
    "switch": [(659.25, 0.00, 0.16), (880.00, 0.14, 0.22)],
    # done: a three-note major chord spread out, "finished"
    "done": [(523.25, 0.00, 0.30), (659.25, 0.10, 0.30), (783.99, 0.20, 0.40)],
    # a nudge: one soft two-tone knock
    "nudge": [(783.99, 0.00, 0.18), (587.33, 0.15, 0.25)],
}


def render(notes: list[tuple[float, float, float]]) -> bytes:
    total = max(start + length for _, start, length in notes)
    frames = int(total * RATE) + 1
    samples = [0.0] * frames
    for freq, start, length in notes:
        first = int(start * RATE)
        count = int(length * RATE)
        for i in range(count):
            t = i / RATE
            attack = min(1.0, t / 0.008)  # 8 ms fade-in: no click
            decay = math.exp(-4.5 * t / length) * (1 - i / count)  # fades to exactly 0
            samples[first + i] += math.sin(2 * math.pi * freq * t) * attack * decay
    peak = max(abs(s) for s in samples) or 1.0
    scale = VOLUME * 32767 / peak
    return b"".join(struct.pack("<h", round(s * scale)) for s in samples)


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, notes in CUES.items():
        with wave.open(str(here / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(render(notes))
        print(here / f"{name}.wav")


if __name__ == "__main__":
    main()
