"""Grades: the ``grades`` text read as a set of grades, /grades/ and /grades/<grade>/, the warning of text
that cannot be read, what an amendment removes, and the open data."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import example, given, settings, strategies as st

from conftest import build_site, diagnose, soup, text
from noticeboard import codes
from noticeboard.grades import GRADE_KEYS, read_grades

# --- reading ---------------------------------------------------------------------------------------

K_TO = lambda last: GRADE_KEYS[1:GRADE_KEYS.index(last) + 1]  # noqa: E731


@pytest.mark.parametrize("written, grades", [
    ("K-5", K_TO("5")),
    ("9-12", ("9", "10", "11", "12")),
    ("PK-12", GRADE_KEYS),
    ("K, 3, 5", ("k", "3", "5")),
    ("Grades 6–8", ("6", "7", "8")),
    ("Grades 6—8", ("6", "7", "8")),
    ("Grade 9-Grade 12", ("9", "10", "11", "12")),
    ("grade 9 – grade 12", ("9", "10", "11", "12")),
    ("6 to 8", ("6", "7", "8")),
    ("K through 12", GRADE_KEYS[1:]),
    ("Kindergarten through Grade 2", ("k", "1", "2")),
    ("3rd-5th grade", ("3", "4", "5")),
    ("1st", ("1",)),
    ("2nd and 3rd", ("2", "3")),
    ("Gr. 3-5", ("3", "4", "5")),
    ("Pre-K", ("pk",)),
    ("PreK-2", ("pk", "k", "1", "2")),
    ("pk", ("pk",)),
    ("Pre-Kindergarten", ("pk",)),
    ("Kindergarten", ("k",)),
    ("  k - 2  ", ("k", "1", "2")),
    ("K, 3, and 5", ("k", "3", "5")),
    ("K & 1", ("k", "1")),
    ("K/1", ("k", "1")),
    ("9-12; PK", ("pk", "9", "10", "11", "12")),
    ("6-8, 7-9", ("6", "7", "8", "9")),
    ("5-5", ("5",)),
    ("GRADES K-2 AND 11", ("k", "1", "2", "11")),
])
def test_the_forms_of_the_format_are_read_as_sets_of_grades(written, grades):
    assert read_grades(written) == grades


@pytest.mark.parametrize("written", [
    "Ages 3-5", "all grades", "All", "TK", "13", "0", "12-9", "5-K", "3th", "2st", "09", "K5", "", "   ", "Grades",
    "K,", ", K", "K-", "-5", "K--5", "K-5-8", "Grade 9 and up", "High school", "K-5 (some)", "kinder",
])
def test_what_cannot_be_read_for_certain_is_none(written):
    assert read_grades(written) is None


PK, K = "pk", "k"
SPELLINGS = {
    PK: ["PK", "pk", "Pre-K", "PreK", "pre-k", "Pre-Kindergarten", "PRE K"],
    K: ["K", "k", "Kindergarten", "KINDERGARTEN"],
    **{key: [key, f"{key}{ {'1': 'st', '2': 'nd', '3': 'rd'}.get(key, 'th')}", f"Grade {key}", f"Gr. {key}"]
       for key in GRADE_KEYS[2:]},
}
RANGE_SIGNS = ["-", " - ", "–", " — ", " to ", " through ", " TO "]
SEPARATORS = [", ", "; ", " and ", " & ", "/", ", and ", " AND "]


@st.composite
def written_grades(draw):
    """Grades written as staff might: ranges and single grades, each spelled one of its ways, in a list."""
    items, grades = [], set()
    for _ in range(draw(st.integers(1, 4))):
        first = draw(st.integers(0, len(GRADE_KEYS) - 1))
        last = draw(st.integers(first, len(GRADE_KEYS) - 1))
        spell = lambda index: draw(st.sampled_from(SPELLINGS[GRADE_KEYS[index]]))  # noqa: E731
        items.append(spell(first) if first == last else spell(first) + draw(st.sampled_from(RANGE_SIGNS)) + spell(last))
        grades.update(GRADE_KEYS[first:last + 1])
    written = items[0]
    for item in items[1:]:
        written += draw(st.sampled_from(SEPARATORS)) + item
    prefix = draw(st.sampled_from(["", "Grades ", "grades ", " "]))
    return prefix + written + draw(st.sampled_from(["", " ", "  "])), tuple(key for key in GRADE_KEYS if key in grades)


@settings(max_examples=400, derandomize=True, database=None)
@given(written_grades())
@example(("Grade 9-Grade 12", ("9", "10", "11", "12")))
def test_any_list_of_grades_and_ranges_is_read_as_their_union_in_grade_order(case):
    written, grades = case
    assert read_grades(written) == grades


@settings(max_examples=200, derandomize=True, database=None)
@given(st.integers(0, len(GRADE_KEYS) - 2), st.data())
def test_a_range_written_backwards_is_never_guessed(first, data):
    last = data.draw(st.integers(first + 1, len(GRADE_KEYS) - 1))
    sign = data.draw(st.sampled_from(RANGE_SIGNS))
    assert read_grades(SPELLINGS[GRADE_KEYS[last]][0] + sign + SPELLINGS[GRADE_KEYS[first]][0]) is None


@settings(max_examples=200, derandomize=True, database=None)
@given(written_grades(), st.sampled_from(["Ages", "about", "TK", "13", "all", "?", "(approx.)", "grade-level"]),
       st.booleans())
def test_one_unknown_word_makes_the_whole_text_unreadable(case, word, before):
    written, _ = case
    assert read_grades(f"{word} {written}" if before else f"{written} {word}") is None


# --- the site -------------------------------------------------------------------------------------------

def notice(content, slug: str, vendor: str, signed: str, extra: str = "") -> None:
    content.contract(slug, f"vendor: {vendor}\ncontract_date: {signed}\nposted: {signed}\n"
                           "student_data: [student_name]\ndocuments:\n"
                           f'  - {{title: Signed contract, url: "https://www.example.com/{slug}.pdf", type: contract}}\n'
                           + extra)


@pytest.fixture
def graded(content):
    """Notices for K-2, 3-12 and K-8, one in words that cannot be read, and the conftest's notice, with none."""
    notice(content, "early-reader", "Early Reader", "2025-03-01", "grades: K-2\nschools: [Hill, State Street]\n")
    notice(content, "high-math", "High Math", "2025-04-01", "grades: 3-12\n")
    notice(content, "middle-lab", "Middle Lab", "2025-05-01", "grades: Grades K–8\n")
    notice(content, "tots", "Tots", "2025-06-01", "grades: Ages 3-5\n")
    return content


