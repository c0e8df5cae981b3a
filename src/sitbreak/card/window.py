"""The Tk stretch card: title, picture, numbered steps, cautions, hold timer, answer buttons.

Keys: Space start/pause, Enter done, S snooze, K skip, N another, ? safety card, Esc close.
The window stays on top but does not take the keyboard until the user clicks it. Text sizes
follow ``text_scale`` (the config's times the desktop's); the end of a side and of the whole hold
are heard through ``cue`` (else the terminal bell).
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import font as tkfont

from sitbreak.card.answer import CardAnswer
from sitbreak.card.quick import CardItem, SafetyText
from sitbreak.card.theme import Palette
from sitbreak.card.timer import HoldTimer, build_phases
from sitbreak.content.paths import second_side_image
from sitbreak.i18n import _

TICK_MS = 100
FLASH_MS = 700
STEP_WRAP = 500


# text sizes in points at 100 %
FONT_SIZES: dict[str, int] = {"title": 22, "body": 15, "small": 13, "italic": 13, "timer": 40,
                              "hint": 14, "button": 14, "link": 14}


class Fonts:
    def __init__(self, root: tk.Misc, scale: float = 1.0, wrap_extra: float = 1.0) -> None:
        family = tkfont.nametofont("TkDefaultFont", root=root).actual("family")
        self.scale = scale
        self.wrap_extra = wrap_extra  # text the toolkit scales itself (Xft.dpi) needs room too
        self.title = tkfont.Font(root=root, family=family, weight="bold")
        self.body = tkfont.Font(root=root, family=family)
        self.small = tkfont.Font(root=root, family=family)
        self.italic = tkfont.Font(root=root, family=family, slant="italic")
        self.timer = tkfont.Font(root=root, family=family, weight="bold")
        self.hint = tkfont.Font(root=root, family=family)
        self.button = tkfont.Font(root=root, family=family)
        self.link = tkfont.Font(root=root, family=family, underline=True)
        self.rescale(scale)

    def rescale(self, scale: float) -> None:
        """Every text on the card follows (Tk fonts are live)."""
        self.scale = scale
        for name, points in FONT_SIZES.items():
            getattr(self, name).configure(size=max(8, round(points * scale)))

    def wrap(self, pixels: int) -> int:
        return round(pixels * self.scale * self.wrap_extra)


class CardWindow:
    def __init__(
        self,
        root: tk.Tk,
        *,
        item: CardItem,
        safety: SafetyText | None,
        palette: Palette,
        scale: float,
        on_answer: Callable[[CardAnswer, float, bool], None],
        text_scale: float = 1.0,
        cue: Callable[[str], None] | None = None,
        wrap_extra: float = 1.0,
    ) -> None:
        self.root, self.item, self.safety, self.p = root, item, safety, palette
        self.on_answer = on_answer
        self.timer = HoldTimer(build_phases(item, scale))
        self.fonts = Fonts(root, text_scale, wrap_extra)
        self._cue = cue
        self._last_tick = time.monotonic()
        self._answered = False
        self._safety_win: tk.Toplevel | None = None
        self._photo = load_picture(root, item.image, palette)
        self._shown_side = 0
        self._halved = False  # the picture was shrunk to fit the screen (so is the mirrored one)
        self._build()
        self._bind_keys()
        self._refresh()
        root.after(TICK_MS, self._tick)

    # ---- layout -------------------------------------------------------------------------------

    def _label(self, parent: tk.Misc, text: str, font: tkfont.Font, fg: str | None = None,
               bg: str | None = None, **kw: object) -> tk.Label:
        return tk.Label(parent, text=text, font=font, fg=fg or self.p.fg, bg=bg or self.p.bg,
                        justify="left", anchor="w", **kw)  # type: ignore[arg-type]

    def _build(self) -> None:
        p, f, item = self.p, self.fonts, self.item
        root = self.root
        root.configure(bg=p.bg, padx=24, pady=18)
        self._label(root, item.title, f.title).grid(row=0, column=0, columnspan=2, sticky="w")
        if item.why:
            self._label(root, item.why, f.italic, fg=p.muted, wraplength=f.wrap(840)).grid(
                row=1, column=0, columnspan=2, sticky="w", pady=(2, 0))

        shown: dict[str, object] = (
            {"image": self._photo} if self._photo is not None
            else {"text": _("(picture missing)"), "width": 26, "height": 12, "fg": "#55616d"})
        picture = tk.Label(root, bg=p.panel if p.dark else "#ffffff", bd=0, highlightthickness=1,
                           highlightbackground=p.button, **shown)  # type: ignore[arg-type]
        self.picture = picture
        picture.grid(row=2, column=0, sticky="nw", pady=(14, 0), padx=(0, 22))

        text = tk.Frame(root, bg=p.bg)
        text.grid(row=2, column=1, sticky="nw", pady=(14, 0))
        for n, step in enumerate(item.steps, 1):
            row = tk.Frame(text, bg=p.bg)
            row.pack(anchor="w", fill="x", pady=3)
            self._label(row, f"{n}.", f.body, fg=p.muted, width=2).pack(side="left", anchor="n")
            self._label(row, step, f.body, wraplength=f.wrap(STEP_WRAP)).pack(side="left",
                                                                             anchor="w")
        for caution in item.cautions:
            self._label(text, f"⚠  {caution}", f.small, fg=p.caution,
                        wraplength=f.wrap(STEP_WRAP + 30)).pack(anchor="w", pady=(8, 0))

        self.panel = tk.Frame(root, bg=p.panel, padx=16, pady=10)
        self.panel.grid(row=3, column=0, columnspan=2, sticky="ew", pady=(16, 10))
        # fixed width: the window must not jump when "Switch: right side" appears (as wide as
        # the longest phase in this language, plus its seconds)
        longest = max((len(ph.label) for ph in self.timer.phases), default=0) + 6
        self.headline = tk.Label(self.panel, font=f.timer, bg=p.panel, fg=p.fg,
                                 width=max(24, longest))
        self.headline.pack()
        self.hint = tk.Label(self.panel, font=f.hint, bg=p.panel, fg=p.muted)
        self.hint.pack()

        bar = tk.Frame(root, bg=p.bg)
        bar.grid(row=4, column=0, columnspan=2, sticky="ew")
        self.start_btn = self._button(bar, _("Start (Space)"), self.toggle, primary=True)
        self._button(bar, _("Done (Enter)"), lambda: self.answer("done"))
        self._button(bar, _("Snooze (S)"), lambda: self.answer("snooze"))
        self._button(bar, _("Skip (K)"), lambda: self.answer("skip"))
        self._button(bar, _("Another one (N)"), lambda: self.answer("another"))
        link = tk.Label(bar, text=_("When to get help (?)"), font=f.link, fg=p.link, bg=p.bg,
                        cursor="hand2")
        link.pack(side="right")
        link.bind("<Button-1>", lambda _e: self.show_safety())
        root.columnconfigure(1, weight=1)

    def fit_to_screen(self) -> None:
        """Large text must not push the card off the screen: the picture shrinks first, then
        the text, just enough to fit."""
        root = self.root
        width = root.winfo_screenwidth() - 40
        height = root.winfo_screenheight() - 60

        def too_big() -> bool:
            root.update_idletasks()
            return bool(root.winfo_reqwidth() > width or root.winfo_reqheight() > height)

        if too_big() and self._photo is not None:
            self._halved = True
            self._photo = self._photo.subsample(2)
            self.picture.configure(image=self._photo)
        while too_big() and self.fonts.scale > 0.8:
            self.fonts.rescale(self.fonts.scale * 0.92)

    def _button(self, parent: tk.Misc, text: str, command: Callable[[], None],
                primary: bool = False) -> tk.Button:
        p = self.p
        bg, fg = (p.accent, p.accent_fg) if primary else (p.button, p.fg)
        btn = tk.Button(parent, text=text, command=command, font=self.fonts.button, bg=bg, fg=fg,
                        activebackground=bg, activeforeground=fg, relief="flat", bd=0,
                        padx=14, pady=8, takefocus=0, highlightthickness=0, cursor="hand2")
        btn.pack(side="left", padx=(0, 10))
        return btn

    def _bind_keys(self) -> None:
        r = self.root
        # Bound on the toplevel only (the safety window has its own Esc); buttons take no
        # focus, so a key never fires twice.
        for seq, action in (
            ("<space>", self.toggle),
            ("<Return>", lambda: self.answer("done")),
            ("<KP_Enter>", lambda: self.answer("done")),
            ("<Escape>", lambda: self.answer("closed")),
            ("<Key-n>", lambda: self.answer("another")),
            ("<Key-N>", lambda: self.answer("another")),
            ("<Key-s>", lambda: self.answer("snooze")),
            ("<Key-S>", lambda: self.answer("snooze")),
            ("<Key-k>", lambda: self.answer("skip")),
            ("<Key-K>", lambda: self.answer("skip")),
            ("<question>", self.show_safety),
            ("<F1>", self.show_safety),
        ):
            r.bind(seq, lambda _e, a=action: a())  # type: ignore[misc]
        r.protocol("WM_DELETE_WINDOW", lambda: self.answer("closed"))

    # ---- behaviour ----------------------------------------------------------------------------

    def toggle(self) -> None:
        self._last_tick = time.monotonic()
        self.timer.toggle()
        self._refresh()

    def answer(self, answer: CardAnswer) -> None:
        if self._answered:
            return
        self._answered = True
        self.on_answer(answer, self.timer.held_s, self.timer.done)

    def _tick(self) -> None:
        now = time.monotonic()
        finished = self.timer.advance(now - self._last_tick)
        self._last_tick = now
        if any(ph.kind == "hold" for ph in finished):
            self._flash("done" if self.timer.done else "switch")
        if finished or self.timer.running:
            self._refresh()
        self.root.after(TICK_MS, self._tick)

    def _load(self, path: Path) -> tk.PhotoImage | None:
        photo = load_picture(self.root, path, self.p)
        return photo.subsample(2) if photo is not None and self._halved else photo

    def _show_side(self, side: int) -> None:
        """From the switch on, the mirrored picture (loaded only then: start-up stays fast)."""
        if side == self._shown_side:
            return
        self._shown_side = side
        mirrored = second_side_image(self.item.image) if side else self.item.image
        photo = self._load(mirrored) if mirrored is not None else None
        if photo is not None:
            self._photo = photo
            self.picture.configure(image=photo)

    def _refresh(self) -> None:
        t = self.timer
        self._show_side(t.side)
        self.headline.configure(text=t.headline())
        self.hint.configure(text=t.hint())
        label = _("Pause (Space)") if t.running else (_("Resume (Space)") if t.started else
                                                      _("Start (Space)"))
        self.start_btn.configure(text=label, state="disabled" if t.done else "normal")
        phase = t.current
        state = _("Done") if phase is None else (phase.label if t.started else "")
        title = f"{self.item.title} · {state}" if state else f"{self.item.title} · sitbreak"
        if self.root.title() != title:
            self.root.title(title)

    def _flash(self, cue: str) -> None:
        """End of a side (or of the hold): a sound and a short colour flash of the timer
        panel, so it is noticed while the user looks away."""
        if self._cue is not None:
            self._cue(cue)
        else:
            self.root.bell()
        p = self.p
        for w in (self.panel, self.headline, self.hint):
            w.configure(bg=p.accent)
        self.headline.configure(fg=p.accent_fg)
        self.hint.configure(fg=p.accent_fg)

        def restore() -> None:
            for w in (self.panel, self.headline, self.hint):
                w.configure(bg=p.panel)
            self.headline.configure(fg=p.fg)
            self.hint.configure(fg=p.muted)

        self.root.after(FLASH_MS, restore)

    def show_safety(self) -> None:
        if self.safety is None:
            return
        if self._safety_win is not None and self._safety_win.winfo_exists():
            self._safety_win.lift()
            return
        win = tk.Toplevel(self.root)
        win.transient(self.root)
        win.attributes("-topmost", True)
        self._safety_win = win
        win.configure(highlightthickness=2, highlightbackground=self.p.muted)

        def close() -> None:
            win.destroy()
            self.root.focus_force()  # back to the card's keys

        render_safety(win, self.safety, self.p, self.fonts, close)
        win.update_idletasks()  # keep it on screen: it is tall
        sh, h = win.winfo_screenheight(), win.winfo_reqheight()
        x = self.root.winfo_rootx() + 60
        y = max(0, min(self.root.winfo_rooty() + 40, sh - h - 10))
        win.geometry(f"+{x}+{y}")
        # the user asked for it (key or click): it may take the keyboard, so Esc closes it
        win.after_idle(win.focus_force)


def load_picture(root: tk.Misc, path: Path, p: Palette) -> tk.PhotoImage | None:
    """The item's picture; on a dark card turned dark as well. None if it cannot load."""
    try:
        if p.dark:
            from sitbreak.card.picture import tk_data

            return tk.PhotoImage(master=root, data=tk_data(path, p.panel))
        return tk.PhotoImage(master=root, file=str(path))
    except Exception:  # a damaged picture must not cost the user the card
        return None


