"""The preview's patches: a save that changes only what records say updates the built sites in place.

What "only text changed" means is declared once, in the builder, beside the functions that build
each object's text part (``builder.NOTICE_TEXT_FIELDS`` and its kin): a record may differ from
what it was in those fields and in its body, and in nothing else. The patch then asks those same
functions for the new text part and puts it in place of the old one, whole.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from ..load.records import FILES_DIR, Content, markdown_html_of
from ..site.builder import (BREACH_TEXT_FIELDS, NOTICE_TEXT_FIELDS, PAGE_TEXT_FIELDS, POLICY_TEXT_FIELDS, breach_text,
                            notice_text, policy_text, site_pages)
from ..site.pages import Site


def patch_sites(sites: list[Site], old: Content, new: Content, today: date) -> bool:
    """Bring ``sites``, built from ``old``, up to ``new`` in place, if only text changed; else ``False``.

    A save that changes what a notice, policy, page or breach says (its description, notes,
    expiry, documents of the same files, subprocessors, retention, SDPC agreement, a policy's
    title) changes only the text part of the object that shows it, which every page that lists
    it shares: the preview replaces that part and is done in a millisecond at ten thousand
    notices. A change that could move anything between lists or reorder them (dates, vendor,
    data, schools, grades, state, a title of a notice, a record added or removed, the settings) returns
    ``False`` before changing anything: then build anew. A test compares every page of a patched
    site with those of a site built anew.
    """
    if (old.root, old.site, old.elements, old.series) != (new.root, new.site, new.elements, new.series):
        return False
    contracts = _changed(old.contracts, new.contracts, lambda record: record.slug, NOTICE_TEXT_FIELDS)
    policies = _changed(old.policies, new.policies, lambda record: record.source.path, POLICY_TEXT_FIELDS)
    pages = _changed(old.pages, new.pages, lambda record: (record.name, record.lang), PAGE_TEXT_FIELDS)
    breaches = _changed(old.breaches, new.breaches, lambda record: record.slug, BREACH_TEXT_FIELDS)
    if contracts is None or policies is None or pages is None or breaches is None:
        return False
    converted = markdown_html_of([*contracts, *policies, *pages, *breaches])  # only the records read again
    for site in sites:
        default = site.default_language
        site.markdown_html.update(converted)  # the HTML of the new texts, as loading made it
        for record in contracts:
            notice = site.notice_by_slug.get(record.slug)
            if notice is not None:
                notice.text = notice_text(record, today, site.lang, default, new.root / "contracts" / FILES_DIR)
        by_number = {policy.number: policy for policy in site.policies}
        for record in policies:
            if record.fields.number in by_number:
                by_number[record.fields.number].text = policy_text(record, site.lang, default,
                                                                   new.root / "policies" / FILES_DIR)
        by_slug = {breach.slug: breach for breach in site.breaches}
        for record in breaches:
            if record.slug in by_slug:
                by_slug[record.slug].text = breach_text(record, site.lang, default)
        if pages:
            shown = {page.name: page for page in site.pages}
            for page in site_pages(new.pages, site.lang, default):
                shown[page.name].text = page.text
    return True


def _changed(old: list, new: list, identity: Callable, text_fields: frozenset[str]) -> list | None:
    """The records of ``new`` that were read again, when each differs from its old self only in ``text_fields``
    and its body; ``None`` when records came, went or moved, or one changed anything else."""
    if len(old) != len(new):
        return None
    changed = []
    for before, after in zip(old, new):
        if before is after or _same_files(before, after):
            continue
        if identity(before) != identity(after) or not _only_text_differs(before, after, text_fields):
            return None
        changed.append(after)
    return changed


def _same_files(before, after) -> bool:
    """The same file read as before (the loader's memo gives the very same object), translations too."""
    if before.source is not after.source:
        return False
    translations_before = getattr(before, "translations", {})
    translations_after = getattr(after, "translations", {})
    return (translations_before.keys() == translations_after.keys()
            and all(translations_before[lang].source is translations_after[lang].source
                    for lang in translations_before))


def _only_text_differs(before, after, text_fields: frozenset[str]) -> bool:
    """Whether ``after`` differs from ``before`` only in ``text_fields`` and its body (of itself and of its
    translations). Whether the body is empty decides what is missing (and whether a draft is shown), as do the
    further fields that the jurisdiction's law asks of a notice (``missing``): what is missing decides the lists
    of complete and incomplete notices. Which files its documents post decides the files of the site."""
    translations_before = getattr(before, "translations", {})
    translations_after = getattr(after, "translations", {})
    return (getattr(before, "valid", True) == getattr(after, "valid", True)
            and getattr(before, "missing", None) == getattr(after, "missing", None)  # a law's field filled in or left
            and before.fields.model_dump(exclude=text_fields) == after.fields.model_dump(exclude=text_fields)
            and _posted_files(before) == _posted_files(after)
            and bool(before.body.strip()) == bool(after.body.strip())
            and translations_before.keys() == translations_after.keys()
            and all(translations_before[lang].fields.model_dump(exclude=text_fields)
                    == translations_after[lang].fields.model_dump(exclude=text_fields)
                    for lang in translations_before))


def _posted_files(record) -> list[str]:
    """The files in content/ that its documents post (a link to an address posts none)."""
    return [document.file for document in getattr(record.fields, "documents", []) if document.file is not None]
