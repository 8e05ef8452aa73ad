"""Jurisdiction profiles (noticeboard/jurisdictions/*.yml): every shipped one loads; site.yml chooses one
(an unknown one is NB141 on its line, listing the known ones) and may adjust its deadline (``none`` silences every
deadline warning) and its holidays; business days follow the jurisdiction's holidays (Good Friday is a Connecticut
holiday and not an Illinois one, Casimir Pulaski Day the other way round); an unverified rule is a note; a site of
``none`` cites no law and gives no deadline or breach-clock warning. IL and NY's own laws: test_jurisdiction_laws.py."""
from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from conftest import SITE_YML, TODAY, ContentTree, diagnose, run, soup, text
from noticeboard import codes
from noticeboard.load.jurisdictions import JURISDICTIONS, JURISDICTIONS_FOLDER, Jurisdiction, load_jurisdiction
from noticeboard.load.schema import ContractFields
from noticeboard.reporter import ExitCode

DEADLINE_CODES = {codes.NO_POSTED_DATE, codes.POSTED_LATE}
BREACH_CLOCK_CODES = {codes.BREACH_NOT_POSTED, codes.BREACH_POSTED_LATE, codes.BREACH_REPORTED_LATE}


def site(content: ContentTree, *settings: str) -> None:
    content.write("site.yml", SITE_YML + "".join(f"{setting}\n" for setting in settings))


def test_every_shipped_profile_loads_and_names_only_fields_of_a_notice():
    assert {"CT", "none"} <= set(JURISDICTIONS)
    for code in JURISDICTIONS:
        profile = load_jurisdiction(code)
        assert profile.code == code
        assert set(profile.notice.fields) <= set(ContractFields.model_fields), code
        assert profile.sources, f"{code} gives no source of its facts"


def test_a_profile_with_a_broken_field_fails_validation_with_a_clear_message():
    data = yaml.safe_load((JURISDICTIONS_FOLDER / "CT.yml").read_text(encoding="utf-8"))
    data["notice"]["deadline"]["count"] = "fortnightly"
    data["breach"]["district"]["form"] = "reported"
    with pytest.raises(ValidationError) as raised:
        Jurisdiction.model_validate(data)
    message = str(raised.value)
    assert "notice.deadline.count" in message and "'business' or 'calendar'" in message
    assert "breach.district.form" in message and "Extra inputs are not permitted" in message


def test_a_profile_with_an_unknown_holiday_subdivision_fails_validation():
    data = yaml.safe_load((JURISDICTIONS_FOLDER / "CT.yml").read_text(encoding="utf-8"))
    data["calendar"]["subdivision"] = "XX"
    with pytest.raises(ValidationError, match="'XX' is not a subdivision of US"):
        Jurisdiction.model_validate(data)


def test_an_unknown_jurisdiction_is_an_error_on_its_line_listing_the_known_ones(content):
    site(content, "jurisdiction: Connecticut")
    found = diagnose()
    assert ("content/site.yml", 7, "jurisdiction", codes.UNKNOWN_JURISDICTION) in found.errors
    message = found.message("content/site.yml", 7, "jurisdiction", codes.UNKNOWN_JURISDICTION)
    assert all(code in message for code in JURISDICTIONS), message


def test_an_unknown_holiday_subdivision_is_an_error_on_its_line(content):
    site(content, "holiday_subdivision: XX")
    assert ("content/site.yml", 7, "holiday_subdivision", codes.INVALID_VALUE) in diagnose().errors


LATE = "vendor: Late Co\ncontract_date: 2026-02-02\nposted: 2026-03-20\nstudent_data: [student_name]\n" \
       "documents:\n  - {title: Signed contract, url: 'https://www.example.com/c.pdf', type: contract}\n"
UNPOSTED = "vendor: Unposted Co\ncontract_date: 2026-02-02\nstudent_data: [student_name]\n" \
           "documents:\n  - {title: Signed contract, url: 'https://www.example.com/c.pdf', type: contract}\n"


