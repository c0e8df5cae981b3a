"""Read just the one item the card shows, without pydantic, so the window opens fast.

The full validation lives in ``sitbreak.content`` (daemon, ``sitbreak content check``); here a
file that does not have what the card needs gives one line naming the file and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sitbreak.content.paths import SAFETY_FILE, builtin_content_dir, images_dir, user_content_dir
from sitbreak.i18n import _, current


class CardContentError(Exception):
    """One line: what could not be shown and why."""


@dataclass(frozen=True, slots=True)
class CardItem:
    id: str
    title: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    why: str
    sides: int
    hold_s: int
    reps: int
    rest_s: int
    timer_label: str
    image: Path


@dataclass(frozen=True, slots=True)
class SafetyText:
    title: str
    disclaimer: str
    intro: str
    seek_help: tuple[str, ...]
    who: str
    while_stretching: tuple[str, ...]


def find_item(
    item_id: str, user_dir: Path | None = None, warn: Callable[[str], None] | None = None
) -> CardItem:
    """The user's item with this id if there is one, else the shipped one.

    A broken user file with a shipped id falls back to the shipped item, as the library does
    (``warn`` hears about it); a broken item that exists only in the user's folder fails.
    """
    extra = user_dir if user_dir is not None else user_content_dir()
    broken: CardContentError | None = None
    if extra.is_dir():
        for path in sorted(extra.glob("*.toml")):
            if path.name == SAFETY_FILE:
                continue
            data = _read(path, quiet=True)
            if data is not None and data.get("id") == item_id:
                try:
                    return _translated(_item(path, data), path, warn)
                except CardContentError as exc:
                    broken = exc
                    break
    shipped = builtin_content_dir() / f"{item_id}.toml"  # shipped ids are their file names
    if not shipped.is_file():
        if broken is not None:
            raise broken
        raise CardContentError(
            _("no item {id}; `sitbreak content list` shows the ids").format(id=repr(item_id)))
    if broken is not None and warn is not None:
        warn(_("{problem} (showing the shipped item instead)").format(problem=broken))
    data = _read(shipped)
    assert data is not None
    return _translated(_item(shipped, data), shipped, warn)


def find_safety() -> SafetyText:
    path = builtin_content_dir() / SAFETY_FILE
    if not path.is_file():
        raise CardContentError(_("{path}: the safety card is missing").format(path=path))
    data = _read(path)
    assert data is not None
    english = _safety(path, data)
    words = _translation_of(path, "safety")
    if words is None:
        return english
    try:
        local = _safety(words[0], {**data, **words[1]})
    except CardContentError:
        return english  # `sitbreak content check` names the broken translation
    same_shape = (len(local.seek_help), len(local.while_stretching)) == (
        len(english.seek_help), len(english.while_stretching))
    return local if same_shape else english


def _safety(path: Path, data: dict[str, Any]) -> SafetyText:
    g = _Getter(path, data)
    return SafetyText(
        title=g.text("title"), disclaimer=g.text("disclaimer"), intro=g.text("intro", ""),
        seek_help=g.lines("seek_help"), who=g.text("who", ""),
        while_stretching=g.lines("while_stretching", required=False),
    )


def _translation_of(item_file: Path, item_id: str) -> tuple[Path, dict[str, Any]] | None:
    """``translations/<lang>/<id>.toml`` beside the item, in the language in force."""
    language = current()
    if language == "en":
        return None
    path = item_file.parent / "translations" / language / f"{item_id}.toml"
    if not path.is_file():
        return None
    data = _read(path, quiet=True)
    return None if data is None else (path, data)


def _translated(item: CardItem, item_file: Path, warn: Callable[[str], None] | None) -> CardItem:
    """The item's words in the language in force, if its translation fits (same number of
    steps and cautions); else the English item (and one warning)."""
    words = _translation_of(item_file, item.id)
    if words is None:
        return item
    path, data = words
    g = _Getter(path, data)
    try:
        steps, cautions = g.lines("steps"), g.lines("cautions", required=False)
        if (len(steps), len(cautions)) != (len(item.steps), len(item.cautions)):
            raise g._fail("steps", _("not the same number of lines as in English"))
        label = g.text("timer_label", "") or item.timer_label
        return replace(item, title=g.text("title"), why=g.text("why", "") or item.why,
                       steps=steps, cautions=cautions, timer_label=label)
    except CardContentError as exc:
        if warn is not None:
            warn(_("{problem} (showing the English text)").format(problem=exc))
        return item


def _read(path: Path, *, quiet: bool = False) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if quiet:  # someone else's broken file: `sitbreak content check` reports it
            return None
        raise CardContentError(_("{path}: {error}; run `sitbreak content check`").format(
            path=path, error=exc)) from exc


def _item(path: Path, data: dict[str, Any]) -> CardItem:
    g = _Getter(path, data)
    image_name = g.text("image")
    image = next((p for p in (path.parent / image_name, images_dir() / image_name)
                  if p.is_file()), None)
    if image is None:
        raise CardContentError(_("{path}: image: {name} not found").format(
            path=path, name=repr(image_name)))
    sides = g.number("sides", 1)
    if sides not in (1, 2):
        raise CardContentError(_("{path}: sides: must be 1 or 2").format(path=path))
    return CardItem(
        id=g.text("id"), title=g.text("title"), steps=g.lines("steps"),
        cautions=g.lines("cautions", required=False), why=g.text("why", ""), sides=sides,
        hold_s=g.number("hold_s"), reps=g.number("reps", 1), rest_s=g.number("rest_s", 0, low=0),
        timer_label=g.text("timer_label", "") or _("Hold"), image=image,
    )


class _Getter:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def _fail(self, key: str, what: str) -> CardContentError:
        return CardContentError(_("{path}: {key}: {problem}; run `sitbreak content check`").format(
            path=self.path, key=key, problem=what))

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self._fail(key, _("needs some text"))
        return value.strip()

    def lines(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key, None if required else [])
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        if not ok or (required and not value):
            raise self._fail(key, _("needs a list of sentences"))
        return tuple(v.strip() for v in value)  # type: ignore[union-attr]

    def number(self, key: str, default: int | None = None, *, low: int = 1) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self._fail(key, _("needs a whole number >= {low}").format(low=low))
        return value
