"""Load the item library: shipped items plus the user's own, each broken file in one line.

A broken file never stops the others: it becomes a ``Problem`` ("FILE: field: what is wrong")
and is skipped. User items with the id of a shipped item replace it; a rejected one never does.
Files are read through ``safe_files`` (no symlink, regular files only, size cap), so a FIFO, a
device or a huge file in the user's folder is one line, not a hang. Pictures resolve only to a
file directly inside the item's folder or the shipped images folder.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sitbreak import validation_text
from sitbreak.content.model import Item, SafetyCard
from sitbreak.content.paths import (
    MAX_IMAGE_BYTES,
    PNG_MAGIC,
    SAFETY_FILE,
    builtin_content_dir,
    images_dir,
    is_item_file,
    user_content_dir,
)
from sitbreak.content.translations import (
    SAFETY_ID,
    TRANSLATED_LANGUAGES,
    ItemText,
    SafetyCardText,
    localized,
    localized_safety,
    mismatch,
    translation_files,
)
from sitbreak.i18n import _, ngettext
from sitbreak.safe_files import UnsafeFile, read_regular_file
from sitbreak.safe_text import clean

MAX_ITEM_BYTES = 64 * 1024  # an item file is about 1 KiB
MAX_FILES = 1000  # item files read from one folder
M = TypeVar("M", bound=BaseModel)
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken file: printed as exactly one line."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{clean(self.path)}: {clean(self.field, 80)}: {clean(self.message, 300)}"


@dataclass(slots=True)
class Library:
    items: dict[str, Item] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # id -> the file it came from
    images: dict[str, Path] = field(default_factory=dict)  # id -> resolved PNG
    problems: list[Problem] = field(default_factory=list)
    safety: SafetyCard | None = None
    # language -> item id -> its words there (translations/<lang>/<id>.toml)
    translations: dict[str, dict[str, ItemText]] = field(default_factory=dict)
    safety_translations: dict[str, SafetyCardText] = field(default_factory=dict)

    def get(self, item_id: str, language: str = "en") -> Item | None:
        """The item in ``language`` where it has a translation, else in English."""
        item = self.items.get(item_id)
        if item is None:
            return None
        return localized(item, self.translations.get(language, {}).get(item_id))

    def safety_in(self, language: str) -> SafetyCard | None:
        if self.safety is None:
            return None
        return localized_safety(self.safety, self.safety_translations.get(language))

    def merge(self, other: Library) -> None:
        """Add ``other``'s items, replacing same-id ones (user items override shipped ones).
        A replaced item loses the shipped translations: they were written for other words."""
        for texts in self.translations.values():
            for item_id in other.items:
                texts.pop(item_id, None)
        for language, texts in other.translations.items():
            self.translations.setdefault(language, {}).update(texts)
        self.items.update(other.items)
        self.files.update(other.files)
        self.images.update(other.images)
        self.problems.extend(other.problems)
        self.items = dict(sorted(self.items.items()))


def load_dir(directory: Path) -> Library:
    """Every ``*.toml`` item in ``directory`` (not recursive; the safety card is skipped)."""
    lib = Library()
    if not directory.is_dir():
        lib.problems.append(Problem(directory, "directory", _("not found")))
        return lib
    paths = [p for p in sorted(directory.glob("*.toml")) if is_item_file(p)]
    if len(paths) > MAX_FILES:
        lib.problems.append(Problem(directory, "directory", _(
            "{count} item files; only the first {limit} (by name) are read").format(
                count=len(paths), limit=MAX_FILES)))
    for path in paths[:MAX_FILES]:
        item, problem = _load_item(path)
        if item is None:
            lib.problems.append(problem or Problem(path, "file", _("could not be loaded")))
            continue
        if item.id in lib.items:
            first = lib.files[item.id].name
            lib.problems.append(Problem(path, "id", _("{id!r} is already used by {first}").format(
                id=item.id, first=first)))
            continue
        image, problem = _find_image(path, item.image)
        if image is None:
            lib.problems.append(problem or Problem(path, "image", _("not found")))
            continue
        lib.items[item.id] = item
        lib.files[item.id] = path
        lib.images[item.id] = image
    _load_translations(directory, lib)
    return lib


def _load_translations(directory: Path, lib: Library, *, safety_only: bool = False) -> None:
    """``translations/<lang>/<id>.toml``: each checked against its English item (or the safety
    card, once that is loaded); a broken one is a problem line and English is shown instead."""
    for language, path in translation_files(directory):
        is_safety = path.stem == SAFETY_ID
        if is_safety != safety_only:
            continue
        if language not in TRANSLATED_LANGUAGES:
            lib.problems.append(Problem(path, "language", _(
                "{language!r} is not one of {languages}").format(
                    language=language, languages=", ".join(TRANSLATED_LANGUAGES))))
            continue
        english: Item | SafetyCard | None = lib.safety if is_safety else lib.items.get(path.stem)
        if english is None:
            what = (_("the safety card") if is_safety
                    else _("no item with the id {id!r}").format(id=path.stem))
            lib.problems.append(Problem(path, "file", _(
                "translates {what}, which is not in {directory}").format(what=what,
                                                                          directory=directory)))
            continue
        data, problem = _read_toml(path)
        text: ItemText | SafetyCardText | None = None
        if problem is None:
            model: type[ItemText] | type[SafetyCardText] = (
                SafetyCardText if is_safety else ItemText)
            text, problem = _validate(model, data, path)
        if problem is None and text is not None:
            wrong = mismatch(english, text)
            if wrong is not None:
                problem = Problem(path, *wrong)
        if problem is not None or text is None:
            lib.problems.append(problem or Problem(path, "file", _("could not be loaded")))
        elif isinstance(text, SafetyCardText):
            lib.safety_translations[language] = text
        else:
            lib.translations.setdefault(language, {})[path.stem] = text


def load_library(
    builtin: Path | None = None, user: Path | None = None, *, with_user: bool = True
) -> Library:
    """Shipped items, then the user's content dir on top (if it exists), plus the safety card."""
    base = builtin if builtin is not None else builtin_content_dir()
    lib = load_dir(base)
    lib.safety, problem = load_safety(base / SAFETY_FILE)
    if problem is not None:
        lib.problems.append(problem)
    _load_translations(base, lib, safety_only=True)
    if with_user:
        extra_dir = user if user is not None else user_content_dir()
        if extra_dir.is_dir():
            lib.merge(load_dir(extra_dir))
    return lib


