"""Translations: gettext catalogues shipped inside the package, one language per process.

``_("text")`` and ``ngettext(singular, plural, n)`` translate at call time into the language set
by ``setup``; ``N_("text")`` only marks a msgid for the catalogue (a table translated where it is
shown). Placeholders are ``str.format`` names: ``_("{n} min").format(n=5)``, never f-strings
(the extractor cannot see inside them).

The language: the config key ``ui.language`` if it names one (``SITBREAK_UI__LANGUAGE``
overrides it as for every key, and is how the daemon passes its choice to the card process),
else the locale environment as gettext reads it (``LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``,
``LANG``), else the desktop's language on Windows and macOS, else English. The catalogues are
``sitbreak/locale/<lang>/LC_MESSAGES/sitbreak.mo``, compiled from the ``.po`` beside them by
``python -m sitbreak.i18n_catalog``.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "sitbreak"
SOURCE_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es")
CHOICES: tuple[str, ...] = ("auto", *LANGUAGES)
ENV_OVERRIDE = "SITBREAK_UI__LANGUAGE"
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here."""
    return message


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


class Text:
    """Words translated where they are shown, not where they are made: an English msgid (marked
    with ``N_`` so the catalogue has it) and its ``str.format`` values. ``str()`` is the English
    (log lines stay English); ``translated()`` is the language in force when it is called, with
    every value that is a ``Text`` too translated. For what adapters say about themselves
    (``sitbreak doctor`` shows it, the log records it)."""

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.msgid = msgid
        self.values = values

    def translated(self) -> str:
        return _(self.msgid).format(**{k: v.translated() if isinstance(v, Text) else v
                                       for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.msgid.format(**{k: str(v) if isinstance(v, Text) else v
                                    for k, v in self.values.items()})

    def __repr__(self) -> str:
        values = "".join(f", {k}={v!r}" for k, v in self.values.items())
        return f"Text({self.msgid!r}{values})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.msgid, self.values) == (other.msgid, other.values)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted(self.values))))


def current() -> str:
    """The language in force: one of ``LANGUAGES``."""
    return _language


def locale_dir() -> Path:
    return Path(__file__).resolve().parent / "locale"


def setup(choice: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Use ``choice`` (a config value: ``auto``, empty or None mean "from the environment")."""
    global _translation, _language
    language = choice if choice in LANGUAGES else language_from_environment(environ)
    if language == SOURCE_LANGUAGE:
        translation: gettext.NullTranslations = gettext.NullTranslations()
    else:
        translation = gettext.translation(
            DOMAIN, localedir=locale_dir(), languages=[language], fallback=True
        )
    _translation, _language = translation, language
    _translate_argparse()
    return language


def normalize(value: str) -> str:
    """``de_DE.UTF-8@euro`` → ``de``; ``C``/``POSIX`` → ``en``."""
    code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return SOURCE_LANGUAGE if code in ("c", "posix", "") else code


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The shipped language the locale variables ask for (English if none of ours)."""
    env = os.environ if environ is None else environ
    locale_value = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    if locale_value.split(".", 1)[0] in ("C", "POSIX"):
        return SOURCE_LANGUAGE  # the C locale: GNU gettext ignores LANGUAGE then, so do we
    for wanted in env.get("LANGUAGE", "").split(":"):
        if wanted and normalize(wanted) in LANGUAGES:
            return normalize(wanted)
    if locale_value:
        code = normalize(locale_value)
        return code if code in LANGUAGES else SOURCE_LANGUAGE
    if environ is None:
        desktop = _desktop_language()
        if desktop in LANGUAGES:
            return desktop
    return SOURCE_LANGUAGE


def _desktop_language() -> str:
    """Windows and macOS apps started from the desktop get no LANG: ask the system."""
    try:
        if sys.platform == "win32":
            import ctypes

            buf = ctypes.create_unicode_buffer(85)
            if ctypes.windll.kernel32.GetUserDefaultLocaleName(buf, len(buf)):  # type: ignore[attr-defined]
                return normalize(buf.value)
        elif sys.platform == "darwin":
            import subprocess

            out = subprocess.run(["defaults", "read", "-g", "AppleLanguages"], capture_output=True,
                                 text=True, timeout=2, check=False).stdout
            first = out.replace("(", "").replace('"', "").split(",")[0].strip()
            return normalize(first)
    except Exception:  # no answer: English
        return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


# argparse's own words ("usage:", "options", its errors): argparse looks up its module-level
# ``_``/``ngettext`` at call time, so pointing them at our catalogue translates them too.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def _translate_argparse() -> None:
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def configured_language(config: str | None = None) -> tuple[str | None, str | None]:
    """(``ui.language`` as configured, a one-line problem) without loading the whole config
    (no pydantic: every CLI command starts here). As the full loader layers it: the system-wide
    file, then ``SITBREAK_UI__LANGUAGE`` or the user's file (``config``, else
    ``$SITBREAK_CONFIG``, else the usual one) unless the system file locks the key."""
    from sitbreak.config_locations import system_locations

    found: list[tuple[str, object]] = []  # (where, value), most important last
    locked = False
    for name in reversed(system_locations()):
        data = _toml(Path(name))
        value = _ui_language(data)
        if value is not None:
            found.append((f"{name}: ui.language", value))
        lock = data.get("locked")
        keys = lock.get("keys", []) if isinstance(lock, dict) else []
        locked = locked or (isinstance(keys, list) and bool({"ui", "ui.language"} & set(keys)))
    if not locked:
        user = Path(config or os.environ.get("SITBREAK_CONFIG") or _default_config()).expanduser()
        value = _ui_language(_toml(user))
        if value is not None:
            found.append((f"{user}: ui.language", value))
        if os.environ.get(ENV_OVERRIDE):
            where = _("environment variable {name}").format(name=ENV_OVERRIDE)
            found.append((where, os.environ[ENV_OVERRIDE]))
    if not found:
        return None, None
    where, value = found[-1]
    if value not in CHOICES:
        return None, _("{where}: {value} is not one of {choices}").format(
            where=where, value=repr(value)[:40], choices=", ".join(CHOICES))
    return str(value), None


def _toml(path: Path) -> dict[str, object]:
    """The file's tables, read as the config loader reads it (a link followed to a regular
    file; a FIFO, a device or a huge file never opened for reading), else nothing."""
    from sitbreak.safe_files import UnsafeFile, read_regular_file

    try:
        raw = read_regular_file(path.resolve(strict=True), 1 << 20)
        import tomllib  # only when there is a file: most starts have none to read

        return tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnsafeFile, UnicodeDecodeError, RecursionError, ValueError):
        return {}  # unreadable or broken: the command that loads it says why


def _ui_language(data: dict[str, object]) -> object:
    ui = data.get("ui")
    return ui.get("language") if isinstance(ui, dict) else None


def _default_config() -> Path:
    from platformdirs import user_config_path

    return user_config_path("sitbreak", appauthor=False) / "sitbreak.toml"
