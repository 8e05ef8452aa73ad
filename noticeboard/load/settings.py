"""The settings files of content/: site.yml, data-elements.yml and policies/series.yml.

The vocabulary and the policy series ship with the package (``defaults/``): a site without its own
file uses the shipped one, and a site's file replaces it, or adds to it with ``extends: shipped``.
Texts in a language that the site does not publish are left out wherever they are: those of the
shipped files silently, those of a site's file with one note per file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import codes, colours, program
from ..diagnostics import Report
from ..i18n import catalog_path
from ..languages import Translatable
from ..theme import site_static_folder
from ..urls import example_domain
from ..values import ELEMENT_KEY_PATTERN
from .files import readable
from .jurisdictions import holiday_calendar, load_jurisdiction
from .reader import Source, display_path, read_yaml_file, resolved_inside
from .records import ElementDefinition, Series
from .schema import MAILTO, DataElementFields, SeriesFields, SiteFields, validate

RESERVED_ELEMENT_KEYS = {"main"}  # keys become ids and folders under /data/; these are the layout's
DEFAULTS = Path(__file__).resolve().parents[1] / "defaults"  # package data
SHIPPED_ELEMENTS = DEFAULTS / "data-elements.yml"  # the vocabulary that ships, used where content/ has none
SHIPPED_SERIES = DEFAULTS / "series.yml"  # the policy series that ship, used where content/policies/ has none
SHIPPED_LANGUAGES = ("en", "es")  # every label, category, description and title of the shipped files has these
SHIPPED_LANGUAGE = "en"  # shown where a site's default language is not one of SHIPPED_LANGUAGES
EXTENDS, SHIPPED = "extends", "shipped"  # `extends: shipped`: a site's file adds to the shipped one
SITE_TEXTS = ("title", "district", "logo_alt")  # the settings of site.yml given as text or by language


def absent(path: Path) -> bool:
    """Nothing at ``path``, not even a broken link (which is reported, not taken for a file left out)."""
    return not path.is_symlink() and not path.exists()


def settings_file(root: Path, relative: str, report: Report) -> Source | None:
    path = root / relative
    if not path.is_symlink() and not path.exists():
        start = (f", or start a new site with: {program()} init DIR --district \"District name\""
                 if relative == "site.yml" else "")
        report.in_file(display_path(path), codes.MISSING_FILE,
                       f"is missing; see docs/staff/content-format.md for its format{start}")
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
        site = _checked_subdivision(source, site, report)
        published = Published(site.languages)
        site = site.model_copy(update={name: published.texts((name,), getattr(site, name)) for name in SITE_TEXTS})
        for name in SITE_TEXTS:
            check_translatable(source, (name,), getattr(site, name), site.languages, report)
        published.note(source, report)
        for index, lang in enumerate(site.languages):
            if not catalog_path(lang).is_file():
                report.at(source, ("languages", index), codes.NO_INTERFACE_CATALOG,
                          f"'{lang}' has no catalog of interface text ({display_path(catalog_path(lang))}), "
                          "so its pages show menus and headings in English; "
                          "see docs/staff/translating-the-interface.md")
        return site, [str(catalog_path(lang)) for lang in site.languages] + _check_look(root, source, site, report)
    return site, []


def _checked_subdivision(source: Source, site: SiteFields, report: Report) -> SiteFields:
    """``holiday_subdivision``, unless the holidays package does not know it in the jurisdiction's country (reported,
    and the jurisdiction's own used)."""
    if site.holiday_subdivision is None:
        return site
    try:
        holiday_calendar(load_jurisdiction(site.jurisdiction).calendar.country, site.holiday_subdivision)
    except ValueError as error:
        report.at(source, ("holiday_subdivision",), codes.INVALID_VALUE, str(error))
        return site.model_copy(update={"holiday_subdivision": None})
    return site


def _check_placeholder_settings(source: Source, site: SiteFields, report: Report) -> None:
    """Settings that would publish a site that leads nowhere: an example domain, or no one to ask."""
    fixes = {("base_url",): "write the address where the site is published",
             ("contact", "email"): "write the address that parents' questions reach",
             ("subscribe",): "write the address where parents sign up"}
    for loc, address in zip(fixes, (site.base_url, site.contact.email, site.subscribe)):
        domain = address and example_domain(address.removeprefix(MAILTO))
        if domain:
            report.at(source, loc, codes.EXAMPLE_ADDRESS,
                      f"'{address}' is at {domain}, a domain reserved for examples: {fixes[loc]}")
    contact = site.contact
    if not (contact.email or contact.phone or contact.address):
        message = ("no e-mail, phone or address: parents would have no one to ask about a notice, and pages show no "
                   "'Ask about this notice' link; add contact: with the office's email")
        if "contact" in source.data:
            report.at(source, ("contact",), codes.NO_CONTACT, message)
        else:
            report.missing(source, ("contact",), codes.NO_CONTACT, message)


