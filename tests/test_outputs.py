"""The table of outputs (urls.OUTPUTS): every file and folder a site contains besides the records'
pages is listed once; the build writes what it lists, and no page of content/ may take its place."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE_CONTENT, TODAY, run
from noticeboard import urls
from noticeboard.diagnostics import Report
from noticeboard.load.content import load_content
from noticeboard.output.render import environment, files_besides_pages
from noticeboard.site.builder import build_sites

PAGE = "---\ntitle: {title}\n---\nText of the page.\n"


@pytest.mark.parametrize("name", ["pagefind", "search", "feed", "sitemap", "style", "contracts", "index", "404"])
def test_a_page_named_like_an_output_of_the_site_is_an_error_on_its_file(content, name):
    content.write(f"pages/{name}.md", PAGE.format(title=name.title()))
    result = run("build", "--content", "content", "--out", "site", "--today", TODAY)
    assert result.code == 1
    assert (f"content/pages/{name}.md:1: error: file name: '{name}' is taken by a page, file or folder that the site "
            f"makes itself; choose another name [NB021]") in result.err.splitlines()
    assert not Path("site").exists()


def test_a_page_named_like_no_output_is_built_where_its_name_says(content):
    content.write("pages/feeds.md", PAGE.format(title="Feeds"))
    assert run("build", "--content", "content", "--out", "site", "--today", TODAY).code == 0
    assert Path("site/feeds/index.html").is_file()


def test_every_output_of_the_table_is_in_the_built_site(example_site):
    posted_only = {urls.POLICY_FILES}  # a folder of documents exists when a record posts one; no policy does here
    for output in urls.OUTPUTS:
        if output.url in posted_only:
            assert not (example_site / output.url).exists()
            continue
        written = example_site / (output.url if output.made == urls.FOLDER else urls.file_path(output.url))
        assert written.is_dir() if output.made == urls.FOLDER else written.is_file(), output.url


def test_every_file_of_a_build_is_an_output_of_the_table_a_record_page_or_a_language(example_site):
    """Nothing lands at the top of the site that the table does not name, but the pages of content/pages/
    and the folder of each further language."""
    own_pages = {path.stem for path in (EXAMPLE_CONTENT / "pages").glob("*.md") if "." not in path.stem}
    further_languages = {path.name for path in example_site.iterdir() if (path / "index.html").is_file()
                         and (path / "contracts").is_dir()}
    assert further_languages == {"es"}
    top = {path.name.split(".")[0] for path in example_site.iterdir() if path.name != urls.OUTPUT_MARKER}
    assert top - own_pages - further_languages == set(urls.RESERVED_TOP_LEVEL)


def test_the_files_besides_pages_are_those_of_the_table(example_site):
    """The build and the preview both ask files_besides_pages; it names every file of the table that is no page."""
    content = load_content(EXAMPLE_CONTENT, Report())
    english, spanish = build_sites(content, date.fromisoformat(TODAY))
    made = {output.url for output in urls.OUTPUTS if output.made in (urls.FEED_FILE, urls.SHARED)}
    assert set(files_besides_pages(english, shared=True)) == made
    assert set(files_besides_pages(spanish, shared=False)) == {"es/" + urls.FEED}
    env = environment(english.lang)
    for path, make in files_besides_pages(english, shared=True).items():
        assert (example_site / path).read_bytes() == make(env), path
