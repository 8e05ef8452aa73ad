"""Every rule of content-format.md: the error line staff see, and exit status 1.

Each rule is checked through both ``check`` and ``build``: the same content must be
refused the same way by both commands, and a refused build must write nothing.

The files in the tables are written out in full so that the line numbers the tests
expect can be counted by eye: line 1 is the opening ``---``.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import pytest

from conftest import TODAY, run

COMMANDS = ["check", "build"]


def invoke(command: str, *extra: str):
    return run(command, "--today", TODAY, *extra)


def messages(result, path: str, line: int, field_: str, level: str = "error") -> list[str]:
    """The messages of every ``PATH:LINE: level: FIELD: message`` line of the run."""
    pattern = re.compile(rf"^{re.escape(path)}:{line}: {level}: {re.escape(field_)}: (.+)$")
    return [match.group(1) for text in result.lines if (match := pattern.match(text))]


def error_lines(result) -> list[str]:
    return [text for text in result.lines if re.match(r"^\S+:\d+: error: ", text)]


def assert_error(result, path: str, line: int, field_: str, *words: str) -> str:
    found = messages(result, path, line, field_)
    assert found, f"expected '{path}:{line}: error: {field_}: …' in stderr:\n{result.err}"
    message = found[0]
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    return message


def assert_clean_failure(result, command: str) -> None:
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    if command == "build":
        assert "failed" in result.err.lower()


@dataclass
class Case:
    id: str
    files: dict  # relative path under content/ → text (None removes the file)
    path: str
    line: int
    field: str
    words: tuple = ()
    not_words: tuple = ()
    errors: int | None = 1  # how many error lines the run gives in all (None: do not count)

    def apply(self, content) -> None:
        for relative, text in self.files.items():
            if text is None:
                content.remove(relative)
            else:
                content.write(relative, textwrap.dedent(text))


C = "content/contracts/beta.md"
P = "content/policies/5125.md"

CONTRACT_CASES = [
    Case("vendor missing", {"contracts/beta.md": """\
        ---
        contract_date: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, C, 1, "vendor", ("required",)),
    Case("contract_date missing", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        student_data: [student_name]
        ---
        A description.
        """}, C, 1, "contract_date", ("required", "YYYY-MM-DD")),
    Case("contract_date US format", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 1/21/2025
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", ("1/21/2025", "YYYY-MM-DD", "did you mean 2025-01-21")),
    Case("contract_date not a real day", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        student_data: [student_name]
        contract_date: 2025-02-30
        ---
        A description.
        """}, C, 4, "contract_date", ("2025-02-30", "not a real date")),
    Case("contract_date month and year only", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 04/2022
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", ("04/2022", "YYYY-MM-DD"), ("did you mean",)),
    Case("contract_date in the future", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2026-11-30
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", ("2026-11-30", "future", TODAY)),
    Case("posted before contract_date", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-01
        student_data: [student_name]
        ---
        A description.
        """}, C, 4, "posted", ("2025-03-01", "before", "2025-03-03")),
    Case("expires before contract_date", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        expires: 2024-06-30
        ---
        A description.
        """}, C, 6, "expires", ("2024-06-30", "before")),
    Case("kind not one of the three", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        kind: extension
        student_data: [student_name]
        ---
        A description.
        """}, C, 4, "kind", ("extension", "contract", "amendment", "renewal")),
    Case("amendment without amends", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        kind: amendment
        ---
        A description.
        """}, C, 5, "amends", ("required", "amendment")),
    Case("amends a missing slug, close to one", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: amendment
        amends: acme-lerning
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", ("acme-lerning", "did you mean 'acme-learning'")),
    Case("amends a missing slug, nothing close", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: renewal
        amends: zebra-transport
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", ("zebra-transport",), ("did you mean",)),
    Case("amends itself", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        kind: amendment
        student_data: [student_name]
        amends: beta
        ---
        A description.
        """}, C, 6, "amends", ("itself",)),
    Case("amends on a contract", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: contract
        amends: acme-learning
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", ("kind: amendment",)),
    Case("student_data missing", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        ---
        A description.
        """}, C, 1, "student_data", ("required", "[]")),
    Case("unknown data element", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data:
          - student_name
          - date_of_brith
          - grade_level
        ---
        A description.
        """}, C, 6, "student_data", ("date_of_brith", "did you mean 'date_of_birth'")),
    Case("unknown field", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_dat: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_dat", ("unknown", "did you mean 'contract_date'"), errors=None),
    Case("document file missing", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        documents:
          - title: Signed contract
            file: beta-signed.pdf
        ---
        A description.
        """}, C, 7, "documents[1].file", ("content/contracts/files/beta-signed.pdf", "does not exist")),
    Case("body empty", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        ---

        """}, C, 6, "body", ("description",)),
    Case("duplicate key", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        vendor: Beta Readers
        ---
        A description.
        """}, C, 5, "vendor", ("twice",)),
    Case("file name not a slug", {"contracts/Bad_Name.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, "content/contracts/Bad_Name.md", 1, "file name", ("Bad_Name.md", "slug")),
]

# A document that is refused for its own shape is reported on its list item (or its
# ``file``/``url`` key); the message must say what is wrong.
DOCUMENT_CASES = [
    ("absolute path", "file: /etc/passwd", ("/etc/passwd",)),
    ("parent directory", "file: ../../site.yml", ("..",)),
    ("parent directory inside", "file: sub/../../secret.pdf", ("..",)),
    ("url not http", "url: ftp://files.example.com/contract.pdf", ("ftp://", "https://")),
    ("url without scheme", "url: www.example.com/privacy", ("https://",)),
    ("file and url", "file: beta.pdf\n    url: https://example.com/beta.pdf", ("not both",)),
    ("neither file nor url", "", ("either",)),
]

POLICY = """\
    ---
    number: "5125"
    title: Student Records
    adopted: 2016-09-12
    ---
    Policy text.
    """

POLICY_CASES = [
    Case("number format", {"policies/51a5.md": """\
        ---
        title: Student Records
        number: "51a5"
        ---
        Policy text.
        """}, "content/policies/51a5.md", 3, "number", ("51a5", "four digits")),
    Case("number three digits", {"policies/512.md": """\
        ---
        number: "512"
        title: Student Records
        ---
        Policy text.
        """}, "content/policies/512.md", 2, "number", ("512", "four digits")),
    Case("file name differs from number", {"policies/5125.md": """\
        ---
        title: Student Records
        number: "5126"
        ---
        Policy text.
        """}, P, 3, "number", ("5126", "5125.md", "5126.md")),
    Case("revised before adopted", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        adopted: 2016-09-12
        revised: 2015-01-05
        ---
        Policy text.
        """}, P, 5, "revised", ("2015-01-05", "before", "2016-09-12")),
    Case("related number missing", {"policies/6141.321.md": """\
        ---
        number: "6141.321"
        title: Internet Use
        ---
        Policy text.
        """, "policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        related:
          - "6141.321"
          - "6141.32"
        ---
        Policy text.
        """}, P, 6, "related", ("6141.32", "did you mean '6141.321'")),
    Case("series of the number not in series.yml", {"policies/7110.md": """\
        ---
        number: "7110"
        title: Facilities
        ---
        Policy text.
        """}, "content/policies/7110.md", 2, "number", ("7000", "series.yml")),
    Case("explicit series unknown", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        series: "9000"
        ---
        Policy text.
        """}, P, 4, "series", ("9000", "series.yml")),
    Case("body empty without documents", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        ---
        """}, P, 5, "body", ("policy text",)),
]