def _check_look(root: Path, source: Source, site: SiteFields, report: Report) -> list[str]:
    """The settings of the site's look: the logo is a file of static/ and says what it shows, the accent colour
    can be read on every light background that it is drawn on, the sign-up leads somewhere. Returns the further
    files that this looked at (the logo, the stylesheet), which the caches watch."""
    looked_at = []
    if site.logo is not None:
        static = site_static_folder(root)
        path = static / site.logo
        looked_at.append(str(path))
        try:
            _, inside = resolved_inside(path, static)
        except (OSError, RuntimeError):
            inside = True  # nothing there: said below
        if not inside:
            report.at(source, ("logo",), codes.LOGO_NOT_FOUND,
                      f"{display_path(path)} is a link that leads out of the site's static folder; put the image "
                      "itself there")
        elif not path.is_file():
            report.at(source, ("logo",), codes.LOGO_NOT_FOUND,
                      f"'{site.logo}' is not a file of the site's static folder: looked for {display_path(path)}; "
                      "copy the image there, or correct the name")
        if site.logo_alt is None:
            report.at(source, ("logo",), codes.MISSING_FIELD,
                      "needs logo_alt: beside it, what the logo shows, which screen readers read out in its place, "
                      "e.g. logo_alt: Lincoln Public Schools")
    elif site.logo_alt is not None:
        report.at(source, ("logo_alt",), codes.LOGO_ALT_WITHOUT_LOGO,
                  "is given without logo, so no page shows it: add logo: with the image's path in static/, or "
                  "remove logo_alt")
    if site.accent_colour is not None:
        looked_at.append(str(colours.STYLESHEET))
        _check_accent_contrast(source, site.accent_colour, report)
    return looked_at


def _check_accent_contrast(source: Source, accent: str, report: Report) -> None:
    """The accent against each light background of the stylesheet that links and buttons of it are drawn on."""
    backgrounds = colours.accent_backgrounds(colours.STYLESHEET.read_text(encoding="utf-8"))
    too_low = [f"{colours.ratio_text(ratio)} against {name} ({background})"
               for name, background in backgrounds.items()
               if (ratio := colours.contrast_ratio(accent, background)) < colours.MIN_CONTRAST]
    if too_low:
        report.at(source, ("accent_colour",), codes.ACCENT_CONTRAST,
                  f"'{accent}' has a contrast of {' and '.join(too_low)}, and links and buttons need at least "
                  f"{colours.MIN_CONTRAST}:1 (WCAG 2.1 AA) to be read: choose a darker colour")


@dataclass
class Published:
    """The texts of one file in the languages that the site publishes (``languages``, None when site.yml is
    unusable: then every text). The others are left out and remembered, for one note on the file.

    The shipped files keep their English text where the site's default language has none (a site in French
    shows the shipped vocabulary in English, marked as English on its pages; not so for aliases, which are
    optional), and are never noted: what is in them is not the district's doing."""

    languages: list[str] | None
    shipped: bool = False
    left_out: dict[str, list[tuple]] = field(default_factory=dict)  # language → where its texts are

    def texts(self, loc: tuple, value, required: bool = True):
        """``value`` (text, or a mapping by language, at ``loc``) in the site's languages. A ``required`` text
        with none of them is kept whole, for check_translatable's error (nothing is built from a file with an
        error); an optional one (aliases) is then empty."""
        if not isinstance(value, dict) or self.languages is None:
            return value
        kept = {lang: text for lang, text in value.items() if lang in self.languages}
        if self.shipped and required and self.languages[0] not in kept and SHIPPED_LANGUAGE in value:
            kept[SHIPPED_LANGUAGE] = value[SHIPPED_LANGUAGE]
        for lang in value:
            if lang not in kept:
                self.left_out.setdefault(lang, []).append(loc + (lang,))
        return kept if kept or not required else value

    def note(self, source: Source, report: Report) -> None:
        """One note for the whole file, on the line of the first text left out."""
        if not self.left_out or self.shipped:
            return
        places = [loc for locs in self.left_out.values() for loc in locs]
        first = min(places, key=lambda loc: source.place(loc)[0])
        named = [f"'{lang}'" for lang in self.left_out]
        if len(named) == 1:
            who, whose, fix = f"{named[0]} is not a language", "its", f"add {named[0]} to site.yml's languages"
        else:
            who = f"{', '.join(named[:-1])} and {named[-1]} are not languages"
            whose, fix = "their", "add a language to site.yml's languages"
        what = ("text in this file is ignored" if len(places) == 1 else
                f"{len(places)} texts in this file are ignored, the first on this line")
        report.at(source, first, codes.LANGUAGE_NOT_PUBLISHED,
                  f"{who} of site.yml ({', '.join(self.languages)}): {whose} {what}; {fix} to publish "
                  f"{'it' if len(places) == 1 else 'them'}", note=True)


