"""The content library as plain data, made by the validator: ``python -m sitbreak.content.index``.

``DIR``: prints one JSON line, ``{"items": {id: item}, "translations": {lang: {id: words}},
"problems": ["FILE: field: what"]}``, for the item files in DIR and their translations (as
``loader.load_dir`` reads them). ``--write``: writes
``data/content-index.json``, the shipped library validated in advance, with a SHA-256 of every
item and translation file so that a stale index is noticed (and not used); run it after editing the shipped
items (a test fails until then). The daemon reads that index and asks this module about the
user's own folder only (``content.catalog``), so it never keeps the validator resident.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from sitbreak.content.paths import is_item_file, translation_files

INDEX = Path(__file__).resolve().parent.parent / "data" / "content-index.json"


def item_files(directory: Path) -> list[Path]:
    """The files ``loader.load_dir`` reads as items."""
    try:
        found = sorted(directory.glob("*.toml"))
    except OSError:
        return []
    return [p for p in found if is_item_file(p)]


def source_files(directory: Path) -> list[Path]:
    """Every file the content of ``directory`` is read from: items and their translations."""
    return [*item_files(directory), *(p for _lang, p in translation_files(directory))]


def digest(directory: Path) -> dict[str, str]:
    """File (relative path) → SHA-256 of everything the index was made from."""
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in source_files(directory)}


def dump_dir(directory: Path) -> dict[str, Any]:
    from sitbreak.content.loader import load_dir

    lib = load_dir(directory)
    return {
        "items": {item_id: item.model_dump(mode="json") for item_id, item in lib.items.items()},
        "translations": {
            language: {item_id: text.model_dump(mode="json") for item_id, text in texts.items()}
            for language, texts in lib.translations.items()
        },
        "problems": [str(p) for p in lib.problems],
    }


def shipped_index() -> dict[str, Any]:
    from sitbreak.content.paths import builtin_content_dir

    directory = builtin_content_dir()
    return {"digest": digest(directory), **dump_dir(directory)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitbreak.content.index")
    ap.add_argument("directory", nargs="?", type=Path)
    ap.add_argument("--write", action="store_true", help=f"write {INDEX}")
    args = ap.parse_args(argv)
    if args.write:
        index = shipped_index()
        if index["problems"]:
            print("\n".join(index["problems"]), file=sys.stderr)
            return 1
        INDEX.write_text(json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                         encoding="utf-8")
        print(f"{INDEX}: {len(index['items'])} items")
        return 0
    if args.directory is None:
        ap.error("give a directory, or --write")
    sys.stdout.write(json.dumps(dump_dir(args.directory), sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
