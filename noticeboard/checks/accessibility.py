"""What ``check`` and ``build`` say about the documents that records link (ADA Title II, WCAG 2.1 AA).

Loading read each file's facts (``documents.py``) and kept them on its record; this pass,
which knows site.yml, turns them into diagnostics at the line of the document's entry
(``documents[i].file``): warnings for records posted on or after the site's
``accessibility_compliance_date``, notes for older ones (the rule's pre-existing documents),
and a warning for any document over ``LARGE_DOCUMENT`` bytes, whatever its date. What a PDF
does beyond showing its pages (actions a viewer runs, bytes before its header) is a note of its
own, whatever its date: posting such a file is the district's choice.
"""
from __future__ import annotations

from datetime import date
from pathlib import PurePath

from .. import codes
from ..codes import Code
from ..diagnostics import Report
from ..load.documents import (IMPORT_DATA, JAVASCRIPT, LAUNCH, NO_LANGUAGE, NO_TITLE, SCANNED, SUBMIT_FORM, TEXT_LOCKED,
                              UNTAGGED, DocumentFacts, PdfFacts, access_problems)
from ..load.records import FILES_DIR, Content, ContractRecord, PolicyRecord
from ..load.schema import Document
from ..values import first_day

LARGE_DOCUMENT = 10_000_000  # bytes: "over 10 MB", in the decimal megabytes that pages show

_FINDINGS: dict[str, tuple[Code, str]] = {
    SCANNED: (codes.DOCUMENT_SCANNED,
              "has no text on any page (a scan): screen readers have nothing to read aloud; ask the vendor for the "
              "accessible original, or run OCR on it (e.g. with OCRmyPDF: ocrmypdf scan.pdf text.pdf) and post that"),
    UNTAGGED: (codes.DOCUMENT_UNTAGGED,
               "is not tagged (no structure tree, or marked as untagged): assistive technology cannot tell its "
               "headings, paragraphs and tables apart; ask the vendor for the accessible original, or add tags "
               "(Acrobat: Accessibility, Autotag; LibreOffice: export as PDF with 'Tagged PDF')"),
    NO_TITLE: (codes.DOCUMENT_NO_TITLE,
               "has no document title; set the title in the document's properties and export it again"),
    NO_LANGUAGE: (codes.DOCUMENT_NO_LANGUAGE,
                  "does not say its language, so screen readers may read it with the wrong voice; set the "
                  "document's language and export it again"),
    TEXT_LOCKED: (codes.DOCUMENT_TEXT_LOCKED,
                  "is encrypted so that its text may not be extracted, which keeps screen readers from it; post a "
                  "copy without security restrictions"),
}


_ACTION_WORDS = {JAVASCRIPT: "runs JavaScript", LAUNCH: "launches a program or another file",
                SUBMIT_FORM: "sends form data to an address", IMPORT_DATA: "imports form data from another file"}


def active_content(facts: PdfFacts | None) -> list[str]:
    """What a readable PDF does beyond showing its pages, in words: the actions it has a viewer run,
    the bytes before its header."""
    if facts is None or not facts.readable:
        return []
    found = []
    on_open = [_ACTION_WORDS[kind] for kind in facts.actions_on_open]
    elsewhere = [_ACTION_WORDS[kind] for kind in facts.actions if kind not in facts.actions_on_open]
    if on_open:
        found.append(f"{_and(on_open)} when opened")
    if elsewhere:
        found.append(f"{_and(elsewhere)} from a link, a form field or a page")
    if facts.header_offset:
        found.append(f"has {facts.header_offset:,} bytes before its PDF header (it is also another kind of file)")
    return found


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def posted_on(record: ContractRecord | PolicyRecord, today: date) -> date:
    """The day a record's documents count as posted: a notice's ``posted`` date, else its signing date
    (as ``announce`` dates notices); a policy's ``revised``, else ``adopted``; else today (a draft, say)."""
    fields = record.fields
    if isinstance(record, ContractRecord):
        return fields.posted or first_day(fields.contract_date) or today
    return fields.revised or fields.adopted or today


def check_document_access(content: Content, today: date, report: Report) -> None:
    """The findings of every document of every record, drafts too (they are about to be posted)."""
    since = content.site.accessibility_compliance_date
    for record in [*content.contracts, *content.policies]:
        if record.document_facts:
            _check_record(record, posted_on(record, today) < since, report)


def _check_record(record: ContractRecord | PolicyRecord, before: bool, report: Report) -> None:
    folder = PurePath(record.source.path).parent / FILES_DIR
    for index, document in enumerate(record.fields.documents):
        facts = record.document_facts.get(document.file) if isinstance(document, Document) else None
        if facts is None:
            continue
        shown = str(folder / document.file)
        where = ("documents", index, "file")
        for problem in access_problems(facts.pdf):
            code, message = _FINDINGS[problem]
            report.at(record.source, where, code, f"{shown} {message}", note=before)
        _check_size(record, where, shown, facts, report)
        active = active_content(facts.pdf)
        if active:
            report.at(record.source, where, codes.DOCUMENT_ACTIVE_CONTENT,
                      f"{shown} {'; '.join(active)}: post a copy printed or exported again as a plain PDF (a 'Print "
                      "to PDF' copy carries none of this), or keep it if the district has checked the file",
                      note=True)


def _check_size(record: ContractRecord | PolicyRecord, where: tuple, shown: str, facts: DocumentFacts,
                report: Report) -> None:
    if facts.size > LARGE_DOCUMENT:
        report.at(record.source, where, codes.DOCUMENT_TOO_LARGE,
                  f"{shown} is {facts.size / 1_000_000:.1f} MB, slow to open on a phone on a slow connection; post a "
                  f"smaller copy (at most {LARGE_DOCUMENT // 1_000_000} MB: the vendor's accessible original is "
                  "usually far smaller than a scan, or export the images at a lower resolution)")
