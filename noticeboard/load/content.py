"""content/ → Content: every file read and validated, then the rules across records."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from .. import codes
from ..diagnostics import Report
from ..grades import read_grades
from ..languages import DEFAULT as DEFAULT_LANGUAGE_KEY, Translatable
from ..urls import RESERVED_TOP_LEVEL
from ..values import LANGUAGE_PATTERN, SLUG_PATTERN, Month, first_day
from .cache import DiskCache
from .jurisdictions import Jurisdiction, for_site, load_jurisdiction
from .files import check_documents, list_markdown_files
from .markdown_text import MAX_NESTING, MarkdownTooDeep, markdown_to_html
from .memo import FileMemo
from .reader import BODY, Source, display_path, read_record
from .records import (DESCRIPTION, FILES_DIR, INCOMPLETE, NOTICE_ELEMENTS, PLACEHOLDERS, SIGNING_DATE, STUDENT_DATA,
                      BreachRecord, Content, ContractRecord, ElementDefinition, PageRecord, PolicyRecord, Series,
                      Translation)
from .rules import VendorSpellings, check_breaches, check_contracts, check_policies, check_vendor_spellings
from .schema import (DEFAULT_JURISDICTION, BreachFields, BreachTranslationFields, ContractFields, NoticeTranslationFields, PageFields,
                     PolicyFields, PolicyTranslationFields, SiteFields, validate, validate_record)
from .settings import (SHIPPED_ELEMENTS, SHIPPED_SERIES, absent, read_elements, read_series, read_site,
                       shipped_elements, shipped_series)


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


def load_content(root: Path, report: Report, memo: FileMemo | None = None,
                 spellings: VendorSpellings | None = None, cache: DiskCache | None = None) -> Content | None:
    """Read and validate everything under ``root``; ``None`` when a settings file is unusable.

    What loading gives depends on the files only, never on the date: the checks against the
    build date are ``checks/dates.py``'s, so that the cache serves every file on a new day.

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
    jurisdiction = for_site(site) if site else load_jurisdiction(DEFAULT_JURISDICTION)
    elements = _load_elements(root, languages, report, memory)
    if elements is not None:
        elements = named_for(jurisdiction, elements)
    series = _load_series(root, languages, report, memory)
    contracts = _load_contracts(root, languages, jurisdiction.elements, report, memory)
    policies = _load_policies(root, languages, report, memory)
    pages = _load_pages(root, languages, report, memory)
    breaches = _load_breaches(root, languages, report, memory)
    check_contracts(contracts, elements, report)
    check_breaches(breaches, contracts, elements, report)
    policies = check_policies(policies, series, report)
    check_vendor_spellings(contracts, report, spellings)
    if site is None or elements is None:
        return None
    return Content(root, site, elements, contracts, policies, series or [], pages, breaches, jurisdiction)


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


def _load_site(root: Path, report: Report, memo: Memory | None) -> SiteFields | None:
    return _remembered(memo, "site", root / "site.yml", None, report, lambda own: read_site(root, own))


def _load_elements(root: Path, languages: list[str] | None, report: Report,
                   memo: Memory | None) -> dict[str, ElementDefinition] | None:
    path = root / "data-elements.yml"
    if absent(path):  # the shipped vocabulary, which the caches keep as they keep a file of the content
        return _remembered(memo, "shipped-elements", SHIPPED_ELEMENTS, _languages_key(languages), report,
                           lambda own: (shipped_elements(languages, own), []))
    return _remembered(memo, "data-elements", path, _languages_key(languages), report,
                       lambda own: (read_elements(root, languages, own), []))


def named_for(jurisdiction: Jurisdiction, elements: dict[str, ElementDefinition]) -> dict[str, ElementDefinition]:
    """The vocabulary with each category that the jurisdiction names its own way (``vocabulary.category_names``,
    by the category's English name) so named, in the languages that the element's category gives."""
    names = jurisdiction.vocabulary.category_names
    if not names:
        return elements
    renamed = {}
    for key, element in elements.items():
        texts = dict(element.category.texts)
        english = texts.get("en", texts.get(DEFAULT_LANGUAGE_KEY))
        if english in names:
            own = names[english]
            element = replace(element, category=Translatable(tuple((lang, own.get(lang if lang != DEFAULT_LANGUAGE_KEY
                                                                                   else "en", text))
                                                                   for lang, text in element.category.texts)))
        renamed[key] = element
    return renamed


