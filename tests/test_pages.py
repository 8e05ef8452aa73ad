"""What parents and staff read on each page, parsed from the built files: content and order."""
from __future__ import annotations

import calendar
import posixpath
import re
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import (pdf, DATA_ELEMENTS_YML, EXAMPLE_CONTENT, SENSITIVE_ELEMENTS_YML, date_text, english, first_day, front_matter, main_records, newest_first_key, published, vocabulary, build_site, soup, text)


# --- helpers ------------------------------------------------------------------------------

def main_of(out: Path, page: str):
    return soup(out / page).find("main")


def long_date(value: date) -> str:
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def shown_date(value) -> str:
    """How a front-matter date, month (``2022-04``) or missing date reads on a page."""
    text_value = date_text(value)
    if text_value is None:
        return "date not yet posted"
    day = first_day(value)
    return long_date(day) if len(text_value) == 10 else f"{calendar.month_name[day.month]} {day.year}"


def resolve(page: str, href: str) -> str | None:
    """The output file that a relative ``href`` on ``page`` points at (None when external)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return target + "/index.html" if target.endswith("/") or "." not in posixpath.basename(target) else target


def link_targets(tag, page: str) -> list[str]:
    return [target for a in tag.find_all("a", href=True) if (target := resolve(page, a["href"]))]


def facts(main) -> dict[str, object]:
    """The first description list of a page: term → description."""
    terms = {}
    for dt in main.find("dl").find_all("dt", recursive=False):
        terms[text(dt)] = dt.find_next_sibling("dd")
    return terms


def notice_links_in_order(tag, page: str) -> list[str]:
    """Slugs of the notices that ``tag`` links to, in document order."""
    slugs = []
    for target in link_targets(tag, page):
        match = re.fullmatch(r"contracts/([a-z0-9-]+)/index\.html", target)
        if match and match.group(1) not in slugs:
            slugs.append(match.group(1))
    return slugs


# --- /contracts/ ----------------------------------------------------------------------------

def test_example_contracts_page_lists_every_notice_newest_first(example_site):
    main = main_of(example_site, "contracts/index.html")
    records = published(EXAMPLE_CONTENT)
    rows = main.find("tbody").find_all("tr")
    shown = []
    for row in rows:
        link = next(a for a in row.find_all("a") if resolve("contracts/index.html", a["href"]).count("/") == 2)
        slug = resolve("contracts/index.html", link["href"]).split("/")[1]
        when = records[slug].get("contract_date")
        time = row.find("time")
        assert (time["datetime"] if time else None) == date_text(when), slug
        assert shown_date(when) in text(row), slug
        shown.append({"slug": slug, "contract_date": when, "title": text(link)})
    assert sorted(item["slug"] for item in shown) == sorted(records)
    assert shown == sorted(shown, key=newest_first_key)
    dated = [first_day(item["contract_date"]) for item in shown if item["contract_date"]]
    assert dated[0] > dated[-1]
    assert shown[-1]["contract_date"] is None, "undated incomplete notices come last"


def test_notices_of_one_date_are_ordered_by_title_then_slug(content):
    for slug, vendor, title in [("zeta-one", "Zeta Corp", "Alpha Reading"),
                                ("alpha-two", "Alpha Co", "Beta Math"),
                                ("mid-deal", "Mid Co", "Alpha Reading")]:
        content.contract(slug, f"""\
            vendor: {vendor}
            title: {title}
            contract_date: 2025-03-03
            student_data: []
            """)
    content.contract("old-one", """\
        vendor: Old Co
        contract_date: 2024-05-05
        student_data: []
        """)
    out = build_site()
    expected = ["mid-deal", "zeta-one", "alpha-two", "acme-learning", "old-one"]
    assert notice_links_in_order(main_of(out, "contracts/index.html").find("table"), "contracts/index.html") == expected
    home = main_of(out, "index.html")
    assert notice_links_in_order(home, "index.html") == expected


def test_home_page_shows_the_latest_notices_and_the_main_sections(example_site):
    main = main_of(example_site, "index.html")
    targets = set(link_targets(main, "index.html"))
    for section in ("contracts/index.html", "vendors/index.html", "data/index.html", "guide/index.html",
                    "policies/index.html"):
        assert section in targets
    newest = notice_links_in_order(main_of(example_site, "contracts/index.html").find("table"), "contracts/index.html")
    latest = notice_links_in_order(main, "index.html")
    assert latest and latest == newest[: len(latest)]


# --- one notice ---------------------------------------------------------------------------

@pytest.fixture
def full_notice(content):
    content.write("contracts/files/reading-plus-signed.pdf", pdf("signed contract"))
    content.contract("reading-plus", """\
        vendor: Reading Plus
        contract_date: 2025-01-21
        posted: 2025-01-24
        expires: 2026-06-30
        student_data: [grade_level, student_name, date_of_birth]
        student_data_notes: Only *first* names are shared.
        schools: [State Street, Enlightenment]
        grades: 9-12
        documents:
          - title: Signed contract
            file: reading-plus-signed.pdf
          - title: Vendor privacy policy
            url: https://www.example.com/privacy
        """, body="Adaptive reading practice for high-school students.")
    content.contract("quiet-partner", """\
        vendor: Quiet Partner
        contract_date: 2025-02-02
        student_data: []
        """, body="Mentoring by volunteers; no student data changes hands.")
    return build_site(today="2025-12-01")


def test_notice_page_shows_every_field(full_notice):
    page = "contracts/reading-plus/index.html"
    main = main_of(full_notice, page)
    assert text(main.find("h1")) == "Reading Plus"
    terms = facts(main)
    signed = terms["Signed"]
    assert text(signed) == "21 January 2025" and signed.find("time")["datetime"] == "2025-01-21"
    assert "24 January 2025" in text(terms["Notice posted"])
    assert "30 June 2026" in text(terms["Expires"]) and "Expired" not in text(terms["Expires"])
    assert "State Street" in text(terms["Schools"]) and "Enlightenment" in text(terms["Schools"])
    assert text(terms["Grades"]).startswith("9-12 (")  # as written, then each grade read, linked
    vendor_page = link_targets(terms["Company"], page)
    assert vendor_page == ["vendors/reading-plus/index.html"]
    assert text(main_of(full_notice, vendor_page[0]).find("h1")) == "Reading Plus"
    assert "Adaptive reading practice for high-school students." in text(main)
    assert main.find("em", string="first") is not None  # the notes are Markdown


def test_notice_page_groups_data_elements_by_category(full_notice):
    main = main_of(full_notice, "contracts/reading-plus/index.html")
    elements = vocabulary(Path("content"))
    shown = []
    for heading in main.find_all("h3"):
        listing = heading.find_next_sibling()
        if listing is None or listing.name != "dl":
            continue
        for dt in listing.find_all("dt"):
            shown.append((text(heading), text(dt), text(dt.find_next_sibling("dd"))))
    expected = [(elements[k]["category"], elements[k]["label"], elements[k]["description"])
                for k in ("student_name", "date_of_birth", "grade_level")]  # order of data-elements.yml
    assert shown == expected


def test_notice_without_student_data_says_so(full_notice):
    main = main_of(full_notice, "contracts/quiet-partner/index.html")
    assert "No student information is shared" in text(main)
    assert not [t for t in link_targets(main, "contracts/quiet-partner/index.html") if t.startswith("data/")]
    shared = main_of(full_notice, "contracts/reading-plus/index.html")
    assert "No student information is shared" not in text(shared)


def link_titled(main, title: str):
    """The link whose text starts with a document's ``title`` (then its type, pages and size), after the kind of
    document ("Contract:") that a notice's links start with, or None."""
    def title_first(a) -> str:
        kind = a.select_one(".document-kind")
        text = a.get_text(" ", strip=True)
        return text.removeprefix(kind.get_text(" ", strip=True)).strip() if kind else text

    return next((a for a in main.find_all("a") if title_first(a).startswith(title + " (")), None)


