"""``sitbreak config init|path|check``."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from sitbreak.errors import ConfigError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("config", help="write, locate or check the config")
    def _help(_args: argparse.Namespace) -> int:
        p.print_help()
        return 0

    p.set_defaults(func=_help)
    csub = p.add_subparsers(dest="config_command", metavar="ACTION")
    init = csub.add_parser("init", help="write the documented default config for you to edit")
    init.add_argument("path", nargs="?", help="where to write it (default: the config path)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(func=_init)
    path = csub.add_parser("path", help="print where the config file lives")
    path.add_argument("--config", help="as sitbreak run would be given it")
    path.set_defaults(func=_path)
    check = csub.add_parser("check", help="validate a config file (default: yours)")
    check.add_argument("path", nargs="?", help="file to check")
    check.set_defaults(func=_check)


def shipped_config() -> str:
    return resources.files("sitbreak").joinpath("data/sitbreak.toml").read_text(encoding="utf-8")


def _init(args: argparse.Namespace) -> int:
    from sitbreak.settings import resolve_path

    target = Path(args.path) if args.path else resolve_path()
    if target.exists() and not args.force:
        raise ConfigError(f"{target}: already exists (use --force to overwrite)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shipped_config(), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write ({exc.strerror})") from None
    print(f"wrote {target}")
    return 0


def _path(args: argparse.Namespace) -> int:
    from sitbreak.settings import resolve_path

    print(resolve_path(args.config))
    return 0


def _check(args: argparse.Namespace) -> int:
    from sitbreak.safe_text import clean
    from sitbreak.settings import load, resolve_path

    target = Path(args.path) if args.path else resolve_path()
    if not args.path and not target.exists() and not target.is_symlink():
        load(None)  # the environment's overrides still apply: check them
        print(f"{clean(target)}: no config file; the defaults are in force")
        return 0
    load(target, must_exist=True, use_env=args.path is None)
    print(f"{clean(target)}: ok", file=sys.stdout)
    return 0
