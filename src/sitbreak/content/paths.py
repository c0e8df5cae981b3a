"""Where the shipped library, its images and the user's own items live."""

from __future__ import annotations

import os
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


def second_side_image(image: Path) -> Path | None:
    """The mirrored picture a two-sided item shows once the timer switches sides: ``NAME.png``
    shows the left side, ``NAME-right.png`` beside it the right (None if there is none)."""
    mirrored = image.with_name(f"{image.stem}-right.png")
    return mirrored if mirrored.is_file() else None


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
