"""Items in other languages: ``translations/<lang>/<id>.toml`` beside the English items.

A translation carries only the words (title, why, timer label, steps, cautions; for the safety
card its texts) and is checked against its English item: the same number of steps and cautions,
the same optional parts, the same placeholders. A broken or stray translation is one problem line
and the English text is shown instead; the English files stay the only source of everything else,
so edits to them merge without touching the translations.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sitbreak.content.model import Item, Line, SafetyCard
from sitbreak.content.paths import TRANSLATIONS_DIR, translation_files
from sitbreak.i18n import _

# re-exported: where translation files are lives in paths (no pydantic there)
__all__ = ["TRANSLATIONS_DIR", "ItemText", "SafetyCardText", "localized", "localized_safety",
           "mismatch", "placeholders", "translation_files"]

TRANSLATED_LANGUAGES: tuple[str, ...] = ("de", "fr", "es")
SAFETY_ID = "safety"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


class ItemText(BaseModel):
    """The words of one item in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    title: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    why: Annotated[str, StringConstraints(max_length=240)] = ""
    timer_label: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    steps: list[Line] = Field(min_length=1, max_length=8)
    cautions: list[Line] = Field(default_factory=list, max_length=4)


class SafetyCardText(BaseModel):
    """The safety card's words in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    title: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    disclaimer: Annotated[str, StringConstraints(min_length=1, max_length=160)]
    intro: str = ""
    seek_help: list[Line] = Field(min_length=1)
    who: str = ""
    while_stretching: list[Line] = Field(default_factory=list)


def placeholders(text: str) -> list[str]:
    """``{name}``, ``%s``, ``%(x)s`` in ``text``, sorted (a translation must keep them all)."""
    return sorted(_PLACEHOLDER.findall(text))


def _fields(model: BaseModel) -> dict[str, Any]:
    return {k: v for k, v in model.model_dump().items() if k in type(model).model_fields}


def mismatch(english: Item | SafetyCard, text: ItemText | SafetyCardText) -> tuple[str, str] | None:
    """(field, what is wrong) when ``text`` does not fit its English original, else None."""
    source = english.model_dump()
    for name, value in _fields(text).items():
        original = source.get(name)
        if name == "timer_label":
            custom = isinstance(english, Item) and english.timer_label != "Hold"
            if custom and value is None:
                return name, _("the English item has its own ({label!r}): translate it too").format(
                    label=original)
            if not custom and value is not None:
                return name, _("the English item has none (the program translates 'Hold')")
            continue
        if isinstance(value, list):
            if len(value) != len(original or []):
                return name, _("{count} line(s) here, {english} in English: translate each "
                               "one").format(count=len(value), english=len(original or []))
            pairs = list(zip(original or [], value, strict=True))
        else:
            if bool(value) != bool(original):
                if value:
                    return name, _("is set here but empty in English")
                return name, _("is empty here but not in English")
            pairs = [(original or "", value or "")]
        for n, (en, tr) in enumerate(pairs, 1):
            if placeholders(en) != placeholders(tr):
                where = _(" line {n}").format(n=n) if isinstance(value, list) else ""
                return name + where, _("placeholders {here} differ from the English {english}"
                                       ).format(here=placeholders(tr), english=placeholders(en))
    return None


def localized(item: Item, text: ItemText | None) -> Item:
    """``item`` with its words replaced by ``text`` (the item itself when there is none)."""
    if text is None:
        return item
    update = {k: v for k, v in _fields(text).items() if v is not None}
    return item.model_copy(update=update)


def localized_safety(card: SafetyCard, text: SafetyCardText | None) -> SafetyCard:
    return card if text is None else card.model_copy(update=_fields(text))