def test_documents_are_links_and_posted_files_are_copied(full_notice):
    page = "contracts/reading-plus/index.html"
    main = main_of(full_notice, page)
    signed = link_titled(main, "Signed contract")
    target = resolve(page, signed["href"])
    assert (full_notice / target).read_bytes() == Path("content/contracts/files/reading-plus-signed.pdf").read_bytes()
    external = main.find("a", string="Vendor privacy policy")
    assert external["href"] == "https://www.example.com/privacy"
    quiet = main_of(full_notice, "contracts/quiet-partner/index.html")
    assert link_titled(quiet, "Signed contract") is None


def test_document_file_names_with_spaces_and_hash_still_link_to_the_file(content):
    name = "Signed Contract #2 (2025).pdf"
    content.write(f"contracts/files/{name}", pdf("amendment two"))
    content.contract("acme-learning", f"""\
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name]
        documents:
          - title: Signed contract
            file: "{name}"
        """)
    out = build_site()
    page = "contracts/acme-learning/index.html"
    href = link_titled(main_of(out, page), "Signed contract")["href"]
    assert urlsplit(href).fragment == "" and " " not in href
    assert (out / resolve(page, href)).read_bytes() == pdf("amendment two")


def test_policy_documents_are_copied_and_linked(content):
    content.write("policies/files/5125.pdf", pdf("policy"))
    content.write("policies/5125.md", """\
        ---
        number: "5125"
        title: Student Records; Confidentiality
        adopted: 2016-09-12
        documents:
          - title: Policy 5125 (PDF)
            file: 5125.pdf
        ---
        """)
    out = build_site()
    page = "policies/5125/index.html"
    main = main_of(out, page)
    assert "12 September 2016" in text(facts(main)["Adopted"])
    link = link_titled(main, "Policy 5125 (PDF)")
    assert (out / resolve(page, link["href"])).read_bytes() == pdf("policy")


