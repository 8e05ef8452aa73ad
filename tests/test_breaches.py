"""Breach notices (CGS § 10-234dd): records checked like notices, the law's two clocks exact to the
business day across Connecticut holidays, and the pages, feed and open data that tell parents."""
from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, build_site, diagnose, run, soup

from noticeboard import codes

BREACH = "content/breaches/acme-breach.md"


def breach(content, front_matter: str, body: str = "What happened, and what parents can do.",
           slug: str = "acme-breach"):
    return content.write(f"breaches/{slug}.md", "---\n" + textwrap.dedent(front_matter) + "---\n" + body + "\n")


ON_TIME = textwrap.dedent("""\
    vendor: Acme Learning
    contract: acme-learning
    discovered: 2026-10-20
    reported: 2026-11-02
    posted: 2026-11-04
    students_affected: 120
    student_data: [grade_level, student_name]
    """)


def page(site, path: str) -> BeautifulSoup:
    return soup(site / path)


# --------------------------------------------------------------------------- checking

def test_every_problem_of_a_breach_is_reported_at_once_on_its_line(content):
    breach(content, """\
        vendor: Acme Learning
        contract: acme-lerning
        discovered: 2026-11-10
        reported: 2026-11-02
        posted: 2026-12-05
        students_affected: many
        student_data: [student_name, grade_levl]
        colour: red
        """, body="")
    found = diagnose()
    assert [(line, field, code) for path, line, field, code in found.errors if path == BREACH] == [
        (3, "contract", codes.BREACH_CONTRACT_UNKNOWN),
        (5, "reported", codes.DATES_OUT_OF_ORDER),
        (6, "posted", codes.DATE_IN_FUTURE),
        (7, "students_affected", codes.WRONG_TYPE),
        (8, "student_data", codes.UNKNOWN_DATA_ELEMENT),
        (9, "colour", codes.UNKNOWN_FIELD),
        (11, "body", codes.MISSING_TEXT),
    ], str(found)
    assert "did you mean 'acme-learning'?" in found.message(BREACH, 3, "contract", codes.BREACH_CONTRACT_UNKNOWN)


def test_dates_must_come_in_the_order_of_the_law(content):
    breach(content, """\
        vendor: Acme Learning
        discovered: 2026-11-10
        reported: 2026-11-02
        posted: 2026-11-01
        student_data: []
        """)
    found = diagnose()
    assert [(line, field, code) for _, line, field, code in found.errors] == [
        (4, "reported", codes.DATES_OUT_OF_ORDER), (5, "posted", codes.DATES_OUT_OF_ORDER)], str(found)
    assert run("build", "--today", TODAY).code == 1


def test_a_breach_is_translated_like_a_notice_text_only(content):
    breach(content, ON_TIME)
    content.write("breaches/acme-breach.es.md", "---\nposted: 2026-11-04\n---\nQué pasó.\n")
    content.write("breaches/nobody.es.md", "---\n---\nNada.\n")
    found = diagnose()
    assert ("content/breaches/acme-breach.es.md", 2, "posted", codes.TRANSLATION_FIELD) in found.errors
    assert "a translation holds only the translated text below the '---'" in found.message(
        "content/breaches/acme-breach.es.md", 2, "posted", codes.TRANSLATION_FIELD)
    assert ("content/breaches/nobody.es.md", 1, "file name", codes.TRANSLATION_WITHOUT_RECORD) in found.errors


# --------------------------------------------------------------------------- the law's clocks

@pytest.mark.parametrize("reported, posted, late", [
    ("2026-11-02", "2026-11-04", False),  # Monday → Wednesday: the second business day
    ("2026-11-02", "2026-11-05", True),
    ("2026-11-09", "2026-11-12", False),  # Veterans Day (Wednesday 11 November) is a state holiday
    ("2026-11-09", "2026-11-13", True),
    ("2026-11-25", "2026-11-30", False),  # Thanksgiving (Thursday), then Friday and the next Monday
    ("2026-11-25", "2026-12-01", True),
    ("2026-11-06", "2026-11-10", False),  # a Friday: the weekend does not count
    ("2026-11-06", "2026-11-12", True),   # Tuesday 10 was the second business day
])
def test_the_board_posts_within_two_business_days_of_the_report(content, reported, posted, late):
    breach(content, f"vendor: Acme Learning\nreported: {reported}\nposted: {posted}\nstudent_data: []\n")
    found = diagnose(today="2026-12-15")
    assert not found.errors, str(found)
    assert ((BREACH, 4, "posted", codes.BREACH_POSTED_LATE) in found.warnings) == late, str(found)


