"""A site's own look: ``templates/`` and ``static/`` beside its content replace built-in templates and files
by name, a site's ``base.html`` changes blocks of the built-in one (``builtin/base.html``) and keeps the rest
through upgrades, and whatever is wrong in them fails the build on its file and line, writing nothing."""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, TODAY, build, build_site, print_dates, run, soup, text, without_print_dates

from noticeboard import pipeline
from noticeboard.diagnostics import Report
from noticeboard.load.content import load_content
from noticeboard.output.failures import RenderFailed
from noticeboard.output.render import render_site
from noticeboard.site.builder import build_sites
from noticeboard.theme import PACKAGE_THEME, Theme

THEMING = REPO / "docs" / "operators" / "theming.md"
WORKED_EXAMPLE = REPO / "docs" / "operators" / "theming-example"  # the files that theming.md includes
GUIDE = "---\ntitle: A guide for parents\n---\nWhat the district tells parents.\n"


def write(relative: str, data: str | bytes) -> Path:
    """A file of the site beside the content (the working directory is the content's parent)."""
    path = Path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def copy_worked_example(folder: Path) -> None:
    shutil.copytree(WORKED_EXAMPLE / "templates", folder / "templates")
    shutil.copytree(WORKED_EXAMPLE / "static", folder / "static")


# --------------------------------------------------------------------------- templates

def test_a_site_template_replaces_the_built_in_one_of_its_name(content):
    write("templates/404.html", '{% extends "base.html" %}\n{% block title %}Lost{% endblock %}\n'
          '{% block main %}<h1>Nothing here</h1><p>See <a href="{{ rel(urls.CONTRACTS) }}">the notices</a>.</p>'
          '{% endblock %}\n')
    site = build_site()
    for path in ("404.html", "es/404.html"):
        page = soup(site / path)
        assert text(page.h1) == "Nothing here", path
        assert page.select_one("main a")["href"] == ("/es/contracts/index.html" if path.startswith("es/")
                                                     else "/contracts/index.html")
        assert page.select_one("header.site-header nav"), "the built-in base.html still frames the page"
    assert text(soup(site / "contracts" / "acme-learning" / "index.html").h1).startswith("Acme Learning"), \
        "the other pages keep their built-in templates"


def test_the_worked_example_of_the_docs_shows_its_banner_and_footer_on_every_page(content, tmp_path):
    """The very files that docs/operators/theming.md shows: a district banner above every page, a line at the
    foot of every page, in each language, with the district's stylesheet after the built-in one."""
    copy_worked_example(tmp_path)
    site = build_site()
    for path, words in [("index.html", "A site of Test District"), ("es/index.html", "Un sitio de Test District"),
                        ("contracts/acme-learning/index.html", "A site of Test District"),
                        ("search/index.html", "A site of Test District"), ("404.html", "A site of Test District")]:
        page = soup(site / path)
        banner = page.select_one("body > aside.district-banner")
        assert banner is not None and text(banner).startswith(words), path
        assert banner.find_next_sibling("header", class_="site-header"), f"{path}: the banner is above the header"
        footer = page.select_one("footer.site-footer")
        line = footer.select_one("p.district-footer")
        assert line is not None and footer.select_one(".footer-links").find_next_sibling("p", class_="district-footer")
        assert ("Oficina de privacidad" if path.startswith("es/") else "Student data privacy office") in text(line)
        assert footer.find("address"), f"{path}: the built-in contact stays"
        stylesheets = [link["href"] for link in page.select('head link[rel="stylesheet"]')]
        assert [href.rsplit("/", 1)[-1] for href in stylesheets] == ["style.css", "district.css"], path
    assert soup(site / "search" / "index.html").select_one('head script[src$="search.js"]'), \
        "the search page's own head block is untouched"
    assert (site / "district.css").read_bytes() == (WORKED_EXAMPLE / "static" / "district.css").read_bytes()
    page = THEMING.read_text(encoding="utf-8")
    assert "```{literalinclude} theming-example/templates/base.html" in page
    assert "```{literalinclude} theming-example/static/district.css" in page


def test_the_worked_example_survives_an_upgrade_that_changes_the_built_in_base(content, tmp_path):
    """A later version's base.html (here: a new menu item) reaches a site whose base.html extends it."""
    copy_worked_example(tmp_path)
    upgraded = tmp_path / "upgraded" / "templates"
    shutil.copytree(PACKAGE_THEME.templates, upgraded)
    base = upgraded / "base.html"
    source = base.read_text(encoding="utf-8")
    assert "{% block navigation_end %}" in source
    base.write_text(source.replace("{% block navigation_end %}", '<li><a href="{{ rel(urls.HOME) }}">New in this '
                                   'version</a></li>\n        {% block navigation_end %}'), encoding="utf-8")
    theme = dataclasses.replace(Theme.for_content(content.root), templates=upgraded)
    result = pipeline.build(content.root, tmp_path / "site", date.fromisoformat(TODAY), theme=theme)
    assert not result.report.errors, result.report.lines()
    page = soup(tmp_path / "site" / "contracts" / "index.html")
    assert "New in this version" in text(page.select_one('header nav[aria-label="Main"]'))
    assert page.select_one("aside.district-banner") and page.select_one("footer p.district-footer")


