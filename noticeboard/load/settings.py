"""The settings files of content/: site.yml, data-elements.yml and policies/series.yml."""
from __future__ import annotations

from pathlib import Path

from .. import codes
from ..diagnostics import Report
from ..i18n import catalog_path
from ..languages import Translatable
from ..urls import example_domain
from ..values import ELEMENT_KEY_PATTERN
from .files import readable
from .reader import Source, display_path, read_yaml_file
from .records import ElementDefinition, Series
from .schema import DataElementFields, SeriesFields, SiteFields, validate

RESERVED_ELEMENT_KEYS = {"main"}  # keys become ids and folders under /data/; these are the layout's


def settings_file(root: Path, relative: str, report: Report) -> Source | None:
    path = root / relative
    if not path.is_symlink() and not path.exists():
        report.in_file(display_path(path), codes.MISSING_FILE,
                       "is missing; see docs/staff/content-format.md for its format")
        return None
    if not readable(path, root, report):
        return None
    if not path.is_file():
        report.in_file(display_path(path), codes.NOT_A_FILE,
                       "is not a file; see docs/staff/content-format.md for its format")
        return None
    return read_yaml_file(path, report)


def read_site(root: Path, report: Report) -> tuple[SiteFields | None, list[str]]:
    source = settings_file(root, "site.yml", report)
    if source is None:
        return None, []
    site = validate(SiteFields, source, report)
    if site is not None:
        _check_placeholder_settings(source, site, report)
        for name in ("title", "district"):
            check_translatable(source, (name,), getattr(site, name), site.languages, report)
        for index, lang in enumerate(site.languages):
            if not catalog_path(lang).is_file():
                report.at(source, ("languages", index), codes.NO_INTERFACE_CATALOG,
                          f"'{lang}' has no catalog of interface text ({display_path(catalog_path(lang))}), "
                          "so its pages show menus and headings in English; "
                          "see docs/staff/translating-the-interface.md")
    return site, [str(catalog_path(lang)) for lang in site.languages] if site else []


def _check_placeholder_settings(source: Source, site: SiteFields, report: Report) -> None:
    """Settings that would publish a site that leads nowhere: an example domain, or no one to ask."""
    for loc, address in ((("base_url",), site.base_url), (("contact", "email"), site.contact.email)):
        domain = address and example_domain(address)
        if domain:
            report.at(source, loc, codes.EXAMPLE_ADDRESS,
                      f"'{address}' is at {domain}, a domain reserved for examples: "
                      + ("write the address where the site is published" if loc == ("base_url",) else
                         "write the address that parents' questions reach"))
    contact = site.contact
    if not (contact.email or contact.phone or contact.address):
        message = ("no e-mail, phone or address: parents would have no one to ask about a notice, and pages show no "
                   "'Ask about this notice' link; add contact: with the office's email")
        if "contact" in source.data:
            report.at(source, ("contact",), codes.NO_CONTACT, message)
        else:
            report.missing(source, ("contact",), codes.NO_CONTACT, message)


def check_translatable(source: Source, loc: tuple, value, languages: list[str] | None, report: Report) -> None:
    """A mapping of ``value`` names only languages of site.yml, and has the default language's text."""
    if not isinstance(value, dict) or languages is None:
        return
    default = languages[0]
    for lang in value:
        if lang not in languages:
            report.at(source, loc + (lang,), codes.LANGUAGE_NOT_IN_SITE,
                      f"'{lang}' is not one of the languages of site.yml ({', '.join(languages)})")
    if default not in value:
        report.at(source, loc, codes.NO_DEFAULT_LANGUAGE_TEXT,
                  f"has no text in '{default}', the site's default language (the first of site.yml's "
                  f"languages), which pages show where a translation is missing")


def read_elements(root: Path, languages: list[str] | None, report: Report) -> dict[str, ElementDefinition] | None:
    source = settings_file(root, "data-elements.yml", report)
    if source is None:
        return None
    if not isinstance(source.data, dict) or not source.data:
        report.in_file(source.path, codes.WRONG_STRUCTURE,
                       "expected data elements written as 'key:' with label, category and description", field="yaml")
        return None
    elements = {}
    for key, value in source.data.items():
        key = str(key)
        if key in RESERVED_ELEMENT_KEYS:
            report.at(source, (key,), codes.RESERVED_DATA_ELEMENT_KEY,
                      f"'{key}' is reserved for the page layout; choose another key")
            continue
        if not ELEMENT_KEY_PATTERN.fullmatch(key):
            report.at(source, (key,), codes.BAD_DATA_ELEMENT_KEY,
                      "a data-element key is lowercase letters, digits and underscores (at most 64), "
                      "e.g. date_of_birth")
            continue
        fields = validate(DataElementFields, source, report, data=value, loc_prefix=(key,))
        if fields is None:
            # An entry with errors still names a key, so that notices using it get no follow-on error.
            elements[key] = ElementDefinition(key, Translatable.of(key), Translatable.of(""), Translatable.of(""))
            continue
        for name in ("label", "category", "description"):
            check_translatable(source, (key, name), getattr(fields, name), languages, report)
        elements[key] = ElementDefinition(key, Translatable.of(fields.label), Translatable.of(fields.category),
                                          Translatable.of(fields.description), fields.sensitive,
                                          _aliases(fields.aliases))
    return elements


def _aliases(aliases: list[str] | dict[str, list[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An element's ``aliases`` as ``ElementDefinition`` keeps them: (language, names), "" for a plain list."""
    if aliases is None:
        return ()
    if isinstance(aliases, list):
        return (("", tuple(aliases)),)
    return tuple((lang, tuple(names)) for lang, names in aliases.items())


def read_series(root: Path, languages: list[str] | None, report: Report) -> list[Series] | None:
    source = settings_file(root, "policies/series.yml", report)
    if source is None:
        return None
    if not isinstance(source.data, list):
        report.in_file(source.path, codes.WRONG_STRUCTURE,
                       "expected a list of series, e.g. - {key: \"5000\", title: Students}", field="yaml")
        return None
    series, seen = [], set()
    for index, item in enumerate(source.data):
        fields = validate(SeriesFields, source, report, data=item, loc_prefix=(index,))
        if fields is None:
            continue
        if fields.key in seen:
            report.at(source, (index, "key"), codes.LISTED_TWICE, f"series '{fields.key}' is listed twice")
            continue
        seen.add(fields.key)
        check_translatable(source, (index, "title"), fields.title, languages, report)
        series.append(Series(fields.key, Translatable.of(fields.title)))
    return series

