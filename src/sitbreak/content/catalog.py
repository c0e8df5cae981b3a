"""The content library for the daemon, without the validator resident (``content.index``).

The shipped items come from ``data/content-index.json``, validated when it was made, used only
while every shipped item file still has the digest it was made from (and no $SITBREAK_ASSETS
points elsewhere); otherwise, and for the user's own folder when it holds item files, a
short-lived ``python -m sitbreak.content.index DIR`` validates them. Items are ``ItemData``:
plain data that answers what ``model.Item`` does.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak.child_json import ChildFailed, ask
from sitbreak.content.index import INDEX, digest, source_files
from sitbreak.content.paths import builtin_content_dir, user_content_dir
from sitbreak.content.plain import ItemData
from sitbreak.content.selection import Selection, build_pool

if TYPE_CHECKING:
    from sitbreak.settings.model import Content

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Catalog:
    items: dict[str, ItemData] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # language -> item id -> its words there (as loader.Library.translations)
    translations: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def get(self, item_id: str, language: str = "en") -> ItemData | None:
        """The item in ``language`` where it has a translation, else in English."""
        item = self.items.get(item_id)
        text = self.translations.get(language, {}).get(item_id)
        if item is None or text is None:
            return item
        words = {k: v for k, v in text.items() if v is not None}
        return ItemData({**item.model_dump(), **words})

    def merge(self, other: Catalog) -> None:
        """``other``'s items replace same-id ones (the user's over the shipped); a replaced
        item loses the shipped translations (they were written for other words)."""
        for texts in self.translations.values():
            for item_id in other.items:
                texts.pop(item_id, None)
        for language, texts in other.translations.items():
            self.translations.setdefault(language, {}).update(texts)
        self.items = dict(sorted({**self.items, **other.items}.items()))
        self.problems += other.problems


def _catalog(answer: dict[str, Any]) -> Catalog:
    items = answer.get("items", {})
    problems = answer.get("problems", [])
    translations = answer.get("translations", {})
    return Catalog(
        {str(k): ItemData(v) for k, v in items.items() if isinstance(v, dict)},
        [str(p) for p in problems],
        {str(lang): {str(k): dict(v) for k, v in texts.items() if isinstance(v, dict)}
         for lang, texts in translations.items() if isinstance(texts, dict)},
    )


def shipped() -> Catalog:
    directory = builtin_content_dir()
    if not os.environ.get("SITBREAK_ASSETS"):
        try:
            index = json.loads(INDEX.read_text(encoding="utf-8"))
            if index.get("digest") == digest(directory):
                return _catalog(index)
            log.info("content index is stale (shipped items changed): validating them now")
        except (OSError, ValueError, AttributeError) as exc:
            log.info("no usable content index (%s): validating the shipped items now", exc)
    return from_dir(directory)


def from_dir(directory: Path) -> Catalog:
    """The item files in ``directory`` (and their translations), validated in a child process."""
    if not source_files(directory):
        return Catalog()
    try:
        return _catalog(ask("sitbreak.content.index", str(directory)))
    except ChildFailed as exc:
        log.warning("content check in a child process failed (%s); checking here", exc)
        from sitbreak.content.index import dump_dir

        return _catalog(dump_dir(directory))


def load(user: Path | None = None, *, with_user: bool = True) -> Catalog:
    """As ``loader.load_library``: the shipped items, the user's folder on top."""
    catalog = shipped()
    if with_user:
        extra = user if user is not None else user_content_dir()
        if extra.is_dir():
            catalog.merge(from_dir(extra))
    return catalog


def selection_for(content: Content, *, seed: int = 0) -> tuple[Catalog, Selection]:
    """As ``for_settings.selection_for`` (with the user's folder), for the daemon."""
    user = Path(content.dir).expanduser() if content.dir else None
    catalog = load(user)
    selection = build_pool(
        catalog.items,  # type: ignore[arg-type]  # ItemData answers what Item does
        where=content.where,
        equipment=content.equipment,
        favourites=content.favourites,
        exclude=content.exclude,
        avoid_repeat=content.avoid_repeat,
        mix=(content.mix.movement, content.mix.stretch),
        seed=content.seed if content.seed is not None else seed,
    )
    return catalog, selection
