"""``sitbreak config init|path|check|show``."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from sitbreak.errors import ConfigError
from sitbreak.i18n import _


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("config", help=_("write, locate or check the config"))
    def _help(_args: argparse.Namespace) -> int:
        p.print_help()
        return 0

    p.set_defaults(func=_help)
    csub = p.add_subparsers(dest="config_command", metavar="ACTION")
    init = csub.add_parser("init", help=_("write the documented default config for you to edit"))
    init.add_argument("path", nargs="?", help=_("where to write it (default: the config path)"))
    init.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    init.set_defaults(func=_init)
    path = csub.add_parser("path", help=_("print where the config file lives"))
    path.add_argument("--config", help=_("as sitbreak run would be given it"))
    path.set_defaults(func=_path)
    check = csub.add_parser(
        "check", help=_("validate a config file (default: yours, merged with the system-wide one)")
    )
    check.add_argument("path", nargs="?", help=_("file to check on its own"))
    check.add_argument(
        "--system", action="store_true", help=_("check the system-wide file(s) (administrators)")
    )
    check.set_defaults(func=_check)
    show = csub.add_parser(
        "show", help=_("the config in force and where each value comes from (default/system/user/env)")
    )
    show.add_argument("--config", help=_("as sitbreak run would be given it"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    show.set_defaults(func=_show)


def shipped_config() -> str:
    return resources.files("sitbreak").joinpath("data/sitbreak.toml").read_text(encoding="utf-8")


def _init(args: argparse.Namespace) -> int:
    from sitbreak.settings import resolve_path

    target = Path(args.path) if args.path else resolve_path()
    if target.exists() and not args.force:
        raise ConfigError(_("{path}: already exists (use --force to overwrite)").format(
            path=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shipped_config(), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(_("{path}: cannot write ({error})").format(
            path=target, error=exc.strerror)) from None
    print(_("wrote {path}").format(path=target))
    return 0


def _path(args: argparse.Namespace) -> int:
    from sitbreak.settings import resolve_path

    print(resolve_path(args.config))
    return 0


def _check(args: argparse.Namespace) -> int:
    from sitbreak.safe_text import clean
    from sitbreak.settings import load, resolve_path
    from sitbreak.settings.layers import load_effective, system_paths

    if args.system:
        load_effective(None, use_env=False)
        present = [p for p in system_paths() if p.is_file()]
        for p in present:
            print(_("{path}: ok").format(path=clean(p)))
        if not present:
            print(_("no system-wide config ({path}); the defaults are in force").format(
                path=system_paths()[0]))
        return 0
    if args.path:
        load(Path(args.path), must_exist=True, use_env=False)
        print(_("{path}: ok").format(path=clean(args.path)))
        return 0
    target = resolve_path()
    effective = load_effective(target)  # the environment's overrides are checked too
    if target.exists() or target.is_symlink():
        print(_("{path}: ok").format(path=clean(target)), file=sys.stdout)
    else:
        print(_("{path}: no config file; the defaults are in force").format(path=clean(target)))
    for note in effective.notes:
        print(_("not applied: {problem}").format(problem=clean(note, 600)))
    return 0


def _show(args: argparse.Namespace) -> int:
    import json

    from sitbreak.settings import resolve_path
    from sitbreak.settings.layers import load_effective, shown, system_paths

    user = resolve_path(args.config)
    effective = load_effective(user, must_exist=bool(args.config))
    values = effective.settings.model_dump()
    if args.json:
        out = {
            f"{section}.{key}": {
                "value": value,
                "from": effective.origins.get(f"{section}.{key}", "default"),
                "locked": f"{section}.{key}" in effective.locked,
            }
            for section, body in values.items()
            for key, value in body.items()
        }
        print(json.dumps({"values": out, "not_applied": list(effective.notes)}, indent=2))
        return 0
    def state(path: Path) -> str:
        return _("present") if path.is_file() else _("absent")

    systems = ", ".join(f"{p} ({state(p)})" for p in system_paths())
    lines = [
        "# " + _("the config in force: defaults < system-wide file < your file < environment"),
        "# " + _("system-wide: {files}").format(files=systems),
        "# " + _("your file: {file}").format(file=f"{user} ({state(user)})"),
    ]
    for section, body in values.items():
        lines += ["", f"[{section}]"]
        for key, value in body.items():
            dotted = f"{section}.{key}"
            origin = effective.origins.get(dotted, "default")
            if dotted in effective.locked:
                origin += ", locked"
            if value is None:
                lines.append(f"# {key} unset  # {origin}")
            else:
                lines.append(f"{key} = {shown(dotted, value)}  # {origin}")
    if effective.notes:
        lines.append("")
        lines += ["# " + _("not applied: {problem}").format(problem=note)
                  for note in effective.notes]
    print("\n".join(lines))
    return 0
