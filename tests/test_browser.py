"""Real-browser tests of the built example site, every page type in English and in Spanish:
accessibility (axe-core), privacy (no third-party requests, every request intercepted), phone
layout, keyboard use, the language switch, text shown for want of a translation, search in both
languages, no-JavaScript, file:// and print.

They drive Debian's chromium (/usr/bin/chromium) through Playwright; no browser is ever
downloaded. Without chromium they are skipped, except under CI=true, where they fail.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import EXAMPLE_CONTENT, TODAY, front_matter, make_pdf, run
from noticeboard import colours

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOST = "127.0.0.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _unavailable(reason: str) -> None:
    """Skip locally, but fail under CI: CI must not silently skip the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- page types

# Page type -> how to find one page of that type in the built site (a path under the
# site root, served as a URL). Notices, vendors and policies are picked from the build
# so that the tests follow the example content.

def _first_dir(site: Path, section: str, predicate=lambda html: True) -> str:
    for directory in sorted(p for p in (site / section).iterdir() if p.is_dir()):
        page = directory / "index.html"
        if page.is_file() and predicate(page.read_text(encoding="utf-8")):
            return f"/{section}/{directory.name}/"
    raise AssertionError(f"the example site has no suitable page under /{section}/")


def _shares_no_data(html: str) -> bool:
    return 'class="no-data"' in html


def _lists_data(html: str) -> bool:
    return 'class="data-summary"' in html and "sensitive-mark" in html


def _is_incomplete(html: str) -> bool:
    return "incomplete-box" in html


ENGLISH_PAGE_TYPES = {
    "home": lambda site: "/",
    "all-notices": lambda site: "/contracts/",
    "notice-with-data": lambda site: _first_dir(site, "contracts", _lists_data),
    "notice-no-data": lambda site: _first_dir(site, "contracts", _shares_no_data),
    "notice-incomplete": lambda site: _first_dir(site, "contracts", _is_incomplete),
    "vendor-index": lambda site: "/vendors/",
    "vendor": lambda site: _first_dir(site, "vendors"),
    "data-elements": lambda site: "/data/",
    "data-element": lambda site: _first_dir(site, "data", lambda h: "notice-list" in h),
    "schools": lambda site: "/schools/",
    "school": lambda site: _first_dir(site, "schools"),
    "grades": lambda site: "/grades/",
    "grade": lambda site: _first_dir(site, "grades"),
    "guide": lambda site: "/guide/",
    "policies": lambda site: "/policies/",
    "policy": lambda site: _first_dir(site, "policies"),
    "404": lambda site: "/404.html",
    "search": lambda site: "/search/",
    "follow": lambda site: "/follow/",
    "breaches": lambda site: "/breaches/",
    "breach": lambda site: _first_dir(site, "breaches"),
}

# Every page is also made in Spanish, at the same path under /es/: "es:notice-with-data" is the
# Spanish twin of the page that "notice-with-data" finds.
SPANISH = "es:"


def _spanish_twin(find):
    def find_twin(site: Path) -> str:
        path = "/es" + find(site)
        built = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        assert built.is_file(), f"the example site has no Spanish twin {path}"
        return path
    return find_twin


PAGE_TYPES = {**ENGLISH_PAGE_TYPES,
              **{SPANISH + name: _spanish_twin(find) for name, find in ENGLISH_PAGE_TYPES.items()}}
page_types = pytest.mark.parametrize("page_type", list(PAGE_TYPES))
english_page_types = pytest.mark.parametrize("page_type", list(ENGLISH_PAGE_TYPES))


def _language(page_type: str) -> str:
    return "es" if page_type.startswith(SPANISH) else "en"


def _kind(page_type: str) -> str:
    """The page type whatever its language: "es:search" -> "search"."""
    return page_type.removeprefix(SPANISH)


