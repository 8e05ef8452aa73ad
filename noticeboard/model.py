"""Content + today → Site: what each page shows, decided once. Pure functions, no I/O."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from . import urls
from .content import Content, ContractRecord, DataElement, PageRecord, Series
from .rules import normalise_name
from .schema import Contact, Document


@dataclass(frozen=True)
class DocumentLink:
    title: str
    url: str  # site-relative for a posted file, absolute for an external address
    external: bool
    is_pdf: bool


def document_links(documents: list[Document], files_url: str) -> list[DocumentLink]:
    # A file name may hold spaces, '#' or '?': percent-encode it so that the link reaches the file.
    return [DocumentLink(d.title, d.url, True, d.url.lower().endswith(".pdf")) if d.url
            else DocumentLink(d.title, files_url + quote(d.file), False, d.file.lower().endswith(".pdf"))
            for d in documents]


@dataclass
class Category:
    name: str
    elements: list[DataElement]


@dataclass(eq=False)
class Notice:
    slug: str
    url: str
    vendor: "Vendor"
    title: str
    kind: str
    contract_date: date
    posted: date | None
    expires: date | None
    expired: bool
    description: str  # Markdown
    student_data: list[DataElement]
    data_by_category: list[Category]
    student_data_notes: str | None
    schools: list[str]
    grades: str | None
    documents: list[DocumentLink]
    amends: "Notice | None" = None
    amendments: list["Notice"] = field(default_factory=list)
    source_path: str = ""
    draft: bool = False

    @property
    def shares_no_data(self) -> bool:
        return not self.student_data


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


@dataclass
class Letter:
    letter: str
    anchor: str
    vendors: list[Vendor]


@dataclass
class ElementUse:
    element: DataElement
    vendors: list[Vendor]


@dataclass
class ElementCategory:
    name: str
    uses: list[ElementUse]

    @property
    def anchor(self) -> str:
        return "category-" + slugify(self.name)


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


@dataclass
class Site:
    title: str
    district: str
    base_url: str
    contact: Contact
    languages: list[str]
    today: date
    notices: list[Notice]  # newest first
    vendors: list[Vendor]  # A–Z
    letters: list[Letter]
    alphabet: list[tuple[str, Letter | None]]
    data_categories: list[ElementCategory]
    vendors_sharing_nothing: list[Vendor]
    policy_series: list[PolicySeries]
    policies: list[Policy]
    pages: list[Page]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def feed_updated(self) -> str:
        """The newest notice's date: the feed changes only when a notice does."""
        dates = [notice.posted or notice.contract_date for notice in self.notices]
        return max(dates, default=self.today).isoformat()

    def pages_in(self, lang: str) -> list[Page]:
        """The standalone pages in ``lang``, the parent guide first, for the navigation."""
        return sorted((p for p in self.pages if p.lang == lang), key=lambda p: (p.name != "guide", p.name))

    def page(self, name: str, lang: str) -> Page | None:
        return next((p for p in self.pages if p.name == name and p.lang == lang), None)


def newest_first(notice: Notice) -> tuple:
    return (-notice.contract_date.toordinal(), notice.title.casefold(), notice.title, notice.slug)


def oldest_first(notice: Notice) -> tuple:
    return (notice.contract_date, notice.title.casefold(), notice.title, notice.slug)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug or "vendor-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def previewable(record: ContractRecord) -> bool:
    """A draft with everything a notice needs, which the preview may show as a draft."""
    fields = record.fields
    return fields.contract_date is not None and fields.student_data is not None and bool(record.body.strip())


def build_site(content: Content, today: date, base_url: str | None = None, drafts: bool = False) -> Site:
    """The site as published; with ``drafts`` (the preview) complete drafts too, marked as drafts."""
    published = [r for r in content.contracts if not r.fields.draft or (drafts and previewable(r))]
    vendors = _vendors(published)
    notices = _notices(published, content, vendors, today)
    policies = _policies(content)
    site = content.site
    letters = _letters(vendors.values())
    return Site(
        title=site.title,
        district=site.district,
        base_url=base_url or site.base_url,
        contact=site.contact,
        languages=list(site.languages),
        today=today,
        notices=sorted(notices, key=newest_first),
        vendors=sorted(vendors.values(), key=_vendor_order),
        letters=letters,
        alphabet=_alphabet(letters),
        data_categories=_data_index(content.elements, notices),
        vendors_sharing_nothing=sorted((v for v in vendors.values() if all(n.shares_no_data for n in v.notices)),
                                       key=_vendor_order),
        policy_series=_policy_series(content.series, policies),
        policies=policies,
        pages=_pages(content.pages, site.languages),
    )


def _vendor_order(vendor: Vendor) -> tuple:
    return (vendor.name.casefold(), vendor.slug)


