"""The vocabulary and the policy series that ship with the package, and texts in languages a site does not publish.

content-format.md v3: ``content/data-elements.yml`` and ``content/policies/series.yml`` may be left out (the
shipped ones are used); a district's file replaces the shipped one, or adds to it with ``extends: shipped``; a
text in a language that the site does not publish (in the vocabulary, the series, ``site.yml``, or a
``<slug>.<lang>.md`` translation) is ignored with at most a note, and appears nowhere in the site.
"""
from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import CONTRACT_MD, EXAMPLE_CONTENT, SITE_YML, TODAY, build_site, diagnose, english, run, soup, text
from noticeboard import codes
from noticeboard.codes import NOTE
from noticeboard.diagnostics import Report
from noticeboard.load.settings import (SHIPPED_ELEMENTS, SHIPPED_SERIES, read_elements, read_series, shipped_elements,
                                       shipped_series, shipped_text)

SHIPPED = yaml.safe_load(SHIPPED_ELEMENTS.read_text(encoding="utf-8"))
SHIPPED_SERIES_ITEMS = yaml.safe_load(SHIPPED_SERIES.read_text(encoding="utf-8"))
INTERFACE_LANGUAGES = [["en"], ["es"], ["en", "es"], ["es", "en"]]


def spanish_texts() -> set[str]:
    """Every Spanish text of the shipped files: labels, categories, descriptions, aliases, series titles."""
    found = set()
    for element in SHIPPED.values():
        for name in ("label", "category", "description"):
            found.add(element[name]["es"])
        found.update((element.get("aliases") or {}).get("es", []))
    found.update(item["title"]["es"] for item in SHIPPED_SERIES_ITEMS)
    # texts that are the same words in both languages (a brand, "Cookies") or part of English ones ("Disciplina" of
    # the alias "Disciplinary records", which search indexes) say nothing of the language
    english_texts = {english(element[name]) for element in SHIPPED.values() for name in ("label", "category")}
    english_texts.update(alias for element in SHIPPED.values()
                         for alias in (element.get("aliases") or {}).get("en", []))
    return {text for text in found if not any(text in english_text for english_text in english_texts)}


