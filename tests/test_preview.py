"""The preview's rebuild after a save: only the saved file is read again, and every file it then
serves is byte for byte what a build from scratch of the same content shows (the page on screen,
the lists that show the record, the feed, the open data), whether the save was patched into the
model or the model was built anew."""
from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import pdf, REPO, without_print_dates

from noticeboard.load.content import load_content
from noticeboard.diagnostics import Report
from noticeboard.site.builder import (BREACH_TEXT_FIELDS, NOTICE_TEXT_FIELDS, PAGE_TEXT_FIELDS, POLICY_TEXT_FIELDS,
                                      build_sites)
from noticeboard.preview.state import Preview
from noticeboard.output.render import render_site
from noticeboard.load.rules import VendorSpellings

TODAY = date(2026, 11, 29)
BASE_URL = "http://127.0.0.1:8000/"


@pytest.fixture
def example(tmp_path, monkeypatch) -> Path:
    """A copy of the example content, the working directory beside it."""
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    monkeypatch.chdir(tmp_path)
    return root


def built_from_scratch(root: Path) -> dict[str, bytes]:
    """Every file a preview of ``root`` shows, as a build from scratch makes them (drafts shown, as the preview does)."""
    report = Report()
    content = load_content(root, report)
    assert content is not None and not report.errors, report.lines()
    sites = build_sites(content, TODAY, BASE_URL, drafts=True)
    files = dict(render_site(sites))
    files.update({path: source.read_bytes() for path, source in sites[0].document_files.items()})
    return files


def assert_same_as_from_scratch(preview: Preview, root: Path) -> None:
    expected = built_from_scratch(root)
    differing = [path for path, data in expected.items() if preview.file(path) != data]
    assert not differing, f"{len(differing)} files differ from a build from scratch, e.g. {differing[:5]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# (what staff do, the change as a function of the content folder, the files changed, whether it is only text)