# --------------------------------------------------------------------------- fixtures

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def _serve(directory: Path):
    """``directory`` over HTTP on 127.0.0.1, on a free port, from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer((HOST, 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server(example_site):
    """The example site over HTTP on 127.0.0.1, on a free port, from a background thread."""
    with _serve(example_site) as address:
        yield address


@pytest.fixture(scope="module")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (make browser, or apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@dataclass
class Watch:
    """What a page did on the network and in its console."""
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def _watch(page) -> Watch:
    watch = Watch()
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("requestfailed", lambda request: watch.failures.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda response: response.status >= 400
            and watch.failures.append(f"{response.url}: HTTP {response.status}"))
    page.on("console", lambda message: message.type == "error"
            and watch.console_errors.append(f"{message.text} ({message.location.get('url', '')})"))
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    return watch


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone_context(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context
    context.close()


@pytest.fixture
def page(context):
    """One fresh page per test, in the browser context that the module shares."""
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def phone_page(phone_context):
    page = phone_context.new_page()
    yield page
    page.close()


def _open(page, server: str, site: Path, page_type: str):
    path = PAGE_TYPES[page_type](site)
    response = page.goto(server + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    lang = page.evaluate("() => document.documentElement.lang")
    assert lang == _language(page_type), f"{path}: <html lang={lang!r}>"
    if _kind(page_type) == "search":  # ready once its script has loaded the index and shown the form
        page.locator(".search-status").filter(has_text=re.compile(".")).wait_for()
    return path


# --------------------------------------------------------------------------- accessibility

def _axe_source() -> Path:
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    assert path.is_file(), f"axe-core is missing: {path}"
    return path


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines()[1:])
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def _axe(page) -> dict:
    # Evaluated by the test harness, not loaded as a script: the page's Content-Security-Policy
    # rightly refuses any script the site did not ship.
    page.evaluate(_axe_source().read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_TAGS
    )


@pytest.fixture(scope="module")
def scanned_site(tmp_path_factory) -> Path:
    """The example site with a scanned contract posted on a published notice (Nearpod), so that its page
    offers an accessible copy, as no page of the example site does."""
    work = tmp_path_factory.mktemp("scanned")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    record = work / "content" / "contracts" / "nearpod.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "student_data: []\n", "student_data: []\ndocuments:\n  - title: Signed contract\n    file: nearpod.pdf\n", 1),
        encoding="utf-8")
    (work / "content" / "contracts" / "files" / "nearpod.pdf").write_bytes(make_pdf(None))
    result = run("build", "--content", str(work / "content"), "--out", str(work / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    return work / "site"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_axe_passes_the_offer_of_an_accessible_copy(page, scanned_site, lang):
    with _serve(scanned_site) as address:
        page.goto(f"{address}/{lang}contracts/nearpod/", wait_until="load")
        assert page.locator("p.access-box a[href^='mailto:']").count() == 1
        violations = _axe(page)["violations"]
        assert not violations, f"axe-core on /{lang}contracts/nearpod/:\n{_describe(violations)}"


@page_types
def test_axe_finds_no_wcag_violation(page, server, example_site, page_type):
    path = _open(page, server, example_site, page_type)
    results = _axe(page)
    violations = results["violations"]
    assert not violations, f"axe-core on {path}:\n{_describe(violations)}"
    assert results["passes"], f"axe-core checked nothing on {path}"


def _least_contrast_accent() -> str:
    """The grey that check accepts with the least contrast against the stylesheet's light backgrounds."""
    backgrounds = colours.accent_backgrounds(colours.STYLESHEET.read_text(encoding="utf-8")).values()
    accepted = {"#" + f"{value:02x}" * 3: min(colours.contrast_ratio("#" + f"{value:02x}" * 3, background)
                                              for background in backgrounds) for value in range(256)}
    return min((ratio, colour) for colour, ratio in accepted.items() if ratio >= colours.MIN_CONTRAST)[1]


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory) -> Path:
    """The example site with a logo, the accent colour of least contrast that check accepts, and an e-mail
    sign-up (site.yml's settings of the site's look)."""
    work = tmp_path_factory.mktemp("themed")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    (work / "static" / "images").mkdir(parents=True)
    (work / "static" / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48">'
        '<rect width="160" height="48" rx="6" fill="#ffffff"/><circle cx="24" cy="24" r="16" fill="#1d5c2e"/></svg>\n',
        encoding="utf-8")
    accent = _least_contrast_accent()
    site_yml = work / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + (
        "logo: images/logo.svg\nlogo_alt: {en: Waterbury Public Schools, es: Escuelas Públicas de Waterbury}\n"
        f'accent_colour: "{accent}"\nsubscribe: https://lists.district.test/notices\n'), encoding="utf-8")
    result = run("build", "--content", str(work / "content"), "--out", str(work / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    assert (work / "site" / "style.css").read_text(encoding="utf-8").endswith(
        f":root {{ --accent: {accent}; --accent-dark: {colours.accent_dark(accent)}; }}\n")
    return work / "site"


@pytest.fixture(scope="module")
def themed_server(themed_site):
    with _serve(themed_site) as address:
        yield address


@page_types
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_axe_finds_no_violation_with_a_logo_the_palest_accepted_accent_and_a_sign_up(
        page, phone_page, themed_server, themed_site, page_type, width):
    tab = page if width == "desktop" else phone_page
    path = _open(tab, themed_server, themed_site, page_type)
    logo = tab.locator("header .site-name img.logo")
    assert logo.count() == 1 and logo.evaluate("image => image.complete && image.naturalWidth > 0"), \
        f"{path}: the logo did not load"
    box = logo.bounding_box()
    assert box["width"] / box["height"] == pytest.approx(160 / 48, rel=0.02), f"{path}: the logo is stretched"
    assert box["x"] >= 0 and box["x"] + box["width"] <= tab.viewport_size["width"], f"{path}: the logo overflows"
    assert tab.locator(".site-footer .sign-up a").count() == 1
    results = _axe(tab)
    assert not results["violations"], f"axe-core on {path} ({width}):\n{_describe(results['violations'])}"
    assert results["passes"], f"axe-core checked nothing on {path}"


# --------------------------------------------------------------------------- privacy, errors

@page_types
def test_only_own_requests_and_no_errors(page, server, example_site, page_type):
    watch = _watch(page)
    path = _open(page, server, example_site, page_type)  # waits for "load": styles and all
    assert watch.requests, "no request was recorded"
    elsewhere = [url for url in watch.requests if urlsplit(url).hostname != HOST]
    assert not elsewhere, f"{path} makes third-party requests: {elsewhere}"
    assert any(url.endswith("/style.css") for url in watch.requests), f"{path} loads no stylesheet"
    assert not watch.failures, f"{path}: failed requests: {watch.failures}"
    assert not watch.console_errors, f"{path}: console errors: {watch.console_errors}"


# The public address of the site: pages name it (hreflang alternates, print header) but never load from it.
BASE_URL = yaml.safe_load((EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))["base_url"]


@dataclass
class Guard:
    """A browser context in which a page can ask the test server only: anything else is refused."""
    context: object
    asked: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def guard(browser, server):
    guard = Guard(browser.new_context())

    def handle(route):
        url = route.request.url
        guard.asked.append(url)
        if url.startswith(server + "/"):
            route.continue_()
        else:
            guard.refused.append(url)
            route.abort("blockedbyclient")

    guard.context.route("**/*", handle)  # the context's route sees the search worker's requests too
    yield guard
    guard.context.close()


@page_types
def test_no_request_leaves_the_site(guard, server, example_site, page_type):
    """Every request is intercepted: none, not even the search index's, goes to another host."""
    guard.asked.clear()
    guard.refused.clear()
    page = guard.context.new_page()
    refused_by_policy = []  # an attempt that the Content-Security-Policy stopped before any request
    page.on("console", lambda message: "Content Security Policy" in message.text
            and refused_by_policy.append(message.text))
    try:
        path = _open(page, server, example_site, page_type)
        if _kind(page_type) == "search":  # a query loads the index and the results' fragments
            assert _search(page, server, "Naviance", lang=_language(page_type)), f"{path}: no result"
            loaded = [urlsplit(url).path for url in guard.asked]
            assert any(url.endswith(".pf_index") for url in loaded), f"{path}: no index was loaded: {loaded}"
            assert any(url.endswith(".pf_fragment") for url in loaded), f"{path}: no result was loaded: {loaded}"
    finally:
        page.close()
    assert any(url.endswith("/style.css") for url in guard.asked), f"{path}: no request was intercepted"
    public = urlsplit(BASE_URL).hostname
    assert not [url for url in guard.asked if urlsplit(url).hostname == public], \
        f"{path} loads from the public address {BASE_URL}: {guard.asked}"
    assert not guard.refused, f"{path} asks other hosts: {guard.refused}"
    assert not refused_by_policy, f"{path} tried to load from elsewhere: {refused_by_policy}"


# --------------------------------------------------------------------------- phone

@page_types
def test_phone_has_no_horizontal_scroll(phone_page, server, example_site, page_type):
    page = phone_page
    assert page.viewport_size == {"width": 320, "height": 640}
    path = _open(page, server, example_site, page_type)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    if widths["scroll"] > 320:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > 320.5)
                 .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                        + ' right=' + Math.round(e.getBoundingClientRect().right))"""
        )
        pytest.fail(f"{path} scrolls sideways at 320px: scrollWidth {widths['scroll']}; {culprits}")
    h1 = page.locator("h1")
    assert h1.count() == 1, f"{path} has {h1.count()} h1"
    assert h1.is_visible(), f"{path}: the h1 is not visible on a phone"
    box = h1.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, f"{path}: h1 overflows: {box}"


_OVERFLOW = """() => [...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    let clipped = false;  // inside a visually hidden box (1px, clipped): read by screen readers only
    for (let a = e; a && !clipped; a = a.parentElement) {
      const box = a.getBoundingClientRect();
      clipped = box.width <= 1 || box.height <= 1;
    }
    const hidden = clipped || s.visibility === 'hidden' || s.display === 'none';
    return !hidden && (r.left < -0.5 || r.right > innerWidth + 0.5);
  }).slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + JSON.stringify(e.textContent.slice(0, 30))
                         + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right))"""


@page_types
def test_phone_shows_every_element_inside_the_viewport(phone_page, server, example_site, page_type):
    """Nothing hides off-screen in a scrolling box either: every visible element of main fits in 320px."""
    path = _open(phone_page, server, example_site, page_type)
    outside = phone_page.evaluate(_OVERFLOW)
    assert not outside, f"{path}: elements wider than the 320px viewport: {outside}"


_CELLS = """(selector) => [...document.querySelectorAll(selector + ' tbody td, ' + selector + ' tbody th')].map(cell => {
    const r = cell.getBoundingClientRect(), s = getComputedStyle(cell), before = getComputedStyle(cell, '::before');
    return {text: cell.innerText.trim(), label: cell.dataset.label || null, empty: cell.classList.contains('empty'),
            shown: s.display !== 'none' && r.width > 1 && r.height > 1,
            left: r.left, right: r.right, before: before.content};
  })"""


@pytest.mark.parametrize("path, selector", [("/contracts/", "table.notices"), ("/data/", "table.grid")])
def test_phone_tables_become_cards_with_every_column_visible(phone_page, server, path, selector):
    phone_page.goto(server + path)
    cells = phone_page.evaluate(_CELLS, selector)
    assert len(cells) > 10, f"{path}: too few cells to test: {len(cells)}"
    for cell in cells:
        if cell["empty"]:
            continue  # a company × category cell with nothing in it
        assert cell["shown"] and cell["text"], f"{path}: a cell is hidden or empty on a phone: {cell}"
        assert cell["left"] >= 0 and cell["right"] <= 320.5, f"{path}: a cell leaves the viewport: {cell}"
        if cell["label"]:  # the column's name is shown beside its value, since the header row is not
            assert cell["label"] in cell["before"], f"{path}: the cell does not name its column: {cell}"


@pytest.mark.parametrize("path, selector", [("/contracts/", "table.notices"), ("/data/", "table.grid")])
def test_phone_tables_are_reachable_by_keyboard(phone_page, server, path, selector):
    page = phone_page
    page.goto(server + path)
    links = page.locator(f"{selector} a").count()
    assert links > 5
    page.locator(f"{selector} a").first.focus()
    visited = 0
    while page.evaluate(f"() => !!document.activeElement.closest('{selector}')"):
        focus = page.evaluate(_FOCUS)
        assert focus["x"] >= 0 and focus["right"] <= focus["vw"] + 0.5, f"{path}: focused link off-screen: {focus}"
        assert focus["y"] >= 0 and focus["bottom"] <= focus["vh"] + 0.5, f"{path}: focused link not scrolled into view"
        visited += 1
        page.keyboard.press("Tab")
    assert visited == links, f"{path}: Tab reached {visited} of the table's {links} links"


@pytest.mark.parametrize("page_type", ["notice-with-data", "notice-no-data", "notice-incomplete"])
def test_notice_page_shows_the_data_first_on_a_phone(phone_page, server, example_site, page_type):
    path = _open(phone_page, server, example_site, page_type)
    glance = phone_page.evaluate("""() => {
        const g = document.querySelector('.glance'), first = g.querySelector('li, .no-data, .unknown-data');
        const description = [...document.querySelectorAll('h2')].find(h => h.textContent.includes('What the contract is for'));
        return {first: first.getBoundingClientRect().top, text: first.innerText,
                beforeDescription: !!(g.compareDocumentPosition(description) & Node.DOCUMENT_POSITION_FOLLOWING)};
      }""")
    assert glance["beforeDescription"], f"{path}: the data summary comes after the description"
    assert glance["first"] < 640, f"{path}: the first data element starts {glance['first']:.0f}px down: {glance['text']!r}"


# --------------------------------------------------------------------------- keyboard

_FOCUS = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.textContent.trim(),
          focusVisible: e.matches(':focus-visible'), outlineStyle: s.outlineStyle,
          outlineWidth: parseFloat(s.outlineWidth), x: r.left, y: r.top, right: r.right, bottom: r.bottom,
          vw: innerWidth, vh: innerHeight};
}"""


