"""`sitbreak doctor` in the user's language: every reason, detail and advice line the real command
prints is translated (the adapters' reasons too), and the +/- marks do not depend on the words.
An adapter reason written as a bare English literal fails here before it ever reaches a user."""

from __future__ import annotations

import ast
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitbreak import i18n
from sitbreak.i18n_catalog import PACKAGE, extract
from tests.daemon_proc import headless_env
from tests.desktop import Desktop
from tests.wayland_session import WaylandSession

LOCALES = {"en": "C.UTF-8", "de": "de_DE.UTF-8", "fr": "fr_FR.UTF-8", "es": "es_ES.UTF-8"}
# the config's own syntax, shown as it is written in the file
CONFIG_SYNTAX = re.compile(r'^ *\[activity\] source = "\w+"$')


def _doctor_in_each_language(env: dict[str, str]) -> dict[str, list[str]]:
    """The real command, once per language, all four at once (each waits on its probes)."""
    procs = {}
    for language, locale in LOCALES.items():
        run_env = {**env, "LANG": locale}
        run_env.pop("SITBREAK_UI__LANGUAGE", None)
        procs[language] = subprocess.Popen(
            [sys.executable, "-m", "sitbreak", "doctor"], env=run_env, text=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reports = {}
    for language, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert err == "", err
        reports[language] = out.splitlines()
    return reports


def _marks(lines: list[str]) -> list[str]:
    return [line[2] for line in lines if line.startswith(("  + ", "  - "))]


def _english_chunks(language: str) -> dict[str, str]:
    """The words of every adapter and doctor msgid (between placeholders, 3+ words) that its
    translation does not keep, e.g. "no StatusNotifierWatcher yet" → its msgid."""
    translation = gettext.translation(i18n.DOMAIN, i18n.locale_dir(), [language])
    chunks = {}
    for (msgid, _plural), msg in extract().items():
        if not any(f.startswith("sitbreak/adapters/") or f in (
                "sitbreak/commands/doctor.py", "sitbreak/parts_text.py") for f in msg.files):
            continue
        translated = translation.gettext(msgid)
        for piece in re.split(r"\{[^}]*\}", msgid):
            chunk = piece.strip(" :;,()")
            if len(chunk.split()) >= 3 and chunk not in translated:
                chunks[chunk] = msgid
    return chunks


def _assert_translated(reports: dict[str, list[str]]) -> None:
    english = reports["en"]
    assert len(english) > 20 and "+" in _marks(english) and "-" in _marks(english), english
    for language in ("de", "fr", "es"):
        report = reports[language]
        assert len(report) == len(english), (language, report)
        # the picks are data, not words: the same candidates marked the same way
        assert _marks(report) == _marks(english), language
        same = [line for line, en in zip(report, english, strict=True)
                if line == en and line.strip() and not CONFIG_SYNTAX.match(line)]
        assert same == [], f"{language}: shown in English: {same}"
        text = "\n".join(report)
        left = {chunk: msgid for chunk, msgid in _english_chunks(language).items()
                if chunk in text}
        assert left == {}, f"{language}: English words left: {left}"


def test_doctor_headless_in_german_french_and_spanish(tmp_path: Path) -> None:
    """No display, no bus: the reasons why each candidate fails."""
    reports = _doctor_in_each_language(headless_env(tmp_path))
    assert "  - x11-screensaver: no DISPLAY" in reports["en"]
    assert "  - x11-screensaver: kein DISPLAY" in reports["de"]
    assert "  + none\u00a0: choisi\u00a0: pas de barre des tâches possible ici" in reports["fr"]
    _assert_translated(reports)


def test_doctor_on_an_x_desktop_in_german_french_and_spanish(desktop: Desktop) -> None:
    """Xvfb, buses, dunst and trayer: what was picked and why, the details and the advice."""
    reports = _doctor_in_each_language(dict(desktop.env))
    assert "  + x11-screensaver: picked" in reports["en"]
    assert "  + x11-screensaver: elegido" in reports["es"]
    assert any(line.startswith("    letzte Eingabe vor ") for line in reports["de"])
    assert any(line.startswith("  Hinweis: kein Menü im Infobereich") for line in reports["de"])
    _assert_translated(reports)


def test_doctor_on_sway_in_german_french_and_spanish(sway_bare: WaylandSession) -> None:
    """Headless Sway: the Wayland protocol's details and why the X candidates are skipped."""
    reports = _doctor_in_each_language(dict(sway_bare.env))
    assert "    event-based: the compositor says idled/resumed; no polling" in reports["en"]
    assert any(line.startswith("    ereignisgesteuert: ") for line in reports["de"])
    assert any(" versión " in line and "temporizador de 1 s" in line for line in reports["es"])
    _assert_translated(reports)


# -- no reason is a bare English literal ------------------------------------------------------

REASON_FILES = ("sitbreak/adapters/", "sitbreak/daemon/parts.py", "sitbreak/commands/doctor.py")
# call → which positional argument is the msgid
MESSAGE_ARG = {"Text": 0, "Unavailable": 0, "taken": 1, "not_taken": 1}


def _is_msgid(node: ast.expr, marked: set[str]) -> bool:
    """``N_("…")``, a module constant bound to one, or a choice between such."""
    if isinstance(node, ast.IfExp):
        return _is_msgid(node.body, marked) and _is_msgid(node.orelse, marked)
    if isinstance(node, ast.Name):
        return node.id in marked
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "N_" and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def bare_reasons(source: str, rel: str) -> list[str]:
    """Where ``source`` gives a reason, a skip or an adapter's failure in words not marked for
    the catalogue: a ``Text``/``taken``/``not_taken``/``Unavailable`` whose msgid is not an
    ``N_()`` literal, a ``Reason`` or a skipped entry given a string, a ``reasons`` list
    given a tuple (the old ``(candidate, "why")``)."""
    tree = ast.parse(source)
    marked = {t.id for node in tree.body if isinstance(node, ast.Assign)
              and _is_msgid(node.value, set()) for t in node.targets if isinstance(t, ast.Name)}
    if rel == "sitbreak/adapters/base.py":
        marked.add("msgid")  # the helpers themselves pass their caller's msgid on
    bare = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            index = MESSAGE_ARG.get(name)
            if index is not None and (len(node.args) <= index
                                      or not _is_msgid(node.args[index], marked)):
                bare.append(f"{rel}:{node.lineno} {name}")
            if name == "Reason" and any(_literal(a) for a in node.args[1:2]):
                bare.append(f"{rel}:{node.lineno} Reason")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append" and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "reasons"
                and any(isinstance(a, ast.Tuple) for a in node.args)):
            bare.append(f"{rel}:{node.lineno} reasons.append(tuple)")
        if isinstance(node, ast.Assign) and _literal(node.value) and any(
                isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                and t.value.id == "skipped" for t in node.targets):
            bare.append(f"{rel}:{node.lineno} skipped[…]")
    return bare


