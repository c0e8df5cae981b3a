"""The program's own words: every msgid in the source is translated in every shipped language,
with the same placeholders, and what the user sees goes through gettext at all."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

from sitbreak import i18n
from sitbreak.content.translations import placeholders
from sitbreak.i18n_catalog import PACKAGE, build, compile_mo, extract, parse_po, po_path

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.setup("en")


def test_catalogues_are_up_to_date_with_the_source():
    """The .pot, each .po and each compiled .mo are what `python -m sitbreak.i18n_catalog` makes
    from the source as it is: a new or changed string fails here until the catalogues follow."""
    changed, _missing = build(write=False)
    assert changed == [], (
        f"out of date: {changed}; run `python -m sitbreak.i18n_catalog`, translate the new "
        "msgids in each .po, run it again")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated(language):
    entries = parse_po(po_path(language).read_text(encoding="utf-8"))
    missing = [key[0] for key in extract() if not all(entries.get(key, [""]))]
    assert missing == [], f"{language}: {len(missing)} untranslated: {missing[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_the_same_as_in_english(language):
    entries = parse_po(po_path(language).read_text(encoding="utf-8"))
    wrong = []
    for (msgid, plural), forms in entries.items():
        for n, form in enumerate(forms):
            english = msgid if n == 0 or plural is None else plural
            if form and placeholders(form) != placeholders(english):
                wrong.append((msgid, form))
    assert wrong == []


def test_a_placeholder_mismatch_is_caught():
    assert placeholders("{count} items in {path}") != placeholders("{count} Übungen in {pfad}")
    assert placeholders("%(prog)s: error: %(message)s") != placeholders("%(prog)s: Fehler")
    assert placeholders("forgot %d records") != placeholders("%s Einträge gelöscht")
    assert placeholders("{a!r} and {b:02d}") == placeholders("{b:02d} und {a!r}")


def test_the_extractor_sees_every_kind_of_call(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        'from sitbreak.i18n import N_, _, ngettext\n'
        'A = N_("marked")\n'
        'print(_("shown " "joined"))\n'
        'print(ngettext("{n} item", "{n} items", 2).format(n=2))\n'
        'print(_(A))\n', encoding="utf-8")
    found = extract(pkg)
    assert set(found) == {("marked", None), ("shown joined", None), ("{n} item", "{n} items")}


def test_compiled_catalogue_is_read_by_gettext_with_plurals(tmp_path):
    entries = {("Snooze", None): ["Plus tard"],
               ("{n} item", "{n} items"): ["{n} exercice", "{n} exercices"]}
    mo = tmp_path / "x.mo"
    mo.write_bytes(compile_mo("fr", entries))
    with mo.open("rb") as fh:
        t = gettext.GNUTranslations(fh)
    assert t.gettext("Snooze") == "Plus tard"
    assert t.ngettext("{n} item", "{n} items", 1) == "{n} exercice"
    assert t.ngettext("{n} item", "{n} items", 0) == "{n} exercice"  # French: 0 is singular
    assert t.ngettext("{n} item", "{n} items", 2) == "{n} exercices"
    assert t.gettext("unknown") == "unknown"


def test_shipped_catalogues_translate(monkeypatch):
    i18n.setup("de")
    assert i18n._("Snooze") == "Später"
    assert i18n.ngettext("{count} item OK, {broken} broken", "{count} items OK, {broken} broken",
                         2).startswith("{count} Übungen")
    i18n.setup("fr")
    assert i18n._("Quit") == "Quitter"
    i18n.setup("es")
    assert i18n._("Stretch now") == "Estirar ahora"
    i18n.setup("en")
    assert i18n._("Stretch now") == "Stretch now"


# -- nothing shown bypasses gettext ---------------------------------------------------------------

# Programs for developers, generated traces and log-like output stay English.
NOT_USER_FACING = {
    "sitbreak/tracegen.py", "sitbreak/history/demo.py", "sitbreak/i18n_catalog.py",
    "sitbreak/autostart/macos_app.py", "sitbreak/autostart/xdg.py",
    # generators of data made in advance (their --write lines are for developers)
    "sitbreak/adapters/tray_frames.py", "sitbreak/content/index.py",
}
# Calls whose first argument the user reads (a message, an error, a line on the terminal).
# (Internal exceptions - RuntimeError, ValueError, ProtocolError - name a failure for the log and
# for `sitbreak doctor`; the project's own error family is what the user reads.)
SHOWN = re.compile(r"^(print|warn|\w+\.alert|parser\.error|SitbreakError|"
                   r"(Usage|Config|Trace|Content|History|CardContent|Hours)Error|"
                   r"HistoryUnavailable|PlatformUnsupported|DaemonNotRunning|ChartUnavailable|"
                   r"Unsafe\w+|OutOfRange)$")


def _call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        owner = f.value.attr if isinstance(f.value, ast.Attribute) else getattr(f.value, "id", "")
        return f"{owner}.{f.attr}"
    return ""


def _words(node: ast.expr) -> bool:
    """A literal or f-string with words in it (not a bare path, number or punctuation)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant)
                       and isinstance(v.value, str))
    else:
        return False
    return text != "sitbreak" and bool(re.search(r"[A-Za-z]{3}", text))  # the name stays


def test_no_message_reaches_the_user_without_gettext():
    """Every message literal given to print(), an error, a warning or an alert goes through _():
    a new English string shown as it is fails here (translate it, or it stays English in every
    language). Log lines (log.info…) are for developers and stay English."""
    bare: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if rel in NOT_USER_FACING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and SHOWN.match(_call_name(node)):
                for arg in node.args[:1]:
                    if _words(arg):
                        bare.append(f"{rel}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in ("_", "ngettext") and any(
                        isinstance(a, ast.JoinedStr) for a in node.args):
                bare.append(f"{rel}:{node.lineno} (an f-string inside _(): use .format)")
    assert bare == [], "shown without gettext: " + ", ".join(bare)


def test_help_texts_go_through_gettext():
    bare = []
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg in ("help", "description") and _words(kw.value):
                        bare.append(f"{path.name}:{node.lineno}")
    assert bare == []


def test_catalogue_files_are_package_data():
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/**/*"' in text
    for language in TRANSLATED:
        assert po_path(language).with_suffix(".mo").is_file()