@page_types
def test_keyboard_skip_link_and_focus_outline(page, server, example_site, page_type):
    path = _open(page, server, example_site, page_type)

    page.keyboard.press("Tab")
    focus = page.evaluate(_FOCUS)
    assert focus["tag"] == "a" and "skip-link" in focus["cls"], f"{path}: first Tab focuses {focus}"
    inside = focus["x"] >= 0 and focus["y"] >= 0 and focus["right"] <= focus["vw"] and focus["bottom"] <= focus["vh"]
    assert inside, f"{path}: the focused skip link is not inside the viewport: {focus}"
    assert focus["focusVisible"] and focus["outlineStyle"] != "none" and focus["outlineWidth"] > 0, \
        f"{path}: the focused skip link has no visible outline: {focus}"

    # The next links (site name, navigation) show a focus outline too.
    for _ in range(3):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS)
        assert focus["tag"] == "a", f"{path}: Tab reached {focus}"
        assert focus["focusVisible"] and focus["outlineStyle"] != "none" and focus["outlineWidth"] > 0, \
            f"{path}: focused link {focus['text']!r} has no visible outline: {focus}"

    # Back to the skip link, then follow it.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert "skip-link" in page.evaluate(_FOCUS)["cls"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'", timeout=2000)
    assert page.url.endswith("#main")
    # main is scrolled to the top of the viewport, or as far as a short page can scroll.
    scroll = page.evaluate(
        """() => ({top: document.querySelector('main').getBoundingClientRect().top, y: scrollY,
                  max: document.documentElement.scrollHeight - innerHeight})"""
    )
    assert scroll["top"] <= 1 or scroll["y"] >= scroll["max"] - 1, \
        f"{path}: main is not scrolled into view after the skip link: {scroll}"


