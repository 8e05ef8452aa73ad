"""content/ → Content: every file read and validated, then the rules across records."""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from pydantic import ValidationError

from .. import codes
from ..codes import Code
from ..diagnostics import Report
from .documents import HEADER_WITHIN, PDF_SIGNATURE, DocumentFacts, inspect_document
from ..i18n import catalog_path
from ..languages import Translatable
from .markdown_text import MarkdownTooDeep, markdown_to_html
from .cache import DiskCache
from .memo import FileMemo, Listing
from .reader import BODY, Source, display_path, read_record, read_yaml_file, resolved_inside
from .records import (COMPLETE, DESCRIPTION, FILES_DIR, INCOMPLETE, PLACEHOLDERS, SIGNING_DATE, STUDENT_DATA,
                      BreachRecord, Content, ContractRecord, ElementDefinition, PageRecord, PolicyRecord, Series, Translation)
from .rules import VendorSpellings, check_breaches, check_contracts, check_policies, check_vendor_spellings
from .schema import (DOCUMENT_TYPES, BreachFields, BreachTranslationFields, ContractFields, DataElementFields, Document, NoticeTranslationFields, PageFields,
                     PolicyFields, PolicyTranslationFields, SeriesFields, SiteFields, ELEMENT_KEY_PATTERN,
                     LANGUAGE_PATTERN, SLUG_PATTERN, Month, first_day, validate, validate_record)
from ..urls import RESERVED_TOP_LEVEL, example_domain

RESERVED_ELEMENT_KEYS = {"main"}  # keys become ids and folders under /data/; these are the layout's

# What staff are told when a complete notice lacks an element of NOTICE_ELEMENTS.
MISSING_ELEMENT_ERRORS = {
    SIGNING_DATE: "is required: the date the contract was signed, YYYY-MM-DD "
                  "(or mark the notice 'incomplete: true' until it is known)",
    STUDENT_DATA: "is required: list the student data the vendor may access, or write "
                  "'student_data: []' if no student information is shared "
                  "(or mark the notice 'incomplete: true' until it is known)",
    DESCRIPTION: "the brief description of the contract and its purpose is missing: "
                 "write it below the closing '---' (or mark the notice 'incomplete: true' until it is known)",
}


def load_content(root: Path, today: date, report: Report, memo: FileMemo | None = None,
                 spellings: VendorSpellings | None = None, cache: DiskCache | None = None) -> Content | None:
    """Read and validate everything under ``root``; ``None`` when a settings file is unusable.

    Every check runs even when an earlier one failed, so that all the problems of the
    content are reported in one run. The preview passes the ``memo`` of what each file gave
    and the ``spellings`` of the vendor names that it keeps between rebuilds, so that a save
    reads one file again, not every file; ``build``, ``check`` and ``announce`` pass the
    ``cache`` on disk of what each file gave in earlier runs (the ``memo`` comes first when both
    are given). The result is the same.
    """
    if memo is not None:
        root = Path(os.path.abspath(root))  # the memo knows files by the absolute paths that the watcher reports
    memory: Memory | None = memo if memo is not None else cache
    site = _load_site(root, report, memory)
    languages = site.languages if site else None
    elements = _load_elements(root, languages, report, memory)
    series = _load_series(root, languages, report, memory)
    contracts = _load_contracts(root, today, languages, report, memory)
    policies = _load_policies(root, languages, report, memory)
    pages = _load_pages(root, languages, report, memory)
    breaches = _load_breaches(root, today, languages, report, memory)
    check_contracts(contracts, elements, report)
    check_breaches(breaches, contracts, elements, report)
    policies = check_policies(policies, series, report)
    check_vendor_spellings(contracts, report, spellings)
    if site is None or elements is None:
        return None
    return Content(root, site, elements, contracts, policies, series or [], pages, breaches)


Read = Callable[[Report], tuple[Any, Iterable[str]]]  # a file's value, and the further files it looked at
Memory = FileMemo | DiskCache  # what keeps each file's value between loads: the preview's memo, the cache on disk