@pytest.fixture
def amended(content):
    for slug, kind, day in [("acme-learning-amendment-1", "amendment", "2025-03-01"),
                            ("acme-learning-amendment-2", "amendment", "2025-09-01"),
                            ("acme-learning-renewal", "renewal", "2025-12-01")]:
        content.contract(slug, f"""\
            vendor: Acme Learning
            contract_date: {day}
            kind: {kind}
            amends: acme-learning
            student_data: [student_name]
            """)
    return build_site()


def test_amendments_get_default_titles(amended):
    titles = {slug: text(main_of(amended, f"contracts/{slug}/index.html").find("h1"))
              for slug in ("acme-learning", "acme-learning-amendment-1", "acme-learning-amendment-2",
                           "acme-learning-renewal")}
    assert titles == {"acme-learning": "Acme Learning",
                      "acme-learning-amendment-1": "Acme Learning — Amendment 1",
                      "acme-learning-amendment-2": "Acme Learning — Amendment 2",
                      "acme-learning-renewal": "Acme Learning — Renewal"}


def test_amendment_and_original_link_to_each_other(amended):
    original = "contracts/acme-learning/index.html"
    later = notice_links_in_order(main_of(amended, original), original)
    assert later == ["acme-learning-amendment-1", "acme-learning-amendment-2", "acme-learning-renewal"]
    for slug in later:
        page = f"contracts/{slug}/index.html"
        assert original in link_targets(main_of(amended, page), page), slug


def test_example_amendment_links_both_ways(example_site):
    linked = 0
    for slug, fields in published(EXAMPLE_CONTENT).items():
        target = fields.get("amends")
        if target and target in published(EXAMPLE_CONTENT):
            page, original = f"contracts/{slug}/index.html", f"contracts/{target}/index.html"
            assert original in link_targets(main_of(example_site, page), page)
            assert page in link_targets(main_of(example_site, original), original)
            linked += 1
    assert linked >= 1


def test_expired_notice_is_shown_as_expired_and_still_listed(content):
    content.contract("old-pilot", """\
        vendor: Old Pilot
        contract_date: 2024-01-10
        expires: 2025-06-30
        student_data: [student_name]
        """)
    out = build_site()
    page = main_of(out, "contracts/old-pilot/index.html")
    assert "Expired" in text(facts(page)["Expires"])
    listing = main_of(out, "contracts/index.html")
    row = listing.find("a", href="old-pilot/index.html").find_parent("tr")
    assert "Expired" in text(row)
    assert "Expired" not in text(listing.find("a", href="acme-learning/index.html").find_parent("tr"))
    assert "old-pilot" in notice_links_in_order(main_of(out, "vendors/index.html"), "vendors/index.html")


# --- vendors ------------------------------------------------------------------------------

def _initial(name: str) -> str:
    letter = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


def test_vendor_index_is_a_to_z_with_letter_navigation(example_site):
    page = "vendors/index.html"
    document = soup(example_site / page)
    main = document.find("main")
    initials = {_initial(fields["vendor"]) for fields in published(EXAMPLE_CONTENT).values()}
    letters = main.find("nav")
    items = letters.find_all("li")
    assert [text(li) for li in items][:26] == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    linked = {}
    for li in items:
        anchor = li.find("a")
        if anchor is not None:
            linked[text(li)] = anchor["href"]
    assert set(linked) == initials
    for letter, href in linked.items():
        assert href.startswith("#")
        section_heading = document.find(id=href[1:])
        assert section_heading is not None, href
        # the letter's section holds the vendors that start with it
        section = section_heading.find_parent("section") or section_heading.parent
        names = [text(h) for h in section.find_all("h3")]
        assert names and all(_initial(name) == letter for name in names)
    vendor_names = [text(h3) for h3 in main.find_all("h3")]
    assert vendor_names == sorted(vendor_names, key=str.casefold)


