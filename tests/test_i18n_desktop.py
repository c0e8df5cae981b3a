"""Languages on a real desktop: the stretch card in Spanish under Xvfb (its title, every label,
the picture with Spanish side letters, accented letters drawn by Tk's default font) and a German
nudge reaching dunst from the daemon. Screenshots go to artifacts/screenshots/ (card-es.png,
card-fonts.png)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from sitbreak.content.paths import images_dir
from tests.daemon_proc import Daemon, wait_for
from tests.desktop import Desktop
from tests.test_card_desktop import blue_box
from tests.test_content_pictures import differing
from tests.test_e2e_desktop import nudge_on_screen, user_at_keyboard

pytestmark = pytest.mark.desktop

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "artifacts" / "screenshots"

# Builds the card in a child process on the test display and prints every text it shows.
CARD_TEXTS = """
import json, sys, tkinter as tk
from sitbreak import i18n
i18n.setup(sys.argv[1])
from sitbreak.card import theme
from sitbreak.card.quick import find_item, find_safety
from sitbreak.card.window import CardWindow
root = tk.Tk()
item = find_item(sys.argv[2], __import__("pathlib").Path("/nonexistent"))
win = CardWindow(root, item=item, safety=find_safety(), palette=theme.pick(root, "light"),
                 scale=1.0, on_answer=lambda *a: None)
texts = []
def walk(w):
    try:
        texts.append(w.cget("text"))
    except tk.TclError:
        pass
    for c in w.winfo_children():
        walk(c)
walk(root)
root.update_idletasks()
texts.append(root.title())
print(json.dumps(texts))
root.destroy()
"""


def test_card_in_spanish_title_labels_and_screenshot(xdisplay: Desktop) -> None:
    out = xdisplay.run([sys.executable, "-c", CARD_TEXTS, "es", "seated-figure-four"]).stdout
    texts = [t for t in json.loads(out) if t]
    for label in ("Estiramiento en figura de cuatro sentado", "Empezar (Espacio)",
                  "Hecho (Intro)", "Más tarde (S)", "Omitir (K)", "Otro (N)",
                  "Cuándo pedir ayuda (?)", "Espacio para empezar", "Lado izquierdo 30 s",
                  "Siéntate en la parte delantera de la silla con los dos pies planos en el suelo.",
                  "⚠  Afloja si la rodilla o la cadera te duelen de forma aguda."):
        assert label in texts, f"{label!r} not on the card: {texts}"
    english = {"Start (Space)", "Done (Enter)", "Snooze (S)", "Skip (K)", "Another one (N)",
               "When to get help (?)", "Space to start"}
    assert not english & set(texts)

    # the real card process, started as the daemon starts it: its language in the environment
    env = {**xdisplay.env, "SITBREAK_UI__LANGUAGE": "es"}
    proc = subprocess.Popen([sys.executable, "-m", "sitbreak.card", "seated-figure-four"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wid = xdisplay.wait_for_window(name="^Estiramiento en figura", visible_only=True)
        title = xdisplay.xdotool("getwindowname", wid).strip()
        assert title == "Estiramiento en figura de cuatro sentado · sitbreak"
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = xdisplay.screenshot(SHOTS / "card-es.png", window=wid)
        with Image.open(shot) as img:
            screen = img.convert("RGB")
        assert len(screen.getcolors(1 << 20) or []) > 50
        # the picture on screen is the Spanish one: its side disc says I (izquierda), not L
        es_picture = images_dir() / "es" / "seated-figure-four.png"
        en_picture = images_dir() / "seated-figure-four.png"
        (sx, sy, _, _), (fx, fy, _, _) = blue_box(shot), blue_box(es_picture)
        shown = screen.crop((sx - fx, sy - fy, sx - fx + 320, sy - fy + 320))
        with Image.open(es_picture) as es, Image.open(en_picture) as en:
            assert differing(shown, es, 2) == 0
            assert differing(shown, en, 40) > 40
        x, y, _, _ = xdisplay.window_geometry(wid)
        xdisplay.xdotool("mousemove", x + 30, y + 12, "click", 1)  # take the keyboard
        xdisplay.key("space")
        wait_for(lambda: "Lado izquierdo" in xdisplay.xdotool("getwindowname", wid), 10,
                 "the Spanish side in the title")
        xdisplay.key("Escape")
        out, err = proc.communicate(timeout=10)
        assert json.loads(out.strip().splitlines()[-1])["answer"] == "closed", err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


FONT_CHECK = """
import json, tkinter as tk
from tkinter import font as tkfont
root = tk.Tk()
f = tkfont.nametofont("TkDefaultFont", root=root)
pairs = [("é", "e"), ("è", "e"), ("à", "a"), ("ç", "c"), ("ñ", "n"), ("ü", "u"), ("ö", "o"),
         ("ß", "s"), ("á", "a"), ("í", "i"), ("ó", "o"), ("ú", "u"), ("ê", "e"), ("ô", "o"),
         ("œ", "o"), ("É", "E"), ("Ü", "U"), ("¿", "?"), ("¡", "!"), ("«", "<")]