def site_texts(site: Path) -> dict[str, str]:
    """Every page and open-data file of a built site, as its readers get it (entities decoded)."""
    return {path.relative_to(site).as_posix(): html.unescape(path.read_text(encoding="utf-8"))
            for path in site.rglob("*") if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml")}


def language_notes(report: Report) -> list[str]:
    return [d.path for d in report.sorted() if d.code == codes.LANGUAGE_NOT_PUBLISHED]


# --- the shipped files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("languages", INTERFACE_LANGUAGES, ids=",".join)
def test_the_shipped_files_load_without_any_diagnostic(languages):
    """Nothing that the shipped files hold can be the district's fault: in every language of the interface
    they load with no diagnostic at all, every text in the site's languages only."""
    report = Report()
    elements = shipped_elements(languages, report)
    series = shipped_series(languages, report)
    assert report.diagnostics == []
    assert list(elements) == list(SHIPPED) and [item.key for item in series] == [s["key"] for s in SHIPPED_SERIES_ITEMS]
    default = languages[0]
    for element in elements.values():
        for name in ("label", "category", "description"):
            texts = getattr(element, name)
            assert {lang for lang, _ in texts.texts} == set(languages)
            assert texts.in_language(default, default) == SHIPPED[element.key][name][default]
        assert {lang for lang, _ in element.aliases} <= set(languages)
    for item in series:
        assert {lang for lang, _ in item.title.texts} == set(languages)


def test_a_site_in_a_language_the_shipped_files_lack_shows_them_in_english():
    report = Report()
    elements = shipped_elements(["fr"], report)
    series = shipped_series(["fr"], report)
    assert report.diagnostics == []
    label = elements["date_of_birth"].label.in_language("fr", "fr")
    assert (label, label.lang) == ("Date of birth", "en")  # marked as English on a French page
    assert all(dict(item.title.texts).keys() == {"en"} for item in series)


@pytest.mark.parametrize("languages", INTERFACE_LANGUAGES + [["en", "fr"], ["es", "fr", "en"]], ids=",".join)
@pytest.mark.parametrize("shipped", [SHIPPED_ELEMENTS, SHIPPED_SERIES], ids=lambda path: path.name)
def test_the_shipped_text_for_init_keeps_the_comments_and_only_the_sites_languages(content, languages, shipped):
    """``shipped_text`` is what ``init`` writes: read back as a site's own file, it gives what the loader gives
    for the shipped file in those languages, with no diagnostic; its comments are kept."""
    written = shipped_text(shipped, languages)
    assert [line for line in written.splitlines() if line.startswith("#")] == \
        [line for line in shipped.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    content.write("site.yml", SITE_YML.replace("languages: [en, es]", f"languages: [{', '.join(languages)}]"))
    relative = "data-elements.yml" if shipped == SHIPPED_ELEMENTS else "policies/series.yml"
    content.write(relative, written)
    assert set(re.findall(r"^ {4}([a-z]{2,3}): ", written, re.MULTILINE)) == set(languages) - {"fr"}
    found = diagnose()
    assert [d for d in found.report.diagnostics if d.path == f"content/{relative}"] == []
    report = Report()
    ours = (read_elements if shipped == SHIPPED_ELEMENTS else read_series)(content.root, languages, report)
    theirs = (shipped_elements if shipped == SHIPPED_ELEMENTS else shipped_series)(languages, report)
    assert ours == theirs and report.diagnostics == []


def test_the_shipped_text_is_for_a_site_whose_default_language_the_shipped_files_have():
    with pytest.raises(ValueError, match="'fr'"):
        shipped_text(SHIPPED_ELEMENTS, ["fr", "en"])


# --- a site without the files, or extending them ---------------------------------------------------------

POLICY = '---\nnumber: "{number}"\ntitle: Policy {number}\n---\nThe policy text.\n'


def series_headings(site: Path) -> list[str]:
    """The titles of the series on /policies/, without the key that follows each ("Students (series 5000)")."""
    return [re.sub(r" \(series [^)]*\)$", "", text(h)) for h in soup(site / "policies/index.html").find("main")("h2")]


def test_a_site_without_vocabulary_or_series_uses_the_shipped_ones(content):
    content.remove("data-elements.yml")
    content.remove("policies/series.yml")
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("[student_name, grade_level]",
                                                                    "[date_of_birth, special_education]"))
    content.write("policies/5125.md", POLICY.format(number="5125"))
    found = diagnose()
    assert found.errors == [] and found.warnings == [], found
    site = build_site()
    data = text(soup(site / "data/index.html").find("main"))
    for key in ("date_of_birth", "special_education", "ip_addresses", "evaluations"):
        assert (site / "data" / key / "index.html").is_file()
    assert "Date of birth" in data and "Specialized education services (IEP or 504)" in data
    assert "Fecha de nacimiento" in text(soup(site / "es/data/index.html").find("main"))
    assert series_headings(site) == ["Students"]
    assert {path.name for path in (site / "data").iterdir() if path.is_dir()} >= set(SHIPPED)


def test_a_sites_own_vocabulary_still_replaces_the_shipped_one(content):
    """As in version 2: a district's data-elements.yml without ``extends`` is the whole vocabulary."""
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("[student_name, grade_level]",
                                                                    "[student_name, ip_addresses]"))
    found = diagnose()
    assert found.errors == [("content/contracts/acme-learning.md", 5, "student_data", codes.UNKNOWN_DATA_ELEMENT)]


def test_extends_shipped_adds_elements_and_replaces_one_whole(content):
    content.write("data-elements.yml", """\
        extends: shipped
        bus_route:
          label: {en: Bus route, es: Ruta de autobús}
          category: {en: Transportation, es: Transporte}
          description: {en: The bus a student rides., es: El autobús que toma el estudiante.}
        date_of_birth:
          label: Birthday
          category: Demographics
          description: The day the student was born.
        """)
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("[student_name, grade_level]",
                                                                    "[bus_route, date_of_birth, ip_addresses]"))
    found = diagnose()
    assert found.errors == [], found
    site = build_site()
    data = text(soup(site / "data/index.html").find("main"))
    assert "Bus route" in data and "IP addresses" in data and "Birthday" in data
    assert "Date of birth" not in data
    spanish = soup(site / "es/data/date_of_birth/index.html").find("main")
    assert "Fecha de nacimiento" not in text(spanish), "a replaced element keeps none of the shipped texts"
    assert text(spanish.find("h1").find(lang="en")) == "Birthday"  # shown in English, marked as such
    assert "Ruta de autobús" in text(soup(site / "es/data/index.html").find("main"))


def test_extends_shipped_in_the_series_keeps_their_order_and_adds_the_sites_after_them(content):
    content.write("policies/series.yml", """\
        - {key: "5000", title: Pupils}
        - extends: shipped
        - {key: "8000", title: Operations}
        """)
    for number in ("8100", "5125", "1100"):
        content.write(f"policies/{number}.md", POLICY.format(number=number))
    assert diagnose().errors == []
    site = build_site()
    assert series_headings(site) == ["Community Relations", "Pupils", "Operations"]