# --------------------------------------------------------------------------- languages

def _same_page(url: str) -> str:
    """The site links to ``…/index.html``, the address bar may say ``…/``: the same page."""
    return url.removesuffix("index.html")


def _switch_language(page, path: str, switch_label: str, language: str, lang: str) -> None:
    """Follow the header's link to the page in ``language``, as a user does: it is visible, then clicked."""
    link = page.get_by_role("navigation", name=switch_label, exact=True).get_by_role("link", name=language, exact=True)
    assert link.count() == 1 and link.is_visible(), f"{path}: no visible link {language!r} in the header"
    assert link.get_attribute("lang") == lang, f"{path}: the link {language!r} is not marked lang={lang}"
    with page.expect_navigation(wait_until="load", timeout=10_000):
        link.click()


@english_page_types
def test_the_language_switch_leads_to_the_same_page_in_spanish_and_back(page, server, example_site, page_type):
    path = _open(page, server, example_site, page_type)
    english = page.url

    _switch_language(page, path, "Language", "Español", "es")
    assert _same_page(page.url) == _same_page(server + "/es" + path), \
        f"{path}: 'Español' leads to {page.url}, not to /es{path}"
    assert page.evaluate("() => document.documentElement.lang") == "es", f"{page.url} is not marked Spanish"
    assert page.locator("h1").count() == 1, f"{page.url} has {page.locator('h1').count()} h1"
    assert page.locator("h1").is_visible()
    assert page.locator(".skip-link").text_content().strip() == "Saltar al contenido principal", \
        f"{page.url}: the interface is not in Spanish"
    assert page.get_by_role("navigation", name="Principal", exact=True).is_visible(), \
        f"{page.url}: the site navigation is not named in Spanish"

    _switch_language(page, page.url, "Idioma", "English", "en")
    assert _same_page(page.url) == _same_page(english), f"{path}: 'English' leads to {page.url}, not back to {english}"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.locator(".skip-link").text_content().strip() == "Skip to main content"


def _without_translation(content: Path) -> tuple[str, str]:
    """Delete the Spanish translation of the first notice with a description of plain text; its
    slug and the first line of its English description."""
    for translation in sorted((content / "contracts").glob("*.es.md")):
        slug = translation.name.removesuffix(".es.md")
        _, description = front_matter(content / "contracts" / f"{slug}.md")
        line = " ".join(description.strip().splitlines()[0].split()) if description.strip() else ""
        if line and not re.search(r"[*_`\[\]<>&#\\]", line):  # shown as written: no Markdown in it
            translation.unlink()
            return slug, line
    raise AssertionError("no translated notice has a description to leave untranslated")


