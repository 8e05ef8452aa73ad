"""Content + today → Site: the builder of the page objects (``pages.py``). Pure functions, no I/O."""
from __future__ import annotations


from collections import defaultdict
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

from .. import urls
from ..grades import read_grades
from ..i18n import translations
from ..languages import DEFAULT, Localized, Translatable
from ..load.documents import access_problems
from ..load.documents import DocumentFacts
from ..load.records import (DRAFT, FILES_DIR, INCOMPLETE, BreachRecord, Content, ContractRecord, DataElement,
                            ElementDefinition, PageRecord, PolicyRecord)
from ..load.schema import Document
from ..names import addresses, group_names, name_key, vendor_key
from ..values import first_day
from .indexes import (Grade, School, alphabet, categorised, data_grid, element_categories, element_uses, grades,
                      letters, schools, vendor_order)
from .pages import (Breach, BreachText, DataChange, DocumentLink, Notice, NoticeText, Page, PageText, Policy,
                    PolicySeries, PolicyText, RemovedSchool, SignUp, Site, Vendor, newest_first, oldest_first)


def document_links(documents: list[Document], files_url: str, default: str,
                   files_dir: Path | None = None, facts: dict[str, DocumentFacts] | None = None) -> list[DocumentLink]:
    """The links of a record's documents; a posted file's with its type, size and pages from ``facts``
    (what loading read of each file, by name)."""
    links = []
    for d in documents:
        if d.url:
            links.append(DocumentLink(Localized(d.title, default), d.url, True, d.url.lower().endswith(".pdf"),
                                      type=d.kind, posts_the_contract=d.posts_the_contract))
            continue
        known = (facts or {}).get(d.file)
        pdf = known.pdf if known else None
        # A file name may hold spaces, '#' or '?': percent-encode it so that the link reaches the file.
        links.append(DocumentLink(Localized(d.title, default), files_url + quote(d.file), False,
                                  d.file.lower().endswith(".pdf"), files_dir / d.file if files_dir else None,
                                  known.kind if known else None, known.size if known else None,
                                  pdf.pages if pdf else None, tuple(access_problems(pdf)),
                                  type=d.kind, posts_the_contract=d.posts_the_contract))
    return links


def build_sites(content: Content, today: date, base_url: str | None = None, drafts: bool = False) -> list[Site]:
    """The site in each language of site.yml, the default first."""
    return [build_site(content, today, base_url, drafts, lang) for lang in content.site.languages]


def build_site(content: Content, today: date, base_url: str | None = None, drafts: bool = False,
               lang: str | None = None) -> Site:
    """The site as published in ``lang`` (default: the site's default language); with ``drafts``
    (the preview) drafts with every element too, marked."""
    site = content.site
    default = site.languages[0]
    lang = lang or default
    public = [record for record in content.contracts if record.is_public(drafts)]
    order = {key: index for index, key in enumerate(content.elements)}
    elements = {key: DataElement(key, e.label.in_language(lang, default), e.category.in_language(lang, default),
                                 e.description.in_language(lang, default), e.sensitive, _aliases_in(e, lang))
                for key, e in content.elements.items()}
    vendors = _vendors(public)
    notice_schools = schools(name for record in public for name in record.fields.schools)
    notice_grades = grades()
    notices = sorted(_notices(public, content, elements, vendors, notice_schools, notice_grades, order, today, lang),
                     key=newest_first)
    for notice in notices:  # newest first, so each school's and grade's list is too
        for school in notice.schools:
            school.notices.append(notice)
        for grade in notice.grade_levels:
            grade.notices.append(notice)
        for removed in notice.removes_schools:
            if removed.school is not None:
                removed.school.removed_by.append(notice)
        for grade in notice.removed_grade_levels:
            grade.removed_by.append(notice)
    series = _policy_series(content, lang)
    policies = _policies(content, series, lang)
    vendor_list = sorted(vendors.values(), key=vendor_order)
    grouped_letters = letters(vendor_list)
    uses = element_uses(elements, notices)
    used = element_categories([use for use in uses if use.notices], order)
    return Site(
        lang=lang,
        title=Translatable.of(site.title).in_language(lang, default),
        district=Translatable.of(site.district).in_language(lang, default),
        base_url=base_url or site.base_url,
        contact=site.contact,
        languages=list(site.languages),
        today=today,
        jurisdiction=content.jurisdiction,
        notices=notices,
        vendors=vendor_list,
        letters=grouped_letters,
        alphabet=alphabet(grouped_letters),
        elements=uses,
        data_categories=used,
        unused_elements=[u for c in element_categories([u for u in uses if not u.notices], order) for u in c.uses],
        data_grid=data_grid(vendor_list, [category.name for category in used]),
        vendors_sharing_nothing=[v for v in vendor_list if v.shares_no_data],
        schools=sorted(notice_schools.values(), key=lambda s: (s.name.casefold(), s.slug)),
        grades=[grade for grade in notice_grades.values() if grade.notices],
        policy_series=[group for group in series.values() if group.policies],
        policies=policies,
        pages=site_pages(content.pages, lang, default),
        document_files=_document_files(notices, policies),
        breaches=_breaches(content, elements, order, vendors, notices, lang, drafts),
        breaches_since=site.breaches_since,
        markdown_html=content.markdown_html(),
        logo=quote(site.logo) if site.logo else None,
        logo_alt=Translatable.of(site.logo_alt).in_language(lang, default) if site.logo_alt else None,
        accent_colour=site.accent_colour,
        sign_up=SignUp(site.subscribe, site.subscribe_email) if site.subscribe else None,
    )