def _remembered(memo: Memory | None, kind: str, path: Path | str, context: Hashable, report: Report,
                read: Read) -> Any:
    """What ``read`` gives for the file at ``path``, a file of ``kind``: with a ``memo``, last time's
    while nothing it read changed."""
    if memo is None:
        return read(report)[0]
    return memo.load(kind, str(path), context, read, report)


def _each_remembered(memo: Memory | None, kind: str, paths: list[str], context: Hashable, report: Report,
                     read: Callable[[Path, Report], tuple[Any, Iterable[str]]]) -> list[Any]:
    """``_remembered`` for each of ``paths``, the files of one folder."""
    if memo is None:
        return [read(Path(path), report)[0] for path in paths]
    return memo.load_each(kind, paths, context, lambda path, own: read(Path(path), own), report)


ZIP_SIGNATURE = b"PK\x03\x04"  # every office format of DOCUMENT_TYPES is a zip archive


def _link_problem(path: Path, folder: Path, root: Path | None = None) -> str | None:
    """Why ``path``, which must lie in ``folder`` (and in the content ``root``), cannot be read there
    (a link out of it, a loop)."""
    try:
        target, inside = resolved_inside(path, folder, *([root] if root else []))
    except (OSError, RuntimeError):
        return "is a symbolic link that leads nowhere (its target is missing, or links loop); replace it with the file"
    if inside:
        return None
    link = next((parent for parent in path.parents if parent.is_symlink()), None)
    if path.is_symlink() or link is None:
        return (f"is a link to {target}, outside {display_path(folder)}/; "
                f"copy the file into {display_path(folder)}/ instead")
    return (f"leads to {target}, outside {display_path(root or folder)}/, because {display_path(link)} is a link; "
            f"make {display_path(link)} a folder of its own and copy the files into it")


def _readable(path: Path, root: Path, report: Report) -> bool:
    """``path`` is a file of the content, not a link out of it; anything else is reported."""
    linked = path.is_symlink() or path.parent.is_symlink()  # a file, or its folder (contracts/), is a link
    problem = _link_problem(path, root) if linked else None
    if problem:
        report.in_file(display_path(path), codes.BAD_LINK, problem)
    return problem is None


def _settings_file(root: Path, relative: str, report: Report) -> Source | None:
    path = root / relative
    if not path.is_symlink() and not path.exists():
        report.in_file(display_path(path), codes.MISSING_FILE, "is missing; see README.md for its format")
        return None
    if not _readable(path, root, report):
        return None
    if not path.is_file():
        report.in_file(display_path(path), codes.NOT_A_FILE, "is not a file; see README.md for its format")
        return None
    return read_yaml_file(path, report)


def _load_site(root: Path, report: Report, memo: Memory | None) -> SiteFields | None:
    return _remembered(memo, "site", root / "site.yml", None, report, lambda own: _read_site(root, own))


def _read_site(root: Path, report: Report) -> tuple[SiteFields | None, list[str]]:
    source = _settings_file(root, "site.yml", report)
    if source is None:
        return None, []
    site = validate(SiteFields, source, report)
    if site is not None:
        _check_placeholder_settings(source, site, report)
        for name in ("title", "district"):
            _check_translatable(source, (name,), getattr(site, name), site.languages, report)
        for index, lang in enumerate(site.languages):
            if not catalog_path(lang).is_file():
                report.at(source, ("languages", index), codes.NO_INTERFACE_CATALOG,
                          f"'{lang}' has no catalog of interface text ({display_path(catalog_path(lang))}), "
                          "so its pages show menus and headings in English; see README.md, 'Adding a language'")
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


def _check_translatable(source: Source, loc: tuple, value, languages: list[str] | None, report: Report) -> None:
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


def _load_elements(root: Path, languages: list[str] | None, report: Report,
                   memo: Memory | None) -> dict[str, ElementDefinition] | None:
    return _remembered(memo, "data-elements", root / "data-elements.yml", _languages_key(languages), report,
                       lambda own: (_read_elements(root, languages, own), []))


