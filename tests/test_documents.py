"""Documents that every parent can read (ADA Title II, WCAG 2.1 AA): what ``check`` reports of each
posted PDF, note or warning by the date of its record; the link text that says what parents open;
the notice page's offer of an accessible copy; the facts cached with the record."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
import pikepdf

from conftest import EXAMPLE_CONTENT, build_site, example_pdfs, make_pdf, pdf, run, soup
from noticeboard import codes
from noticeboard.load import documents
from noticeboard.load.documents import inspect_pdf

NOTICE = """\
vendor: Beta Reading
contract_date: {signed}
posted: {posted}
student_data: [student_name]
documents:
  - title: Vendor privacy policy
    url: https://www.example.com/privacy
  - title: Signed contract
    file: beta.pdf
"""
OLD = dict(signed="2025-01-21", posted="2025-01-24", today="2026-11-29")  # posted before 2027-04-26
NEW = dict(signed="2027-05-03", posted="2027-05-04", today="2027-06-01")  # posted on or after it
PLACE = "content/contracts/beta.md:10"  # the line of documents[2].file
SHOWN = "content/contracts/files/beta.pdf"


def notice(content, data: bytes, when: dict = OLD, name: str = "beta.pdf") -> None:
    content.contract("beta", NOTICE.format(**when).replace("beta.pdf", name))
    content.write(f"contracts/files/{name}", data)


def encrypted(extract: bool, user_password: str = "", revision: int = 3) -> bytes:
    """The accessible test PDF, encrypted by QPDF (RC4-128, or AES-256 with revision 6), its text's
    extraction allowed or not (for copying and for assistive technology alike), opened without a
    password unless ``user_password``."""
    from io import BytesIO
    out = BytesIO()
    with pikepdf.open(BytesIO(pdf())) as document:
        allow = pikepdf.Permissions(extract=extract, accessibility=extract)
        document.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password, R=revision, allow=allow,
                                                            metadata=revision >= 4, aes=revision >= 4))
    return out.getvalue()


def lines_at(result, place: str = PLACE) -> list[str]:
    return [line for line in result.lines if line.startswith(place + ":")]


# --- what is read of a PDF -----------------------------------------------------------------------

def test_an_accessible_pdf_has_every_fact(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf(["one", "two"], title="Signed contract", lang="es-US", pages=3))
    facts = inspect_pdf(path)
    assert facts.readable and (facts.pages, facts.has_text, facts.tagged) == (3, True, True)
    assert (facts.title, facts.language, facts.extraction_allowed) == ("Signed contract", "es-US", True)


@pytest.mark.parametrize("data, missing", [
    (make_pdf(None), {"has_text", "tagged", "title", "language"}),  # a scan
    (make_pdf(["text"], title="T", lang="en", tagged=False), {"tagged"}),
    (make_pdf(["text"], title="T", lang="en", marked=False), {"tagged"}),  # /MarkInfo << /Marked false >>
    (make_pdf(["text"]), {"title", "language"}),
    (encrypted(extract=False), {"extraction_allowed"}),
    # AES-256 (Acrobat's usual): copying forbidden, but assistive technology allowed, as PDF 2.0 requires
    (encrypted(extract=False, revision=6), set()),
    (encrypted(extract=True), set()),
])
def test_what_assistive_technology_lacks_is_found(tmp_path, data, missing):
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    facts = inspect_pdf(path)
    assert facts.readable, facts.why
    checked = {"has_text": facts.has_text, "tagged": facts.tagged, "title": bool(facts.title),
               "language": bool(facts.language), "extraction_allowed": facts.extraction_allowed}
    assert {name for name, present in checked.items() if not present} == missing


def test_text_is_looked_for_until_the_first_page_that_has_some(tmp_path, monkeypatch):
    """In the reader that the worker runs (``read_pdf``), in this process so that it can be watched."""
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf(["page text"], title="T", lang="en", pages=40))
    looked = []
    monkeypatch.setattr(documents, "_shows_text", lambda page, reading: looked.append(page) or True)
    assert documents.read_pdf(path).has_text and len(looked) == 1


def test_the_example_pdfs_are_made_again_byte_for_byte(tmp_path):
    assert example_pdfs.main(["--content", str(tmp_path)]) == 0
    for name in (example_pdfs.ACCESSIBLE, example_pdfs.SCANNED):
        made = (tmp_path / "contracts" / "files" / name).read_bytes()
        assert made == (EXAMPLE_CONTENT / "contracts" / "files" / name).read_bytes(), name


# --- what check reports ----------------------------------------------------------------------------

def test_an_accessible_pdf_gets_no_finding(content):
    notice(content, pdf())
    result = run("check", "--today", OLD["today"], "--strict")
    assert result.code == 0, result.err
    assert lines_at(result) == []


@pytest.mark.parametrize("data, why", [
    (pdf()[:1000], "is cut short (it has no end-of-file marker)"),
    (encrypted(extract=True, user_password="secret"), "needs a password to open"),
])
def test_a_pdf_that_cannot_be_read_is_an_error(content, data, why):
    notice(content, data)
    result = run("check", "--today", OLD["today"])
    assert result.code == 1
    [line] = lines_at(result)
    assert line.startswith(f"{PLACE}: error: documents[2].file: {SHOWN} {why}") and line.endswith("[NB132]")


def test_a_file_named_pdf_that_is_not_one_is_an_error(content):
    notice(content, b"<!doctype html><title>Download</title>")
    result = run("check", "--today", OLD["today"])
    assert result.code == 1
    assert lines_at(result) == [f"{PLACE}: error: documents[2].file: {SHOWN} is not a PDF file (it does not start as "
                                f"one); save or export it again as PDF [NB120]"]


SCAN_FINDINGS = ["NB312", "NB313", "NB314", "NB315"]


def _findings_at(result, place: str) -> list[tuple[str, str]]:
    return sorted((re.search(r": (error|warning|note): ", line)[1], line[-6:-1]) for line in lines_at(result, place))


def _findings(result) -> list[tuple[str, str]]:
    return _findings_at(result, PLACE)


def test_a_scan_of_an_older_record_gets_notes_that_change_no_exit_status(content):
    notice(content, make_pdf(None))
    for strict in ([], ["--strict"]):
        result = run("check", "--today", OLD["today"], *strict)
        assert _findings(result) == [("note", code) for code in SCAN_FINDINGS]
        assert result.code == 0, result.err  # notes never fail, not even under --strict
    scan = next(line for line in lines_at(result) if line.endswith("[NB312]"))
    assert scan == (f"{PLACE}: note: documents[2].file: {SHOWN} has no text on any page (a scan): screen readers "
                    "have nothing to read aloud; ask the vendor for the accessible original, or run OCR on it (e.g. "
                    "with OCRmyPDF: ocrmypdf scan.pdf text.pdf) and post that [NB312]")
    assert result.lines[-2].endswith(": 0 errors, 0 warnings, 4 notes")


def test_a_scan_of_a_record_posted_on_or_after_the_compliance_date_gets_warnings(content):
    notice(content, make_pdf(None), NEW)
    result = run("check", "--today", NEW["today"])
    assert _findings(result) == [("warning", code) for code in SCAN_FINDINGS]
    assert result.code == 0 and result.lines[-2].endswith(": 0 errors, 4 warnings")
    assert run("check", "--today", NEW["today"], "--strict").code == 1


def test_the_compliance_date_of_site_yml_decides(content):
    """A district of fewer than 50,000 people: 2028-04-26; a record posted 2027-05-04 is then older."""
    notice(content, make_pdf(["text"], title="T"), NEW)  # no language
    assert _findings(run("check", "--today", NEW["today"])) == [("warning", "NB315")]
    content.write("site.yml", (content.root / "site.yml").read_text() + "accessibility_compliance_date: 2028-04-26\n")
    assert _findings(run("check", "--today", NEW["today"])) == [("note", "NB315")]
    content.write("site.yml", (content.root / "site.yml").read_text().replace("2028-04-26", "2027-05-04"))
    assert _findings(run("check", "--today", NEW["today"])) == [("warning", "NB315")]  # on the day: a warning


@pytest.mark.parametrize("data, code", [
    (make_pdf(["text"], lang="en", tagged=False, title="T"), "NB313"),
    (make_pdf(["text"], lang="en"), "NB314"),
    (encrypted(extract=False), "NB316"),
])
def test_each_finding_has_its_code(content, data, code):
    notice(content, data, NEW)
    assert _findings(run("check", "--today", NEW["today"])) == [("warning", code)]


def test_a_draft_without_dates_is_checked_as_posted_today(content):
    content.contract("beta", "vendor: Beta Reading\ndraft: true\ndocuments:\n  - title: Signed contract\n"
                             "    file: beta.pdf\n")
    content.write("contracts/files/beta.pdf", make_pdf(["text"], title="T"))
    place = "content/contracts/beta.md:6"
    assert _findings_at(run("check", "--today", NEW["today"]), place) == [("warning", "NB315")]
    assert _findings_at(run("check", "--today", OLD["today"]), place) == [("note", "NB315")]


def test_a_document_over_10_mb_is_a_warning_whatever_its_date(content):
    notice(content, pdf(padding=10_000_000))
    result = run("check", "--today", OLD["today"])
    assert _findings(result) == [("warning", "NB317")]
    assert lines_at(result)[0].startswith(f"{PLACE}: warning: documents[2].file: {SHOWN} is 10.0 MB, slow to open "
                                          "on a phone on a slow connection")
    notice(content, pdf(padding=9_000_000))
    assert _findings(run("check", "--today", OLD["today"])) == []


def test_build_reports_the_warnings_of_check_and_counts_its_notes(content):
    notice(content, make_pdf(None))
    result = run("build", "--today", OLD["today"])
    assert result.code == 0, result.err
    assert lines_at(result) == [], "notes are counted, not listed, by build"
    assert "0 errors, 0 warnings, 4 notes" in result.out
    assert "4 notes not listed; `python build.py check` lists them" in result.err
    assert len(lines_at(run("check", "--today", OLD["today"]))) == 4

    notice(content, make_pdf(None), NEW)
    result = run("build", "--today", NEW["today"])
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if line.startswith(PLACE)] == lines_at(
        run("check", "--today", NEW["today"]))
    assert len(lines_at(result)) == 4 and "notes about documents" not in result.err


def test_policy_documents_are_checked_too(content):
    content.write("policies/5125.md", "---\nnumber: \"5125\"\ntitle: Student records\nadopted: 2027-05-01\n"
                                      "documents:\n  - title: Policy 5125\n    file: 5125.pdf\n---\n")
    content.write("policies/files/5125.pdf", make_pdf(None))
    result = run("check", "--today", NEW["today"])
    assert _findings(result) == [] and sorted(line[-6:-1] for line in lines_at(result, "content/policies/5125.md:7")
                                              ) == SCAN_FINDINGS
    assert all(": warning: documents[1].file: content/policies/files/5125.pdf " in line
               for line in lines_at(result, "content/policies/5125.md:7"))


def test_the_example_content_shows_both_outcomes():
    result = run("check", "--content", str(EXAMPLE_CONTENT), "--today", "2026-11-29", "--no-cache")
    assert result.code == 0
    assert not [line for line in result.lines if "example-signed-contract.pdf" in line]
    scanned = [line for line in result.lines if "example-scanned-contract.pdf" in line]
    assert [line[-6:-1] for line in scanned] == ["NB315", "NB314", "NB312", "NB313"]  # sorted by message
    assert all(": note: documents[1].file: " in line for line in scanned)
    assert any("OCRmyPDF" in line for line in scanned)


# --- the facts are cached with the record ---------------------------------------------------------

def test_a_second_check_reads_no_pdf_until_its_bytes_change(content, monkeypatch, tmp_path):
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(tmp_path / "cache"))
    notice(content, make_pdf(None))
    read = []
    real = documents.inspect_pdf
    monkeypatch.setattr(documents, "inspect_pdf", lambda path: read.append(Path(path).name) or real(path))
    first = run("check", "--today", OLD["today"])
    assert read == ["beta.pdf"] and len(_findings(first)) == 4
    second = run("check", "--today", OLD["today"])
    assert read == ["beta.pdf"] and lines_at(second) == lines_at(first)  # from the cache, the same notes
    content.write("contracts/files/beta.pdf", pdf())  # the vendor's accessible original, same name
    third = run("check", "--today", OLD["today"])
    assert read == ["beta.pdf", "beta.pdf"] and lines_at(third) == []


# --- what the pages show -----------------------------------------------------------------------------

def _built(content, data: bytes, when: dict = OLD) -> Path:
    notice(content, data, when)
    return build_site(today=when["today"])


def _page(site: Path, lang: str = "") -> BeautifulSoup:
    return soup(site / lang / "contracts" / "beta" / "index.html")


def _document_links(page: BeautifulSoup) -> list[str]:
    return [" ".join(a.get_text(" ", strip=True).split()) for a in page.select("ul.documents a")]


def test_each_posted_document_link_says_its_type_pages_and_size(content):
    data = make_pdf(["A signed contract."], title="T", lang="en", pages=12, padding=1_200_000)
    assert 1_200_000 <= len(data) < 1_250_000
    site = _built(content, data)
    english, spanish = _document_links(_page(site)), _document_links(_page(site, "es"))
    assert english == ["Vendor privacy policy", "Contract: Signed contract (PDF, 12 pages, 1.2 MB)"]
    assert spanish == ["Vendor privacy policy (solo en inglés)",
                       "Contrato: Signed contract (solo en inglés) (PDF, 12 páginas, 1,2 MB)"]
    external = _page(site).select("ul.documents li")[0].get_text(" ", strip=True)
    assert "(external site)" in external and "MB" not in external  # as before: an external site, no size


def test_one_page_is_singular_and_small_sizes_are_in_kilobytes(content):
    site = _built(content, pdf())
    size = f"{round(len(pdf()) / 1000, 1):g}"
    assert _document_links(_page(site))[1] == f"Contract: Signed contract (PDF, 1 page, {size} kB)"
    assert _document_links(_page(site, "es"))[1] == (f"Contrato: Signed contract (solo en inglés) (PDF, 1 página, "
                                                     f"{size.replace('.', ',')} kB)")


def _accessible_copy(page: BeautifulSoup):
    return page.select_one("p.access-box")


def test_an_accessible_document_offers_nothing_more(content):
    assert _accessible_copy(_page(_built(content, pdf()))) is None


@pytest.mark.parametrize("lang, scanned_text, ask, subject", [
    ("", "Signed contract is a scanned image: screen readers and other assistive technology cannot read it.",
     "Ask the district for an accessible copy", "Accessible copy of Signed contract: Beta Reading"),
    ("es", "Signed contract (solo en inglés) es una imagen escaneada: los lectores de pantalla y otras tecnologías "
           "de apoyo no pueden leerla.",
     "Pida al distrito una copia accesible", "Copia accesible de Signed contract: Beta Reading"),
])
def test_a_scanned_contract_says_so_and_whom_to_ask_for_an_accessible_copy(content, lang, scanned_text, ask, subject):
    page = _page(_built(content, make_pdf(None)), lang)
    box = _accessible_copy(page)
    text = " ".join(box.get_text(" ", strip=True).split())
    assert text.startswith(scanned_text)
    link = box.find("a")
    assert link.get_text(strip=True) == ask
    address = urlsplit(link["href"])
    assert (address.scheme, unquote(address.path)) == ("mailto", "privacy@district.test")
    assert parse_qs(address.query)["subject"] == [subject]
    # the documents come after what the law requires, which the page gives in HTML
    assert page.find(string=re.compile("21 (de )?(January|enero)( de)? 2025")) and page.find(string=re.compile("Student name"))


def test_an_untagged_contract_may_be_hard_to_read(content):
    box = _accessible_copy(_page(_built(content, make_pdf(["text"], title="T", lang="en", tagged=False), NEW)))
    assert " ".join(box.get_text(" ", strip=True).split()).startswith(
        "Signed contract may be hard to read with a screen reader or other assistive technology.")


def test_without_a_contact_email_the_page_still_says_so(content):
    content.write("site.yml", (content.root / "site.yml").read_text().replace("contact:\n  email: privacy@district.test\n",
                                                                              ""))
    box = _accessible_copy(_page(_built(content, make_pdf(None))))
    assert "scanned image" in box.get_text() and box.find("a") is None


def test_the_code_table_says_when_a_finding_is_a_note():
    for code in (codes.DOCUMENT_SCANNED, codes.DOCUMENT_UNTAGGED, codes.DOCUMENT_NO_TITLE, codes.DOCUMENT_NO_LANGUAGE,
                 codes.DOCUMENT_TEXT_LOCKED):
        assert "note instead of a warning" in code.meaning
    assert "note" not in codes.DOCUMENT_TOO_LARGE.meaning


def test_a_pdf_whose_cross_reference_table_is_lost_is_read_as_viewers_read_it(tmp_path):
    """Scanners and "save as PDF" tools write files without a valid xref table; every viewer rebuilds it,
    and so does QPDF: such a file is read for its facts, not reported as unreadable."""
    data = pdf()
    path = tmp_path / "no-xref.pdf"
    path.write_bytes(data[:data.rindex(b"xref")] + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    facts = inspect_pdf(path)
    assert facts.readable, facts.why
    assert (facts.pages, facts.has_text, facts.tagged, facts.language) == (1, True, True, "en-US")


def test_a_damaged_pdf_is_an_error(content):
    notice(content, b"%PDF-1.4\n" + b"\x00garbage\xff" * 200 + b"\n%%EOF\n")
    result = run("check", "--today", OLD["today"])
    assert result.code == 1
    [line] = lines_at(result)
    assert line.startswith(f"{PLACE}: error: documents[2].file: {SHOWN} ") and line.endswith("[NB132]")
