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
from urllib.parse import quote, unquote

from . import urls
from .i18n import translations
from .indexes import (Category, DataGrid, ElementCategory, ElementUse, Letter, School, alphabet, categorised,
                      data_grid, element_categories, element_uses, group_names, letters, name_key, schools,
                      slugify, vendor_order)
from .records import DRAFT, FILES_DIR, INCOMPLETE, Content, ContractRecord, DataElement, PageRecord, Series
from .schema import Contact, Document, Month, first_day


@dataclass(frozen=True)
class DocumentLink:
    title: str
    url: str  # site-relative for a posted file, absolute for an external address
    external: bool
    is_pdf: bool
    source: Path | None = None  # the file in content/ that a posted document is copied from

    @property
    def output(self) -> str:
        """Where a posted file is written in the site: its link, not percent-encoded."""
        return unquote(self.url)


def document_links(documents: list[Document], files_url: str, files_dir: Path | None = None) -> list[DocumentLink]:
    # A file name may hold spaces, '#' or '?': percent-encode it so that the link reaches the file.
    return [DocumentLink(d.title, d.url, True, d.url.lower().endswith(".pdf")) if d.url
            else DocumentLink(d.title, files_url + quote(d.file), False, d.file.lower().endswith(".pdf"),
                              files_dir / d.file if files_dir else None)
            for d in documents]


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
    title: str
    kind: str
    contract_date: date | Month | None  # a month or nothing only in an incomplete notice
    posted: date | None
    expires: date | None
    expired: bool
    description: str  # Markdown
    student_data: list[DataElement] | None  # sensitive first; None: not yet posted
    data_by_category: list[Category]
    student_data_notes: str | None
    schools: list[School]
    grades: str | None
    documents: list[DocumentLink]
    incomplete: bool = False
    missing: list[str] = field(default_factory=list)  # elements of records.NOTICE_ELEMENTS not yet posted
    amends: "Notice | None" = None
    amendments: list["Notice"] = field(default_factory=list)
    change: DataChange | None = None
    source_path: str = ""
    draft: bool = False

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

    @property
    def active(self) -> bool:
        return any(not notice.expired for notice in self.notices)

    @property
    def notices_without_data(self) -> list[Notice]:
        """Its notices that have not yet posted their student data: it may see more than is listed."""
        return [notice for notice in self.notices if not notice.data_posted]

    @property
    def shares_no_data(self) -> bool:
        return all(notice.shares_no_data for notice in self.notices)


@dataclass(eq=False)
class Policy:
    number: str
    url: str
    title: str
    adopted: date | None
    revised: date | None
    series: Series
    documents: list[DocumentLink]
    body: str
    example: bool = False
    related: list["Policy"] = field(default_factory=list)


@dataclass
class PolicySeries:
    series: Series
    policies: list[Policy]


@dataclass
class Page:
    name: str
    lang: str
    url: str
    title: str
    body: str
    translations: list["Page"] = field(default_factory=list)
    fallback: bool = False  # shown in the default language because no translation exists


LATEST_NOTICES = 5


@dataclass
class Site:
    """Everything the pages show; derived lists are computed once, since every page reads some."""

    title: str
    district: str
    base_url: str
    contact: Contact
    languages: list[str]
    today: date
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
    pages: list[Page]
    document_files: dict[str, Path]  # output path → file in content/, for every document shown

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @cached_property
    def incomplete_notices(self) -> list[Notice]:
        return [notice for notice in self.notices if notice.incomplete]

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
        dates = [n.recency_date for n in self.notices] + [p.revised or p.adopted for p in self.policies]
        return max((day for day in dates if day), default=None)

    @cached_property
    def feed_updated(self) -> str:
        return (self.last_updated or self.today).isoformat()

    def pages_in(self, lang: str) -> list[Page]:
        """The standalone pages in ``lang``, the parent guide first, for the navigation."""
        return sorted((p for p in self.pages if p.lang == lang), key=lambda p: (p.name != "guide", p.name))

    def page(self, name: str, lang: str) -> Page | None:
        return next((p for p in self.pages if p.name == name and p.lang == lang), None)


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


def build_site(content: Content, today: date, base_url: str | None = None, drafts: bool = False) -> Site:
    """The site as published; with ``drafts`` (the preview) drafts with every element too, marked."""
    public = [record for record in content.contracts if record.is_public(drafts)]
    order = {key: index for index, key in enumerate(content.elements)}
    vendors = _vendors(public)
    notice_schools = schools(name for record in public for name in record.fields.schools)
    notices = sorted(_notices(public, content, vendors, notice_schools, order, today), key=newest_first)
    for notice in notices:  # newest first, so each school's list is too
        for school in notice.schools:
            school.notices.append(notice)
    policies = _policies(content)
    site = content.site
    vendor_list = sorted(vendors.values(), key=vendor_order)
    grouped_letters = letters(vendor_list)
    uses = element_uses(content.elements, notices)
    used = element_categories([use for use in uses if use.notices], order)
    return Site(
        title=site.title,
        district=site.district,
        base_url=base_url or site.base_url,
        contact=site.contact,
        languages=list(site.languages),
        today=today,
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
        policy_series=_policy_series(content.series, policies),
        policies=policies,
        pages=_pages(content.pages, site.languages),
        document_files=_document_files(notices, policies),
    )


