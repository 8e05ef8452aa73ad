"""How a parent hears of new notices (/follow/), and the small things of every page: the header's menu, the icon,
paper. Pages are read as a browser parses them; tests/test_browser_layout.py drives a real browser."""
from __future__ import annotations

import posixpath
import re
import struct
from pathlib import Path

import pytest

from conftest import REPO, build_site, soup, text

BASE_URL = "https://notices.example.org/"  # the example content's base_url
TEST_BASE_URL = "https://notices.district.test/"  # conftest's SITE_YML
STYLESHEET = REPO / "noticeboard" / "static" / "style.css"


def resolve(page: str, href: str) -> str:
    """The file of the site that a link on ``page`` leads to (404.html's links start at the site's root)."""
    href = href.split("#")[0]
    path = href.lstrip("/") if href.startswith("/") else posixpath.normpath(
        posixpath.join(posixpath.dirname(page), href))
    return path + "/index.html" if href.endswith("/") else path


def html_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html") if "pagefind" not in path.parts)


# --------------------------------------------------------------------------- /follow/

@pytest.mark.parametrize("lang", ["", "es/"])
def test_follow_without_a_sign_up_says_there_is_no_e_mail_and_gives_the_feed(example_site, lang):
    page_path = f"{lang}follow/index.html"
    page = soup(example_site / page_path)
    main = page.select_one("main")
    assert page.find("html")["lang"] == (lang.rstrip("/") or "en")
    assert not main.select(".sign-up"), "the example site has no subscribe: no sign-up may be offered"
    no_sign_up = text(main.select_one(".no-sign-up"))
    assert ("Waterbury Public Schools has not given an e-mail sign-up" in no_sign_up if not lang
            else "Escuelas Públicas de Waterbury no ha ofrecido" in no_sign_up), no_sign_up
    assert "mailto:" not in str(main)
    # The feed: its whole address to copy, and a link to it, in the page's language.
    assert text(main.select_one("code.feed-address")) == f"{BASE_URL}{lang}feed.xml"
    feed_links = [a for a in main.select("a[href]") if resolve(page_path, a["href"]) == f"{lang}feed.xml"]
    assert len(feed_links) == 1
    assert "RSS" in text(main), "the page says what a feed reader is, by the names parents may know"
    assert resolve(page_path, page.select_one('link[type="application/atom+xml"]')["href"]) == f"{lang}feed.xml"


@pytest.fixture
def sign_up_site(content, request):
    """The small test site with site.yml's subscribe set to ``request.param``."""
    content.write("site.yml", (content.root / "site.yml").read_text(encoding="utf-8")
                  + f"subscribe: {request.param}\n")
    return build_site()


@pytest.mark.parametrize("sign_up_site, link, shown", [
    ("https://lists.district.test/notices", "https://lists.district.test/notices", "Sign up"),
    ("mailto:notices@district.test", "mailto:notices@district.test", "notices@district.test"),
], indirect=["sign_up_site"])
@pytest.mark.parametrize("lang", ["", "es/"])
def test_follow_offers_the_sign_up_of_site_yml(sign_up_site, link, shown, lang):
    page = soup(sign_up_site / f"{lang}follow/index.html")
    main = page.select_one("main")
    sign_up = main.select_one(".sign-up a")
    assert sign_up["href"] == link and (shown in text(sign_up) or lang)
    assert not main.select(".no-sign-up")
    assert text(main.select_one("code.feed-address")) == f"{TEST_BASE_URL}{lang}feed.xml"
    footer = page.select_one(".site-footer .footer-links a")
    assert resolve(f"{lang}follow/index.html", footer["href"]) == f"{lang}follow/index.html"
    if not lang:
        assert text(footer) == "Follow new notices (e-mail, feed)"
    home = soup(sign_up_site / f"{lang}index.html").select_one("main")
    assert home.select_one(".sign-up a")["href"] == link, "the home page offers the sign-up"
    assert any(resolve(f"{lang}index.html", a["href"]) == f"{lang}follow/index.html" for a in home.select("a[href]"))


def test_the_footer_of_a_site_without_sign_up_claims_no_e_mail(example_site):
    footer = soup(example_site / "index.html").select_one(".site-footer .footer-links a")
    assert resolve("index.html", footer["href"]) == "follow/index.html"
    assert text(footer) == "Follow new notices (feed)"


def test_every_visible_link_to_the_feed_goes_through_follow(example_site):
    """A browser shows a feed as raw XML: pages link /follow/, which explains it; only <head> names the feed, for
    feed readers."""
    linking_the_feed = []
    for page_path in html_pages(example_site):
        page = soup(example_site / page_path)
        lang = "es/" if page_path.startswith("es/") else ""
        linking_the_feed += [page_path for a in page.select("body a[href]")
                             if resolve(page_path, a["href"]).endswith("feed.xml")]
        footer = page.select_one(".site-footer .footer-links a")
        assert resolve(page_path, footer["href"]) == f"{lang}follow/index.html", page_path
        feed = page.select_one('head link[rel="alternate"][type="application/atom+xml"]')
        assert resolve(page_path, feed["href"]) == f"{lang}feed.xml", page_path
    assert sorted(set(linking_the_feed)) == ["es/follow/index.html", "follow/index.html"]