EDITS = [
    ("the description of a notice", lambda root: append(root / "contracts/nearpod.md", "\nA new sentence.\n"),
     ["contracts/nearpod.md"], True),
    ("the notes of a notice", lambda root: edit(root / "contracts/imagine-learning-amendment-2.md",
                                                "does not say which", "never says which"),
     ["contracts/imagine-learning-amendment-2.md"], True),
    ("an expiry date, now past", lambda root: edit(root / "contracts/imagine-learning-amendment-2.md",
                                                    "expires: 2026-06-30", "expires: 2026-01-30"),
     ["contracts/imagine-learning-amendment-2.md"], True),
    ("grades, which decide the grades' lists", lambda root: edit(root / "contracts/nearpod.md", "student_data: []",
                                                                   "student_data: []\ngrades: K-5"),
     ["contracts/nearpod.md"], False),
    ("retention", lambda root: edit(root / "contracts/nearpod.md", "student_data: []",
                                    "student_data: []\nretention: Deleted when the school year ends."),
     ["contracts/nearpod.md"], True),
    ("subprocessors and the SDPC agreement", lambda root: edit(
        root / "contracts/nearpod.md", "student_data: []", "student_data: []\nsubprocessors: [Amazon Web Services]\n"
        "sdpc_agreement: https://sdpc.example.org/agreements/1"), ["contracts/nearpod.md"], True),
    ("the fields that IL and NY ask for", lambda root: edit(
        root / "contracts/nearpod.md", "student_data: []", "student_data: []\nvendor_address: 1 Main Street\n"
        "subprocessor_safeguards: Same terms.\naccuracy_challenge: Write to us.\nstorage_and_security: In the US.\n"
        "encryption: TLS."), ["contracts/nearpod.md"], True),
    ("a Spanish retention", lambda root: (
        edit(root / "contracts/nearpod.md", "student_data: []", "student_data: []\nretention: Deleted in June."),
        edit(root / "contracts/nearpod.es.md", "---\n", "---\nretention: Se borran en junio.\n")),
     ["contracts/nearpod.md", "contracts/nearpod.es.md"], True),
    ("a Spanish description", lambda root: append(root / "contracts/catholic-charities.es.md", "\nOtra frase.\n"),
     ["contracts/catholic-charities.es.md"], True),
    ("a policy's title", lambda root: edit(root / "policies/5125.md", "title: Student Records; Confidentiality",
                                           "title: Student Records and Confidentiality"),
     ["policies/5125.md"], True),
    ("a policy's text", lambda root: append(root / "policies/5125.md", "\nOne more paragraph.\n"),
     ["policies/5125.md"], True),
    ("the guide", lambda root: append(root / "pages/guide.md", "\nA last word.\n"), ["pages/guide.md"], True),
    ("the guide's title", lambda root: edit(root / "pages/guide.md", "a guide for parents", "what parents should know"),
     ["pages/guide.md"], True),
    ("a document's title", lambda root: edit(root / "contracts/quill-amendment-1.md",
                                             "title: Example signed contract (fictional)",
                                             "title: Signed amendment (fictional)"),
     ["contracts/quill-amendment-1.md"], True),
    ("a policy's link to a document", lambda root: edit(root / "policies/5125.md", "example: true",
                                                        "example: true\ndocuments:\n  - title: Regulation\n"
                                                        "    url: https://www.example.org/5125-r.pdf"),
     ["policies/5125.md"], True),
    ("a posted file added to a notice", lambda root: edit(root / "contracts/nearpod.md", "student_data: []",
                                                          "student_data: []\ndocuments:\n  - title: Signed\n"
                                                          "    file: example-signed-contract.pdf"),
     ["contracts/nearpod.md"], False),
    ("a notice's Spanish title", lambda root: edit(root / "contracts/nearpod.es.md", "---\n", "---\ntitle: Nearpod (es)\n"),
     ["contracts/nearpod.es.md"], False),
    ("a notice's title", lambda root: edit(root / "contracts/imagine-learning-amendment-2.md",
                                           "title: Imagine Learning — Amendment 2", "title: Imagine Learning — ASL"),
     ["contracts/imagine-learning-amendment-2.md"], False),
    ("a signing date", lambda root: edit(root / "contracts/nearpod.md", "contract_date: 2022-08-21",
                                         "contract_date: 2024-08-21"), ["contracts/nearpod.md"], False),
    ("the student data", lambda root: edit(root / "contracts/nearpod.md", "student_data: []",
                                           "student_data: [student_name, grade_level]"), ["contracts/nearpod.md"], False),
    ("the vendor", lambda root: edit(root / "contracts/nearpod.md", "vendor: Nearpod", "vendor: Nearpod Inc."),
     ["contracts/nearpod.md"], False),
    ("a record made a draft", lambda root: edit(root / "contracts/nearpod.md", "vendor: Nearpod",
                                                "vendor: Nearpod\ndraft: true"), ["contracts/nearpod.md"], False),
    ("a new notice", lambda root: (root / "contracts/new-reader.md").write_text(
        "---\nvendor: New Reader\ncontract_date: 2026-11-20\nstudent_data: [student_name]\n---\nA reading app.\n",
        encoding="utf-8"), ["contracts/new-reader.md"], False),
    ("a notice removed", lambda root: [(root / f"contracts/nearpod{lang}.md").unlink() for lang in ("", ".es")],
     ["contracts/nearpod.md", "contracts/nearpod.es.md"], False),
    ("a translation removed", lambda root: (root / "contracts/catholic-charities.es.md").unlink(),
     ["contracts/catholic-charities.es.md"], False),
    ("a policy's revision date", lambda root: edit(root / "policies/5125.md", "number: \"5125\"",
                                                   "number: \"5125\"\nrevised: 2026-11-01"), ["policies/5125.md"], False),
    ("a breach notice's text", lambda root: append(root / "breaches/example-breach.md", "\nOne more line.\n"),
     ["breaches/example-breach.md"], True),
    ("a breach's number of students", lambda root: edit(root / "breaches/example-breach.md",
                                                        "students_affected: 120", "students_affected: 121"),
     ["breaches/example-breach.md"], False),
    ("a vocabulary extending the shipped one", lambda root: (root / "data-elements.yml").write_text(
        "extends: shipped\nstudent_name:\n  label: {en: Student's name, es: Nombre del alumno}\n"
        "  category: {en: Student Name, es: Nombre del estudiante}\n  description: The student's name.\n",
        encoding="utf-8"), ["data-elements.yml"], False),
]


# Every field that a save may change with the preview patching its model (site/builder.py), and a case above
# that changes it: a field declared there that some list of the site depends on fails that case.
TEXT_FIELD_CASES = {
    ("notice", "student_data_notes"): "the notes of a notice",
    ("notice", "retention"): "retention",
    ("notice", "expires"): "an expiry date, now past",
    ("notice", "documents"): "a document's title",
    ("notice", "subprocessors"): "subprocessors and the SDPC agreement",
    ("notice", "sdpc_agreement"): "subprocessors and the SDPC agreement",
    ("notice", "vendor_address"): "the fields that IL and NY ask for",
    ("notice", "subprocessor_safeguards"): "the fields that IL and NY ask for",
    ("notice", "accuracy_challenge"): "the fields that IL and NY ask for",
    ("notice", "storage_and_security"): "the fields that IL and NY ask for",
    ("notice", "encryption"): "the fields that IL and NY ask for",
    ("policy", "title"): "a policy's title",
    ("policy", "documents"): "a policy's link to a document",
    ("page", "title"): "the guide's title",
}