def _vendors(records: list[ContractRecord]) -> dict[str, Vendor]:
    """One vendor per name, where names equal but for case and punctuation count as one."""
    return {key: Vendor(slugify(name), name, urls.vendor(slugify(name)))
            for key, name in group_names(record.fields.vendor for record in records).items()}


def _changes_by_target(records: list[ContractRecord]) -> dict[tuple[str, str], list[ContractRecord]]:
    """(amended slug, kind) → its amendments or renewals, drafts included, in signing order."""
    changes: dict[tuple[str, str], list[ContractRecord]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (first_day(r.fields.contract_date) or date.max, r.slug)):
        if record.fields.kind != "contract" and record.fields.amends:
            changes[(record.fields.amends, record.fields.kind)].append(record)
    return changes


def _default_title(record: ContractRecord, slugs: set[str], changes: dict, lang: str) -> str:
    """The title given, or the vendor's name with "— Amendment N" in the site's default language."""
    fields = record.fields
    if fields.title:
        return fields.title
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


def _notices(records: list[ContractRecord], content: Content, vendors: dict[str, Vendor],
             notice_schools: dict[str, School], order: dict[str, int], today: date) -> list[Notice]:
    slugs = {r.slug for r in content.contracts}
    changes = _changes_by_target(content.contracts)
    files_dir = content.root / "contracts" / FILES_DIR
    notices: dict[str, Notice] = {}
    for record in records:
        fields = record.fields
        categories = categorised({key: content.elements[key] for key in fields.student_data or []}.values(), order)
        data = None if fields.student_data is None else [e for category in categories for e in category.elements]
        vendor = vendors[name_key(fields.vendor)]
        notices[record.slug] = Notice(
            slug=record.slug, url=urls.notice(record.slug), vendor=vendor,
            title=_default_title(record, slugs, changes, content.site.languages[0]), kind=fields.kind,
            contract_date=fields.contract_date, posted=fields.posted, expires=fields.expires,
            expired=bool(fields.expires and fields.expires < today),
            description=record.body, student_data=data, data_by_category=categories,
            student_data_notes=fields.student_data_notes,
            schools=list(dict.fromkeys(notice_schools[name_key(name)] for name in fields.schools)),
            grades=fields.grades, documents=document_links(fields.documents, urls.CONTRACT_FILES, files_dir),
            incomplete=record.state == INCOMPLETE, missing=record.missing if record.state == INCOMPLETE else [],
            source_path=record.source.path, draft=record.state == DRAFT,
        )
    for record in records:
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


def _data_change(notice: Notice, original: Notice) -> DataChange:
    if not (notice.data_posted and original.data_posted):
        return DataChange([], [], comparable=False)
    before = {element.key for element in original.student_data}
    after = {element.key for element in notice.student_data}
    return DataChange([e for e in notice.student_data if e.key not in before],
                      [e for e in original.student_data if e.key not in after], comparable=True)


def policy_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _policies(content: Content) -> list[Policy]:
    series = {item.key: item for item in content.series}
    files_dir = content.root / "policies" / FILES_DIR
    public = [r for r in content.policies if r.is_public()]
    policies = {
        r.fields.number: Policy(r.fields.number, urls.policy(r.fields.number), r.fields.title, r.fields.adopted,
                                r.fields.revised, series[r.series],
                                document_links(r.fields.documents, urls.POLICY_FILES, files_dir), r.body,
                                example=r.fields.example)
        for r in public
    }
    for record in public:
        policies[record.fields.number].related = [policies[n] for n in record.fields.related if n in policies]
    return sorted(policies.values(), key=lambda p: policy_sort_key(p.number))


def _policy_series(series: list[Series], policies: list[Policy]) -> list[PolicySeries]:
    grouped = [PolicySeries(item, [p for p in policies if p.series.key == item.key]) for item in series]
    return [group for group in grouped if group.policies]


def _pages(records: list[PageRecord], languages: list[str]) -> list[Page]:
    default = languages[0]
    public = [r for r in records if r.is_public()]
    originals = {r.name: r for r in public if r.lang == default}
    pages: list[Page] = []
    for name, original in sorted(originals.items()):
        versions = []
        for lang in languages:
            record = next((r for r in public if r.name == name and r.lang == lang), None)
            source = record or original
            versions.append(Page(name, lang, urls.page(name, lang, default), source.fields.title, source.body,
                                 fallback=record is None))
        for version in versions:
            version.translations = [other for other in versions if other is not version]
        pages.extend(versions)
    return pages


def _document_files(notices: list[Notice], policies: list[Policy]) -> dict[str, Path]:
    """Output path → file in content/, for the posted documents of every record on the site."""
    files = {}
    for record in [*notices, *policies]:
        for document in record.documents:
            if document.source is not None:
                files[document.output] = document.source
    return dict(sorted(files.items()))
