"""What one library item and the safety card may contain (validated, unknown keys refused)."""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, field_validator

from sitbreak.content.paths import ID_PATTERN, IMAGE_PATTERN
from sitbreak.content.plain import ALWAYS_AVAILABLE, dose_text, total_seconds
from sitbreak.content.seeds import NOTE_FILES, SEED_FILES
from sitbreak.i18n import N_, _

Kind = Literal["stretch", "posture", "release", "movement"]
Where = Literal["desk", "standing", "floor"]
Equipment = Literal["chair", "wall", "ball", "foam_roller", "mat"]
# The muscles and areas sitbreak's own items name. Any other name (e.g. "calves") is allowed:
# `sitbreak content check` notes it, so a typo ("hamstring") can be spotted.
KnownTarget = Literal[
    "gluteus maximus",
    "gluteus medius",
    "gluteus minimus",
    "piriformis",
    "hip flexors",
    "hamstrings",
    "lower back",
    "neck",
    "shoulders",
    "jaw",
    "hands",
    "legs",
    "circulation",
]

KINDS: tuple[str, ...] = get_args(Kind)
WHERES: tuple[str, ...] = get_args(Where)
EQUIPMENT: tuple[str, ...] = get_args(Equipment)
TARGETS: tuple[str, ...] = get_args(KnownTarget)
Target = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=2, max_length=40,
                      pattern=r"^[A-Za-z][A-Za-z '-]*[A-Za-z]$"),
]
__all__ = ["ALWAYS_AVAILABLE", "EQUIPMENT", "KINDS", "TARGETS", "WHERES", "Item", "SafetyCard"]

# The card's ranges (the card reads items through this model too): a hold of 1-600 s per side,
# 1-20 reps, 0-60 s rests. Numbers are strict: true is not 1, 30.0 is not 30.
HOLD_S = (1, 600)
REPS = (1, 20)
REST_S = (0, 60)
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _no_controls(value: object) -> object:
    """Item text reaches terminals, notifications and the card: no escapes, no control
    characters (a multi-line TOML string is folded into one line first)."""
    if isinstance(value, list):  # one level: the model's lists hold text, never lists
        return [_plain(v) if isinstance(v, str) else v for v in value]
    return _plain(value) if isinstance(value, str) else value


def _plain(text: str) -> str:
    text = " ".join(text.split("\n"))
    if _CONTROLS.search(text):
        raise ValueError(_("must not contain control characters or terminal escapes"))
    return text


def _check_sources(value: list[str]) -> list[str]:
    for name in value:
        if name not in SEED_FILES | NOTE_FILES and not re.match(r"^https?://\S+$", name):
            raise ValueError(
                _("{name!r} is neither a seed article ({seeds}), a note ({notes}) nor "
                  "an http(s) link").format(
                      name=name, seeds=', '.join(sorted(SEED_FILES)),
                      notes=', '.join(sorted(NOTE_FILES)))
            )
    return value


class Item(BaseModel):
    """One stretch, release, movement or posture check, as shown on the card."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    kind: Kind
    where: Where
    equipment: list[Equipment] = Field(default_factory=list)
    targets: list[Target] = Field(min_length=1)
    sides: Literal[1, 2] = 1
    hold_s: Annotated[int, Strict()] = Field(ge=HOLD_S[0], le=HOLD_S[1],
                                             description="seconds per side per rep")
    reps: Annotated[int, Strict()] = Field(default=1, ge=REPS[0], le=REPS[1])
    rest_s: Annotated[int, Strict()] = Field(default=0, ge=REST_S[0], le=REST_S[1],
                                             description="pause between reps")
    timer_label: Annotated[str, StringConstraints(min_length=1, max_length=20)] = "Hold"
    why: Annotated[str, StringConstraints(max_length=200)] = ""
    steps: list[Line] = Field(min_length=1, max_length=8)
    cautions: list[Line] = Field(default_factory=list, max_length=4)
    image: Annotated[str, StringConstraints(pattern=IMAGE_PATTERN, max_length=100)]
    source: list[str] = Field(min_length=1)

    @field_validator("equipment", mode="before")
    @classmethod
    def _none_means_empty(cls, value: object) -> object:
        if value in ("none", ["none"]):
            return []
        return value

    @field_validator("source")
    @classmethod
    def _real_sources(cls, value: list[str]) -> list[str]:
        return _check_sources(value)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        return _no_controls(value)

    @field_validator("sides", mode="before")
    @classmethod
    def _whole_sides(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):  # true or 2.0 is not 2
            raise ValueError(_("must be 1 or 2 (a whole number)"))
        return value

    @field_validator("targets", "equipment")
    @classmethod
    def _no_duplicates(cls, value: list[str]) -> list[str]:
        dup = sorted({v for v in value if value.count(v) > 1})
        if dup:
            raise ValueError(_("{names} listed twice").format(names=', '.join(dup)))
        return value

    @property
    def total_s(self) -> int:
        """Seconds the whole timer runs (holds plus rests, without the switch pause)."""
        return total_seconds(self.hold_s, self.reps, self.rest_s, self.sides)

    def dose(self) -> str:
        """Short human summary of the hold, e.g. '30 s each side' or '8 × 5 s'."""
        return dose_text(self.hold_s, self.reps, self.sides)


# The words of the fixed vocabularies as the user reads them (ids stay English in files).
WORDS: dict[str, str] = {
    "stretch": N_("stretch"),
    "posture": N_("posture"),
    "release": N_("release"),
    "movement": N_("movement"),
    "desk": N_("desk"),
    "standing": N_("standing"),
    "floor": N_("floor"),
    "chair": N_("chair"),
    "wall": N_("wall"),
    "ball": N_("ball"),
    "foam_roller": N_("foam roller"),
    "mat": N_("mat"),
    "gluteus maximus": N_("gluteus maximus"),
    "gluteus medius": N_("gluteus medius"),
    "gluteus minimus": N_("gluteus minimus"),
    "piriformis": N_("piriformis"),
    "hip flexors": N_("hip flexors"),
    "hamstrings": N_("hamstrings"),
    "lower back": N_("lower back"),
    "neck": N_("neck"),
    "shoulders": N_("shoulders"),
    "jaw": N_("jaw"),
    "hands": N_("hands"),
    "legs": N_("legs"),
    "circulation": N_("circulation"),
}


def word(value: str) -> str:
    """A kind, place, piece of equipment or muscle in the user's language."""
    return _(WORDS[value]) if value in WORDS else value


class SafetyCard(BaseModel):
    """When to stop self-care and see a professional; shown on first run and from every card."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    title: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    disclaimer: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    intro: str = ""
    seek_help: list[Line] = Field(min_length=1)
    who: str = ""
    while_stretching: list[Line] = Field(default_factory=list)
    source: list[str] = Field(min_length=1)

    @field_validator("source")
    @classmethod
    def _real_sources(cls, value: list[str]) -> list[str]:
        return _check_sources(value)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        return _no_controls(value)