@pytest.mark.parametrize("lang", ["", "es/"])
def test_the_home_page_and_the_guide_say_how_to_follow(example_site, lang):
    for name in ("index.html", "guide/index.html"):
        page_path = lang + name
        main = soup(example_site / page_path).select_one("main")
        assert f"{lang}follow/index.html" in {resolve(page_path, a["href"]) for a in main.select("a[href]")}, page_path
        assert "/feed.xml" not in str(main)


def test_the_starter_guides_point_to_follow_and_claim_no_e_mail():
    guides = sorted((REPO / "noticeboard" / "starter").glob("*/guide.*.md"))
    assert len(guides) >= 8
    for guide in [REPO / "content" / "pages" / "guide.md", REPO / "content" / "pages" / "guide.es.md", *guides]:
        words = guide.read_text(encoding="utf-8")
        assert "](/follow/)" in words and "/feed.xml" not in words, guide
        assert re.search(r"e-mail where the district offers it|correo\s+electrónico donde el distrito lo ofrece",
                         words), f"{guide}: e-mail is mentioned only as the district's to offer"


# --------------------------------------------------------------------------- header

@pytest.mark.parametrize("page_path", ["index.html", "contracts/index.html", "es/follow/index.html", "404.html"])
def test_the_menu_is_behind_a_disclosure_button_and_names_grades(example_site, page_path):
    header = soup(example_site / page_path).select_one("header.site-header")
    menus = header.select("details.site-menu")
    assert len(menus) == 1 and menus[0].find("summary", recursive=False), "the menu has one button, a <summary>"
    assert "open" not in menus[0].attrs, "the menu starts closed; the stylesheet shows it on a wide screen"
    main_menu = menus[0].select("nav")
    assert len(main_menu) == 1 and len(header.select("nav[aria-label]")) == 2  # the language switch, the menu
    targets = [resolve(page_path, a["href"]) for a in main_menu[0].select("a[href]")]
    lang = "es/" if page_path.startswith("es/") else ""
    schools = targets.index(f"{lang}schools/index.html")
    assert targets[schools + 1] == f"{lang}grades/index.html", "Grades follows Schools"
    assert header.select_one(".site-name") is not None and header.select_one("nav.language-switch") is not None


# --------------------------------------------------------------------------- icon

def test_every_page_links_an_icon_that_the_site_publishes(example_site):
    for page_path in html_pages(example_site):
        icons = soup(example_site / page_path).select('head link[rel="icon"]')
        assert len(icons) == 1, page_path
        assert resolve(page_path, icons[0]["href"]) == "favicon.svg", page_path
    svg = (example_site / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "#0b4f8a" in svg
    ico = (example_site / "favicon.ico").read_bytes()  # asked for by agents that read no page: no 404
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, *_, size, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert (width, height) == (32, 32) and ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size == len(ico)


def test_the_logo_is_the_icon_and_a_site_s_own_favicon_replaces_the_built_in_one(content):
    static = content.root.parent / "static"
    (static / "images").mkdir(parents=True)
    (static / "images" / "logo.png").write_bytes((REPO / "noticeboard" / "static" / "favicon.ico").read_bytes()[22:])
    own = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" fill="#1d5c2e"/></svg>\n'
    (static / "favicon.svg").write_text(own, encoding="utf-8")
    content.write("site.yml", (content.root / "site.yml").read_text(encoding="utf-8")
                  + "logo: images/logo.png\nlogo_alt: Test District\n")
    site = build_site()
    for page_path in ("index.html", "es/contracts/index.html"):
        icon = soup(site / page_path).select_one('head link[rel="icon"]')
        assert resolve(page_path, icon["href"]) == "images/logo.png", page_path
    assert (site / "favicon.svg").read_text(encoding="utf-8") == own
    assert (site / "favicon.ico").is_file()


# --------------------------------------------------------------------------- paper

def _print_rules(stylesheet: str) -> str:
    start = stylesheet.index("@media print {")
    depth, end = 0, start
    for end in range(start, len(stylesheet)):
        depth += {"{": 1, "}": -1}.get(stylesheet[end], 0)
        if depth == 0 and stylesheet[end] == "}":
            break
    return stylesheet[start:end]


def test_the_print_stylesheet_has_page_margins_and_prints_document_addresses():
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    page_rule = re.search(r"@page\s*\{([^}]*)\}", stylesheet)
    assert page_rule, "no @page rule: printed text would touch the paper's edge"
    margin = re.search(r"margin:\s*([^;]+);", page_rule.group(1))
    assert margin and all(float(re.match(r"[\d.]+", value).group()) > 0 for value in margin.group(1).split())
    assert re.search(r'\.documents a\[data-address\]::after\s*\{[^}]*attr\(data-address\)', _print_rules(stylesheet))


def test_a_posted_document_carries_its_absolute_address_for_paper(example_site):
    page_path = "contracts/quill-amendment-1/index.html"
    links = soup(example_site / page_path).select("ul.documents a[data-address]")
    assert links
    for link in links:
        address = link["data-address"]
        if address.startswith(BASE_URL):  # a file the site posts: the same file as the link
            assert address == BASE_URL + resolve(page_path, link["href"]) and (
                example_site / address.removeprefix(BASE_URL)).is_file()
        else:
            assert address == link["href"] and address.startswith("https://")