def titles(page) -> list[str]:
    return [text(link) for link in page.select("main ul.notice-list > li > a:first-child")]


def section(page, heading: str):
    """The elements after the <h2> ``heading`` up to the next <h2>."""
    h2 = next(h for h in page.select("main h2") if text(h) == heading)
    found = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        found.append(sibling)
    return found


def test_each_grade_page_lists_the_notices_whose_ranges_cover_it(graded):
    site = build_site()
    kindergarten = soup(site / "grades/k/index.html")
    listed = [text(a) for part in section(kindergarten, "Notices that name this grade") for a in part.select("li > a:first-child")]
    assert listed == ["Middle Lab", "Early Reader"]  # newest first; not High Math (3-12)
    third = soup(site / "grades/3/index.html")
    listed = [text(a) for part in section(third, "Notices that name this grade") for a in part.select("li > a:first-child")]
    assert listed == ["Middle Lab", "High Math"]  # not Early Reader (K-2)
    twelfth = soup(site / "grades/12/index.html")
    assert [text(a) for part in section(twelfth, "Notices that name this grade")
            for a in part.select("li > a:first-child")] == ["High Math"]
    assert not (site / "grades/pk").exists()  # no notice covers pre-kindergarten: no page, no link
    assert text(kindergarten.find("h1")) == "Kindergarten"
    assert text(third.find("h1")) == "Grade 3"


def test_a_grade_page_notes_the_notices_that_name_no_grade_as_possibly_applying(graded):
    site = build_site()
    page = soup(site / "grades/3/index.html")
    note = " ".join(text(part) for part in section(page, "Notices that name no grade"))
    assert "2 notices name no grade. They may apply to Grade 3 too" in note
    links = [a for part in section(page, "Notices that name no grade") for a in part.find_all("a")]
    assert any(a["href"] == "../../contracts/index.html" for a in links)
    assert "Tots" in [text(a) for a in links]  # its grades could not be read: listed, with the text as written
    assert "Grades: Ages 3-5" in note


