"""Content + today → Site: what each page shows, decided once. Pure functions, no I/O.

The ``Site`` is the only thing that rendering and writing read: the notices with their
vendors, chains and data, the indexes that parents use to find them (``indexes.py``),
and the document files to copy.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote

from . import urls
from .accessibility import SCANNED, access_problems
from .documents import DocumentFacts
from .i18n import translations
from .languages import Localized, Translatable
from .indexes import (Category, DataGrid, ElementCategory, ElementUse, Letter, School, alphabet, categorised,
                      data_grid, element_categories, element_uses, letters, schools, vendor_order)
from .names import addresses, group_names, name_key, slugify, vendor_key
from .records import (DRAFT, FILES_DIR, INCOMPLETE, BreachRecord, Content, ContractRecord, DataElement, PageRecord,
                      PolicyRecord)
from .schema import Contact, Document, Month, first_day


ACTIVE, EXPIRED, NO_END_DATE = "active", "expired", "no_end_date"  # Notice.status


@dataclass(frozen=True)
class DocumentLink:
    title: Localized  # documents are not translated: in the default language
    url: str  # site-relative for a posted file, absolute for an external address
    external: bool
    is_pdf: bool
    source: Path | None = None  # the file in content/ that a posted document is copied from
    kind: str | None = None  # a posted file's type as pages name it: "PDF", "Word", …
    size: int | None = None  # a posted file's bytes
    pages: int | None = None  # a posted PDF's pages
    access_problems: tuple[str, ...] = ()  # what keeps a posted PDF from assistive technology (accessibility.py)
    type: str = "other"  # schema.DOCUMENT_KINDS: what the document is (a contract, a privacy policy, …)
    posts_the_contract: bool = False  # a contract, an amendment or a data privacy agreement

    @property
    def output(self) -> str:
        """Where a posted file is written in the site: its link, not percent-encoded."""
        return unquote(self.url)

    @property
    def scanned(self) -> bool:
        return SCANNED in self.access_problems


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


@dataclass
class DataChange:
    """What an amendment or renewal changes in the student data, compared with what it amends."""
    added: list[DataElement]
    removed: list[DataElement]
    comparable: bool  # False when either notice has not posted its student data


@dataclass(eq=False)
class Notice:
    slug: str
    url: str
    vendor: "Vendor"
    title: str  # Localized when written in a record; a plain name when it is the vendor's or made by the site
    product: str | None  # the product or service, where it is not the vendor's name
    kind: str
    contract_date: date | Month | None  # a month or nothing only in an incomplete notice
    posted: date | None
    expires: date | None
    expired: bool
    description: Localized  # Markdown
    student_data: list[DataElement] | None  # sensitive first; None: not yet posted
    data_not_limited: bool  # the contract says "includes, but is not limited to": the list is a minimum
    data_by_category: list[Category]
    student_data_notes: Localized | None
    schools: list[School]
    grades: str | None
    documents: list[DocumentLink]
    subprocessors: list[str] | None  # the companies that the vendor shares the data with, by name
    subprocessors_url: str | None  # or the address of the vendor's own list of them
    retention: Localized | None  # Markdown: how long the data is kept and how it is deleted
    sdpc_agreement: str | None  # the address of the agreement in the Student Data Privacy Consortium's registry
    incomplete: bool = False
    known_from: "Notice | None" = None  # never posted by the district: the notice it is known from
    missing: list[str] = field(default_factory=list)  # elements of records.NOTICE_ELEMENTS not yet posted
    amends: "Notice | None" = None
    amendments: list["Notice"] = field(default_factory=list)
    change: DataChange | None = None
    source_path: str = ""
    draft: bool = False
    breaches: list["Breach"] = field(default_factory=list)  # reported under this contract, newest first

    @property
    def status(self) -> str:
        """On the build date (``labels.STATUSES``): ``expired``; ``active`` only when the end date is known and
        not past; else ``no_end_date``, since a contract without one may have ended."""
        if self.expires is None:
            return NO_END_DATE
        return EXPIRED if self.expired else ACTIVE

    @property
    def contract_posted(self) -> bool:
        """Whether a document that is the contract (a contract, an amendment, a DPA) is posted."""
        return any(document.posts_the_contract for document in self.documents)

    @property
    def data_posted(self) -> bool:
        return self.student_data is not None

    @property
    def shares_no_data(self) -> bool:
        return self.student_data == []

    @property
    def sensitive_data(self) -> list[DataElement]:
        return [element for element in self.student_data or [] if element.sensitive]

    @property
    def recency_date(self) -> date | None:
        """When parents could first see the notice: posted, or else signed (a month: its first day)."""
        return self.posted or first_day(self.contract_date)


@dataclass(eq=False)
class Vendor:
    slug: str
    name: str
    url: str
    notices: list[Notice] = field(default_factory=list)  # oldest first
    data_by_category: list[Category] = field(default_factory=list)  # what any of its notices lists
    breaches: list["Breach"] = field(default_factory=list)  # newest first

    @property
    def notices_without_data(self) -> list[Notice]:
        """Its notices that have not yet posted their student data: it may see more than is listed."""
        return [notice for notice in self.notices if not notice.data_posted]

    @property
    def shares_no_data(self) -> bool:
        return all(notice.shares_no_data for notice in self.notices)


@dataclass(eq=False)
class Breach:
    """A breach of student data that a contractor reported (CGS § 10-234dd)."""
    slug: str
    url: str
    vendor_name: str
    vendor: Vendor | None  # the company's page, when the site has notices of it
    contract: Notice | None  # the notice of the contract it happened under, when published
    discovered: date | None
    reported: date
    posted: date | None
    students_affected: int | None
    sixty_day_case: bool
    student_data: list[DataElement]  # sensitive first
    data_by_category: list[Category]
    description: Localized  # Markdown: what happened, what was done, what parents can do
    example: bool = False  # an illustration, not a real breach
    draft: bool = False
    source_path: str = ""

    @property
    def recency_date(self) -> date:
        """When parents could first see it: posted, or else reported."""
        return self.posted or self.reported

    @property
    def sensitive_data(self) -> list[DataElement]:
        return [element for element in self.student_data if element.sensitive]


RECENT_BREACH_DAYS = 90  # the home page tells of breaches posted this recently


@dataclass(eq=False)
class PolicySeries:
    key: str
    title: Localized
    policies: list["Policy"] = field(default_factory=list)


@dataclass(eq=False)
class Policy:
    number: str
    url: str
    title: Localized
    adopted: date | None
    revised: date | None
    series: PolicySeries
    documents: list[DocumentLink]
    body: Localized
    example: bool = False
    related: list["Policy"] = field(default_factory=list)


@dataclass
class Page:
    name: str
    url: str
    title: Localized
    body: Localized


LATEST_NOTICES = 5


@dataclass
class Site:
    """Everything the pages of one language show; derived lists are computed once, since every page reads some."""

    lang: str
    title: Localized
    district: Localized
    base_url: str
    contact: Contact
    languages: list[str]  # of the whole site, the default first
    today: date
    notice_deadline_business_days: int  # of site.yml: the law's deadline, as the home page states it
    notices: list[Notice]  # newest first, undated last
    vendors: list[Vendor]  # A–Z
    letters: list[Letter]
    alphabet: list[tuple[str, Letter | None]]
    elements: list[ElementUse]  # every element of the vocabulary, each with its notices
    data_categories: list[ElementCategory]  # the elements that some notice lists
    unused_elements: list[ElementUse]  # the others, sensitive first
    data_grid: DataGrid
    vendors_sharing_nothing: list[Vendor]
    schools: list[School]
    policy_series: list[PolicySeries]
    policies: list[Policy]
    pages: list[Page]  # the parent guide first
    document_files: dict[str, Path]  # output path → file in content/, for every document shown
    breaches: list[Breach] = field(default_factory=list)  # newest first
    breaches_since: date | None = None  # of site.yml: since when the site keeps the record of breaches

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @cached_property
    def recent_breaches(self) -> list[Breach]:
        """The breaches posted in the last ``RECENT_BREACH_DAYS`` days, which the home page tells of."""
        return [breach for breach in self.breaches if 0 <= (self.today - breach.recency_date).days <= RECENT_BREACH_DAYS]

    @cached_property
    def notice_by_slug(self) -> dict[str, Notice]:
        return {notice.slug: notice for notice in self.notices}

    @cached_property
    def incomplete_notices(self) -> list[Notice]:
        return [notice for notice in self.notices if notice.incomplete]

    @cached_property
    def unposted_notices(self) -> list[Notice]:
        """Contracts that the district posted no notice of: known only from their amendments' notices."""
        return [notice for notice in self.notices if notice.known_from]

    @cached_property
    def complete_notices(self) -> list[Notice]:
        """Complete notices that the district posted."""
        return [notice for notice in self.notices if not (notice.incomplete or notice.known_from)]

    @cached_property
    def posted_incomplete_notices(self) -> list[Notice]:
        """Incomplete notices that the district posted, with what it knew."""
        return [notice for notice in self.notices if notice.incomplete and not notice.known_from]

    @cached_property
    def notices_without_data(self) -> list[Notice]:
        """Incomplete notices that have not yet posted their student data."""
        return [notice for notice in self.notices if not notice.data_posted]

    @cached_property
    def notices_without_school(self) -> list[Notice]:
        return [notice for notice in self.notices if not notice.schools]

    @cached_property
    def example_policies(self) -> list[Policy]:
        return [policy for policy in self.policies if policy.example]

    @cached_property
    def feed_notices(self) -> list[Notice]:
        """Notices with a date, newest posted first; an undated notice has no place in a feed."""
        return sorted((n for n in self.notices if n.recency_date), key=newest_posted_first)

    @cached_property
    def latest(self) -> list[Notice]:
        """The newest notices by the day parents could first see them."""
        return self.feed_notices[:LATEST_NOTICES]

    @cached_property
    def last_updated(self) -> date | None:
        """The newest date in the content: the site changes when a notice or policy does."""
        dates = ([n.recency_date for n in self.notices] + [p.revised or p.adopted for p in self.policies]
                 + [b.recency_date for b in self.breaches])
        return max((day for day in dates if day), default=None)

    @cached_property
    def feed_updated(self) -> str:
        return (self.last_updated or self.today).isoformat()

    def page(self, name: str) -> Page | None:
        return next((p for p in self.pages if p.name == name), None)