def _languages_key(languages: list[str] | None) -> tuple[str, ...] | None:
    return tuple(languages) if languages is not None else None


def _read_elements(root: Path, languages: list[str] | None, report: Report) -> dict[str, ElementDefinition] | None:
    source = _settings_file(root, "data-elements.yml", report)
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
            _check_translatable(source, (key, name), getattr(fields, name), languages, report)
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


def _load_series(root: Path, languages: list[str] | None, report: Report, memo: Memory | None) -> list[Series] | None:
    path = root / "policies" / "series.yml"
    if not path.exists() and not path.is_symlink():
        return None
    return _remembered(memo, "series", path, _languages_key(languages), report,
                       lambda own: (_read_series(root, languages, own), []))


def _read_series(root: Path, languages: list[str] | None, report: Report) -> list[Series] | None:
    source = _settings_file(root, "policies/series.yml", report)
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
        _check_translatable(source, (index, "title"), fields.title, languages, report)
        series.append(Series(fields.key, Translatable.of(fields.title)))
    return series


def _markdown_files(folder: Path, report: Report, memo: Memory | None) -> list[str]:
    """The paths of the ``.md`` files of ``folder``; anything else is reported, never silently dropped.

    With the preview's ``memo``, the folder is listed again only when a file came or went; the
    cache on disk keeps no folder (it reads files), so it is listed at each run.
    """
    return _remembered(memo, "folder", folder, None, report, lambda own: (_list_markdown_files(folder, own), [])).paths


def _list_markdown_files(folder: Path, report: Report) -> Listing:
    """One listing of the folder, without a look at each file unless it is a link."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (NotADirectoryError, FileNotFoundError):
        return Listing([], frozenset())
    folder_is_link = folder.is_symlink()
    found = []
    for entry in entries:
        name = entry.name
        if name == FILES_DIR or name == "series.yml":
            continue
        markdown = name.endswith(".md") and len(name) > 3
        if name.startswith("."):
            if markdown and not name.startswith(".#"):  # .#name.md: an editor's lock
                report.in_file(display_path(Path(entry.path)), codes.HIDDEN_FILE,
                               "ignored: a name that starts with '.' is hidden; remove the dot to publish it")
            continue
        link = entry.is_symlink()
        if markdown and (link or entry.is_file()):
            if not (link or folder_is_link) or _readable(Path(entry.path), folder.parent, report):
                found.append(entry.path)
        else:
            report.in_file(display_path(Path(entry.path)), codes.IGNORED_FILE,
                           "ignored: only .md files belong here (documents go under files/)")
    return Listing(found, frozenset(entry.name for entry in entries))


def _markdown_publishable(source: Source, report: Report, text: str, loc) -> None:
    try:
        markdown_to_html(text)
    except MarkdownTooDeep:
        report.at(source, loc, codes.MARKDOWN_TOO_DEEP,
                  "lists or quotes are nested too deeply to publish (hundreds of levels); flatten them")


MARKDOWN_FIELDS = ("student_data_notes", "retention")  # of a notice and its translations


def _check_markdown(source: Source, report: Report) -> None:
    _markdown_publishable(source, report, source.body, BODY)
    for name in MARKDOWN_FIELDS:
        text = source.data.get(name)
        if isinstance(text, str):
            _markdown_publishable(source, report, text, (name,))


def _body_required(source: Source, fields, report: Report, hint: str) -> None:
    if not fields.draft and not source.body.strip():
        report.at(source, BODY, codes.MISSING_TEXT, hint)


def _load_contracts(root: Path, today: date, languages: list[str] | None, report: Report,
                    memo: Memory | None) -> list[ContractRecord]:
    return _load_records(root / "contracts", "contract", (today, _languages_key(languages)), lambda record: record.slug,
                         report, memo, lambda path, own: _read_contract(path, root, today, languages, own))


def _load_records(folder: Path, kind: str, context: Hashable, name_of: Callable[[Any], str], report: Report,
                  memo: Memory | None, read: Callable[[Path, Report], tuple[tuple, list[str]]]) -> list:
    """The records of ``folder`` with their translations; ``read`` gives each file's (name, language or "", value)."""
    records, translations, names = [], [], set()
    for name, lang, value in _each_remembered(memo, kind, _markdown_files(folder, report, memo), context, report, read):
        if lang:
            if value:
                translations.append((name, value))
            continue
        names.add(name)
        if value:
            records.append(value)
    return _attach_translations(records, name_of, names, translations, report)