GUIDE = """\
    ---
    title: Parent guide
    ---
    What this site is.
    """

PAGE_CASES = [
    Case("translation into a language not in site.yml", {"pages/guide.md": GUIDE, "pages/guide.fr.md": GUIDE},
         "content/pages/guide.fr.md", 1, "file name", ("'fr'", "site.yml")),
    Case("translation without the original", {"pages/guide.es.md": GUIDE},
         "content/pages/guide.es.md", 1, "file name", ("guide.md", "does not exist")),
    Case("page without title", {"pages/guide.md": "---\nheading: Guide\n---\nText.\n"},
         "content/pages/guide.md", 1, "title", ("required",), errors=None),
]

SITE = "content/site.yml"

SETTINGS_CASES = [
    Case("site.yml missing", {"site.yml": None}, SITE, 1, "file", ("missing",)),
    Case("site.yml without title", {"site.yml": """\
        district: Test District
        base_url: https://notices.example.org/
        """}, SITE, 1, "title", ("required",)),
    Case("site.yml bad base_url", {"site.yml": """\
        title: Notices
        district: Test District
        base_url: notices.example.org
        """}, SITE, 3, "base_url", ("notices.example.org", "https://")),
    Case("site.yml unknown field", {"site.yml": """\
        title: Notices
        district: Test District
        base_url: https://notices.example.org/
        notice_deadline_busines_days: 5
        """}, SITE, 4, "notice_deadline_busines_days",
         ("unknown", "did you mean 'notice_deadline_business_days'")),
    Case("data element without label", {"data-elements.yml": """\
        student_name:
          label: Student name
          category: Student Name
          description: The student's name.
        grade_level:
          category: Enrollment
          description: The student's grade.
        """}, "content/data-elements.yml", 5, "grade_level.label", ("required",), errors=None),
]

