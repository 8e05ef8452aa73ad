"""Bad bytes on disk: never a traceback, always an error line or a correct build."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import REPO, TODAY, build, diagnose, run
from noticeboard import codes
from noticeboard.diagnostics import Report
from noticeboard.load.reader import BODY, read_record

C = "content/contracts/beta.md"

VALID = (
    "---\n"
    "vendor: Beta Reading\n"
    "contract_date: 2025-03-03\n"
    "posted: 2025-03-04\n"
    "student_data: [student_name]\n"
    "---\n"
    "Phonics practice for grade 1.\n"
)


def check():
    return run("check", "--today", TODAY)


def assert_one_error(command: str, line: int, field: str, code, *words: str, path: str = C) -> str:
    """``command`` reports this one error and no other; ``words`` are what its message must name."""
    found = diagnose(command)
    assert found.errors == [(path, line, field, code)], found
    message = found.message(path, line, field, code)
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def notice_page(content, slug: str = "beta") -> str:
    return (content.root.parent / "site" / "contracts" / slug / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "build"])
def test_yaml_syntax_error_names_its_line(content, command):
    content.write("contracts/beta.md",
                  "---\n"
                  "vendor: Beta Reading\n"
                  "contract_date: 2025-03-03\n"
                  "student_data: [student_name]\n"
                  "title: Reading: grade 1\n"     # line 5: a second ': ' in a plain value
                  "---\n"
                  "Text.\n")
    assert_one_error(command, 5, "front matter", codes.YAML_SYNTAX)


def test_unclosed_flow_list_is_an_error(content):
    content.write("contracts/beta.md",
                  "---\nvendor: Beta Reading\nstudent_data: [student_name, grade_level\ncontract_date: 2025-03-03\n---\nText.\n")
    [error] = diagnose().errors
    assert error[0] == C and error[1] in (3, 4, 5) and error[2:] == ("front matter", codes.YAML_SYNTAX)


@pytest.mark.parametrize("command", ["check", "build"])
def test_bytes_that_are_not_utf8_name_their_line(content, command):
    latin1 = VALID.replace("Beta Reading", "Beta Lecture").replace(
        "Phonics practice", "Caf\u00e9 practice").encode("latin-1")
    content.write("contracts/beta.md", latin1)
    # "Café" is on line 7, the first line of the body
    assert_one_error(command, 7, "encoding", codes.NOT_UTF8, "0xe9")


def test_utf8_byte_order_mark_builds(content):
    content.write("contracts/beta.md", b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    result = build()
    assert result.code == 0, result.err
    page = notice_page(content)
    assert "Beta Reading" in page
    assert "Phonics practice for grade 1." in page
    assert "\ufeff" not in page


def test_crlf_line_endings_build(content):
    content.write("contracts/beta.md", VALID.replace("\n", "\r\n").encode("utf-8"))
    result = build()
    assert result.code == 0, result.err
    page = notice_page(content)
    assert "Phonics practice for grade 1." in page
    assert "\r" not in page
    assert 'datetime="2025-03-03"' in page


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_numbers_are_right_in_a_crlf_file(content, newline):
    text = VALID.replace("posted: 2025-03-04", "posted: 2025-03-01")  # line 4, before contract_date
    content.write("contracts/beta.md", text.replace("\n", newline).encode("utf-8"))
    assert_one_error("check", 4, "posted", codes.DATES_OUT_OF_ORDER)


def test_missing_closing_fence(content):
    content.write("contracts/beta.md", VALID.replace("---\nPhonics", "Phonics"))
    assert_one_error("check", 1, "front matter", codes.UNCLOSED_FRONT_MATTER)


def test_file_not_starting_with_a_fence(content):
    content.write("contracts/beta.md", VALID[len("---\n"):])
    assert_one_error("check", 1, "front matter", codes.NO_FRONT_MATTER)


def test_blank_line_before_the_opening_fence(content):
    content.write("contracts/beta.md", "\n" + VALID)
    assert_one_error("check", 1, "front matter", codes.NO_FRONT_MATTER)


def test_front_matter_that_is_a_list(content):
    content.write("contracts/beta.md", "---\n- vendor: Beta Reading\n- contract_date: 2025-03-03\n---\nText.\n")
    assert_one_error("check", 2, "front matter", codes.WRONG_STRUCTURE)


@pytest.mark.parametrize("scalar", ["just some text", "42"])
def test_front_matter_that_is_a_scalar(content, scalar):
    content.write("contracts/beta.md", f"---\n{scalar}\n---\nText.\n")
    assert [error[0] for error in diagnose().errors] == [C]
    result = check()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.startswith(f"{C}:"), result.err


def test_empty_front_matter_reports_the_required_fields(content):
    content.write("contracts/beta.md", "---\n---\nText.\n")
    assert diagnose().errors == [(C, 1, "vendor", codes.MISSING_FIELD)]
    result = check()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{C}:1: error: vendor: is required but missing [NB102]" in result.lines


def test_alias_bomb_is_refused_quickly(content):
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines += ["vendor: Beta Reading", "---", "Text."]
    content.write("contracts/beta.md", "\n".join(lines) + "\n")
    started = time.monotonic()
    result = check()
    assert time.monotonic() - started < 5
    assert result.code == 1
    # the first alias is on line 3
    assert_one_error("check", 3, "front matter", codes.YAML_ALIAS)


def test_ten_megabyte_file_is_refused_quickly(content):
    content.write("contracts/beta.md", VALID + ("All work and no play. " * 50 + "\n") * 9_200)
    assert (content.root / "contracts/beta.md").stat().st_size > 10_000_000
    started = time.monotonic()
    result = build()
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert_one_error("build", 1, "file", codes.FILE_TOO_LARGE, "MB")
    assert not (content.root.parent / "site").exists()


def test_python_tags_are_refused_and_never_run(content, tmp_path):
    marker = tmp_path / "pwned"
    content.write("contracts/beta.md",
                  "---\n"
                  "vendor: Beta Reading\n"
                  f"title: !!python/object/apply:os.system [\"touch {marker}\"]\n"
                  "contract_date: 2025-03-03\n"
                  "student_data: []\n"
                  "---\nText.\n")
    result = build()
    assert result.code == 1
    assert not marker.exists()
    assert_one_error("build", 3, "title", codes.YAML_TAG, "python/object")
    assert not marker.exists()


@pytest.mark.parametrize("written, number", [
    ("5125", "5125"),
    ('"5125"', "5125"),
    ("6141.321", "6141.321"),
    ("6141.30", "6141.30"),   # a float would lose its zero
    ("6141.10", "6141.10"),
])
def test_unquoted_policy_numbers_stay_text(content, written, number):
    content.write(f"policies/{number}.md", f"---\nnumber: {written}\ntitle: A policy\n---\nPolicy text.\n")
    result = build()
    assert result.code == 0, result.err
    page = content.root.parent / "site" / "policies" / number / "index.html"
    assert page.is_file()
    assert number in page.read_text(encoding="utf-8")


def test_unquoted_related_numbers_stay_text(content):
    content.write("policies/5125.md", "---\nnumber: 5125\ntitle: Records\nrelated: [6141.30]\n---\nText.\n")
    content.write("policies/6141.30.md", "---\nnumber: 6141.30\ntitle: Internet\nrelated: [5125]\n---\nText.\n")
    result = check()
    assert result.code == 0, result.err
    assert diagnose().errors == []


def test_several_broken_files_are_all_reported(content):
    content.write("contracts/one.md", b"\xff\xfe---\n")
    content.write("contracts/two.md", "no fences at all\n")
    content.write("contracts/three.md", "---\nvendor: [unclosed\n---\nText.\n")
    assert diagnose("build").errors == [
        ("content/contracts/one.md", 1, "encoding", codes.NOT_UTF8),
        ("content/contracts/three.md", 2, "front matter", codes.YAML_SYNTAX),
        ("content/contracts/two.md", 1, "front matter", codes.NO_FRONT_MATTER),
    ]
    result = build()
    assert result.code == 1
    assert "Traceback" not in result.err


# --- read_record directly ---------------------------------------------------------------

def test_read_record_maps_each_field_to_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "content" / "contracts" / "beta.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\n"                                   # 1
        "\n"                                      # 2  blank lines must not shift the numbers
        "# a comment\n"                           # 3
        "vendor: Beta Reading\n"                  # 4
        "student_data:\n"                         # 5
        "  - student_name\n"                      # 6
        "  - grade_level\n"                       # 7
        "documents:\n"                            # 8
        "  - title: Contract\n"                   # 9
        "    file: beta.pdf\n"                    # 10
        "  - title: Policy\n"                     # 11
        "    url: https://example.com/\n"         # 12
        "---\n"                                   # 13
        "\n"                                      # 14
        "The description.\n",                     # 15
        encoding="utf-8")
    report = Report()
    source = read_record(path, report)
    assert report.diagnostics == []
    assert source.path == "content/contracts/beta.md"
    assert source.data["vendor"] == "Beta Reading"
    assert source.line(("vendor",)) == 4
    assert source.line(("student_data",)) == 5
    assert source.line(("student_data", 1)) == 7
    assert source.line(("documents", 0, "file")) == 10
    assert source.line(("documents", 1, "url")) == 12
    assert source.line(("documents", 1)) == 11
    # a key that is not there falls back to its nearest parent, then to line 1
    assert source.line(("documents", 1, "file")) == 11
    assert source.line(("contract_date",)) == 1
    assert source.body == "The description."
    assert source.body_line == 14
    # where a diagnostic about a place of the record goes: (line, field), derived from one location
    assert source.place(("documents", 1, "url")) == (12, "documents[2].url")
    assert source.place(("student_data",), entry=1) == (7, "student_data")  # an entry, under the list's name
    assert source.place(("contract_date",), missing=True) == (1, "contract_date")  # on the opening ---
    assert source.place(("documents", 1, "title"), missing=True) == (11, "documents[2].title")  # on its item
    assert source.place(BODY) == (14, "body")


def test_read_record_keeps_dates_as_text_and_reports_duplicates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "x.md"
    path.write_text("---\ncontract_date: 2025-02-30\nnumber: 6141.30\nvendor: A\nvendor: B\n---\nBody\n",
                    encoding="utf-8")
    report = Report()
    source = read_record(path, report)
    assert source.data["contract_date"] == "2025-02-30"
    assert source.data["number"] == "6141.30"
    assert [(d.path, d.line, d.field, d.code) for d in report.diagnostics] == [
        ("x.md", 5, "vendor", codes.DUPLICATE_KEY)]


def test_read_record_of_a_path_outside_the_working_directory(tmp_path, monkeypatch):
    elsewhere = tmp_path / "a"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    path = tmp_path / "b" / "x.md"
    path.parent.mkdir()
    path.write_text("no fence\n", encoding="utf-8")
    report = Report()
    assert read_record(path, report) is None
    [diagnostic] = report.diagnostics
    assert Path(diagnostic.path) == path
    assert diagnostic.line == 1


# --- libyaml and PyYAML read alike ------------------------------------------------------------

def _read_with(loader_class, text: str):
    import noticeboard.load.reader as reader

    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return None if node is None else (reader._line_map(node, 1), loader.construct_document(node))
    finally:
        loader.dispose()


def test_libyaml_reads_every_example_file_as_pyyaml_does():
    """The reader composes with libyaml (``_FastLoader``) for speed; PyYAML's own loader
    (``_ContentLoader``) is the reference: the same data, the same line for every key."""
    import noticeboard.load.reader as reader

    files = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "content").rglob("*.yml"))
    assert len(files) > 90
    for path in files:
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n") if path.suffix == ".md" else text
        assert _read_with(reader._FastLoader, front) == _read_with(reader._ContentLoader, front), path


@pytest.mark.parametrize("text, problem", [
    ("a: &x [1]\nb: *x\n", "YAML aliases (*x) are not allowed; write the value out"),
    ("vendor: [unclosed\n", "YAML syntax error"),
    ('vendor: "\\uD800"\n', None),
])
def test_texts_that_libyaml_refuses_or_aliases_are_read_by_pyyaml_with_its_messages(text, problem):
    import noticeboard.load.reader as reader
    from noticeboard.load.reader import parse_yaml

    fast, reference = Report(), Report()
    parse_yaml(text, "x.md", 2, fast)
    real = reader._FastLoader
    try:
        reader._FastLoader = reader._ContentLoader
        parse_yaml(text, "x.md", 2, reference)
    finally:
        reader._FastLoader = real
    assert fast.lines() == reference.lines() and fast.lines()
    if problem:
        assert problem in fast.lines()[0]
