"""The search page as a parent on a phone uses it (320×640), in English and in Spanish: excerpts that
keep every space, results brought into view with the focus on their heading, filters by the labels of
the kinds of data and by grade, the search kept in the address (shared, the back button, the language
switch), the words parents use (brecha, PEI), and no console error or refusal of the site's policy.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from test_browser import (SEARCH_PAGES, _axe, _describe, _label_of, _notices, _search, _spanish_path, _switch_language, _watch,  # noqa: F401
                          browser, context, page, phone_context, phone_page, playwright, server)

pytestmark = pytest.mark.browser

LANGS = pytest.mark.parametrize("lang", ["en", "es"])
SPECIAL_EDUCATION = "special_education"  # the IEP element: "Specialized education services (IEP or 504)"
WORDS = re.compile(r"\w+")


def _in_lang(path: str, lang: str) -> str:
    return path if lang == "en" else "/es" + path


def _indexed_words(site: Path, href: str) -> list[str]:
    """The words of a page as Pagefind reads them: its main text, without what it ignores, with the
    attributes it is told to index inline before the element's own text."""
    path = site / urlsplit(href).path.lstrip("/")
    html = (path / "index.html" if href.endswith("/") else path).read_text(encoding="utf-8")
    main = BeautifulSoup(html, "html.parser").select_one("main[data-pagefind-body]")
    for ignored in main.select("[data-pagefind-ignore]"):
        ignored.decompose()
    for element in main.select("[data-pagefind-index-attrs]"):
        for name in element["data-pagefind-index-attrs"].split(","):
            element.insert(0, f" {element.get(name.strip(), '')}. ")
    return WORDS.findall(main.get_text(" "))


def _excerpts(page) -> list[dict]:
    """Each result's address, the text of its excerpt, and the text either side of each found word."""
    return page.locator(".search-results li").evaluate_all("""items => items.map(item => {
        const excerpt = item.querySelector('p');
        return {href: item.querySelector('h3 a').getAttribute('href'), text: excerpt.textContent,
                marks: [...excerpt.querySelectorAll('mark')].map(mark => ({
                    mark: mark.textContent,
                    before: mark.previousSibling ? mark.previousSibling.textContent : '',
                    after: mark.nextSibling ? mark.nextSibling.textContent : ''}))};
    })""")


def _enter(page, server: str, lang: str, query: str) -> None:
    """Type ``query`` on the search page and press Enter, as a parent does; wait for the count."""
    path, label, _, results = SEARCH_PAGES[lang]
    page.goto(server + path)
    field = page.get_by_label(label, exact=True)
    field.fill(query)
    field.press("Enter")
    page.locator("#results-heading").filter(has_text=re.compile(results)).wait_for()


@LANGS
def test_excerpts_keep_every_space_and_character(phone_page, server, example_site, lang):
    label = _label_of(example_site, SPECIAL_EDUCATION, lang)  # "Specialized education services (IEP or 504)"
    first, *_, last = WORDS.findall(label)
    # The label's first word, "IEP" inside its brackets, and "504" at its end before ")": found words at the
    # start, in the middle and at the end of a phrase, and next to punctuation.
    for query in [first, "IEP", last, "Naviance"]:
        _enter(phone_page, server, lang, query)
        excerpts = _excerpts(phone_page)
        assert excerpts, f"{query!r} finds nothing on the {lang} search page"
        for excerpt in excerpts:
            for found in excerpt["marks"]:
                assert not re.search(r"\w$", found["before"]) and not re.match(r"\w", found["after"]), \
                    f"{query!r}: a found word is glued to its neighbours in {excerpt['href']}: {excerpt['text']!r}"
            words = WORDS.findall(excerpt["text"])
            page_words = _indexed_words(example_site, excerpt["href"])
            runs = {" ".join(page_words[i:i + 3]) for i in range(len(page_words) - 2)}
            glued = [" ".join(words[i:i + 3]) for i in range(len(words) - 2) if " ".join(words[i:i + 3]) not in runs]
            assert not glued, f"{query!r}: the excerpt of {excerpt['href']} says {glued[:3]}, which the page does not"
        if query in {"IEP", last}:
            shown = [" ".join(excerpt["text"].split()) for excerpt in excerpts]
            assert any(label in text for text in shown), f"{query!r}: no excerpt shows {label!r} whole: {shown}"


