"""Interface text, plural rules and date formats, per language, from the gettext catalogs.

The catalogs are ``locale/<lang>/LC_MESSAGES/messages.po``; they are compiled in memory
when first used, so that a translator's edit to a .po file shows at the next build.
"""
from __future__ import annotations

import io
from datetime import date
from functools import cache, lru_cache
from typing import Callable
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from .values import Month

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def catalog_path(lang: str, locale: Path = LOCALE_DIR) -> Path:
    return locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str, locale: Path = LOCALE_DIR) -> NullTranslations:
    """The catalog of ``lang`` (in the folder of catalogs ``locale``); English source text where there is
    none (or no entry).

    Compiled again when the .po file changes, so that a running preview shows a translator's edit.
    """
    path = catalog_path(lang, locale)
    if not path.is_file():
        return NullTranslations()
    return _compiled(path, lang, path.stat().st_mtime_ns)


@cache
def _compiled(path: Path, lang: str, _version: int) -> Translations:
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language, as a link to it is labelled: "English", "Español"."""
    name = language_name_in(lang, lang)
    return name[:1].upper() + name[1:]


@cache
def language_name_in(lang: str, reader: str) -> str:
    """The name of ``lang`` as it is written in a sentence in ``reader``'s language: "inglés"."""
    try:
        return Locale.parse(lang).get_display_name(reader) or lang
    except (ValueError, UnknownLocaleError):
        return lang


def date_formatter(lang: str) -> Callable[[date | Month], str]:
    """``21 January 2025``, or ``April 2022`` for a month: unambiguous for every reader.

    The CLDR patterns (``d MMMM y``) come from the catalog, so that each language sets its own.
    They are looked up once: a page shows many dates, and every lookup checks the catalog file;
    and each date is formatted once: a site shows the same few hundred dates on every list.
    """
    locale = lang if catalog_path(lang).is_file() else "en"
    gettext = translations(locale)
    # Translators: a CLDR date pattern for a month alone (MMMM: its name, y: the year): "April 2022".
    month_pattern = gettext.pgettext("month pattern", "MMMM y")
    # Translators: a CLDR date pattern (d: the day, MMMM: the month's name, y: the year): "21 January 2025".
    day_pattern = gettext.pgettext("date pattern", "d MMMM y")

    @lru_cache(maxsize=65536)
    def formatted(value: date | Month) -> str:
        if isinstance(value, Month):
            return babel_format_date(value.first_day, month_pattern, locale=locale)
        return babel_format_date(value, day_pattern, locale=locale)

    return formatted


_SIZE_UNITS = (("digital-megabyte", 1_000_000), ("digital-kilobyte", 1_000))  # decimal, as file managers show


def size_formatter(lang: str) -> Callable[[int], str]:
    """A file's size for ``lang``, with CLDR's decimal sign and unit: ``1.2 MB``, ``1,2 MB``, ``850 kB``."""
    locale = lang if catalog_path(lang).is_file() else "en"

    def formatted(size: int) -> str:
        for unit, factor in _SIZE_UNITS:
            if size >= factor:
                return format_unit(size / factor, unit, length="short", format="#,##0.#", locale=locale)
        return format_unit(size, "digital-byte", length="short", format="#,##0", locale=locale)

    return formatted


def extract_jurisdiction(fileobj, keywords, comment_tags, options):
    """Babel's extractor of a jurisdiction profile (``jurisdictions/<CODE>.yml``, babel.cfg): each of its
    ``texts``, an English msgid (a pair of them, singular and plural, for ``one`` and ``other``), so that
    ``make messages`` puts them in the catalogs as it does the templates' texts."""
    import yaml

    node = yaml.compose(fileobj.read().decode("utf-8"))
    texts = next((value for key, value in getattr(node, "value", []) if key.value == "texts"), None)
    for key, value in getattr(texts, "value", []):
        comment = [f"{key.value}: a jurisdiction's text"]
        if isinstance(value, yaml.MappingNode):
            forms = {form.value: text for form, text in value.value}
            yield (forms["one"].start_mark.line + 1, "ngettext", (forms["one"].value, forms["other"].value),
                   comment)
        else:
            yield value.start_mark.line + 1, "gettext", value.value, comment
