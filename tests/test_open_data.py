"""contracts.json, contracts.csv, feed.xml and sitemap.xml: parsed as the tools that read them would."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import (EXAMPLE_CONTENT, TODAY, date_text, element_labels, first_day, newest_first_key, published, vocabulary, build_site)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE_URL = yaml.safe_load((EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["base_url"]
FORMAT_FIELDS = ["slug", "url", "vendor", "title", "kind", "amends", "contract_date", "posted", "expires", "status",
                 "incomplete", "student_data", "student_data_notes", "schools", "grades", "documents", "description",
                 "subprocessors", "retention", "sdpc_agreement"]


def page_file(out: Path, base_url: str, absolute: str) -> Path:
    assert absolute.startswith(base_url), absolute
    relative = absolute[len(base_url):]
    return out / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)


# --- contracts.json -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def notices_json(example_site) -> list[dict]:
    data = json.loads((example_site / "contracts.json").read_text(encoding="utf-8"))
    return data["notices"]


def test_json_has_one_entry_per_published_notice_newest_first(notices_json):
    records = published(EXAMPLE_CONTENT)
    assert sorted(n["slug"] for n in notices_json) == sorted(records)
    assert notices_json == sorted(notices_json, key=newest_first_key)
    dated = [n["contract_date"] for n in notices_json if n["contract_date"]]
    assert dated[0] > dated[-1]
    assert notices_json[-1]["contract_date"] is None, "undated incomplete notices come last"


def test_json_entries_carry_the_fields_of_the_format(notices_json, example_site):
    records = published(EXAMPLE_CONTENT)
    for notice in notices_json:
        assert set(FORMAT_FIELDS) <= set(notice), notice["slug"]
        fields = records[notice["slug"]]
        assert notice["vendor"].casefold() == fields["vendor"].casefold()
        assert notice["contract_date"] == date_text(fields.get("contract_date"))
        assert notice["incomplete"] is bool(fields.get("incomplete"))
        assert notice["expires"] == (fields["expires"].isoformat() if fields.get("expires") else None)
        assert notice["posted"] == (fields["posted"].isoformat() if fields.get("posted") else None)
        assert notice["kind"] == fields.get("kind", "contract")
        if "student_data" in fields:
            assert set(notice["student_data"]) == set(fields["student_data"])
        else:  # an incomplete notice that has not yet posted its data: null, never "none shared"
            assert notice["incomplete"] and notice["student_data"] is None and "student_data" in notice["missing"]
        assert notice["description"].split()[:5] == fields["body"].split()[:5]
        if fields.get("title"):
            assert notice["title"] == fields["title"]
        expires = fields.get("expires")
        assert notice["status"] == ("no_end_date" if not expires else
                                    "expired" if expires < date.fromisoformat(TODAY) else "active")
        assert notice["known_from"] == fields.get("known_from")
        assert notice["product"] == fields.get("product")
        assert notice["student_data_not_limited"] is bool(fields.get("student_data_not_limited"))
        assert page_file(example_site, BASE_URL, notice["url"]).is_file()
        assert page_file(example_site, BASE_URL, notice["vendor_url"]).is_file()


def test_json_links_amendments_to_published_originals(notices_json):
    slugs = {n["slug"] for n in notices_json}
    records = published(EXAMPLE_CONTENT)
    for notice in notices_json:
        target = records[notice["slug"]].get("amends")
        assert notice["amends"] == (target if target in slugs else None), notice["slug"]
        amended_by = sorted(n["slug"] for n in notices_json if n["amends"] == notice["slug"])
        assert sorted(notice["amended_by"]) == amended_by, notice["slug"]
    assert any(n["amends"] for n in notices_json)
    assert any(n["amended_by"] for n in notices_json)


# --- contracts.csv --------------------------------------------------------------------------

def test_json_tells_incomplete_notices_apart(notices_json):
    incomplete = [n for n in notices_json if n["incomplete"]]
    assert incomplete and len(incomplete) < len(notices_json)
    for notice in notices_json:
        if notice["incomplete"]:
            assert notice["missing"], notice["slug"]
        else:
            assert notice["missing"] == [] and notice["contract_date"] and notice["student_data"] is not None


def test_json_lists_sensitive_data_first(notices_json):
    elements = vocabulary(EXAMPLE_CONTENT)
    sensitive = {key for key, value in elements.items() if value.get("sensitive")}
    with_sensitive = [n for n in notices_json if set(n["student_data"] or []) & sensitive]
    assert with_sensitive, "the example content is expected to list sensitive data"
    for notice in with_sensitive:
        flags = [key in sensitive for key in notice["student_data"]]
        assert flags == sorted(flags, reverse=True), notice["slug"]
        assert notice["sensitive_data"] == [key for key in notice["student_data"] if key in sensitive]


def test_csv_opens_in_excel_as_utf8_with_labels(example_site, notices_json):
    raw_bytes = (example_site / "contracts.csv").read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf"), "Excel reads a CSV as UTF-8 only after a byte-order mark"
    raw = raw_bytes.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header, body = rows[0], rows[1:]
    assert {"slug", "vendor", "title", "contract_date", "student_data", "status", "url", "incomplete",
            "subprocessors", "subprocessors_url", "retention", "sdpc_agreement"} <= set(header)
    assert all(len(row) == len(header) for row in body)
    assert [row[header.index("slug")] for row in body] == [n["slug"] for n in notices_json]
    records = published(EXAMPLE_CONTENT)
    labels = element_labels(EXAMPLE_CONTENT)
    for row in csv.DictReader(io.StringIO(raw, newline="")):
        fields = records[row["slug"]]
        if "student_data" not in fields:
            assert row["student_data"] == "not yet posted"
        elif not fields["student_data"]:
            assert row["student_data"] == "none shared"
        else:
            shown = {label.strip() for label in row["student_data"].split(";")}
            assert shown == {labels[key] for key in fields["student_data"]}, row["slug"]
        assert row["contract_date"] == (date_text(fields.get("contract_date")) or "")
        assert row["incomplete"] == ("yes" if fields.get("incomplete") else "no")


def test_csv_neutralises_spreadsheet_formulas(content):
    content.contract("formula-vendor", """\
        vendor: "=HYPERLINK(\\"https://evil.example/\\", \\"Click\\")"
        title: "@SUM(1+1)"
        contract_date: 2025-02-02
        student_data: []
        """, body="+1 and a description that starts with a plus sign.")
    out = build_site()
    rows = list(csv.DictReader(io.StringIO((out / "contracts.csv").read_text(encoding="utf-8-sig"), newline="")))
    row = next(r for r in rows if r["slug"] == "formula-vendor")
    for column in ("vendor", "title", "description"):
        assert row[column][:1] not in ("=", "+", "@", "-"), (column, row[column])
    assert "HYPERLINK" in row["vendor"]  # kept, only made inert
    # The JSON keeps the name exactly as written.
    data = json.loads((out / "contracts.json").read_text(encoding="utf-8"))
    assert next(n for n in data["notices"] if n["slug"] == "formula-vendor")["vendor"].startswith("=HYPERLINK")



def test_csv_neutralises_cells_that_start_with_a_minus(content):
    content.contract("minus-vendor", """\
        vendor: "-2+3+cmd|' /C calc'!A0"
        contract_date: 2025-02-02
        student_data: []
        schools: ["-1+1 School"]
        grades: "-3"
        """, body="- a description that starts as a Markdown list\n- second item")
    out = build_site()
    rows = list(csv.DictReader(io.StringIO((out / "contracts.csv").read_text(encoding="utf-8-sig"), newline="")))
    row = next(r for r in rows if r["slug"] == "minus-vendor")
    for column in ("vendor", "title", "schools", "grades", "description"):
        assert row[column][:1] not in ("=", "+", "@", "-", "\t", "\r"), (column, row[column])
        assert row[column].startswith("'-"), (column, row[column])

def test_open_data_carries_subprocessors_retention_and_the_sdpc_agreement(content):
    content.contract("acme-learning", """\
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name]
        subprocessors: [Amazon Web Services, "=Formula Hosting"]
        retention: |
          Kept while the contract lasts; deleted within **60 days** after it ends.
        sdpc_agreement: https://sdpc.a4l.org/agreements/123
        """, body="Reading practice.")
    content.contract("zeta-math", """\
        vendor: Zeta Math
        contract_date: 2025-02-02
        student_data: []
        subprocessors: https://zeta.example/legal/subprocessors
        """, body="Math practice.")
    content.contract("quiet-partner", """\
        vendor: Quiet Partner
        contract_date: 2025-03-03
        student_data: []
        """, body="Mentoring.")
    out = build_site()
    notices = {n["slug"]: n for n in json.loads((out / "contracts.json").read_text(encoding="utf-8"))["notices"]}
    new_fields = ("subprocessors", "subprocessors_url", "retention", "sdpc_agreement")
    assert [notices["acme-learning"][name] for name in new_fields] == [
        ["Amazon Web Services", "=Formula Hosting"], None,
        "Kept while the contract lasts; deleted within **60 days** after it ends.\n",
        "https://sdpc.a4l.org/agreements/123"]
    assert [notices["zeta-math"][name] for name in new_fields] == [
        None, "https://zeta.example/legal/subprocessors", None, None]
    assert [notices["quiet-partner"][name] for name in new_fields] == [None, None, None, None]
    rows = {row["slug"]: row for row in csv.DictReader(
        io.StringIO((out / "contracts.csv").read_text(encoding="utf-8-sig"), newline=""))}
    assert [rows["acme-learning"][name] for name in new_fields] == [
        "Amazon Web Services; =Formula Hosting", "",
        "Kept while the contract lasts; deleted within **60 days** after it ends.\n",
        "https://sdpc.a4l.org/agreements/123"]
    assert [rows["zeta-math"][name] for name in new_fields] == ["", "https://zeta.example/legal/subprocessors", "", ""]
    assert [rows["quiet-partner"][name] for name in new_fields] == ["", "", "", ""]


# --- feed.xml ---------------------------------------------------------------------------------

def _recency(notice: dict) -> date | None:
    """When parents could first see a notice: posted, or else signed."""
    return first_day(notice["posted"]) or first_day(notice["contract_date"])


def test_feed_is_atom_with_one_entry_per_dated_notice_newest_posted_first(example_site, notices_json):
    root = ET.parse(example_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{child}") is not None, child
    entries = [entry for entry in root.findall(f"{ATOM}entry")
               if "/contracts/" in entry.find(f"{ATOM}id").text]  # the breach notices: tests/test_breaches.py
    dated = sorted((n for n in notices_json if _recency(n)),
                   key=lambda n: (-_recency(n).toordinal(), n["title"].casefold(), n["title"], n["slug"]))
    assert 0 < len(entries) == len(dated) < len(notices_json)
    ids = set()
    for entry, notice in zip(entries, dated):
        link = entry.find(f"{ATOM}link").get("href")
        assert link == notice["url"]
        assert urlsplit(link).scheme in ("http", "https") and link.startswith(BASE_URL)
        assert page_file(example_site, BASE_URL, link).is_file()
        assert entry.find(f"{ATOM}title").text == notice["title"]
        assert entry.find(f"{ATOM}updated").text.endswith("Z")
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == len(entries)
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href") == BASE_URL + "feed.xml"


def test_feed_updated_depends_on_the_notices_not_the_clock(content):
    first = build_site(today="2025-06-01", out="one")
    second = build_site(today="2026-11-29", out="two")
    updated = [ET.parse(out / "feed.xml").getroot().find(f"{ATOM}updated").text for out in (first, second)]
    # the only notice was posted on 2025-01-24
    assert updated == ["2025-01-24T00:00:00Z", "2025-01-24T00:00:00Z"]
    assert (first / "feed.xml").read_bytes() == (second / "feed.xml").read_bytes()
    content.contract("newer", """\
        vendor: Newer Co
        contract_date: 2025-03-03
        posted: 2025-03-05
        student_data: []
        """)
    third = build_site(today="2026-11-29", out="three")
    root = ET.parse(third / "feed.xml").getroot()
    assert root.find(f"{ATOM}updated").text == "2025-03-05T00:00:00Z"
    assert root.findall(f"{ATOM}entry")[0].find(f"{ATOM}link").get("href").endswith("/contracts/newer/")


# --- sitemap.xml ------------------------------------------------------------------------------

def sitemap_locations(out: Path) -> list[str]:
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_every_page_but_404(example_site):
    locations = sitemap_locations(example_site)
    assert len(locations) == len(set(locations))
    pages = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")} - {"404.html", "es/404.html"}
    assert {page_file(example_site, BASE_URL, loc).relative_to(example_site).as_posix() for loc in locations} == pages
    assert all(loc.startswith(BASE_URL) for loc in locations)
    assert not any("404" in loc for loc in locations)


def test_base_url_option_changes_every_absolute_address(content):
    out = build_site("--base-url", "https://other.example/")
    locations = sitemap_locations(out)
    assert locations and all(loc.startswith("https://other.example/") for loc in locations)
    assert "https://other.example/contracts/acme-learning/" in locations
    feed = ET.parse(out / "feed.xml").getroot()
    assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [
        "https://other.example/contracts/acme-learning/"]
    data = json.loads((out / "contracts.json").read_text(encoding="utf-8"))
    assert data["notices"][0]["url"] == "https://other.example/contracts/acme-learning/"
    for path in out.rglob("*"):
        if path.is_file():
            assert b"notices.district.test" not in path.read_bytes(), path
