"""Where the shipped library, its images and the user's own items live."""

from __future__ import annotations

import os
import re
from pathlib import Path

SAFETY_FILE = "safety.toml"  # reserved name in a content directory: the safety card, not an item
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # item ids (here: the card checks them without pydantic)
IMAGE_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.png$"  # a picture's file name, never a folder


def is_item_file(path: Path) -> bool:
    """A file in a content folder that holds an item (the daemon and the card agree on this)."""
    return path.suffix == ".toml" and path.name != SAFETY_FILE and not path.name.startswith(".")


def assets_dir() -> Path:
    """The shipped assets: $SITBREAK_ASSETS, else package data, else the source checkout."""
    override = os.environ.get("SITBREAK_ASSETS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    # in a checkout data/assets is a symlink to <repo>/assets, so wheels carry the assets
    packaged = here.parent / "data" / "assets"
    if packaged.is_dir():
        return packaged.resolve()
    return here.parents[2] / "assets"  # src/sitbreak/content -> repository root


def builtin_content_dir() -> Path:
    return assets_dir() / "content"


def images_dir() -> Path:
    return assets_dir() / "images"


def user_content_dir() -> Path:
    """Items the user drops here add to (or, by id, replace) the shipped ones."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("sitbreak", appauthor=False)) / "content"  # beside sitbreak.toml


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_BYTES = 4 * 1024 * 1024  # a card picture is about 20 KiB


def is_png_file(path: Path) -> bool:
    """A regular PNG file, opened without following a symlink (as every content file is)."""
    from sitbreak.safe_files import UnsafeFile, read_regular_file

    try:
        return read_regular_file(path, MAX_IMAGE_BYTES)[: len(PNG_MAGIC)] == PNG_MAGIC
    except (OSError, UnsafeFile):
        return False


def localized_image(image: Path, language: str) -> Path:
    """The picture for a card in ``language``. A shipped picture whose side marker spells the
    side with a letter has a copy in ``images/<lang>/`` where that language's letters differ
    from English (French G/D, Spanish I/D; made by assets/images/make_images.py); every other
    picture, and every picture the user brought, is shown as it is. Its ``NAME-right.png``
    (``second_side_image``) is beside the copy."""
    shipped = images_dir()
    if image.parent != shipped or language == "en" or not re.fullmatch(r"[a-z]{2}", language):
        return image
    copy = shipped / language / image.name
    return copy if is_png_file(copy) else image


def second_side_image(image: Path) -> Path | None:
    """The mirrored picture a two-sided item shows once the timer switches sides: ``NAME.png``
    shows the left side, ``NAME-right.png`` beside it the right (None if there is none)."""
    mirrored = image.with_name(f"{image.stem}-right.png")
    return mirrored if is_png_file(mirrored) else None


TRANSLATIONS_DIR = "translations"


def translation_files(directory: Path) -> list[tuple[str, Path]]:
    """(language, file) for every ``translations/<lang>/*.toml`` under a content directory."""
    base = directory / TRANSLATIONS_DIR
    if not base.is_dir():
        return []
    out: list[tuple[str, Path]] = []
    for lang_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        out += [(lang_dir.name, p) for p in sorted(lang_dir.glob("*.toml"))
                if not p.name.startswith(".")]
    return out
