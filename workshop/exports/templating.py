"""The seam between the pure formats and Jinja: render a template under templates/exports/ with
autoescaping and the session language's catalogue (`_()` in the templates)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .words import translations

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=4)
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every {{ }} is HTML-escaped unless it is Markup
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    return env


def render(name: str, language: str, **context) -> str:
    """Template `name` in `language` (also given to the template as `language`)."""
    return environment(language).get_template(name).render(language=language, **context)