def _languages_key(languages: list[str] | None) -> tuple[str, ...] | None:
    return tuple(languages) if languages is not None else None


def _load_series(root: Path, languages: list[str] | None, report: Report, memo: Memory | None) -> list[Series] | None:
    path = root / "policies" / "series.yml"
    if absent(path):
        return _remembered(memo, "shipped-series", SHIPPED_SERIES, _languages_key(languages), report,
                           lambda own: (shipped_series(languages, own), []))
    return _remembered(memo, "series", path, _languages_key(languages), report,
                       lambda own: (read_series(root, languages, own), []))


def _markdown_files(folder: Path, report: Report, memo: Memory | None) -> list[str]:
    """The paths of the ``.md`` files of ``folder``; anything else is reported, never silently dropped.

    With the preview's ``memo``, the folder is listed again only when a file came or went; the
    cache on disk keeps no folder (it reads files), so it is listed at each run.
    """
    return _remembered(memo, "folder", folder, None, report, lambda own: (list_markdown_files(folder, own), [])).paths


def _markdown_publishable(source: Source, report: Report, text: str, loc) -> None:
    """Converts ``text`` as a page shows it, and keeps the HTML on ``source`` for rendering."""
    try:
        source.markdown_html[text] = markdown_to_html(text)
    except MarkdownTooDeep:
        report.at(source, loc, codes.MARKDOWN_TOO_DEEP,
                  f"lists or quotes are nested too deeply to publish (more than {MAX_NESTING} levels); flatten them")


MARKDOWN_FIELDS = ("student_data_notes", "retention", "subprocessor_safeguards", "accuracy_challenge",
                   "storage_and_security", "encryption")  # of a notice and its translations


def _check_markdown(source: Source, report: Report) -> None:
    _markdown_publishable(source, report, source.body, BODY)
    for name in MARKDOWN_FIELDS:
        text = source.data.get(name)
        if isinstance(text, str):
            _markdown_publishable(source, report, text, (name,))


def _body_required(source: Source, fields, report: Report, hint: str) -> None:
    if not fields.draft and not source.body.strip():
        report.at(source, BODY, codes.MISSING_TEXT, hint)


def _load_contracts(root: Path, languages: list[str] | None, elements: tuple[str, ...], report: Report,
                    memo: Memory | None) -> list[ContractRecord]:
    """The notices, each held to the ``elements`` of its jurisdiction's notice."""
    return _load_records(root / "contracts", "contract", (_languages_key(languages), elements),
                         lambda record: record.slug, report, memo,
                         lambda path, own: _read_contract(path, root, languages, elements, own))


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