def _vendors(records: list[ContractRecord]) -> dict[str, Vendor]:
    """``names.vendor_key`` → Vendor: spellings with the same key are one company, and two companies
    never share an address (``names.addresses``), whatever the order of the files."""
    spellings = group_names((record.fields.vendor for record in records), key=vendor_key)
    slugs = addresses(spellings)
    return {key: Vendor(slugs[key], name, urls.vendor(slugs[key])) for key, name in spellings.items()}


def _changes_by_target(records: list[ContractRecord]) -> dict[tuple[str, str], list[ContractRecord]]:
    """(amended slug, kind) → its amendments or renewals, drafts included, in signing order."""
    changes: dict[tuple[str, str], list[ContractRecord]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (first_day(r.fields.contract_date) or date.max, r.slug)):
        if record.fields.kind != "contract" and record.fields.amends:
            changes[(record.fields.amends, record.fields.kind)].append(record)
    return changes


def _notice_title(record: ContractRecord, slugs: set[str], changes: dict, lang: str, default: str) -> str:
    """The title given (translated, or else in the default language), or else the vendor's name,
    with "— Amendment N" in ``lang``. A title that is the vendor's name is a name in every language."""
    fields = record.fields
    translation = record.translations.get(lang)
    if translation and translation.fields.title:
        return Localized(translation.fields.title, lang)
    if fields.title:
        return fields.title if fields.title == fields.vendor else Localized(fields.title, default)
    if fields.kind == "contract" or fields.amends not in slugs:
        return fields.vendor
    siblings = changes[(fields.amends, fields.kind)]
    number = siblings.index(record) + 1
    gettext = translations(lang).gettext
    if fields.kind == "renewal" and len(siblings) == 1:
        return gettext("%(vendor)s — Renewal") % {"vendor": fields.vendor}
    if fields.kind == "renewal":
        return gettext("%(vendor)s — Renewal %(number)s") % {"vendor": fields.vendor, "number": number}
    return gettext("%(vendor)s — Amendment %(number)s") % {"vendor": fields.vendor, "number": number}


def _translated(main: str, translation: str | None, lang: str, default: str) -> Localized:
    """A translated text where it is given, else the main record's, in the default language."""
    if translation and translation.strip():
        return Localized(translation, lang)
    return Localized(main, default)


def _aliases_in(element: ElementDefinition, lang: str) -> tuple[str, ...]:
    """The element's aliases that a search in ``lang`` finds: those of ``lang`` and those written as a plain list."""
    return tuple(name for language, names in element.aliases if language in (DEFAULT, lang) for name in names)


