"""Every rule of content-format.md: the diagnostic it gives, the same through ``check`` and ``build``.

Each rule is checked through both commands, by reading their ``Report``: a diagnostic is
``(path, line, field, code)``, so that a change of wording breaks no test, and a refused
build must write nothing. The lines exactly as staff see them, and the exit status, are
checked end to end for a few representative rules (``test_the_lines_staff_see``).

The files in the tables are written out in full so that the line numbers the tests
expect can be counted by eye: line 1 is the opening ``---``.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest

from conftest import pdf, TODAY, diagnose, run
from noticeboard import codes
from noticeboard.codes import Code

COMMANDS = ["check", "build"]


def invoke(command: str, *extra: str):
    return run(command, "--today", TODAY, *extra)


def refused(content, command: str):
    """What ``command`` reported on content with errors; a refused build writes nothing."""
    found = diagnose(command)
    assert found.errors, f"{command} accepted the content:\n{found}"
    if command == "build":
        assert not (content.root.parent / "site").exists()
    return found


def assert_found(found, path: str, line: int, field_: str, code: Code, *words: str) -> str:
    """The diagnostic is there; ``words`` are what its message must name (a value, a suggestion)."""
    assert (path, line, field_, code) in found.all, f"expected {(path, line, field_, code)} among:\n{found}"
    message = found.message(path, line, field_, code)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    return message


@dataclass
class Case:
    id: str
    files: dict  # relative path under content/ → text (None removes the file)
    path: str
    line: int
    field: str
    code: Code
    words: tuple = ()  # what the message must name: the value found, a suggestion
    not_words: tuple = ()
    errors: int | None = 1  # how many errors the run gives in all (None: do not count)

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
        """}, C, 1, "vendor", codes.MISSING_FIELD),
    Case("contract_date missing", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        student_data: [student_name]
        ---
        A description.
        """}, C, 1, "contract_date", codes.MISSING_FIELD),
    Case("contract_date US format", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 1/21/2025
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", codes.INVALID_DATE, ("1/21/2025", "did you mean 2025-01-21")),
    Case("contract_date not a real day", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        student_data: [student_name]
        contract_date: 2025-02-30
        ---
        A description.
        """}, C, 4, "contract_date", codes.INVALID_DATE, ("2025-02-30",)),
    Case("contract_date month and year only", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 04/2022
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", codes.INVALID_DATE, ("04/2022",), ("did you mean",)),
    Case("contract_date in the future", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2026-11-30
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_date", codes.DATE_IN_FUTURE, ("2026-11-30",)),
    Case("posted before contract_date", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-01
        student_data: [student_name]
        ---
        A description.
        """}, C, 4, "posted", codes.DATES_OUT_OF_ORDER, ("2025-03-01", "2025-03-03")),
    Case("expires before contract_date", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        expires: 2024-06-30
        ---
        A description.
        """}, C, 6, "expires", codes.DATES_OUT_OF_ORDER, ("2024-06-30",)),
    Case("kind not one of the three", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        kind: extension
        student_data: [student_name]
        ---
        A description.
        """}, C, 4, "kind", codes.VALUE_NOT_ALLOWED, ("extension",)),
    Case("amendment without amends", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        kind: amendment
        ---
        A description.
        """}, C, 5, "kind", codes.AMENDS_MISSING, ("amendment", "amends:")),  # the line that requires it
    Case("renewal without amends", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        kind: renewal
        contract_date: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "kind", codes.AMENDS_MISSING, ("renewal",)),
    Case("amends a missing slug, close to one", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: amendment
        amends: acme-lerning
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", codes.AMENDS_UNKNOWN, ("acme-lerning", "did you mean 'acme-learning'")),
    Case("amends a missing slug, nothing close", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: renewal
        amends: zebra-transport
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", codes.AMENDS_UNKNOWN, ("zebra-transport",), ("did you mean",)),
    Case("amends itself", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        kind: amendment
        student_data: [student_name]
        amends: beta
        ---
        A description.
        """}, C, 6, "amends", codes.AMENDS_ITSELF),
    Case("amends on a contract", {"contracts/beta.md": """\
        ---
        vendor: Acme Learning
        contract_date: 2025-03-03
        kind: contract
        amends: acme-learning
        student_data: [student_name]
        ---
        A description.
        """}, C, 5, "amends", codes.AMENDS_ON_A_CONTRACT),
    Case("student_data missing", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        ---
        A description.
        """}, C, 1, "student_data", codes.MISSING_FIELD),
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
        """}, C, 6, "student_data", codes.UNKNOWN_DATA_ELEMENT,
         ("date_of_brith", "did you mean 'date_of_birth'")),
    Case("unknown field", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_dat: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, C, 3, "contract_dat", codes.UNKNOWN_FIELD, ("did you mean 'contract_date'",), errors=None),
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
        """}, C, 7, "documents[1].file", codes.DOCUMENT_NOT_FOUND, ("content/contracts/files/beta-signed.pdf",)),
    Case("body empty", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        ---

        """}, C, 6, "body", codes.MISSING_TEXT),
    Case("duplicate key", {"contracts/beta.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        vendor: Beta Readers
        ---
        A description.
        """}, C, 5, "vendor", codes.DUPLICATE_KEY),
    Case("file name not a slug", {"contracts/Bad_Name.md": """\
        ---
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        ---
        A description.
        """}, "content/contracts/Bad_Name.md", 1, "file name", codes.FILE_NAME_NOT_SLUG, ("Bad_Name.md",)),
]