def check_translatable(source: Source, loc: tuple, value, languages: list[str] | None, report: Report) -> None:
    """A mapping of ``value`` has the default language's text."""
    if not isinstance(value, dict) or languages is None:
        return
    default = languages[0]
    if default not in value:
        report.at(source, loc, codes.NO_DEFAULT_LANGUAGE_TEXT,
                  f"has no text in '{default}', the site's default language (the first of site.yml's "
                  f"languages), which pages show where a translation is missing")


def read_elements(root: Path, languages: list[str] | None, report: Report) -> dict[str, ElementDefinition] | None:
    """The site's vocabulary: content/data-elements.yml, the shipped one where it has none, or the shipped one
    with the site's entries (``extends: shipped``; an entry with a shipped key replaces that element)."""
    path = root / "data-elements.yml"
    if absent(path):
        return shipped_elements(languages, report)
    source = settings_file(root, "data-elements.yml", report)
    if source is None:
        return None
    if not isinstance(source.data, dict) or not source.data:
        report.in_file(source.path, codes.WRONG_STRUCTURE,
                       "expected data elements written as 'key:' with label, category and description", field="yaml")
        return None
    elements = {}
    if EXTENDS in source.data:
        _check_extends(source, (EXTENDS,), source.data[EXTENDS], "data elements", report)
        elements = shipped_elements(languages, report) or {}
    published = Published(languages)
    elements.update(_elements_of(source, published, report))
    published.note(source, report)
    return elements


def shipped_elements(languages: list[str] | None, report: Report) -> dict[str, ElementDefinition] | None:
    """The shipped vocabulary in ``languages`` (a test holds that it gives no diagnostic in the languages of
    the interface)."""
    source = read_yaml_file(SHIPPED_ELEMENTS, report)
    return None if source is None else _elements_of(source, Published(languages, shipped=True), report)


def _elements_of(source: Source, published: Published, report: Report) -> dict[str, ElementDefinition]:
    elements = {}
    for key, value in source.data.items():
        key = str(key)
        if key == EXTENDS:
            continue
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
        texts = {name: published.texts((key, name), getattr(fields, name), name != "aliases")
                 for name in ELEMENT_TEXTS}
        if not published.shipped:
            for name in ("label", "category", "description"):
                check_translatable(source, (key, name), texts[name], published.languages, report)
        elements[key] = ElementDefinition(key, Translatable.of(texts["label"]), Translatable.of(texts["category"]),
                                          Translatable.of(texts["description"]), fields.sensitive,
                                          _aliases(texts["aliases"]))
    return elements


ELEMENT_TEXTS = ("label", "category", "description", "aliases")  # the fields of an element given by language


def _check_extends(source: Source, loc: tuple, value, what: str, report: Report) -> None:
    """``extends`` says ``shipped``, the one file there is to extend; any other value is an error (and the
    file is still read as extending the shipped one, so that records using its keys get no follow-on error)."""
    if value != SHIPPED:
        found = f"'{value}'" if isinstance(value, str) else "this"
        report.at(source, loc, codes.INVALID_VALUE,
                  f"{found} is not a file to extend: write 'extends: shipped' to add these {what} to the ones "
                  "that ship with Notice Board, or remove the line to replace them")


