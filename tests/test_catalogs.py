"""The interface text lives in the gettext catalogs, complete in every language, and pages use it."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from conftest import print_dates
from noticeboard.i18n import LOCALE_DIR, catalog_path, date_formatter, translations
from noticeboard.values import Month

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGE = "en"
LANGUAGES = sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _key(message_id, context) -> tuple:
    return (context, message_id if isinstance(message_id, str) else tuple(message_id))


def extracted() -> set[tuple]:
    """What ``make messages`` would extract now, with the mapping of babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {_key(message_id, context)
            for _file, _line, message_id, _comments, context in extract_from_dir(str(ROOT), method_map, options_map)}


def read(path: Path):
    with path.open("rb") as po:
        return read_po(po)


def in_catalog(catalog) -> set[tuple]:
    return {_key(message.id, message.context) for message in catalog if message.id}


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_there_are_catalogs_for_english_and_spanish():
    assert {"en", "es"} <= set(LANGUAGES)


def test_every_string_of_the_templates_and_code_is_in_the_template_catalog():
    wanted = extracted()
    pot = in_catalog(read(LOCALE_DIR / "messages.pot"))
    assert wanted - pot == set(), "run `make messages`"
    assert pot - wanted == set(), "messages.pot holds strings no longer used: run `make messages`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_has_every_string(lang):
    wanted = extracted()
    catalog = in_catalog(read(catalog_path(lang)))
    assert wanted - catalog == set(), f"{lang}: run `make messages`"
    assert catalog - wanted == set(), f"{lang}: obsolete entries; run `make messages`"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_entry_is_translated_with_the_placeholders_of_its_source(lang):
    catalog = read(catalog_path(lang))
    for message in catalog:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        assert not message.fuzzy, f"{lang}: fuzzy: {name!r}"
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert len(forms) == (1 if isinstance(message.id, str) else catalog.num_plurals), name
        assert all(form.strip() for form in forms), f"{lang}: untranslated: {name!r}"
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*map(placeholders, sources))
        assert set().union(*map(placeholders, forms)) == expected, f"{lang}: placeholders of {name!r}"
        for form in forms:
            assert placeholders(form) <= expected, f"{lang}: unknown placeholder in {form!r}"


def test_a_catalog_is_read_from_its_po_file():
    assert translations("es").gettext("Skip to main content") == "Saltar al contenido principal"
    assert translations("es").ngettext("%(count)s notice", "%(count)s notices", 2) == "%(count)s avisos"
    assert translations("xx").gettext("Skip to main content") == "Skip to main content"


@pytest.mark.parametrize("lang, day, month", [
    ("en", "21 January 2025", "April 2022"),
    ("es", "21 de enero de 2025", "abril de 2022"),
])
def test_dates_are_written_in_each_language(lang, day, month):
    assert date_formatter(lang)(date(2025, 1, 21)) == day
    assert date_formatter(lang)(Month(2022, 4)) == month


def test_a_language_without_a_catalog_gets_english_dates():
    assert date_formatter("sq")(date(2025, 1, 21)) == "21 January 2025"


def test_the_spanish_guide_has_a_spanish_interface(example_site):
    page = BeautifulSoup((example_site / "es" / "guide" / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert page.html["lang"] == "es"
    assert page.select_one("a.skip-link").get_text() == "Saltar al contenido principal"
    nav = page.select_one("header nav:not(.language-switch)")
    assert nav["aria-label"] == "Principal"
    assert [a.get_text() for a in nav.select("a")] == [
        "Avisos", "Empresas de la A a la Z", "Datos estudiantiles", "Escuelas", "Grados", "Guía para padres",
        "Políticas", "Filtraciones", "Buscar"]
    footer = page.select_one("footer")
    assert footer.h2.get_text() == "Contacto"
    assert "Seguir los avisos nuevos (canal)" in footer.get_text() and "Datos abiertos" in footer.get_text()
    home_footer = BeautifulSoup((example_site / "es" / "index.html").read_text(encoding="utf-8"), "html5lib").footer
    assert "Última actualización de los avisos:" in home_footer.get_text()
    assert re.search(r"\d+ de [a-z]+ de \d{4}", home_footer.time.get_text())
    assert page.select_one(".print-header .print-built")
    assert print_dates((example_site / "style.css").read_bytes())["es"] == \
        "Impreso del sitio publicado el 29 de noviembre de 2026"


def test_the_english_pages_keep_their_english_interface(example_site):
    page = BeautifulSoup((example_site / "guide" / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert page.select_one("a.skip-link").get_text() == "Skip to main content"
    home = BeautifulSoup((example_site / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", home.select_one("footer time").get_text())
    assert print_dates((example_site / "style.css").read_bytes())["en"] == \
        "Printed from the site as built on 29 November 2026"


def test_every_code_that_pages_show_has_a_label_in_every_language():
    """The words for codes live in ``noticeboard/output/labels.py``, one table per kind of code."""
    from typing import get_args

    from noticeboard.output import labels
    from noticeboard.load.records import NOTICE_ELEMENTS
    from noticeboard.load.schema import ContractFields

    assert set(labels.NOTICE_KINDS) == set(get_args(ContractFields.model_fields["kind"].annotation))
    from noticeboard.load.jurisdictions import JURISDICTIONS, load_jurisdiction
    required = {name for code in JURISDICTIONS for name in load_jurisdiction(code).notice.fields}
    assert set(labels.MISSING_ELEMENTS) == set(NOTICE_ELEMENTS) | required  # what a notice may lack
    render_source = (ROOT / "noticeboard" / "output" / "render.py").read_text(encoding="utf-8")
    assert set(re.findall(r'search_kind="(\w+)"', render_source)) | {"guide", "page"} == set(labels.SEARCH_KINDS)
    for lang in LANGUAGES:
        table = labels.Labels(translations(lang), lambda value: value.isoformat())
        shown = [*table.notice_kinds.values(), *table.statuses.values(), *table.missing_elements.values(),
                 *table.search_kinds.values()] + [table.business_days(n) for n in range(1, 61)]
        assert all(word.strip() for word in shown), lang
    spanish = labels.Labels(translations("es"), lambda value: value.isoformat())
    assert [spanish.business_days(n) for n in (1, 5, 10, 11)] == ["un", "cinco", "diez", "11"]


def test_templates_hold_no_tables_of_words():
    """A template that maps codes to words (``{% set names = {"notice": _("Notice")} %}``) belongs in labels.py."""
    templates = ROOT / "noticeboard" / "templates"
    for template in sorted(path for path in templates.rglob("*") if path.is_file()):  # email/ too
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"\{%-?\s*set\s+\w+\s*=\s*\{", source), template.relative_to(templates).as_posix()
