"""The ways in that parents use (format v2): by school, by kind of data, the data at a glance,
what an amendment changes, what is new, and a page that prints and can be asked about."""
from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import DATA_ELEMENTS_YML, SENSITIVE_ELEMENTS_YML, TODAY, build_site, print_dates, run, soup, text

ATOM = "{http://www.w3.org/2005/Atom}"

VOCABULARY = DATA_ELEMENTS_YML + SENSITIVE_ELEMENTS_YML


def page(path: str) -> BeautifulSoup:
    return soup(Path("site", path))


def listed(tag) -> str:
    """``text`` of a list written inline, whose commas follow its items' marks with no space before."""
    return text(tag).replace(" ,", ",")


def targets(tag, at: str) -> list[str]:
    """Output files that the relative links inside ``tag`` on page ``at`` lead to."""
    found = []
    for link in tag.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.scheme or not parts.path:
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(at), unquote(parts.path)))
        found.append(path + "/index.html" if "." not in posixpath.basename(path) else path)
    return found


@pytest.fixture
def district(content):
    content.write("data-elements.yml", VOCABULARY)
    content.contract("reading-plus", """\
        vendor: Reading Plus
        contract_date: 2024-05-01
        posted: 2025-03-01
        student_data: [student_name, disability, grade_level, date_of_birth]
        schools: [State Street, Enlightenment]
        """, body="Reading practice.")
    content.contract("reading-plus-amendment-1", """\
        vendor: Reading Plus
        contract_date: 2025-01-10
        kind: amendment
        amends: reading-plus
        student_data: [student_name, grade_level, social_security_number]
        schools: [state street]
        """, body="Adds two schools.")
    content.contract("quiet-partner", """\
        vendor: Quiet Partner
        contract_date: 2025-02-02
        student_data: []
        """, body="Volunteers.")
    content.contract("mystery-app", "vendor: Mystery App\nkind: amendment\namends: quiet-partner\nincomplete: true\n",
                     body="")
    return build_site()


# --- data at a glance --------------------------------------------------------------------------

def test_notice_page_starts_with_the_data_sensitive_first_and_marked_in_text(district):
    main = page("contracts/reading-plus/index.html").find("main")
    glance = main.find(class_="glance")
    assert glance is not None
    order = [tag for tag in main.find_all(True) if tag is glance or "prose" in (tag.get("class") or [])]
    assert order[0] is glance, "the data comes before the description"
    items = [text(li) for li in glance.find("ul").find_all("li")]
    assert items[0] == "Special Indicator: Disability information sensitive"  # the category holding sensitive data first
    assert {item.split(":")[0] for item in items[1:]} == {"Student Name", "Demographics", "Enrollment"}
    assert "4 kinds of student data; 1 of them is marked sensitive" in text(glance)
    marks = glance.find_all(class_="sensitive-mark")
    assert [text(mark) for mark in marks][-1] == "sensitive"  # a word, not a colour alone


def test_no_student_information_stays_explicit(district):
    glance = page("contracts/quiet-partner/index.html").find("main").find(class_="glance")
    assert text(glance.find(class_="no-data")) == "No student information is shared under this contract."


# --- amendments ----------------------------------------------------------------------------------

def test_amendment_says_which_data_it_adds_and_removes(district):
    at = "contracts/reading-plus-amendment-1/index.html"
    main = page(at).find("main")
    change = main.find(class_="change")
    assert change is not None
    assert "contracts/reading-plus/index.html" in targets(change, at)
    items = {text(li).split(":")[0]: listed(li) for li in change.find("ul").find_all("li")}
    assert items == {"Added": "Added: Social Security number sensitive",
                     "No longer listed": "No longer listed: Disability information sensitive, Date of birth"}
    headings = [text(h) for h in main.find_all("h2")]
    assert headings.index("What this amendment changes") < headings.index("What the contract is for")


def test_amendment_of_a_notice_without_data_says_the_change_cannot_be_shown(district):
    main = page("contracts/mystery-app/index.html").find("main")
    assert "cannot be shown" in text(main.find(class_="change"))


# --- schools ----------------------------------------------------------------------------------------

def test_schools_index_and_school_pages(district):
    index = page("schools/index.html").find("main")
    assert targets(index, "schools/index.html")[-2:] == ["schools/enlightenment/index.html",
                                                        "schools/state-street/index.html"]
    assert "3 of 5 notices name no school" in text(index)
    at = "schools/state-street/index.html"
    school = page(at).find("main")
    assert text(school.find("h1")) == "State Street"  # 'state street' is the same school
    listed = [t for t in targets(school.find("ul", class_="notice-list"), at) if t.startswith("contracts/")]
    assert listed == ["contracts/reading-plus-amendment-1/index.html", "contracts/reading-plus/index.html"]
    assert "may apply at State Street too" in text(school)
    notice = page("contracts/reading-plus/index.html").find("main")
    assert "schools/state-street/index.html" in targets(notice.find("dl", class_="facts"),
                                                        "contracts/reading-plus/index.html")


