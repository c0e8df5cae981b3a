"""The config validator as a short-lived process: ``python -m sitbreak.settings.check PATH``.

Prints one JSON line: ``{"ok": {...}}`` (the validated settings, as plain data) or
``{"error": "one line"}`` (the ConfigError text). ``--no-env`` ignores SITBREAK_* variables,
``--must-exist`` refuses a missing file, ``--defaults`` prints the defaults (how
``data/settings-defaults.json`` is made). The daemon runs this instead of importing
pydantic-settings itself (``settings.resident``), so the validator is never resident.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def validated(path: Path | None, *, use_env: bool = True, must_exist: bool = False
              ) -> dict[str, Any]:
    from sitbreak.errors import ConfigError
    from sitbreak.settings.load import load

    try:
        settings = load(path, use_env=use_env, must_exist=must_exist)
    except ConfigError as exc:
        return {"error": str(exc)}
    return {"ok": settings.model_dump(mode="json")}


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
    ap.add_argument("--no-env", action="store_true")
    ap.add_argument("--must-exist", action="store_true")
    ap.add_argument("--defaults", action="store_true")
    args = ap.parse_args(argv)
    if args.defaults:
        print(json.dumps(defaults(), indent=2, sort_keys=True))
        return 0
    result = validated(args.path, use_env=not args.no_env, must_exist=args.must_exist)
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
