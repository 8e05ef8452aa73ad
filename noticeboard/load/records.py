"""The records that loading produces, and the one rule of what gets published.

A contract record is in one of three states:

- **complete**: it has every element of a notice that the law requires (the signing
  date, the student data, the description); it is published, and a missing element is
  an error;
- **incomplete** (``incomplete: true``): the contract is known but its notice lacks some
  of those elements; it is published with what is known, marked, and says what is
  missing;
- **draft** (``draft: true``): work in progress, never published; the preview shows it,
  marked, once it has every element.

Validation (``content.py``), the staff report (``compliance.py``) and the model
(``site/builder.py``) all ask this module, so that the rule is written once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..languages import Translatable
from .documents import DocumentFacts
from .jurisdictions import Jurisdiction, load_jurisdiction
from .reader import Source
from .schema import (DEFAULT_JURISDICTION, BreachFields, ContractFields, NoticeTranslationFields, PageFields, PolicyFields,
                     PolicyTranslationFields, SiteFields)

COMPLETE, INCOMPLETE, DRAFT = "complete", "incomplete", "draft"
FILES_DIR = "files"  # contracts/files/ and policies/files/: the documents that records link

# The elements of a notice that every jurisdiction's law may require, in the order a notice gives them; a
# jurisdiction's profile (jurisdictions.py) names those that its law requires, and further fields.
SIGNING_DATE, STUDENT_DATA, DESCRIPTION = "contract_date", "student_data", "description"
NOTICE_ELEMENTS = (SIGNING_DATE, STUDENT_DATA, DESCRIPTION)

# The text below the front matter of each template of `new`, which staff replace: scaffold.py writes it,
# content.py reports it in a published record (codes.TEMPLATE_TEXT).
CONTRACT_PLACEHOLDER = "What the contract is for, in one to three sentences a parent understands."
POLICY_PLACEHOLDER = "The policy text, in Markdown."
BREACH_PLACEHOLDER = "What happened, what the district and the company have done, what parents can do, and whom to ask."
PLACEHOLDERS = {"contract": CONTRACT_PLACEHOLDER, "policy": POLICY_PLACEHOLDER, "breach": BREACH_PLACEHOLDER}


@dataclass(frozen=True)
class ElementDefinition:
    """An entry of data-elements.yml, its texts in every language given."""
    key: str
    label: Translatable
    category: Translatable
    description: Translatable
    sensitive: bool = False
    # Other names of the element, which "did you mean" matches: (language, names) pairs, as ``Translatable.texts``
    # (the language "" for names written as a plain list, in the default language).
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class DataElement:
    """A data element as a page in one language shows it."""
    key: str
    label: str
    category: str
    description: str
    sensitive: bool = False
    aliases: tuple[str, ...] = ()  # other names in the page's language, for search only


@dataclass(frozen=True)
class Series:
    key: str
    title: Translatable


@dataclass
class Translation:
    """``<name>.<lang>.md``: a record's text in a further language of the site."""
    lang: str
    source: Source
    fields: NoticeTranslationFields | PolicyTranslationFields

    @property
    def body(self) -> str:
        return self.source.body


@dataclass
class ContractRecord:
    slug: str
    source: Source
    fields: ContractFields
    valid: bool = True  # False: some fields had errors and were left out
    translations: dict[str, Translation] = field(default_factory=dict)  # by language
    document_facts: dict[str, DocumentFacts] = field(default_factory=dict)  # by file name, each file that could be read
    elements: tuple[str, ...] = NOTICE_ELEMENTS  # what the jurisdiction's law requires of a notice (Jurisdiction.elements)

    @property
    def body(self) -> str:
        return self.source.body

    @property
    def state(self) -> str:
        """Draft, incomplete (so marked, or lacking a further field that the jurisdiction's law asks of a notice:
        published with what is known, never an error), else complete."""
        if self.fields.draft:
            return DRAFT
        lacks_a_field = any(element not in NOTICE_ELEMENTS for element in self.missing)
        return INCOMPLETE if self.fields.incomplete or lacks_a_field else COMPLETE

    @property
    def missing(self) -> list[str]:
        """The elements of ``self.elements`` that this record does not give: of ``NOTICE_ELEMENTS``, and further
        fields of the notice, missing when absent or empty.

        A signing date known only to the month counts as missing: the deadline and the
        order of notices need the day.
        """
        fields = self.fields
        present = {
            SIGNING_DATE: isinstance(fields.contract_date, date),
            STUDENT_DATA: fields.student_data is not None,
            DESCRIPTION: bool(self.body.strip()),
        }
        return [element for element in self.elements
                if not present.get(element, getattr(fields, element, None) not in (None, "", [], ()))]

    def is_public(self, drafts: bool = False) -> bool:
        """Published on the site; with ``drafts`` (the preview) drafts with every element too."""
        if self.state == DRAFT:
            return drafts and not self.missing
        return True


class _PublishedUnlessDraft:
    """Policies and pages have no incomplete state: a record is public unless it is a draft."""

    source: Source
    fields: PolicyFields | PageFields

    @property
    def body(self) -> str:
        return self.source.body

    def is_public(self) -> bool:
        return not self.fields.draft


@dataclass
class PolicyRecord(_PublishedUnlessDraft):
    source: Source
    fields: PolicyFields
    series: str
    translations: dict[str, Translation] = field(default_factory=dict)  # by language
    document_facts: dict[str, DocumentFacts] = field(default_factory=dict)  # by file name, each file that could be read


@dataclass
class BreachRecord(_PublishedUnlessDraft):
    slug: str
    source: Source
    fields: BreachFields
    valid: bool = True  # False: some fields had errors and were left out; never published
    translations: dict[str, Translation] = field(default_factory=dict)  # by language

    def is_public(self, drafts: bool = False) -> bool:
        """Published on the site; with ``drafts`` (the preview) a draft too, once it is valid and says what happened."""
        return self.valid and (not self.fields.draft or (drafts and bool(self.body.strip())))


@dataclass
class PageRecord(_PublishedUnlessDraft):
    name: str
    lang: str
    source: Source
    fields: PageFields


@dataclass
class Content:
    """Everything under ``content/``, read and validated."""

    root: Path
    site: SiteFields
    elements: dict[str, ElementDefinition]
    contracts: list[ContractRecord] = field(default_factory=list)
    policies: list[PolicyRecord] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    breaches: list[BreachRecord] = field(default_factory=list)
    jurisdiction: Jurisdiction = field(default_factory=lambda: load_jurisdiction(DEFAULT_JURISDICTION))  # for_site

    def markdown_html(self) -> dict[str, str]:
        """The HTML of every Markdown text that loading converted, by text: rendering's to reuse."""
        return markdown_html_of([*self.contracts, *self.policies, *self.pages, *self.breaches])

    def state_counts(self) -> dict[str, int]:
        counts = {COMPLETE: 0, INCOMPLETE: 0, DRAFT: 0}
        for record in self.contracts:
            counts[record.state] += 1
        return counts


def markdown_html_of(records: list) -> dict[str, str]:
    """What loading converted of the Markdown texts of ``records`` and of their translations, by text
    (each file's ``Source.markdown_html``)."""
    converted: dict[str, str] = {}
    for record in records:
        converted.update(record.source.markdown_html)
        for translation in getattr(record, "translations", {}).values():
            converted.update(translation.source.markdown_html)
    return converted