def test_every_field_that_only_text_shows_has_a_case_that_patches_it():
    declared = {(kind, name) for kind, names in [("notice", NOTICE_TEXT_FIELDS), ("policy", POLICY_TEXT_FIELDS),
                                                 ("breach", BREACH_TEXT_FIELDS), ("page", PAGE_TEXT_FIELDS)]
                for name in names}
    assert set(TEXT_FIELD_CASES) == declared
    patched = {what for what, _, _, text_only in EDITS if text_only}
    assert set(TEXT_FIELD_CASES.values()) <= patched


@pytest.mark.slow
@pytest.mark.parametrize("what, change, changed, text_only", EDITS, ids=[edit[0] for edit in EDITS])
def test_after_a_save_the_preview_shows_what_a_build_from_scratch_shows(example, what, change, changed, text_only):
    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    assert not preview.errors
    assert_same_as_from_scratch(preview, example)  # every file rendered once, as a browser would ask for them
    change(example)
    preview.rebuild([str(example / path) for path in changed])
    assert not preview.errors, [error.format() for error in preview.errors]
    assert preview.last_model == ("patched" if text_only else "built"), "the save took the expected way"
    assert_same_as_from_scratch(preview, example)


@pytest.mark.slow
def test_a_field_that_the_law_asks_for_filled_in_rebuilds_the_lists(example):
    """Under Illinois law a notice without the operator's business address is incomplete: filling it in
    changes which list the notice is in, so the preview builds anew rather than patching the notice's text."""
    append(example / "site.yml", "jurisdiction: IL\n")
    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    assert not preview.errors
    edit(example / "contracts/nearpod.md", "vendor: Nearpod", "vendor: Nearpod\nvendor_address: 1 Main Street, "
         "Dallas, TX\nsubprocessors: [Amazon Web Services]")
    preview.rebuild([str(example / "contracts/nearpod.md")])
    assert not preview.errors, [error.format() for error in preview.errors]
    assert preview.last_model == "built"
    assert_same_as_from_scratch(preview, example)


def test_a_save_reads_that_file_again_and_no_other(example, monkeypatch):
    import noticeboard.load.content

    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    read = []
    real = noticeboard.load.content.read_record
    monkeypatch.setattr(noticeboard.load.content, "read_record", lambda path, report: read.append(path.name) or
                        real(path, report))
    append(example / "contracts/nearpod.md", "\nOne more sentence.\n")
    preview.rebuild([str(example / "contracts/nearpod.md")])
    assert read == ["nearpod.md"]
    assert b"One more sentence." in preview.file("contracts/nearpod/index.html")


def test_errors_come_back_each_rebuild_until_fixed_even_from_files_not_read_again(example):
    preview = Preview(example, BASE_URL, TODAY)
    edit(example / "contracts/nearpod.md", "student_data: []", "student_data: [grade_levl]")
    preview.rebuild()
    expected = [error.format() for error in preview.errors]
    assert len(expected) == 1 and "grade_levl" in expected[0] and "[NB104]" in expected[0]
    append(example / "contracts/catholic-charities.md", "\nAnother sentence.\n")
    preview.rebuild([str(example / "contracts/catholic-charities.md")])
    assert [error.format() for error in preview.errors] == expected, "the other file's error is still reported"
    edit(example / "contracts/nearpod.md", "student_data: [grade_levl]", "student_data: [grade_level]")
    preview.rebuild([str(example / "contracts/nearpod.md")])
    assert not preview.errors
    assert_same_as_from_scratch(preview, example)


def test_a_document_copied_in_later_clears_the_error_of_the_record_that_links_it(example):
    edit(example / "contracts/nearpod.md", "student_data: []",
         "student_data: []\ndocuments:\n  - title: Signed contract\n    file: nearpod.pdf")
    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    assert [error.code.code for error in preview.errors] == ["NB119"]
    document = example / "contracts/files/nearpod.pdf"
    document.parent.mkdir(exist_ok=True)
    document.write_bytes(pdf("signed"))
    preview.rebuild([str(document)])  # the watcher tells of the document, not of the record
    assert not preview.errors
    assert preview.file("contracts/files/nearpod.pdf") == pdf("signed")
    assert_same_as_from_scratch(preview, example)


