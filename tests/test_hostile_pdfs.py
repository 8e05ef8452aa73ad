"""A vendor's PDF is untrusted input, and a district's CI runs ``check`` on it (issue 19): reading one is
bounded in time, memory and work under any input, a file past a bound is a warning on its record's
document line (NB137), never a crash, a hang or a traceback, and a file that would have a viewer run
something, or that is also another kind of file, gets a note (NB318).

The hostile files are written at test time by ``hostile_pdfs.py``: a few kilobytes each."""
from __future__ import annotations

import base64
import binascii
import json
import re
import resource
import subprocess
import sys
import time
import warnings
import zlib
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_pdfs
from conftest import REPO, TODAY, ContentTree, Result, make_pdf, pdf, run
from noticeboard.load import documents
from noticeboard.load.documents import PdfFacts, inspect_pdf

pytestmark = pytest.mark.slow  # PDF workers run to their limits of time and memory, and Hypothesis

NOTICE = """\
vendor: Beta Reading
contract_date: 2025-01-21
posted: 2025-01-24
student_data: [student_name]
documents:
  - title: Signed contract
    file: beta.pdf
"""
PLACE = "content/contracts/beta.md:8"  # the line of documents[1].file, the first (diagnostics count from 1)
SHOWN = "content/contracts/files/beta.pdf"
NOT_CHECKABLE = (f"{PLACE}: warning: documents[1].file: {SHOWN} could not be checked within the limits on reading "
                 "one PDF: it ")


def notice(content, data: bytes) -> None:
    content.contract("beta", NOTICE)
    content.write("contracts/files/beta.pdf", data)


def lines_at(result: Result) -> list[str]:
    return [line for line in result.lines if line.startswith(PLACE + ":")]


def check_in_a_process(memory: int = 2 << 30, seconds: float = 60) -> Result:
    """``check`` as a district's CI runs it, in a process of its own with ``memory`` bytes of address space;
    subprocess.TimeoutExpired after ``seconds``."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--today", TODAY, "--no-cache"],
                          capture_output=True, text=True, timeout=seconds, preexec_fn=limit)
    return Result(done.returncode, done.stdout, done.stderr)


def assert_not_checkable(result: Result, why: str) -> None:
    assert "Traceback" not in result.err and "MemoryError" not in result.err, result.err
    assert result.code == 0, result.err  # a warning: the build goes on
    [line] = lines_at(result)
    assert line.startswith(NOT_CHECKABLE + why) and line.endswith("[NB137]"), line


@pytest.fixture
def fresh_worker():
    """A worker started for the test, and ended after it: a test that changes how one runs leaves none behind."""
    documents.stop_worker()
    yield
    documents.stop_worker()


# --- past a bound: a warning, within seconds ------------------------------------------------------------

@pytest.mark.parametrize("operators", [hostile_pdfs.TEXT_OPERATORS, hostile_pdfs.DRAWING_OPERATORS],
                         ids=["text", "drawing"])
def test_content_deflated_twice_to_a_gigabyte_is_not_checkable_within_a_modest_memory_limit(content, operators):
    data = hostile_pdfs.deflate_bomb(operators)
    assert len(data) < 10_000
    notice(content, data)
    assert_not_checkable(check_in_a_process(), "has more than 32 MB of page content to read before any text")


def test_an_object_stream_that_inflates_past_the_memory_limit_is_not_checkable(content):
    """QPDF inflates an object stream whole to find an object in it: the worker's memory limit stops it."""
    notice(content, hostile_pdfs.object_stream_bomb())
    assert_not_checkable(check_in_a_process(), "needed more than 1 GB of memory to read")


def test_a_maze_of_forms_is_read_once_each_and_not_checkable_past_its_depth(content):
    """A hundred names at each level for the next level's form: 100 ** 12 ways down, twelve forms to read."""
    notice(content, hostile_pdfs.form_maze(levels=12, ways=100))
    start = time.monotonic()
    assert_not_checkable(check_in_a_process(seconds=60), "draws forms within forms more than 8 deep (a maze)")
    assert time.monotonic() - start < 20


