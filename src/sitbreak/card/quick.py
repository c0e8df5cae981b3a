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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.content.paths import (
    ID_PATTERN,
    IMAGE_PATTERN,
    SAFETY_FILE,
    builtin_content_dir,
    images_dir,
    is_item_file,
    user_content_dir,
)
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
        raise CardContentError(f"no item {clean(repr(item_id), 60)}; "
                               f"`{command('content', 'list')}` shows the ids")
    extra = user_dir if user_dir is not None else user_content_dir()
    if _has_item_files(extra):
        return _from_library(item_id, extra, warn)
    shipped = builtin_content_dir() / f"{item_id}.toml"  # shipped ids are their file names
    if not shipped.is_file():
        raise CardContentError(
            f"no item {clean(repr(item_id), 60)}; `{command('content', 'list')}` shows the ids"
        )
    data = _read(shipped)
    assert data is not None
    return _item(shipped, data)


def _has_item_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(is_item_file(p) for p in folder.glob("*.toml"))
    except OSError:
        return False


def _from_library(item_id: str, folder: Path, warn: Callable[[str], None] | None) -> CardItem:
    from sitbreak.content.loader import load_library

    lib = load_library(user=folder)
    item = lib.items.get(item_id)
    rejected = [p for p in lib.problems if p.path.parent == folder and _raw_id(p.path) == item_id]
    if item is None:
        if rejected:
            raise CardContentError(f"{rejected[0]}; run `{command('content', 'check')}`")
        raise CardContentError(
            f"no item {clean(repr(item_id), 60)}; `{command('content', 'list')}` shows the ids"
        )
    if rejected and warn is not None and lib.files[item_id].parent != folder:
        warn(f"{rejected[0]}; run `{command('content', 'check')}` (showing the shipped item "
             "instead)")
    return _card_item(item, lib.images[item_id])


def _raw_id(path: Path) -> object:
    data = _read(path, quiet=True)
    return data.get("id") if data is not None else None


def _card_item(item: Item, image: Path) -> CardItem:
    return CardItem(
        id=item.id, title=item.title, steps=tuple(item.steps), cautions=tuple(item.cautions),
        why=item.why, sides=item.sides, hold_s=item.hold_s, reps=item.reps, rest_s=item.rest_s,
        timer_label=item.timer_label, image=image,
    )


def find_safety() -> SafetyText:
    path = builtin_content_dir() / SAFETY_FILE
    if not path.is_file():
        raise CardContentError(f"{path}: the safety card is missing")
    data = _read(path)
    assert data is not None
    g = _Getter(path, data)
    return SafetyText(
        title=g.text("title"), disclaimer=g.text("disclaimer"), intro=g.text("intro", ""),
        seek_help=g.lines("seek_help"), who=g.text("who", ""),
        while_stretching=g.lines("while_stretching", required=False),
    )


def _read(path: Path, *, quiet: bool = False) -> dict[str, Any] | None:
    try:
        return tomllib.loads(read_regular_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnsafeFile, UnicodeDecodeError, RecursionError, ValueError) as exc:
        if quiet:  # someone else's broken file: `sitbreak content check` reports it
            return None
        what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CardContentError(f"{clean(path)}: {clean(what)}; run `{command('content', 'check')}`"
                               ) from None


def _item(path: Path, data: dict[str, Any]) -> CardItem:
    g = _Getter(path, data)
    image_name = g.text("image")
    if not re.fullmatch(IMAGE_PATTERN, image_name):
        raise g._fail("image", "must be a .png file name (no folders)")
    image = next((p for p in (path.parent / image_name, images_dir() / image_name)
                  if p.is_file()), None)
    if image is None:
        raise CardContentError(f"{path}: image: {image_name!r} not found")
    sides = g.number("sides", 1)
    if sides not in (1, 2):
        raise CardContentError(f"{path}: sides: must be 1 or 2")
    return CardItem(
        id=g.text("id"), title=g.text("title"), steps=g.lines("steps"),
        cautions=g.lines("cautions", required=False), why=g.text("why", ""), sides=sides,
        hold_s=g.number("hold_s"), reps=g.number("reps", 1), rest_s=g.number("rest_s", 0, low=0),
        timer_label=g.text("timer_label", "Hold"), image=image,
    )


class _Getter:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def _fail(self, key: str, what: str) -> CardContentError:
        return CardContentError(f"{clean(self.path)}: {key}: {what}; "
                                f"run `{command('content', 'check')}`")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self._fail(key, "needs some text")
        return value.strip()

    def lines(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key, None if required else [])
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        if not ok or (required and not value):
            raise self._fail(key, "needs a list of sentences")
        return tuple(v.strip() for v in value)  # type: ignore[union-attr]

    def number(self, key: str, default: int | None = None, *, low: int = 1) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self._fail(key, f"needs a whole number >= {low}")
        return value