@pytest.mark.parametrize("template, source, line, reason", [
    ("base.html", '{% extends "builtin/base.html" %}\n{% block banner %}\n<p>{{ site.title }</p>\n{% endblock %}\n',
     3, "unexpected '}'"),
    ("base.html", '{% extends "builtin/base.html" %}\n{% block banner %}\n<p>{{ district_motto }}</p>\n'
                  '{% endblock %}\n', 3, "'district_motto' is undefined"),
    ("notice.html", '{% extends "builtin/notice.html" %}\n{% block main %}\n{% include "parts/missing.html" %}\n'
                    '{% endblock %}\n', 3, "template 'parts/missing.html' not found"),
])
def test_an_error_in_a_site_template_fails_the_build_on_its_line_and_writes_nothing(content, template, source,
                                                                                   line, reason):
    site = build_site()
    before = files_of(site)
    write(f"templates/{template}", source)
    result = build()
    assert result.code == 1
    assert f"templates/{template}:{line}: error: template: {reason} [NB501]" in result.lines, result.err
    assert "Traceback" not in result.err + result.out
    assert files_of(site) == before, "the previous site was left as it was"


def test_every_syntax_error_of_the_sites_templates_is_reported_at_once_by_check_and_build(content):
    write("templates/base.html", '{% extends "builtin/base.html" %}\n{% block banner %}{% if %}{% endblock %}\n')
    write("templates/parts/banner.html", "<p>\n{{ site.title }\n</p>\n")
    write("templates/notice.html", '{% extends "builtin/notice.html" %}\n{% include "parts/banner.html" %}\n')
    expected = ["templates/base.html:2: error: template: Expected an expression, got 'end of statement block' [NB501]",
                "templates/parts/banner.html:2: error: template: unexpected '}' [NB501]"]
    for result in (run("check", "--today", TODAY), build()):
        assert result.code == 1
        assert [line for line in result.lines if "[NB5" in line] == expected
    assert not Path("site").exists()


def test_a_template_that_no_page_uses_is_a_warning_with_the_name_it_may_mean(content):
    write("templates/notices.html", '{% extends "builtin/notice.html" %}\n')
    write("templates/email/announce.txt", "The district's own e-mail.\n")
    write("templates/parts/banner.html", "<p>Included, so used.</p>\n")
    write("templates/base.html", '{% extends "builtin/base.html" %}\n'
          '{% block banner %}{% include "parts/banner.html" %}{% endblock %}\n')
    write("templates/README.md", "A note about this folder {{ not a template }}.\n")
    result = run("check", "--today", TODAY)
    assert result.code == 0, result.err
    assert [line for line in result.lines if "[NB5" in line] == [
        "templates/email/announce.txt:1: warning: template: the e-mail that announce writes is made from the built-in "
        "templates only; remove the file (docs/operators/theming.md) [NB505]",
        "templates/notices.html:1: warning: template: no built-in template has this name and no template of the site "
        "includes it, so no page uses it; did you mean 'notice.html'? [NB505]"]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="pages render in one process")
def test_a_template_that_fails_in_a_worker_process_is_named_as_in_one(content, tmp_path):
    """A big site renders in several processes; the line that names the template crosses back from them."""
    write("templates/vendor.html", '{% extends "builtin/vendor.html" %}\n{% block main %}\n{{ 1 // 0 }}\n'
          '{% endblock %}\n')
    report = Report()
    sites = build_sites(load_content(content.root, report), date.fromisoformat(TODAY))
    for workers in (1, 2):
        with pytest.raises(RenderFailed) as failure:
            list(render_site(sites, workers=workers, theme=Theme.for_content(content.root)))
        assert failure.value.diagnostic.format() == ("templates/vendor.html:3: error: template: ZeroDivisionError: "
                                                     "integer division or modulo by zero [NB501]"), workers