def test_every_adapter_reason_is_marked_for_translation() -> None:
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if rel.startswith(REASON_FILES):
            bare += bare_reasons(path.read_text(encoding="utf-8"), rel)
    assert bare == [], "reasons not marked with N_(): " + ", ".join(bare)


@pytest.mark.parametrize("source", [
    'reasons.append(not_taken(name, "no DISPLAY"))',
    'reasons.append(taken(name, f"picked {x}"))',
    'raise Unavailable("no seat")',
    'why = Text(message)',
    'reasons.append((name, "no DISPLAY"))',
    'reasons.append(Reason(name, "no DISPLAY"))',
    'skipped["xorg"] = "no DISPLAY"',
    'x = Text(N_("a") if ok else "b")',
])
def test_a_bare_reason_is_caught(source: str) -> None:
    assert bare_reasons(source, "sitbreak/adapters/x.py") != []


def test_marked_reasons_pass() -> None:
    source = ('HINT = N_("a hint")\n'
              'reasons.append(not_taken(name, N_("not tried: {name} comes first"), name=n))\n'
              'skipped["sni"] = Text(HINT if bus else N_("no bus"))\n'
              'raise Unavailable(N_("no seat"))\n')
    assert bare_reasons(source, "sitbreak/adapters/x.py") == []