ALL_CASES = CONTRACT_CASES + POLICY_CASES + PAGE_CASES + SETTINGS_CASES


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_rule_gives_its_error_line(content, case, command):
    case.apply(content)
    result = invoke(command)
    assert_clean_failure(result, command)
    message = assert_error(result, case.path, case.line, case.field, *case.words)
    for word in case.not_words:
        assert word.lower() not in message.lower()
    if case.errors is not None:
        assert len(error_lines(result)) == case.errors, result.err
    if command == "build":
        assert not (content.root.parent / "site").exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("target, words", [(t, w) for _, t, w in DOCUMENT_CASES],
                         ids=[i for i, _, _ in DOCUMENT_CASES])
def test_document_rules(content, command, target, words):
    content.write("contracts/files/beta.pdf", b"%PDF-1.4\n")
    lines = "    " + target if target else ""
    content.write("contracts/beta.md",
                  "---\n"                                   # 1
                  "vendor: Beta Reading\n"                  # 2
                  "contract_date: 2025-03-03\n"             # 3
                  "student_data: [student_name]\n"          # 4
                  "documents:\n"                            # 5
                  "  - title: Signed contract\n"            # 6
                  + (lines + "\n" if lines else "")         # 7
                  + "---\nA description.\n")
    result = invoke(command)
    assert_clean_failure(result, command)
    found = [text for text in error_lines(result)
             if re.match(rf"^{re.escape(C)}:(6|7): error: documents\[1\](\.file|\.url)?: ", text)]
    assert len(found) == 1, result.err
    for word in words:
        assert word.lower() in found[0].lower()


@pytest.mark.parametrize("command", COMMANDS)
def test_amendments_in_a_loop(content, command):
    content.contract("loop-a", """\
        vendor: Loop Co
        contract_date: 2025-03-03
        kind: amendment
        amends: loop-b
        student_data: []
        """)
    content.contract("loop-b", """\
        vendor: Loop Co
        contract_date: 2025-03-04
        kind: amendment
        amends: loop-a
        student_data: []
        """)
    result = invoke(command)
    assert_clean_failure(result, command)
    assert_error(result, "content/contracts/loop-a.md", 5, "amends", "loop")
    assert_error(result, "content/contracts/loop-b.md", 5, "amends", "loop")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("written", ["2025-01-21", '"2025-01-21"', "'2025-01-21'"])