def _tie_break(notice) -> tuple:
    return (notice.title.casefold(), notice.title, notice.slug)


def newest_first(notice) -> tuple:
    """By signing date, newest first (a month counts as its first day); undated last, by title."""
    day = first_day(notice.contract_date)
    return (day is None, -day.toordinal() if day else 0) + _tie_break(notice)


def oldest_first(notice) -> tuple:
    day = first_day(notice.contract_date)
    return (day is None, day or date.min) + _tie_break(notice)


def newest_posted_first(notice: Notice) -> tuple:
    return (-notice.recency_date.toordinal(),) + _tie_break(notice)


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
                                 e.description.in_language(lang, default), e.sensitive)
                for key, e in content.elements.items()}
    vendors = _vendors(public)
    notice_schools = schools(name for record in public for name in record.fields.schools)
    notices = sorted(_notices(public, content, elements, vendors, notice_schools, order, today, lang),
                     key=newest_first)
    for notice in notices:  # newest first, so each school's list is too
        for school in notice.schools:
            school.notices.append(notice)
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
        notice_deadline_business_days=site.notice_deadline_business_days,
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
        policy_series=[group for group in series.values() if group.policies],
        policies=policies,
        pages=_pages(content.pages, lang, default),
        document_files=_document_files(notices, policies),
        breaches=_breaches(content, elements, order, vendors, notices, lang, drafts),
        breaches_since=site.breaches_since,
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