def test_the_connecticut_default_warns_of_late_and_unposted_notices(content):
    content.contract("late-co", LATE)
    content.contract("unposted-co", UNPOSTED)
    assert {codes.POSTED_LATE, codes.NO_POSTED_DATE} <= set(diagnose().codes(codes.WARNING))


@pytest.mark.parametrize("settings", [("notice_deadline_business_days: none",),
                                      ("jurisdiction: none",)], ids=["deadline-none", "jurisdiction-none"])
def test_no_deadline_silences_every_deadline_warning(content, settings):
    site(content, *settings)
    content.contract("late-co", LATE)
    content.contract("unposted-co", UNPOSTED)
    found = diagnose()
    assert found.errors == []
    assert not DEADLINE_CODES & set(found.codes()), str(found)


def test_a_deadline_that_is_not_a_number_or_none_is_an_error(content):
    site(content, "notice_deadline_business_days: never")
    assert ("content/site.yml", 7, "notice_deadline_business_days", codes.WRONG_TYPE) in diagnose().errors


# Business days around Good Friday (2026-04-03: a Connecticut holiday, not an Illinois one) and Casimir Pulaski
# Day (2026-03-02: an Illinois holiday, not a Connecticut one). Five business days from Monday 2026-03-30 end on
# 2026-04-07 in Connecticut and 2026-04-06 in Illinois; from Thursday 2026-02-26, on 2026-03-05 in Connecticut
# and 2026-03-06 in Illinois.
def _posted(signed: str, posted: str) -> str:
    return f"vendor: Dated Co\ncontract_date: {signed}\nposted: {posted}\nstudent_data: [student_name]\n" \
           "documents:\n  - {title: Signed contract, url: 'https://www.example.com/c.pdf', type: contract}\n"


@pytest.mark.parametrize("settings, signed, posted, late", [
    ((), "2026-03-30", "2026-04-07", False),  # Good Friday skipped in Connecticut
    (("holiday_subdivision: IL",), "2026-03-30", "2026-04-07", True),  # and counted with Illinois holidays
    ((), "2026-02-26", "2026-03-06", True),  # Casimir Pulaski Day counted in Connecticut
    (("holiday_subdivision: IL",), "2026-02-26", "2026-03-06", False),  # and skipped with Illinois holidays
], ids=["good-friday-CT", "good-friday-IL-holidays", "pulaski-CT", "pulaski-IL-holidays"])
def test_business_days_follow_the_holidays_of_the_jurisdiction_or_the_site(content, settings, signed, posted, late):
    site(content, *settings)
    content.contract("dated-co", _posted(signed, posted))
    found = diagnose()
    assert found.errors == []
    assert (codes.POSTED_LATE in found.codes(codes.WARNING)) is late, str(found)


@pytest.mark.skipif("IL" not in JURISDICTIONS, reason="IL.yml is not there yet")
@pytest.mark.parametrize("jurisdiction, signed, posted, late", [
    ("CT", "2026-03-30", "2026-04-07", False), ("IL", "2026-03-30", "2026-04-07", True),
    ("CT", "2026-02-26", "2026-03-06", True), ("IL", "2026-02-26", "2026-03-06", False),
], ids=["good-friday-CT", "good-friday-IL", "pulaski-CT", "pulaski-IL"])
def test_business_days_of_illinois_skip_pulaski_day_and_count_good_friday(content, jurisdiction, signed, posted, late):
    site(content, f"jurisdiction: {jurisdiction}", "notice_deadline_business_days: 5")
    content.contract("dated-co", _posted(signed, posted) + "incomplete: true\n")  # IL's further fields are unknown
    found = diagnose()
    assert found.errors == []
    assert (codes.POSTED_LATE in found.codes(codes.WARNING)) is late, str(found)


