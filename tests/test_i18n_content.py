"""The library in German, French and Spanish: every item and the safety card translated, each
translation checked against its English item by the loader, and shown where the user reads it."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from sitbreak import i18n
from sitbreak.card import quick
from sitbreak.content import load_dir, load_library
from sitbreak.content.paths import builtin_content_dir, images_dir, second_side_image
from sitbreak.content.translations import TRANSLATED_LANGUAGES, placeholders

SHIPPED = builtin_content_dir()


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.setup("en")


@pytest.fixture(scope="module")
def library():
    return load_library(with_user=False)


def test_shipped_translations_load_without_a_problem(library):
    assert [str(p) for p in library.problems] == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_item_and_the_safety_card_is_translated(library, language):
    missing = sorted(set(library.items) - set(library.translations.get(language, {})))
    assert missing == [], f"{language}: no translation for {missing}"
    assert language in library.safety_translations


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translated_items_differ_from_english_and_keep_their_shape(library, language):
    for item_id, english in library.items.items():
        local = library.get(item_id, language)
        assert local is not None
        assert local.title != english.title, f"{language}/{item_id}: title left in English"
        assert len(local.steps) == len(english.steps)
        assert len(local.cautions) == len(english.cautions)
        assert all(a != b for a, b in zip(local.steps, english.steps, strict=True)), item_id
        # everything that is not words stays the English file's
        assert (local.hold_s, local.sides, local.reps, local.image, local.kind) == (
            english.hold_s, english.sides, english.reps, english.image, english.kind)
        for a, b in zip([english.title, *english.steps, *english.cautions],
                        [local.title, *local.steps, *local.cautions], strict=True):
            assert placeholders(a) == placeholders(b)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_safety_card_keeps_every_warning(library, language):
    english, local = library.safety, library.safety_in(language)
    assert english is not None and local is not None
    assert len(local.seek_help) == len(english.seek_help)
    assert len(local.while_stretching) == len(english.while_stretching)
    assert local.title != english.title and local.disclaimer != english.disclaimer


def test_the_medical_warnings_say_what_the_english_says(library):
    """Spot checks that the red flags survived translation: pain past the knee, numbness,
    tingling, weakness; and the card says it is not medical advice."""
    words = {
        "de": ("Knie", "Taubheit", "Kribbeln", "Schwäche", "keine medizinische Beratung"),
        "fr": ("genou", "engourdissement", "fourmillements", "faiblesse", "pas un avis médical"),
        "es": ("rodilla", "entumecimiento", "hormigueo", "debilidad", "no es un consejo médico"),
    }
    for language, expected in words.items():
        card = library.safety_in(language)
        text = " ".join([*card.seek_help, card.disclaimer])
        for word in expected:
            assert word in text, f"{language}: {word!r} missing from the safety card"


# -- the loader checks translations like everything else ----------------------------------------


def _copy_item(tmp_path: Path, item_id: str = "seated-figure-four") -> Path:
    shutil.copy(SHIPPED / f"{item_id}.toml", tmp_path / f"{item_id}.toml")
    return tmp_path


def _translation(tmp_path: Path, text: str, language: str = "de",
                 item_id: str = "seated-figure-four") -> Path:
    path = tmp_path / "translations" / language / f"{item_id}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (SHIPPED / "translations" / "de" / "seated-figure-four.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "field", "words"), [
    (GOOD.replace('    "Atmen Sie ruhig, während Sie halten, dann Beine wechseln.",\n', ""),
     "steps", "4 line(s) here, 5 in English"),
    (GOOD + 'why = "Warum"\n', "why", "is set here but empty in English"),
    (GOOD + 'timer_label = "Halten"\n', "timer_label", "the English item has none"),
    (GOOD + 'note = "x"\n', "note", "unknown field"),
    (GOOD.replace("title = ", "titel = "), "title", "required field is missing"),
    (GOOD.replace('"Lassen Sie nach, wenn Knie oder Hüfte stechend schmerzen."',
                  '"Lassen Sie nach, wenn {knie} schmerzt."'),
     "cautions line 1", "placeholders ['{knie}'] differ from the English []"),
    ('title = "unclosed\n', "line 1, column", "invalid TOML"),
])
def test_a_broken_translation_is_one_line_and_english_is_shown(tmp_path, text, field, words):
    _copy_item(tmp_path)
    path = _translation(tmp_path, text)
    lib = load_dir(tmp_path)
    assert len(lib.problems) == 1
    line = str(lib.problems[0])
    assert "\n" not in line
    assert line.startswith(f"{path}: {field}"), line
    assert words in line
    item = lib.get("seated-figure-four", "de")
    assert item is not None and item.title == "Seated figure-four stretch"


def test_a_translation_of_no_item_and_an_unknown_language_are_reported(tmp_path):
    _copy_item(tmp_path)
    _translation(tmp_path, GOOD, item_id="no-such-item")
    _translation(tmp_path, GOOD, language="it")
    problems = sorted(str(p) for p in load_dir(tmp_path).problems)
    assert len(problems) == 2
    assert "translates no item with the id 'no-such-item'" in problems[0] + problems[1]
    assert "'it' is not one of de, fr, es" in problems[0] + problems[1]


def test_a_user_item_replacing_a_shipped_one_drops_its_shipped_translations(tmp_path):
    data = (SHIPPED / "seated-figure-four.toml").read_text(encoding="utf-8")
    (tmp_path / "mine.toml").write_text(data.replace("Seated figure-four stretch", "My four"),
                                        encoding="utf-8")
    lib = load_library(user=tmp_path)
    mine = lib.get("seated-figure-four", "de")
    assert mine is not None and mine.title == "My four"  # not the German of another text
    _translation(tmp_path, GOOD.replace("Vierer-Dehnung im Sitzen", "Meine Vier"),
                 item_id="seated-figure-four")
    theirs = load_library(user=tmp_path).get("seated-figure-four", "de")
    assert theirs is not None and theirs.title == "Meine Vier"


def test_content_check_reports_a_broken_translation(tmp_path, capsys):
    from sitbreak.cli import main

    _copy_item(tmp_path)
    _translation(tmp_path, GOOD + 'steps = ["eins"]\n')  # a key twice: invalid TOML
    assert main(["content", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "translations/de/seated-figure-four.toml" in err


# -- the card reads its language's words ---------------------------------------------------------


@pytest.mark.parametrize(("language", "title", "label"), [
    ("de", "Drei Minuten gehen", "Gehen"),
    ("fr", "Trois minutes de marche", "Marcher"),
    ("es", "Paseo de tres minutos", "Camina"),
])
def test_the_card_reads_the_item_in_the_language_in_force(tmp_path, language, title, label):
    i18n.setup(language)
    item = quick.find_item("walk-break", tmp_path)
    assert (item.title, item.timer_label) == (title, label)
    english = tomllib.loads((SHIPPED / "walk-break.toml").read_text(encoding="utf-8"))
    assert len(item.steps) == len(english["steps"])
    safety = quick.find_safety()
    assert safety.title != "When to get help" and len(safety.seek_help) == 5


@pytest.mark.parametrize(("language", "folder"), [("en", ""), ("de", ""), ("fr", "fr"),
                                                ("es", "es")])
def test_the_card_shows_the_picture_with_its_languages_side_letters(tmp_path, language, folder):
    """French and Spanish cards mark the sides G/D and I/D (their own picture copies); English
    and German (links/rechts) show L/R; a picture without a side marker is the same for all."""
    i18n.setup(language)
    item = quick.find_item("seated-figure-four", tmp_path)
    assert item.image == images_dir() / folder / "seated-figure-four.png"
    assert second_side_image(item.image) == images_dir() / folder / "seated-figure-four-right.png"
    assert quick.find_item("walk-break", tmp_path).image == images_dir() / "walk-break.png"
    # the same through the validating loader (the user's folder holds items) and for a user's
    # item that names a shipped picture
    user = tmp_path / "user"
    user.mkdir()
    (user / "my-figure-four.toml").write_text(
        (SHIPPED / "seated-figure-four.toml").read_text(encoding="utf-8").replace(
            'id = "seated-figure-four"', 'id = "my-figure-four"'), encoding="utf-8")
    mine = quick.find_item("my-figure-four", user)
    assert mine.image == images_dir() / folder / "seated-figure-four.png"


def test_the_card_translates_the_default_timer_label(tmp_path):
    i18n.setup("fr")
    assert quick.find_item("seated-figure-four", tmp_path).timer_label == "Tenir"


def test_the_card_falls_back_to_english_when_a_user_translation_does_not_fit(tmp_path):
    i18n.setup("de")
    user = _copy_item(tmp_path)
    _translation(user, 'title = "Kaputt"\nsteps = ["nur einer"]\n')
    warnings: list[str] = []
    item = quick.find_item("seated-figure-four", user, warnings.append)
    assert item.title == "Seated figure-four stretch"
    assert len(warnings) == 1 and "(der englische Text wird gezeigt)" in warnings[0]