def test_text_without_a_translation_is_marked_english(page, tmp_path):
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    slug, description = _without_translation(tmp_path / "content")
    result = run("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    with _serve(tmp_path / "site") as server:
        path = f"/es/contracts/{slug}/"
        response = page.goto(server + path)
        assert response and response.ok, f"{path}: HTTP {response and response.status}"
        assert page.evaluate("() => document.documentElement.lang") == "es"

        shown = page.get_by_role("main").get_by_text(description)
        assert shown.count() == 1 and shown.is_visible(), f"{path} does not show the English description"
        assert shown.evaluate("e => e.closest('[lang]').lang") == "en", \
            f"{path}: the English description is not marked lang=en, so it would be read out as Spanish"
        note = page.get_by_role("main").get_by_text("Este texto solo está disponible en inglés.", exact=True)
        assert note.count() >= 1 and note.first.is_visible(), f"{path} does not say the description is in English"
        assert note.first.evaluate("e => e.closest('[lang]').lang") == "es"
        before = note.first.evaluate("(e, d) => !!(e.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING)",
                                     shown.element_handle())
        assert before, f"{path}: the note comes after the English text it is about"

        results = _axe(page)
        assert not results["violations"], f"axe-core on {path}:\n{_describe(results['violations'])}"
        assert results["passes"], f"axe-core checked nothing on {path}"


def test_a_notice_with_subprocessors_retention_an_agreement_and_a_breach_is_accessible(page, tmp_path):
    """What the example content does not show: the optional fields of a notice, and a breach under
    its contract, on the notice's page and the company's, in both languages."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE_CONTENT, content)
    notice = content / "contracts" / "nearpod.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("student_data: []", """student_data: []
subprocessors: [Amazon Web Services, Google Cloud]
retention: |
  The company deletes the data **60 days** after the contract ends.
sdpc_agreement: https://sdpc.example.org/agreements/nearpod"""), encoding="utf-8")
    (content / "breaches" / "nearpod-2026.md").write_text(
        "---\nvendor: Nearpod\ncontract: nearpod\nreported: 2026-11-02\nposted: 2026-11-04\n"
        "student_data: [student_name]\n---\nA server was open for a day.\n", encoding="utf-8")
    result = run("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    with _serve(tmp_path / "site") as server:
        for path in ("/contracts/nearpod/", "/es/contracts/nearpod/", "/vendors/nearpod/", "/breaches/nearpod-2026/"):
            response = page.goto(server + path)
            assert response and response.ok, f"{path}: HTTP {response and response.status}"
            main = page.get_by_role("main")
            assert main.locator(".breach-box a, dl.facts a").count() >= 1, f"{path} does not link the breach"
            if "contracts" in path:
                assert main.get_by_text("Google Cloud").is_visible()
                assert main.locator('a[href="https://sdpc.example.org/agreements/nearpod"]').is_visible()
            results = _axe(page)
            assert not results["violations"], f"axe-core on {path}:\n{_describe(results['violations'])}"


# --------------------------------------------------------------------------- other jurisdictions

EVERY_LAWS_FIELD = """vendor_address: |
  Nearpod Inc.
  1855 Griffin Road, Suite B-300
  Dania Beach, FL 33004
subprocessors: [Amazon Web Services, Google Cloud]
subprocessor_safeguards: |
  Each subprocessor signs **the same data protection terms** as the company.
expires: 2027-08-20
retention: The company deletes the data within 60 days of the end of the contract.
accuracy_challenge: Parents write to the district's privacy officer, who answers within 30 days.
storage_and_security: |
  In data centres in the United States:

  - access is limited to named staff;
  - every access is logged.
encryption: TLS 1.2 or later in transit, AES-256 at rest."""


def _site_of(work: Path, jurisdiction: str) -> Path:
    """The example site as a district of ``jurisdiction``; its Nearpod notice gives every field that IL and NY
    ask for (so that it is complete there), and the other notices lack them (so that they are incomplete)."""
    content = work / "content"
    shutil.copytree(EXAMPLE_CONTENT, content)
    site_yml = content / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + f"jurisdiction: {jurisdiction}\n", encoding="utf-8")
    notice = content / "contracts" / "nearpod.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "student_data: []", "student_data: []\n" + EVERY_LAWS_FIELD, 1), encoding="utf-8")
    result = run("build", "--content", str(content), "--out", str(work / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    return work / "site"


@pytest.fixture(scope="module", params=["IL", "NY"])
def law_site(request, tmp_path_factory) -> tuple[str, Path]:
    return request.param, _site_of(tmp_path_factory.mktemp(f"law-{request.param}"), request.param)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_axe_passes_the_pages_of_an_illinois_and_a_new_york_site(page, phone_page, law_site, width):
    """The notice that gives every field of the law, an incomplete notice (its box cites the law and lists what
    is missing), the home page and the breaches page (their leads cite the law), in both languages."""
    jurisdiction, site = law_site
    tab = page if width == "desktop" else phone_page
    complete = (site / "contracts" / "nearpod" / "index.html").read_text(encoding="utf-8")
    assert not _is_incomplete(complete), f"{jurisdiction}: the notice that gives every field is incomplete"
    incomplete = _first_dir(site, "contracts", _is_incomplete)
    with _serve(site) as server:
        for lang in ("", "/es"):
            for path in ("/contracts/nearpod/", incomplete, "/", "/breaches/"):
                response = tab.goto(server + lang + path, wait_until="load")
                assert response and response.ok, f"{lang}{path}: HTTP {response and response.status}"
                if path == "/contracts/nearpod/":
                    assert tab.locator("#encryption, #accuracy-challenge, .vendor-address").count() == 3
                if path == incomplete:
                    assert tab.locator(".incomplete-box li").count() >= 1
                results = _axe(tab)
                assert not results["violations"], \
                    f"axe-core on {jurisdiction} {lang}{path} ({width}):\n{_describe(results['violations'])}"
                assert results["passes"], f"axe-core checked nothing on {lang}{path}"


@pytest.fixture(scope="module")
def no_law_site(tmp_path_factory) -> Path:
    return _site_of(tmp_path_factory.mktemp("law-none"), "none")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_axe_passes_the_home_and_breaches_pages_of_a_site_of_no_law(page, phone_page, no_law_site, width):
    tab = page if width == "desktop" else phone_page
    with _serve(no_law_site) as server:
        for path in ("/", "/breaches/", "/es/", "/es/breaches/"):
            response = tab.goto(server + path, wait_until="load")
            assert response and response.ok, f"{path}: HTTP {response and response.status}"
            assert tab.locator("p.lead").count() == 1
            results = _axe(tab)
            assert not results["violations"], f"axe-core on none {path} ({width}):\n{_describe(results['violations'])}"
            assert results["passes"], f"axe-core checked nothing on {path}"


# --------------------------------------------------------------------------- no JavaScript

def test_notices_list_without_javascript(browser, server, example_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        _check_notices_without_javascript(context.new_page(), server, example_site)
    finally:
        context.close()


def _check_notices_without_javascript(page, server, example_site):
    page.goto(server + "/contracts/")
    # Locators and inner_text work through the DevTools protocol, not the page's scripts.
    expected = len(json.loads((example_site / "contracts.json").read_text(encoding="utf-8"))["notices"])
    assert expected > 0
    rows = page.locator("table.notices tbody tr")
    assert rows.count() == expected
    assert rows.first.is_visible()
    first_link = rows.first.locator("a").first
    assert first_link.is_visible() and first_link.get_attribute("href")
    assert page.locator("h1").inner_text() == "All notices"


# --------------------------------------------------------------------------- file://

def test_links_work_from_disk(page, example_site):
    watch = _watch(page)
    page.goto((example_site / "index.html").as_uri())
    assert page.locator("h1").is_visible()
    page.get_by_role("main").get_by_role("link", name="All notices", exact=True).first.click()
    page.wait_for_load_state("load")
    assert page.url == (example_site / "contracts" / "index.html").as_uri()
    assert page.locator("h1").inner_text() == "All notices"
    assert page.locator("table.notices tbody tr").count() > 0

    # The site navigation works from disk too, and the stylesheet loads.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Companies A–Z").click()
    page.wait_for_load_state("load")
    assert page.url == (example_site / "vendors" / "index.html").as_uri()
    assert page.locator("h1").inner_text() == "Companies A–Z"
    background = page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", "the stylesheet did not load from disk"
    assert not watch.failures, watch.failures


# --------------------------------------------------------------------------- print

def test_print_hides_navigation_keeps_facts(page, server, example_site):
    path = PAGE_TYPES["notice-with-data"](example_site)
    page.goto(server + path)
    page.emulate_media(media="print")
    assert page.evaluate("() => matchMedia('print').matches")
    assert not page.get_by_role("navigation", name="Main").is_visible(), "the site navigation prints"
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").is_visible()
    facts = page.locator("dl.facts")
    assert facts.is_visible()
    terms = facts.locator("dt")
    assert terms.count() >= 4
    for index in range(terms.count()):
        assert terms.nth(index).is_visible(), terms.nth(index).inner_text()
        assert facts.locator("dd").nth(index).is_visible()
    assert re.search(r"Signed", facts.inner_text())
    assert page.locator("dl.elements").first.is_visible(), "the student data does not print"
    assert page.locator(".glance").is_visible()
    header = page.locator(".print-header")
    assert header.is_visible(), "the printed page does not say where it comes from"
    assert server not in header.inner_text()  # the public address, not the test server's
    assert path in header.inner_text()
    built = header.locator(".print-built").evaluate("element => getComputedStyle(element, '::after').content")
    assert built == '"Printed from the site as built on 29 November 2026"', "the printed page does not carry the build date"
    assert not page.locator(".footer-links").is_visible(), "footer links print"
    page.emulate_media(media="screen")
    assert not header.is_visible(), "the print header shows on screen"


# --------------------------------------------------------------------------- Content-Security-Policy

def test_the_content_security_policy_refuses_other_hosts(page, server, example_site):
    page.goto(server + "/contracts/")
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', event => resolve(event.violatedDirective));
        const image = document.createElement('img');
        image.src = 'https://tracker.example/pixel.png';
        document.body.append(image);
        setTimeout(() => resolve(null), 3000);
    })""")
    assert blocked and blocked.startswith("img-src"), "an image from another host was not refused"


def test_the_preview_reloads_under_the_content_security_policy(page, content):
    """The preview's live-reload script is the site's own, so the policy lets it run."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py"), "serve",
         "--content", "content", "--port", str(port), "--today", TODAY],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        watch = _watch(page)
        url = f"http://127.0.0.1:{port}/contracts/acme-learning/index.html"
        for _ in range(80):
            try:
                page.goto(url)
                break
            except Exception:
                time.sleep(0.25)
        assert "Reading practice" in page.locator("main").inner_text()
        with page.expect_websocket(timeout=10_000) as opened:  # the preview's script runs under the policy
            page.reload()
        assert opened.value.url.startswith(f"ws://127.0.0.1:{port}/_preview/reload?build=")
        record = content.root / "contracts" / "acme-learning.md"
        original = record.read_text(encoding="utf-8")
        # The watcher takes its first look once the page has connected: save again until it sees a change.
        for attempt in range(1, 8):
            record.write_text(original.replace("Reading practice", f"Writing practice {attempt}"), encoding="utf-8")
            try:
                page.wait_for_function(f"() => document.querySelector('main').innerText.includes("
                                       f"'Writing practice {attempt}')", timeout=3_000)
                break
            except Exception:
                continue
        assert "Writing practice" in page.locator("main").inner_text(), "the preview did not reload the page"
        assert not [error for error in watch.console_errors if "Content Security Policy" in error], \
            watch.console_errors
    finally:
        process.terminate()
        process.wait(timeout=10)