def _notices(records: list[ContractRecord], content: Content, elements: dict[str, DataElement],
             vendors: dict[str, Vendor], notice_schools: dict[str, School], order: dict[str, int], today: date,
             lang: str) -> list[Notice]:
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
        notices[record.slug] = Notice(
            slug=record.slug, url=urls.notice(record.slug), vendor=vendor,
            title=_notice_title(record, slugs, changes, lang, default), product=fields.product, kind=fields.kind,
            contract_date=fields.contract_date, posted=fields.posted,
            student_data=data, data_not_limited=fields.student_data_not_limited and data is not None,
            data_by_category=categories,
            schools=list(dict.fromkeys(notice_schools[name_key(name)] for name in fields.schools)),
            incomplete=record.state == INCOMPLETE, source_path=record.source.path, draft=record.state == DRAFT,
            **_notice_text(record, today, lang, default, files_dir),
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


def _notice_text(record: ContractRecord, today: date, lang: str, default: str, files_dir: Path) -> dict:
    """What a notice shows of its record that no list of the site depends on: ``patch_site`` may change it in place."""
    fields = record.fields
    translation = record.translations.get(lang)

    def text(name: str) -> Localized | None:
        """A Markdown field of the record, translated where the translation gives it."""
        main = getattr(fields, name)
        if not (main and main.strip()):
            return None
        return _translated(main, getattr(translation.fields, name) if translation else None, lang, default)

    names = list(fields.subprocessors) if isinstance(fields.subprocessors, list) else None
    return dict(
        description=_translated(record.body, translation.body if translation else None, lang, default),
        student_data_notes=text("student_data_notes"), retention=text("retention"),
        expires=fields.expires, expired=bool(fields.expires and fields.expires < today), grades=fields.grades,
        documents=document_links(fields.documents, urls.CONTRACT_FILES, default, files_dir, record.document_facts),
        subprocessors=names, subprocessors_url=None if names else fields.subprocessors,
        sdpc_agreement=fields.sdpc_agreement,
        missing=record.missing if record.state == INCOMPLETE else [],
    )


def _breaches(content: Content, elements: dict[str, DataElement], order: dict[str, int], vendors: dict[str, Vendor],
              notices: list[Notice], lang: str, drafts: bool) -> list[Breach]:
    """The published breaches, newest first, each linked both ways with its vendor and its contract's notice."""
    default = content.site.languages[0]
    by_slug = {notice.slug: notice for notice in notices}
    breaches = []
    for record in content.breaches:
        if not (record.is_public() or (drafts and record.valid and record.body.strip())):
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
            **_breach_text(record, lang, default)))
    breaches.sort(key=lambda breach: (-breach.recency_date.toordinal(), breach.slug))
    for breach in breaches:
        if breach.vendor is not None:
            breach.vendor.breaches.append(breach)
        if breach.contract is not None:
            breach.contract.breaches.append(breach)
    return breaches