_TWO_DOTS = "'{}' has an empty part between dots: name it <slug>.md, or <slug>.<language>.md for a translation"


def _name_and_language(path: Path) -> tuple[str | None, str]:
    """``nearpod.md`` → (nearpod, ""), ``nearpod.es.md`` → (nearpod, es); (None, "") for a name with an
    empty part between dots (``nearpod..md``), which must not be read as ``nearpod``."""
    name, dot, lang = path.stem.partition(".")
    if dot and (not lang or "" in lang.split(".")):
        return None, ""
    return name, lang


def _read_by_slug(path: Path, translation_model, main_model, languages: list[str] | None,
                  report: Report) -> tuple[str, str, Translation | Source | None]:
    """A file named by its slug (contracts/, breaches/): (slug, language, its translation) for
    ``<slug>.<lang>.md``, else (slug, "", what was read), with ``None`` where it cannot be used."""
    slug, lang = _name_and_language(path)
    if slug is None:
        report.in_file(display_path(path), codes.FILE_NAME_NOT_SLUG, _TWO_DOTS.format(path.name), field="file name")
        return path.stem, "", None
    if lang:
        return slug, lang, _load_translation(path, slug, lang, translation_model, main_model, languages, report)
    source = read_record(path, report)
    if source is not None and not SLUG_PATTERN.fullmatch(slug):
        report.in_file(source.path, codes.FILE_NAME_NOT_SLUG,
                       f"'{path.name}' must be a slug: lowercase letters, digits and single hyphens, then .md",
                       field="file name")
        return slug, "", None
    return slug, "", source


def _read_contract(path: Path, root: Path, today: date, languages: list[str] | None,
                   report: Report) -> tuple[tuple[str, str, ContractRecord | Translation | None], list[str]]:
    """One file of contracts/: (its name, its language or "", the record or translation, if usable)."""
    slug, lang, read = _read_by_slug(path, NoticeTranslationFields, ContractFields, languages, report)
    if lang or read is None:
        return (slug, lang, read), []
    source = read
    if slug == FILES_DIR:
        report.in_file(source.path, codes.RESERVED_FILE_NAME,
                       f"'{path.name}' is reserved for the folder of documents; rename it", field="file name")
        return (slug, "", None), []
    fields, valid = validate_record(ContractFields, source, report)
    documents, facts = _check_documents(root / "contracts" / FILES_DIR, source, report)
    _check_markdown(source, report)
    if fields is None:
        return (slug, "", None), documents
    record = ContractRecord(slug, source, fields, valid, document_facts=facts)
    _check_required_elements(record, report)
    _left_from_template(source, "contract", fields.draft, fields.incomplete, report)
    if valid:
        _check_contract_fields(record, today, report)
    return (slug, "", record), documents


