"""The header on a phone, the menu behind its button, the way to /follow/, and paper, in Debian's chromium: at
320×640 in English and Spanish the header leaves room for the page, the menu opens by keyboard and without
JavaScript, and a printed notice gives its documents' addresses."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_CONTENT, TODAY, run

# The fixtures of test_browser, imported, then named as the tests' arguments.
from test_browser import (PAGE_TYPES, _axe, _describe, _open, _serve, browser, context, page,  # noqa: F401
                          phone_context, phone_page, playwright, server)

pytestmark = pytest.mark.browser

HEADER_MAX = 130  # px of a 640 px screen: about a fifth
MENU = {"en": "Menu", "es": "Menú"}
NOTICES = ["notice-with-data", "notice-no-data", "notice-incomplete"]
NOTICE_TYPES = NOTICES + ["es:" + kind for kind in NOTICES]


def _menu_state(page) -> dict:
    """The menu's button as the accessibility tree gives it to a screen reader: its role, whether it can be
    focused, and whether it says that the menu is open."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    label = MENU[page.evaluate("() => document.documentElement.lang")]
    buttons = [node for node in nodes if node.get("name", {}).get("value") == label and not node.get("ignored")
               and node["role"]["value"] not in ("StaticText", "InlineTextBox")]  # the button, not its words
    assert len(buttons) == 1, f"{len(buttons)} buttons named {label!r}"
    # Chromium's role for a <summary>: screen readers announce a button, expanded or collapsed.
    assert buttons[0]["role"]["value"] in ("DisclosureTriangle", "button"), buttons[0]["role"]
    properties = {item["name"]: item["value"].get("value") for item in buttons[0].get("properties", [])}
    return {"role": buttons[0]["role"]["value"], **properties}


def _main_menu(page):
    name = "Principal" if page.evaluate("() => document.documentElement.lang") == "es" else "Main"
    return page.get_by_role("navigation", name=name, exact=True)


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_the_header_takes_at_most_a_fifth_of_a_phone_screen(phone_page, server, example_site, page_type):
    path = _open(phone_page, server, example_site, page_type)
    header = phone_page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_MAX, f"{path}: the header is {header['height']:.0f}px tall at 320×640"
    assert phone_page.locator(".site-header .site-name").is_visible()
    assert phone_page.locator(".site-header .language-switch a").first.is_visible()
    assert phone_page.locator(".site-menu > summary").is_visible(), f"{path}: no menu button on a phone"
    assert not _main_menu(phone_page).is_visible(), f"{path}: the menu is open before it is asked for"


@pytest.mark.parametrize("page_type", NOTICE_TYPES)
def test_a_notice_s_heading_is_in_view_without_scrolling(phone_page, server, example_site, page_type):
    path = _open(phone_page, server, example_site, page_type)
    assert phone_page.evaluate("() => scrollY") == 0
    heading = phone_page.locator("main h1").bounding_box()
    assert heading["y"] >= 0 and heading["y"] + heading["height"] <= 640, f"{path}: the h1 is at {heading}"
    crumbs = phone_page.locator("main .breadcrumbs").bounding_box()
    assert crumbs["y"] + crumbs["height"] <= heading["y"], f"{path}: the breadcrumbs are not above the heading"


