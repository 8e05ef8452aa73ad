"""The five-business-day deadline of CGS § 10-234bb and the warnings of ``check``."""
from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import holidays
import pytest

from conftest import pdf, TODAY, diagnose, run
from noticeboard import codes
from noticeboard.checks.compliance import add_business_days, business_days_between, is_business_day
from noticeboard.load.jurisdictions import load_jurisdiction

CONNECTICUT = load_jurisdiction("CT").holidays  # CGS § 1-4's holidays

C = "content/contracts/beta.md"


# --- business days --------------------------------------------------------------------

@pytest.mark.parametrize("day, expected", [
    (date(2025, 2, 12), False),   # Lincoln's Birthday, a Connecticut holiday (Wednesday)
    (date(2025, 2, 17), False),   # Washington's Birthday / Presidents' Day (Monday)
    (date(2025, 4, 18), False),   # Good Friday, a Connecticut holiday
    (date(2025, 1, 1), False),    # New Year's Day
    (date(2025, 1, 20), False),   # Martin Luther King Jr. Day
    (date(2025, 11, 27), False),  # Thanksgiving
    (date(2025, 12, 25), False),  # Christmas
    (date(2025, 2, 8), False),    # Saturday
    (date(2025, 2, 9), False),    # Sunday
    (date(2025, 2, 13), True),    # an ordinary Thursday
    (date(2025, 4, 21), True),    # Easter Monday is a working day in Connecticut
    (date(2025, 11, 28), True),   # the day after Thanksgiving is not a state holiday
])
def test_is_business_day(day, expected):
    assert is_business_day(day, CONNECTICUT) is expected


@pytest.mark.parametrize("signed, days, deadline", [
    # Fri 7 Feb 2025: Mon 10 (1), Tue 11 (2), Wed 12 Lincoln's Birthday, Thu 13 (3),
    # Fri 14 (4), Sat/Sun, Mon 17 Presidents' Day, Tue 18 (5).
    (date(2025, 2, 7), 5, date(2025, 2, 18)),
    # Thu 17 Apr 2025: Fri 18 is Good Friday, the weekend, Mon 21 (1).
    (date(2025, 4, 17), 1, date(2025, 4, 21)),
    # Mon 14 Apr 2025: Tue 15 (1), Wed 16 (2), Thu 17 (3), Good Friday, Mon 21 (4), Tue 22 (5).
    (date(2025, 4, 14), 5, date(2025, 4, 22)),
    # Fri 7 Mar 2025, no holiday: the weekend only, Mon 10 … Fri 14.
    (date(2025, 3, 7), 5, date(2025, 3, 14)),
    # Signed on a Saturday: Mon 10 Mar is the first business day after it.
    (date(2025, 3, 8), 1, date(2025, 3, 10)),
    (date(2025, 3, 8), 5, date(2025, 3, 14)),
    # Signed Christmas Eve 2025 (Wed): Thu 25 Christmas, Fri 26 (1), Mon 29 (2), Tue 30 (3),
    # Wed 31 (4), Thu 1 Jan New Year's Day, Fri 2 Jan 2026 (5): across the new year.
    (date(2025, 12, 24), 5, date(2026, 1, 2)),
    # ten business days from Fri 7 Feb 2025: … Tue 18 (5), Wed 19, Thu 20, Fri 21, Mon 24, Tue 25 (10)
    (date(2025, 2, 7), 10, date(2025, 2, 25)),
])
def test_add_business_days(signed, days, deadline):
    assert add_business_days(signed, days, CONNECTICUT) == deadline


def test_zero_business_days_is_the_same_day():
    assert add_business_days(date(2025, 2, 7), 0, CONNECTICUT) == date(2025, 2, 7)


@functools.cache
def _connecticut_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.US(subdiv="CT", years=year))


