"""The item pool a config asks for: the library filtered by its ``[content]`` section."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sitbreak.content.loader import Library, load_library
from sitbreak.content.selection import Selection, build_pool

if TYPE_CHECKING:
    from sitbreak.settings.model import Content


def selection_for(content: Content, *, with_user: bool = True, seed: int = 0
                  ) -> tuple[Library, Selection]:
    """``with_user``: also the user's own content dir (the daemon); the replay reads it only
    when the named config points ``content.dir`` at one, so its output never depends on you."""
    user = Path(content.dir).expanduser() if content.dir else None
    library = load_library(user=user, with_user=with_user or user is not None)
    selection = build_pool(
        library.items,
        where=content.where,
        equipment=content.equipment,
        favourites=content.favourites,
        exclude=content.exclude,
        avoid_repeat=content.avoid_repeat,
        mix=content.mix.as_tuple(),
        seed=content.seed if content.seed is not None else seed,
    )
    return library, selection
