"""The config validator as a short-lived process: ``python -m sitbreak.settings.check [PATH]``.

Validates the effective config as the daemon would (system-wide files, the user's file PATH,
the environment: ``layers.load_effective``) and prints one JSON line: ``{"ok": {...}, "notes":
[...], "watched": [...]}`` (the settings as plain data, refused changes to locked keys, the
files that can change the result) or ``{"error": "one line"}`` (the ConfigError text).
``--must-exist`` refuses a missing user file; ``--defaults`` prints the defaults (how
``data/settings-defaults.json`` is made). The daemon runs this instead of importing
pydantic-settings itself (``settings.resident``), so the validator is never resident.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def validated(path: Path | None, *, must_exist: bool = False) -> dict[str, Any]:
    from sitbreak.errors import ConfigError
    from sitbreak.settings.layers import load_effective

    try:
        effective = load_effective(path, must_exist=must_exist)
    except ConfigError as exc:
        return {"error": str(exc)}
    return {
        "ok": effective.settings.model_dump(mode="json"),
        "notes": list(effective.notes),
        "watched": [str(p) for p in effective.watched],
    }


def defaults() -> dict[str, Any]:
    from sitbreak.settings.model import Settings

    Settings.use_env = False
    try:
        return Settings().model_dump(mode="json")
    finally:
        Settings.use_env = True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitbreak.settings.check")
    ap.add_argument("path", nargs="?", type=Path)
    ap.add_argument("--must-exist", action="store_true")
    ap.add_argument("--defaults", action="store_true")
    args = ap.parse_args(argv)
    if args.defaults:
        print(json.dumps(defaults(), indent=2, sort_keys=True))
        return 0
    sys.stdout.write(json.dumps(validated(args.path, must_exist=args.must_exist),
                                sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