@pytest.mark.parametrize("page_type", ["home", "notice-with-data", "es:home", "es:notice-with-data"])
def test_the_menu_opens_from_the_keyboard_and_says_so(phone_page, server, example_site, page_type):
    path = _open(phone_page, server, example_site, page_type)
    before = _menu_state(phone_page)
    assert before["focusable"] and before["expanded"] is False, f"{path}: {before}"
    summary = phone_page.locator(".site-menu > summary")
    summary.focus()
    assert phone_page.evaluate("() => document.activeElement.matches('.site-menu > summary:focus-visible')")
    outline = summary.evaluate("s => getComputedStyle(s).outlineStyle")
    assert outline != "none", f"{path}: the focused menu button shows no outline"
    phone_page.keyboard.press("Enter")
    after = _menu_state(phone_page)
    assert after["expanded"] is True, f"{path}: the open menu is not announced as expanded: {after}"
    menu = _main_menu(phone_page)
    assert menu.is_visible()
    links = menu.get_by_role("link")
    assert links.count() >= 9
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, f"{path}: a menu link leaves the screen"
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("() => document.activeElement.closest('nav') !== null"), \
        f"{path}: Tab after the open menu's button does not reach the menu"
    summary.focus()
    phone_page.keyboard.press("Enter")
    assert _menu_state(phone_page)["expanded"] is False and not menu.is_visible(), f"{path}: the menu does not close"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_the_menu_works_without_javascript(browser, server, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/{lang}contracts/", wait_until="load")
        assert not _main_menu_without_script(page, lang).is_visible()
        page.locator(".site-menu > summary").click()
        menu = _main_menu_without_script(page, lang)
        assert menu.is_visible()
        link = menu.get_by_role("link").nth(1)
        assert link.is_visible()
        with page.expect_navigation(wait_until="load"):
            link.click()
        assert page.url.endswith(f"/{lang}vendors/index.html"), page.url
    finally:
        context.close()


def _main_menu_without_script(page, lang: str):
    return page.get_by_role("navigation", name="Principal" if lang else "Main", exact=True)


@pytest.mark.parametrize("page_type", ["home", "notice-with-data", "follow", "es:home", "es:follow"])
def test_axe_passes_with_the_menu_open_on_a_phone(phone_page, server, example_site, page_type):
    path = _open(phone_page, server, example_site, page_type)
    phone_page.locator(".site-menu > summary").click()
    assert _main_menu(phone_page).is_visible()
    results = _axe(phone_page)
    assert not results["violations"], f"axe-core on {path}, menu open:\n{_describe(results['violations'])}"


@pytest.mark.parametrize("lang", ["", "es/"])
def test_a_wide_screen_shows_the_menu_without_a_button(page, server, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server}/{lang}", wait_until="load")
    assert not page.locator(".site-menu > summary").is_visible()
    menu = _main_menu(page)
    assert menu.is_visible() and menu.get_by_role("link").count() >= 9
    assert all(menu.get_by_role("link").nth(index).is_visible() for index in range(menu.get_by_role("link").count()))
    assert page.locator(".site-header").bounding_box()["height"] <= 200


@pytest.mark.parametrize("lang", ["", "es/"])
def test_the_footer_leads_to_follow(phone_page, server, lang):
    phone_page.goto(f"{server}/{lang}contracts/", wait_until="load")
    link = phone_page.locator(".site-footer .footer-links a").first
    link.scroll_into_view_if_needed()
    with phone_page.expect_navigation(wait_until="load"):
        link.click()
    assert phone_page.url.endswith(f"/{lang}follow/index.html"), phone_page.url
    feed_address = phone_page.locator("main code.feed-address")
    assert feed_address.is_visible() and feed_address.inner_text().endswith(f"/{lang}feed.xml")
    box = feed_address.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, "the feed's address leaves the phone's screen"


def test_print_has_page_margins_and_gives_document_addresses(page, server):
    page.goto(f"{server}/contracts/quill-amendment-1/", wait_until="load")
    margins = page.evaluate("""() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
        .filter(rule => rule instanceof CSSPageRule).map(rule => rule.style.margin)""")
    assert margins and all(margin and not margin.startswith("0") for margin in margins), margins
    page.emulate_media(media="print")
    addresses = page.evaluate("""() => [...document.querySelectorAll('.documents a')]
        .map(a => ({href: a.href, after: getComputedStyle(a, '::after').content}))""")
    assert addresses
    for link in addresses:
        assert link["after"].startswith('" (https://') and link["after"].endswith(')"'), link
    posted = [link for link in addresses if "/contracts/files/" in link["href"]]
    assert posted and all("https://notices.example.org/contracts/files/" in link["after"] for link in posted)
    assert page.pdf(format="Letter")[:5] == b"%PDF-"
    page.emulate_media(media="screen")
    assert all(after == "none" for after in page.evaluate(
        "() => [...document.querySelectorAll('.documents a')].map(a => getComputedStyle(a, '::after').content)"))


GRADED = {"alpha-reading": ("Alpha Reading", "K-2"), "beta-math": ("Beta Math", "3-12"),
          "gamma-lab": ("Gamma Lab", "Grades K–8")}


@pytest.fixture(scope="module")
def graded_site(tmp_path_factory) -> Path:
    """The example content with three notices for grades K-2, 3-12 and K-8."""
    work = tmp_path_factory.mktemp("graded")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    for slug, (vendor, grades) in GRADED.items():
        (work / "content" / "contracts" / f"{slug}.md").write_text(
            f"---\nvendor: {vendor}\ncontract_date: 2025-03-03\nposted: 2025-03-05\nstudent_data: [student_name]\n"
            f"grades: {grades}\n---\nPractice for {vendor}.\n", encoding="utf-8")
    result = run("build", "--content", str(work / "content"), "--out", str(work / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    return work / "site"


@pytest.mark.parametrize("lang", ["", "es/"])
@pytest.mark.parametrize("grade, expected", [("k", {"Alpha Reading", "Gamma Lab"}),
                                             ("2", {"Alpha Reading", "Gamma Lab"}),
                                             ("3", {"Beta Math", "Gamma Lab"}),
                                             ("9", {"Beta Math"})])
def test_a_grade_s_page_on_a_phone_lists_the_notices_whose_ranges_cover_it(phone_page, graded_site, lang, grade,
                                                                           expected):
    with _serve(graded_site) as address:
        phone_page.goto(f"{address}/{lang}grades/{grade}/", wait_until="load")
        heading = phone_page.locator("main h1").bounding_box()
        assert heading["y"] + heading["height"] <= 640, "the grade's name is not in view"
        listed = phone_page.locator("main ul.notice-list").first.locator("li > a:first-child").all_inner_texts()
        ours = {title for title in listed if title in {vendor for vendor, _ in GRADED.values()}}
        assert ours == expected, f"/{lang}grades/{grade}/ lists {sorted(ours)}"
        violations = _axe(phone_page)["violations"]
        assert not violations, _describe(violations)
