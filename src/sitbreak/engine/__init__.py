"""The pure engine: sitting estimator and nudge scheduler (stdlib only, no I/O, no clock)."""

from sitbreak.engine import commands, events
from sitbreak.engine.core import Engine, EngineError
from sitbreak.engine.hours import HoursError, WorkingHours, parse_working_hours
from sitbreak.engine.policy import Policy
from sitbreak.engine.rotation import ItemPool, Rotation

__all__ = [
    "Engine",
    "EngineError",
    "HoursError",
    "ItemPool",
    "Policy",
    "Rotation",
    "WorkingHours",
    "commands",
    "events",
    "parse_working_hours",
]