def test_each_vendor_page_lists_its_notices_in_date_order(example_site):
    records = published(EXAMPLE_CONTENT)
    by_vendor: dict[str, set[str]] = {}
    for slug in records:
        page = f"contracts/{slug}/index.html"
        vendor_page = link_targets(facts(main_of(example_site, page))["Company"], page)[0]
        by_vendor.setdefault(vendor_page, set()).add(slug)
    assert len(by_vendor) < len(records)  # some vendor has several notices
    for vendor_page, slugs in by_vendor.items():
        listed = notice_links_in_order(main_of(example_site, vendor_page), vendor_page)
        assert set(listed) == slugs, vendor_page
        days = [first_day(records[slug].get("contract_date")) for slug in listed]
        dated = [day for day in days if day]
        assert dated == sorted(dated) and days == dated + [None] * (len(days) - len(dated)), vendor_page


def test_vendor_spellings_that_differ_in_case_share_one_page(content):
    content.contract("torsh", """\
        vendor: TORSH
        contract_date: 2022-08-24
        student_data: []
        """)
    content.contract("torsh-amendment-1", """\
        vendor: Torsh
        contract_date: 2023-02-24
        kind: amendment
        amends: torsh
        student_data: []
        """)
    out = build_site()
    pages = {slug: link_targets(facts(main_of(out, f"contracts/{slug}/index.html"))["Company"],
                                f"contracts/{slug}/index.html")[0]
             for slug in ("torsh", "torsh-amendment-1")}
    assert pages["torsh"] == pages["torsh-amendment-1"]
    vendor_dirs = sorted(p.parent.name for p in (out / "vendors").glob("*/index.html"))
    assert len(vendor_dirs) == 2  # Acme Learning and one TORSH
    assert notice_links_in_order(main_of(out, pages["torsh"]), pages["torsh"]) == ["torsh", "torsh-amendment-1"]
    index = main_of(out, "vendors/index.html")
    assert len([h for h in index.find_all("h3") if text(h).casefold() == "torsh"]) == 1


# --- /data/ -----------------------------------------------------------------------------------

def _vendor_pages(site: Path) -> dict[str, str]:
    """Notice slug → the vendor page its notice links to."""
    pages = {}
    for slug in published(EXAMPLE_CONTENT):
        notice_page = f"contracts/{slug}/index.html"
        pages[slug] = link_targets(facts(main_of(site, notice_page))["Company"], notice_page)[0]
    return pages


def test_data_page_lists_the_elements_in_use_with_the_vendors_that_may_access_them(example_site):
    page = "data/index.html"
    document = soup(example_site / page)
    elements = vocabulary(EXAMPLE_CONTENT)
    records = published(EXAMPLE_CONTENT)
    vendor_page = _vendor_pages(example_site)
    not_listed = document.find(id="not-listed").find_next_sibling("p")
    checked_with_vendors = 0
    for key, element in elements.items():
        expected = {vendor_page[slug] for slug, fields in records.items() if key in (fields.get("student_data") or [])}
        dt = document.find("dt", id=key)
        if not expected:  # left out of the long list, named once among those no notice lists
            assert dt is None, key
            assert f"data/{key}/index.html" in link_targets(not_listed, page), key
            continue
        assert dt is not None and text(dt).startswith(element["label"]), key
        assert ("sensitive" in text(dt)) is bool(element.get("sensitive")), key
        assert link_targets(dt, page) == [f"data/{key}/index.html"]
        dd = dt.find_next_sibling("dd")
        assert element["description"] in text(dd)
        assert set(link_targets(dd, page)) == expected, key
        checked_with_vendors += 1
    assert 5 <= checked_with_vendors < len(elements)


def test_data_page_groups_elements_by_category_sensitive_first(example_site):
    document = soup(example_site / "data/index.html")
    elements = vocabulary(EXAMPLE_CONTENT)
    categories = []
    for dt in document.find("main").find_all("dt", id=True):
        heading = dt.find_parent("dl").find_previous_sibling("h2")
        assert text(heading) == elements[dt["id"]]["category"], dt["id"]
        if not categories or categories[-1][0] != text(heading):
            categories.append((text(heading), []))
        categories[-1][1].append(bool(elements[dt["id"]].get("sensitive")))
    for name, flags in categories:
        assert flags == sorted(flags, reverse=True), f"{name}: sensitive elements first"
    holds_sensitive = [any(flags) for _, flags in categories]
    assert any(holds_sensitive) and holds_sensitive == sorted(holds_sensitive, reverse=True)


