"""Incomplete notices (format v2): known contracts published with what is known, marked, and
reported to staff; month dates for them only; the one publication rule shared by check, build
and the preview."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import pdf, TODAY, build, diagnose, run, soup, text
from noticeboard import codes
from noticeboard.pipeline import build as build_site
from noticeboard.preview.state import Preview

C = "content/contracts/kami.md"


def check(*extra: str):
    return run("check", "--today", TODAY, *extra)


def of(found: list[tuple], path: str = C) -> list[tuple]:
    """The diagnostics of ``path`` among ``found``: (path, line, field, code)."""
    return [one for one in found if one[0] == path]


def page(path: str) -> BeautifulSoup:
    return soup(Path("site", path))


def kami(content, extra: str = "", body: str = "") -> None:
    content.contract("kami", "vendor: Kami\nincomplete: true\n" + extra, body=body)


# --- what check says -----------------------------------------------------------------------

def test_incomplete_notice_is_warned_about_once_naming_what_is_missing(content):
    kami(content)
    result = check()
    assert result.code == 0, result.err
    found = diagnose()
    incomplete = [(C, 3, "incomplete", codes.INCOMPLETE_NOTICE)]  # the line of 'incomplete: true'
    assert [one for one in of(found.warnings) if one[2] == "incomplete"] == incomplete
    assert found.errors == []
    for missing in ("contract_date", "student_data", "description"):
        assert missing in found.message(*incomplete[0])
    assert "2 notices (1 complete, 1 incomplete, 0 drafts)" in result.err
    assert check("--strict").code == 1


def test_incomplete_notice_with_every_element_is_told_to_drop_the_mark(content):
    kami(content, "contract_date: 2025-02-03\nstudent_data: []\n", body="Annotating PDFs.")
    assert (C, 3, "incomplete", codes.INCOMPLETE_BUT_COMPLETE) in diagnose().warnings


def test_a_record_cannot_be_both_draft_and_incomplete(content):
    kami(content, "draft: true\n")
    for command in ("check", "build"):
        assert of(diagnose(command).errors) == [(C, 3, "incomplete", codes.DRAFT_AND_INCOMPLETE)]
    assert check().code == 1 and build().code == 1
    assert not Path("site").exists()


def test_values_present_in_an_incomplete_notice_are_validated_as_usual(content):
    kami(content, "contract_date: 1/21/2025\nstudent_data: [date_of_brith]\n")
    found = diagnose()
    assert of(found.errors) == [(C, 4, "contract_date", codes.INVALID_DATE),
                                (C, 5, "student_data", codes.UNKNOWN_DATA_ELEMENT)]
    assert "did you mean 2025-01-21" in found.message(*found.errors[0])
    assert "did you mean 'date_of_birth'" in found.message(*found.errors[1])
    assert check().code == 1


def test_complete_notice_missing_an_element_is_an_error_that_mentions_the_incomplete_mark(content):
    content.contract("kami", "vendor: Kami\nstudent_data: []\n", body="Annotating PDFs.")
    for command in ("check", "build"):
        found = diagnose(command)
        assert of(found.errors) == [(C, 1, "contract_date", codes.MISSING_FIELD)]
        assert "incomplete: true" in found.message(*found.errors[0])


# --- month dates ---------------------------------------------------------------------------

def test_month_date_only_in_an_incomplete_notice(content):
    content.contract("legends", "vendor: Legends of Learning\ncontract_date: 2022-04\nstudent_data: []\n")
    result = check()
    assert result.code == 1
    # as staff see it
    assert ("content/contracts/legends.md:3: error: contract_date: '2022-04' has no day: write the date the contract "
            "was signed, YYYY-MM-DD, or mark the notice 'incomplete: true' until the day is known [NB106]"
            ) in result.lines


def test_us_month_date_is_an_error_that_shows_the_month_form(content):
    kami(content, 'contract_date: "04/2022"\n')
    found = diagnose()
    assert of(found.errors) == [(C, 4, "contract_date", codes.INVALID_DATE)]
    message = found.message(*found.errors[0])
    assert "'04/2022'" in message and "2022-04" in message and "incomplete" in message


@pytest.mark.parametrize("extra, expected", [
    ("contract_date: 2026-12\n", (4, "contract_date", codes.DATE_IN_FUTURE)),
    ("contract_date: 2022-13\n", (4, "contract_date", codes.INVALID_DATE)),
    ("contract_date: 2022-04\nposted: 2022-03-31\n", (5, "posted", codes.DATES_OUT_OF_ORDER)),
])
def test_month_dates_follow_the_date_rules(content, extra, expected):
    kami(content, extra)
    assert of(diagnose().errors) == [(C, *expected)]


def test_month_date_is_shown_as_a_month_and_sorts_as_its_first_day(content):
    kami(content, "contract_date: 2022-04\n")
    for slug, day in (("before", "2022-03-31"), ("first", "2022-04-01"), ("after", "2022-04-02")):
        content.contract(slug, f"vendor: Vendor {slug}\ncontract_date: {day}\nstudent_data: []\n")
    assert build().code == 0
    main = page("contracts/kami/index.html").find("main")
    time = main.find("time", datetime="2022-04")
    assert time is not None and text(time) == "April 2022"
    assert "only the month, April 2022" in text(main)
    rows = [text(row.find_all("td")[1]) for row in page("contracts/index.html").find("tbody").find_all("tr")]
    # same day: by title, so "Kami" before "Vendor first"
    assert rows.index("Vendor after") < rows.index("Kami") < rows.index("Vendor first") < rows.index("Vendor before")


def test_undated_notices_come_after_every_dated_one_by_title(content):
    content.contract("zulu", "vendor: Zulu Tools\nincomplete: true\n", body="")
    content.contract("alpha", "vendor: Alpha Tools\nincomplete: true\n", body="")
    content.contract("ancient", "vendor: Ancient Co\ncontract_date: 1999-01-01\nstudent_data: []\n")
    assert build().code == 0
    rows = [text(row.find_all("td")[1]) for row in page("contracts/index.html").find("tbody").find_all("tr")]
    assert rows == ["Acme Learning", "Ancient Co", "Alpha Tools", "Zulu Tools"]
    vendor_rows = json.loads(Path("site/contracts.json").read_text())["notices"]
    assert [n["slug"] for n in vendor_rows] == ["acme-learning", "ancient", "alpha", "zulu"]


# --- what parents see ------------------------------------------------------------------------

def test_incomplete_notice_is_listed_everywhere_and_says_what_is_missing(content):
    kami(content)
    result = build()
    assert result.code == 0, result.err
    main = page("contracts/kami/index.html").find("main")
    box = main.find(class_="incomplete-box")
    assert box is not None and "This notice is incomplete" in text(box)
    missing = [text(li) for li in box.find_all("li")]
    assert missing == ["the date the contract was signed", "which student data this company may access",
                       "what the contract is for"]
    assert "has not yet posted which student data this company may access" in text(main.find(class_="glance"))
    assert "No student information" not in text(main)
    assert "has not yet posted a description" in text(main)

    row = next(r for r in page("contracts/index.html").find("tbody").find_all("tr") if "Kami" in text(r))
    assert "Incomplete notice" in text(row) and "date not yet posted" in text(row)
    assert "Not yet posted by the district" in text(row)
    vendor = page("vendors/kami/index.html").find("main")
    assert "Incomplete notice" in text(vendor) and "has not yet posted which student data" in text(vendor)
    assert "Kami" in text(page("vendors/index.html").find("main"))
    home = text(page("index.html").find("main"))
    assert "This site lists 2 contracts, amendments and renewals with 2 companies" in home
    assert "1 with a complete notice that the district posted" in home
    assert "1 whose notice is incomplete" in home
    data = page("data/index.html").find("main")
    assert "contracts/kami/" in str(data.find(id="not-posted").find_next("ul"))

    [record] = [n for n in json.loads(Path("site/contracts.json").read_text())["notices"] if n["slug"] == "kami"]
    assert record["incomplete"] is True and record["contract_date"] is None and record["student_data"] is None
    assert record["missing"] == ["contract_date", "student_data", "description"]
    rows = list(csv.DictReader(io.StringIO(Path("site/contracts.csv").read_text(encoding="utf-8-sig"))))
    [row] = [r for r in rows if r["slug"] == "kami"]
    assert row["incomplete"] == "yes" and row["student_data"] == "not yet posted" and row["contract_date"] == ""


def test_incomplete_notice_that_shares_nothing_says_so_explicitly(content):
    kami(content, "contract_date: 2022-04\nstudent_data: []\n", body="Annotating PDFs.")
    assert build().code == 0
    main = page("contracts/kami/index.html").find("main")
    assert text(main.find(class_="no-data")) == "No student information is shared under this contract."
    assert [text(li) for li in main.find(class_="incomplete-box").find_all("li")] == [
        "the day the contract was signed (only the month, April 2022, has been posted)"]


# --- one rule for check, build and the preview ----------------------------------------------------

def test_preview_copies_the_documents_of_the_drafts_it_shows_and_the_public_build_does_not(content, tmp_path):
    content.write("contracts/files/ready.pdf", pdf("ready"))
    content.contract("ready-draft", """\
        vendor: Ready Reading
        contract_date: 2025-02-03
        student_data: [student_name]
        documents:
          - title: Signed contract
            file: ready.pdf
        draft: true
        """, body="A finished draft.")
    today = date.fromisoformat(TODAY)
    preview = Preview(content.root, "http://127.0.0.1:8000/", today)
    preview.rebuild()
    assert not preview.errors
    html = preview.file("contracts/ready-draft/index.html").decode("utf-8")
    assert "Draft preview." in html and "../files/ready.pdf" in html
    assert preview.file("contracts/files/ready.pdf") == pdf("ready")
    public = build_site(content.root, tmp_path / "public", today)
    assert not public.report.errors
    assert not (tmp_path / "public/contracts/files/ready.pdf").exists()
    assert not (tmp_path / "public/contracts/ready-draft").exists()


def test_incomplete_draft_is_neither_previewed_nor_published(content, tmp_path):
    content.contract("half-done", "vendor: Half Done\ndraft: true\n", body="")
    today = date.fromisoformat(TODAY)
    preview = Preview(content.root, "http://127.0.0.1:8000/", today)
    preview.rebuild()
    assert preview.file("contracts/half-done/index.html") is None
