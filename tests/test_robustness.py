"""What staff type can never crash a run: every defect ends in an error line, the same in
``check`` and ``build``, and nothing is published (issue 6)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import TODAY, build, diagnose, pdf, run
from noticeboard import codes

C = "content/contracts/beta.md"
DIAGNOSTIC = re.compile(r"^[^\n]+:\d+: (error|warning|note): .* \[NB\d{3}\]$")

BETA = """\
vendor: Beta Reading
contract_date: 2025-03-03
posted: 2025-03-04
student_data: [student_name]
"""


def check():
    return run("check", "--today", TODAY)


def errors(result) -> list[str]:
    return [line for line in result.lines if re.match(r"^\S.*:\d+: error: ", line)]


def assert_refused(content, path: str, line: int, field: str, code, *words: str) -> str:
    """``check`` and ``build`` both report the error (whose message names ``words``) and the
    same others, and the build publishes nothing; returns the message."""
    checked, built = diagnose("check"), diagnose("build")
    assert (path, line, field, code) in checked.errors, f"expected {(path, line, field, code)} among:\n{checked}"
    assert built.errors == checked.errors
    assert not (content.root.parent / "site").exists()
    message = checked.message(path, line, field, code)
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def beta(content, front_matter: str = BETA, body: str = "Phonics practice for grade 1.") -> None:
    content.contract("beta", front_matter, body)


# --- 1. control characters typed or pasted into a file ------------------------------------

@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\u2028"],
                         ids=["vertical-tab", "form-feed", "escape", "delete", "c1-80", "next-line", "c1-9f",
                              "line-separator"])
def test_a_control_character_is_reported_and_the_other_files_are_still_read(content, character):
    beta(content, BETA.replace("Beta Reading", f"Beta{character}Reading"))
    content.contract("gamma", "vendor: Gamma\ncontract_date: 2025-02-30\nstudent_data: []\n")
    message = assert_refused(content, C, 2, "character", codes.CONTROL_CHARACTER, f"U+{ord(character):04X}")
    assert "yaml" not in message.lower()
    assert ("content/contracts/gamma.md", 3, "contract_date", codes.INVALID_DATE) in diagnose().errors


def test_a_control_character_in_the_body_or_a_settings_file_names_its_line(content):
    beta(content, body="Phonics practice\nfor grade\x1b 1.")
    content.write("data-elements.yml", "student_name:\n  label: Student\x0bname\n  category: Name\n"
                                       "  description: The name.\n")
    assert_refused(content, C, 8, "character", codes.CONTROL_CHARACTER, "U+001B")
    found = diagnose()
    assert ("content/data-elements.yml", 2, "character", codes.CONTROL_CHARACTER) in found.errors
    assert "U+000B" in found.message("content/data-elements.yml", 2, "character", codes.CONTROL_CHARACTER)


# --- 2. what build cannot publish, check reports -------------------------------------------

@pytest.mark.parametrize("escape", ["\\uD800", "\\x1b", "\\0", "\\x85", "\\e"])
def test_forbidden_characters_written_as_yaml_escapes_are_refused(content, escape):
    beta(content, BETA.replace("vendor: Beta Reading", f'vendor: "S {escape}"'))
    assert_refused(content, C, 2, "vendor", codes.ESCAPED_CONTROL_CHARACTER)


def test_an_escape_inside_a_list_names_the_item(content):
    beta(content, BETA + 'schools:\n  - State Street\n  - "Wilby\\x07"\n')
    assert_refused(content, C, 8, "schools[2]", codes.ESCAPED_CONTROL_CHARACTER, "U+0007")


def test_a_name_too_long_for_a_page_address_is_reported(content):
    beta(content, BETA.replace("Beta Reading", "Beta " + "Reading " * 40))
    assert_refused(content, C, 2, "vendor", codes.BAD_NAME, "200")


def test_a_name_of_200_characters_is_published(content):
    name = ("Beta Reading Company of Connecticut " * 6)[:200].strip()
    beta(content, BETA.replace("Beta Reading", name))
    assert build().code == 0
    vendors = BeautifulSoup((content.root.parent / "site/vendors/index.html").read_text(encoding="utf-8"),
                            "html5lib")
    assert vendors.find("a", string=name)


def nested_list(depth: int) -> str:
    return "\n".join("    " * level + "- item" for level in range(depth))


@pytest.mark.slow
@pytest.mark.parametrize("where", ["body", "student_data_notes"])
def test_markdown_nested_too_deep_is_reported(content, where):
    if where == "body":
        beta(content, body=nested_list(300))
        line = 7
    else:
        notes = "\n".join("  " + row for row in nested_list(300).split("\n"))
        beta(content, BETA + "student_data_notes: |\n" + notes + "\n")
        line = 6
    assert_refused(content, C, line, where, codes.MARKDOWN_TOO_DEEP)


@pytest.mark.slow
def test_markdown_too_deep_leaves_the_next_build_rendering_markdown(content):
    """``serve`` rebuilds in one process: a refused text must not spoil the conversions after it."""
    beta(content, body=nested_list(300))
    assert check().code == 1 and build().code == 1
    beta(content, body="Phonics *practice*, see [the list](/contracts/).[^1]\n\n[^1]: For grade 1.")
    assert build().code == 0
    page = BeautifulSoup((content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8"),
                         "html5lib")
    assert page.find("em", string="practice")
    assert page.find("a", string="the list")["href"] == "../index.html"
    assert "For grade 1." in page.select_one(".footnote").get_text()


@pytest.mark.slow
def test_markdown_too_deep_never_spoils_the_conversions_after_it():
    """Where the recursion stops depends on the stack: try the refused text at many depths."""
    from noticeboard.load.markdown_text import MarkdownTooDeep, markdown_to_html

    def at_depth(depth: int, call):
        return call() if depth == 0 else at_depth(depth - 1, call)

    for depth in range(0, 100, 5):
        with pytest.raises(MarkdownTooDeep):
            at_depth(depth, lambda: markdown_to_html(nested_list(300)))
        assert markdown_to_html(f"Read *first* {depth}") == f"<p>Read <em>first</em> {depth}</p>"


@pytest.mark.parametrize("where", ["list", "quote"])
def test_the_nesting_limit_is_the_same_whatever_python_markdown_does_with_deeper_text(where):
    """Some versions of Python-Markdown run out of stack on deep nesting, others convert it: the limit is ours."""
    from noticeboard.load.markdown_text import MAX_NESTING, MarkdownTooDeep, markdown_to_html

    def text(depth: int) -> str:
        return nested_list(depth) if where == "list" else "> " * depth + "quoted"

    assert markdown_to_html(text(MAX_NESTING))
    with pytest.raises(MarkdownTooDeep):
        markdown_to_html(text(MAX_NESTING + 1))


def test_markdown_nested_a_little_is_published(content):
    beta(content, body=nested_list(6))
    assert build().code == 0
    page = BeautifulSoup((content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8"),
                         "html5lib")
    assert len(page.select(".prose ul ul ul ul ul ul li")) == 1


def test_character_references_to_control_characters_never_reach_a_page(content):
    beta(content, body="Phonics &#27;practice&#x7; for grade&#0; 1 &#x85;&#xD800;.")
    assert build().code == 0
    site = content.root.parent / "site"
    for path in (site / "contracts/beta/index.html", site / "feed.xml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), path
    assert "Phonics practice for grade" in (site / "contracts/beta/index.html").read_text(encoding="utf-8")


# --- 3. symbolic links ---------------------------------------------------------------------

def test_a_record_linked_from_outside_content_is_refused_by_its_own_name(content, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\n" + BETA + "---\nFrom outside.\n", encoding="utf-8")
    (content.root / "contracts" / "beta.md").symlink_to(outside)
    assert_refused(content, C, 1, "file", codes.BAD_LINK, "outside")


def test_a_record_linked_within_content_is_read(content):
    content.write("drafts/beta.md", "---\n" + BETA + "---\nLinked.\n")
    (content.root / "contracts" / "beta.md").symlink_to(content.root / "drafts" / "beta.md")
    assert build().code == 0
    assert "Linked." in (content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("relative, shown", [
    ("contracts/beta.md", C),
    ("site.yml", "content/site.yml"),
], ids=["record", "site.yml"])
def test_a_link_that_loops_is_an_error_not_a_crash(content, relative, shown):
    path = content.root / relative
    if path.exists():
        path.unlink()
    loop = content.root / "loop"
    loop.symlink_to(path)
    path.symlink_to(loop)
    assert_refused(content, shown, 1, "file", codes.BAD_LINK, "leads nowhere")


def test_a_document_link_that_loops_is_an_error_not_a_crash(content):
    files = content.root / "contracts" / "files"
    files.mkdir()
    (files / "a.pdf").symlink_to(files / "b.pdf")
    (files / "b.pdf").symlink_to(files / "a.pdf")
    beta(content, BETA + "documents:\n  - title: Signed\n    file: a.pdf\n")
    assert_refused(content, C, 8, "documents[1].file", codes.DOCUMENT_NOT_FOUND, "leads nowhere")


@pytest.mark.parametrize("kind, record, shown, line, field", [
    ("contracts", "contracts/beta.md", C, 8, "documents[1].file"),
    ("policies", "policies/5125.md", "content/policies/5125.md", 7, "documents[1].file"),
], ids=["contracts", "policies"])
def test_a_files_folder_that_is_a_link_out_of_content_publishes_nothing_of_it(content, tmp_path, kind, record, shown,
                                                                               line, field):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.pdf").write_bytes(pdf("Not the district's to publish."))
    (content.root / kind).mkdir(exist_ok=True)
    (content.root / kind / "files").symlink_to(elsewhere, target_is_directory=True)
    document = "documents:\n  - title: Signed\n    file: secret.pdf\n"
    if kind == "contracts":
        beta(content, BETA + document)
    else:
        content.write(record, '---\nnumber: "5125"\ntitle: Student records\nseries: "5000"\n' + document
                      + "---\nText.\n")
    message = assert_refused(content, shown, line, field, codes.DOCUMENT_NOT_FOUND, "outside content/",
                             f"content/{kind}/files is a link")
    assert str(elsewhere) in message


def test_a_files_folder_linked_within_content_is_read(content):
    shared = content.root / "shared"
    shared.mkdir()
    (shared / "signed.pdf").write_bytes(pdf())
    (content.root / "contracts" / "files").symlink_to(shared, target_is_directory=True)
    beta(content, BETA + "documents:\n  - title: Signed\n    file: signed.pdf\n")
    assert build().code == 0
    assert (content.root.parent / "site/contracts/files/signed.pdf").read_bytes() == (shared / "signed.pdf").read_bytes()


def test_a_records_folder_that_is_a_link_out_of_content_is_refused(content, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "beta.md").write_text("---\n" + BETA + "---\nFrom outside.\n", encoding="utf-8")
    shutil.rmtree(content.root / "contracts")
    (content.root / "contracts").symlink_to(elsewhere, target_is_directory=True)
    assert_refused(content, C, 1, "file", codes.BAD_LINK, "outside")


@pytest.mark.parametrize("relative", ["contracts/beta..md", "contracts/beta.es..md", "contracts/beta..es.md",
                                      "breaches/beta..md", "pages/about..md"])
def test_a_file_name_with_an_empty_part_between_dots_is_an_error_on_that_file(content, relative):
    beta(content)
    content.write(relative, "---\n" + BETA + "---\nA second text that no page would show.\n")
    shown = f"content/{relative}"
    message = assert_refused(content, shown, 1, "file name", codes.FILE_NAME_NOT_SLUG, relative.split("/")[1])
    assert "<slug>.md" in message
    assert [error[0] for error in diagnose("check").errors] == [shown]


# --- 6. one diagnostic, one line -----------------------------------------------------------

def test_a_value_with_line_breaks_cannot_start_a_line_of_its_own(content, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    beta(content, BETA + 'kind: "x\\n::stop-commands::pwned\\r\\n::error file=README.md,line=1::fake"\n')
    result = check()
    assert result.code == 1
    for line in result.err.splitlines():
        assert line.startswith(("content/", "::error file=content/", "::warning file=content/")) \
            or re.match(r"^\d+ notices? ", line), line
    assert not any(line.startswith("::stop-commands") for line in result.err.splitlines())
    assert "\\n::stop-commands::pwned" in result.err


# --- 7. only documents that are safe to serve ----------------------------------------------

@pytest.mark.parametrize("name", ["evil.html", "logo.svg", "page.htm", "script.js", "photo.png", "contract"])
def test_a_document_that_could_run_scripts_on_the_site_is_refused(content, name):
    content.write(f"contracts/files/{name}", b"<script>alert(1)</script>")
    beta(content, BETA + f"documents:\n  - title: Signed\n    file: {name}\n")
    assert_refused(content, C, 8, "documents[1].file", codes.DOCUMENT_TYPE)


def test_a_web_page_named_pdf_is_refused(content):
    content.write("contracts/files/signed.pdf", b"<html><script>alert(1)</script></html>")
    beta(content, BETA + "documents:\n  - title: Signed\n    file: signed.pdf\n")
    assert_refused(content, C, 8, "documents[1].file", codes.DOCUMENT_NOT_ITS_TYPE)


def test_office_documents_are_published(content):
    content.write("contracts/files/signed.docx", b"PK\x03\x04 a word document")
    beta(content, BETA + "documents:\n  - title: Signed\n    file: signed.docx\n")
    assert build().code == 0
    assert (content.root.parent / "site/contracts/files/signed.docx").read_bytes() == b"PK\x03\x04 a word document"


# --- 8. new writes YAML that reads back as typed -------------------------------------------

@pytest.mark.parametrize("vendor", ["Acme: Learning", "#1 Tutors", "NO", "&anchor Co", "*star", "- Dash",
                                    "It's \"quoted\"", "0x1F", "Ñandú Educación", "[Bracket]", "{Brace}", "% Percent"])
def test_new_quotes_the_vendor_so_that_check_reads_it_back(content, vendor):
    result = run("new", "contract", "delta", "--vendor", vendor, "--today", TODAY)
    assert result.code == 0, result.err
    text = (content.root / "contracts" / "delta.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---")[1])["vendor"] == vendor
    checked = check()
    assert checked.code == 0 and not errors(checked), checked.err
    assert diagnose().errors == []


@pytest.mark.parametrize("vendor", ["Two\nlines", "   ", "Bell\x07"])
def test_new_refuses_a_vendor_that_is_not_one_line_of_text(content, vendor):
    result = run("new", "contract", "delta", "--vendor", vendor, "--today", TODAY)
    assert result.code == 2
    assert "--vendor" in result.err and "Traceback" not in result.err
    assert not (content.root / "contracts" / "delta.md").exists()


def test_new_quotes_a_policy_title(content):
    assert run("new", "policy", "5125", "--title", "Records: Access & Privacy", "--today", TODAY).code == 0
    text = (content.root / "policies" / "5125.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---")[1])["title"] == "Records: Access & Privacy"


# --- 9. YAML 1.1 never rewrites what staff typed -------------------------------------------

def test_text_that_yaml_1_1_reads_as_numbers_or_booleans_is_kept_as_typed(content):
    beta(content, BETA.replace("vendor: Beta Reading", "vendor: NO")
         + "title: 0x1F\ngrades: 010\nschools: [6:30, 1_000, yes, off]\n")
    assert build().code == 0
    page = BeautifulSoup((content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8"),
                         "html5lib")
    text = page.get_text(" ")
    assert page.find("h1").get_text(strip=True) == "0x1F"
    for typed in ("NO", "010", "6:30", "1_000", "yes", "off"):
        assert re.search(rf"(^|\s){re.escape(typed)}(\s|$|,)", text), typed


def test_a_policy_number_with_a_leading_zero_is_kept(content):
    content.write("policies/0100.md", "---\nnumber: 0100\ntitle: Philosophy\nseries: \"5000\"\n---\nText.\n")
    assert build().code == 0
    assert (content.root.parent / "site/policies/0100/index.html").is_file()


@pytest.mark.parametrize("typed", ["yes", "on", "1", "'true'"])
def test_a_flag_must_be_true_or_false(content, typed):
    beta(content, BETA + f"incomplete: {typed}\n")
    assert_refused(content, C, 6, "incomplete", codes.WRONG_TYPE)


# --- 12. every document entry is checked on its own ----------------------------------------

def test_one_bad_document_entry_hides_nothing_about_the_others(content):
    beta(content, BETA + "documents:\n"
                         "  - file: first.pdf\n"             # line 7: no title
                         "  - title: Second\n"               # line 8
                         "    file: second.pdf\n"            # line 9: missing
                         "  - title: Third\n"                # line 10
                         "    url: https://exa mple.org/\n")  # line 11: a space
    found = diagnose()
    assert found.errors == [(C, 7, "documents[1].title", codes.MISSING_FIELD),
                            (C, 9, "documents[2].file", codes.DOCUMENT_NOT_FOUND),
                            (C, 11, "documents[3].url", codes.BAD_WEB_ADDRESS)]
    assert "space" in found.message(*found.errors[2])


# --- 13. addresses and settings ------------------------------------------------------------

@pytest.mark.parametrize("base_url, words", [
    ("https://notices example.org/", ("space",)),
    ("https://notices.district.test/\"onmouseover=\"x", ('\'"\'',)),
    ("https://notices.district.test/?page=1", ("query",)),
    ("https://notices.district.test/#top", ("fragment",)),
    ("https://user:secret@notices.district.test/", ("user name",)),
    ("https://notices.district.test:99999/", ("port",)),
    ("ftp://notices.district.test/", ("https://",)),
])
def test_base_url_must_be_a_plain_site_address(content, base_url, words):
    site_yml = (content.root / "site.yml").read_text(encoding="utf-8")
    content.write("site.yml", site_yml.replace("https://notices.district.test/", yaml.safe_dump(base_url).split("\n")[0]))
    assert_refused(content, "content/site.yml", 3, "base_url", codes.BAD_WEB_ADDRESS, *words)
    result = build("--base-url", base_url)
    assert result.code == 2 and "--base-url" in result.err and "Traceback" not in result.err


def test_a_document_url_may_have_a_query(content):
    beta(content, BETA + "documents:\n  - title: Signed\n    url: https://drive.example.org/file?id=12#page=2\n")
    assert build().code == 0


def test_a_language_listed_twice_is_an_error(content):
    site_yml = (content.root / "site.yml").read_text(encoding="utf-8")
    content.write("site.yml", site_yml.replace("languages: [en, es]", "languages: [en, es, es]"))
    assert_refused(content, "content/site.yml", 6, "languages", codes.LISTED_TWICE, "es is listed")


@pytest.mark.parametrize("typed", ["true", "'5'", "5.5"])
def test_the_deadline_must_be_a_whole_number(content, typed):
    site_yml = (content.root / "site.yml").read_text(encoding="utf-8")
    content.write("site.yml", site_yml + f"notice_deadline_business_days: {typed}\n")
    assert_refused(content, "content/site.yml", 7, "notice_deadline_business_days", codes.WRONG_TYPE)


# --- 16. odd YAML, hidden files ------------------------------------------------------------

@pytest.mark.parametrize("value, tag", [("!!set {b, a, c}", "!!set"), ("!!binary aGVsbG8=", "!!binary"),
                                        ("!!omap [a: 1]", "!!omap"), ("!!float 5", "!!float")])
def test_yaml_tags_are_refused_with_a_message_that_never_varies(content, value, tag):
    beta(content, BETA + f"grades: {value}\n")
    assert_refused(content, C, 6, "grades", codes.YAML_TAG, tag)
    assert [line for line in errors(check()) if line.startswith(C)] == [  # as staff see it
        f"{C}:6: error: grades: the YAML tag {tag} is not allowed; write plain text, lists and 'name: value' "
        "fields [NB010]"]


def test_a_hidden_record_is_reported_not_silently_skipped(content):
    content.write("contracts/.beta.md", "---\n" + BETA + "---\nHidden.\n")
    content.write("contracts/.#acme-learning.md", "an editor's lock file")
    found = diagnose()
    assert ("content/contracts/.beta.md", 1, "file", codes.HIDDEN_FILE) in found.warnings
    assert not [one for one in found.all if ".#acme-learning.md" in one[0]]


def test_yaml_merge_keys_are_unknown_fields(content):
    beta(content, BETA + "<<: {title: Merged}\n")
    assert_refused(content, C, 6, "<<", codes.UNKNOWN_FIELD)


# --- the site allows only its own resources ------------------------------------------------

def test_every_page_carries_a_content_security_policy_that_the_deployment_notes_repeat(content):
    assert build().code == 0
    site = content.root.parent / "site"
    policies = set()
    for page in site.rglob("*.html"):
        meta = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib").find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        policies.add(meta["content"])
    assert len(policies) == 1
    policy = policies.pop()
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert all("http" not in sources and "*" not in sources for sources in directives.values())
    notes = (Path(__file__).resolve().parents[1] / "docs" / "operators" / "deployment.md").read_text(encoding="utf-8")
    assert policy in notes, "the deployment notes give the same policy as a header"


def test_diagnostics_are_one_line_each(content):
    beta(content, BETA.replace("posted: 2025-03-04", 'posted: "2025-03-04\\n2025-03-05"'))
    result = check()
    assert result.code == 1
    for line in result.err.splitlines():
        assert DIAGNOSTIC.match(line) or re.match(r"^\d+ notices? ", line), line
    assert os.linesep not in errors(result)[0]


def test_a_folder_that_cannot_be_listed_is_a_fault_of_the_machine(content, monkeypatch):
    listing = os.scandir

    def refuse_contracts(folder="."):
        if os.path.basename(folder) == "contracts":
            raise PermissionError(13, "Permission denied", str(folder))
        return listing(folder)

    monkeypatch.setattr(os, "scandir", refuse_contracts)
    result = check()
    assert result.code == 3
    assert result.err == "python build.py: error: content/contracts: Permission denied\n"


def test_a_name_whose_letters_expand_still_gets_a_page(content):
    """NFKD spells ㎯ as rad∕s2: 200 of them would make a file name of 1,000 bytes."""
    name = "\u33af" * 200
    beta(content, BETA.replace("Beta Reading", name))
    assert build().code == 0
    vendor_pages = list((content.root.parent / "site/vendors").iterdir())
    assert all(len(page.name.encode()) <= 255 for page in vendor_pages)
    assert any(name in (page / "index.html").read_text(encoding="utf-8") for page in vendor_pages if page.is_dir())


@pytest.mark.parametrize("name, slug", [("Ørsted Learning", "orsted-learning"), ("Æon Tutors", "aeon-tutors"),
                                        ("Łódź Reading", "lodz-reading"), ("Straße Math", "strasse-math")])
def test_letters_without_accents_to_drop_keep_their_place_in_page_addresses(content, name, slug):
    beta(content, BETA.replace("Beta Reading", name))
    content.contract("gamma", "vendor: On Tutors\ncontract_date: 2025-02-03\nstudent_data: []\n")
    assert build().code == 0
    page = content.root.parent / "site" / "vendors" / slug / "index.html"
    assert name in page.read_text(encoding="utf-8")
    assert (content.root.parent / "site/vendors/on-tutors/index.html").is_file(), "a different vendor"
    index = BeautifulSoup((content.root.parent / "site/vendors/index.html").read_text(encoding="utf-8"), "html5lib")
    assert index.find("a", string=name).find_previous("h2").get_text(strip=True) == slug[0].upper()