def test_a_document_whose_folder_becomes_a_link_out_of_the_content_is_not_served(example, tmp_path):
    edit(example / "contracts/nearpod.md", "student_data: []",
         "student_data: []\ndocuments:\n  - title: Signed contract\n    file: nearpod.pdf")
    files = example / "contracts/files"
    files.mkdir(exist_ok=True)
    (files / "nearpod.pdf").write_bytes(pdf("signed"))
    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    assert preview.file("contracts/files/nearpod.pdf") == pdf("signed")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(files, elsewhere)
    (elsewhere / "nearpod.pdf").write_bytes(b"%PDF-1.7 the machine's own file")
    files.symlink_to(elsewhere, target_is_directory=True)
    assert preview.file("contracts/files/nearpod.pdf") is None  # before the watcher tells of it
    preview.rebuild([str(files)])
    assert "content/contracts/nearpod.md" in {error.path for error in preview.errors}
    assert {error.code.code for error in preview.errors} == {"NB119"}
    assert preview.file("contracts/files/nearpod.pdf") is None


def test_the_memo_knows_which_files_differ_from_what_it_read(example):
    """What the preview's audit finds when no event told of a change."""
    preview = Preview(example, BASE_URL, TODAY)
    preview.rebuild()
    assert preview.memo.stale() == []
    record = example / "contracts/nearpod.md"
    append(record, "\nChanged behind the watcher's back.\n")
    assert preview.memo.stale() == [str(record)]
    preview.rebuild(preview.memo.stale())
    assert b"behind the watcher" in preview.file("contracts/nearpod/index.html")
    assert preview.memo.stale() == []


def test_a_new_day_checks_the_dates_again(example):
    """What a file gave does not depend on the date; the checks against it (a contract signed in the
    future) run again on a new day."""
    edit(example / "contracts/nearpod.md", "contract_date: 2022-08-21", "contract_date: 2026-11-30")
    days = iter([date(2026, 11, 29), date(2026, 11, 30)])
    preview = Preview(example, BASE_URL)
    preview.today = next(days)
    preview.rebuild()
    assert [error.code.code for error in preview.errors] == ["NB107"]
    preview.today = next(days)
    preview.rebuild([])
    assert not preview.errors


def test_vendor_spellings_kept_up_to_date_find_what_a_fresh_comparison_finds():
    rng = random.Random(7)
    words = ["Acme Learning", "Acme Lerning", "Bright Path", "Brightpath", "IXL", "IXL Learning", "Nearpod",
             "Near Pod", "Kahoot", "Kahoot!", "Zearn", "Zern", "Clever", "Clevr", "Newsela", "Quizlet"]
    spellings = VendorSpellings()
    for _ in range(200):
        names = rng.sample(words, rng.randrange(0, len(words)))
        assert spellings.similar_pairs(names) == VendorSpellings().similar_pairs(names), names


def test_a_saved_site_template_or_static_file_shows_at_the_next_reload(example):
    """The preview watches the site's own templates/ and static/ beside the content, and shows what is saved
    there, or its error over the last good pages."""
    site = example.parent
    preview = Preview(example, BASE_URL, TODAY)
    assert {site / "templates", site / "static"} <= set(preview.theme.folders()), "what serve's watcher watches"
    preview.rebuild()
    assert b"Nothing here" not in preview.file("404.html")
    template = site / "templates" / "404.html"
    template.parent.mkdir()
    template.write_text('{% extends "builtin/404.html" %}\n{% block main %}<h1>Nothing here</h1>{% endblock %}\n',
                        encoding="utf-8")
    preview.rebuild([str(template)])
    assert not preview.errors
    assert b"<h1>Nothing here</h1>" in preview.file("404.html") and b"<h1>Nothing here</h1>" in preview.file(
        "es/404.html")
    good = preview.file("404.html")

    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "crest.png").write_bytes(b"a crest")
    (site / "static" / "style.css").write_text("body { color: #111111; }\n", encoding="utf-8")
    preview.rebuild([str(site / "static" / "images" / "crest.png"), str(site / "static" / "style.css")])
    assert not preview.errors
    assert preview.file("images/crest.png") == b"a crest"
    assert without_print_dates(preview.file("style.css")) == b"body { color: #111111; }\n"

    template.write_text('{% extends "builtin/404.html" %}\n{% block main %}{{ oops }{% endblock %}\n', encoding="utf-8")
    (site / "static" / "index.html").write_text("<p>Not the home page.</p>\n", encoding="utf-8")
    preview.rebuild([str(template), str(site / "static" / "index.html")])
    assert [error.format() for error in preview.errors] == [
        "static/index.html:1: error: file: would replace index.html, which the site makes itself; to change that "
        "page, put your own home.html in templates/ [NB504]",
        "templates/404.html:2: error: template: unexpected '}' [NB501]"]
    assert preview.file("404.html") == good, "the last good preview stays"