def _load_translation(path: Path, name: str, lang: str, model, main_model, languages: list[str] | None,
                      report: Report) -> Translation | None:
    """``<name>.<lang>.md``: the text of a record in a further language; its facts stay in the main record."""
    main_name = f"{name}.md"
    if languages is not None and lang not in languages[1:]:
        if lang == languages[0]:
            problem = f"'{lang}' is the site's default language, so {main_name} is this text; remove this file"
        else:
            others = ", ".join(languages[1:]) or "none"
            problem = f"'{lang}' is not one of the translation languages of site.yml: {others}"
        report.in_file(display_path(path), codes.TRANSLATION_LANGUAGE, problem, field="file name")
        return None
    source = read_record(path, report)
    if source is None:
        return None
    if model.model_fields:
        *others, last = model.model_fields
        allowed = f"only {', '.join(others)} and {last}" if others else f"only {last}"
        allowed += ", and the translated text below the '---'"
    else:
        allowed = "only the translated text below the '---'"
    kept = {}
    for key, value in source.data.items():
        if key in main_model.model_fields and key not in model.model_fields:
            report.at(source, (key,), codes.TRANSLATION_FIELD,
                      f"comes from the main record {main_name}; a translation holds {allowed}")
        else:
            kept[key] = value
    fields = validate(model, source, report, data=kept)
    _check_markdown(source, report)
    return Translation(lang, source, fields) if fields is not None else None


def _attach_translations(records: list, name_of: Callable[[Any], str], names: set[str],
                         translations: list[tuple[str, Translation]], report: Report) -> list:
    """The records, each with its translations; a record with errors of its own gets no second one.

    A record with translations is a copy: what was read from its file stays as it was read.
    """
    if not translations:
        return records
    by_name = {name_of(record): record for record in records}
    found: dict[str, dict[str, Translation]] = {}
    for name, translation in translations:
        if name in by_name:
            found.setdefault(name, {})[translation.lang] = translation
        elif name not in names:
            report.in_file(translation.source.path, codes.TRANSLATION_WITHOUT_RECORD,
                           f"a translation of '{name}', but {name}.md does not exist; a translation needs its "
                           "main record", field="file name")
    return [replace(record, translations=found[name]) if (name := name_of(record)) in found else record
            for record in records]


def _check_required_elements(record: ContractRecord, report: Report) -> None:
    """A complete notice must give every element of a notice; the others are reported by ``check``."""
    if record.state != COMPLETE:
        return
    source = record.source
    for element in record.missing:
        if element == DESCRIPTION:
            report.at(source, BODY, codes.MISSING_TEXT, MISSING_ELEMENT_ERRORS[element])
        elif source.data.get(element) is not None or (element == STUDENT_DATA and element in source.data):
            continue  # present but wrong (reported by validation), a month (reported below), or unanswered (_left_from_template)
        elif element in source.data:  # the field's line with nothing after it
            report.at(source, (element,), codes.MISSING_FIELD, f"is empty; it {MISSING_ELEMENT_ERRORS[element]}")
        else:
            report.missing(source, (element,), codes.MISSING_FIELD, MISSING_ELEMENT_ERRORS[element])


TEMPLATE_TEXT_INSTEAD = {  # what to write in place of each template's placeholder (records.PLACEHOLDERS)
    "contract": "what the contract is for, in one to three sentences a parent understands",
    "policy": "the policy text, in Markdown (or remove it and link the policy's document)",
    "breach": "what happened, what the district and the company have done, what parents can do and whom to ask",
}


def _left_from_template(source: Source, kind: str, draft: bool, incomplete: bool, report: Report) -> None:
    """What ``new`` wrote for staff to replace, in a record that is published (not a draft): the placeholder
    text (after whitespace normalisation, anywhere in the text), and a notice's ``student_data:`` left
    unanswered. An incomplete notice may leave student_data unanswered (its page says the data is not yet
    posted), but not publish the placeholder as its description."""
    if draft:
        return
    if kind == "contract" and not incomplete and STUDENT_DATA in source.data and source.data[STUDENT_DATA] is None:
        report.at(source, (STUDENT_DATA,), codes.STUDENT_DATA_UNANSWERED,
                  "is empty; it is required: list the keys of content/data-elements.yml of the student data that "
                  "the company receives, e.g. [student_name, grade_level], or write [] only if it receives no "
                  "student information (mark the notice 'incomplete: true' while that is not known)")
    if " ".join(PLACEHOLDERS[kind].split()) in " ".join(source.body.split()):
        instead = TEMPLATE_TEXT_INSTEAD[kind] + (", or remove it until that is known" if incomplete else "")
        report.at(source, BODY, codes.TEMPLATE_TEXT,
                  f"still holds the placeholder that 'new' wrote ('{' '.join(PLACEHOLDERS[kind].split()[:4])} …'): "
                  f"replace it with {instead}")


