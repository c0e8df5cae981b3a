"""The item the card shows: exactly the one the daemon's validated library holds.

Without any item file in the user's folder the library is the shipped one: the card reads that
one file without pydantic so the window opens fast (every shipped file passes the full
validation in the test suite). As soon as the user's folder holds an item file, the card loads
the library through the daemon's own validating loader (``sitbreak.content.loader``, same
ranges, same precedence): a file the library rejects is never shown and never shadows the
shipped item, and a picture resolves only inside the content and shipped-image folders.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.content.paths import (
    ID_PATTERN,
    IMAGE_PATTERN,
    SAFETY_FILE,
    builtin_content_dir,
    images_dir,
    is_item_file,
    localized_image,
    user_content_dir,
)
from sitbreak.i18n import _, current
from sitbreak.progname import command
from sitbreak.safe_files import UnsafeFile, read_regular_file
from sitbreak.safe_text import clean

if TYPE_CHECKING:
    from sitbreak.content.model import Item

MAX_FILE_BYTES = 64 * 1024


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
    """The library's item with this id: the user's if valid, else the shipped one.

    A rejected user file with a shipped id leaves the shipped item in place, as the library
    does (``warn`` hears about it); a rejected item that exists only in the user's folder fails.
    """
    if not re.fullmatch(ID_PATTERN, item_id):
        raise CardContentError(_("no item {id}; `{command}` shows the ids").format(
            id=clean(repr(item_id), 60), command=command('content', 'list')))
    extra = user_dir if user_dir is not None else user_content_dir()
    if _has_item_files(extra):
        return _pictured(_from_library(item_id, extra, warn))
    shipped = builtin_content_dir() / f"{item_id}.toml"  # shipped ids are their file names
    if not shipped.is_file():
        raise CardContentError(
            _("no item {id}; `{command}` shows the ids").format(
                id=clean(repr(item_id), 60), command=command('content', 'list'))
        )
    data = _read(shipped)
    assert data is not None
    return _pictured(_translated(_item(shipped, data), shipped, warn))


def _pictured(item: CardItem) -> CardItem:
    """The picture in the card's language: its side letters are that language's (G/D in
    French), where the shipped pictures have such a copy."""
    return replace(item, image=localized_image(item.image, current()))


def _has_item_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(is_item_file(p) for p in folder.glob("*.toml"))
    except OSError:
        return False


def _from_library(item_id: str, folder: Path, warn: Callable[[str], None] | None) -> CardItem:
    from sitbreak.content.loader import load_library

    lib = load_library(user=folder)
    item = lib.get(item_id, current())  # in the language in force where it has a translation
    rejected = [p for p in lib.problems if p.path.parent == folder and _raw_id(p.path) == item_id]
    if item is None:
        if rejected:
            raise CardContentError(_("{problem}; run `{command}`").format(
                problem=rejected[0], command=command('content', 'check')))
        raise CardContentError(
            _("no item {id}; `{command}` shows the ids").format(
                id=clean(repr(item_id), 60), command=command('content', 'list'))
        )
    if rejected and warn is not None and lib.files[item_id].parent != folder:
        warn(_("{problem}; run `{command}` (showing the shipped item instead)").format(
            problem=rejected[0], command=command('content', 'check')))
    words = folder / "translations" / current() / f"{item_id}.toml"
    broken = next((p for p in lib.problems if p.path == words), None)
    if broken is not None and warn is not None:  # the loader kept the English text
        warn(_("{problem} (showing the English text)").format(problem=broken))
    return _card_item(item, lib.images[item_id])


def _raw_id(path: Path) -> object:
    data = _read(path, quiet=True)
    return data.get("id") if data is not None else None


def _card_item(item: Item, image: Path) -> CardItem:
    return CardItem(
        id=item.id, title=item.title, steps=tuple(item.steps), cautions=tuple(item.cautions),
        why=item.why, sides=item.sides, hold_s=item.hold_s, reps=item.reps, rest_s=item.rest_s,
        timer_label=_("Hold") if item.timer_label == "Hold" else item.timer_label, image=image,
    )


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
    """``translations/<lang>/<id>.toml`` beside a shipped item, in the language in force (the
    user's items and their translations go through the validating loader instead)."""
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
        return tomllib.loads(read_regular_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnsafeFile, UnicodeDecodeError, RecursionError, ValueError) as exc:
        if quiet:  # someone else's broken file: `sitbreak content check` reports it
            return None
        what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CardContentError(_("{path}: {what}; run `{command}`").format(
            path=clean(path), what=clean(what), command=command('content', 'check'))
                               ) from None


def _item(path: Path, data: dict[str, Any]) -> CardItem:
    g = _Getter(path, data)
    image_name = g.text("image")
    if not re.fullmatch(IMAGE_PATTERN, image_name):
        raise g._fail("image", _("must be a .png file name (no folders)"))
    image = next((p for p in (path.parent / image_name, images_dir() / image_name)
                  if p.is_file()), None)
    if image is None:
        raise CardContentError(_("{path}: image: {name!r} not found").format(
            path=path, name=image_name))
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
        return CardContentError(_("{path}: {key}: {what}; run `{command}`").format(
            path=clean(self.path), key=key, what=what, command=command('content', 'check')))

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
