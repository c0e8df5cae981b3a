"""A validated config as plain read-only data, for a process that does not keep the validator.

``Snapshot(data)`` answers ``snap.timing.stretch_every`` as the validated model does, from the
model's JSON dump (sections are snapshots, lists come back as fresh lists); snapshots compare
equal when their data do, and ``model_dump()`` gives the data back.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


class Snapshot:
    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", copy.deepcopy(dict(data)))

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(f"no config key {name!r}") from None
        if isinstance(value, dict):
            return Snapshot(value)
        if isinstance(value, list):
            return list(value)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a config snapshot is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and self._data == other._data

    def __hash__(self) -> int:
        return hash(repr(self._data))

    def __repr__(self) -> str:
        return f"Snapshot({self._data!r})"

    def model_dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)