@pytest.mark.browser
def test_the_worked_example_passes_axe_and_its_stylesheet_applies(tmp_path):
    """The example site with the worked example, in Chromium: its banner takes the district's colours (the
    Content-Security-Policy lets its own stylesheet load) and axe-core finds no WCAG 2.1 AA violation."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, _axe, _describe, _serve, _unavailable

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (make browser, or apt-get install chromium)")
    shutil.copytree(REPO / "content", tmp_path / "content")
    copy_worked_example(tmp_path)
    result = run("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    with sync_playwright() as playwright, _serve(tmp_path / "site") as address:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for path in ("", "es/", "contracts/"):
                page.goto(f"{address}/{path}")
                banner = page.locator("aside.district-banner")
                assert banner.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(29, 53, 87)"
                violations = _axe(page)["violations"]
                assert not violations, f"axe-core on /{path}:\n{_describe(violations)}"
        finally:
            browser.close()


# --------------------------------------------------------------------------- static files

def test_a_static_file_named_like_a_built_in_one_replaces_it(content):
    write("static/style.css", "body { color: #111111; }\n")
    write("static/search.js", "// the district's own search\n")
    site = build_site()
    assert without_print_dates((site / "style.css").read_bytes()) == b"body { color: #111111; }\n"
    assert print_dates((site / "style.css").read_bytes())["en"] == "Printed from the site as built on 29 November 2026"
    assert (site / "search.js").read_bytes() == b"// the district's own search\n"


def test_static_files_are_published_at_the_sites_root_but_not_the_folders_note_or_hidden_files(content):
    image = bytes(range(256)) * 4
    write("static/images/crest.png", image)
    write("static/images/README.md", "Published: only the note at the top of static/ is the folder's.\n")
    write("static/README.md", "What goes in this folder.\n")
    write("static/.gitkeep", "")
    write("static/images/.DS_Store", b"\0\1")
    write("static/.private/key.txt", "hidden folder\n")
    site = build_site()
    assert (site / "images" / "crest.png").read_bytes() == image
    assert (site / "images" / "README.md").is_file()
    published = set(files_of(site))
    assert not {"README.md", ".gitkeep", "images/.DS_Store", ".private/key.txt"} & published
    first = files_of(site)
    build_site()
    assert files_of(site) == first, "the same bytes at every build"


@pytest.mark.parametrize("path, says", [
    ("index.html", "would replace index.html, which the site makes itself; to change that page, put your own "
                   "home.html in templates/"),
    ("404.html", "would replace 404.html, which the site makes itself; to change that page, put your own 404.html "
                 "in templates/"),
    ("Feed.xml", "would replace feed.xml, which the site makes itself; give the file another name"),
    ("sitemap.xml", "would replace sitemap.xml, which the site makes itself; give the file another name"),
    ("contracts.json", "would replace contracts.json, which the site makes itself; give the file another name"),
    ("style.css/print.css", "would make a folder of style.css, a file that the site writes itself; move it into "
                            "a folder of its own, such as static/images/"),
    ("contracts/crest.png", "would land in contracts/, where the site writes its own pages and files; move it into "
                            "a folder of its own, such as static/images/"),
    ("pagefind/pagefind.js", "would land in pagefind/, where the site writes its own pages and files; move it "
                             "into a folder of its own, such as static/images/"),
    ("es/crest.png", "would land in es/, where the site writes its pages in 'es' (a language of site.yml); move it "
                     "into a folder of its own, such as static/images/"),
    ("guide/photo.jpg", "would land in guide/, the page of content/pages/guide.md; move it into a folder of its "
                        "own, such as static/images/"),
])
def test_a_static_file_on_the_sites_own_output_fails_the_build_and_writes_nothing(content, path, says):
    content.write("pages/guide.md", GUIDE)
    site = build_site()
    before = files_of(site)
    write(f"static/{path}", "the district's own\n")
    expected = f"static/{path}:1: error: file: {says} [NB504]"
    for result in (build(), run("check", "--today", TODAY)):
        assert result.code == 1
        assert [line for line in result.lines if "[NB504]" in line] == [expected]
        assert "Traceback" not in result.err
    assert files_of(site) == before, "the previous site was left as it was"


def test_a_static_file_that_links_out_of_the_folder_is_refused(content, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site\n", encoding="utf-8")
    write("static/images/crest.png", b"png")
    Path("static/notes.txt").symlink_to(secret)
    result = build()
    assert result.code == 1
    assert [line for line in result.lines if "[NB017]" in line] == [
        f"static/notes.txt:1: error: file: is a link to {secret}, outside static/; copy the file into static/ "
        "instead [NB017]"]
    assert not Path("site").exists()


def test_the_repositorys_example_site_has_its_own_folders_holding_only_their_notes():
    """The Waterbury example is built as a district's site is: its templates/ and static/ beside content/."""
    theme = Theme.for_content(REPO / "content")
    assert (theme.site_templates, theme.site_static) == (REPO / "templates", REPO / "static")
    for folder in (theme.site_templates, theme.site_static):
        assert sorted(path.name for path in folder.iterdir()) == ["README.md"]
        assert "docs/operators/theming.md" in (folder / "README.md").read_text(encoding="utf-8")


def test_a_content_folder_named_dot_finds_its_site_folders_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Theme.for_content(Path(".")).site_templates == tmp_path.parent / "templates"
    assert Theme.for_content(Path("content")).site_static == tmp_path / "static"


# --------------------------------------------------------------------------- the documentation

def test_the_theming_page_names_every_built_in_template_and_every_block_of_base_html():
    page = THEMING.read_text(encoding="utf-8")
    templates = sorted(path.relative_to(PACKAGE_THEME.templates).as_posix()
                       for path in PACKAGE_THEME.templates.rglob("*") if path.is_file() and path.suffix != ".pyc")
    assert len(templates) > 20
    assert [name for name in templates if f"`{name}`" not in page] == []
    blocks = re.findall(r"{%-? block (\w+)", (PACKAGE_THEME.templates / "base.html").read_text(encoding="utf-8"))
    assert {"banner", "site_head", "footer_end"} <= set(blocks)
    assert [block for block in blocks if f"`{block}`" not in page] == []
    assert "`builtin/" in page and os.path.exists(WORKED_EXAMPLE / "templates" / "base.html")
