"""``python -m sitbreak.card ID`` (or ``--safety``; for users: ``sitbreak card ID``): open the
card, print the answer as JSON.

Exit codes: done 0, snooze 10, skip 11, another 12, closed 13 (also on SIGTERM/SIGINT: the
daemon closing it); 2 unknown item or bad option; 3 no display. Set SITBREAK_CARD_TIMING=1 to
get start-up figures on stderr.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (the start time is taken before anything is imported)
import os  # noqa: E402
import signal  # noqa: E402
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
    parser = argparse.ArgumentParser(prog="sitbreak card",
                                     description=_("Show one stretch card and report the answer."))
    parser.add_argument("item", nargs="?", help=_("item id (see `sitbreak content list`)"))
    parser.add_argument("--safety", action="store_true", help=_("show the safety card instead"))
    parser.add_argument("--dir", type=Path, default=None, help=_("folder with your own items"))
    parser.add_argument("--hold-scale", type=float, default=1.0, metavar="F",
                        help=_("multiply every hold by F (e.g. 0.1 for a quick demo)"))
    parser.add_argument("--theme", choices=["auto", "light", "dark"], default="auto",
                        help=_("colours (auto: follow the desktop)"))
    parser.add_argument("--text-scale", type=float, default=1.0, metavar="F",
                        help=_("text size on top of the desktop's text scaling (0.75-2.5)"))
    parser.add_argument("--sound", action=argparse.BooleanOptionalAction, default=True,
                        help=_("a sound at the end of each side and of the hold"))
    parser.add_argument("--focus", action="store_true",
                        help=_("take the keyboard at once (asked for from the keyboard)"))
    args = parser.parse_args(argv)
    if args.item == "safety":  # the daemon opens the safety card by this id
        args.safety, args.item = True, None
    if not args.safety and not args.item:
        parser.error(_("give an item id, or --safety"))
    if not 0 < args.hold_scale <= 10:
        parser.error(_("--hold-scale must be > 0 and <= 10"))
    if not 0.75 <= args.text_scale <= 2.5:
        parser.error(_("--text-scale must be between 0.75 and 2.5"))
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

    from sitbreak.card import desktop_look, theme
    from sitbreak.card.window import CardWindow, Fonts, render_safety

    look = desktop_look.read(root)
    palette = theme.pick(root, args.theme, look)
    text_scale = min(2.5, args.text_scale * look.text_scale)
    wrap_extra = look.wrap_scale / look.text_scale
    result: dict[str, Any] = {}
    window: CardWindow | None = None

    def finish(answer: CardAnswer, held_s: float = 0.0, completed: bool = False) -> None:
        if not result:
            result.update(answer=answer, held_s=held_s, completed=completed)
        root.destroy()

    def stop(_signum: int, _frame: object) -> None:  # the daemon closes the card
        def close() -> None:
            if window is not None:
                window.answer("closed")
            else:
                finish("closed")

        root.after_idle(close)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _keep_signals_flowing(root)
    player = _Player(root) if args.sound else None
    item_id = item.id if item is not None else "safety"
    if item is None:
        render_safety(root, safety, palette, Fonts(root, text_scale, wrap_extra),
                      lambda: finish("closed"))
    else:
        window = CardWindow(root, item=item, safety=safety, palette=palette,
                            scale=args.hold_scale, on_answer=finish, text_scale=text_scale,
                            cue=player.play if player is not None else None,
                            wrap_extra=wrap_extra)
        window.fit_to_screen()
    if args.focus:
        show_with_focus(root)
    else:
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


class _Player:
    """Plays cues without blocking the window; reaps the players as it goes."""

    def __init__(self, root: Any) -> None:
        self._root = root
        self._playing: list[Any] = []

    def play(self, cue: str) -> None:
        from sitbreak.sound import play

        self._playing = [p for p in self._playing if p.poll() is None]
        proc = play(cue)  # type: ignore[arg-type]
        if proc is not None:
            self._playing.append(proc)
        elif os.environ.get("SITBREAK_SOUND_PLAYER") != "none":
            self._root.bell()  # no player here: the X bell at least


def _keep_signals_flowing(root: Any) -> None:
    """Tk waits in C between events: wake up a few times a second so a SIGTERM from the
    daemon is handled at once (Python runs signal handlers only between bytecodes)."""

    def tick() -> None:
        root.after(250, tick)

    root.after(250, tick)


def _centre(root: Any) -> None:
    root.update_idletasks()
    w, h = root.winfo_reqwidth(), root.winfo_reqheight()
    sw, sh = root.winfo_screenwidth(), root.winfo_screenheight()
    root.geometry(f"+{max(0, (sw - w) // 2)}+{max(0, (sh - h) // 3)}")
    root.attributes("-topmost", True)


def show_with_focus(root: Any) -> None:
    """The user asked for this card from the keyboard ("Another one", `sitbreak card`): it
    takes the keyboard at once, so every key works without a click."""
    _centre(root)
    root.deiconify()

    def take(_e: object = None) -> None:
        if root.focus_get() is not None:
            return  # the keyboard is ours already (maybe in the help window: leave it there)
        root.lift()
        root.focus_force()

    root.bind("<Map>", take, add="+")
    root.after(100, take)
    root.after(400, take)  # some window managers map first and focus their own choice after


def show_without_focus(root: Any) -> None:
    """Centre the window, keep it above others, and ask the window manager not to focus it.

    _NET_WM_USER_TIME = 0 on the not-yet-mapped window tells EWMH window managers "this was
    not opened by a user action": they map it without taking the keyboard from the user's
    typing. A click on the card gives it focus as usual.
    """
    _centre(root)
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
