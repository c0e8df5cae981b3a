"""macOS idle counter: ``CGEventSourceSecondsSinceLastEventType`` (pyobjc Quartz, imported
lazily; pystray already depends on pyobjc-framework-Quartz on macOS). Not testable on the Linux
CI."""

from __future__ import annotations

import sys
from typing import Any


class QuartzIdle:
    name = "macos-quartz"

    def __init__(self) -> None:
        if sys.platform != "darwin":
            raise RuntimeError("Quartz needs macOS")
        import Quartz

        self._quartz: Any = Quartz
        self.seconds_since_last_input()

    def seconds_since_last_input(self) -> float:
        q = self._quartz
        return float(
            q.CGEventSourceSecondsSinceLastEventType(
                q.kCGEventSourceStateHIDSystemState, q.kCGAnyInputEventType
            )
        )

    def close(self) -> None:
        pass
