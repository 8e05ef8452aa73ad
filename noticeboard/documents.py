"""What a posted document is, read from its file: size, pages, and what assistive technology needs.

``inspect_document(path)`` gives the ``DocumentFacts`` of a file under ``files/``; for a PDF it
reads, with pikepdf (QPDF), only what is needed: the trailer, the catalog, the document
information (and XMP metadata when there is no title there), the page tree, and the content
of pages until the first one that shows some text. QPDF repairs what viewers repair (a lost or
broken cross-reference table, as many scanners and "save as PDF" tools write), so that a file
every browser opens is never reported as unreadable. Loading calls it (``content.py``), so
that the facts are kept on the record, and cached with it by the bytes of the file;
``accessibility.py`` decides what to say about them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .schema import DOCUMENT_TYPES

END_MARKER, END_WITHIN = b"%%EOF", 2048  # a complete PDF ends with %%EOF (a few bytes of junk may follow)
TEXT_SHOWING = "Tj TJ ' \""  # the operators that show text (ISO 32000-1, 9.4.3)
FORM_DEPTH = 4  # forms within forms looked into for text; deeper is a deliberate maze


@dataclass(frozen=True)
class PdfFacts:
    """What ``check`` and the pages need to know of a PDF; ``readable`` False: ``why`` says why not."""
    readable: bool
    why: str = ""
    pages: int = 0
    has_text: bool = False  # some page has text that can be extracted (a scan has none)
    tagged: bool = False  # a structure tree, not marked as untagged
    title: str = ""
    language: str = ""
    extraction_allowed: bool = True  # not encrypted so as to forbid extracting the text


@dataclass(frozen=True)
class DocumentFacts:
    kind: str  # the type the site names it by: "PDF", "Word", …
    size: int  # bytes
    pdf: PdfFacts | None = None  # for a PDF


def inspect_document(path: Path) -> DocumentFacts:
    """The facts of a file under files/ whose signature was found to be right."""
    kind = DOCUMENT_TYPES[path.suffix.lower()]
    return DocumentFacts(kind, os.path.getsize(path), inspect_pdf(path) if kind == "PDF" else None)


def inspect_pdf(path: Path) -> PdfFacts:
    """The facts of the PDF at ``path``; a file that cannot be read is ``readable=False``."""
    import pikepdf  # only when there is a PDF to read

    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - END_WITHIN))
            if END_MARKER not in handle.read():
                return PdfFacts(False, "is cut short (it has no end-of-file marker): the upload or copy was "
                                       "interrupted; copy or export the file again")
        with pikepdf.open(path) as pdf:
            allowed = pdf.allow.extract or pdf.allow.accessibility
            catalog = pdf.Root
            mark_info = catalog.get("/MarkInfo")
            marked = bool(mark_info.get("/Marked", True)) if isinstance(mark_info, pikepdf.Dictionary) else True
            tagged = "/StructTreeRoot" in catalog and marked
            language = str(catalog.get("/Lang", "")).strip()
            title = _title(pdf)
            pages = len(pdf.pages)
            has_text = any(_shows_text(page.obj) for page in pdf.pages)  # stops at the first page with text
    except pikepdf.PasswordError:
        return PdfFacts(False, "needs a password to open, so parents cannot read it; post it without one")
    except (pikepdf.PdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return PdfFacts(False, f"cannot be read as a PDF ({type(error).__name__}: {str(error)[:120]}); "
                               "export or scan it again")
    if pages == 0:
        return PdfFacts(False, "has no pages; export or scan it again")
    return PdfFacts(True, "", pages, has_text, tagged, title, language, allowed)


def _title(pdf) -> str:
    title = str(pdf.docinfo.get("/Title", "")).strip() if "/Info" in pdf.trailer else ""
    if title:
        return title
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            return str(xmp.get("dc:title") or "").strip()
    except Exception:  # damaged XMP is no title
        return ""


def _shows_text(container, depth: int = 0) -> bool:
    """Whether the content of a page (or form) shows a non-blank string; a scan shows only an image."""
    import pikepdf

    try:
        instructions = pikepdf.parse_content_stream(container, TEXT_SHOWING)
    except pikepdf.PdfError:  # content that cannot be parsed shows nothing a screen reader can read
        return False
    for operands, _ in instructions:
        for operand in operands:
            strings = operand if isinstance(operand, pikepdf.Array) else [operand]
            if any(isinstance(part, pikepdf.String) and bytes(part).strip() for part in strings):
                return True
    if depth >= FORM_DEPTH:
        return False
    resources = container.get("/Resources")
    forms = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(forms, pikepdf.Dictionary):
        return False
    return any(isinstance(form, pikepdf.Stream) and form.get("/Subtype") == pikepdf.Name.Form
               and _shows_text(form, depth + 1) for form in forms.values())
