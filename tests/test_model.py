"""Unit tests of the pure functions: URLs, slugs, sort order, and content → Site."""
from __future__ import annotations

import posixpath
from datetime import date
from types import SimpleNamespace

import pytest

from noticeboard import urls
from noticeboard.load.content import load_content
from noticeboard.diagnostics import Report
from noticeboard.names import slugify
from noticeboard.site.builder import build_site, document_links
from noticeboard.site.pages import newest_first, oldest_first
from noticeboard.values import Month
from noticeboard.load.schema import Document

TODAY = date(2026, 11, 29)


# --- noticeboard.urls.relative -------------------------------------------------------

def _follow(from_url: str, link: str) -> str:
    """Where a browser that opened the file of ``from_url`` from disk lands on ``link``."""
    here = posixpath.dirname(urls.file_path(from_url))
    path, _, fragment = link.partition("#")
    target = posixpath.normpath(posixpath.join(here, path)) if path else urls.file_path(from_url)
    return target + (f"#{fragment}" if fragment else "")


@pytest.mark.parametrize("from_url, to_url, expected", [
    ("", "contracts/", "contracts/index.html"),
    ("", "", "index.html"),
    ("contracts/", "", "../index.html"),
    ("contracts/x/", "vendors/y/", "../../vendors/y/index.html"),
    ("contracts/x/", "contracts/", "../index.html"),
    ("contracts/x/", "feed.xml", "../../feed.xml"),
    ("vendors/", "vendors/", "index.html"),
    ("es/guide/", "guide/", "../../guide/index.html"),
    ("404.html", "style.css", "style.css"),
])
def test_relative_links(from_url, to_url, expected):
    assert urls.relative(from_url, to_url) == expected


def test_relative_keeps_fragment():
    assert urls.relative("contracts/x/", "data/#student_name") == "../../data/index.html#student_name"
    assert urls.relative("vendors/", "vendors/#letter-a") == "index.html#letter-a"


@pytest.mark.parametrize("from_url", ["", "contracts/", "contracts/a-b/", "es/guide/", "policies/5125/", "404.html"])
@pytest.mark.parametrize("to_url", ["", "contracts/", "vendors/acme/", "policies/6141.321/", "feed.xml",
                                    "data/#date_of_birth"])
def test_relative_link_lands_on_the_target_file(from_url, to_url):
    link = urls.relative(from_url, to_url)
    assert not link.startswith("/") and "//" not in link
    target, _, fragment = to_url.partition("#")
    assert _follow(from_url, link) == urls.file_path(target) + (f"#{fragment}" if fragment else "")


def test_relative_is_what_relpath_gives_for_every_pair_of_example_pages(example_site):
    files = sorted(path.relative_to(example_site).as_posix() for path in example_site.rglob("*")
                   if path.is_file() and "pagefind" not in path.parts)
    page_urls = [name.removesuffix("index.html") for name in files][::20] + ["", "404.html", "feed.xml"]
    for from_url in page_urls:
        here = posixpath.dirname(urls.file_path(from_url)) or "."
        for to_url in page_urls:
            assert urls.relative(from_url, to_url) == posixpath.relpath(urls.file_path(to_url), here), (from_url, to_url)


def test_root_relative_uses_the_path_of_base_url():
    assert urls.root_relative("https://x.example/", "contracts/") == "/contracts/index.html"
    assert urls.root_relative("https://x.example/notices/", "") == "/notices/index.html"


# --- noticeboard.names.slugify ---------------------------------------------------------