def _notices(records: list[ContractRecord], content: Content, elements: dict[str, DataElement],
             vendors: dict[str, Vendor], notice_schools: dict[str, School], notice_grades: dict[str, Grade],
             order: dict[str, int], today: date, lang: str) -> list[Notice]:
    default = content.site.languages[0]
    slugs = {r.slug for r in content.contracts}
    changes = _changes_by_target(content.contracts)
    files_dir = content.root / "contracts" / FILES_DIR
    notices: dict[str, Notice] = {}
    for record in records:
        fields = record.fields
        categories = categorised({key: elements[key] for key in fields.student_data or []}.values(), order)
        data = None if fields.student_data is None else [e for category in categories for e in category.elements]
        vendor = vendors[vendor_key(fields.vendor)]
        read = read_grades(fields.grades) if fields.grades is not None else ()
        removed = read_grades(fields.removes_grades) if fields.removes_grades is not None else ()
        notices[record.slug] = Notice(
            slug=record.slug, url=urls.notice(record.slug), vendor=vendor,
            title=_notice_title(record, slugs, changes, lang, default), product=fields.product, kind=fields.kind,
            contract_date=fields.contract_date, posted=fields.posted,
            student_data=data, data_not_limited=fields.student_data_not_limited and data is not None,
            data_by_category=categories,
            schools=list(dict.fromkeys(notice_schools[name_key(name)] for name in fields.schools)),
            incomplete=record.state == INCOMPLETE, source_path=record.source.path, draft=record.state == DRAFT,
            text=notice_text(record, today, lang, default, files_dir),
            grades=fields.grades, grade_levels=[notice_grades[key] for key in read or ()],
            removes_schools=[RemovedSchool(name, notice_schools.get(name_key(name))) for name in fields.removes_schools],
            removes_grades=fields.removes_grades, removed_grade_levels=[notice_grades[key] for key in removed or ()],
        )
    for record in records:
        notices[record.slug].known_from = notices.get(record.fields.known_from or "")
        target = notices.get(record.fields.amends or "")
        if target is not None:
            notice = notices[record.slug]
            notice.amends = target
            notice.change = _data_change(notice, target)
            target.amendments.append(notice)
    for notice in notices.values():
        notice.amendments.sort(key=oldest_first)
        notice.vendor.notices.append(notice)
    for vendor in vendors.values():
        vendor.notices.sort(key=oldest_first)
        seen = {element.key: element for notice in vendor.notices for element in notice.student_data or []}
        vendor.data_by_category = categorised(seen.values(), order)
    return list(notices.values())


# "Only text changed": the fields of a record (and of its translations) that only its text part shows, besides
# its body. The text functions below read no other field (``_text_fields``), so a save that changes only these
# and the body (not whether the body is empty, nor which files the documents post) moves nothing between the
# lists of the site and writes no other file: the preview then replaces the text part of the objects that show
# the record (``preview/patch.py``), and builds anew otherwise.
NOTICE_TEXT_FIELDS = frozenset({"student_data_notes", "retention", "expires", "documents", "subprocessors",
                                "sdpc_agreement", "vendor_address", "subprocessor_safeguards", "accuracy_challenge",
                                "storage_and_security", "encryption"})
POLICY_TEXT_FIELDS = frozenset({"title", "documents"})
BREACH_TEXT_FIELDS: frozenset[str] = frozenset()
PAGE_TEXT_FIELDS = frozenset({"title"})


def _text_fields(fields, names: frozenset[str]) -> SimpleNamespace:
    """The fields ``names`` of a record's fields (those it has), and no other."""
    return SimpleNamespace(**{name: getattr(fields, name) for name in names if hasattr(fields, name)})


def notice_text(record: ContractRecord, today: date, lang: str, default: str, files_dir: Path) -> NoticeText:
    """What a notice shows of ``record`` that no list of the site depends on (``NOTICE_TEXT_FIELDS``)."""
    fields = _text_fields(record.fields, NOTICE_TEXT_FIELDS)
    translation = record.translations.get(lang)
    translated = _text_fields(translation.fields, NOTICE_TEXT_FIELDS) if translation else None

    def text(name: str) -> Localized | None:
        """A Markdown field of the record, translated where the translation gives it."""
        main = getattr(fields, name)
        if not (main and main.strip()):
            return None
        return _translated(main, getattr(translated, name, None), lang, default)

    names = list(fields.subprocessors) if isinstance(fields.subprocessors, list) else None
    return NoticeText(
        description=_translated(record.body, translation.body if translation else None, lang, default),
        student_data_notes=text("student_data_notes"), retention=text("retention"),
        expires=fields.expires, expired=bool(fields.expires and fields.expires < today),
        documents=document_links(fields.documents, urls.CONTRACT_FILES, default, files_dir, record.document_facts),
        subprocessors=names, subprocessors_url=None if names else fields.subprocessors,
        sdpc_agreement=fields.sdpc_agreement, vendor_address=fields.vendor_address,
        subprocessor_safeguards=text("subprocessor_safeguards"), accuracy_challenge=text("accuracy_challenge"),
        storage_and_security=text("storage_and_security"), encryption=text("encryption"),
        missing=record.missing if record.state == INCOMPLETE else [],
    )


