"""Issue 18, items 1, 2 and 10: ``new`` on any day, a record that ``new`` wrote cannot be published
unchanged, and no Pydantic or setuptools warning in any command's output.

- ``new --today`` writes the date given, so that no test depends on the day it runs, and CI runs
  the whole suite a second time with the clock a year ahead (``make test-future``);
- ``new contract`` leaves ``student_data`` unanswered, with a comment that says what to write; once
  ``draft`` is removed, the unanswered field (NB134) and the placeholder text of any template
  (NB133) are errors on their lines;
- a month-only signing date goes through check, build and the preview's patching without a
  warning; building the package gives no setuptools warning.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, TODAY, diagnose, front_matter, run
from noticeboard import codes
from noticeboard.load import content as content_module
import noticeboard.tools.new as new_command
from noticeboard.load.records import BREACH_PLACEHOLDER, CONTRACT_PLACEHOLDER, PLACEHOLDERS, POLICY_PLACEHOLDER

C = "content/contracts/zeta-learning.md"
P = "content/policies/5125.md"
B = "content/breaches/acme-2026-11.md"
NEW = {  # kind: (arguments of new, the file it writes)
    "contract": (["contract", "zeta-learning", "--vendor", "Zeta Learning"], C),
    "policy": (["policy", "5125", "--title", "Student Records"], P),
    "breach": (["breach", "acme-2026-11", "--vendor", "Acme Learning"], B),
}


def new(kind: str, today: str = TODAY) -> Path:
    arguments, relative = NEW[kind]
    result = run("new", *arguments, "--today", today)
    assert result.code == 0, result.err
    return Path(relative)


def line_of(path: Path, text: str) -> int:
    """The number of the first line of ``path`` that starts with ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(text))


def publish(path: Path, *extra: str) -> None:
    """What staff do when they only remove 'draft: true' (and add ``extra`` lines in its place)."""
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^draft: true.*\n", text, flags=re.M), text
    path.write_text(re.sub(r"^draft: true.*\n", "".join(line + "\n" for line in extra), text, count=1, flags=re.M),
                    encoding="utf-8")


def replace_body(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.rpartition("---\n")
    path.write_text(head + "---\n" + body, encoding="utf-8")


# --- 1. new --today ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, fields", [("contract", ("contract_date", "posted")), ("policy", ("adopted",)),
                                          ("breach", ("reported", "posted"))])
def test_new_writes_the_day_of_today_not_the_clock(content, monkeypatch, kind, fields):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: --today comes first
    path = new(kind, today="2025-03-04")
    found, _ = front_matter(path)
    assert [found[name] for name in fields] == [date(2025, 3, 4)] * len(fields)


@pytest.mark.parametrize("today", ["2025-3-4", "20250304", "tomorrow"])
def test_new_refuses_a_today_that_is_not_a_date(content, today):
    result = run("new", "contract", "zeta-learning", "--today", today)
    assert result.code == 2
    assert "YYYY-MM-DD" in result.err and "Traceback" not in result.err
    assert not Path(C).exists()