@LANGS
def test_the_first_result_is_in_view_after_enter_with_the_focus_on_the_results_heading(phone_page, server, lang):
    page = phone_page
    assert page.viewport_size == {"width": 320, "height": 640}
    _enter(page, server, lang, "IEP")
    focused = page.evaluate("() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
                            " text: document.activeElement.textContent})")
    count = page.locator(".search-results li").count()
    assert focused["id"] == "results-heading" and focused["tag"] == "H2", f"the focus is on {focused}"
    assert re.match(rf"{count} {SEARCH_PAGES[lang][3]}", focused["text"]), f"the heading says {focused['text']!r}"
    heading = page.get_by_role("heading", name=focused["text"], exact=True)
    assert heading.is_visible()
    box = page.locator(".search-results li").first.bounding_box()
    assert box and 0 <= box["y"] < 640, f"the first result is at y={box and box['y']}, out of the 640 px screen"


@LANGS
def test_the_button_too_brings_the_results_into_view(phone_page, server, lang):
    path, label, button, results = SEARCH_PAGES[lang]
    phone_page.goto(server + path)
    phone_page.get_by_label(label, exact=True).fill("Naviance")
    phone_page.get_by_role("button", name=button, exact=True).click()
    phone_page.locator("#results-heading").filter(has_text=re.compile(results)).wait_for()
    assert phone_page.evaluate("() => document.activeElement.id") == "results-heading"
    box = phone_page.locator(".search-results li").first.bounding_box()
    assert box and 0 <= box["y"] < 640


@LANGS
def test_on_a_phone_the_filters_wait_behind_one_button_that_the_keyboard_opens(phone_page, server, lang):
    page = phone_page
    path, label, _, _ = SEARCH_PAGES[lang]
    page.goto(server + path)
    page.get_by_label(label, exact=True).wait_for()
    filters = page.locator("details.search-filters")
    assert filters.get_attribute("open") is None, "the filters take the phone's screen before any search"
    assert not page.locator("select[data-filter=data]").is_visible()
    summary = filters.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert filters.get_attribute("open") is not None
    for select in page.locator("select[data-filter]").all():
        assert select.is_visible()


def _of_grade(notices: list[dict], grade: str) -> list[dict]:
    return [notice for notice in notices if grade in (notice["grade_levels"] or [])]


def _grade_to_try(notices: list[dict], key: str) -> str:
    """A grade that some notice listing ``key`` covers, and that some other notice covers too."""
    listing = [notice for notice in notices if key in (notice["student_data"] or [])]
    for notice in listing:
        for grade in notice["grade_levels"] or []:
            if any(grade in (other["grade_levels"] or []) for other in notices if other not in listing):
                return grade
    raise AssertionError(f"no notice listing {key} names a grade that another notice names")