print(json.dumps({"family": f.actual("family"),
                  "widths": [(a, f.measure(a), f.measure(b)) for a, b in pairs]}))
root.destroy()
"""

FONT_WINDOW = """
import tkinter as tk
root = tk.Tk()
root.title("accents")
for text in ("Über Knöchel, Gesäß; Oberschenkel-Rückseite", "Étirez-vous : fesse, cœur, à, ç",
             "¿Cuándo pedir ayuda? Mañana, glúteo, pingüino"):
    tk.Label(root, text=text, font=("TkDefaultFont", 15), bg="white").pack(anchor="w")
root.configure(bg="white")
root.mainloop()
"""


def test_the_default_tk_font_draws_accented_letters(xdisplay: Desktop) -> None:
    """Tk's default font on Xvfb has a glyph for each accented letter the translations use: a
    missing glyph would be drawn as a box of another width (or nothing)."""
    data = json.loads(xdisplay.run([sys.executable, "-c", FONT_CHECK]).stdout)
    for char, width, base in data["widths"]:
        assert width > 0, f"{char!r} has no width in {data['family']}"
        if char not in "ßœ¿¡«":
            assert width == base, f"{char!r} ({width}) vs its letter ({base}) in {data['family']}"
    proc = subprocess.Popen([sys.executable, "-c", FONT_WINDOW], env=xdisplay.env)
    try:
        wid = xdisplay.wait_for_window(name="^accents$", visible_only=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        xdisplay.screenshot(SHOTS / "card-fonts.png", window=wid)
    finally:
        proc.terminate()
        proc.wait(5)


def test_german_nudge_reaches_dunst(desktop: Desktop, tmp_path: Path) -> None:
    env = {**desktop.env, "LANG": "de_DE.UTF-8"}
    with Daemon(env, tmp_path) as d, user_at_keyboard(desktop):
        d.wait_status(lambda s: s["presence"] == "sitting", 5, "sitting after input")
        assert d.cli("stretch-now").stdout.strip() == "Dehn-Hinweis angezeigt"
        nudge_on_screen(d, desktop)
        picked = desktop.dunst_pick_context("^#Sp")  # the Snooze button: "Später"
        assert picked.startswith("#Später (Zeit aufzustehen: ")
        d.wait_status(lambda s: s["nudge_kind"] is None, 5, "snoozed from the German button")
        wait_for(lambda: desktop.dunst_displayed_count() == 0, 5, "the bubble to close")
        shown = desktop.dunst_history()[0]
        assert shown["summary"].startswith("Zeit aufzustehen: ")
        assert shown["body"].endswith("· klicken für die Übungskarte")
        status = d.cli("status").stdout
        assert "Pausiert:" in status and "Nächster Hinweis:" in status