def test_the_grades_page_counts_and_links_each_grade_and_says_how_many_name_none(graded):
    site = build_site()
    page = soup(site / "grades/index.html")
    items = {text(li.a): text(li.select_one(".meta")) for li in page.select("main ul.grade-list > li")}
    assert list(items) == ["Kindergarten", "Grade 1", "Grade 2", "Grade 3", "Grade 4", "Grade 5", "Grade 6",
                           "Grade 7", "Grade 8", "Grade 9", "Grade 10", "Grade 11", "Grade 12"]
    assert items["Kindergarten"] == "(2 notices)" and items["Grade 3"] == "(2 notices)" and items["Grade 9"] == "(1 notice)"
    hrefs = [li.a["href"] for li in page.select("main ul.grade-list > li")]
    assert hrefs[0] == "k/index.html" and hrefs[-1] == "12/index.html"
    assert "2 of 5 notices name no grade" in text(page.find("main"))
    unreadable = " ".join(text(part) for part in section(page, "Grades that could not be read"))
    assert "Tots" in unreadable and "Ages 3-5" in unreadable


def test_the_notice_page_shows_the_grades_as_written_and_links_each_grade(graded):
    site = build_site()
    facts = soup(site / "contracts/middle-lab/index.html").select_one("dl.facts")
    dt = next(dt for dt in facts.find_all("dt") if text(dt) == "Grades")
    dd = dt.find_next_sibling("dd")
    assert text(dd).startswith("Grades K–8")
    assert [a["href"] for a in dd.find_all("a")] == [f"../../grades/{key}/index.html" for key in K_TO("8")]
    tots = soup(site / "contracts/tots/index.html").select_one("dl.facts")
    dd = next(dt for dt in tots.find_all("dt") if text(dt) == "Grades").find_next_sibling("dd")
    assert text(dd) == "Ages 3-5" and not dd.find("a")  # shown as written, nothing guessed


def test_the_lists_of_notices_show_the_grades(graded):
    site = build_site()
    rows = {text(row.select_one("td:nth-of-type(2) a")): text(row.select_one("td:nth-of-type(2)"))
            for row in soup(site / "contracts/index.html").select("table.notices tbody tr")}
    assert "Grades: 3-12" in rows["High Math"] and "Grades: Ages 3-5" in rows["Tots"]
    assert "Grades" not in rows["Acme Learning"]
    vendor = soup(site / "vendors/early-reader/index.html")
    assert "Grades: K-2" in text(vendor.find("main"))


def test_grades_that_cannot_be_read_are_a_warning_on_their_line(graded):
    found = diagnose()
    assert ("content/contracts/tots.md", 8, "grades", codes.GRADES_UNREADABLE) in found.warnings
    assert [f for f in found.all if f[3] is codes.GRADES_UNREADABLE] == [
        ("content/contracts/tots.md", 8, "grades", codes.GRADES_UNREADABLE)]
    assert "'Ages 3-5' cannot be read as grades" in found.message("content/contracts/tots.md", 8, "grades",
                                                                   codes.GRADES_UNREADABLE)
    assert not found.errors


def test_the_example_contents_ages_are_warned_of_and_shown_as_written(example_site):
    found = diagnose(content="content")
    unreadable = [f for f in found.warnings if f[3] is codes.GRADES_UNREADABLE]
    assert {f[0] for f in unreadable} == {"content/contracts/teaching-strategies.md",
                                          "content/contracts/teaching-strategies-amendment-4.md"}
    facts = soup(example_site / "contracts/teaching-strategies/index.html").select_one("dl.facts")
    assert "Ages 3-5" in text(facts)


def test_removing_schools_or_grades_on_a_contract_is_an_error(content):
    content.contract("beta", """\
        vendor: Beta
        contract_date: 2025-02-01
        student_data: [student_name]
        removes_schools: [Hill]
        removes_grades: K-2
        """)
    found = diagnose()
    assert ("content/contracts/beta.md", 5, "removes_schools", codes.REMOVES_ON_A_CONTRACT) in found.errors
    assert ("content/contracts/beta.md", 6, "removes_grades", codes.REMOVES_ON_A_CONTRACT) in found.errors


