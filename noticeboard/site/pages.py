"""What each page shows: the page objects that rendering reads, decided once by ``builder.py``.

The ``Site`` is the only thing that rendering and writing read: the notices with their
vendors, chains and data, the indexes that parents use to find them (``indexes.py``),
and the document files to copy.
"""
from __future__ import annotations


from dataclasses import dataclass, field, fields
from functools import cached_property
from datetime import date
from operator import attrgetter
from pathlib import Path
from urllib.parse import unquote

from ..languages import Localized
from ..load.documents import SCANNED
from ..load.jurisdictions import Jurisdiction
from ..load.records import DataElement
from ..load.schema import Contact
from ..values import Month, first_day
from .indexes import Category, DataGrid, ElementCategory, ElementUse, Grade, Letter, School


ACTIVE, EXPIRED, NO_END_DATE = "active", "expired", "no_end_date"  # Notice.status


def shows(part: type):
    """A page object that holds ``part`` as its ``text`` and shows each of its fields as its own
    (``notice.description`` is ``notice.text.description``).

    The text part is what an object shows of its record that no list of the site depends on
    (``builder.notice_text`` and its kin build it): the preview replaces it whole after a save
    that changes nothing else (``preview/patch.py``), and every list that holds the object shows
    the new text.
    """
    def add_fields(cls: type) -> type:
        for name in (f.name for f in fields(part)):
            if name in cls.__dict__.get("__annotations__", {}):
                raise TypeError(f"{cls.__name__}.{name} is a field of its own and of its {part.__name__}")
            setattr(cls, name, property(attrgetter(f"text.{name}")))
        return cls
    return add_fields


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


@dataclass
class DataChange:
    """What an amendment or renewal changes in the student data, compared with what it amends."""
    added: list[DataElement]
    removed: list[DataElement]
    comparable: bool  # False when either notice has not posted its student data


@dataclass(frozen=True)
class NoticeText:
    description: Localized  # Markdown
    student_data_notes: Localized | None
    retention: Localized | None  # Markdown: how long the data is kept and how it is deleted
    expires: date | None
    expired: bool
    documents: list[DocumentLink]
    subprocessors: list[str] | None  # the companies that the vendor shares the data with, by name
    subprocessors_url: str | None  # or the address of the vendor's own list of them
    sdpc_agreement: str | None  # the address of the agreement in the Student Data Privacy Consortium's registry
    vendor_address: str | None  # the company's business address (Illinois)
    subprocessor_safeguards: Localized | None  # Markdown, and the three below: New York's supplemental information
    accuracy_challenge: Localized | None
    storage_and_security: Localized | None
    encryption: Localized | None
    missing: list[str]  # elements of records.NOTICE_ELEMENTS not yet posted


@dataclass(frozen=True)
class RemovedSchool:
    """A school that an amendment or renewal removes: its name as written, and its page if notices name it."""
    name: str
    school: School | None


@dataclass(eq=False)
@shows(NoticeText)
class Notice:
    slug: str
    url: str
    vendor: "Vendor"
    title: str  # Localized when written in a record; a plain name when it is the vendor's or made by the site
    product: str | None  # the product or service, where it is not the vendor's name
    kind: str
    contract_date: date | Month | None  # a month or nothing only in an incomplete notice
    posted: date | None
    student_data: list[DataElement] | None  # sensitive first; None: not yet posted
    data_not_limited: bool  # the contract says "includes, but is not limited to": the list is a minimum
    data_by_category: list[Category]
    schools: list[School]
    text: NoticeText
    grades: str | None = None  # as written
    grade_levels: list[Grade] = field(default_factory=list)  # what ``grades`` was read as, in grade order
    removes_schools: list[RemovedSchool] = field(default_factory=list)  # an amendment's or renewal's, as written
    removes_grades: str | None = None  # as written
    removed_grade_levels: list[Grade] = field(default_factory=list)  # what ``removes_grades`` was read as
    incomplete: bool = False
    known_from: "Notice | None" = None  # never posted by the district: the notice it is known from
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
    def grades_unreadable(self) -> bool:
        """``grades`` is given but could not be read (a text read always names a grade): shown as written only."""
        return self.grades is not None and not self.grade_levels

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


@dataclass(frozen=True)
class BreachText:
    description: Localized  # Markdown: what happened, what was done, what parents can do


@dataclass(eq=False)
@shows(BreachText)
class Breach:
    """A breach of student data that a contractor reported (the clocks of the site's jurisdiction apply)."""
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
    text: BreachText
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


@dataclass(frozen=True)
class PolicyText:
    title: Localized
    documents: list[DocumentLink]
    body: Localized


@dataclass(eq=False)
@shows(PolicyText)
class Policy:
    number: str
    url: str
    adopted: date | None
    revised: date | None
    series: PolicySeries
    text: PolicyText
    example: bool = False
    related: list["Policy"] = field(default_factory=list)


@dataclass(frozen=True)
class PageText:
    title: Localized
    body: Localized


@dataclass
@shows(PageText)
class Page:
    name: str
    url: str
    text: PageText


LATEST_NOTICES = 5


@dataclass(frozen=True)
class SignUp:
    """Where parents sign up to be e-mailed new notices (site.yml's ``subscribe``): a page, or an address to
    write to, which pages then show."""
    link: str  # https://… or mailto:…, as site.yml gives it
    email: str | None = None  # the address of a mailto: link


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
    jurisdiction: Jurisdiction  # Content.jurisdiction: the law that pages cite, its texts, the site's deadline
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
    grades: list[Grade]  # that some notice covers, in grade order
    policy_series: list[PolicySeries]
    policies: list[Policy]
    pages: list[Page]  # the parent guide first
    document_files: dict[str, Path]  # output path → file in content/, for every document shown
    breaches: list[Breach] = field(default_factory=list)  # newest first
    breaches_since: date | None = None  # of site.yml: since when the site keeps the record of breaches
    markdown_html: dict[str, str] = field(default_factory=dict, repr=False)  # Content.markdown_html: loading's HTML
    logo: str | None = None  # of site.yml: the logo's address from the site's root, where static/ is copied
    logo_alt: Localized | None = None  # what the logo shows, said in its place
    accent_colour: str | None = None  # of site.yml, #rrggbb: the stylesheet's --accent
    sign_up: SignUp | None = None  # of site.yml's subscribe

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
    def statuses(self) -> set[str]:
        """The statuses (``Notice.status``) that some notice has: the search offers only these."""
        return {notice.status for notice in self.notices}

    @cached_property
    def notices_without_grade(self) -> list[Notice]:
        """Notices that name no grade that could be read: they may apply to any grade."""
        return [notice for notice in self.notices if not notice.grade_levels]

    @cached_property
    def notices_with_unreadable_grades(self) -> list[Notice]:
        return [notice for notice in self.notices if notice.grades_unreadable]

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