# --------------------------------------------------------------------------- search

# What the search page says, in each language: where it is, its field, its button, its count of results.
SEARCH_PAGES = {
    "en": ("/search/", "Search notices, companies, policies and the guide", "Search", r"result"),
    "es": ("/es/search/", "Buscar en los avisos, las empresas, las políticas y la guía", "Buscar", r"resultado"),
}


def _search(page, server: str, query: str = "", lang: str = "en", **filters) -> list[str]:
    """Search as a parent does, on the search page in ``lang``; the hrefs of the results."""
    path, field_label, button, results = SEARCH_PAGES[lang]
    page.goto(server + path)
    field = page.get_by_label(field_label, exact=True)
    field.wait_for()
    if filters and page.locator("details.search-filters").get_attribute("open") is None:
        page.locator("details.search-filters summary").click()  # on a phone the filters wait behind their button
    for name, value in filters.items():
        page.locator(f"select[data-filter={name}]").select_option(value)
    if query:
        field.fill(query)
        page.get_by_role("button", name=button, exact=True).click()
    status = page.get_by_role("status")
    status.filter(has_text=re.compile(results)).wait_for()
    return page.locator(".search-results li h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_a_parent_who_knows_only_the_app_finds_its_notice(page, server, example_site):
    watch = _watch(page)
    hrefs = _search(page, server, "Naviance")
    assert "/contracts/powerschool-naviance/" in hrefs, hrefs
    page.locator(".search-results a[href='/contracts/powerschool-naviance/']").click()
    page.wait_for_load_state("load")
    assert "PowerSchool" in page.locator("h1").inner_text()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in watch.requests), watch.requests
    assert not watch.console_errors, watch.console_errors