def _breach_text(record: BreachRecord, lang: str, default: str) -> dict:
    """What a breach shows of its record that no list of the site depends on: ``patch_sites`` may change it in place."""
    translation = record.translations.get(lang)
    return dict(description=_translated(record.body, translation.body if translation else None, lang, default))


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
            **_policy_text(r, lang, default, files_dir))
    for record in content.policies:
        if record.fields.number in policies:
            policies[record.fields.number].related = [policies[n] for n in record.fields.related if n in policies]
    ordered = sorted(policies.values(), key=lambda p: policy_sort_key(p.number))
    for policy in ordered:
        policy.series.policies.append(policy)
    return ordered


def _policy_text(record: PolicyRecord, lang: str, default: str, files_dir: Path) -> dict:
    """What a policy shows of its record that no list of the site depends on: ``patch_site`` may change it in place."""
    translation = record.translations.get(lang)
    return dict(
        title=_translated(record.fields.title, translation.fields.title if translation else None, lang, default),
        documents=document_links(record.fields.documents, urls.POLICY_FILES, default, files_dir,
                                 record.document_facts),
        body=_translated(record.body, translation.body if translation else None, lang, default),
    )


def _pages(records: list[PageRecord], lang: str, default: str) -> list[Page]:
    """The standalone pages in ``lang``, the parent guide first; a page not yet translated in the default language."""
    public = [r for r in records if r.is_public()]
    originals = {r.name: r for r in public if r.lang == default}
    translated = {r.name: r for r in public if r.lang == lang}
    pages = []
    for name, original in originals.items():
        record = translated.get(name, original)
        pages.append(Page(name, urls.page(name), Localized(record.fields.title, record.lang),
                          Localized(record.body, record.lang)))
    return sorted(pages, key=lambda p: (p.name != "guide", p.name))


def _document_files(notices: list[Notice], policies: list[Policy]) -> dict[str, Path]:
    """Output path → file in content/, for the posted documents of every record on the site."""
    files = {}
    for record in [*notices, *policies]:
        for document in record.documents:
            if document.source is not None:
                files[document.output] = document.source
    return dict(sorted(files.items()))


# --------------------------------------------------------------------------- the preview's patches

CONTRACT_TEXT_FIELDS = {"student_data_notes", "grades", "expires", "documents",  # as _notice_text shows them
                        "subprocessors", "retention", "sdpc_agreement"}
POLICY_TEXT_FIELDS = {"title", "documents"}  # as _policy_text shows them