def test_a_breach_without_a_posted_date_says_when_it_was_due(content):
    breach(content, "vendor: Acme Learning\nreported: 2026-11-25\nstudent_data: []\n")
    found = diagnose(today="2026-11-27")
    message = found.message(BREACH, 1, "posted", codes.BREACH_NOT_POSTED)
    assert "post it by 2026-11-30" in message
    found = diagnose(today="2026-12-01")
    assert "the deadline was 2026-11-30" in found.message(BREACH, 1, "posted", codes.BREACH_NOT_POSTED)


@pytest.mark.parametrize("discovered, sixty, late", [
    ("2026-10-03", False, False),  # 30 days before the report on 2 November
    ("2026-10-02", False, True),   # 31
    ("2026-09-03", True, False),    # 60, when only directory information, records or content was released
    ("2026-09-02", True, True),    # 61
])
def test_the_contractor_reports_within_30_days_or_60(content, discovered, sixty, late):
    breach(content, f"vendor: Acme Learning\ndiscovered: {discovered}\nreported: 2026-11-02\nposted: 2026-11-03\n"
                    f"sixty_day_case: {'true' if sixty else 'false'}\nstudent_data: []\n")
    found = diagnose()
    assert ((BREACH, 4, "reported", codes.BREACH_REPORTED_LATE) in found.warnings) == late, str(found)


def test_a_draft_breach_is_checked_and_said_to_be_unpublished(content):
    breach(content, ON_TIME + "draft: true\n")
    found = diagnose()
    assert (BREACH, 9, "draft", codes.DRAFT_NOT_PUBLISHED) in found.warnings
    site = build_site()
    assert not (site / "breaches" / "acme-breach").exists()
    assert "No breach of student data has been reported." in page(site, "breaches/index.html").get_text()


@pytest.mark.parametrize("body, shown", [("What happened, and what parents can do.", True), ("", False)])
def test_the_preview_shows_a_draft_breach_once_it_says_what_happened(content, body, shown):
    """The one rule of what is published (BreachRecord.is_public): a draft never in a build; in the preview
    once it is valid and has its text."""
    from datetime import date

    from noticeboard.preview.state import Preview
    from noticeboard.reporter import NullReporter

    breach(content, ON_TIME + "draft: true\n", body=body)
    preview = Preview(content.root, "http://127.0.0.1:8000/", date.fromisoformat(TODAY), reporter=NullReporter())
    preview.rebuild()
    assert (preview.file("breaches/acme-breach/index.html") is not None) == shown
    assert not (build_site() / "breaches" / "acme-breach").exists()


def test_new_breach_is_a_draft_due_in_two_business_days_that_check_accepts(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")  # 2026-11-25, the day the report came
    result = run("new", "breach", "acme-2026-11", "--vendor", "Acme Learning")
    assert result.code == 0, result.err
    path = content.root / "breaches" / "acme-2026-11.md"
    assert "vendor: Acme Learning" in path.read_text(encoding="utf-8")
    found = diagnose(today="2026-11-25")
    assert not found.errors, str(found)
    assert found.codes("warning") == [codes.DRAFT_NOT_PUBLISHED], "posted the day it was reported: on time"


# --------------------------------------------------------------------------- what parents see

def test_with_no_breach_the_page_says_so_and_since_when(content):
    content.write("site.yml", (content.root / "site.yml").read_text() + "breaches_since: 2025-01-01\n")
    site = build_site()
    text = page(site, "breaches/index.html").select_one("main").get_text(" ", strip=True)
    assert "No breach of student data has been reported." in text
    assert "This site has kept the record of breach notices since 1 January 2025." in text
    spanish = page(site, "es/breaches/index.html").select_one("main").get_text(" ", strip=True)
    assert "No se ha comunicado ninguna filtración de datos estudiantiles." in spanish
    assert json.loads((site / "breaches.json").read_text())["breaches"] == []
    assert not page(site, "index.html").select(".breach-box"), "no banner on the home page"


def test_a_breach_page_says_what_happened_the_data_the_dates_and_whom_to_ask(content):
    content.write("data-elements.yml", (content.root / "data-elements.yml").read_text() + textwrap.dedent("""\
        disability:
          label: Disability information
          category: Special Indicator
          description: Whether the student has a disability.
          sensitive: true
        """))
    breach(content, ON_TIME.replace("[grade_level, student_name]", "[grade_level, disability, student_name]"),
           body="A server was open for **four days**.")
    site = build_site()
    html = page(site, "breaches/acme-breach/index.html")
    main = html.select_one("main")
    assert main.h1.get_text() == "Data breach at Acme Learning"
    assert html.title.get_text().startswith("Data breach at Acme Learning")
    labels = [link.get_text() for link in main.select(".data-summary a")]
    assert labels[0] == "Disability information", "sensitive data first"
    assert set(labels) == {"Disability information", "Grade level", "Student name"}
    assert main.select_one(".prose strong").get_text() == "four days"
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in main.select("dl.facts dt")}
    assert facts["Discovered by the company"] == "20 October 2026"
    assert facts["Reported to the district"] == "2 November 2026"
    assert facts["Posted here, and parents notified"] == "4 November 2026"
    assert facts["Students affected"] == "120"
    ask = main.select_one('a[href^="mailto:"]')
    assert ask["href"] == "mailto:privacy@district.test?subject=Question%20about%20the%20data%20breach%20at%20Acme%20Learning"