@LANGS
def test_filters_by_the_label_of_a_kind_of_data_and_by_grade_narrow_the_results(phone_page, server, example_site,
                                                                                 lang):
    page = phone_page
    notices = _notices(example_site)
    grade = _grade_to_try(notices, SPECIAL_EDUCATION)
    path, label, _, results = SEARCH_PAGES[lang]
    page.goto(server + path)
    page.get_by_label(label, exact=True).wait_for()
    page.locator("details.search-filters summary").click()

    def shown(expected: set[str]) -> set[str]:
        """The results once they are ``expected`` (or after five seconds): each filter starts a search."""
        for _ in range(50):
            page.locator("#results-heading").filter(has_text=re.compile(results)).wait_for()
            found = set(page.locator(".search-results li h3 a").evaluate_all("a => a.map(l => l.getAttribute('href'))"))
            if found == expected:
                break
            page.wait_for_timeout(100)
        return found

    def where(notice: dict) -> str:
        return urlsplit(notice["url"]).path if lang == "en" else _spanish_path(notice)

    page.locator("select[data-filter=grade]").select_option(grade)
    of_grade = {where(n) for n in notices if grade in (n["grade_levels"] or [])}
    by_grade = shown(of_grade)
    assert by_grade == of_grade, f"grade {grade}"
    page.locator("select[data-filter=data]").select_option(label=_label_of(example_site, SPECIAL_EDUCATION, lang))
    expected = {where(n) for n in _of_grade(notices, grade) if SPECIAL_EDUCATION in (n["student_data"] or [])}
    both = shown(expected)
    assert both == expected
    assert both and both < by_grade, f"the data filter does not narrow grade {grade}'s {by_grade} to {both}"
    assert parse_qs(urlsplit(page.url).query) == {"data": [SPECIAL_EDUCATION], "grade": [grade]}


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_shared_address_the_back_button_and_the_language_switch_keep_the_search(page, phone_page, server,
                                                                                   example_site, width):
    page = phone_page if width == "phone" else page
    english = _search(page, server, "IEP")
    assert english
    _switch_language(page, "/search/", "Language", "Español", "es")
    assert urlsplit(page.url).path in {"/es/search/", "/es/search/index.html"} and urlsplit(page.url).query == "q=IEP"
    assert page.get_by_label(SEARCH_PAGES["es"][1], exact=True).input_value() == "IEP"
    page.locator("#results-heading").filter(has_text=re.compile("resultado")).wait_for()
    spanish = page.locator(".search-results li h3 a").evaluate_all("a => a.map(l => l.getAttribute('href'))")
    assert set(spanish) == {"/es" + href for href in english}, "the Spanish results are not the twins"

    field = page.get_by_label(SEARCH_PAGES["es"][1], exact=True)
    field.fill("Naviance")
    field.press("Enter")
    page.wait_for_url(re.compile(r"q=Naviance"))
    switch = page.get_by_role("navigation", name="Idioma", exact=True).get_by_role("link", name="English")
    assert switch.get_attribute("href").endswith("?q=Naviance"), "the language switch does not follow the search"
    page.go_back()
    page.wait_for_url(re.compile(r"q=IEP"))
    assert field.input_value() == "IEP", "the back button does not bring back the search before"
    page.wait_for_function("(expected) => [...document.querySelectorAll('.search-results h3 a')]"
                           ".map(a => a.getAttribute('href')).sort().join() === expected",
                           arg=",".join(sorted(spanish)))
    assert switch.get_attribute("href").endswith("?q=IEP")

    grade = _grade_to_try(_notices(example_site), SPECIAL_EDUCATION)
    page.goto(f"{server}/es/search/?data={SPECIAL_EDUCATION}&grade={grade}")
    page.locator("#results-heading").filter(has_text=re.compile("resultado")).wait_for()
    assert page.locator("select[data-filter=data]").input_value() == SPECIAL_EDUCATION
    assert page.locator("select[data-filter=grade]").input_value() == grade
    assert page.locator(".search-results li").count() >= 1


@pytest.mark.parametrize("lang, query, expected", [
    ("es", "brecha", ["/breaches/", "breach"]),
    ("en", "breach", ["/breaches/", "breach"]),
    ("en", "hack", ["/breaches/", "breach"]),
    ("es", "PEI", [SPECIAL_EDUCATION]),
])
def test_the_words_parents_use_find_the_pages_that_use_others(page, server, example_site, lang, query, expected):
    hrefs = set(_search(page, server, query, lang=lang))
    wanted = set()
    for what in expected:
        if what == "breach":
            wanted |= {f"/breaches/{path.parent.name}/" for path in (example_site / "breaches").glob("*/index.html")}
        elif what == SPECIAL_EDUCATION:
            wanted |= {urlsplit(n["url"]).path for n in _notices(example_site) if what in (n["student_data"] or [])}
            wanted.add(f"/data/{what}/")
        else:
            wanted.add(what)
    wanted = {_in_lang(path, lang) for path in wanted}
    assert len(wanted) > 1 and wanted <= hrefs, f"{query!r} on the {lang} search page misses {wanted - hrefs}"


@LANGS
def test_no_console_error_and_nothing_refused_by_the_policy_after_a_search(page, server, lang):
    watch = _watch(page)
    page.add_init_script("""window.refused = [];
        document.addEventListener('securitypolicyviolation',
            event => window.refused.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`));""")
    hrefs = _search(page, server, "IEP", lang=lang)
    assert hrefs
    page.locator("select[data-filter=status]").select_option("incomplete")
    page.wait_for_function("() => new URLSearchParams(location.search).get('status') === 'incomplete'")
    page.locator("#results-heading").filter(has_text=re.compile(SEARCH_PAGES[lang][3])).wait_for()
    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('status')")
    refused = page.evaluate("() => window.refused")
    assert not refused, f"the Content-Security-Policy refused: {refused}"
    assert not watch.console_errors, watch.console_errors
    assert not watch.failures, watch.failures


@LANGS
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_axe_passes_the_search_page_with_results_and_filters_open(page, phone_page, server, lang, width):
    tab = phone_page if width == "phone" else page
    _enter(tab, server, lang, "IEP")
    filters = tab.locator("details.search-filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    violations = _axe(tab)["violations"]
    assert not violations, f"axe-core on the {lang} search page with results:\n{_describe(violations)}"