def render_safety(win: tk.Tk | tk.Toplevel, card: SafetyText, p: Palette, f: Fonts,
                  close: Callable[[], None]) -> None:
    win.title(f"{card.title} · sitbreak")
    win.configure(bg=p.bg, padx=24, pady=18)

    def label(text: str, font: tkfont.Font, fg: str = p.fg, **pack: object) -> None:
        tk.Label(win, text=text, font=font, fg=fg, bg=p.bg, justify="left", anchor="w",
                 wraplength=f.wrap(640)).pack(anchor="w", **pack)  # type: ignore[arg-type]

    def bullet(text: str, font: tkfont.Font, pady: int) -> None:
        row = tk.Frame(win, bg=p.bg)
        row.pack(anchor="w", fill="x", pady=pady)
        tk.Label(row, text="•", font=font, fg=p.muted, bg=p.bg, width=2, anchor="n").pack(
            side="left", anchor="n")
        tk.Label(row, text=text, font=font, fg=p.fg, bg=p.bg, justify="left", anchor="w",
                 wraplength=f.wrap(610)).pack(side="left", anchor="w")

    label(card.title, f.title, pady=(0, 8))
    if card.intro:
        label(card.intro, f.body, pady=(0, 6))
    for sign in card.seek_help:
        bullet(sign, f.body, 2)
    if card.who:
        label(card.who, f.body, pady=(10, 0))
    if card.while_stretching:
        label(_("While you stretch"), f.hint, fg=p.muted, pady=(12, 2))
        for tip in card.while_stretching:
            bullet(tip, f.small, 1)
    label(card.disclaimer, f.italic, fg=p.muted, pady=(14, 10))
    tk.Button(win, text=_("Close (Esc)"), command=close, font=f.button, bg=p.button, fg=p.fg,
              activebackground=p.button, relief="flat", bd=0, padx=14, pady=8, takefocus=0,
              highlightthickness=0).pack(anchor="e")
    win.bind("<Escape>", lambda _e: close())
    win.bind("<Return>", lambda _e: close())
    win.protocol("WM_DELETE_WINDOW", close)
