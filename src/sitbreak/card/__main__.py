"""``python -m sitbreak.card ID`` (or ``--safety``): open the card, print the answer as JSON.

Exit codes: done 0, snooze 10, skip 11, another 12, closed 13; 2 unknown item or bad option;
3 no display. Set SITBREAK_CARD_TIMING=1 to get start-up figures on stderr.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (the start time is taken before anything is imported)
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from sitbreak import i18n  # noqa: E402
from sitbreak.card.answer import (  # noqa: E402
    EXIT_CODES,
    EXIT_NO_DISPLAY,
    EXIT_USAGE,
    CardAnswer,
    answer_line,
)
from sitbreak.i18n import _  # noqa: E402


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sitbreak.card",
                                     description=_("Show one stretch card and report the answer."))
    parser.add_argument("item", nargs="?", help=_("item id (see `sitbreak content list`)"))
    parser.add_argument("--safety", action="store_true", help=_("show the safety card instead"))
    parser.add_argument("--dir", type=Path, default=None, help=_("folder with your own items"))
    parser.add_argument("--hold-scale", type=float, default=1.0, metavar="F",
                        help=_("multiply every hold by F (e.g. 0.1 for a quick demo)"))
    parser.add_argument("--theme", choices=["light", "dark"], default=None)
    args = parser.parse_args(argv)
    if args.item == "safety":  # the daemon opens the safety card by this id
        args.safety, args.item = True, None
    if not args.safety and not args.item:
        parser.error(_("give an item id, or --safety"))
    if not 0 < args.hold_scale <= 10:
        parser.error(_("--hold-scale must be > 0 and <= 10"))
    return args


def _timing(stage: str, marks: dict[str, float]) -> None:
    marks[stage] = (time.perf_counter() - STARTED) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    marks: dict[str, float] = {}
    # the daemon passes its language (ui.language or the locale) as SITBREAK_UI__LANGUAGE
    i18n.setup(os.environ.get(i18n.ENV_OVERRIDE))
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else 0
    from sitbreak.card.quick import CardContentError, find_item, find_safety

    try:
        def warn(message: str) -> None:
            print(_("sitbreak card: {message}").format(message=message), file=sys.stderr)

        item = None if args.safety else find_item(args.item, args.dir, warn)
        safety = find_safety()
    except CardContentError as exc:
        print(_("sitbreak card: {error}").format(error=exc), file=sys.stderr)
        return EXIT_USAGE
    _timing("item", marks)

    try:
        import tkinter as tk

        root = tk.Tk(className="SitbreakCard")
    except Exception as exc:  # ImportError (no tkinter) or TclError (no display)
        print(_("sitbreak card: cannot open a window: {error}").format(error=exc).splitlines()[0],
              file=sys.stderr)
        return EXIT_NO_DISPLAY
    root.withdraw()  # build hidden; map once, on top, without taking the keyboard
    _timing("tk", marks)

    from sitbreak.card import theme
    from sitbreak.card.window import CardWindow, Fonts, render_safety

    palette = theme.pick(root, args.theme)
    result: dict[str, Any] = {}

    def finish(answer: CardAnswer, held_s: float = 0.0, completed: bool = False) -> None:
        result.update(answer=answer, held_s=held_s, completed=completed)
        root.destroy()

    item_id = item.id if item is not None else "safety"
    if item is None:
        render_safety(root, safety, palette, Fonts(root), lambda: finish("closed"))
    else:
        CardWindow(root, item=item, safety=safety, palette=palette, scale=args.hold_scale,
                   on_answer=finish)
    show_without_focus(root)
    _timing("shown", marks)
    if os.environ.get("SITBREAK_CARD_TIMING"):

        def mapped(_e: object) -> None:
            if "mapped" not in marks:
                _timing("mapped", marks)
                print("card timing ms: " + " ".join(f"{k}={v:.0f}" for k, v in marks.items()),
                      file=sys.stderr, flush=True)

        root.bind("<Map>", mapped, add="+")
    root.mainloop()

    answer: CardAnswer = result.get("answer", "closed")
    print(answer_line(answer, item_id, result.get("held_s", 0.0), result.get("completed", False)),
          flush=True)
    return EXIT_CODES[answer]


def show_without_focus(root: Any) -> None:
    """Centre the window, keep it above others, and ask the window manager not to focus it.

    _NET_WM_USER_TIME = 0 on the not-yet-mapped window tells EWMH window managers "this was
    not opened by a user action": they map it without taking the keyboard from the user's
    typing. A click on the card gives it focus as usual.
    """
    root.update_idletasks()
    w, h = root.winfo_reqwidth(), root.winfo_reqheight()
    sw, sh = root.winfo_screenwidth(), root.winfo_screenheight()
    root.geometry(f"+{max(0, (sw - w) // 2)}+{max(0, (sh - h) // 3)}")
    root.attributes("-topmost", True)
    if root.tk.call("tk", "windowingsystem") == "x11":
        _x11_no_focus_on_map(root)
    root.deiconify()
    root.bind_all("<ButtonPress>", lambda _e: _focus_on_click(root), add="+")


def _focus_on_click(root: Any) -> None:
    if root.focus_get() is None:  # the user clicked us: now take the keyboard
        root.focus_force()


def _x11_no_focus_on_map(root: Any) -> None:
    try:
        from Xlib import X, Xatom, display

        d = display.Display()
        try:
            # the property belongs on Tk's wrapper (the inner window's parent), the window the
            # WM manages; `wm frame` names the inner window until the first map
            inner = d.create_resource_object("window", root.winfo_id())
            parent = inner.query_tree().parent
            win = inner if parent.id == d.screen().root.id else parent
            win.change_property(d.intern_atom("_NET_WM_USER_TIME"), Xatom.CARDINAL, 32, [0],
                                X.PropModeReplace)
            d.sync()  # processed before Tk (another connection) maps the window
        finally:
            d.close()
    except Exception:  # optional hint only; the card still opens without it
        return


if __name__ == "__main__":
    raise SystemExit(main())
