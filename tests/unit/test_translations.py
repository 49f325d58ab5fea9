"""The Danish catalogue is complete, current and compiled: the app speaks Danish from a fresh clone.

Workflow when an interface string changes (see babel.cfg):
    pybabel extract -F babel.cfg -k lazy_gettext -k _l -o /tmp/messages.pot .
    pybabel update -i /tmp/messages.pot -d workshop/translations --no-fuzzy-matching
    (translate the new entries in workshop/translations/da/LC_MESSAGES/messages.po)
    pybabel compile -d workshop/translations
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "workshop" / "translations" / "da" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}


def load_po() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="da")


def entries(catalog: Catalog) -> dict:
    """msgid (a tuple for plurals) -> msgstr (a tuple for plurals), without the header."""
    out = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else tuple(m.id)
        out[key] = m.string if isinstance(m.string, str) else tuple(m.string)
    return out


def extracted_ids() -> dict:
    """What `pybabel extract -F babel.cfg` finds now, in process: msgid -> first location."""
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        if key:
            found.setdefault(key, f"{filename}:{lineno}")
    return found


def test_the_catalogue_files_exist():
    assert PO.is_file(), f"{PO} is missing"
    assert MO.is_file(), f"{MO} is missing: run pybabel compile -d workshop/translations"


def test_every_msgid_has_a_danish_translation():
    missing = [m.id for m in load_po() if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not missing, f"untranslated in {PO.name}: {missing}"


def test_no_entry_is_fuzzy():
    catalog = load_po()
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries (check the translation, then remove the flag): {fuzzy}"


def test_translations_keep_every_placeholder():
    catalog = load_po()
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems


def test_the_compiled_mo_is_up_to_date_with_the_po():
    catalog = load_po()
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    fresh = entries(read_mo(compiled))
    with MO.open("rb") as f:
        shipped = entries(read_mo(f))
    stale = {k: (shipped.get(k), v) for k, v in fresh.items() if shipped.get(k) != v}
    extra = [k for k in shipped if k not in fresh]
    assert not stale and not extra, (
        "messages.mo is out of date: run pybabel compile -d workshop/translations\n"
        f"differs: {stale}\nonly in .mo: {extra}"
    )


def test_every_string_in_the_code_and_templates_is_in_the_catalogue():
    in_po = entries(load_po())
    found = extracted_ids()
    missing = {k: where for k, where in found.items() if k not in in_po}
    assert not missing, (
        "not in messages.po (extract, update and translate; see this module's docstring):\n"
        + "\n".join(f"{where}: {k!r}" for k, where in sorted(missing.items(), key=lambda kv: kv[1]))
    )


def test_extraction_sees_the_templates_the_scripts_strings_and_the_error_messages():
    found = extracted_ids()
    assert "Values workshop" in found  # templates
    assert "Offline – reconnecting…" in found  # js_strings()
    assert ("%(n)s vote", "%(n)s votes") in found  # plurals for the scripts
    assert "Wrong email or password." in found  # workshop/messages.py (lazy_gettext)


@pytest.mark.parametrize(
    ("url", "danish", "english"),
    [
        ("/", "Deltag i en workshop", "Join a workshop"),
        ("/login", "Log ind som facilitator", "Facilitator login"),
        ("/findes-ikke", "Siden findes ikke", "Page not found"),
    ],
)
def test_pages_are_danish_by_default_and_english_on_request(client, url, danish, english):
    html = client.get(url).get_data(as_text=True)
    assert danish in html and 'lang="da"' in html
    response = client.get(url + "?lang=en")
    assert english in response.get_data(as_text=True)
    assert "lang=en" in response.headers.get("Set-Cookie", "")  # remembered
    assert english in client.get(url).get_data(as_text=True)


def test_error_messages_are_translated(app):
    from workshop.messages import MESSAGES

    with app.test_request_context("/"):
        untranslated = [code for code, text in MESSAGES.items() if str(text) == text._args[0]]
    assert not untranslated, untranslated