def _check_contract_fields(record: ContractRecord, today: date, report: Report) -> None:
    source, fields = record.source, record.fields
    if fields.draft and fields.incomplete:
        report.at(source, ("incomplete",), codes.DRAFT_AND_INCOMPLETE,
                  "a record is either a draft (never published) or incomplete (published with what is "
                  "known), not both; remove one of the two")
    signed = fields.contract_date
    if isinstance(signed, Month) and record.state != INCOMPLETE:
        report.at(source, ("contract_date",), codes.MONTH_WITHOUT_DAY,
                  f"'{signed}' has no day: write the date the contract was signed, YYYY-MM-DD, or mark the "
                  "notice 'incomplete: true' until the day is known")
    signed_day = first_day(signed)
    _check_not_in_future(source, "contract_date", signed_day, today, report, signed, "; a notice is posted after signing")
    for name in ("posted", "expires"):
        value = getattr(fields, name)
        if value and signed_day and value < signed_day:
            report.at(source, (name,), codes.DATES_OUT_OF_ORDER, f"{value} is before contract_date {signed}")
    if fields.student_data_not_limited and fields.student_data == []:
        report.at(source, ("student_data_not_limited",), codes.INVALID_VALUE,
                  "student_data is [] (no student information), so nothing can be 'not limited to' it: list the "
                  "elements the contract names, or remove this line")
    if fields.kind == "contract" and fields.amends:
        report.at(source, ("amends",), codes.AMENDS_ON_A_CONTRACT,
                  "only an amendment or renewal amends another record; add 'kind: amendment' or 'kind: renewal'")
    if fields.kind != "contract" and not fields.amends:
        # Reported on the line that makes 'amends' required, the only line there is to see and fix.
        report.at(source, ("kind",), codes.AMENDS_MISSING,
                  f"is '{fields.kind}', so 'amends' is required: add 'amends:' with the slug of the contract "
                  f"this {fields.kind} changes")


