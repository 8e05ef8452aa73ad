"""Write the example documents of content/: an accessible PDF and a scan-like one, byte for byte.

    python scripts/make_example_pdfs.py [--content DIR]

The PDFs are written by hand, without a library, so that anyone can make them again and get
the same bytes (no dates, no random identifiers):

- ``contracts/files/example-signed-contract.pdf``: one page of text, tagged (a structure tree
  whose paragraphs point at marked content by MCID, ``/MarkInfo << /Marked true >>``), with a
  title and a language: what ``check`` wants of every document;
- ``contracts/files/example-scanned-contract.pdf``: one page that is only an image, as a
  copier makes it: no text layer, no tags, no title, no language.

The tests make their variants of these with ``make_pdf`` (tests/test_documents.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ACCESSIBLE = "example-signed-contract.pdf"
SCANNED = "example-scanned-contract.pdf"
PRODUCER = "Notice Board scripts/make_example_pdfs.py"
PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points


def text_string(text: str) -> bytes:
    """A PDF text string: literal ASCII when it can be, else UTF-16BE with its byte order mark."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _shown(text: str) -> bytes:
    """A line of page text in WinAnsiEncoding, as a literal string for Tj."""
    data = text.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def make_pdf(paragraphs: list[str] | None = None, *, title: str | None = None, lang: str | None = None,
             tagged: bool = True, marked: bool = True, pages: int = 1, padding: int = 0) -> bytes:
    """A PDF of ``pages`` pages, each showing ``paragraphs`` as text (a scan-like image when None).

    ``tagged`` adds the structure tree (and ``/MarkInfo << /Marked marked >>``); ``title`` goes
    into the document information, ``lang`` into the catalog; ``padding`` adds an unused stream
    of that many bytes, to make a large file.
    """
    objects: dict[int, bytes] = {}
    catalog, page_tree, font, image, info = 1, 2, 3, 4, 5
    next_number = 6
    kids, paragraph_elements, parent_tree = [], [], []
    tagged = tagged and paragraphs is not None
    structure_root = document_element = None
    if tagged:
        structure_root, document_element, parent_tree_number = 6, 7, 8
        next_number = 9

    for index in range(pages):
        page, contents = next_number, next_number + 1
        next_number += 2
        kids.append(page)
        if paragraphs is None:
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image
            data = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (PAGE_WIDTH, PAGE_HEIGHT)
        else:
            resources = b"<< /Font << /F1 %d 0 R >> >>" % font
            lines, y = [], PAGE_HEIGHT - 72
            marks = []
            for mcid, paragraph in enumerate(paragraphs):
                shown = b"BT /F1 12 Tf 72 %d Td %s Tj ET" % (y, _shown(paragraph))
                if tagged:
                    element = next_number
                    next_number += 1
                    objects[element] = (b"<< /Type /StructElem /S /P /P %d 0 R /Pg %d 0 R /K %d >>"
                                        % (document_element, page, mcid))
                    paragraph_elements.append(element)
                    marks.append(element)
                    shown = b"/P << /MCID %d >> BDC " % mcid + shown + b" EMC"
                lines.append(shown)
                y -= 18
            parent_tree.append(marks)
            data = b"\n".join(lines)
        extra = b" /StructParents %d /Tabs /S" % index if tagged else b""
        objects[page] = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources %s /Contents %d 0 R%s >>"
                         % (page_tree, PAGE_WIDTH, PAGE_HEIGHT, resources, contents, extra))
        objects[contents] = _stream(b"", data)

    objects[page_tree] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    objects[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    # An 8 × 8 grey image stretched over the page: what a scanner's page is, without its weight.
    pixels = bytes((200 + (x * 7 + y * 3) % 40) for y in range(8) for x in range(8))
    objects[image] = _stream(b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                             b"/BitsPerComponent 8", pixels)
    entries = b"/Producer " + text_string(PRODUCER)
    if title is not None:
        entries = b"/Title " + text_string(title) + b" " + entries
    objects[info] = b"<< " + entries + b" >>"
    catalog_entries = b"/Type /Catalog /Pages %d 0 R" % page_tree
    if tagged:
        nums = b" ".join(b"%d [%s]" % (index, b" ".join(b"%d 0 R" % e for e in marks))
                         for index, marks in enumerate(parent_tree))
        objects[structure_root] = (b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
                                   % (document_element, parent_tree_number, pages))
        objects[document_element] = (b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
                                     % (structure_root, b" ".join(b"%d 0 R" % e for e in paragraph_elements)))
        objects[parent_tree_number] = b"<< /Nums [%s] >>" % nums
        catalog_entries += b" /StructTreeRoot %d 0 R /MarkInfo << /Marked %s >>" % (
            structure_root, b"true" if marked else b"false")
    if lang is not None:
        catalog_entries += b" /Lang " + text_string(lang)
    if title is not None:
        catalog_entries += b" /ViewerPreferences << /DisplayDocTitle true >>"
    objects[catalog] = b"<< " + catalog_entries + b" >>"
    if padding:
        objects[next_number] = _stream(b"", b"%" * padding)
        next_number += 1

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, catalog, info, xref)
    return bytes(out)


def accessible_example() -> bytes:
    return make_pdf(["Example signed contract \u2014 fictional",
                     "This is not a real contract. It shows a document that every parent can read:",
                     "it has a text layer, tags, a title and a language."],
                    title="Example signed contract \u2014 fictional", lang="en-US")


def scanned_example() -> bytes:
    return make_pdf(None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    args = parser.parse_args(argv)
    folder = args.content / "contracts" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in ((ACCESSIBLE, accessible_example()), (SCANNED, scanned_example())):
        (folder / name).write_bytes(data)
        print(f"wrote {folder / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
