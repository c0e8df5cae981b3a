"""The statistics window (`sitbreak stats --window`, the tray's Statistics): the sitting chart
and the period's numbers side by side, in a small Tk window of its own process.

Keys: Esc, Enter or Q close it; the numbers can be scrolled with the arrow keys. The chart is
drawn to fit the screen (its dots per inch follow the screen width).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitbreak.i18n import N_, _

WINDOW_CLASS = "SitbreakStats"
TITLE = N_("Sitting statistics · sitbreak")
CHART_INCHES = 12.5  # the chart's width in inches (history.chart.draw)


class NoWindow(Exception):
    """No display (or no Tk): one line, exit 3."""


def open_root() -> Any:
    try:
        import tkinter as tk

        root = tk.Tk(className=WINDOW_CLASS)
    except Exception as exc:  # ImportError (no tkinter) or TclError (no display)
        raise NoWindow(_("cannot open a window: {error}").format(error=exc).splitlines()[0]) from None
    root.withdraw()  # built hidden, shown once the chart is drawn
    return root


def chart_dpi(root: Any, beside_px: int) -> float:
    """Dots per inch that make the chart fit beside ``beside_px`` of numbers on this screen."""
    free = max(400, int(root.winfo_screenwidth()) - beside_px - 60)
    return max(40.0, min(90.0, free / CHART_INCHES))


def show(root: Any, draw_chart: Callable[[float], Path], numbers: str) -> None:
    """Fill ``root`` with the numbers and the chart (drawn by ``draw_chart(dpi)`` to fit
    beside them), show it, and run until it is closed."""
    import tkinter as tk
    from tkinter import font as tkfont

    root.title(_(TITLE))
    root.configure(bg="#ffffff", padx=12, pady=12)
    mono = tkfont.nametofont("TkFixedFont", root=root).copy()
    mono.configure(size=10)
    lines = numbers.splitlines()
    beside = max(mono.measure(line) for line in lines) + 40
    picture = tk.PhotoImage(master=root, file=str(draw_chart(chart_dpi(root, beside))))
    tk.Label(root, image=picture, bg="#ffffff", bd=0).grid(row=0, column=0, rowspan=2,
                                                            sticky="nw")
    text = tk.Text(root, font=mono, width=max(len(line) for line in lines) + 1,
                   height=min(len(lines), 34), bg="#ffffff", fg="#1f2933", bd=0,
                   highlightthickness=1, highlightcolor="#1f5fa8", wrap="none")
    text.insert("1.0", numbers)
    text.configure(state="disabled")  # read-only, still focusable and scrollable by keys
    text.grid(row=0, column=1, sticky="nw", padx=(12, 0))
    root.image = picture  # Tk needs a live reference

    def close(_e: object = None) -> None:
        root.destroy()

    tk.Button(root, text=_("Close (Esc)"), command=close, relief="flat", bg="#e6e2d9",
              activebackground="#e6e2d9", padx=12, pady=6).grid(row=1, column=1, sticky="se")
    for key in ("<Escape>", "<Return>", "<KP_Enter>", "<Key-q>"):
        root.bind(key, close)
    root.protocol("WM_DELETE_WINDOW", close)

    def stop(_signum: int, _frame: object) -> None:  # the daemon quits: close with it
        root.after_idle(close)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def tick() -> None:  # Tk waits in C: wake now and then so signals are handled promptly
        root.after(250, tick)

    tick()
    root.update_idletasks()
    w, h = root.winfo_reqwidth(), root.winfo_reqheight()
    sw, sh = root.winfo_screenwidth(), root.winfo_screenheight()
    root.geometry(f"+{max(0, (sw - w) // 2)}+{max(0, (sh - h) // 4)}")
    root.deiconify()
    root.after(150, text.focus_set)  # asked for by the user: the keys work at once
    root.mainloop()


def main_error(message: str) -> int:
    print(_("sitbreak: {error}").format(error=message), file=sys.stderr)
    return 3