def test_text_in_a_maze_of_forms_within_the_depth_is_found(content):
    notice(content, hostile_pdfs.form_maze(levels=12, ways=100, text_at=6))
    result = check_in_a_process(seconds=60)
    assert result.code == 0, result.err
    assert not [line for line in lines_at(result) if "[NB137]" in line or "[NB312]" in line], lines_at(result)


def test_a_page_drawn_from_hundreds_of_thousands_of_parts_is_not_checkable(content):
    notice(content, hostile_pdfs.many_contents(300_000))
    assert_not_checkable(run("check", "--today", TODAY, "--no-cache"),
                         "has more than 200,000 pages, forms, annotations or actions to look at")


def test_the_build_succeeds_with_a_document_that_could_not_be_checked(content):
    """It is the district's file: posted, its link with its type and size (its pages are not known)."""
    data = hostile_pdfs.many_contents(300_000)
    notice(content, data)
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert [line[-6:-1] for line in lines_at(result)] == ["NB137"]
    page = BeautifulSoup((Path("site") / "contracts" / "beta" / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert [" ".join(link.get_text(" ", strip=True).split()) for link in page.select("ul.documents a")] == [
        f"Contract: Signed contract (PDF, {len(data) / 1000:.1f} kB)"]
    assert (Path("site") / "contracts" / "files" / "beta.pdf").read_bytes() == data


# --- the worker ----------------------------------------------------------------------------------------------

def test_a_worker_that_hangs_is_killed_after_the_time_limit_and_the_next_pdf_gets_a_new_one(content, monkeypatch,
                                                                                            fresh_worker):
    command = documents._worker_command
    monkeypatch.setattr(documents, "_worker_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(documents, "PDF_SECONDS", 2)
    notice(content, pdf())
    start = time.monotonic()
    assert_not_checkable(run("check", "--today", TODAY, "--no-cache"), "took more than 2 seconds to read")
    assert time.monotonic() - start < 10
    hung = documents._current.process
    assert hung.poll() is not None, "the hanging worker was left running"

    monkeypatch.setattr(documents, "_worker_command", command)
    result = run("check", "--today", TODAY, "--no-cache", "--strict")
    assert result.code == 0 and lines_at(result) == [], result.err
    assert documents._current.process is not hung


def test_a_pdf_not_read_in_time_is_read_again_by_the_next_run_not_taken_from_the_cache(content, monkeypatch,
                                                                                       fresh_worker):
    """A busy machine may take longer than the limit: that finding is of the run, not of the file's bytes."""
    command = documents._worker_command
    monkeypatch.setattr(documents, "_worker_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(documents, "PDF_SECONDS", 1)
    notice(content, pdf("Read again next time."))
    assert_not_checkable(run("check", "--today", TODAY), "took more than 1 second")
    monkeypatch.setattr(documents, "_worker_command", command)
    result = run("check", "--today", TODAY, "--strict")
    assert result.code == 0 and lines_at(result) == [], result.err


@pytest.mark.parametrize("ending, why", [
    ("os.kill(os.getpid(), signal.SIGSEGV)", "stopped the program that reads it (it ended on SIGSEGV)"),
    ("os.kill(os.getpid(), signal.SIGXCPU)", "took more than 20 seconds to read"),  # past its CPU time limit
    ("print('{\"facts\": {\"readable\": \"yes\"}, \"last\": false}', flush=True); time.sleep(60)",
     "stopped the program that reads it (it gave an answer that is not one)"),
], ids=["segmentation-fault", "past-its-cpu-time", "nonsense"])
def test_a_worker_that_crashes_or_answers_nonsense_makes_a_warning(content, monkeypatch, fresh_worker, ending, why):
    program = f"import os, signal, sys, time; sys.stdin.readline(); {ending}"
    monkeypatch.setattr(documents, "_worker_command", lambda: [sys.executable, "-c", program])
    notice(content, pdf())
    assert_not_checkable(run("check", "--today", TODAY, "--no-cache"), why)


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads the worker's limits in /proc (Linux)")
def test_the_worker_runs_with_limits_on_its_memory_and_cpu_time(tmp_path, fresh_worker):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf())
    assert inspect_pdf(path).readable
    limits = Path(f"/proc/{documents._current.process.pid}/limits").read_text()
    address_space = int(re.search(r"^Max address space +(\d+)", limits, re.MULTILINE)[1])
    cpu_seconds = int(re.search(r"^Max cpu time +(\d+)", limits, re.MULTILINE)[1])
    assert address_space == documents.PDF_MEMORY and 0 < cpu_seconds <= documents.PDF_SECONDS + 2


BIG_BUILD_READING_PDFS = """\
import json, sys
from pathlib import Path
from noticeboard.load import documents
held = bytearray(documents.PDF_MEMORY // 4 + (64 << 20))
for at in range(0, len(held), 4096):
    held[at] = 1
workers = []
for path in sys.argv[1:]:
    facts = documents.inspect_pdf(Path(path))
    workers.append(documents._current.process.pid if documents._current and documents._current.running else None)
    print(facts.readable, facts.why)
print(json.dumps(workers))
"""


def test_a_build_that_holds_much_memory_keeps_one_worker_for_all_its_pdfs(tmp_path):
    """A state hub's build holds hundreds of megabytes: its worker does not start with that peak."""
    paths = [tmp_path / f"{name}.pdf" for name in "ab"]
    for path in paths:
        path.write_bytes(pdf())
    done = subprocess.run([sys.executable, "-c", BIG_BUILD_READING_PDFS, *map(str, paths)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    *readable, workers = done.stdout.splitlines()
    assert readable == ["True ", "True "], done.stderr
    first, second = json.loads(workers)
    assert first is not None and first == second, "the worker ended after one PDF"


# --- actions and a prefix: a note ------------------------------------------------------------------------

@pytest.mark.parametrize("make, found", [
    (hostile_pdfs.open_action_javascript, "runs JavaScript when opened"),
    (hostile_pdfs.document_javascript, "runs JavaScript when opened"),
    (hostile_pdfs.open_action_launch, "launches a program or another file when opened"),
    (hostile_pdfs.link_that_launches,
     "launches a program or another file and sends form data to an address from a link, a form field or a page"),
    (hostile_pdfs.with_prefix, "has 512 bytes before its PDF header (it is also another kind of file)"),
], ids=["open-action-javascript", "document-javascript", "open-action-launch", "link", "prefix"])
def test_a_pdf_that_does_more_than_show_its_pages_gets_a_note(content, make, found):
    notice(content, make())
    result = run("check", "--today", TODAY, "--no-cache", "--strict")
    assert result.code == 0, result.err  # a note, even under --strict
    assert lines_at(result) == [
        f"{PLACE}: note: documents[1].file: {SHOWN} {found}: post a copy printed or exported again as a plain PDF "
        "(a 'Print to PDF' copy carries none of this), or keep it if the district has checked the file [NB318]"]


def test_actions_are_found_wherever_viewers_find_them(tmp_path):
    def field_with_script(document):
        calculated = pikepdf.Dictionary(C=hostile_pdfs.javascript())
        field = document.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String("total"), AA=calculated))
        document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))

    def page_that_imports_data_when_shown(document):
        document.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.ImportData,
                                                                           F=pikepdf.String("data.fdf")))

    def chain_that_loops(document):
        first = document.make_indirect(hostile_pdfs.javascript())
        second = document.make_indirect(hostile_pdfs.launch())
        first.Next, second.Next = second, first
        document.Root.AA = pikepdf.Dictionary(WC=first)

    expected = {field_with_script: (("JavaScript",), ()),
                page_that_imports_data_when_shown: (("ImportData",), ("ImportData",)),  # the first page opens
                chain_that_loops: (("JavaScript", "Launch"), ())}
    for change, (actions, on_open) in expected.items():
        path = tmp_path / "a.pdf"
        path.write_bytes(hostile_pdfs.with_actions(change))
        facts = inspect_pdf(path)
        assert facts.readable and (facts.actions, facts.actions_on_open) == (actions, on_open), change.__name__