def patch_sites(sites: list[Site], old: Content, new: Content, today: date) -> bool:
    """Bring ``sites``, built from ``old``, up to ``new`` in place, if only text changed; else ``False``.

    A save that changes what a notice, policy, page or breach says (its description, notes, grades,
    expiry, documents of the same files, subprocessors, retention, SDPC agreement, a policy's
    title) changes only the objects that show
    it, which every page that lists them shares: the preview updates those and is done in a
    millisecond at ten thousand notices. A change that could move anything between lists or
    reorder them (dates, vendor, data, schools, state, a title of a notice, a record added or
    removed, the settings) returns ``False`` before changing anything: then build anew. A test
    compares every page of a patched site with those of a site built anew.
    """
    if (old.root, old.site, old.elements, old.series) != (new.root, new.site, new.elements, new.series):
        return False
    contracts = _changed_pairs(old.contracts, new.contracts, lambda record: record.slug)
    policies = _changed_pairs(old.policies, new.policies, lambda record: record.source.path)
    pages = _changed_pairs(old.pages, new.pages, lambda record: (record.name, record.lang))
    breaches = _changed_pairs(old.breaches, new.breaches, lambda record: record.slug)
    if contracts is None or policies is None or pages is None or breaches is None:
        return False
    if not all(_same_place_contract(before, after) for before, after in contracts):
        return False
    if not all(_same_place_policy(before, after) for before, after in policies):
        return False
    if not all(before.fields.draft == after.fields.draft for before, after in pages):
        return False
    if not all(_same_place_breach(before, after) for before, after in breaches):
        return False
    for site in sites:
        default = site.default_language
        for _, record in contracts:
            notice = site.notice_by_slug.get(record.slug)
            if notice is not None:
                for name, value in _notice_text(record, today, site.lang, default,
                                                new.root / "contracts" / FILES_DIR).items():
                    setattr(notice, name, value)
        by_number = {policy.number: policy for policy in site.policies}
        for _, record in policies:
            policy = by_number.get(record.fields.number)
            if policy is not None:
                for name, value in _policy_text(record, site.lang, default, new.root / "policies" / FILES_DIR).items():
                    setattr(policy, name, value)
        by_slug = {breach.slug: breach for breach in site.breaches}
        for _, record in breaches:
            if record.slug in by_slug:
                for name, value in _breach_text(record, site.lang, default).items():
                    setattr(by_slug[record.slug], name, value)
        if pages:
            shown = {page.name: page for page in site.pages}
            for page in _pages(new.pages, site.lang, default):
                shown[page.name].title, shown[page.name].body = page.title, page.body
    return True


def _changed_pairs(old: list, new: list, identity: Callable) -> list[tuple] | None:
    """The (old, new) records that were read again; ``None`` when records came, went or moved."""
    if len(old) != len(new):
        return None
    changed = []
    for before, after in zip(old, new):
        if before is after:
            continue
        if identity(before) != identity(after):
            return None
        if not _unchanged(before, after):
            changed.append((before, after))
    return changed


def _unchanged(before, after) -> bool:
    """The same file read as before (the loader's memo gives the very same object), translations too."""
    if before is after:
        return True
    if before.source is not after.source:
        return False
    translations_before = getattr(before, "translations", {})
    translations_after = getattr(after, "translations", {})
    return (translations_before.keys() == translations_after.keys()
            and all(translations_before[lang].source is translations_after[lang].source
                    for lang in translations_before))


def _posted_files(documents: list[Document]) -> list[str | None]:
    return [document.file for document in documents]


def _same_place_contract(before: ContractRecord, after: ContractRecord) -> bool:
    """Whether ``after`` differs from ``before`` only in what ``_notice_text`` shows."""
    return (before.valid == after.valid
            and before.fields.model_dump(exclude=CONTRACT_TEXT_FIELDS)
            == after.fields.model_dump(exclude=CONTRACT_TEXT_FIELDS)
            and _posted_files(before.fields.documents) == _posted_files(after.fields.documents)
            and bool(before.body.strip()) == bool(after.body.strip())  # what is missing: drafts shown or not
            and {lang: t.fields.title for lang, t in before.translations.items()}
            == {lang: t.fields.title for lang, t in after.translations.items()})


def _same_place_breach(before: BreachRecord, after: BreachRecord) -> bool:
    """Whether ``after`` differs from ``before`` only in what ``_breach_text`` shows."""
    return (before.valid == after.valid and before.fields == after.fields
            and bool(before.body.strip()) == bool(after.body.strip())
            and before.translations.keys() == after.translations.keys())


def _same_place_policy(before: PolicyRecord, after: PolicyRecord) -> bool:
    """Whether ``after`` differs from ``before`` only in what ``_policy_text`` shows."""
    return (before.series == after.series
            and before.fields.model_dump(exclude=POLICY_TEXT_FIELDS) == after.fields.model_dump(exclude=POLICY_TEXT_FIELDS)
            and _posted_files(before.fields.documents) == _posted_files(after.fields.documents)
            and before.translations.keys() == after.translations.keys())
