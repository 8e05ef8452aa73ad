"""Every page in every language of site.yml: translated content, what is shown where a
translation is missing, the errors of a wrong translation, and the links between twins."""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EXAMPLE_CONTENT, TODAY, build_site, diagnose, front_matter, run, soup, text
from noticeboard import codes
from noticeboard.load.settings import SHIPPED_ELEMENTS

BASE_URL = "https://notices.example.org/"  # the example content's base_url
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"

ELEMENTS_BY_LANGUAGE = """\
student_name:
  label: {en: Student name, es: Nombre del estudiante}
  category: {en: Student Name, es: Nombre}
  description:
    en: The student's first and/or last name.
    es: El nombre del estudiante.
grade_level:
  label: Grade level
  category: Enrollment
  description: The student's grade.
"""


def check() -> list[str]:
    return run("check", "--content", "content", "--today", TODAY).lines


def resolve(page: str, href: str) -> str:
    """The file that a relative link on ``page`` leads to."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    return path + "/index.html" if href.endswith("/") else path


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html") if "pagefind" not in path.parts}


# --- the example content ---------------------------------------------------------------------

def test_every_english_page_has_a_spanish_twin_and_back(example_site):
    pages = html_pages(example_site)
    english = {page for page in pages if not page.startswith("es/")}
    assert {"es/" + page for page in english} == pages - english


def test_the_language_switch_and_alternates_lead_to_the_twin(example_site):
    for page in sorted(html_pages(example_site)):
        document = soup(example_site / page)
        lang = document.html["lang"]
        twin = page.removeprefix("es/") if lang == "es" else "es/" + page
        switch = document.select("header nav.language-switch a")
        assert [(a["hreflang"], a["lang"], text(a)) for a in switch] == (
            [("en", "en", "English")] if lang == "es" else [("es", "es", "Español")]), page
        target = switch[0]["href"]
        if page.endswith("404.html"):  # shown at any depth: its links start at the site's root
            assert target == "/" + twin, page
        else:
            assert resolve(page, target) == twin, page
        alternates = {link["hreflang"]: link["href"] for link in document.select("head link[rel=alternate][hreflang]")}
        address = BASE_URL + page.removesuffix("index.html")
        twin_address = BASE_URL + twin.removesuffix("index.html")
        assert alternates == {lang: address, ("en" if lang == "es" else "es"): twin_address}, page


def test_the_sitemap_lists_each_page_with_its_alternates(example_site):
    root = ET.parse(example_site / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        entries[url.find(f"{SITEMAP}loc").text] = links
    expected = {BASE_URL + page.removesuffix("index.html") for page in html_pages(example_site)
                if not page.endswith("404.html")}
    assert set(entries) == expected
    for location, links in entries.items():
        assert location in links.values() and set(links) == {"en", "es"}, location
        assert links["es"] == links["en"].replace(BASE_URL, BASE_URL + "es/", 1)


def test_spanish_pages_have_a_spanish_interface_dates_and_content(example_site):
    page = soup(example_site / "es/contracts/powerschool-naviance/index.html")
    assert page.html["lang"] == "es"
    main = page.find("main")
    assert "Firmado el 4 de noviembre de 2022" in text(main)
    translation, body = front_matter(EXAMPLE_CONTENT / "contracts/powerschool-naviance.es.md")
    assert text(BeautifulSoup(body.split("\n\n")[0], "html5lib")) in text(main)
    vocabulary = yaml.safe_load(SHIPPED_ELEMENTS.read_text(encoding="utf-8"))  # the example uses the shipped one
    labels = {text(a) for a in main.select(".data-summary a")}
    assert vocabulary["date_of_birth"]["label"]["es"] in labels
    assert not main.select(".untranslated, .untranslated-note, [lang]"), "everything on it is translated"
    site = yaml.safe_load((EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))
    assert text(page.select_one(".site-name a")) == site["title"]["es"]


def test_spanish_links_stay_in_spanish_and_files_are_shared(example_site):
    page = "es/contracts/index.html"
    document = soup(example_site / page)
    targets = {resolve(page, a["href"]) for a in document.find_all("a", href=True)
               if not a["href"].startswith(("mailto:", "https:", "#"))}
    pages = {target for target in targets if target.endswith(".html")}
    assert pages and all(target.startswith("es/") for target in pages - {"contracts/index.html"})
    assert {"es/follow/index.html", "contracts.json", "contracts.csv"} <= targets
    assert resolve(page, document.find("link", rel="stylesheet")["href"]) == "style.css"


def test_each_language_has_its_feed_linking_its_pages(example_site):
    atom = "{http://www.w3.org/2005/Atom}"
    english = ET.parse(example_site / "feed.xml").getroot()
    spanish = ET.parse(example_site / "es/feed.xml").getroot()
    assert spanish.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    english_links = [entry.find(f"{atom}link").get("href") for entry in english.findall(f"{atom}entry")]
    spanish_links = [entry.find(f"{atom}link").get("href") for entry in spanish.findall(f"{atom}entry")]
    assert spanish_links == [link.replace(BASE_URL, BASE_URL + "es/", 1) for link in english_links]
    summaries = " ".join(entry.find(f"{atom}summary").text for entry in spanish.findall(f"{atom}entry"))
    assert "Firmado el" in summaries and "Signed" not in summaries
    page = soup(example_site / "es/contracts/index.html")
    assert resolve("es/contracts/index.html", page.find("link", type="application/atom+xml")["href"]) == "es/feed.xml"


def test_the_untranslated_example_titles_are_marked(example_site):
    """Three example titles have no Spanish translation: shown in English, marked, wherever listed."""
    untranslated = []
    for path in sorted((EXAMPLE_CONTENT / "contracts").glob("*.es.md")):
        main_fields, _ = front_matter(path.with_name(path.name.replace(".es.md", ".md")))
        fields, _ = front_matter(path)
        if main_fields.get("title") and main_fields["title"] != main_fields["vendor"] and not fields.get("title"):
            untranslated.append((path.name.split(".")[0], main_fields["title"]))
    assert untranslated
    for slug, title in untranslated:
        heading = soup(example_site / f"es/contracts/{slug}/index.html").find("h1")
        assert heading.find("span", lang="en").get_text() == title
        assert text(heading.select_one(".untranslated")) == "(solo en inglés)"
        listed = soup(example_site / "es/contracts/index.html").find("main").find("span", lang="en", string=title)
        assert listed is not None


# --- translated content ------------------------------------------------------------------------

def test_a_translated_notice_shows_its_translation_and_nothing_marked(content):
    content.write("data-elements.yml", ELEMENTS_BY_LANGUAGE)
    content.write("site.yml", "title: {en: Notices, es: Avisos}\ndistrict: {en: Test District, es: Distrito}\n"
                              "base_url: https://notices.district.test/\nlanguages: [en, es]\n")
    content.contract("acme-learning", """\
        vendor: Acme Learning
        title: Acme reading program
        contract_date: 2025-01-21
        student_data: [student_name]
        student_data_notes: Names only.
        """, body="Reading practice for grades 3-5.")
    content.write("contracts/acme-learning.es.md", """\
        ---
        title: Programa de lectura de Acme
        student_data_notes: Solo los nombres.
        ---
        Práctica de lectura para los grados 3 a 5.
        """)
    out = build_site()
    spanish = soup(out / "es/contracts/acme-learning/index.html")
    assert text(spanish.find("h1")) == "Programa de lectura de Acme"
    main = text(spanish.find("main"))
    assert "Práctica de lectura para los grados 3 a 5." in main and "Solo los nombres." in main
    assert "Reading practice" not in main and "Names only" not in main
    assert not spanish.find("main").select("[lang], .untranslated-note")
    english = soup(out / "contracts/acme-learning/index.html")
    assert text(english.find("h1")) == "Acme reading program"
    assert "Reading practice for grades 3-5." in text(english.find("main"))
    assert "Programa de lectura de Acme" in text(soup(out / "es/vendors/acme-learning/index.html").find("main"))


def test_a_notice_without_translation_is_shown_in_english_marked_with_a_note(content):
    content.contract("acme-learning", """\
        vendor: Acme Learning
        title: Acme reading program
        contract_date: 2025-01-21
        student_data: [student_name]
        """, body="Reading practice for grades 3-5.")
    out = build_site()
    spanish = soup(out / "es/contracts/acme-learning/index.html")
    description = spanish.find("div", class_="prose")
    assert description.find_parent(lang="en") is not None, "the English text is read out in English"
    note = description.find_parent(lang="en").find_previous_sibling("p")
    assert text(note) == "Este texto solo está disponible en inglés."
    heading = spanish.find("h1")
    assert heading.find("span", lang="en").get_text() == "Acme reading program"
    assert "(solo en inglés)" in text(heading)
    assert "Firmado el 21 de enero de 2025" in text(spanish.find("main")), "dates and interface in Spanish"
    english = soup(out / "contracts/acme-learning/index.html")
    assert not english.find("main").select("[lang], .untranslated, .untranslated-note")


def test_a_generated_title_is_in_the_page_language(content):
    content.contract("acme-learning-amendment-1", """\
        vendor: Acme Learning
        kind: amendment
        amends: acme-learning
        contract_date: 2025-06-01
        student_data: [student_name]
        """)
    out = build_site()
    assert text(soup(out / "contracts/acme-learning-amendment-1/index.html").find("h1")) == "Acme Learning — Amendment 1"
    spanish = soup(out / "es/contracts/acme-learning-amendment-1/index.html").find("h1")
    assert text(spanish) == "Acme Learning — Enmienda 1" and not spanish.select("[lang]")


def test_a_translated_policy(content):
    content.write("policies/5125.md", "---\nnumber: \"5125\"\ntitle: Student Records\n---\nThe policy text.\n")
    content.write("policies/5125.es.md", "---\ntitle: Expedientes estudiantiles\n---\nEl texto de la política.\n")
    content.write("policies/series.yml", '- {key: "5000", title: {en: Students, es: Estudiantes}}\n')
    out = build_site()
    spanish = soup(out / "es/policies/5125/index.html")
    assert "Expedientes estudiantiles" in text(spanish.find("h1"))
    assert "El texto de la política." in text(spanish.find("main"))
    assert not spanish.find("main").select("[lang]")
    index = text(soup(out / "es/policies/index.html").find("main"))
    assert "Estudiantes" in index and "Students" not in index
    assert "Students" in text(soup(out / "policies/index.html").find("main"))


def test_data_elements_and_site_settings_by_language(content):
    content.write("data-elements.yml", ELEMENTS_BY_LANGUAGE)
    content.write("site.yml", """\
        title: {en: Student Data Privacy Notices, es: Avisos de privacidad}
        district: Test District
        base_url: https://notices.district.test/
        languages: [en, es]
        """)
    content.contract("acme-learning", """\
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name, grade_level]
        """)
    out = build_site()
    spanish = soup(out / "es/contracts/acme-learning/index.html")
    labels = [a for a in spanish.select(".data-summary a")]
    assert [text(a) for a in labels] == ["Nombre del estudiante", "Grade level (solo en inglés)"]
    assert labels[1].find("span", lang="en").get_text() == "Grade level"
    assert text(spanish.select_one(".site-name a")) == "Avisos de privacidad"
    district = spanish.select_one(".site-name .district")
    assert district.find("span", lang="en").get_text() == "Test District"
    element = soup(out / "es/data/student_name/index.html").find("main")
    assert text(element.find("h1")) == "Nombre del estudiante" and "El nombre del estudiante." in text(element)
    english = soup(out / "contracts/acme-learning/index.html")
    assert [text(a) for a in english.select(".data-summary a")] == ["Student name", "Grade level"]
    assert text(english.select_one(".site-name a")) == "Student Data Privacy Notices"


def test_check_counts_what_is_not_yet_translated(content):
    content.write("data-elements.yml", ELEMENTS_BY_LANGUAGE)
    content.contract("acme-learning", "vendor: Acme Learning\ncontract_date: 2025-01-21\nstudent_data: [student_name]\n")
    content.contract("beta-books", "vendor: Beta Books\ncontract_date: 2025-02-01\nstudent_data: [student_name]\n")
    content.write("contracts/beta-books.es.md", "---\n---\nUna descripción.\n")
    lines = check()
    line = [line for line in lines if line.startswith("Spanish (es)")]
    assert not [code for code in diagnose().codes() if code.code.startswith("NB4")], "a count, never a warning"
    # acme-learning's description; grade_level; site title and district (series titles: no policy uses them)
    assert line == ["Spanish (es): 1 notice, 1 data element, 2 settings not yet translated; "
                    "the Spanish pages show their text in English, marked as such"]
    content.write("contracts/acme-learning.es.md", "---\n---\nUna descripción.\n")
    content.write("data-elements.yml", ELEMENTS_BY_LANGUAGE.replace("label: Grade level", "label: {en: Grade level, es: Grado}")
                  .replace("category: Enrollment", "category: {en: Enrollment, es: Inscripción}")
                  .replace("description: The student's grade.", "description: {en: The student's grade., es: El grado.}"))
    content.write("site.yml", "title: {en: Notices, es: Avisos}\ndistrict: {en: Test District, es: Distrito}\n"
                              "base_url: https://notices.district.test/\nlanguages: [en, es]\n")
    assert "Spanish (es): everything is translated" in check()


# --- wrong translations ---------------------------------------------------------------------------

@pytest.mark.parametrize("path, text_, expected", [
    ("contracts/acme-learning.es.md", "---\ntitle: Acme\nvendor: Acme\ncontract_date: 2025-01-21\n---\nTexto.\n",
     [(3, "vendor", codes.TRANSLATION_FIELD), (4, "contract_date", codes.TRANSLATION_FIELD)]),
    ("contracts/acme-learning.es.md", "---\ntitel: Acme\n---\nTexto.\n", [(2, "titel", codes.UNKNOWN_FIELD)]),
    ("contracts/zeta-tools.es.md", "---\n---\nTexto.\n", [(1, "file name", codes.TRANSLATION_WITHOUT_RECORD)]),
    ("contracts/acme-learning.draft.md", "---\n---\nText.\n", [(1, "file name", codes.TRANSLATION_LANGUAGE)]),
    ("contracts/acme-learning.en.md", "---\n---\nText.\n", [(1, "file name", codes.TRANSLATION_LANGUAGE)]),
    ("contracts/acme-learning.es.md", "---\ntitle: \"Dos\\nlíneas\"\n---\nTexto.\n", [(2, "title", codes.BAD_NAME)]),
    ("policies/5125.es.md", "---\ntitle: Expedientes\nadopted: 2020-01-01\n---\nTexto.\n",
     [(3, "adopted", codes.TRANSLATION_FIELD)]),
    ("policies/6000.es.md", "---\ntitle: Nada\n---\nTexto.\n", [(1, "file name", codes.TRANSLATION_WITHOUT_RECORD)]),
])
def test_a_wrong_translation_is_an_error_at_its_line(content, path, text_, expected):
    content.write("policies/5125.md", "---\nnumber: \"5125\"\ntitle: Student Records\n---\nThe policy text.\n")
    content.write(path, text_)
    assert diagnose().errors == [(f"content/{path}", *error) for error in expected]
    result = run("build", "--content", "content", "--out", "site", "--today", TODAY)
    assert result.code == 1 and not Path("site").exists()


def test_the_errors_of_a_translation_as_staff_see_them(content):
    content.write("contracts/acme-learning.es.md", "---\ntitle: Acme\nvendor: Acme\n---\nTexto.\n")
    content.write("contracts/acme-learning.en.md", "---\n---\nText.\n")
    content.write("contracts/zeta-tools.es.md", "---\n---\nTexto.\n")
    assert [line for line in check() if ": error: " in line] == [
        "content/contracts/acme-learning.en.md:1: error: file name: 'en' is the site's default language, so "
        "acme-learning.md is this text; remove this file [NB403]",
        "content/contracts/acme-learning.es.md:3: error: vendor: comes from the main record acme-learning.md; "
        "a translation holds only title, student_data_notes, retention, subprocessor_safeguards, accuracy_challenge, "
        "storage_and_security and encryption, and the translated text below the '---' "
        "[NB401]",
        "content/contracts/zeta-tools.es.md:1: error: file name: a translation of 'zeta-tools', but zeta-tools.md "
        "does not exist; a translation needs its main record [NB402]",
    ]


@pytest.mark.parametrize("elements, expected", [
    (ELEMENTS_BY_LANGUAGE.replace("label: {en: Student name, es: Nombre del estudiante}", "label: {es: Nombre}"),
     ("student_name.label", codes.NO_DEFAULT_LANGUAGE_TEXT)),
    (ELEMENTS_BY_LANGUAGE.replace("label: {en: Student name, es: Nombre del estudiante}", "label: {EN: Name}"),
     ("student_name.label.EN", codes.BAD_LANGUAGE_CODE)),
    (ELEMENTS_BY_LANGUAGE.replace("label: {en: Student name, es: Nombre del estudiante}", "label: {}"),
     ("student_name.label", codes.EMPTY_VALUE)),
    (ELEMENTS_BY_LANGUAGE.replace("label: {en: Student name, es: Nombre del estudiante}", "label: [a, b]"),
     ("student_name.label", codes.WRONG_TYPE)),
])
def test_a_wrong_language_mapping_is_an_error_at_its_line(content, elements, expected):
    content.write("data-elements.yml", elements)
    assert diagnose().errors == [("content/data-elements.yml", 2, *expected)]


def test_a_language_without_interface_catalog_is_a_warning(content):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: https://notices.district.test/\n"
                              "contact: {email: privacy@district.test}\nlanguages: [en, es, sq]\n")
    assert diagnose().warnings == [("content/site.yml", 5, "languages[3]", codes.NO_INTERFACE_CATALOG)]
    out = build_site()
    assert soup(out / "sq/contracts/acme-learning/index.html").html["lang"] == "sq"
    switch = [text(a) for a in soup(out / "index.html").select("header nav.language-switch a")]
    assert switch == ["Español", "Shqip"]


def test_a_site_in_one_language_has_no_switch_and_no_twins(content):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: https://notices.district.test/\n"
                              "languages: [en]\n")
    out = build_site()
    assert not (out / "es").exists()
    page = soup(out / "contracts/acme-learning/index.html")
    assert not page.select("nav.language-switch, link[hreflang]")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "xhtml:link" not in sitemap


def test_markdown_links_lead_to_pages_in_the_page_language(content):
    content.write("pages/guide.md", "---\ntitle: Guide\n---\nSee [all notices](/contracts/).\n")
    content.write("pages/guide.es.md", "---\ntitle: Guía\n---\nVea [los avisos](/contracts/), "
                                       "[en inglés](/contracts/acme-learning/) y [ya en español](/es/vendors/).\n")
    out = build_site()
    main = soup(out / "es/guide/index.html").find("main")
    page = "es/guide/index.html"
    assert resolve(page, main.find("a", string="los avisos")["href"]) == "es/contracts/index.html"
    assert resolve(page, main.find("a", string="ya en español")["href"]) == "es/vendors/index.html"
    english = soup(out / "guide/index.html").find("main")
    assert resolve("guide/index.html", english.find("a", string="all notices")["href"]) == "contracts/index.html"


def test_the_spanish_404_page_links_from_the_site_root(content):
    out = build_site()
    page = soup(out / "es/404.html")
    assert page.html["lang"] == "es"
    links = [a["href"] for a in page.find("main").find_all("a", href=True)]
    assert links and all(link.startswith("/es/") for link in links)
    assert re.search(r"P[aá]gina no encontrada", text(page.find("h1")))


def test_an_edited_catalog_shows_at_the_next_build_of_the_same_process(tmp_path):
    """The interface text is compiled into the templates, once per version of each catalog: a
    translator's edit must not be hidden by templates compiled with the catalog before it."""
    import os
    import shutil

    from noticeboard import i18n
    from noticeboard.diagnostics import Report
    from noticeboard.load.content import load_content
    from noticeboard.output.render import environment, page_plans, render_page
    from noticeboard.site import builder

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    site = builder.build_site(load_content(EXAMPLE_CONTENT, Report()), date.fromisoformat(TODAY), lang="es")
    home = next(plan for plan in page_plans(site) if plan.url == "")

    def menu_item() -> str:
        env = environment("es", catalog=i18n.translations("es", locale))
        page = BeautifulSoup(render_page(site, env, home), "html5lib")
        return page.select_one('nav a[href$="breaches/index.html"]').get_text()

    assert menu_item() == "Filtraciones"
    catalog = i18n.catalog_path("es", locale)
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgid "Breaches"\nmsgstr "Filtraciones"', 'msgid "Breaches"\nmsgstr "Brechas & fugas"'),
                       encoding="utf-8")
    os.utime(catalog, ns=(catalog.stat().st_atime_ns, catalog.stat().st_mtime_ns + 10**9))
    assert menu_item() == "Brechas & fugas"
