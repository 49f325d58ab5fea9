"""Pure: the exports' words, from the app's Babel catalogue, in the session's language.

An export follows the session's language, not the language of whoever clicks the button, so the
formats do not use Flask-Babel's request locale: they load the same compiled catalogue
(workshop/translations) for the session's language. English is the source language (no catalogue).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from ..kinds.base import N_

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
LANGUAGES = ("da", "en")


@lru_cache(maxsize=4)
def translations(language: str) -> NullTranslations:
    if language not in LANGUAGES:
        language = "da"
    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


def gettext(language: str):
    """The gettext function for `language` (call it `_` so `pybabel extract` finds the strings)."""
    return translations(language).gettext


def ngettext(language: str):
    """The ngettext function for `language` (singular, plural, n)."""
    return translations(language).ngettext


def long_date(day: date, language: str) -> str:
    """4. marts 2025 / March 4, 2025 (CLDR's long date)."""
    return format_date(day, format="long", locale=language if language in LANGUAGES else "da")


def number(x, language: str) -> str:
    """A number as the session's language writes it: 3,4 (da) / 3.4 (en); whole numbers plain."""
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer()):
        return str(int(x))
    return format_decimal(x, format="#,##0.0#", locale=language if language in LANGUAGES else "da")


# Role names as the exports show the role split (catalogue msgids, translated by the format).
ROLES = {"leader": N_("Leaders"), "employee": N_("Employees"), "other": N_("Other roles")}
# What a dilemma under the anonymity minimum says instead of its results.
SUPPRESSED = N_("Too few answers to show results, to protect anonymity")
