"""Which language, and what the user sees in it: the locale variables, ui.language over them,
the CLI and a running daemon in that language, dates and numbers as each language writes them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from sitbreak import i18n
from sitbreak.locale_format import format_day, format_number, format_percent, weekday
from tests.daemon_proc import Daemon


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.setup("en")


@pytest.mark.parametrize(("env", "language"), [
    ({}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "fr_CA"}, "fr"),
    ({"LANG": "es_MX.utf8@x"}, "es"),
    ({"LANG": "ja_JP.UTF-8"}, "en"),  # not shipped: English
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),
    ({"LANG": "de_DE.UTF-8", "LANGUAGE": "it:fr:de"}, "fr"),  # the first shipped one in the list
    ({"LC_ALL": "C.UTF-8", "LANGUAGE": "de"}, "en"),  # as GNU gettext: C ignores LANGUAGE
    ({"LANG": "POSIX"}, "en"),
])
def test_language_from_the_locale_variables(env, language):
    assert i18n.language_from_environment(env) == language


def test_ui_language_overrides_the_locale():
    assert i18n.setup("es", {"LANG": "de_DE.UTF-8"}) == "es"
    assert i18n.setup("auto", {"LANG": "de_DE.UTF-8"}) == "de"
    assert i18n.setup(None, {"LANG": "fr_FR.UTF-8"}) == "fr"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SITBREAK_", "XDG_", "LC_")) and k != "LANGUAGE"}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CONFIG_DIRS=str(tmp_path / "etc"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"))
    env.update(extra)
    return env


def sitbreak(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitbreak", *args], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_content_show_prints_german_with_lang_de(tmp_path):
    r = sitbreak(_env(tmp_path, LANG="de_DE.UTF-8"), "content", "show", "seated-figure-four")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Vierer-Dehnung im Sitzen\n")
    assert "Dehnen · Schreibtisch · Stuhl · 30 s pro Seite" in out
    assert "Zielmuskeln: Piriformis, großer Gesäßmuskel" in out
    assert "1. Setzen Sie sich vorn auf den Stuhl" in out
    assert "Vorsicht:" in out and "Bild:" in out
    assert "stretch" not in out.split("Bild:")[0].lower().replace("seated-figure-four", "")


def test_content_show_names_the_picture_with_french_side_letters(tmp_path):
    out = sitbreak(_env(tmp_path, LANG="fr_FR.UTF-8"), "content", "show",
                   "seated-figure-four").stdout
    picture = next(line for line in out.splitlines() if line.startswith("image\u00a0:"))
    assert picture.endswith("/images/fr/seated-figure-four.png"), picture


def test_content_show_safety_in_french_and_spanish(tmp_path):
    fr = sitbreak(_env(tmp_path, LANG="fr_FR.UTF-8"), "content", "show", "safety").stdout
    assert fr.startswith("Quand consulter\n")
    assert "La douleur descend dans la jambe au-delà du genou." in fr
    assert "Pendant l'étirement\u00a0:" in fr
    es = sitbreak(_env(tmp_path, LANG="es_ES.UTF-8"), "content", "show", "safety").stdout
    assert es.startswith("Cuándo pedir ayuda\n")
    assert "no es un consejo médico" in es


def test_ui_language_in_the_config_beats_lang(tmp_path):
    config = tmp_path / "sitbreak.toml"
    config.write_text('[ui]\nlanguage = "es"\n', encoding="utf-8")
    env = _env(tmp_path, LANG="de_DE.UTF-8", SITBREAK_CONFIG=str(config))
    r = sitbreak(env, "content", "show", "walk-break")
    assert r.stdout.startswith("Paseo de tres minutos\n"), r.stdout + r.stderr
    assert sitbreak(env, "config", "check").returncode == 0
    # the environment overrides the file, as for every key
    env["SITBREAK_UI__LANGUAGE"] = "fr"
    assert sitbreak(env, "content", "show", "walk-break").stdout.startswith("Trois minutes")


def test_a_bad_ui_language_is_one_line_and_the_locale_is_used(tmp_path):
    config = tmp_path / "sitbreak.toml"
    config.write_text('[ui]\nlanguage = "klingon"\n', encoding="utf-8")
    env = _env(tmp_path, LANG="de_DE.UTF-8", SITBREAK_CONFIG=str(config))
    r = sitbreak(env, "status")  # needs no other key: runs, in the locale's language
    assert r.returncode == 4
    assert r.stderr.strip().splitlines() == [
        f"sitbreak: {config}: ui.language: 'klingon' ist keiner von auto, en, de, fr, es",
        "sitbreak: sitbreak läuft nicht (starten mit `sitbreak run`)"]
    check = sitbreak(env, "config", "check", str(config))
    assert check.returncode == 2
    lines = check.stderr.strip().splitlines()
    assert lines[-1].startswith(f"sitbreak: {config}:2: ui.language: ")
    assert "'auto', 'en', 'de', 'fr'" in lines[-1]


def test_a_locked_system_wide_language_wins(tmp_path):
    etc = tmp_path / "etc" / "sitbreak"
    etc.mkdir(parents=True)
    (etc / "sitbreak.toml").write_text('[ui]\nlanguage = "fr"\n[locked]\nkeys = ["ui"]\n',
                                       encoding="utf-8")
    config = tmp_path / "sitbreak.toml"
    config.write_text('[ui]\nlanguage = "de"\n', encoding="utf-8")
    env = _env(tmp_path, LANG="es_ES.UTF-8", SITBREAK_CONFIG=str(config))
    assert sitbreak(env, "content", "show", "walk-break").stdout.startswith("Trois minutes")


def test_help_and_argparse_errors_in_german(tmp_path):
    env = _env(tmp_path, LANG="de_DE.UTF-8")
    out = sitbreak(env, "--help").stdout
    assert out.startswith("Aufruf: sitbreak")
    assert "Erinnert Sie daran, aufzustehen" in out
    assert "Sitzstatistik für einen Tag" in out
    err = sitbreak(env, "pause").stderr
    assert "Fehler: folgende Argumente sind erforderlich: DURATION" in err
    assert "sitbreak: pause: Einheit zu '5' ergänzen" in sitbreak(env, "pause", "5").stderr


def test_status_of_a_daemon_in_french(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = _env(tmp_path, LANG="fr_FR.UTF-8", XDG_RUNTIME_DIR=str(run))
    for leak in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(leak, None)
    with Daemon(env, tmp_path) as d:
        assert d.cli("pause", "30m").stdout.strip() == "en pause"
        out = d.cli("status").stdout
        assert re.search(r"^En pause\u00a0: +oui, encore 29 min$", out, re.M), out
        assert "Prochain rappel\u00a0:" in out
        assert "Source d'activité\u00a0: aucune" in out
        presence = next(line for line in out.splitlines() if line.startswith("Sources de présence"))
        assert "caméra (/dev/video* ouvert)" in presence and "camera" not in presence, presence
        assert d.cli("resume").stdout.strip() == "repris"
        assert d.cli("snooze").stdout.strip() == "aucun rappel à reporter"
        assert d.status()["paused"] is False  # --json stays machine-readable, in English
    # no daemon: the error is French too
    r = sitbreak(env, "status")
    assert r.returncode == 4
    assert r.stderr.strip() == ("sitbreak\u00a0: sitbreak n'est pas lancé "
                                "(démarrez-le avec `sitbreak run`)")


# -- dates and numbers ----------------------------------------------------------------------------

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(("language", "day", "short", "number", "percent"), [
    ("en", "Mon 23 Nov 2026", "Mon 23 Nov", "12,345.5", "+12 %"),
    ("de", "Mo., 23. Nov. 2026", "Mo., 23. Nov.", "12.345,5", "+12\u00a0%"),
    ("fr", "lun. 23 nov. 2026", "lun. 23 nov.", "12\u202f345,5", "+12\u202f%"),
    ("es", "lun, 23 nov 2026", "lun, 23 nov", "12.345,5", "+12\u00a0%"),
])
def test_dates_and_numbers_per_language(language, day, short, number, percent):
    i18n.setup(language)
    assert format_day(MONDAY) == day
    assert format_day(MONDAY, year=False) == short
    assert format_number(12345.5, 1) == number
    assert format_percent(12) == percent
    assert format_percent(-7).startswith("−7")


def test_spanish_groups_only_from_five_digits():
    i18n.setup("es")
    assert format_number(1234) == "1234"
    assert format_number(12345) == "12.345"


def test_weekday_names_cover_the_week():
    i18n.setup("de")
    assert [weekday(MONDAY + timedelta(days=n)) for n in range(7)] == [
        "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]


def _history(tmp_path: Path) -> Path:
    from sitbreak.engine import commands as cmd
    from sitbreak.history.recorder import Recorder
    from sitbreak.history.timebase import Anchor

    db = tmp_path / "h.sqlite3"
    start = datetime.combine(MONDAY, time(9))
    with Recorder(db, anchor=Anchor.at(0.0, start), retention_days=None) as rec:
        rec.handle(cmd.SittingSpan(0, 2 * 3600 + 5 * 60))
        rec.handle(cmd.SittingSpan(3 * 3600, 3 * 3600 + 1500))
    return db


def test_stats_in_german(tmp_path):
    db = _history(tmp_path)
    env = _env(tmp_path, LANG="de_DE.UTF-8")
    r = sitbreak(env, "stats", "--week", "--date", "2026-11-29", "--db", str(db))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Sitzen, Mo., 23. Nov. – So., 29. Nov. 2026  (davor: Mo., 16. Nov. – "
                          "So., 22. Nov. 2026)"), out
    assert "diese Woche" in out and "Vorwoche" in out and "Änderung" in out
    assert "Sitzen gesamt" in out and "2 Std. 30 Min." in out
    assert "Längstes Sitzen am Stück" in out and "2 Std. 05 Min." in out


def test_chart_labels_in_spanish(tmp_path):
    pytest.importorskip("matplotlib")
    from sitbreak.history import chart

    i18n.setup("es")
    days = [MONDAY + timedelta(days=n) for n in range(7)]
    assert chart.day_labels(days) == ["lun, 23 nov", "mar, 24 nov", "mié, 25 nov", "jue, 26 nov",
                                      "vie, 27 nov", "sáb, 28 nov", "dom, 29 nov"]
    month = [MONDAY + timedelta(days=n) for n in range(30)]
    assert chart.day_labels(month)[:2] == ["lun 23", "mar 24"]
    out = tmp_path / "week.png"
    db = _history(tmp_path)
    r = sitbreak(_env(tmp_path, LANG="es_ES.UTF-8"), "stats", "--date", "2026-11-29", "--db",
                 str(db), "--chart", str(out))
    assert r.returncode == 0, r.stderr
    assert f"gráfico: {out}" in r.stdout
    assert out.stat().st_size > 10_000


def test_tray_menu_and_status_line_in_french():
    from sitbreak.adapters.base import TrayActions, TrayView
    from sitbreak.adapters.tray_menu import menu_entries
    from sitbreak.adapters.tray_sni import INITIAL
    from sitbreak.daemon.tray_view import tray_view

    def noop(*_args: object) -> None:
        return None

    actions = TrayActions(*([noop] * 10))
    i18n.setup("fr")
    view = TrayView("fresh", 0.0, "x", "Assis depuis 3 min")
    labels = [e.text(view) for e in menu_entries(actions) if not e.separator]
    assert labels == ["Assis depuis 3 min", "S'étirer maintenant", "Afficher l'étirement en cours",
                      "Plus tard", "Pause", "Reprendre", "Je suis debout", "Fiche de sécurité",
                      "Ouvrir la configuration", "Statistiques", "Quitter"]
    pause = next(e for e in menu_entries(actions) if e.children)
    assert [c.text(view) for c in pause.children] == ["30 min", "1 h", "Jusqu'à demain"]
    assert menu_entries(actions)[0].text(INITIAL) == "Démarrage…"  # before the first view

    from tests.test_daemon_tray_view import POLICY, sitting_engine

    engine, now = sitting_engine(24.5)
    text = tray_view(engine.status(now), POLICY, now).status_line
    assert text == "Assis depuis 24 min · prochain rappel (étirement) dans 6 min"
    i18n.setup("de")  # a language change shows at the next draw
    assert menu_entries(actions)[-1].text(view) == "Beenden"