def _check_documents(files_dir: Path, source: Source, report: Report) -> tuple[list[str], dict[str, DocumentFacts]]:
    """Every entry's file, each on its own: one wrong entry hides nothing about the others.

    Returns the paths of the files looked at, and the facts of each file that could be read, by
    the name the record gives it (``documents.py``: size, pages, what assistive technology needs);
    ``accessibility.py`` reports on those, knowing site.yml. The facts are read here, with the
    record, so that the build cache keeps them by the bytes of the record and of the file. A PDF
    that could not be checked within the limits on reading one is a warning: it is the district's
    file to post, but nothing is known of it beyond its type and size.
    """
    entries = source.data.get("documents")
    looked_at, facts = [], {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            document = Document.model_validate(entry)
        except ValidationError:
            continue  # reported by validation
        if document.file is not None:
            target = files_dir / document.file
            looked_at.append(str(target))
            problem = _document_file_problem(files_dir, target)
            if problem:
                code, message = problem
                report.at(source, ("documents", index, "file"), code, message)
                continue
            found = inspect_document(target)
            if found.pdf is not None and found.pdf.over_limit:
                report.at(source, ("documents", index, "file"), codes.DOCUMENT_NOT_CHECKABLE,
                          f"{display_path(target)} could not be checked within the limits on reading one PDF: it "
                          f"{found.pdf.why}; nothing is known of its accessibility. Open it and export or print it "
                          "again as a PDF (an ordinary export is far inside the limits), or ask the vendor for another "
                          "copy; then run check again")
                facts[document.file] = replace(found, pdf=None)
                continue
            if found.pdf is not None and not found.pdf.readable:
                report.at(source, ("documents", index, "file"), codes.DOCUMENT_NOT_READABLE,
                          f"{display_path(target)} {found.pdf.why}")
                continue
            facts[document.file] = found
    return looked_at, facts


def _document_file_problem(files_dir: Path, target: Path) -> tuple[Code, str] | None:
    shown = display_path(target)
    if not target.is_symlink() and not target.exists():
        return codes.DOCUMENT_NOT_FOUND, f"{shown} does not exist"
    problem = _link_problem(target, files_dir, files_dir.parent.parent)  # content/contracts/files/x.pdf
    if problem:
        return codes.DOCUMENT_NOT_FOUND, f"{shown} {problem}"
    if not target.is_file():
        return codes.DOCUMENT_NOT_FOUND, f"{shown} is not a file"
    kind = DOCUMENT_TYPES[target.suffix.lower()]
    try:
        with target.open("rb") as handle:
            head = handle.read(HEADER_WITHIN)
    except OSError as error:
        return codes.DOCUMENT_NOT_FOUND, f"cannot read {shown}: {error.strerror}"
    if not (PDF_SIGNATURE in head if kind == "PDF" else head.startswith(ZIP_SIGNATURE)):
        return (codes.DOCUMENT_NOT_ITS_TYPE,
                f"{shown} is not a {kind} file (it does not start as one); save or export it again as {kind}")
    return None


def _load_policies(root: Path, languages: list[str] | None, report: Report, memo: Memory | None) -> list[PolicyRecord]:
    return _load_records(root / "policies", "policy", _languages_key(languages),
                         lambda record: Path(record.source.path).stem, report, memo,
                         lambda path, own: _read_policy(path, languages, own))


def _read_policy(path: Path, languages: list[str] | None,
                 report: Report) -> tuple[tuple[str, str, PolicyRecord | Translation | None], list[str]]:
    """One file of policies/: (its name, its language or "", the record or translation, if usable)."""
    number, _, lang = path.stem.rpartition(".")
    if number and LANGUAGE_PATTERN.fullmatch(lang):
        translation = _load_translation(path, number, lang, PolicyTranslationFields, PolicyFields, languages, report)
        return (number, lang, translation), []
    source = read_record(path, report)
    if source is None:
        return (path.stem, "", None), []
    fields, _ = validate_record(PolicyFields, source, report)
    documents, facts = _check_documents(path.parent / FILES_DIR, source, report)
    _check_markdown(source, report)
    if fields is None:
        return (path.stem, "", None), documents
    if path.stem != fields.number:
        report.at(source, ("number",), codes.NUMBER_NOT_FILE_NAME,
                  f"'{fields.number}' does not match the file name {path.name}; name the file {fields.number}.md")
    if fields.adopted and fields.revised and fields.revised < fields.adopted:
        report.at(source, ("revised",), codes.DATES_OUT_OF_ORDER,
                  f"{fields.revised} is before adopted {fields.adopted}")
    if not fields.documents:
        _body_required(source, fields, report, "the policy text is missing: write it below the closing '---' or link a document")
    _left_from_template(source, "policy", fields.draft, False, report)
    record = PolicyRecord(source, fields, fields.series or fields.number[0] + "000", document_facts=facts)
    return (path.stem, "", record), documents


def _load_pages(root: Path, languages: list[str] | None, report: Report, memo: Memory | None) -> list[PageRecord]:
    """The pages; with ``languages`` None (site.yml unusable) translations are not checked."""
    default = languages[0] if languages else "en"
    records, names = [], set()
    for record in _each_remembered(memo, "page", _markdown_files(root / "pages", report, memo),
                                   _languages_key(languages), report,
                                   lambda path, own: (_read_page(path, languages, own), [])):
        if record:
            records.append(record)
            if record.lang == default:
                names.add(record.name)
    for record in records:
        if record.lang != default and record.name not in names:
            report.in_file(record.source.path, codes.TRANSLATION_WITHOUT_RECORD,
                           f"a translation of '{record.name}', but {record.name}.md does not exist", field="file name")
    return [r for r in records if r.name in names]


def _read_page(path: Path, languages: list[str] | None, report: Report) -> PageRecord | None:
    default, others = (languages[0], set(languages[1:])) if languages else ("en", None)
    name, lang = _name_and_language(path)
    if name is None:
        report.in_file(display_path(path), codes.FILE_NAME_NOT_SLUG, _TWO_DOTS.format(path.name), field="file name")
        return None
    if lang and others is not None and lang not in others:
        report.in_file(display_path(path), codes.TRANSLATION_LANGUAGE,
                       f"'{lang}' is not one of the translation languages of site.yml: "
                       f"{', '.join(sorted(others)) or 'none'}", field="file name")
        return None
    if not SLUG_PATTERN.fullmatch(name):
        report.in_file(display_path(path), codes.FILE_NAME_NOT_SLUG,
                       f"'{path.name}' must be a slug (lowercase letters, digits, hyphens), then .md or .<lang>.md",
                       field="file name")
        return None
    if name in RESERVED_TOP_LEVEL or name in (languages or []):
        report.in_file(display_path(path), codes.RESERVED_FILE_NAME,
                       f"'{name}' is taken by a page the site makes itself; choose another name", field="file name")
        return None
    source = read_record(path, report)
    if source is None:
        return None
    fields = validate(PageFields, source, report)
    _check_markdown(source, report)
    if fields is None:
        return None
    _body_required(source, fields, report, "the page has no text below the closing '---'")
    if fields.draft or source.body.strip():
        return PageRecord(name, lang or default, source, fields)
    return None


def _load_breaches(root: Path, today: date, languages: list[str] | None, report: Report,
                   memo: Memory | None) -> list[BreachRecord]:
    return _load_records(root / "breaches", "breach", (today, _languages_key(languages)), lambda record: record.slug,
                         report, memo, lambda path, own: _read_breach(path, today, languages, own))


def _read_breach(path: Path, today: date, languages: list[str] | None,
                 report: Report) -> tuple[tuple[str, str, BreachRecord | Translation | None], list[str]]:
    """One file of breaches/: (its name, its language or "", the record or translation, if usable)."""
    slug, lang, read = _read_by_slug(path, BreachTranslationFields, BreachFields, languages, report)
    if lang or read is None:
        return (slug, lang, read), []
    source = read
    fields, valid = validate_record(BreachFields, source, report)
    _check_markdown(source, report)
    if fields is None:
        return (slug, "", None), []
    _body_required(source, fields, report, "what happened is missing: write below the closing '---' what happened, "
                   "what the district and the company have done, what parents can do and whom to ask")
    _check_breach_dates(source, fields, today, report)
    _left_from_template(source, "breach", fields.draft, False, report)
    return (slug, "", BreachRecord(slug, source, fields, valid)), []


def _check_not_in_future(source: Source, name: str, day: date | None, today: date, report: Report,
                         shown: object = None, why: str = "") -> None:
    """``day`` (shown as ``shown``: a month, say) is not after the build date."""
    if day and day > today:
        report.at(source, (name,), codes.DATE_IN_FUTURE, f"{shown or day} is in the future (today is {today}){why}")


def _check_breach_dates(source: Source, fields: BreachFields, today: date, report: Report) -> None:
    """Discovered, then reported, then posted; none after the build date."""
    for name in ("discovered", "reported", "posted"):
        _check_not_in_future(source, name, getattr(fields, name), today, report)
    if fields.discovered and fields.reported < fields.discovered:
        report.at(source, ("reported",), codes.DATES_OUT_OF_ORDER,
                  f"{fields.reported} is before discovered {fields.discovered}")
    if fields.posted and fields.posted < fields.reported:
        report.at(source, ("posted",), codes.DATES_OUT_OF_ORDER, f"{fields.posted} is before reported {fields.reported}")