def test_every_data_element_has_a_page_with_every_notice_that_lists_it(example_site):
    elements = vocabulary(EXAMPLE_CONTENT)
    records = published(EXAMPLE_CONTENT)
    for key, element in elements.items():
        page = f"data/{key}/index.html"
        main = main_of(example_site, page)
        assert text(main.find("h1")) == element["label"]
        assert element["description"] in text(main)
        assert ("sensitive" in text(main.find("h1").find_next_sibling("p"))) is bool(element.get("sensitive")), key
        expected = [item["slug"] for item in sorted(
            ({"slug": slug, "title": text(main_of(example_site, f"contracts/{slug}/index.html").find("h1")),
              "contract_date": fields.get("contract_date")}
             for slug, fields in records.items() if key in (fields.get("student_data") or [])),
            key=newest_first_key)]
        listing = main.find("ul", class_="notice-list")
        assert (notice_links_in_order(listing, page) if listing else []) == expected, key
        if not expected:
            assert "No notice lists it" in text(main)
        undated = [slug for slug, fields in records.items() if "student_data" not in fields]
        assert bool(undated) == ("do not yet say which student data" in text(main))


def test_data_grid_has_a_row_per_company_and_a_column_per_category_in_use(example_site):
    page = "data/index.html"
    main = main_of(example_site, page)
    grid = main.find("table", class_="grid")
    elements = vocabulary(EXAMPLE_CONTENT)
    records = published(EXAMPLE_CONTENT)
    vendor_page = _vendor_pages(example_site)
    columns = [text(th) for th in grid.find("thead").find_all("th")][1:]
    used = {elements[key]["category"] for fields in records.values() for key in fields.get("student_data") or []}
    assert set(columns) == used and len(columns) == len(used)
    expected: dict[str, dict[str, set[str]]] = {}
    for slug, fields in records.items():
        for key in fields.get("student_data") or []:
            expected.setdefault(vendor_page[slug], {}).setdefault(elements[key]["category"], set()).add(
                elements[key]["label"])
    rows = grid.find("tbody").find_all("tr")
    assert len(rows) == len(expected)
    for row in rows:
        vendor = link_targets(row.find("th"), page)[0]
        for column, cell in zip(columns, row.find_all("td")):
            labels = {text(a) for a in cell.find_all("a")}
            assert labels == expected[vendor].get(column, set()), (vendor, column)


# --- guide and translations ---------------------------------------------------------------

def test_guide_in_english_and_spanish_link_to_each_other(example_site):
    english, spanish = soup(example_site / "guide/index.html"), soup(example_site / "es/guide/index.html")
    assert english.find("html")["lang"] == "en"
    assert spanish.find("html")["lang"] == "es"
    es_fields, _ = front_matter(EXAMPLE_CONTENT / "pages/guide.es.md")
    en_fields, _ = front_matter(EXAMPLE_CONTENT / "pages/guide.md")
    assert text(english.find("h1")) == en_fields["title"]
    assert text(spanish.find("h1")) == es_fields["title"]
    english_nav = text(english.find("header").find("nav", attrs={"aria-label": "Main"}))
    spanish_nav = text(spanish.find("header").find("nav", attrs={"aria-label": "Principal"}))
    assert "Notices" in english_nav and "Avisos" not in english_nav
    assert "Avisos" in spanish_nav and "Notices" not in spanish_nav
    assert "es/guide/index.html" in link_targets(english.find("header"), "guide/index.html")
    assert "guide/index.html" in link_targets(spanish.find("header"), "es/guide/index.html")
    switch = spanish.find("header").find("a", hreflang="en")
    assert switch is not None and resolve("es/guide/index.html", switch["href"]) == "guide/index.html"


GUIDE = """\
---
title: A guide for parents
---
Read [every notice](/contracts/) or [the feed](/feed.xml), and see [student data](/data/#student_name).
"""


def test_untranslated_page_falls_back_to_english_and_says_so(content):
    content.write("pages/guide.md", GUIDE)
    content.write("pages/guide.es.md", "---\ntitle: Guía\n---\nTexto en español.\n")
    content.remove("pages/guide.es.md")
    out = build_site()
    spanish = soup(out / "es/guide/index.html")
    english = soup(out / "guide/index.html")
    assert spanish.find("html")["lang"] == "es"
    assert text(spanish.find("h1")) == "A guide for parents"
    assert "Read every notice or the feed" in text(spanish.find("main"))
    assert spanish.find("h1").find_parent(lang="en") is not None  # read out in English
    note = [text(p) for p in spanish.find("main").find_all("p") if "solo está disponible en inglés" in text(p)]
    assert note, "the Spanish page does not say that it is not translated"
    assert note[0] == "Este texto solo está disponible en inglés."
    assert not english.find("main").select(".untranslated-note, [lang]")