def test_search_filters_by_kind_of_data(page, server, example_site):
    """The data filter offers each kind of data by its label ("Specialized education services (IEP or 504)"),
    and keeps its key in the address."""
    key = "special_education"
    hrefs = _search(page, server, data=key)
    listing = {urlsplit(notice["url"]).path for notice in _notices(example_site) if key in (notice["student_data"] or [])}
    assert hrefs and set(hrefs) == listing, f"{key} finds {sorted(hrefs)}, not {sorted(listing)}"
    chosen = page.locator("select[data-filter=data] option:checked").inner_text()
    assert chosen == _label_of(example_site, key), f"the filter offers {key} as {chosen!r}"
    assert parse_qs(urlsplit(page.url).query).get("data") == [key], "the filter is kept in the address"


def _label_of(site: Path, key: str, lang: str = "en") -> str:
    """The label of a kind of data, as its page names it in ``lang``."""
    folder = site / "es" if lang == "es" else site
    html = (folder / "data" / key / "index.html").read_text(encoding="utf-8")
    return unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))).strip()


def _built_page(site: Path, href: str) -> Path | None:
    """The file of the site that a link from a page leads to, if there is one."""
    path = site / urlsplit(href).path.lstrip("/")
    path = path / "index.html" if href.endswith("/") else path
    return path if path.is_file() else None


def _notices(site: Path) -> list[dict]:
    return json.loads((site / "contracts.json").read_text(encoding="utf-8"))["notices"]


def _spanish_path(notice: dict) -> str:
    """Where the Spanish twin of a notice is: /es/contracts/<slug>/."""
    return "/es" + urlsplit(notice["url"]).path


def test_a_spanish_speaking_parent_finds_the_notice_by_a_spanish_word(page, server, example_site):
    slug = "powerschool-naviance"
    # "fortalezas" (strengths): a word that only the Spanish translation of this notice has, so the
    # notice can be found by it only if the Spanish pages are indexed with their own text.
    word = "fortalezas"
    has_word = re.compile(rf"\b{word}\b", re.IGNORECASE)
    translation = EXAMPLE_CONTENT / "contracts" / f"{slug}.es.md"
    assert has_word.search(translation.read_text(encoding="utf-8")), f"{translation.name} no longer says {word!r}"
    elsewhere = [str(path.relative_to(EXAMPLE_CONTENT)) for path in sorted(EXAMPLE_CONTENT.rglob("*"))
                 if path.is_file() and path != translation and path.suffix != ".pdf"  # the example PDFs: English
                 and has_word.search(path.read_text(encoding="utf-8"))]
    assert not elsewhere, f"{word!r} is not only in {translation.name}: also in {elsewhere}"
    notice = next(notice for notice in _notices(example_site) if notice["slug"] == slug)
    target = _spanish_path(notice)

    hrefs = _search(page, server, word, lang="es")
    assert target in hrefs, f"searching {word!r} on /es/search/ does not lead to {target}: {hrefs}"
    with page.expect_navigation(wait_until="load"):
        page.locator(".search-results").get_by_role("link", name=notice["title"], exact=True).click()
    assert _same_page(urlsplit(page.url).path) == target, f"the result leads to {page.url}"
    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert notice["title"] in page.locator("h1").inner_text()
    assert has_word.search(page.locator("main").inner_text()), f"{target} does not show {word!r}"


def test_spanish_search_shows_spanish_pages_with_spanish_words(page, server, example_site):
    english = _search(page, server, "Naviance")
    spanish = _search(page, server, "Naviance", lang="es")
    assert spanish, "'Naviance' finds nothing on /es/search/"
    count = len(page.locator(".search-results li").all())
    assert page.get_by_role("status").inner_text() == f"{count} resultado{'' if count == 1 else 's'}.", \
        "the count of results is not in Spanish"
    kinds = {kind.strip().rstrip(":") for kind in page.locator(".search-kind").all_inner_texts()}
    spanish_kinds = {unescape(kind) for path in (example_site / "es").rglob("*.html")
                     for kind in re.findall(r'data-pagefind-meta="kind:([^"]+)"', path.read_text(encoding="utf-8"))}
    assert kinds <= spanish_kinds, f"results are labelled {kinds - spanish_kinds}, not in Spanish"
    for href in spanish:  # never an English page, never a page that is not there
        built = _built_page(example_site, href)
        assert built and href.startswith("/es/"), f"the result {href} is not a Spanish page of the site: {spanish}"
        assert '<html lang="es">' in built.read_text(encoding="utf-8"), f"the result {href} is not in Spanish"
    assert set(spanish) == {"/es" + href for href in english}, \
        f"Spanish results {spanish} are not the twins of the English {english}"