def test_an_amendment_says_what_it_removes_on_its_page_on_the_grade_pages_and_in_open_data(graded):
    notice(graded, "early-reader-amendment", "Early Reader", "2025-08-01",
           "kind: amendment\namends: early-reader\nremoves_schools: [Hill, Far Away]\nremoves_grades: K\n")
    found = diagnose()
    assert not found.errors, found
    site = build_site()
    page = soup(site / "contracts/early-reader-amendment/index.html")
    removals = " ".join(page.select_one("section.removals").get_text().split())
    assert "This amendment removes these schools: Hill, Far Away." in removals
    assert "This amendment removes these grades: K." in removals
    links = {text(a): a["href"] for a in page.select("section.removals a")}
    assert links == {"Hill": "../../schools/hill/index.html", "Kindergarten": "../../grades/k/index.html"}  # Far Away has no page
    kindergarten = soup(site / "grades/k/index.html")
    assert [text(a) for part in section(kindergarten, "Removed by") for a in part.select("li > a:first-child")] \
        == ["Early Reader — Amendment 1"]
    hill = soup(site / "schools/hill/index.html")
    assert [text(a) for part in section(hill, "Removed by") for a in part.select("li > a:first-child")] \
        == ["Early Reader — Amendment 1"]
    records = {n["slug"]: n for n in json.loads((site / "contracts.json").read_text(encoding="utf-8"))["notices"]}
    assert records["early-reader-amendment"]["removes_schools"] == ["Hill", "Far Away"]
    assert records["early-reader-amendment"]["removes_grades"] == "K"
    assert records["early-reader"]["removes_schools"] == [] and records["early-reader"]["removes_grades"] is None


def test_open_data_keeps_the_text_and_adds_the_grades_read(graded):
    site = build_site()
    records = {n["slug"]: n for n in json.loads((site / "contracts.json").read_text(encoding="utf-8"))["notices"]}
    assert records["high-math"]["grades"] == "3-12"
    assert records["high-math"]["grade_levels"] == [str(n) for n in range(3, 13)]
    assert records["middle-lab"]["grade_levels"] == list(K_TO("8"))
    assert records["tots"]["grades"] == "Ages 3-5" and records["tots"]["grade_levels"] is None  # not read
    assert records["acme-learning"]["grades"] is None and records["acme-learning"]["grade_levels"] == []
    rows = list(csv.DictReader(io.StringIO((site / "contracts.csv").read_text(encoding="utf-8-sig"))))
    header = next(csv.reader(io.StringIO((site / "contracts.csv").read_text(encoding="utf-8-sig"))))
    assert header[-3:] == ["grade_levels", "removes_schools", "removes_grades"]
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug["early-reader"]["grade_levels"] == "k; 1; 2"
    assert by_slug["early-reader"]["grades"] == "K-2"
    assert by_slug["tots"]["grade_levels"] == ""


def test_the_spanish_grade_pages_are_in_spanish_and_link_their_twins(graded):
    site = build_site()
    page = soup(site / "es/grades/index.html")
    assert page.html["lang"] == "es"
    assert [li.a["href"] for li in page.select("main ul.grade-list > li")][0] == "k/index.html"
    assert (site / "es/grades/3/index.html").exists() and not (site / "es/grades/pk").exists()
    grade = soup(site / "es/grades/3/index.html")
    assert grade.html["lang"] == "es"
    alternates = {link["hreflang"]: link["href"] for link in grade.select('link[rel="alternate"][hreflang]')}
    assert alternates["en"].endswith("grades/3/")
    assert [a["href"] for a in grade.select("main ul.notice-list > li > a:first-child")][:2] == [
        "../../contracts/middle-lab/index.html", "../../contracts/high-math/index.html"]


def test_removed_grades_that_cannot_be_read_are_a_warning_too(graded):
    notice(graded, "high-math-renewal", "High Math", "2025-09-01",
           "kind: renewal\namends: high-math\nremoves_grades: upper school\n")
    found = diagnose()
    assert ("content/contracts/high-math-renewal.md", 10, "removes_grades", codes.GRADES_UNREADABLE) in found.warnings
    assert not found.errors, found
    page = soup(build_site() / "contracts/high-math-renewal/index.html")
    assert "This renewal removes these grades: upper school." in " ".join(
        page.select_one("section.removals").get_text().split())