def test_a_breach_links_both_ways_with_its_company_and_contract(content):
    breach(content, ON_TIME)
    site = build_site()
    main = page(site, "breaches/acme-breach/index.html").select_one("main")
    assert main.select_one('dl.facts a[href="../../vendors/acme-learning/index.html"]').get_text() == "Acme Learning"
    assert main.select_one('dl.facts a[href="../../contracts/acme-learning/index.html"]') is not None
    for path, back in [("vendors/acme-learning/index.html", "../../breaches/acme-breach/index.html"),
                       ("contracts/acme-learning/index.html", "../../breaches/acme-breach/index.html")]:
        box = page(site, path).select_one("main .breach-box")
        assert box is not None and box.select_one(f'a[href="{back}"]').get_text() == "Data breach at Acme Learning", path


def test_breaches_are_listed_newest_first_and_recent_ones_on_the_home_page(content):
    breach(content, ON_TIME)
    breach(content, "vendor: Beta Books\nreported: 2026-06-01\nposted: 2026-06-02\nstudent_data: []\n",
           slug="beta-breach")
    site = build_site()
    listed = [link["href"] for link in page(site, "breaches/index.html").select("main .breach-list > li > a")]
    assert listed == ["acme-breach/index.html", "beta-breach/index.html"]
    banner = page(site, "index.html").select_one("main .breach-box")
    assert [link.get_text() for link in banner.select(".breach-list a")] == ["Data breach at Acme Learning"], \
        "posted in the last 90 days: the June one is not"
    later = build_site(today="2027-02-03")  # 91 days after 4 November
    assert not page(later, "index.html").select(".breach-box")


def test_breaches_are_in_the_feed_the_open_data_and_the_sitemap_in_every_language(content):
    breach(content, ON_TIME)
    content.write("breaches/acme-breach.es.md", "---\n---\nUn servidor estuvo abierto.\n")
    site = build_site()
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{atom}entry")
                 if e.find(f"{atom}id").text == "https://notices.district.test/breaches/acme-breach/")
    assert entry.find(f"{atom}title").text == "Data breach at Acme Learning"
    assert "120 students affected" in entry.find(f"{atom}summary").text
    spanish = ElementTree.parse(site / "es" / "feed.xml").getroot()
    assert any(e.find(f"{atom}title").text == "Filtración de datos en Acme Learning" for e in spanish.iter(f"{atom}entry"))
    data = json.loads((site / "breaches.json").read_text())
    assert data["breaches"][0] | {"description": None} == {
        "slug": "acme-breach", "url": "https://notices.district.test/breaches/acme-breach/", "vendor": "Acme Learning",
        "vendor_url": "https://notices.district.test/vendors/acme-learning/", "contract": "acme-learning",
        "discovered": "2026-10-20", "reported": "2026-11-02", "posted": "2026-11-04", "students_affected": 120,
        "sixty_day_case": False, "student_data": ["student_name", "grade_level"],
        "student_data_labels": ["Student name", "Grade level"], "sensitive_data": [], "description": None,
        "example": False}
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://notices.district.test/breaches/acme-breach/</loc>" in sitemap
    assert 'hreflang="es" href="https://notices.district.test/es/breaches/acme-breach/"' in sitemap
    es = page(site, "es/breaches/acme-breach/index.html").select_one("main")
    assert es.h1.get_text() == "Filtración de datos en Acme Learning"
    assert "Un servidor estuvo abierto." in es.select_one(".prose").get_text()


def test_the_example_breach_says_that_it_is_an_example(example_site):
    main = page(example_site, "breaches/example-breach/index.html").select_one("main")
    assert "No such breach was reported" in main.select_one(".example-box").get_text()
    listed = page(example_site, "breaches/index.html").select_one("main .breach-list li")
    assert listed.select_one(".example-mark").get_text() == "Example"