def test_a_deadline_in_calendar_days_counts_weekends_and_holidays():
    profile = load_jurisdiction("CT")
    calendar_days = profile.model_copy(update={"notice": profile.notice.model_copy(update={
        "deadline": profile.notice.deadline.model_copy(update={"count": "calendar", "days": 10})})})
    from datetime import date

    from noticeboard.checks.compliance import clock_deadline, days_between
    clock = calendar_days.notice.deadline
    assert clock_deadline(clock, date(2026, 3, 30), calendar_days.holidays) == date(2026, 4, 9)
    assert days_between(clock, date(2026, 3, 30), date(2026, 4, 9), calendar_days.holidays) == 10
    business = profile.notice.deadline
    assert clock_deadline(business, date(2026, 3, 30), profile.holidays) == date(2026, 4, 7)


@pytest.mark.skipif("IL" not in JURISDICTIONS or load_jurisdiction("IL").notice.deadline is None
                    or load_jurisdiction("IL").notice.deadline.verified, reason="needs IL's unverified deadline")
def test_an_unverified_rule_gives_a_note_not_a_warning(content):
    site(content, "jurisdiction: IL")
    content.contract("late-co", LATE + "incomplete: true\n")
    found = diagnose()
    late = [d for d in found.report.sorted() if d.code == codes.POSTED_LATE]
    assert late and all(d.note for d in late), str(found)
    assert "could not be read" in late[0].message


BREACH = ("---\nvendor: Acme Learning\ncontract: acme-learning\ndiscovered: 2026-01-01\nreported: 2026-03-20\n"
          "student_data: [student_name]\n---\nWhat happened.\n")


def test_a_site_of_no_jurisdiction_has_no_breach_clock(content):
    content.write("breaches/acme-breach.md", BREACH)
    assert {codes.BREACH_REPORTED_LATE, codes.BREACH_NOT_POSTED} <= set(diagnose().codes(codes.WARNING))
    site(content, "jurisdiction: none")
    found = diagnose()
    assert not BREACH_CLOCK_CODES & set(found.codes()), str(found)


LAW_WORDS = ("Connecticut", "CGS", "10-234", "§", "ILCS", "NYCRR", "Illinois", "New York")


def test_a_site_of_no_jurisdiction_cites_no_law_on_any_page_in_either_language(content, tmp_path):
    site(content, "jurisdiction: none", "breaches_since: 2026-01-01")
    content.write("breaches/acme-breach.md", BREACH.replace("reported: 2026-03-20\n",
                                                            "reported: 2026-03-20\nposted: 2026-03-21\n"))
    content.contract("beta-reading", "vendor: Beta Reading\nincomplete: true\n")
    out = tmp_path / "site"
    result = run("build", "--content", str(content.root), "--out", str(out), "--today", TODAY)
    assert result.code == ExitCode.OK, result.err
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        shown = text(soup(page).body)
        cited = [word for word in LAW_WORDS if word in shown]
        assert cited == [], f"{page.relative_to(out)} cites {cited}"


def test_connecticut_names_the_vocabulary_category_after_its_law_and_none_does_not(content, tmp_path):
    content.remove("data-elements.yml")  # the shipped vocabulary
    content.contract("beta-reading", "vendor: Beta Reading\ncontract_date: 2026-01-05\nposted: 2026-01-06\n"
                                     "student_data: [social_security_number]\n")
    for jurisdiction, category in (("CT", "Other student information (Connecticut law)"),
                                   ("none", "Other student information")):
        site(content, f"jurisdiction: {jurisdiction}")
        out = tmp_path / jurisdiction
        result = run("build", "--content", str(content.root), "--out", str(out), "--today", TODAY)
        assert result.code == ExitCode.OK, result.err
        crumbs = text(soup(out / "data/social_security_number/index.html").select_one("nav.breadcrumbs"))
        assert crumbs.endswith(category), crumbs