def _vendors(records: list[ContractRecord]) -> dict[str, Vendor]:
    """One vendor per name, where names equal but for case and punctuation count as one."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        spellings[normalise_name(record.fields.vendor) or record.fields.vendor][record.fields.vendor] += 1
    vendors = {}
    for key, counter in spellings.items():
        name = min(counter, key=lambda spelling: (-counter[spelling], spelling))
        vendors[key] = Vendor(slugify(name), name, urls.vendor(slugify(name)))
    return vendors


def _changes_by_target(records: list[ContractRecord]) -> dict[tuple[str, str], list[ContractRecord]]:
    """(amended slug, kind) → its amendments or renewals, drafts included, in signing order."""
    changes: dict[tuple[str, str], list[ContractRecord]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.fields.contract_date or date.max, r.slug)):
        if record.fields.kind != "contract" and record.fields.amends:
            changes[(record.fields.amends, record.fields.kind)].append(record)
    return changes


def _default_title(record: ContractRecord, slugs: set[str], changes: dict) -> str:
    fields = record.fields
    if fields.title:
        return fields.title
    if fields.kind == "contract" or fields.amends not in slugs:
        return fields.vendor
    siblings = changes[(fields.amends, fields.kind)]
    number = siblings.index(record) + 1
    if fields.kind == "renewal":
        return f"{fields.vendor} — Renewal" + (f" {number}" if len(siblings) > 1 else "")
    return f"{fields.vendor} — Amendment {number}"


def _categories(elements: list[DataElement]) -> list[Category]:
    grouped: dict[str, list[DataElement]] = {}
    for element in elements:
        grouped.setdefault(element.category, []).append(element)
    return [Category(name, items) for name, items in grouped.items()]


def _notices(records: list[ContractRecord], content: Content, vendors: dict[str, Vendor], today: date) -> list[Notice]:
    slugs = {r.slug for r in content.contracts}
    changes = _changes_by_target(content.contracts)
    order = list(content.elements)
    notices: dict[str, Notice] = {}
    for record in records:
        fields = record.fields
        elements = sorted((content.elements[key] for key in dict.fromkeys(fields.student_data or [])),
                          key=lambda e: order.index(e.key))
        vendor = vendors[normalise_name(fields.vendor) or fields.vendor]
        notice = Notice(
            slug=record.slug, url=urls.notice(record.slug), vendor=vendor,
            title=_default_title(record, slugs, changes), kind=fields.kind,
            contract_date=fields.contract_date, posted=fields.posted, expires=fields.expires,
            expired=bool(fields.expires and fields.expires < today),
            description=record.body, student_data=elements, data_by_category=_categories(elements),
            student_data_notes=fields.student_data_notes, schools=list(fields.schools), grades=fields.grades,
            documents=document_links(fields.documents, urls.CONTRACT_FILES), source_path=record.source.path,
            draft=fields.draft,
        )
        notices[record.slug] = notice
    for record in records:
        target = notices.get(record.fields.amends or "")
        if target is not None:
            notices[record.slug].amends = target
            target.amendments.append(notices[record.slug])
    for notice in notices.values():
        notice.amendments.sort(key=oldest_first)
        notice.vendor.notices.append(notice)
    for vendor in vendors.values():
        vendor.notices.sort(key=oldest_first)
        keys = {element.key for notice in vendor.notices for element in notice.student_data}
        vendor.data_by_category = _categories([element for element in content.elements.values() if element.key in keys])
    return list(notices.values())


def _first_letter(name: str) -> str:
    initial = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()[:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def _letters(vendors) -> list[Letter]:
    grouped: dict[str, list[Vendor]] = defaultdict(list)
    for vendor in vendors:
        grouped[_first_letter(vendor.name)].append(vendor)
    return [Letter(letter, "letter-" + ("other" if letter == "#" else letter.lower()),
                   sorted(grouped[letter], key=_vendor_order))
            for letter in sorted(grouped, key=lambda l: (l == "#", l))]


def _alphabet(letters: list[Letter]) -> list[tuple[str, Letter | None]]:
    present = {letter.letter: letter for letter in letters}
    alphabet = [(chr(code), present.get(chr(code))) for code in range(ord("A"), ord("Z") + 1)]
    if "#" in present:
        alphabet.append(("#", present["#"]))
    return alphabet


def _data_index(elements: dict[str, DataElement], notices: list[Notice]) -> list[ElementCategory]:
    users: dict[str, set[Vendor]] = defaultdict(set)
    for notice in notices:
        for element in notice.student_data:
            users[element.key].add(notice.vendor)
    categories: dict[str, list[ElementUse]] = {}
    for element in elements.values():
        vendors = sorted(users[element.key], key=_vendor_order)
        categories.setdefault(element.category, []).append(ElementUse(element, vendors))
    return [ElementCategory(name, uses) for name, uses in categories.items()]


def policy_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _policies(content: Content) -> list[Policy]:
    series = {item.key: item for item in content.series}
    published = [r for r in content.policies if not r.fields.draft]
    policies = {
        r.fields.number: Policy(r.fields.number, urls.policy(r.fields.number), r.fields.title, r.fields.adopted,
                                r.fields.revised, series[r.series], document_links(r.fields.documents, urls.POLICY_FILES), r.body)
        for r in published
    }
    for record in published:
        policies[record.fields.number].related = [policies[n] for n in record.fields.related if n in policies]
    return sorted(policies.values(), key=lambda p: policy_sort_key(p.number))


def _policy_series(series: list[Series], policies: list[Policy]) -> list[PolicySeries]:
    grouped = [PolicySeries(item, [p for p in policies if p.series.key == item.key]) for item in series]
    return [group for group in grouped if group.policies]


def _pages(records: list[PageRecord], languages: list[str]) -> list[Page]:
    default = languages[0]
    published = [r for r in records if not r.fields.draft]
    originals = {r.name: r for r in published if r.lang == default}
    pages: list[Page] = []
    for name, original in sorted(originals.items()):
        versions = []
        for lang in languages:
            record = next((r for r in published if r.name == name and r.lang == lang), None)
            source = record or original
            versions.append(Page(name, lang, urls.page(name, lang, default), source.fields.title, source.body,
                                 fallback=record is None))
        for version in versions:
            version.translations = [other for other in versions if other is not version]
        pages.extend(versions)
    return pages