# A document that is refused for its own shape is reported on its list item (line 6), or on
# its ``file``/``url`` key (line 7).
DOCUMENT_CASES = [
    ("absolute path", "file: /etc/passwd", (7, "documents[1].file", codes.DOCUMENT_PATH)),
    ("parent directory", "file: ../../site.yml", (7, "documents[1].file", codes.DOCUMENT_PATH)),
    ("parent directory inside", "file: sub/../../secret.pdf", (7, "documents[1].file", codes.DOCUMENT_PATH)),
    ("not a document", "file: beta.html", (7, "documents[1].file", codes.DOCUMENT_TYPE)),
    ("url not http", "url: ftp://files.example.com/contract.pdf", (7, "documents[1].url", codes.BAD_WEB_ADDRESS)),
    ("url without scheme", "url: www.example.com/privacy", (7, "documents[1].url", codes.BAD_WEB_ADDRESS)),
    ("file and url", "file: beta.pdf\n    url: https://example.com/beta.pdf",
     (6, "documents[1]", codes.DOCUMENT_TARGET)),
    ("neither file nor url", "", (6, "documents[1]", codes.DOCUMENT_TARGET)),
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
        """}, "content/policies/51a5.md", 3, "number", codes.BAD_POLICY_NUMBER, ("51a5",)),
    Case("number three digits", {"policies/512.md": """\
        ---
        number: "512"
        title: Student Records
        ---
        Policy text.
        """}, "content/policies/512.md", 2, "number", codes.BAD_POLICY_NUMBER, ("512",)),
    Case("file name differs from number", {"policies/5125.md": """\
        ---
        title: Student Records
        number: "5126"
        ---
        Policy text.
        """}, P, 3, "number", codes.NUMBER_NOT_FILE_NAME, ("5126.md",)),
    Case("revised before adopted", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        adopted: 2016-09-12
        revised: 2015-01-05
        ---
        Policy text.
        """}, P, 5, "revised", codes.DATES_OUT_OF_ORDER, ("2015-01-05", "2016-09-12")),
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
        """}, P, 6, "related", codes.RELATED_UNKNOWN, ("did you mean '6141.321'",)),
    Case("series of the number not in series.yml", {"policies/7110.md": """\
        ---
        number: "7110"
        title: Facilities
        ---
        Policy text.
        """}, "content/policies/7110.md", 2, "number", codes.SERIES_UNKNOWN, ("7000",)),
    Case("explicit series unknown", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        series: "9000"
        ---
        Policy text.
        """}, P, 4, "series", codes.SERIES_UNKNOWN, ("9000",)),
    Case("body empty without documents", {"policies/5125.md": """\
        ---
        number: "5125"
        title: Student Records
        ---
        """}, P, 5, "body", codes.MISSING_TEXT),
]

GUIDE = """\
    ---
    title: Parent guide
    ---
    What this site is.
    """