@pytest.mark.parametrize("name, slug", [
    ("Imagine Learning", "imagine-learning"),
    ("Crème Brûlée Ñandú", "creme-brulee-nandu"),
    ("Quill.org (Empirical Resolution)", "quill-org-empirical-resolution"),
    ("PowerSchool (Naviance)", "powerschool-naviance"),
    ("  --A & B, Inc.!  ", "a-b-inc"),
    ("Saint Mary's Hospital", "saint-mary-s-hospital"),
    ("K12 / 2025", "k12-2025"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugify_of_a_name_without_latin_letters_is_still_a_stable_slug():
    first, second = slugify("日本語"), slugify("中文")
    assert first == slugify("日本語")
    assert first != second
    for slug in (first, second):
        assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


# --- sort helpers ----------------------------------------------------------------------

def _n(slug, title, day):
    return SimpleNamespace(slug=slug, title=title, contract_date=day)


def test_newest_first_orders_by_date_then_title_then_slug():
    notices = [
        _n("old", "Zeta", date(2020, 1, 1)),
        _n("b-slug", "Alpha", date(2025, 3, 3)),
        _n("new", "Mmm", date(2025, 5, 1)),
        _n("a-slug", "Alpha", date(2025, 3, 3)),
        _n("c", "Beta", date(2025, 3, 3)),
    ]
    ordered = [n.slug for n in sorted(notices, key=newest_first)]
    assert ordered == ["new", "a-slug", "b-slug", "c", "old"]


def test_oldest_first_orders_by_date_then_title_then_slug():
    notices = [
        _n("late", "A", date(2024, 1, 2)),
        _n("y", "Same", date(2020, 1, 1)),
        _n("x", "Same", date(2020, 1, 1)),
        _n("first-title", "Aaa", date(2020, 1, 1)),
    ]
    assert [n.slug for n in sorted(notices, key=oldest_first)] == ["first-title", "x", "y", "late"]


def test_a_month_sorts_as_its_first_day_and_undated_notices_come_last_by_title():
    notices = [
        _n("undated-b", "Beta", None),
        _n("april", "Kami", Month(2022, 4)),
        _n("undated-a", "Alpha", None),
        _n("april-first", "Zeta", date(2022, 4, 1)),
        _n("april-second", "Mid", date(2022, 4, 2)),
    ]
    assert [n.slug for n in sorted(notices, key=newest_first)] == [
        "april-second", "april", "april-first", "undated-a", "undated-b"]
    assert [n.slug for n in sorted(notices, key=oldest_first)] == [
        "april", "april-first", "april-second", "undated-a", "undated-b"]


# --- document links ----------------------------------------------------------------------

def test_document_links_point_into_the_files_folder_or_out():
    posted, external = document_links([Document(title="Signed", file="2025/Signed contract #2.PDF"),
                                       Document(title="Policy", url="https://example.com/privacy")],
                                      urls.CONTRACT_FILES, "en")
    assert (posted.url, posted.external, posted.is_pdf) == (
        "contracts/files/2025/Signed%20contract%20%232.PDF", False, True)
    assert (external.url, external.external, external.is_pdf) == ("https://example.com/privacy", True, False)


# --- build_site ---------------------------------------------------------------------------

def _site(content, today=TODAY, base_url=None):
    report = Report()
    loaded = load_content(content.root, report)
    assert loaded is not None and not report.errors, [d.format() for d in report.errors]
    return build_site(loaded, today, base_url)


@pytest.fixture
def tree(content):
    content.contract("acme-learning-amendment-1", """\
        vendor: ACME learning
        contract_date: 2025-06-01
        kind: amendment
        amends: acme-learning
        student_data: [student_name, date_of_birth]
        """)
    content.contract("acme-learning-renewal", """\
        vendor: Acme Learning
        contract_date: 2025-12-01
        kind: renewal
        amends: acme-learning
        student_data: [student_name]
        """)
    content.contract("acme-learning-amendment-2", """\
        vendor: Acme Learning
        contract_date: 2025-09-01
        kind: amendment
        amends: acme-learning
        expires: 2026-01-31
        student_data: []
        """)
    content.contract("beta-books", """\
        vendor: Beta Books
        contract_date: 2024-02-02
        student_data: []
        """)
    content.contract("draft-deal", """\
        vendor: Gamma Games
        contract_date: 2024-02-02
        student_data: [date_of_birth]
        draft: true
        """)
    return content


def test_build_site_groups_vendor_spellings_and_skips_drafts(tree):
    site = _site(tree)
    assert [n.slug for n in site.notices] == [
        "acme-learning-renewal", "acme-learning-amendment-2", "acme-learning-amendment-1", "acme-learning",
        "beta-books"]
    assert [v.name for v in site.vendors] == ["Acme Learning", "Beta Books"]
    acme = site.vendors[0]
    assert acme.slug == "acme-learning" and acme.url == "vendors/acme-learning/"
    assert [n.slug for n in acme.notices] == [
        "acme-learning", "acme-learning-amendment-1", "acme-learning-amendment-2", "acme-learning-renewal"]
    assert all(n.vendor is acme for n in acme.notices)
    assert [v.name for v in site.vendors_sharing_nothing] == ["Beta Books"]
    assert [(letter.letter, [v.name for v in letter.vendors]) for letter in site.letters] == [
        ("A", ["Acme Learning"]), ("B", ["Beta Books"])]
    assert len(site.alphabet) == 26
    assert {letter for letter, group in site.alphabet if group} == {"A", "B"}


def test_build_site_links_amendments_both_ways_with_default_titles(tree):
    site = _site(tree)
    by_slug = {n.slug: n for n in site.notices}
    original = by_slug["acme-learning"]
    assert [n.slug for n in original.amendments] == [
        "acme-learning-amendment-1", "acme-learning-amendment-2", "acme-learning-renewal"]
    for amendment in original.amendments:
        assert amendment.amends is original
    assert original.amends is None
    assert original.title == "Acme Learning"
    assert by_slug["acme-learning-amendment-1"].title == "ACME learning — Amendment 1"
    assert by_slug["acme-learning-amendment-2"].title == "Acme Learning — Amendment 2"
    assert by_slug["acme-learning-renewal"].title == "Acme Learning — Renewal"


def test_build_site_expiry_depends_on_today(tree):
    before = {n.slug: n for n in _site(tree, today=date(2026, 1, 31)).notices}
    after = {n.slug: n for n in _site(tree, today=date(2026, 11, 29)).notices}
    assert before["acme-learning-amendment-2"].expired is False  # expires on the day: still in force
    assert after["acme-learning-amendment-2"].expired is True
    assert after["acme-learning"].expired is False  # no end date: never expires


def test_build_site_data_index(tree):
    site = _site(tree)
    uses = {use.element.key: [v.name for v in use.vendors] for category in site.data_categories for use in category.uses}
    assert uses == {"student_name": ["Acme Learning"], "date_of_birth": ["Acme Learning"],
                    "grade_level": ["Acme Learning"]}
    # The draft's vendor never shows up, even though it lists date_of_birth.
    assert [c.name for c in site.data_categories] == ["Student Name", "Demographics", "Enrollment"]
    notice = next(n for n in site.notices if n.slug == "acme-learning-amendment-1")
    assert [(c.name, [e.key for e in c.elements]) for c in notice.data_by_category] == [
        ("Student Name", ["student_name"]), ("Demographics", ["date_of_birth"])]
    assert next(n for n in site.notices if n.slug == "beta-books").shares_no_data


def test_build_site_base_url_override(tree):
    assert _site(tree).base_url == "https://notices.district.test/"
    assert _site(tree, base_url="https://other.example/").base_url == "https://other.example/"