def test_spanish_search_filters_by_spanish_kind_of_data(page, server, example_site):
    page.goto(server + "/es/search/")
    page.locator(".search-status").filter(has_text=re.compile(".")).wait_for()
    options = page.locator("select[data-filter=data] optgroup option").evaluate_all(
        "options => options.map(o => [o.value, o.textContent])")
    assert options, "no kind of data to filter by"
    for key, label in options:
        assert label == _label_of(example_site, key, "es"), f"/es/search/ offers {key} as {label!r}"
    key = "special_education"
    hrefs = _search(page, server, lang="es", data=key)
    expected = {_spanish_path(notice) for notice in _notices(example_site) if key in (notice["student_data"] or [])}
    assert hrefs and set(hrefs) == expected, f"{key!r} finds {sorted(hrefs)}, not {sorted(expected)}"
    assert parse_qs(urlsplit(page.url).query).get("data") == [key], "the filter is not kept in the address"


def test_search_without_javascript_points_to_the_complete_lists(browser, server, example_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/search/")
        assert not page.locator(".search-form").is_visible()
        fallback = page.locator(".search-without-script")
        assert "needs JavaScript" in fallback.inner_text()
        assert fallback.get_by_role("link", name="All notices").is_visible()
    finally:
        context.close()


def test_search_from_disk_points_to_the_complete_lists(page, example_site):
    """Browsers load no module script from disk: the page says search is not available there."""
    page.goto((example_site / "search" / "index.html").as_uri())
    page.wait_for_load_state("load")
    fallback = page.locator(".search-without-script")
    assert "opened from disk" in fallback.inner_text()
    assert fallback.get_by_role("link", name="All notices").is_visible()
    assert not page.locator(".search-form").is_visible()


# --------------------------------------------------------------------------- the preview's errors

# Starts the preview with the templates read from a copy (argv[2]), so that the test can break a template
# without touching the repository's; the code is the repository's (argv[1]), as with build.py. Then: port, today.
_SERVE_WITH_TEMPLATES = (
    "import sys; sys.path.insert(0, sys.argv[1]); from datetime import date; from pathlib import Path; "
    "from noticeboard.preview.server import serve; from noticeboard.theme import Theme; "
    "sys.exit(serve(Path('content'), '127.0.0.1', int(sys.argv[3]), date.fromisoformat(sys.argv[4]), "
    "theme=Theme(templates=Path(sys.argv[2]).resolve())))")


def test_the_preview_shows_errors_above_the_last_good_page_until_they_are_fixed(phone_page, content, tmp_path):
    """A staff member watching the page (on a phone, 320 px wide) sees a content error and a template error
    on top of the last good page as soon as the preview reloads, and sees them go once fixed."""
    import socket
    import subprocess
    import sys
    import time

    page = phone_page
    repo = Path(__file__).resolve().parent.parent
    templates = tmp_path / "templates"
    shutil.copytree(repo / "noticeboard" / "templates", templates)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVE_WITH_TEMPLATES, str(repo), str(templates), str(port), TODAY],
        stdout=subprocess.DEVNULL, stderr=log)
    banner = page.locator("section.preview-errors")

    def shows_errors(lines: list[str]) -> None:
        banner.wait_for(timeout=15_000)  # the preview reloads the page by itself after the rebuild
        heading = f"The preview is NOT up to date: {len(lines)} error{'s' if len(lines) > 1 else ''}"
        assert page.get_by_role("region", name=heading).is_visible()
        assert banner.locator("li").all_inner_texts() == lines
        assert banner.locator("a").count() == 0, "file names are text to copy, not links"
        top, main = banner.bounding_box(), page.locator("main").bounding_box()
        assert top["y"] + top["height"] <= main["y"], "the errors are above the page"
        assert "Reading practice for grades 3-5." in page.locator("main").inner_text(), "the last good page stays"
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), \
            "the banner makes the page scroll sideways at 320 px"
        assert banner.evaluate("element => getComputedStyle(element).borderTopStyle") == "solid", \
            "the banner's stylesheet did not load under the Content-Security-Policy"
        violations = _axe(page)["violations"]
        assert not violations, _describe(violations)

    def shows_no_errors() -> None:
        banner.wait_for(state="detached", timeout=15_000)
        assert "Reading practice for grades 3-5." in page.locator("main").inner_text()

    try:
        watch = _watch(page)
        for _ in range(80):
            try:
                page.goto(f"http://127.0.0.1:{port}/contracts/acme-learning/index.html")
                break
            except Exception:
                time.sleep(0.25)
        assert "Reading practice for grades 3-5." in page.locator("main").inner_text()
        assert banner.count() == 0

        record = content.root / "contracts" / "acme-learning.md"
        good = record.read_text(encoding="utf-8")
        record.write_text(good.replace("grade_level]", "grade_levl]"), encoding="utf-8")
        shows_errors(["content/contracts/acme-learning.md:5: error: student_data: 'grade_levl' is not a data "
                      "element of data-elements.yml; did you mean 'grade_level'? [NB104]"])
        assert banner.locator("h3").all_inner_texts() == ["content/contracts/acme-learning.md"]
        record.write_text(good, encoding="utf-8")
        shows_no_errors()

        notice = templates / "notice.html"
        intact = notice.read_text(encoding="utf-8")
        lines = intact.split("\n")
        line = lines.index("{% block main %}") + 2
        notice.write_text("\n".join(lines[:line - 1] + ["{{ notice.title }"] + lines[line - 1:]), encoding="utf-8")
        shows_errors([f"templates/notice.html:{line}: error: template: unexpected '}}' [NB501]"])
        notice.write_text(intact, encoding="utf-8")
        shows_no_errors()
        assert not [error for error in watch.console_errors if "Content Security Policy" in error], \
            watch.console_errors
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