def test_ci_runs_the_suite_again_a_year_ahead():
    """.ci/run: make test, then make test-future, whose faketime the apt line installs."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands.index("make test") < commands.index("make test-future")
    assert re.search(r"apt-get install .*\bfaketime\b", ci)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^test-future:.*\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert target, "the Makefile has a test-future target"
    assert re.search(r"faketime (--exclude-monotonic )?-f '\$\(FUTURE\)' \$\(PY\) -m pytest", target[1])
    assert re.search(r"^FUTURE \?= \+365d$", makefile, flags=re.M)
    assert "make test-future" in (REPO / "docs" / "developers" / "tests.md").read_text(encoding="utf-8")


# --- 2. nothing false from a template ------------------------------------------------------------------------

def test_the_placeholders_are_the_texts_below_the_templates():
    """One constant each, shared by new.py and content.py (imported there, not copied)."""
    assert PLACEHOLDERS == {"contract": CONTRACT_PLACEHOLDER, "policy": POLICY_PLACEHOLDER,
                            "breach": BREACH_PLACEHOLDER}
    assert content_module.PLACEHOLDERS is PLACEHOLDERS
    for template in (new_command.CONTRACT_TEMPLATE, new_command.POLICY_TEMPLATE, new_command.BREACH_TEMPLATE):
        assert template.endswith("---\n{placeholder}\n")


def test_new_contract_leaves_student_data_unanswered_and_says_what_to_write(content):
    path = new("contract")
    fields, body = front_matter(path)
    assert "student_data" in fields and fields["student_data"] is None
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("student_data:")
    comment = "\n".join(lines[number - 3:number])
    assert comment.startswith("# ") and "content/data-elements.yml" in comment
    assert "[] only if the company receives no student information" in comment
    assert body.strip() == CONTRACT_PLACEHOLDER


def test_a_new_contract_with_only_draft_removed_cannot_be_published(content):
    path = new("contract")
    assert diagnose().errors == [], "a draft is not published: what it lacks is no error"
    publish(path)
    found = diagnose()
    assert found.errors == [(C, line_of(path, "student_data:"), "student_data", codes.STUDENT_DATA_UNANSWERED),
                            (C, line_of(path, CONTRACT_PLACEHOLDER), "body", codes.TEMPLATE_TEXT)], str(found)
    unanswered = found.message(C, line_of(path, "student_data:"), "student_data", codes.STUDENT_DATA_UNANSWERED)
    assert "content/data-elements.yml" in unanswered and "[]" in unanswered
    assert "one to three sentences" in found.message(C, line_of(path, CONTRACT_PLACEHOLDER), "body",
                                                     codes.TEMPLATE_TEXT)
    built = run("build", "--today", TODAY)
    assert built.code == 1
    assert "[NB134]" in built.err and "[NB133]" in built.err
    assert not (path.parent.parent.parent / "site" / "contracts" / "zeta-learning").exists()

    # answered: [] (no student information) and a description of its own
    text = path.read_text(encoding="utf-8").replace("\nstudent_data:\n", "\nstudent_data: []\n")
    path.write_text(text, encoding="utf-8")
    replace_body(path, "Typing practice for grades 3-5.\n")
    assert diagnose().errors == []
    assert run("build", "--today", TODAY).code == 0
    page = (path.parent.parent.parent / "site" / "contracts" / "zeta-learning" / "index.html").read_text()
    assert "Typing practice for grades 3-5." in page


@pytest.mark.parametrize("value", ["", " ~", " null", "   # to be answered"])
def test_student_data_written_empty_is_unanswered(content, value):
    content.contract("beta", f"""\
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data:{value}
        """)
    assert diagnose().errors == [("content/contracts/beta.md", 4, "student_data", codes.STUDENT_DATA_UNANSWERED)]


def test_the_placeholder_is_found_however_it_is_wrapped_and_with_text_around_it(content):
    words = CONTRACT_PLACEHOLDER.split()
    wrapped = " ".join(words[:5]) + "\n   " + "  ".join(words[5:])
    content.contract("beta", """\
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        """, body="Reading practice.\n\n" + wrapped)
    assert diagnose().errors == [("content/contracts/beta.md", 6, "body", codes.TEMPLATE_TEXT)]


def test_an_incomplete_notice_may_leave_student_data_unanswered_but_not_publish_the_placeholder(content):
    path = new("contract")
    publish(path, "incomplete: true")
    found = diagnose()
    assert found.errors == [(C, line_of(path, CONTRACT_PLACEHOLDER), "body", codes.TEMPLATE_TEXT)], str(found)
    assert "remove it" in found.message(C, line_of(path, CONTRACT_PLACEHOLDER), "body", codes.TEMPLATE_TEXT)
    replace_body(path, "")  # the description is not known yet: the incomplete notice says so
    found = diagnose()
    assert found.errors == [], str(found)
    assert codes.INCOMPLETE_NOTICE in found.codes("warning")


@pytest.mark.parametrize("kind, placeholder, says", [
    ("policy", POLICY_PLACEHOLDER, "policy text"),
    ("breach", BREACH_PLACEHOLDER, "what happened"),
])
def test_a_new_policy_or_breach_with_only_draft_removed_cannot_be_published(content, kind, placeholder, says):
    path = new(kind)
    assert diagnose().errors == [], "a draft is not published: what it lacks is no error"
    publish(path)
    found = diagnose()
    place = (str(path), line_of(path, placeholder), "body", codes.TEMPLATE_TEXT)
    assert found.errors == [place], str(found)
    assert says in found.message(*place)


def test_the_breach_template_explains_its_empty_list(content):
    """A breach's [] says "no student data is known to have been released" (BreachFields requires a list)."""
    path = new("breach")
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("student_data: []")
    comment = " ".join(line.removeprefix("# ") for line in lines[number - 3:number])
    assert "known to have been released" in comment and lines[number - 1].startswith("# ")


# --- 10. no noise -----------------------------------------------------------------------------------------

MONTH_NOTICE = """\
    vendor: Beta Reading
    contract_date: 2022-04
    incomplete: true
    student_data: [student_name]
    """


def test_a_month_only_date_gives_no_warning_in_check_build_or_the_preview(content):
    from noticeboard.preview.state import Preview

    path = content.contract("beta", MONTH_NOTICE, body="Reading practice.")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run("check", "--today", TODAY).code == 0
        built = run("build", "--today", TODAY)
        assert built.code == 0, built.err
        preview = Preview(content.root, "http://127.0.0.1:8000/", date.fromisoformat(TODAY))
        preview.rebuild()
        assert not preview.errors, [error.format() for error in preview.errors]
        path.write_text(path.read_text(encoding="utf-8").replace("Reading practice.", "Reading practice, daily."),
                        encoding="utf-8")
        preview.rebuild([str(path)])
        assert not preview.errors, [error.format() for error in preview.errors]
        assert preview.last_model == "patched", "the save of the description took the patching path"
        assert b"Reading practice, daily." in preview.file("contracts/beta/index.html")


def test_fields_with_a_month_dump_without_a_warning_and_compare_by_value():
    from noticeboard.values import Month
    from noticeboard.load.schema import ContractFields

    def fields(**more):
        return ContractFields.model_validate({"vendor": "Beta", "incomplete": True, **more})

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        month = fields(contract_date="2022-04")
        assert month.contract_date == Month(2022, 4)
        assert month.model_dump() == fields(contract_date="2022-04").model_dump()
        assert month.model_dump() != fields(contract_date="2022-05").model_dump()
        assert month.model_dump(mode="json")["contract_date"] == "2022-04"
        assert fields(contract_date="2022-04-03").model_dump(mode="json")["contract_date"] == "2022-04-03"


def test_building_the_package_gives_no_setuptools_warning(tmp_path):
    """The wheel and the editable wheel, by setuptools' build backend with every warning an error: no
    deprecated license table, no data folder 'absent from packages', no note about the import finder."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "noticeboard", source / "noticeboard", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    out.mkdir()
    script = textwrap.dedent(f"""\
        import setuptools.build_meta as backend
        backend.build_wheel({str(out)!r})
        backend.build_editable({str(out)!r})
        """)
    result = subprocess.run([sys.executable, "-W", "error", "-c", script], cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr, result.stderr[-3000:]
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, flags=re.M)
