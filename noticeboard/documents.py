"""What a posted document is, read from its file: size, pages, and what assistive technology needs.

``inspect_document(path)`` gives the ``DocumentFacts`` of a file under ``files/``; for a PDF it
reads, with pypdf, only what is needed: the trailer, the catalog, the document information
(and XMP metadata when there is no title there), the page tree, and the text of pages until
the first one that has some. Loading calls it (``content.py``), so that the facts are kept on
the record, and cached with it by the bytes of the file; ``accessibility.py`` decides what
to say about them.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .schema import DOCUMENT_TYPES

END_MARKER, END_WITHIN = b"%%EOF", 2048  # a complete PDF ends with %%EOF (a few bytes of junk may follow)
EXTRACT, EXTRACT_FOR_ACCESSIBILITY = 1 << 4, 1 << 9  # permission bits 5 and 10 of /P (ISO 32000-1, table 22)

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf logs what it repairs; the facts say what matters


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
    """The facts of the PDF at ``path``; a file that pypdf cannot read is ``readable=False``."""
    from pypdf import PdfReader  # only when there is a PDF to read
    from pypdf.errors import PdfReadError

    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - END_WITHIN))
            if END_MARKER not in handle.read():
                return PdfFacts(False, "is cut short (it has no end-of-file marker): the upload or copy was "
                                       "interrupted; copy or export the file again")
        reader = PdfReader(path)
        allowed = True
        if reader.is_encrypted:
            if not reader.decrypt(""):
                return PdfFacts(False, "needs a password to open, so parents cannot read it; post it without one")
            permissions = int(reader.trailer["/Encrypt"].get_object().get("/P", -1))
            allowed = bool(permissions & (EXTRACT | EXTRACT_FOR_ACCESSIBILITY))
        catalog = reader.trailer["/Root"].get_object()
        mark_info = catalog.get("/MarkInfo")
        marked = mark_info.get_object().get("/Marked", True) if mark_info is not None else True
        tagged = "/StructTreeRoot" in catalog and bool(getattr(marked, "value", marked))  # a BooleanObject
        language = str(catalog.get("/Lang") or "").strip()
        title = _title(reader)
        pages = len(reader.pages)
        has_text = any(_page_text(page) for page in reader.pages)  # stops at the first page with text
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return PdfFacts(False, f"cannot be read as a PDF ({type(error).__name__}: {str(error)[:120]}); "
                               "export or scan it again")
    except Exception as error:  # pypdf raises many kinds on a damaged file; none may stop the check
        return PdfFacts(False, f"cannot be read as a PDF ({type(error).__name__}); export or scan it again")
    if pages == 0:
        return PdfFacts(False, "has no pages; export or scan it again")
    return PdfFacts(True, "", pages, has_text, tagged, title, language, allowed)


def _title(reader) -> str:
    info = reader.metadata
    title = str(info.get("/Title") or "").strip() if info else ""
    if title:
        return title
    try:
        xmp = reader.xmp_metadata
    except Exception:  # damaged XMP is no title
        return ""
    titles = (xmp.dc_title or {}) if xmp is not None else {}
    return next((text.strip() for text in titles.values() if text and text.strip()), "")


def _page_text(page) -> bool:
    try:
        return bool(page.extract_text().strip())
    except Exception:  # a page whose text cannot be extracted has none that assistive technology can read
        return False