# --- kinds of data ------------------------------------------------------------------------------------

def test_data_element_page_lists_every_notice_that_names_it(district):
    at = "data/student_name/index.html"
    main = page(at).find("main")
    assert text(main.find("h1")) == "Student name"
    assert [t for t in targets(main.find("ul", class_="notice-list"), at) if t.startswith("contracts/")] == [
        "contracts/acme-learning/index.html", "contracts/reading-plus-amendment-1/index.html",
        "contracts/reading-plus/index.html"]
    assert "1 notice does not yet say which student data it covers" in text(main)
    unused = page("data/social_security_number/index.html").find("main")
    assert "sensitive" in text(unused.find("h1").find_next_sibling("p"))


def test_data_index_leaves_out_unused_elements_and_draws_a_company_grid(content):
    content.write("data-elements.yml", VOCABULARY)
    build_site()
    main = page("data/index.html").find("main")
    assert main.find("dt", id="disability") is None and main.find("dt", id="student_name") is not None
    assert "data/disability/index.html" in targets(main.find(id="not-listed").find_next("p"), "data/index.html")
    grid = main.find("table", class_="grid")
    assert [text(th) for th in grid.find("thead").find_all("th")] == ["Company", "Student Name", "Enrollment"]
    [row] = grid.find("tbody").find_all("tr")
    assert text(row.find("th")) == "Acme Learning"
    assert [text(td.find(class_="cell-labels")) for td in row.find_all("td")] == ["Student name", "Grade level"]


# --- what is new ----------------------------------------------------------------------------------------

def test_latest_notices_and_feed_order_by_the_day_the_notice_was_posted(district):
    home = page("index.html").find("main")
    latest = [t for t in targets(home.find("ul", class_="notice-list"), "index.html") if t.startswith("contracts/")]
    # reading-plus was signed in 2024 but posted on 1 March 2025: it is the newest notice
    assert latest[:3] == ["contracts/reading-plus/index.html", "contracts/quiet-partner/index.html",
                          "contracts/acme-learning/index.html"]
    assert "contracts/mystery-app/index.html" not in latest  # no date: not "latest"
    entries = ET.parse("site/feed.xml").getroot().findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/contracts/reading-plus/")
    assert entries[0].find(f"{ATOM}published").text == "2025-03-01T00:00:00Z"
    footer = page("contracts/index.html").find("footer")
    assert footer.find("time")["datetime"] == "2025-03-01"


def test_last_updated_comes_from_the_content_not_the_clock(district):
    first = Path("site/index.html").read_bytes()
    assert run("build", "--out", "site", "--today", "2026-12-01").code == 0
    footer = page("index.html").find("footer")
    assert "1 March 2025" in text(footer)
    assert first.replace(b"2026-11-29", b"").replace(b"29 November 2026", b"") == \
        Path("site/index.html").read_bytes().replace(b"2026-12-01", b"").replace(b"1 December 2026", b"")


# --- paper and questions --------------------------------------------------------------------------------------

def test_printed_page_carries_the_district_its_address_and_the_build_date(district):
    header = page("contracts/reading-plus/index.html").find(class_="print-header")
    assert header is not None and "print-only" in header["class"]
    assert "Test District" in text(header)
    assert "https://notices.district.test/contracts/reading-plus/" in text(header)
    assert header.find(class_="print-built") is not None
    assert print_dates(Path("site/style.css").read_bytes())["en"] == "Printed from the site as built on 29 November 2026"


def test_ask_about_this_notice_writes_to_the_district_naming_the_notice(district):
    main = page("contracts/reading-plus-amendment-1/index.html").find("main")
    link = main.find("a", string="Ask about this notice")
    parts = urlsplit(link["href"])
    assert parts.scheme == "mailto" and parts.path == "privacy@district.test"
    subject = parse_qs(parts.query)["subject"][0]
    assert "Reading Plus — Amendment 1" in subject
    assert "https://notices.district.test/contracts/reading-plus-amendment-1/" in subject


def test_no_ask_link_without_a_contact_address(content):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: https://n.example.org/\n")
    build_site()
    assert page("contracts/acme-learning/index.html").find("a", string="Ask about this notice") is None


def test_new_pages_are_in_the_sitemap(district):
    locs = {loc.text for loc in ET.parse("site/sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for url in ("schools/", "schools/state-street/", "data/student_name/", "data/social_security_number/"):
        assert "https://notices.district.test/" + url in locs
    data = json.loads(Path("site/contracts.json").read_text())
    [record] = [n for n in data["notices"] if n["slug"] == "reading-plus-amendment-1"]
    assert record["schools"] == ["State Street"]