def test_dates_plain_or_quoted_are_accepted(content, command, written):
    content.contract("beta", f"""\
        vendor: Beta Reading
        contract_date: {written}
        posted: {written}
        student_data: [student_name]
        documents:
          - title: Contract
            url: https://example.com/beta.pdf
        """)
    result = invoke(command)
    assert result.code == 0, result.err
    assert error_lines(result) == []
    if command == "build":
        page = (content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8")
        assert 'datetime="2025-01-21"' in page


def test_empty_student_data_builds_a_page_that_says_so(content):
    content.contract("beta", """\
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: []
        """)
    assert invoke("check").code == 0
    result = invoke("build")
    assert result.code == 0, result.err
    page = (content.root.parent / "site/contracts/beta/index.html").read_text(encoding="utf-8")
    assert "No student information is shared" in page
    # the notice with data does not say it
    other = (content.root.parent / "site/contracts/acme-learning/index.html").read_text(encoding="utf-8")
    assert "No student information is shared" not in other


@pytest.mark.parametrize("command", COMMANDS)
def test_draft_may_omit_date_data_and_body_and_is_not_published(content, command):
    content.write("contracts/beta.md", "---\nvendor: Beta Reading\ndraft: true\n---\n")
    result = invoke(command)
    assert result.code == 0, result.err
    assert error_lines(result) == []
    if command == "build":
        site = content.root.parent / "site"
        assert (site / "contracts/acme-learning/index.html").is_file()
        assert not (site / "contracts/beta").exists()
        assert "Beta Reading" not in (site / "contracts/index.html").read_text(encoding="utf-8")
        assert "Beta Reading" not in (site / "contracts.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_draft_is_still_validated(content, command):
    content.write("contracts/beta.md", "---\nvendor: Beta Reading\ndraft: true\ncontract_date: 3/3/2025\n---\n")
    result = invoke(command)
    assert_clean_failure(result, command)
    assert_error(result, C, 4, "contract_date", "3/3/2025", "2025-03-03")


@pytest.mark.parametrize("command", COMMANDS)
def test_draft_policy_without_body_is_fine(content, command):
    content.write("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\ndraft: true\n---\n')
    result = invoke(command)
    assert result.code == 0, result.err
    assert error_lines(result) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_policy_with_a_document_needs_no_body(content, command):
    content.write("policies/files/5125.pdf", b"%PDF-1.4\n")
    content.write("policies/5125.md", """\
        ---
        number: "5125"
        title: Student Records
        documents:
          - title: Policy 5125 (PDF)
            file: 5125.pdf
        ---
        """)
    result = invoke(command)
    assert result.code == 0, result.err
    if command == "build":
        assert (content.root.parent / "site/policies/5125/index.html").is_file()
        assert (content.root.parent / "site/policies/files/5125.pdf").read_bytes() == b"%PDF-1.4\n"


def _franklin(content):
    content.contract("franklin-covey", """\
        vendor: Franklin Covey
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        documents:
          - title: Contract
            url: https://example.com/fc.pdf
        """)
    content.contract("franklin-covey-amendment-1", """\
        vendor: Franklin Cover
        contract_date: 2025-04-01
        posted: 2025-04-02
        kind: amendment
        amends: franklin-covey
        student_data: [student_name]
        documents:
          - title: Contract
            url: https://example.com/fc-1.pdf
        """)


def test_vendor_spelling_is_a_warning(content):
    _franklin(content)
    result = invoke("check")
    assert result.code == 0, result.err
    assert error_lines(result) == []
    warnings = [text for text in result.lines if ": warning: vendor: " in text]
    assert len(warnings) == 1, result.err
    assert re.match(r"^content/contracts/franklin-covey(-amendment-1)?\.md:2: warning: vendor: ", warnings[0])
    assert "Franklin Cover'" in warnings[0] and "Franklin Covey'" in warnings[0]

    strict = invoke("check", "--strict")
    assert strict.code == 1
    assert warnings[0] in strict.lines


def test_vendor_spelling_is_not_a_build_error(content):
    _franklin(content)
    result = invoke("build")
    assert result.code == 0, result.err


def test_distinct_vendors_give_no_spelling_warning(content):
    content.contract("acme-reading", """\
        vendor: Apex Learning
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        """)
    result = invoke("check")
    assert not [text for text in result.lines if ": warning: vendor: " in text], result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_errors_of_five_files_are_reported_together_sorted_by_path(content, command):
    content.write("policies/6141.321.md", '---\nnumber: "6141.321"\ntitle: Internet\nrelated: ["5152"]\n---\nText.\n')
    content.write("pages/guide.md", "---\ntitle: Guide\n---\n\n")
    content.write("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\nrevised: 2023-13-01\n---\nText.\n')
    content.contract("zeta", """\
        vendor: Zeta
        contract_date: 2025-03-03
        student_data: [date_of_brith]
        """)
    content.contract("alpha", """\
        vendor: Alpha
        contract_date: 2025/03/03
        student_data: []
        """)
    result = invoke(command)
    assert_clean_failure(result, command)
    expected = [
        ("content/contracts/alpha.md", 3, "contract_date"),
        ("content/contracts/zeta.md", 4, "student_data"),
        ("content/pages/guide.md", 4, "body"),
        ("content/policies/5125.md", 4, "revised"),
        ("content/policies/6141.321.md", 4, "related"),
    ]
    found = error_lines(result)
    prefixes = [f"{path}:{line}: error: {field_}: " for path, line, field_ in expected]
    for prefix in prefixes:
        assert any(text.startswith(prefix) for text in found), f"{prefix!r} missing from:\n{result.err}"
    order = [next(i for i, text in enumerate(found) if text.startswith(prefix)) for prefix in prefixes]
    assert order == sorted(order), result.err
    assert len(found) == 5, result.err
    assert [text.split(":")[0] for text in found] == sorted(text.split(":")[0] for text in found)


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_site_yml_does_not_hide_record_errors(content, command):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: ftp://notices.example.org/\n")
    content.contract("alpha", """\
        vendor: Alpha
        contract_date: 2025/03/03
        student_data: []
        """)
    result = invoke(command)
    assert_clean_failure(result, command)
    assert_error(result, "content/contracts/alpha.md", 3, "contract_date", "2025/03/03")
    assert_error(result, "content/site.yml", 3, "base_url", "ftp://notices.example.org/")


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_settings_do_not_hide_rules_across_records(content, command):
    content.write("site.yml", "title: Notices\n")
    content.write("data-elements.yml", "student_name:\n  label: Student name\n  category: Student Name\n")
    content.contract("alpha-amendment", """\
        vendor: Alpha
        contract_date: 2025-03-03
        kind: amendment
        amends: alpa
        student_data: [student_name, date_of_brith]
        """)
    content.write("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\nrelated: ["5126"]\n---\nText.\n')
    result = invoke(command)
    assert_clean_failure(result, command)
    assert_error(result, "content/site.yml", 1, "district", "required")
    assert_error(result, "content/data-elements.yml", 1, "student_name.description", "required")
    assert_error(result, "content/contracts/alpha-amendment.md", 5, "amends", "alpa")
    assert_error(result, "content/contracts/alpha-amendment.md", 6, "student_data", "date_of_brith")
    assert_error(result, "content/policies/5125.md", 4, "related", "5126")
    assert "site.yml or data-elements.yml are unusable: 7 errors" in result.err
    # the incomplete element still counts as a key: no follow-on error for student_name
    assert not [text for text in result.lines if "'student_name' is not a data element" in text], result.err


def test_vendor_spelling_warning_names_the_rarer_spelling(content):
    for slug, day in (("torsh", "2025-03-03"), ("torsh-2", "2025-03-04"), ("torsh-3", "2025-03-05")):
        content.contract(slug, f"""\
            vendor: TORSH
            contract_date: {day}
            student_data: []
            """)
    content.contract("a-torsh", """\
        vendor: Torsh
        contract_date: 2025-03-06
        student_data: []
        """)
    result = invoke("check")
    warnings = [text for text in result.lines if ": warning: vendor: " in text]
    assert warnings == [
        "content/contracts/a-torsh.md:2: warning: vendor: 'Torsh' looks like 'TORSH' (content/contracts/torsh-2.md); "
        "spell one vendor one way so that its notices are grouped"], result.err


@pytest.mark.parametrize("text, field_, words", [
    ("---\n1: x\nvendor: A\n---\nBody\n", "1", ("must be text",)),
    ("---\nvendor: A\nnull: y\n---\nBody\n", "null", ("must be text",)),
    ("---\nvendor: A\ncontract_date: 0001-01-01\nstudent_data: []\n---\nBody\n", "contract_date", ("plausible",)),
])
def test_keys_that_are_not_text_and_implausible_years(content, text, field_, words):
    path = content.write("contracts/odd.md", text)
    line = next(number for number, row in enumerate(path.read_text().splitlines(), 1) if row.startswith(field_))
    result = invoke("check")
    assert_clean_failure(result, "check")
    assert_error(result, "content/contracts/odd.md", line, field_, *words)


def test_reserved_data_element_key(content):
    content.write("data-elements.yml", "main:\n  label: Main\n  category: Other\n  description: Clashes.\n")
    content.contract("acme-learning", "vendor: Acme\ncontract_date: 2025-01-21\nstudent_data: []\n")
    result = invoke("check")
    assert_clean_failure(result, "check")
    assert_error(result, "content/data-elements.yml", 1, "main", "reserved")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_field_does_not_hide_the_other_problems_of_its_record(content, command):
    content.write("contracts/mixed.md", """\
        ---
        vendor: Mixed Up
        contract_date: 10/22/22
        kind: amendmnt
        amends: acme-lerning
        student_data: [student_name, date_of_brith]
        ---
        Text.
        """)
    result = invoke(command)
    assert_clean_failure(result, command)
    path = "content/contracts/mixed.md"
    assert_error(result, path, 3, "contract_date", "10/22/22", "2022-10-22")
    assert "did you mean 'amendment'" in assert_error(result, path, 4, "kind", "amendmnt")
    assert_error(result, path, 5, "amends", "acme-lerning", "did you mean 'acme-learning'")
    assert_error(result, path, 6, "student_data", "date_of_brith", "did you mean 'date_of_birth'")
    assert not [line for line in result.lines if line.startswith(path) and ": warning: " in line], \
        "a record with errors gets no compliance warnings on top"
