"""Dates and numbers the way the language in force writes them (CLDR's patterns for the four
shipped languages), for ``sitbreak stats`` and its chart.

A table rather than Babel: four languages need ~40 lines of data, not a 30 MB dependency, and
not ``locale.setlocale`` either (process-wide, and the user's locale may not be generated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitbreak import i18n


@dataclass(frozen=True, slots=True)
class DateWords:
    weekdays: tuple[str, ...]  # Monday first, abbreviated
    months: tuple[str, ...]  # abbreviated
    day: str  # a day with its weekday: {wd} {d} {mon} {y}
    day_no_year: str
    decimal: str
    group: str
    group_from: int  # numbers below this are not grouped (Spanish: 10000)
    percent: str  # how "12" becomes a percentage


FORMATS: dict[str, DateWords] = {
    "en": DateWords(
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        "{wd} {d:02d} {mon} {y}", "{wd} {d:02d} {mon}", ".", ",", 1000, "{n} %"),
    "de": DateWords(
        ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
        ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
         "Dez."),
        "{wd}, {d}. {mon} {y}", "{wd}, {d}. {mon}", ",", ".", 1000, "{n}\u00a0%"),
    "fr": DateWords(
        ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
        ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
         "nov.", "déc."),
        "{wd} {d} {mon} {y}", "{wd} {d} {mon}", ",", "\u202f", 1000, "{n}\u202f%"),
    "es": DateWords(
        ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
        "{wd}, {d} {mon} {y}", "{wd}, {d} {mon}", ",", ".", 10000, "{n}\u00a0%"),
}


def _words() -> DateWords:
    return FORMATS.get(i18n.current(), FORMATS["en"])


def weekday(day: date) -> str:
    return _words().weekdays[day.weekday()]


def format_day(day: date, *, year: bool = True) -> str:
    """``Mon 23 Nov 2026`` / ``Mo., 23. Nov. 2026`` / ``lun. 23 nov. 2026`` / ``lun, 23 nov 2026``."""
    w = _words()
    pattern = w.day if year else w.day_no_year
    return pattern.format(wd=w.weekdays[day.weekday()], d=day.day, mon=w.months[day.month - 1],
                          y=day.year)


def format_number(value: float, decimals: int = 0) -> str:
    """``1,234.5`` / ``1.234,5`` / ``1 234,5`` / ``1234,5``, with a real minus sign."""
    w = _words()
    text = f"{abs(value):,.{decimals}f}"
    whole, _sep, frac = text.partition(".")
    if abs(value) < w.group_from:
        whole = whole.replace(",", "")
    out = whole.replace(",", w.group) + (w.decimal + frac if frac else "")
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "") + out


def format_signed(value: int) -> str:
    """``+3`` / ``−2``: a change, signed."""
    return ("+" if value > 0 else "") + format_number(value)


def format_percent(value: int) -> str:
    """A signed whole percentage: ``+12 %`` (the space each language puts there)."""
    return _words().percent.format(n=format_signed(value))
