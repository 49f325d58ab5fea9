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
from babel.support import NullTranslations, Translations

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


def long_date(day: date, language: str) -> str:
    """4. marts 2025 / March 4, 2025 (CLDR's long date)."""
    return format_date(day, format="long", locale=language if language in LANGUAGES else "da")