def load_safety(path: Path) -> tuple[SafetyCard | None, Problem | None]:
    data, problem = _read_toml(path)
    if problem is not None:
        return None, problem
    return _validate(SafetyCard, data, path)


def _load_item(path: Path) -> tuple[Item | None, Problem | None]:
    data, problem = _read_toml(path)
    if problem is not None:
        return None, problem
    return _validate(Item, data, path)


def _read_toml(path: Path) -> tuple[dict[str, Any], Problem | None]:
    try:
        raw = read_regular_file(path, MAX_ITEM_BYTES)
    except UnsafeFile as exc:  # a symlink, FIFO, device, directory or a huge file
        return {}, Problem(path, "file", str(exc).removeprefix(f"{clean(path)}: "))
    except OSError as exc:
        return {}, Problem(path, "file", _("cannot read: {error}").format(error=exc.strerror or exc))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return {}, Problem(path, f"line {line}", _("not UTF-8 text (byte {start})").format(start=exc.start))
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.match(message)
        if where:
            spot = f"line {where['line']}, column {where['col']}"
            return {}, Problem(path, spot, _("invalid TOML: {msg}").format(msg=where['msg']))
        return {}, Problem(path, "file", _("invalid TOML: {message}").format(message=message))
    except RecursionError:
        return {}, Problem(path, "file", _("arrays or tables nested too deeply"))
    except ValueError:  # an integer of thousands of digits
        return {}, Problem(path, "file", _("a number with thousands of digits"))


def _validate(
    model: type[M], data: dict[str, Any], path: Path
) -> tuple[M | None, Problem | None]:
    try:
        return model.model_validate(data), None
    except RecursionError:
        return None, Problem(path, "file", _("arrays or tables nested too deeply"))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        message = _describe(model, first)
        if len(errors) > 1:
            more = len(errors) - 1
            message += ngettext(" (and {count} more problem)", " (and {count} more problems)",
                                more).format(count=more)
        return None, Problem(path, _field_name(first["loc"]), message)


def _field_name(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return "file"
    name = str(loc[0])
    for part in loc[1:]:
        name += f" item {part + 1}" if isinstance(part, int) else f".{part}"
    return name


def _describe(model: type[BaseModel], error: Any) -> str:
    kind: str = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    field_name = str(error["loc"][0]) if error["loc"] else ""
    if kind == "missing":
        return _("required field is missing")
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field_name, list(model.model_fields), n=1)
        hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
        return _("unknown field{hint}").format(hint=hint)
    if kind == "literal_error":
        return _("{value!r} is not one of: {expected}").format(value=value,
                                                               expected=ctx.get("expected", ""))
    if kind == "too_short" and value in ([], ""):
        return _("must not be empty")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_pattern_mismatch":
        if field_name == "id":
            return _("{value!r} must be lowercase words joined by '-' (e.g. "
                     "'seated-figure-four')").format(value=value)
        if field_name == "image":
            return _("{value!r} must be a .png file name (no folders)").format(value=value)
        if field_name == "targets":
            return (_("{value!r} must be a muscle or body area in words (letters, spaces, "
              "'-'; e.g. 'calves', 'hip flexors')").format(value=value))
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "model_type":
        return _("expected a table of fields")
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return _("{problem} (got {value})").format(problem=validation_text.message(error),
                                               value=shown)


def _find_image(item_file: Path, name: str) -> tuple[Path | None, Problem | None]:
    """An item's picture: next to its file first, else among the shipped images. Only a plain
    file name is looked up (the model refuses folders; this is the second lock on that door),
    and only a regular PNG file that is not a symlink is accepted."""
    if "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        return None, Problem(item_file, "image", _("{name!r} must be a .png file name (no folders)").format(
            name=name))
    folders = [item_file.parent, images_dir()]
    candidates = [folder / name for folder in folders]
    found = next((p for p in candidates if os.path.lexists(p)), None)
    if found is None:
        where = " or ".join(str(f) for f in folders)
        return None, Problem(item_file, "image", _("{name!r} not found in {where}").format(
            name=name, where=where))
    try:
        head = read_regular_file(found, MAX_IMAGE_BYTES)[: len(PNG_MAGIC)]
    except UnsafeFile as exc:
        return None, Problem(item_file, "image", str(exc))
    except OSError as exc:
        return None, Problem(item_file, "image", _("cannot read {found}: {error}").format(
            found=found, error=exc.strerror or exc))
    if head != PNG_MAGIC:
        return None, Problem(item_file, "image", _("{found} is not a PNG image").format(found=found))
    return found, None
