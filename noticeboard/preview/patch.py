"""The preview's patches: a save that changes only what records say updates the built sites in place."""
from __future__ import annotations


from datetime import date
from typing import Callable

from ..load.records import (FILES_DIR, BreachRecord, Content, ContractRecord, PolicyRecord)
from ..load.schema import Document


from ..site.pages import Site
from ..site.builder import (_breach_text, _notice_text, _pages, _policy_text)


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