PAGE_CASES = [
    Case("translation into the default language", {"pages/guide.md": GUIDE, "pages/guide.en.md": GUIDE},
         "content/pages/guide.en.md", 1, "file name", codes.TRANSLATION_LANGUAGE, ("'en'", "default language")),
    Case("translation without the original", {"pages/guide.es.md": GUIDE},
         "content/pages/guide.es.md", 1, "file name", codes.TRANSLATION_WITHOUT_RECORD),
    Case("page without title", {"pages/guide.md": "---\nheading: Guide\n---\nText.\n"},
         "content/pages/guide.md", 1, "title", codes.MISSING_FIELD, errors=None),
]

SITE = "content/site.yml"

SETTINGS_CASES = [
    Case("site.yml missing", {"site.yml": None}, SITE, 1, "file", codes.MISSING_FILE),
    Case("site.yml without title", {"site.yml": """\
        district: Test District
        base_url: https://notices.district.test/
        """}, SITE, 1, "title", codes.MISSING_FIELD),
    Case("site.yml bad base_url", {"site.yml": """\
        title: Notices
        district: Test District
        base_url: notices.district.test
        """}, SITE, 3, "base_url", codes.BAD_WEB_ADDRESS, ("notices.district.test",)),
    Case("site.yml unknown field", {"site.yml": """\
        title: Notices
        district: Test District
        base_url: https://notices.district.test/
        notice_deadline_busines_days: 5
        """}, SITE, 4, "notice_deadline_busines_days", codes.UNKNOWN_FIELD,
         ("did you mean 'notice_deadline_business_days'",)),
    Case("data element without label", {"data-elements.yml": """\
        student_name:
          label: Student name
          category: Student Name
          description: The student's name.
        grade_level:
          category: Enrollment
          description: The student's grade.
        """}, "content/data-elements.yml", 5, "grade_level.label", codes.MISSING_FIELD, errors=None),
]

ALL_CASES = CONTRACT_CASES + POLICY_CASES + PAGE_CASES + SETTINGS_CASES


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_rule_gives_its_diagnostic(content, case, command):
    case.apply(content)
    found = refused(content, command)
    message = assert_found(found, case.path, case.line, case.field, case.code, *case.words)
    for word in case.not_words:
        assert word.lower() not in message.lower()
    if case.errors is not None:
        assert len(found.errors) == case.errors, found


# --- the lines as staff see them, and the exit status -----------------------------------------

BETA_AMENDMENT = """\
    ---
    vendor: Beta Reading
    contract_date: 2025-03-03
    student_data: [student_name, grade_levl]
    kind: amendment
    ---
    A description.
    """


@pytest.mark.parametrize("command", COMMANDS)
def test_the_lines_staff_see(content, command):
    content.write("contracts/beta.md", BETA_AMENDMENT)
    content.write("contracts/gamma.md", "---\ncontract_dat: 2025-03-03\nstudent_data: []\n---\nText.\n")
    result = invoke(command)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert [line for line in result.lines if ": error: " in line] == [
        "content/contracts/beta.md:4: error: student_data: 'grade_levl' is not a data element of "
        "data-elements.yml; did you mean 'grade_level'? [NB104]",
        "content/contracts/beta.md:5: error: kind: is 'amendment', so 'amends' is required: add 'amends:' "
        "with the slug of the contract this amendment changes [NB126]",
        "content/contracts/gamma.md:1: error: vendor: is required but missing [NB102]",
        "content/contracts/gamma.md:2: error: contract_dat: unknown field; did you mean 'contract_date'? [NB101]",
    ]
    if command == "build":
        assert result.lines[-1].startswith("Build failed: ") and result.lines[-1].endswith("site was left as it was.")
        assert not (content.root.parent / "site").exists()
    else:
        assert result.lines[-1].endswith(": 4 errors, 2 warnings")  # beta.md has no posted date, no document


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("target, expected", [(t, e) for _, t, e in DOCUMENT_CASES],
                         ids=[i for i, _, _ in DOCUMENT_CASES])