def test_site_absolute_links_in_markdown_become_relative(content):
    content.write("pages/guide.md", GUIDE)
    out = build_site()
    for page, lang in (("guide/index.html", ""), ("es/guide/index.html", "es/")):
        main = main_of(out, page)
        # A page's links lead to pages in its own language; files are the same for every language.
        for label, target in [("every notice", lang + "contracts/index.html"), ("the feed", lang + "feed.xml"),
                              ("student data", lang + "data/index.html")]:
            href = main.find("a", string=label)["href"]
            assert not href.startswith("/"), href
            assert resolve(page, href) == target and (out / target).is_file()
        anchor = main.find("a", string="student data")["href"]
        assert anchor.endswith("#student_name")
        assert soup(out / "data/index.html").find(id="student_name") is not None


def test_links_without_trailing_slash_and_footnotes_resolve(content):
    content.write("pages/guide.md", """\
---
title: A guide for parents
---
See [the companies](/vendors) and [data](/data#student_name).[^law]

[^law]: CGS § 10-234bb.
""")
    out = build_site()
    main = main_of(out, "guide/index.html")
    assert resolve("guide/index.html", main.find("a", string="the companies")["href"]) == "vendors/index.html"
    assert resolve("guide/index.html", main.find("a", string="data")["href"]) == "data/index.html"
    footnote_links = [a for a in main.find_all("a") if a["href"].startswith("#")]
    assert len(footnote_links) == 2
    for link in footnote_links:
        assert main.find(id=link["href"][1:]) is not None, link["href"]


# --- policies -------------------------------------------------------------------------------

def test_policies_are_grouped_by_series_in_series_order(example_site):
    series = yaml.safe_load((EXAMPLE_CONTENT / "policies" / "series.yml").read_text(encoding="utf-8"))
    order = [item["key"] for item in series]
    titles = {item["key"]: english(item["title"]) for item in series}
    policies = {p.stem: front_matter(p)[0] for p in main_records(EXAMPLE_CONTENT / "policies")}
    series_of = {n: fields.get("series") or n[0] + "000" for n, fields in policies.items()}
    used = [key for key in order if key in series_of.values()]
    main = main_of(example_site, "policies/index.html")
    headings = main.find_all("h2")
    assert len(headings) == len(used)
    for heading, key in zip(headings, used):
        assert text(heading).startswith(titles[key])
        listed = [resolve("policies/index.html", a["href"]) for a in heading.find_next_sibling("ul").find_all("a")]
        assert sorted(listed) == sorted(f"policies/{n}/index.html" for n, s in series_of.items() if s == key)


def test_policy_page_shows_number_title_dates_example_mark_and_related(example_site):
    for path in main_records(EXAMPLE_CONTENT / "policies"):
        fields, _ = front_matter(path)
        number = str(fields["number"])
        page = f"policies/{number}/index.html"
        main = main_of(example_site, page)
        heading = text(main.find("h1"))
        assert number in heading and fields["title"] in heading
        terms = facts(main)
        for name in ("adopted", "revised"):
            if fields.get(name):
                assert text(terms[name.title()]) == long_date(fields[name])
            else:
                assert name.title() not in terms, (number, name)
        example = [p for p in main.find_all("p") if text(p).startswith("Example text.")]
        assert bool(example) is bool(fields.get("example")), number
        if example:
            assert "not the adopted policy" in text(example[0])
        related = fields.get("related") or []
        targets = link_targets(main, page)
        for other in related:
            assert f"policies/{other}/index.html" in targets, (number, other)


# --- Markdown and escaping --------------------------------------------------------------------

HOSTILE_BODY = """\
Intro paragraph.

- first item
- second item

See [the vendor site](https://example.com/about) and [all notices](/contracts/).

<script>alert(1)</script>

[click me](javascript:alert(1)) and [again](JaVaScRiPt:alert(3))

<img src="x" onerror="alert(2)"> <a href="#" onclick="alert(4)">plain</a>
"""