@pytest.mark.parametrize("relative, written, line, field", [
    ("data-elements.yml", "student_name:\n  label: Name\n  category: Name\n  description: The name.\nextends: all\n",
     5, "extends"),
    ("data-elements.yml", "extends:\n  label: Name\n  category: Name\n  description: The name.\n", 1, "extends"),
    ("policies/series.yml", '- {key: "5000", title: Students}\n- extends: everything\n', 2, "[2].extends"),
    ("policies/series.yml", '- extends: shipped\n  key: "8000"\n  title: Operations\n', 2, "[1].key"),
])
def test_extends_other_than_shipped_is_an_error_on_its_line(content, relative, written, line, field):
    content.write(relative, written)
    found = diagnose()
    assert found.errors == [(f"content/{relative}", line, field, codes.INVALID_VALUE)]
    assert "extends: shipped" in found.message(f"content/{relative}", line, field, codes.INVALID_VALUE)
    assert run("check", "--today", TODAY).code == 1


def test_extends_listed_twice_in_the_series_is_an_error(content):
    content.write("policies/series.yml", "- extends: shipped\n- {key: \"8000\", title: Operations}\n"
                                         "- extends: shipped\n")
    assert diagnose().errors == [("content/policies/series.yml", 3, "[3].extends", codes.LISTED_TWICE)]


# --- texts in a language the site does not publish -----------------------------------------------------------

@pytest.fixture(scope="module")
def english_only(tmp_path_factory) -> tuple[Report, Path]:
    """The example content with ``languages: [en]`` in its site.yml: what check reports, and the site built."""
    work = tmp_path_factory.mktemp("english-only")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    site_yml = work / "content" / "site.yml"
    written = site_yml.read_text(encoding="utf-8")
    assert "languages: [en, es]\n" in written
    site_yml.write_text(written.replace("languages: [en, es]\n", "languages: [en]\n"), encoding="utf-8")
    checked = run("check", "--content", str(work / "content"), "--today", TODAY)
    assert checked.code == 0, checked.err
    assert not [line for line in checked.lines if ": error: " in line]
    report = diagnose("check", work / "content").report
    out = work / "site"
    built = run("build", "--content", str(work / "content"), "--out", str(out), "--today", TODAY)
    assert built.code == 0, built.err
    return report, out


def test_the_example_in_english_only_checks_with_a_note_at_most_per_file(english_only):
    report, _ = english_only
    assert report.errors == []
    notes = language_notes(report)
    assert notes, "the example's Spanish texts are noted"
    assert max(Counter(notes).values()) == 1
    assert all(d.level == NOTE for d in report.diagnostics if d.code == codes.LANGUAGE_NOT_PUBLISHED)
    assert any(path.endswith("/content/site.yml") for path in notes), "its title and district in Spanish"
    translations = sorted(path.name for path in EXAMPLE_CONTENT.rglob("*.es.md"))
    assert sorted(Path(path).name for path in notes if path.endswith(".es.md")) == translations