def _breaches(content: Content, elements: dict[str, DataElement], order: dict[str, int], vendors: dict[str, Vendor],
              notices: list[Notice], lang: str, drafts: bool) -> list[Breach]:
    """The published breaches, newest first, each linked both ways with its vendor and its contract's notice."""
    default = content.site.languages[0]
    by_slug = {notice.slug: notice for notice in notices}
    breaches = []
    for record in content.breaches:
        if not record.is_public(drafts):
            continue
        fields = record.fields
        categories = categorised({key: elements[key] for key in fields.student_data}.values(), order)
        breaches.append(Breach(
            slug=record.slug, url=urls.breach(record.slug), vendor_name=fields.vendor,
            vendor=vendors.get(vendor_key(fields.vendor)), contract=by_slug.get(fields.contract or ""),
            discovered=fields.discovered, reported=fields.reported, posted=fields.posted,
            students_affected=fields.students_affected, sixty_day_case=fields.sixty_day_case,
            student_data=[element for category in categories for element in category.elements],
            data_by_category=categories, example=fields.example, draft=fields.draft, source_path=record.source.path,
            text=breach_text(record, lang, default)))
    breaches.sort(key=lambda breach: (-breach.recency_date.toordinal(), breach.slug))
    for breach in breaches:
        if breach.vendor is not None:
            breach.vendor.breaches.append(breach)
        if breach.contract is not None:
            breach.contract.breaches.append(breach)
    return breaches


def breach_text(record: BreachRecord, lang: str, default: str) -> BreachText:
    """What a breach shows of ``record`` that no list of the site depends on: its body (``BREACH_TEXT_FIELDS``)."""
    translation = record.translations.get(lang)
    return BreachText(description=_translated(record.body, translation.body if translation else None, lang, default))


def _data_change(notice: Notice, original: Notice) -> DataChange:
    if not (notice.data_posted and original.data_posted):
        return DataChange([], [], comparable=False)
    before = {element.key for element in original.student_data}
    after = {element.key for element in notice.student_data}
    return DataChange([e for e in notice.student_data if e.key not in before],
                      [e for e in original.student_data if e.key not in after], comparable=True)


def policy_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _policy_series(content: Content, lang: str) -> dict[str, PolicySeries]:
    default = content.site.languages[0]
    return {item.key: PolicySeries(item.key, item.title.in_language(lang, default)) for item in content.series}


def _policies(content: Content, series: dict[str, PolicySeries], lang: str) -> list[Policy]:
    """Every public policy by number, each added to its series."""
    default = content.site.languages[0]
    files_dir = content.root / "policies" / FILES_DIR
    policies = {}
    for r in content.policies:
        if not r.is_public():
            continue
        policies[r.fields.number] = Policy(
            number=r.fields.number, url=urls.policy(r.fields.number), adopted=r.fields.adopted,
            revised=r.fields.revised, series=series[r.series], example=r.fields.example,
            text=policy_text(r, lang, default, files_dir))
    for record in content.policies:
        if record.fields.number in policies:
            policies[record.fields.number].related = [policies[n] for n in record.fields.related if n in policies]
    ordered = sorted(policies.values(), key=lambda p: policy_sort_key(p.number))
    for policy in ordered:
        policy.series.policies.append(policy)
    return ordered


def policy_text(record: PolicyRecord, lang: str, default: str, files_dir: Path) -> PolicyText:
    """What a policy shows of ``record`` that no list of the site depends on (``POLICY_TEXT_FIELDS``)."""
    fields = _text_fields(record.fields, POLICY_TEXT_FIELDS)
    translation = record.translations.get(lang)
    translated = _text_fields(translation.fields, POLICY_TEXT_FIELDS) if translation else None
    return PolicyText(
        title=_translated(fields.title, getattr(translated, "title", None), lang, default),
        documents=document_links(fields.documents, urls.POLICY_FILES, default, files_dir, record.document_facts),
        body=_translated(record.body, translation.body if translation else None, lang, default),
    )


def page_text(record: PageRecord) -> PageText:
    """What a standalone page shows of ``record``, in the record's language (``PAGE_TEXT_FIELDS``)."""
    fields = _text_fields(record.fields, PAGE_TEXT_FIELDS)
    return PageText(Localized(fields.title, record.lang), Localized(record.body, record.lang))


def site_pages(records: list[PageRecord], lang: str, default: str) -> list[Page]:
    """The standalone pages in ``lang``, the parent guide first; a page not yet translated in the default language."""
    public = [r for r in records if r.is_public()]
    originals = {r.name: r for r in public if r.lang == default}
    translated = {r.name: r for r in public if r.lang == lang}
    pages = [Page(name, urls.page(name), page_text(translated.get(name, original)))
             for name, original in originals.items()]
    return sorted(pages, key=lambda p: (p.name != "guide", p.name))


def _document_files(notices: list[Notice], policies: list[Policy]) -> dict[str, Path]:
    """Output path → file in content/, for the posted documents of every record on the site."""
    files = {}
    for record in [*notices, *policies]:
        for document in record.documents:
            if document.source is not None:
                files[document.output] = document.source
    return dict(sorted(files.items()))


