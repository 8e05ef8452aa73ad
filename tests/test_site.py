"""The example site as a whole: every URL of the format exists, every link works,
every page has the same accessible skeleton, drafts stay private, builds are reproducible."""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import pdf, EXAMPLE_CONTENT, TODAY, front_matter, main_records, run, soup
from noticeboard import pipeline
from noticeboard.theme import PACKAGE_THEME, Theme

BASE_URL = yaml.safe_load((EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["base_url"]


# --- helpers ------------------------------------------------------------------------------

def records(content: Path) -> dict[str, tuple[dict, str]]:
    return {p.stem: front_matter(p) for p in main_records(content / "contracts")}


def published_slugs(content: Path) -> list[str]:
    return [slug for slug, (fields, _) in records(content).items() if not fields.get("draft")]


def draft_slugs(content: Path) -> list[str]:
    return [slug for slug, (fields, _) in records(content).items() if fields.get("draft")]


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def resolve(out: Path, page: str, href: str, base_path: str = "/") -> tuple[str, str] | None:
    """The output file (relative to ``out``) and fragment that ``href`` on ``page`` points at,
    or None for a link that leaves the site (another scheme or host)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        assert path.startswith(base_path), f"{page}: {href} is outside the site's path {base_path}"
        target = path[len(base_path):]
    elif path == "":
        target = page
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    assert not target.startswith(".."), f"{page}: {href} leaves the output directory"
    if target in ("", ".") or target.endswith("/") or (out / target).is_dir():
        target = posixpath.join("" if target == "." else target, "index.html")
    return target, parts.fragment


def ids(document: BeautifulSoup) -> set[str]:
    return {tag["id"] for tag in document.find_all(id=True)}


@pytest.fixture(scope="module")
def pages(example_site) -> dict[str, BeautifulSoup]:
    return {name: soup(example_site / name) for name in html_files(example_site)}


# --- every URL of the format ----------------------------------------------------------------

def test_every_url_of_the_format_exists(example_site):
    expected = ["index.html", "contracts/index.html", "vendors/index.html", "data/index.html",
                "guide/index.html", "es/guide/index.html", "policies/index.html",
                "feed.xml", "contracts.json", "contracts.csv", "sitemap.xml", "404.html"]
    expected += [f"contracts/{slug}/index.html" for slug in published_slugs(EXAMPLE_CONTENT)]
    expected += [f"policies/{p.stem}/index.html" for p in main_records(EXAMPLE_CONTENT / "policies")]
    missing = [name for name in expected if not (example_site / name).is_file()]
    assert not missing
    assert len(published_slugs(EXAMPLE_CONTENT)) >= 5  # the check above means something


def test_one_notice_page_per_published_record_and_no_other(example_site):
    built = {p.parent.name for p in (example_site / "contracts").glob("*/index.html")}
    assert built == set(published_slugs(EXAMPLE_CONTENT))


def test_every_vendor_has_a_page_reached_from_its_notices(example_site, pages):
    vendor_pages = {p.relative_to(example_site).as_posix() for p in (example_site / "vendors").glob("*/index.html")}
    assert vendor_pages
    linked_from_notices = set()
    for slug in published_slugs(EXAMPLE_CONTENT):
        page = f"contracts/{slug}/index.html"
        facts = pages[page].find("main").find("dl")
        link = facts.find("a", href=re.compile(r"vendors/"))
        target, _ = resolve(example_site, page, link["href"])
        linked_from_notices.add(target)
    assert linked_from_notices == vendor_pages
    index_links = {resolve(example_site, "vendors/index.html", a["href"])[0]
                   for a in pages["vendors/index.html"].find("main").find_all("a", href=True)}
    assert vendor_pages <= index_links


# --- links ------------------------------------------------------------------------------------

def test_no_broken_internal_link_anywhere(example_site, pages):
    broken, checked = [], 0
    for name, document in pages.items():
        base_path = urlsplit(BASE_URL).path if name.endswith("404.html") else None
        for tag in document.find_all(True):
            for attribute in ("href", "src"):
                value = tag.get(attribute)
                if value is None:
                    continue
                if not name.endswith("404.html") and value.startswith("/"):
                    broken.append(f"{name}: {value} is site-absolute and breaks when opened from disk")
                    continue
                found = resolve(example_site, name, value, base_path or "/")
                if found is None:
                    continue
                target, fragment = found
                checked += 1
                if not (example_site / target).is_file():
                    broken.append(f"{name}: {value} → {target} does not exist")
                elif fragment:
                    target_document = pages.get(target)
                    if target_document is None or fragment not in ids(target_document):
                        broken.append(f"{name}: {value} → no id '{fragment}' in {target}")
    assert not broken
    assert checked > 10 * len(pages)


def test_404_page_uses_links_that_work_at_any_depth(example_site, pages):
    links = [a["href"] for a in pages["404.html"].find_all("a", href=True) if not a["href"].startswith(("#", "mailto:"))]
    assert links and all(link.startswith("/") for link in links)
    stylesheet = pages["404.html"].find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("/") and (example_site / stylesheet.lstrip("/")).is_file()


def test_404_links_follow_the_path_of_base_url(content):
    result = run("build", "--out", "site", "--today", TODAY, "--base-url", "https://schools.example/privacy/")
    assert result.code == 0, result.err
    out = Path("site")
    document = soup(out / "404.html")
    hrefs = [tag.get("href") or tag.get("src") for tag in document.find_all(["a", "link", "script", "img"])
             if (tag.get("href") or tag.get("src") or "").startswith("/")]
    assert hrefs
    for href in hrefs:
        assert href.startswith("/privacy/"), href
        target, _ = resolve(out, "404.html", href, "/privacy/")
        assert (out / target).is_file(), href


def test_no_page_loads_anything_from_another_host(example_site, pages):
    offending = []
    for name, document in pages.items():
        for tag in document.find_all(["link", "script", "img", "iframe", "source", "video", "audio", "embed",
                                      "object", "track", "input"]):
            for attribute in ("href", "src", "data", "srcset", "poster"):
                value = (tag.get(attribute) or "").strip()
                if tag.name == "link" and tag.get("hreflang") and value.startswith(BASE_URL):
                    continue  # the page in another language, named for search engines: nothing is loaded
                if re.match(r"(?i)(https?:)?//", value):
                    offending.append(f"{name}: <{tag.name} {attribute}={value}>")
        for tag in document.find_all(style=True):
            if re.search(r"(?i)url\(\s*['\"]?(https?:)?//", tag["style"]):
                offending.append(f"{name}: inline style loads {tag['style']}")
        for tag in document.find_all("meta", attrs={"http-equiv": True}):
            if "refresh" in tag["http-equiv"].lower():
                offending.append(f"{name}: meta refresh")
    assert not offending
    stylesheet = (example_site / "style.css").read_text(encoding="utf-8")
    assert not re.search(r"(?i)@import|url\(\s*['\"]?(https?:)?//", stylesheet)


# --- page skeleton --------------------------------------------------------------------------

def test_every_page_has_the_accessible_skeleton(pages):
    problems = []
    for name, document in pages.items():
        html = document.find("html")
        if not (html.get("lang") or "").strip():
            problems.append(f"{name}: no <html lang>")
        h1s = document.find_all("h1")
        if len(h1s) != 1 or not h1s[0].get_text(strip=True):
            problems.append(f"{name}: {len(h1s)} h1")
        title = document.find("title")
        if title is None or not title.get_text(strip=True) or len(document.find_all("title")) != 1:
            problems.append(f"{name}: no single non-empty <title>")
        first_link = document.body.find("a", href=True)
        if first_link is None or first_link["href"] != "#main":
            problems.append(f"{name}: the first link is not a skip link to #main")
        mains = document.find_all("main")
        if len(mains) != 1 or mains[0].get("id") != "main":
            problems.append(f"{name}: not exactly one <main id=main>")
        for landmark in ("header", "nav", "footer"):
            if document.body.find(landmark) is None:
                problems.append(f"{name}: no <{landmark}>")
        if mains and document.body.find("header") and mains[0] in document.body.find("header").descendants:
            problems.append(f"{name}: main inside header")
        duplicates = [i for i in ids(document) if len(document.find_all(id=i)) > 1]
        if duplicates:
            problems.append(f"{name}: duplicate ids {duplicates}")
    assert not problems


def test_every_page_parses_without_html_errors(example_site):
    problems = {}
    for name in html_files(example_site):
        parser = html5lib.HTMLParser(strict=False)
        parser.parse((example_site / name).read_bytes())
        if parser.errors:
            problems[name] = parser.errors[:3]
    assert not problems


def test_titles_say_which_page_it_is(pages):
    for name, document in pages.items():
        assert document.find("h1").get_text(" ", strip=True).split()[0] in document.find("title").get_text(), name


# --- drafts -----------------------------------------------------------------------------------

def test_every_contract_of_the_example_content_is_public(example_site):
    """The example replaces a page that named 34 contracts: none may be hidden as a draft."""
    contracts = records(EXAMPLE_CONTENT)
    # The one draft is fictional, no contract of the district: the example of a scanned document
    # (docs/staff/example-content.md).
    assert draft_slugs(EXAMPLE_CONTENT) == [EXAMPLE_DRAFT]
    del contracts[EXAMPLE_DRAFT]
    listed = {row.find("a")["href"].split("/")[0] for row in soup(example_site / "contracts/index.html").find("tbody")
              .find_all("tr")}
    assert listed == set(contracts)
    incomplete = [slug for slug, (fields, _) in contracts.items() if fields.get("incomplete")]
    assert incomplete and len(incomplete) < len(contracts)


EXAMPLE_DRAFT = "example-scanned-draft"

DRAFTS = {
    # complete, with a document: the preview would show it; the public build never does
    "orion-tutoring": """\
---
vendor: Orion Tutoring
title: Orion Tutoring Pilot
contract_date: 2025-03-03
student_data: [student_name, date_of_birth]
documents:
  - title: Draft agreement
    file: orion-draft.pdf
draft: true
---
Unsigned plans for a qwertyuiop pilot in two schools.
""",
    # an amendment of a published notice, with nothing but a vendor
    "torsh-amendment-2": "---\nvendor: TORSH\nkind: amendment\namends: torsh\ndraft: true\n---\n",
}


@pytest.fixture(scope="module")
def site_with_drafts(tmp_path_factory) -> Path:
    """The example content plus two drafts, built as the public site."""
    work = tmp_path_factory.mktemp("drafts")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    for slug, text in DRAFTS.items():
        (work / "content" / "contracts" / f"{slug}.md").write_text(text, encoding="utf-8")
    (work / "content" / "contracts" / "files").mkdir(exist_ok=True)
    (work / "content" / "contracts" / "files" / "orion-draft.pdf").write_bytes(pdf("draft"))
    result = run("build", "--content", str(work / "content"), "--out", str(work / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    return work


@pytest.mark.slow
def test_drafts_are_published_nowhere(site_with_drafts):
    content, out = site_with_drafts / "content", site_with_drafts / "site"
    drafts = draft_slugs(content)
    published = published_slugs(content)
    assert sorted(drafts) == sorted([*DRAFTS, EXAMPLE_DRAFT])
    all_records = records(content)
    files = [p for p in out.rglob("*") if p.is_file()]
    names = [p.relative_to(out).as_posix() for p in files]
    assert not any(name.endswith("orion-draft.pdf") for name in names), "a draft's document was copied"
    texts = {name: p.read_bytes().decode("utf-8", "replace") for name, p in zip(names, files)}
    page_text = {name: soup(out / name).get_text(" ") for name in names if name.endswith(".html")}
    notices = json.loads(texts["contracts.json"])["notices"]
    rows = list(csv.DictReader(io.StringIO(texts["contracts.csv"].lstrip("\ufeff"))))
    published_vendors = {all_records[s][0]["vendor"].casefold() for s in published}

    for slug in drafts:
        fields, body = all_records[slug]
        assert not any(f"/{slug}/" in "/" + name for name in names if name.startswith("contracts/")), slug
        for name, text in texts.items():
            assert f"contracts/{slug}/" not in text, f"{name} links to the draft {slug}"
            assert not re.search(rf"(?<![\w/-]){re.escape(slug)}(?![\w-])", page_text.get(name, "")), (name, slug)
        assert slug not in {n["slug"] for n in notices} | {n["amends"] for n in notices}
        assert slug not in {r["slug"] for r in rows} | {r["amends"] for r in rows}
        first_sentence = " ".join(body.split())[:60]
        if first_sentence:
            for name, text in page_text.items():
                assert first_sentence not in " ".join(text.split()), f"{name} shows the text of draft {slug}"
            assert all(first_sentence not in " ".join(n["description"].split()) for n in notices)
        if fields.get("title"):
            assert fields["title"] not in {n["title"] for n in notices}
        if fields["vendor"].casefold() not in published_vendors:
            for name, text in page_text.items():
                assert fields["vendor"] not in text, f"{name} names {fields['vendor']}, a vendor with drafts only"


def test_drafts_in_a_small_tree_stay_out_of_feed_and_sitemap(content):
    content.contract("secret-deal", """\
        vendor: Hidden Vendor
        title: Confidential Negotiation
        contract_date: 2025-02-02
        student_data: [date_of_birth]
        draft: true
        """, body="Unreleased xyzzy plans.")
    result = run("build", "--out", "site", "--today", TODAY)
    assert result.code == 0, result.err
    for path in Path("site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (b"secret-deal", b"Hidden Vendor", b"Confidential Negotiation", b"xyzzy"):
                assert secret not in data, (path, secret)
    assert (Path("site") / "contracts" / "acme-learning" / "index.html").is_file()


# --- reproducible builds ------------------------------------------------------------------

def _all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path, example_site):
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    outputs = []
    for name in ("one", "two"):
        result = run("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / name), "--today", TODAY)
        assert result.code == 0, result.err
        outputs.append(_all_files(tmp_path / name))
    first, second = outputs
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The session's build (made elsewhere, earlier) is the same site too.
    assert _all_files(example_site) == first


def test_build_date_decides_whether_a_notice_is_expired(content):
    content.contract("short-term", """\
        vendor: Summer Camp Co
        contract_date: 2025-01-10
        expires: 2025-06-30
        student_data: [student_name]
        """)
    statuses = {}
    for today in ("2025-06-30", "2025-07-01"):
        out = Path(f"site-{today}")
        result = run("build", "--out", str(out), "--today", today)
        assert result.code == 0, result.err
        notice = soup(out / "contracts" / "short-term" / "index.html").find("main").get_text(" ", strip=True)
        listing = soup(out / "contracts" / "index.html")
        row = listing.find("a", href="short-term/index.html").find_parent("tr").get_text(" ", strip=True)
        data = {n["slug"]: n["status"] for n in json.loads((out / "contracts.json").read_text())["notices"]}
        statuses[today] = ("Expired" in notice, "Expired" in row, data["short-term"])
        # the other notice has no end date and is never expired
        assert "Expired" not in soup(out / "contracts" / "acme-learning" / "index.html").find("main").get_text()
    assert statuses == {"2025-06-30": (False, False, "active"), "2025-07-01": (True, True, "expired")}


def test_an_edited_template_is_used_by_the_next_build_in_the_same_process(content, tmp_path):
    """Templates are compiled once per process (serve rebuilds in one), never used stale."""
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_THEME.templates, templates)
    out = content.root.parent / "site"

    def build() -> int:
        return pipeline.build(content.root, out, date.fromisoformat(TODAY), theme=Theme(templates=templates)).report.errors

    assert build() == []
    not_found = out / "404.html"
    assert "There is no page at this address" in not_found.read_text(encoding="utf-8")
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>Edited.</p>"),
                    encoding="utf-8")
    assert build() == []
    assert "<p>Edited.</p>" in not_found.read_text(encoding="utf-8")