def test_the_example_in_english_only_publishes_nothing_in_spanish(english_only):
    _, site = english_only
    assert not (site / "es").exists()
    pages = site_texts(site)
    spanish = spanish_texts()
    site_yml = yaml.safe_load((EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"))
    spanish |= {site_yml["title"]["es"], site_yml["district"]["es"]}
    leaked = {name: sorted(t for t in spanish if t in page) for name, page in pages.items()}
    assert not {name: found for name, found in leaked.items() if found}
    assert all('hreflang="es"' not in page and "/es/" not in page for page in pages.values())
    assert "Date of birth" in pages["data/index.html"]


@pytest.mark.parametrize("relative", ["contracts/acme-learning.fr.md", "pages/guide.fr.md", "policies/5125.fr.md",
                                      "breaches/acme-breach.fr.md"])
def test_a_translation_into_a_language_the_site_does_not_publish_is_one_note(content, relative):
    """On an en/es site, ``.fr.md`` is noted once and never read: what is wrong in it is not reported."""
    content.write("pages/guide.md", "---\ntitle: Guide\n---\nWhat this site is.\n")
    content.write("policies/5125.md", POLICY.format(number="5125"))
    content.write("breaches/acme-breach.md", "---\nvendor: Acme Learning\nreported: 2025-07-03\nposted: 2025-07-07\n"
                                             "student_data: [student_name]\n---\nWhat happened.\n")
    content.write(relative, "---\nvendor: Acme\ntitre: [non fermé\n---\nTexte en français.\n")
    found = diagnose()
    assert [d for d in found.report.sorted() if d.path == f"content/{relative}"] == [
        found.report.notes[0]] == [d for d in found.report.notes if d.code == codes.LANGUAGE_NOT_PUBLISHED]
    note = found.report.notes[0]
    assert (note.line, note.field, note.code) == (1, "file name", codes.LANGUAGE_NOT_PUBLISHED)
    assert "'fr' is not a language of site.yml (en, es)" in note.message
    assert found.errors == []
    result = run("check", "--today", TODAY)
    assert result.code == 0
    assert f"content/{relative}:1: note: file name: 'fr' is not a language of site.yml (en, es): this translation " \
           "is ignored; add 'fr' to site.yml's languages to publish it [NB407]" in result.lines
    site = build_site()
    assert not (site / "fr").exists()
    assert not [name for name, page in site_texts(site).items() if "Texte en français" in page]


def test_a_translation_named_with_the_default_language_is_still_an_error(content):
    content.write("contracts/acme-learning.en.md", "---\n---\nText.\n")
    assert diagnose().errors == [("content/contracts/acme-learning.en.md", 1, "file name",
                                  codes.TRANSLATION_LANGUAGE)]


def test_a_site_title_in_an_unpublished_language_is_a_note_and_is_not_shown(content):
    title = "title: {en: Student Data Privacy Notices, fr: Avis de confidentialité}"
    content.write("site.yml", SITE_YML.replace("title: Student Data Privacy Notices", title)
                  .replace("languages: [en, es]", "languages: [en]"))
    result = run("check", "--today", TODAY)
    assert result.code == 0, result.err
    assert not [line for line in result.lines if ": error: " in line]
    assert "content/site.yml:1: note: title.fr: 'fr' is not a language of site.yml (en): its text in this file is " \
           "ignored; add 'fr' to site.yml's languages to publish it [NB407]" in result.lines
    site = build_site()
    assert text(soup(site / "index.html").select_one(".site-name a")) == "Student Data Privacy Notices"
    assert not [name for name, page in site_texts(site).items() if "Avis de confidentialit" in page]


ELEMENTS_IN_FRENCH_TOO = """\
student_name:
  label: {en: Student name, fr: Nom de l'élève}
  category: {en: Student Name, fr: Nom}
  description: {en: The student's name., fr: Le nom de l'élève.}
date_of_birth:
  label: {en: Date of birth, fr: Date de naissance}
  category: Demographics
  description: The student's date of birth.
  aliases: {en: [DOB], fr: [Jour de naissance]}
grade_level:
  label: Grade level
  category: {en: Enrollment, fr: Inscription}
  description: The student's grade.
"""


def test_texts_of_the_vocabulary_in_an_unpublished_language_are_one_note_and_nowhere_in_the_site(content):
    content.write("data-elements.yml", ELEMENTS_IN_FRENCH_TOO)
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("[student_name, grade_level]",
                                                                    "[student_name, date_of_birth, grade_level]"))
    found = diagnose()
    assert found.errors == [] and found.warnings == []
    assert [(d.path, d.line, d.field) for d in found.report.notes] == [
        ("content/data-elements.yml", 2, "student_name.label.fr")]
    assert "'fr' is not a language of site.yml (en, es): its 6 texts in this file are ignored, the first on this " \
           "line" in found.report.notes[0].message
    site = build_site()
    french = ("Nom de l'élève", "Le nom de l'élève", "Date de naissance", "Inscription", "Jour de naissance")
    assert not {name: [t for t in french if t in page] for name, page in site_texts(site).items()
                if any(t in page for t in french)}


@pytest.mark.parametrize("languages, suggested", [("[en, es]", False), ("[en, fr]", True)])
def test_aliases_in_an_unpublished_language_are_ignored_too(content, languages, suggested):
    """The French alias suggests date_of_birth only on a site that publishes French."""
    content.write("site.yml", SITE_YML.replace("[en, es]", languages))
    content.write("data-elements.yml", ELEMENTS_IN_FRENCH_TOO)
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("[student_name, grade_level]",
                                                                    "[student_name, Jour de naissance]"))
    found = diagnose()
    message = found.message("content/contracts/acme-learning.md", 5, "student_data", codes.UNKNOWN_DATA_ELEMENT)
    assert ("did you mean 'date_of_birth'" in message) == suggested, message


def test_series_titles_in_an_unpublished_language_are_one_note(content):
    content.write("policies/series.yml", '- {key: "5000", title: {en: Students, fr: Élèves}}\n'
                                         '- {key: "6000", title: {en: Instruction, es: Enseñanza, de: Unterricht}}\n')
    content.write("policies/5125.md", POLICY.format(number="5125"))
    found = diagnose()
    assert found.errors == []
    assert [(d.path, d.line, d.field) for d in found.report.notes] == [
        ("content/policies/series.yml", 1, "[1].title.fr")]
    assert found.report.notes[0].message.startswith("'fr' and 'de' are not languages of site.yml (en, es): their 2 "
                                                    "texts in this file are ignored")


def test_a_mapping_with_no_text_in_the_sites_languages_is_still_an_error(content):
    content.write("site.yml", SITE_YML.replace("title: Student Data Privacy Notices", "title: {fr: Avis}"))
    found = diagnose()
    assert found.errors == [("content/site.yml", 1, "title", codes.NO_DEFAULT_LANGUAGE_TEXT)]
    assert [d.code for d in found.report.notes] == [codes.LANGUAGE_NOT_PUBLISHED]