def test_markdown_is_converted_and_html_is_neutralised(content):
    content.contract("tricky", """\
        vendor: "<script>alert(1)</script> Tools"
        contract_date: 2025-02-02
        student_data: [student_name]
        student_data_notes: "<b onmouseover='alert(5)'>bold</b> <iframe src='https://evil.example/'></iframe>"
        """, body=HOSTILE_BODY)
    out = build_site()
    page = "contracts/tricky/index.html"
    main = main_of(out, page)
    items = [text(li) for li in main.find_all("li")]
    assert "first item" in items and "second item" in items
    assert main.find("a", string="the vendor site")["href"] == "https://example.com/about"
    assert resolve(page, main.find("a", string="all notices")["href"]) == "contracts/index.html"
    assert "click me" in text(main)
    for path in out.rglob("*.html"):
        document = soup(path)
        assert document.find_all(["iframe", "img"]) == [], path
        # The only script is the search page's own, from the site itself.
        scripts = [script.get("src") for script in document.find_all("script")]
        depth = len(path.relative_to(out).parts) - 1
        assert scripts == (["../" * depth + "search.js"] if path.parent.name == "search" else []), path
        for tag in document.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.lower().startswith("on"), (path, tag)
                values = value if isinstance(value, list) else [value]
                assert not any("javascript:" in v.lower().replace(" ", "") for v in values), (path, tag)
        assert b"<script>alert(1)</script>" not in path.read_bytes()
    vendor_heading = text(main_of(out, "vendors/index.html").find("h3", string=re.compile("Tools")))
    assert vendor_heading == "<script>alert(1)</script> Tools"  # shown as text, never run
    assert text(main.find("h1")) == "<script>alert(1)</script> Tools"


def test_notices_table_shows_the_data_of_each_notice_sensitive_first(content):
    content.write("data-elements.yml", DATA_ELEMENTS_YML + SENSITIVE_ELEMENTS_YML)
    content.contract("one-kind", """\
        vendor: Solo Reading
        contract_date: 2025-02-03
        student_data: [student_name, disability]
        """)
    content.contract("no-kind", """\
        vendor: Quiet Tools
        contract_date: 2025-02-04
        student_data: []
        """)
    content.contract("unknown", """\
        vendor: Someday Tools
        incomplete: true
        """, body="")
    out = build_site()
    rows = {text(row.find_all("td")[1]): text(row.find_all("td")[3])
            for row in main_of(out, "contracts/index.html").find("tbody").find_all("tr")}
    assert rows == {"Solo Reading": "Sensitive: Disability information. Also: Student name",
                    "Quiet Tools": "No student information is shared",
                    "Acme Learning": "Student name, Grade level",
                    "Someday Tools": "Not yet posted by the district"}
    home = {text(li.find("a")): text(li.find(class_="data-line"))
            for li in main_of(out, "index.html").find("ul", class_="notice-list").find_all("li")}
    assert home["Solo Reading"] == "Student data: Sensitive: Disability information. Also: Student name"
    assert "Someday Tools" not in home  # undated: not among the latest


def test_vendor_page_sums_up_the_data_of_all_its_notices(content):
    content.contract("acme-learning-renewal", """\
        vendor: Acme Learning
        contract_date: 2025-06-01
        kind: renewal
        amends: acme-learning
        student_data: [date_of_birth]
        """)
    content.contract("quiet-tools", """\
        vendor: Quiet Tools
        contract_date: 2025-02-04
        student_data: []
        """)
    out = build_site()
    summary = main_of(out, "vendors/acme-learning/index.html").find("ul", class_="data-summary")
    assert summary is not None
    # in the order of the vocabulary: Student Name, Demographics, Enrollment in conftest's data-elements.yml
    assert [text(a) for a in summary.find_all("a")] == ["Student name", "Date of birth", "Grade level"]
    for link in summary.find_all("a"):
        target = resolve("vendors/acme-learning/index.html", link["href"])
        assert text(main_of(out, target).find("h1")) == text(link)
    quiet = main_of(out, "vendors/quiet-tools/index.html")
    assert quiet.find("ul", class_="data-summary") is None
    assert "None of its notices shares student information" in text(quiet)


def test_every_standalone_page_is_in_the_navigation(content):
    content.write("pages/guide.md", "---\ntitle: A guide for parents\n---\nText.\n")
    content.write("pages/faq.md", "---\ntitle: Questions and answers\n---\nText.\n")
    out = build_site()
    nav = soup(out / "index.html").find("header").find("nav", attrs={"aria-label": "Main"})
    labels = [text(a) for a in nav.find_all("a")]
    assert labels.index("Parent guide") < labels.index("Questions and answers")
    link = nav.find("a", string="Questions and answers")["href"]
    assert resolve("index.html", link) == "faq/index.html" and (out / "faq/index.html").is_file()
    spanish_nav = soup(out / "es/faq/index.html").find("header").find("nav", attrs={"aria-label": "Principal"})
    link = next(a for a in spanish_nav.find_all("a") if "Questions and answers" in text(a))
    assert resolve("es/faq/index.html", link["href"]) == "es/faq/index.html"
    assert link.find(lang="en").get_text() == "Questions and answers", "an untranslated title is marked"