def _aliases(aliases: list[str] | dict[str, list[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An element's ``aliases`` as ``ElementDefinition`` keeps them: (language, names), "" for a plain list."""
    if aliases is None:
        return ()
    if isinstance(aliases, list):
        return (("", tuple(aliases)),)
    return tuple((lang, tuple(names)) for lang, names in aliases.items())


def read_series(root: Path, languages: list[str] | None, report: Report) -> list[Series] | None:
    """The policy series: content/policies/series.yml, the shipped ones where it has none, or the shipped ones
    followed by the site's (an item ``- extends: shipped``; a series with a shipped key replaces that one's
    title, in its place)."""
    path = root / "policies" / "series.yml"
    if absent(path):
        return shipped_series(languages, report)
    source = settings_file(root, "policies/series.yml", report)
    if source is None:
        return None
    if not isinstance(source.data, list):
        report.in_file(source.path, codes.WRONG_STRUCTURE,
                       "expected a list of series, e.g. - {key: \"5000\", title: Students}", field="yaml")
        return None
    extends = [index for index, item in enumerate(source.data) if isinstance(item, dict) and EXTENDS in item]
    for index in extends:
        _check_extends_item(source, index, source.data[index], index != extends[0], report)
    published = Published(languages)
    series = _series_of(source, published, set(extends), report)
    published.note(source, report)
    if not extends:
        return series
    own = {item.key: item for item in series}
    shipped = shipped_series(languages, report) or []
    return [own.pop(item.key, item) for item in shipped] + list(own.values())


def shipped_series(languages: list[str] | None, report: Report) -> list[Series] | None:
    """The shipped policy series in ``languages``."""
    source = read_yaml_file(SHIPPED_SERIES, report)
    return None if source is None else _series_of(source, Published(languages, shipped=True), set(), report)


def _series_of(source: Source, published: Published, skipped: set[int], report: Report) -> list[Series]:
    series, seen = [], set()
    for index, item in enumerate(source.data):
        if index in skipped:
            continue
        fields = validate(SeriesFields, source, report, data=item, loc_prefix=(index,))
        if fields is None:
            continue
        if fields.key in seen:
            report.at(source, (index, "key"), codes.LISTED_TWICE, f"series '{fields.key}' is listed twice")
            continue
        seen.add(fields.key)
        title = published.texts((index, "title"), fields.title)
        if not published.shipped:
            check_translatable(source, (index, "title"), title, published.languages, report)
        series.append(Series(fields.key, Translatable.of(title)))
    return series


def _check_extends_item(source: Source, index: int, item: dict, again: bool, report: Report) -> None:
    """``- extends: shipped``, an item of its own, once."""
    if again:
        report.at(source, (index, EXTENDS), codes.LISTED_TWICE, "'extends: shipped' is listed twice; keep one")
        return
    _check_extends(source, (index, EXTENDS), item[EXTENDS], "series", report)
    others = [key for key in item if key != EXTENDS]
    if others:
        report.at(source, (index, others[0]), codes.INVALID_VALUE,
                  "'- extends: shipped' is an item of its own: write this series as another item, "
                  "e.g. - {key: \"5000\", title: Students}")


def shipped_text(shipped: Path, languages: list[str]) -> str:
    """The text of a shipped file (``SHIPPED_ELEMENTS``, ``SHIPPED_SERIES``) with its comments, keeping only the
    texts in ``languages``, for ``init`` to write as a site's own file. A test holds that it reads back as the
    loader reads the shipped file for those languages, with no diagnostic.

    The site's default language must be one of ``SHIPPED_LANGUAGES`` (ValueError otherwise): a site in
    another language is better without its own copy, showing the shipped texts in English, marked as such.
    Each text by language in a shipped file is a line of its own, four spaces in (``    es: …``), in a run
    below its key (``  label:``); a run keeps the lines of ``languages``, and an optional text (aliases) left
    with none loses its key too."""
    if languages[0] not in SHIPPED_LANGUAGES:
        raise ValueError(f"the shipped files have no text in '{languages[0]}' ({', '.join(SHIPPED_LANGUAGES)})")
    kept: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        texts = [line for line in run if _TEXT_LINE.match(line)[1] in languages]
        if run and not texts:
            kept.pop()  # the key of the texts
        kept.extend(texts)
        run.clear()

    for line in shipped.read_text(encoding="utf-8").splitlines(keepends=True):
        if _TEXT_LINE.match(line):
            run.append(line)
            continue
        end_run()
        kept.append(line)
    end_run()
    return "".join(kept)


_TEXT_LINE = re.compile(r" {4}([a-z]{2,3}): ")