def _read_contract(path: Path, root: Path, languages: list[str] | None, elements: tuple[str, ...],
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
    documents, facts = check_documents(root / "contracts" / FILES_DIR, source, report)
    _check_markdown(source, report)
    if fields is None:
        return (slug, "", None), documents
    record = ContractRecord(slug, source, fields, valid, document_facts=facts, elements=elements)
    _check_required_elements(record, report)
    _left_from_template(source, "contract", fields.draft, fields.incomplete, report)
    if valid:
        _check_contract_fields(record, report)
    return (slug, "", record), documents


def _load_translation(path: Path, name: str, lang: str, model, main_model, languages: list[str] | None,
                      report: Report) -> Translation | None:
    """``<name>.<lang>.md``: the text of a record in a further language; its facts stay in the main record."""
    main_name = f"{name}.md"
    if not _translation_read(path, name, lang, languages, report):
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


def _translation_read(path: Path, name: str, lang: str, languages: list[str] | None, report: Report) -> bool:
    """Whether ``<name>.<lang>.md`` is read as a translation: ``lang`` is a further language of site.yml (or
    site.yml is unusable). A translation into a language that the site does not publish is ignored, with a
    note; one named with the default language, or with what is not a language code, is an error."""
    if languages is None or lang in languages[1:]:
        return True
    if lang != languages[0] and LANGUAGE_PATTERN.fullmatch(lang):
        report.in_file(display_path(path), codes.LANGUAGE_NOT_PUBLISHED,
                       f"'{lang}' is not a language of site.yml ({', '.join(languages)}): this translation is "
                       f"ignored; add '{lang}' to site.yml's languages to publish it", field="file name", note=True)
    elif lang == languages[0]:
        report.in_file(display_path(path), codes.TRANSLATION_LANGUAGE,
                       f"'{lang}' is the site's default language, so {name}.md is this text; remove this file",
                       field="file name")
    else:
        report.in_file(display_path(path), codes.TRANSLATION_LANGUAGE,
                       f"'{lang}' is not a language code such as es: name a translation <name>.<language>.md, with "
                       f"a language of site.yml other than the first ({', '.join(languages[1:]) or 'none'})",
                       field="file name")
    return False


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
    if record.fields.draft or record.fields.incomplete:
        return
    source = record.source
    for element in record.missing:
        if element not in NOTICE_ELEMENTS:
            continue  # a further field of the jurisdiction's law: the notice is incomplete (records.state)
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


def _check_contract_fields(record: ContractRecord, report: Report) -> None:
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
    _check_grades(source, fields, report)
    if fields.kind != "contract" and not fields.amends:
        # Reported on the line that makes 'amends' required, the only line there is to see and fix.
        report.at(source, ("kind",), codes.AMENDS_MISSING,
                  f"is '{fields.kind}', so 'amends' is required: add 'amends:' with the slug of the contract "
                  f"this {fields.kind} changes")


def _check_grades(source: Source, fields: ContractFields, report: Report) -> None:
    """Grades that cannot be read are a warning on their line (the page shows them as written); only an amendment
    or renewal removes schools or grades."""
    for name, listed in (("grades", "the notice"), ("removes_grades", "the removal")):
        text = getattr(fields, name)
        if text is not None and read_grades(text) is None:
            report.at(source, (name,), codes.GRADES_UNREADABLE,
                      f"'{text}' cannot be read as grades (PK, K, 1 to 12): it is shown as written and no grade's "
                      f"page lists {listed}; write e.g. K-5, 9-12, PK-12, 'K, 3, 5' or 'Grades 6-8'")
    if fields.kind == "contract":
        for name in ("removes_schools", "removes_grades"):
            if getattr(fields, name):
                report.at(source, (name,), codes.REMOVES_ON_A_CONTRACT,
                          "only an amendment or renewal removes schools or grades from the contract it changes; add "
                          "'kind: amendment' or 'kind: renewal' with 'amends:', or remove this line")


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
    documents, facts = check_documents(path.parent / FILES_DIR, source, report)
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
    default = languages[0] if languages else "en"
    name, lang = _name_and_language(path)
    if name is None:
        report.in_file(display_path(path), codes.FILE_NAME_NOT_SLUG, _TWO_DOTS.format(path.name), field="file name")
        return None
    if lang and not _translation_read(path, name, lang, languages, report):
        return None
    if not SLUG_PATTERN.fullmatch(name):
        report.in_file(display_path(path), codes.FILE_NAME_NOT_SLUG,
                       f"'{path.name}' must be a slug (lowercase letters, digits, hyphens), then .md or .<lang>.md",
                       field="file name")
        return None
    if name in RESERVED_TOP_LEVEL or name in (languages or []):
        report.in_file(display_path(path), codes.RESERVED_FILE_NAME,
                       f"'{name}' is taken by a page, file or folder that the site makes itself; choose another name", field="file name")
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


def _load_breaches(root: Path, languages: list[str] | None, report: Report,
                   memo: Memory | None) -> list[BreachRecord]:
    return _load_records(root / "breaches", "breach", _languages_key(languages), lambda record: record.slug,
                         report, memo, lambda path, own: _read_breach(path, languages, own))


def _read_breach(path: Path, languages: list[str] | None,
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
    _check_breach_dates(source, fields, report)
    _left_from_template(source, "breach", fields.draft, False, report)
    return (slug, "", BreachRecord(slug, source, fields, valid)), []


def _check_breach_dates(source: Source, fields: BreachFields, report: Report) -> None:
    """Discovered, then reported, then posted (that none is after the build date is ``checks/dates.py``'s)."""
    if fields.discovered and fields.reported < fields.discovered:
        report.at(source, ("reported",), codes.DATES_OUT_OF_ORDER,
                  f"{fields.reported} is before discovered {fields.discovered}")
    if fields.posted and fields.posted < fields.reported:
        report.at(source, ("posted",), codes.DATES_OUT_OF_ORDER, f"{fields.posted} is before reported {fields.reported}")
