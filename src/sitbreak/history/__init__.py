"""Local, private history: what the user's sitting looked like (times only, never what was typed).

``Recorder`` writes engine commands to SQLite; ``stats``, ``chart`` and ``export`` read it back.
"""

from __future__ import annotations

from sitbreak.history.recorder import Recorder
from sitbreak.history.store import HistoryError, HistoryUnavailable, default_path
from sitbreak.history.timebase import Anchor

__all__ = ["Anchor", "HistoryError", "HistoryUnavailable", "Recorder", "default_path"]