def _counted_by_hand(start: date, count: int) -> date:
    """The deadline as the law counts it, one day at a time: the ``count``-th day after ``start``
    that is neither a weekend nor a Connecticut holiday (the project's own arithmetic before it
    used the ``holidays`` package's)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _connecticut_holidays(day.year):
            count -= 1
    return day


EVERY_DAY = [date(2020, 1, 1) + timedelta(days=n) for n in range((date(2027, 12, 31) - date(2020, 1, 1)).days + 1)]


def test_the_holidays_package_gives_the_deadlines_counted_by_hand():
    """Every day of 2020–2027 as a signing date, with every deadline from 1 to 10 business days:
    the working-day arithmetic of ``holidays`` gives the day counted by hand, and counts the
    business days between them as that many."""
    differences = []
    for signed in EVERY_DAY:
        for days in range(1, 11):
            deadline = _counted_by_hand(signed, days)
            if (add_business_days(signed, days, CONNECTICUT) != deadline
                    or business_days_between(signed, deadline, CONNECTICUT) != days):
                differences.append((signed, days, deadline, add_business_days(signed, days, CONNECTICUT)))
    assert differences == []


def test_business_days_between_counts_after_the_start_up_to_the_end():
    assert business_days_between(date(2025, 2, 7), date(2025, 2, 7), CONNECTICUT) == 0
    assert business_days_between(date(2025, 2, 7), date(2025, 2, 10), CONNECTICUT) == 1   # Fri → Mon
    assert business_days_between(date(2025, 2, 7), date(2025, 2, 18), CONNECTICUT) == 5   # over two holidays
    assert business_days_between(date(2025, 2, 18), date(2025, 2, 7), CONNECTICUT) == 0   # the end before the start


# --- check warnings --------------------------------------------------------------------

def check(*extra: str):
    return run("check", "--today", TODAY, *extra)


def warnings_of(found, path: str = C) -> list[tuple]:
    """The warnings of ``path`` in what ``check`` reported, as (path, line, field, code)."""
    return [warning for warning in found.warnings if warning[0] == path]


def notice(content, slug="beta", *, contract_date="2025-02-07", posted="2025-02-10", extra="",
           documents=True, draft=False):
    lines = ["vendor: Beta Reading", f"contract_date: {contract_date}"]   # lines 2 and 3
    if posted:
        lines.append(f"posted: {posted}")                                  # line 4
    lines.append("student_data: [student_name]")
    if documents:
        lines += ["documents:", "  - title: Signed contract", "    url: https://example.com/beta.pdf", "    type: contract"]
    if draft:
        lines.append("draft: true")
    lines += [line for line in extra.splitlines() if line]
    content.contract(slug, "\n".join(lines) + "\n")


def test_valid_notice_gives_no_warning(content):
    notice(content)
    assert check().code == 0
    found = diagnose()
    assert warnings_of(found) == []
    assert found.errors == []


def test_posted_after_the_deadline(content):
    notice(content, posted="2025-02-19")   # the deadline is Tue 18 Feb (see above)
    assert check().code == 0
    found = diagnose()
    assert warnings_of(found) == [(C, 4, "posted", codes.POSTED_LATE)]
    assert "2025-02-18" in found.message(*warnings_of(found)[0])
    assert check("--strict").code == 1


@pytest.mark.parametrize("posted", ["2025-02-07", "2025-02-14", "2025-02-17", "2025-02-18"])
def test_posted_on_or_before_the_deadline(content, posted):
    # 14, 17 and 18 February are all in time only because the two holidays are excluded
    notice(content, posted=posted)
    result = check("--strict")
    assert result.code == 0, result.err
    assert warnings_of(diagnose()) == []


def test_no_posted_date(content):
    notice(content, posted=None)
    assert check().code == 0
    found = diagnose()
    assert warnings_of(found) == [(C, 1, "posted", codes.NO_POSTED_DATE)]
    assert "2025-02-18" in found.message(*warnings_of(found)[0])


def test_no_documents(content):
    notice(content, documents=False)
    assert check().code == 0
    assert warnings_of(diagnose()) == [(C, 1, "documents", codes.NO_DOCUMENT)]
    assert check("--strict").code == 1


def test_a_posted_file_counts_as_a_document(content):
    content.write("contracts/files/beta.pdf", pdf())
    notice(content, documents=False, extra="documents:\n  - title: Signed\n    file: beta.pdf")
    assert warnings_of(diagnose()) == []


@pytest.mark.parametrize("expires, warned", [
    ("2026-11-29", True),    # today
    ("2027-01-15", True),    # 47 days
    ("2027-01-28", True),    # 60 days
    ("2027-01-29", False),   # 61 days
    ("2026-11-28", False),   # expired yesterday: shown as expired, not "expiring"
])
def test_contract_expiring_within_60_days(content, expires, warned):
    notice(content, extra=f"expires: {expires}")
    found = diagnose()
    expiring = [(C, 10, "expires", codes.EXPIRING_SOON)]
    assert warnings_of(found) == (expiring if warned else []), found
    if warned:
        assert expires in found.message(*expiring[0])


def test_expiring_contract_with_a_renewal_is_not_warned(content):
    notice(content, extra="expires: 2027-01-15")
    content.contract("beta-renewal", """\
        vendor: Beta Reading
        contract_date: 2026-11-20
        posted: 2026-11-23
        kind: renewal
        amends: beta
        student_data: [student_name]
        expires: 2029-06-30
        documents:
          - title: Signed renewal
            url: https://example.com/beta-renewal.pdf
            type: contract
        """)
    result = check("--strict")
    assert result.code == 0, result.err
    assert codes.EXPIRING_SOON not in diagnose().codes()


def test_draft_is_listed_with_what_it_misses(content):
    content.write("contracts/beta.md", "---\nvendor: Beta Reading\ndraft: true\n---\n")
    assert check().code == 0
    found = diagnose()
    assert warnings_of(found) == [(C, 3, "draft", codes.DRAFT_NOT_PUBLISHED)]
    message = found.message(*warnings_of(found)[0])
    for missing in ("contract_date", "student_data", "description"):
        assert missing in message
    assert check("--strict").code == 1


def test_complete_draft_misses_nothing(content):
    notice(content, draft=True)
    found = diagnose()
    [warning] = warnings_of(found)
    assert warning[3] == codes.DRAFT_NOT_PUBLISHED
    assert "missing" not in found.message(*warning)


def test_draft_is_not_checked_for_the_deadline(content):
    notice(content, posted=None, documents=False, draft=True)
    assert warnings_of(diagnose()) == [(C, 5, "draft", codes.DRAFT_NOT_PUBLISHED)]  # no posted, no documents


def _summary(result) -> str:
    [line] = [text for text in result.lines if re.match(r"^\d+ notices? \(", text)]
    return line


def test_summary_counts_notices_drafts_errors_and_warnings(content):
    notice(content, draft=True)
    result = check()
    assert result.code == 0
    summary = _summary(result)
    assert summary.startswith("2 notices (1 complete, 0 incomplete, 1 draft)")
    assert summary.endswith("0 errors, 1 warning")

    notice(content, "gamma", posted="2025-03-20", documents=False)   # late and no document
    content.write("contracts/delta.md", "---\nvendor: Delta\ncontract_date: 2025-13-01\nstudent_data: []\n---\nText.\n")
    result = check()
    assert result.code == 1
    summary = _summary(result)
    assert "1 error," in summary and "3 warnings" in summary
    found = diagnose()
    assert len(found.errors) == 1 and len(found.warnings) == 3


def test_notice_deadline_business_days_in_site_yml(content):
    notice(content, posted="2025-02-25")   # 10 business days after Fri 7 Feb (see above)
    assert warnings_of(diagnose()) == [(C, 4, "posted", codes.POSTED_LATE)]
    content.write("site.yml", (content.root / "site.yml").read_text() + "notice_deadline_business_days: 10\n")
    result = check("--strict")
    assert result.code == 0, result.err
    notice(content, posted="2025-02-26")
    found = diagnose()
    [warning] = warnings_of(found)
    assert warning == (C, 4, "posted", codes.POSTED_LATE)
    assert "2025-02-25" in found.message(*warning) and "10 business days" in found.message(*warning)


@pytest.mark.parametrize("value, code", [("0", codes.OUT_OF_RANGE), ("ten", codes.WRONG_TYPE),
                                         ("-5", codes.OUT_OF_RANGE), ("61", codes.OUT_OF_RANGE)])
def test_bad_notice_deadline_business_days(content, value, code):
    content.write("site.yml", (content.root / "site.yml").read_text() + f"notice_deadline_business_days: {value}\n")
    assert diagnose().errors == [("content/site.yml", 7, "notice_deadline_business_days", code)]
    assert check().code == 1


def test_github_actions_annotations(content, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    notice(content, posted="2025-02-19")
    content.write("contracts/delta.md", "---\nvendor: Delta\ncontract_date: 2025-13-01\nstudent_data: []\n---\nText.\n")
    result = check()
    assert result.code == 1
    assert ("content/contracts/delta.md:3: error: contract_date: '2025-13-01' is not a real date; check the month "
            "and day [NB105]") in result.lines
    # each line is followed by its annotation, which names the field and the code in its title
    assert result.lines[result.lines.index("content/contracts/delta.md:3: error: contract_date: '2025-13-01' is not "
                                           "a real date; check the month and day [NB105]") + 1] == (
        "::error file=content/contracts/delta.md,line=3,title=contract_date [NB105 invalid-date]::'2025-13-01' is "
        "not a real date; check the month and day")
    assert any(text.startswith(f"::warning file={C},line=4,title=posted [NB306 posted-late]::posted 2025-02-19, ")
               for text in result.lines), result.err
    annotations = [text for text in result.lines if text.startswith("::")]
    assert len(annotations) == len([t for t in result.lines if re.match(r"^\S+:\d+: (error|warning): ", t)])


def test_no_annotations_outside_github_actions(content):
    notice(content, posted="2025-02-19")
    result = check()
    assert any(line.endswith("[NB306]") for line in result.lines), result.err
    assert not [text for text in result.lines if text.startswith("::")]


def test_build_does_not_fail_on_compliance_warnings(content):
    notice(content, posted="2025-03-20", documents=False)
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert (content.root.parent / "site/contracts/beta/index.html").is_file()


def test_posted_after_today_is_a_warning(content):
    content.contract("future-post", """\
        vendor: Later Learning
        contract_date: 2026-11-20
        posted: 2026-12-01
        student_data: []
        documents:
          - title: Contract
            url: https://example.com/c.pdf
            type: contract
        """)
    result = run("check", "--today", "2026-11-29")
    assert result.code == 0, result.err
    assert ("content/contracts/future-post.md:4: warning: posted: 2026-12-01 is after today (2026-11-29); "
            "write the day the notice actually went up [NB305]") in result.lines
    assert run("check", "--today", "2026-11-29", "--strict").code == 1