def test_footnotes_in_two_blocks_of_one_page_keep_distinct_ids(content):
    content.write("contracts/acme-learning.md", """\
        ---
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name]
        student_data_notes: |
          Names only.[^1]

          [^1]: As the contract says.
        ---
        Reading practice.[^1]

        [^1]: For grades 3-5.
        """)
    out = build_site()
    page = soup(out / "contracts/acme-learning/index.html")
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    footnote_links = [a["href"] for a in page.find("main").find_all("a") if a["href"].startswith("#")]
    assert len(footnote_links) == 4
    for href in footnote_links:
        assert page.find(id=href[1:]) is not None, href


def test_the_same_text_twice_on_one_page_still_has_distinct_footnote_ids(content):
    """Conversions are cached by text: the number of the block on its page is part of the key."""
    notes = "Names only.[^1] See the note again.[^1]\n\n[^1]: As the contract says."
    content.write("contracts/acme-learning.md", "---\nvendor: Acme Learning\ncontract_date: 2025-01-21\n"
                  "student_data: [student_name]\nstudent_data_notes: |\n"
                  + "".join(f"  {line}\n" for line in notes.splitlines()) + "---\n" + notes + "\n")
    out = build_site()
    for page_path in ("contracts/acme-learning/index.html", "es/contracts/acme-learning/index.html"):
        page = soup(out / page_path)
        ids = [tag["id"] for tag in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), ids
        footnote_links = [a["href"] for a in page.find("main").find_all("a") if a["href"].startswith("#")]
        assert len(footnote_links) == 8  # two references and two links back, in each of two blocks
        for href in footnote_links:
            assert page.find(id=href[1:]) is not None, href


def test_headings_keep_one_h1_per_page_and_their_order(content):
    """A text that uses `#` moves down one level as a whole; one that starts at `##` stays."""
    content.write("pages/guide.md", "---\ntitle: A guide for parents\n---\n"
                  "# Your rights\n\nText.\n\n## Under FERPA\n\n[TOC]\n\nMore.\n")
    content.write("pages/faq.md", "---\ntitle: Questions\n---\n## What is a notice?\n\n### Its parts\n\nText.\n")
    out = build_site()
    guide = main_of(out, "guide/index.html")
    assert [(h.name, text(h)) for h in guide.find_all(re.compile(r"^h\d$"))] == [
        ("h1", "A guide for parents"), ("h2", "Your rights"), ("h3", "Under FERPA")]
    assert "[TOC]" in text(guide)  # Python-Markdown's table-of-contents marker is text here
    faq = main_of(out, "faq/index.html")
    assert [(h.name, text(h)) for h in faq.find_all(re.compile(r"^h\d$"))] == [
        ("h1", "Questions"), ("h2", "What is a notice?"), ("h3", "Its parts")]


@pytest.mark.parametrize("written, link", [
    ("/vendors", "vendors/"), ("/vendors/", "vendors/"), ("/data#student_name", "data/#student_name"),
    ("/search?q=kami", "search/?q=kami"), ("/contracts.json", "contracts.json"),
    ("/contracts/files/a.pdf#page=2", "contracts/files/a.pdf#page=2"), ("/", ""), ("/#top", "#top"),
    ("/a:b", "a:b/"),  # site-absolute: never a scheme
])
def test_site_absolute_links_take_the_directory_form(written, link):
    from noticeboard.output.render import _directory_form
    assert _directory_form(written).lstrip("/") == link


@pytest.mark.parametrize("days, english_words, spanish_words", [
    (1, "within one business day of signing", "dentro de un día hábil a partir de su firma"),
    (10, "within ten business days of signing", "dentro de los diez días hábiles siguientes a su firma"),
    (15, "within 15 business days of signing", "dentro de los 15 días hábiles siguientes a su firma"),
])
def test_the_home_page_states_the_deadline_of_site_yml(content, days, english_words, spanish_words):
    content.write("site.yml", (content.root / "site.yml").read_text() + f"notice_deadline_business_days: {days}\n")
    out = build_site()
    assert english_words in text(main_of(out, "index.html").find("p", class_="lead"))
    assert spanish_words in text(main_of(out, "es/index.html").find("p", class_="lead"))