def test_document_rules(content, command, target, expected):
    content.write("contracts/files/beta.pdf", pdf())
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
    found = refused(content, command)
    assert found.errors == [(C, *expected)]


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
    found = refused(content, command)
    assert found.errors == [("content/contracts/loop-a.md", 5, "amends", codes.AMENDS_LOOP),
                            ("content/contracts/loop-b.md", 5, "amends", codes.AMENDS_LOOP)]


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
            type: contract
        """)
    result = invoke(command)
    assert result.code == 0, result.err
    assert diagnose().errors == []
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
    assert diagnose().errors == []
    if command == "build":
        site = content.root.parent / "site"
        assert (site / "contracts/acme-learning/index.html").is_file()
        assert not (site / "contracts/beta").exists()
        assert "Beta Reading" not in (site / "contracts/index.html").read_text(encoding="utf-8")
        assert "Beta Reading" not in (site / "contracts.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_draft_is_still_validated(content, command):
    content.write("contracts/beta.md", "---\nvendor: Beta Reading\ndraft: true\ncontract_date: 3/3/2025\n---\n")
    found = refused(content, command)
    assert found.errors == [(C, 4, "contract_date", codes.INVALID_DATE)]
    assert "2025-03-03" in found.message(*found.errors[0])


@pytest.mark.parametrize("command", COMMANDS)
def test_draft_policy_without_body_is_fine(content, command):
    content.write("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\ndraft: true\n---\n')
    result = invoke(command)
    assert result.code == 0, result.err
    assert diagnose().errors == []


@pytest.mark.parametrize("command", COMMANDS)
def test_policy_with_a_document_needs_no_body(content, command):
    content.write("policies/files/5125.pdf", pdf())
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
        assert (content.root.parent / "site/policies/files/5125.pdf").read_bytes() == pdf()


def _franklin(content):
    content.contract("franklin-covey", """\
        vendor: Franklin Covey
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        documents:
          - title: Contract
            url: https://example.com/fc.pdf
            type: contract
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
            type: contract
        """)


def test_vendor_spelling_is_a_warning(content):
    _franklin(content)
    found = diagnose()
    assert found.errors == []
    [warning] = [found_ for found_ in found.warnings if found_[3] == codes.VENDOR_SPELLING]
    assert warning[:3] in [("content/contracts/franklin-covey.md", 2, "vendor"),
                           ("content/contracts/franklin-covey-amendment-1.md", 2, "vendor")]
    message = found.message(*warning)
    assert "Franklin Cover'" in message and "Franklin Covey'" in message

    assert invoke("check").code == 0
    assert invoke("check", "--strict").code == 1


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
    assert codes.VENDOR_SPELLING not in diagnose().codes()


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
    assert refused(content, command).errors == [
        ("content/contracts/alpha.md", 3, "contract_date", codes.INVALID_DATE),
        ("content/contracts/zeta.md", 4, "student_data", codes.UNKNOWN_DATA_ELEMENT),
        ("content/pages/guide.md", 4, "body", codes.MISSING_TEXT),
        ("content/policies/5125.md", 4, "revised", codes.INVALID_DATE),
        ("content/policies/6141.321.md", 4, "related", codes.RELATED_UNKNOWN),
    ]
    # and so are the lines on standard error
    result = invoke(command)
    assert result.code == 1
    errors = [line for line in result.lines if ": error: " in line]
    assert [line.split(":")[0] for line in errors] == sorted(line.split(":")[0] for line in errors)


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_site_yml_does_not_hide_record_errors(content, command):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: ftp://notices.district.test/\n")
    content.contract("alpha", """\
        vendor: Alpha
        contract_date: 2025/03/03
        student_data: []
        """)
    found = refused(content, command)
    assert_found(found, "content/contracts/alpha.md", 3, "contract_date", codes.INVALID_DATE, "2025/03/03")
    assert_found(found, "content/site.yml", 3, "base_url", codes.BAD_WEB_ADDRESS, "ftp://notices.district.test/")


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
    found = refused(content, command)
    assert found.errors == [
        ("content/contracts/acme-learning.md", 5, "student_data", codes.UNKNOWN_DATA_ELEMENT),  # grade_level
        ("content/contracts/alpha-amendment.md", 5, "amends", codes.AMENDS_UNKNOWN),
        ("content/contracts/alpha-amendment.md", 6, "student_data", codes.UNKNOWN_DATA_ELEMENT),
        ("content/data-elements.yml", 1, "student_name.description", codes.MISSING_FIELD),
        ("content/policies/5125.md", 4, "related", codes.RELATED_UNKNOWN),
        ("content/site.yml", 1, "base_url", codes.MISSING_FIELD),
        ("content/site.yml", 1, "district", codes.MISSING_FIELD),
    ]
    # the incomplete element still counts as a key: no follow-on error for student_name
    assert "date_of_brith" in found.message(*found.errors[2])
    assert "grade_level" in found.message(*found.errors[0])
    assert "site.yml or data-elements.yml are unusable: 7 errors" in invoke(command).err


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
    assert warnings == [  # a warning as staff see it
        "content/contracts/a-torsh.md:2: warning: vendor: 'Torsh' looks like 'TORSH' (content/contracts/torsh-2.md); "
        "spell one vendor one way so that its notices are grouped [NB208]"], result.err


@pytest.mark.parametrize("text, field_, code", [
    ("---\n1: x\nvendor: A\n---\nBody\n", "1", codes.KEY_NOT_TEXT),
    ("---\nvendor: A\nnull: y\n---\nBody\n", "null", codes.KEY_NOT_TEXT),
    ("---\nvendor: A\ncontract_date: 0001-01-01\nstudent_data: []\n---\nBody\n", "contract_date", codes.INVALID_DATE),
])
def test_keys_that_are_not_text_and_implausible_years(content, text, field_, code):
    path = content.write("contracts/odd.md", text)
    line = next(number for number, row in enumerate(path.read_text().splitlines(), 1) if row.startswith(field_))
    found = refused(content, "check")
    assert ("content/contracts/odd.md", line, field_, code) in found.errors, found


def test_reserved_data_element_key(content):
    content.write("data-elements.yml", "main:\n  label: Main\n  category: Other\n  description: Clashes.\n")
    content.contract("acme-learning", "vendor: Acme\ncontract_date: 2025-01-21\nstudent_data: []\n")
    found = refused(content, "check")
    assert ("content/data-elements.yml", 1, "main", codes.RESERVED_DATA_ELEMENT_KEY) in found.errors, found


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
    found = refused(content, command)
    path = "content/contracts/mixed.md"
    assert [found_ for found_ in found.all if found_[0] == path] == [
        (path, 3, "contract_date", codes.INVALID_DATE),
        (path, 4, "kind", codes.VALUE_NOT_ALLOWED),
        (path, 5, "amends", codes.AMENDS_UNKNOWN),
        (path, 6, "student_data", codes.UNKNOWN_DATA_ELEMENT),
    ], "a record with errors gets no compliance warnings on top"
    assert "2022-10-22" in found.message(path, 3, "contract_date", codes.INVALID_DATE)
    assert "did you mean 'amendment'" in found.message(path, 4, "kind", codes.VALUE_NOT_ALLOWED)
    assert "did you mean 'acme-learning'" in found.message(path, 5, "amends", codes.AMENDS_UNKNOWN)
    assert "did you mean 'date_of_birth'" in found.message(path, 6, "student_data", codes.UNKNOWN_DATA_ELEMENT)


@pytest.mark.parametrize("field", ["contract_date", "student_data"])
def test_an_empty_required_element_of_a_complete_notice_is_an_error(content, field):
    """``contract_date:`` with nothing after it is not the field left out: it was once published as if it were."""
    fields = {"contract_date": "contract_date: 2025-01-21", "student_data": "student_data: [student_name]"}
    fields[field] = f"{field}:"
    content.contract("acme-learning", "vendor: Acme Learning\n" + "\n".join(fields.values()) + "\n")
    result = run("check", "--content", "content", "--today", TODAY)
    line = 4 if field == "student_data" else 3  # after the opening "---" and the vendor
    assert result.code == 1
    errors = [l for l in result.lines if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"content/contracts/acme-learning.md:{line}: error: {field}: "
                                                     "is empty; it is required")
    # an unanswered student_data is what `new` writes: its own code, which says what to write
    assert errors[0].endswith("[NB134]" if field == "student_data" else "[NB102]")