# --- what is decoded and read, as QPDF reads it ---------------------------------------------------------

def _lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (EarlyChange 1), for the test: codes of 9 to 12 bits, a clear code first."""
    table, width, codes, word = {bytes([value]): value for value in range(256)}, 9, [(256, 9)], b""
    for value in data:
        candidate = word + bytes([value])
        if candidate in table:
            word = candidate
            continue
        codes.append((table[word], width))
        table[candidate] = len(table) + 2
        if len(table) + 2 >= 1 << width and width < 12:  # the reader, an entry behind, widens as it reads the next
            width += 1
        word = bytes([value])
    if word:
        codes.append((table[word], width))
        if len(table) + 3 >= 1 << width and width < 12:
            width += 1
    codes.append((257, width))
    bits = "".join(format(code, f"0{size}b") for code, size in codes)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _run_length(data: bytes) -> bytes:
    return b"".join(bytes([len(data[start:start + 128]) - 1]) + data[start:start + 128]
                    for start in range(0, len(data), 128)) + b"\x80"


CONTENT = b"BT /F1 12 Tf 72 720 Td (A signed contract \\(draft\\).) Tj ET\n" * 40
ENCODINGS = {
    "/FlateDecode": zlib.compress,
    "/ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">",
    "/ASCII85Decode": lambda data: base64.a85encode(data) + b"~>",
    "/RunLengthDecode": _run_length,
    "/LZWDecode": _lzw,
}


@pytest.mark.parametrize("filters", [["/FlateDecode"], ["/ASCIIHexDecode"], ["/ASCII85Decode"], ["/RunLengthDecode"],
                                     ["/LZWDecode"], ["/ASCII85Decode", "/FlateDecode"],
                                     ["/ASCIIHexDecode", "/LZWDecode", "/FlateDecode"]])
def test_content_is_decoded_as_qpdf_decodes_it_and_within_a_cap(filters):
    data = CONTENT
    for name in reversed(filters):
        data = ENCODINGS[name](data)
    with pikepdf.new() as document:
        stream = pikepdf.Stream(document, b"")
        stream.write(data, filter=[pikepdf.Name(name) for name in filters])
        assert stream.read_bytes(pikepdf.StreamDecodeLevel.specialized) == CONTENT  # RunLength is "specialized"
        assert documents._decoded(stream, len(CONTENT)) == CONTENT
        assert documents._decoded(stream, len(CONTENT) - 1) is None


TOKENS = [b"BT", b"ET", b"/F1 12 Tf", b"Tj", b"TJ", b"'", b'"', b"1 2", b"[", b"]", b"(Hello)", b"( )", b"()",
          b"(\\040)", b"(\\n)", b"(a\\)b)", b"((nested) one)", b"(\\101)", b"<48656c6c6f>", b"<20>", b"<>", b"<0>",
          b"<< /MCID 0 >>", b"/P", b"BDC", b"EMC", b"q", b"Q", b"1 0 0 1 0 0 cm", b"/Im1 Do", b"% (comment) Tj\n",
          b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00(x EI", b"true", b"null", b"-.5", b"re", b"f"]


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_text_is_found_where_qpdfs_parser_finds_it(tokens):
    """The tokenizer decides as ``pikepdf.parse_content_stream`` (what was read before, unbounded) does, on content
    that QPDF parses."""
    data = b" ".join(tokens) + b"\n"
    with pikepdf.new() as document, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pikepdf's "Unexpected end of stream", of content cut short
        try:
            parsed = pikepdf.parse_content_stream(pikepdf.Stream(document, data), "Tj TJ ' \"")
        except (pikepdf.PdfError, TypeError):  # not parsed (TypeError: a word within an array)
            return
        shown = any(isinstance(part, pikepdf.String) and bytes(part).strip()
                    for operands, _ in parsed for operand in operands
                    for part in (operand if isinstance(operand, pikepdf.Array) else [operand]))
    assert documents._content_shows_text(data) == shown


def test_a_text_page_and_a_scan_are_read_as_before(tmp_path):
    for data, has_text in ((make_pdf(["text"], pages=3), True), (make_pdf(None, pages=3), False)):
        path = tmp_path / "a.pdf"
        path.write_bytes(data)
        facts = inspect_pdf(path)
        assert (facts.readable, facts.has_text, facts.over_limit, facts.actions, facts.header_offset) == (
            True, has_text, "", (), 0)


# --- any structure: a result, within the time limit -----------------------------------------------------

FILTER_CHOICES = [None, "/FlateDecode", "/ASCIIHexDecode", "/ASCII85Decode", "/RunLengthDecode", "/LZWDecode",
                  "/DCTDecode", "/Nonsense", ["/ASCIIHexDecode", "/FlateDecode"], ["/FlateDecode", "/FlateDecode"]]

content_bytes = st.one_of(st.binary(max_size=120), st.lists(st.sampled_from(TOKENS), max_size=25).map(b" ".join))


@st.composite
def encoded_streams(draw, entries: bytes = b"") -> bytes:
    """A stream object: content encoded with its filters (or not: damaged), its /Length right or not."""
    data = draw(content_bytes)
    filters = draw(st.sampled_from(FILTER_CHOICES))
    names = [] if filters is None else [filters] if isinstance(filters, str) else filters
    if draw(st.booleans()):
        for name in reversed(names):
            data = ENCODINGS.get(name, lambda raw: raw)(data)
    if names:
        entries += b" /Filter [" + b" ".join(name.encode() for name in names) + b"]"
    length = draw(st.sampled_from([len(data), len(data) + 7, max(0, len(data) - 3), 10 ** 9]))
    return b"<< " + entries + b" /Length %d >>\nstream\n" % length + data + b"\nendstream"


@st.composite
def pdf_structures(draw) -> bytes:
    """Pages and forms that draw forms (any of them, themselves too), each with content; maybe cut short."""
    forms = draw(st.integers(0, 4))
    pages = draw(st.integers(1, 3))
    first_form = 3 + 2 * pages

    def resources() -> bytes:
        drawn = draw(st.lists(st.integers(0, max(forms - 1, 0)), max_size=4)) if forms else []
        return b"/Resources << /XObject << " + b" ".join(b"/X%d %d 0 R" % (index, first_form + form)
                                                         for index, form in enumerate(drawn)) + b" >> >>"

    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + 2 * page)
                                                                         for page in range(pages)), pages)}
    for page in range(pages):
        objects[3 + 2 * page] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R %s >>" % (
            4 + 2 * page, resources())
        objects[4 + 2 * page] = draw(encoded_streams())
    for form in range(forms):
        objects[first_form + form] = draw(encoded_streams(b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] "
                                                          + resources()))
    data = hostile_pdfs.assemble(objects)
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    if cut is not None:
        data = data[:cut] + (b"\n%%EOF\n" if draw(st.booleans()) else b"")
    return data


@pytest.fixture(scope="module")
def fuzzed_tree(tmp_path_factory) -> ContentTree:
    tree = ContentTree(tmp_path_factory.mktemp("fuzzed") / "content")
    tree.contract("beta", NOTICE)
    return tree


@settings(max_examples=50, derandomize=True, database=None, deadline=timedelta(seconds=30),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=pdf_structures())
def test_any_pdf_structure_gives_a_result_within_the_time_limit(fuzzed_tree, data):
    path = fuzzed_tree.write("contracts/files/beta.pdf", data)
    start = time.monotonic()
    facts = inspect_pdf(path)
    assert isinstance(facts, PdfFacts) and time.monotonic() - start < documents.PDF_SECONDS + 5
    assert facts.over_limit != documents.CRASH, facts.why
    result = run("check", "--content", str(fuzzed_tree.root), "--today", TODAY, "--no-cache")
    assert result.code in (0, 1) and "Traceback" not in result.err, result.err
    about = [line for line in result.lines if "beta.pdf" in line]
    assert all(line[-6:-1] in {"NB132", "NB137", "NB312", "NB313", "NB314", "NB315", "NB318"} for line in about), about
