"""``sitbreak content list | show ID | check [DIR]``: the stretch library from the terminal."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitbreak import i18n
from sitbreak.errors import ContentError
from sitbreak.i18n import _, ngettext
from sitbreak.safe_text import clean

if TYPE_CHECKING:
    from sitbreak.content import Item, Library, SafetyCard


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("content", help=_("list, show or check stretch items"))
    parser.add_argument(
        "--dir", type=Path, default=None, metavar="DIR",
        help=_("your own items (default: [content] dir in the config, else the 'content' folder "
               "in sitbreak's config directory)"),
    )
    parser.add_argument("--config", metavar="FILE",
                        help=_("config whose [content] section to apply (default: yours)"))
    sub = parser.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    sub.add_parser("list", help=_("one line per item")).set_defaults(func=_list)
    show = sub.add_parser("show", help=_("print one item (or 'safety') as text"))
    show.add_argument("id")
    show.set_defaults(func=_show)
    check = sub.add_parser("check", help=_("validate item files; one line per broken file"))
    check.add_argument("directory", nargs="?", type=Path, metavar="DIR",
                       help=_("folder to check (default: shipped items and your own)"))
    check.set_defaults(func=_check)


def _content_prefs(args: argparse.Namespace) -> Any:
    """The config's [content] section (``sitbreak.settings``), or None if there is no config
    code; a broken config file is a ConfigError (one line) like everywhere else."""
    try:
        from sitbreak.settings import load_settings, resolve_path
    except ImportError:
        return None
    path = resolve_path(args.config)
    return load_settings(path, must_exist=args.config is not None).content


def _user_dir(args: argparse.Namespace, prefs: Any) -> Path | None:
    if args.dir is not None:
        return Path(args.dir)
    if prefs is not None and prefs.dir:
        return Path(prefs.dir).expanduser()
    return None


def _load(args: argparse.Namespace) -> Library:
    from sitbreak.content import load_library

    return load_library(user=_user_dir(args, _content_prefs(args)))


def _report(lib: Library) -> None:
    for problem in lib.problems:
        print(problem, file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    from sitbreak.content import build_pool, load_library
    from sitbreak.content.model import word
    from sitbreak.content.paths import builtin_content_dir

    prefs = _content_prefs(args)
    lib = load_library(user=_user_dir(args, prefs))
    selection = build_pool(
        lib.items,
        where=prefs.where if prefs is not None else ("desk", "standing"),
        equipment=prefs.equipment if prefs is not None else (),
        favourites=prefs.favourites if prefs is not None else (),
        exclude=prefs.exclude if prefs is not None else (),
    )
    in_use = dict.fromkeys(selection.pool.stretch, "stretch")
    in_use |= dict.fromkeys(selection.pool.posture, "posture")
    builtin = builtin_content_dir()
    language = i18n.current()
    rows = [(("*" if lib.files[i].parent != builtin else " ") + i, word(item.kind),
             word(item.where), ",".join(word(e) for e in item.equipment) or "-", item.dose(),
             word(in_use[i]) if i in in_use else "-", item.title)
            for i, item in ((i, lib.get(i, language) or it) for i, it in lib.items.items())]
    header = (" " + _("id"), _("kind"), _("where"), _("equipment"), _("hold"), _("nudges"),
              _("title"))
    widths = [max(len(r[n]) for r in [header, *rows]) for n in range(6)]
    for row in [header, *rows]:
        print("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=False))
              + "  " + row[6])
    print(_("nudges '-': left out by [content] where/equipment/exclude in your config"))
    if any(lib.files[i].parent != builtin for i in lib.items):
        print(_("(* = your own item)"))
    _report(lib)
    for note in selection.notes:
        print(note, file=sys.stderr)
    return 1 if lib.problems else 0


def _show(args: argparse.Namespace) -> int:
    lib = _load(args)
    if args.id == "safety":
        safety = lib.safety_in(i18n.current())
        if safety is None:
            _report(lib)
            raise ContentError(_("the safety card could not be loaded"))
        print(render_safety(safety))
        return 0
    item = lib.get(args.id, i18n.current())
    if item is None:
        _report(lib)
        from sitbreak.progname import command

        raise ContentError(
            _("no item {id}; `{command}` shows the ids").format(
                id=clean(repr(args.id)), command=command('content', 'list'))
        )
    from sitbreak.content.paths import localized_image

    print(render_item(item, localized_image(lib.images[item.id], i18n.current())))
    return 0


def _check(args: argparse.Namespace) -> int:
    from sitbreak.content import load_dir, load_library

    if args.directory is not None:
        if not args.directory.is_dir():
            raise ContentError(_("{path}: not a directory").format(path=clean(args.directory)))
        lib = load_dir(args.directory)
    else:
        lib = load_library(user=_user_dir(args, _content_prefs(args)))
    _report(lib)
    _note_new_targets(lib)
    broken = len(lib.problems)
    print(ngettext("{count} item OK, {broken} broken", "{count} items OK, {broken} broken",
                   len(lib.items)).format(count=len(lib.items), broken=broken))
    return 1 if broken else 0


def _note_new_targets(lib: Library) -> None:
    """Any muscle or area name is fine; one sitbreak's own items do not use is noted (a typo
    such as "hamstring" shows up here), with the names it knows."""
    from sitbreak.content.model import TARGETS

    for item_id, item in lib.items.items():
        new = [t for t in item.targets if t not in TARGETS]
        if new:
            print(ngettext("{path}: targets: note: {names} is new to sitbreak (fine); it knows: "
                           "{known}", "{path}: targets: note: {names} are new to sitbreak (fine); "
                           "it knows: {known}", len(new)).format(
                path=lib.files[item_id], names=", ".join(map(repr, new)), known=", ".join(TARGETS)))


def render_item(item: Item, image: Path) -> str:
    """Everything the card shows, as plain text (for a screen reader, or a terminal): title,
    why, numbered steps, cautions, the hold timer's sequence, and where help is."""
    from sitbreak.content.model import word
    from sitbreak.content.text import timer_plan
    from sitbreak.progname import command

    wrap = textwrap.TextWrapper(width=78, subsequent_indent="   ")
    lines = [item.title, "=" * len(item.title)]
    gear = ", ".join(word(e) for e in item.equipment) or _("no equipment")
    lines.append(f"{word(item.kind)} · {word(item.where)} · {gear} · {item.dose()}")
    lines.append(_("targets: {muscles}").format(muscles=", ".join(word(t) for t in item.targets)))
    if item.why:
        lines += ["", textwrap.fill(item.why, 78)]
    lines.append("")
    lines += [wrap.fill(f"{n}. {step}") for n, step in enumerate(item.steps, 1)]
    if item.cautions:
        lines += ["", _("Cautions:")]
        lines += [wrap.fill(f" ! {c}") for c in item.cautions]
    lines += ["", textwrap.fill(timer_plan(item) + ".", 78, subsequent_indent="   ")]
    labels = [_("picture:"), _("source:"), _("card:")]
    width = max(len(label) for label in labels) + 1
    values = [str(image), ", ".join(item.source), command("card", item.id)]
    lines += ["", *(f"{label:<{width}}{value}" for label, value in zip(labels, values, strict=True)),
              _("Pain past the knee, numbness or tingling? `{command}`").format(
                  command=command("content", "show", "safety"))]
    return "\n".join(lines)


def render_safety(card: SafetyCard) -> str:
    wrap = textwrap.TextWrapper(width=78, subsequent_indent="   ")
    lines = [card.title, "=" * len(card.title)]
    if card.intro:
        lines += [textwrap.fill(card.intro, 78), ""]
    lines += [wrap.fill(f" - {s}") for s in card.seek_help]
    if card.who:
        lines += ["", textwrap.fill(card.who, 78)]
    if card.while_stretching:
        lines += ["", _("While you stretch:")]
        lines += [wrap.fill(f" - {s}") for s in card.while_stretching]
    lines += ["", card.disclaimer]
    return "\n".join(lines)
