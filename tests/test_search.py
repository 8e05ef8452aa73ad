"""The search index built with the site (Pagefind): what it indexes, its filters, and that a
failure to index costs nothing. The searching itself is tested in the browser (test_browser)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import EXAMPLE_CONTENT, TODAY, run, soup, text
from noticeboard.i18n import translations
from noticeboard.names import slugify
from noticeboard.output.labels import GRADES
from noticeboard.output import search

def test_the_index_is_built_with_the_site(example_site):
    index = example_site / "pagefind"
    assert (index / "pagefind.js").is_file()
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == sorted(entry["languages"]), "languages in one order, for identical builds"
    assert {"en", "es"} <= set(entry["languages"])
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    searchable = [page for page in example_site.rglob("*.html") if soup(page).select_one("main[data-pagefind-body]")]
    assert indexed == len(searchable)


def test_notices_companies_policies_the_guide_and_data_are_searchable_and_labelled(example_site):
    kinds = {}
    for page in example_site.rglob("*.html"):
        main = soup(page).select_one("main[data-pagefind-body]")
        if main is not None:
            parts = page.relative_to(example_site).parts
            section = "/".join(parts[:2] if parts[0] == "es" else parts[:1])
            kinds.setdefault(main["data-pagefind-meta"], set()).add(section)
    assert kinds == {"kind:Notice": {"contracts"}, "kind:Company": {"vendors"}, "kind:Policy": {"policies"},
                     "kind:Guide": {"guide"}, "kind:Aviso": {"es/contracts"}, "kind:Empresa": {"es/vendors"},
                     "kind:Política": {"es/policies"}, "kind:Guía": {"es/guide"}, "kind:Data breach": {"breaches"},
                     "kind:Filtración de datos": {"es/breaches"}, "kind:Student data": {"data"},
                     "kind:Data breaches": {"breaches"}, "kind:Filtraciones de datos": {"es/breaches"},
                     "kind:Datos estudiantiles": {"es/data"}}, "each page labelled in its own language"


def test_each_notice_carries_its_filters_as_keys_the_same_in_every_language(example_site):
    notices = json.loads((example_site / "contracts.json").read_text(encoding="utf-8"))["notices"]
    for notice in notices:
        english, spanish = ({name: values for name, values in filters_of(folder / notice["slug"]).items()}
                            for folder in (example_site / "contracts", example_site / "es" / "contracts"))
        assert english == spanish, f"{notice['slug']}: the filters differ between languages"
        assert english["company"] == {urlsplit(notice["vendor_url"]).path.strip("/").split("/")[-1]}
        assert english["status"] == {notice["status"]} | ({"incomplete"} if notice["incomplete"] else set())
        assert english.get("school", set()) == {slugify(name) for name in notice["schools"]}
        assert english.get("data", set()) == set(notice["student_data"] or []), notice["slug"]
        assert english.get("grade", set()) == set(notice["grade_levels"] or []), notice["slug"]


def filters_of(folder: Path) -> dict[str, set[str]]:
    """What the search's filters match on a notice's page: filter → values."""
    filters: dict[str, set[str]] = {}
    for element in soup(folder / "index.html").select("[data-pagefind-filter]"):
        filters.setdefault(element["data-pagefind-filter"], set()).add(element.get_text(strip=True))
    return filters


def test_the_search_page_offers_every_filter_value_by_its_name_in_the_page_language(example_site):
    notices = json.loads((example_site / "contracts.json").read_text(encoding="utf-8"))["notices"]
    used: dict[str, set[str]] = {}
    for notice in notices:
        for name, values in filters_of(example_site / "contracts" / notice["slug"]).items():
            used.setdefault(name, set()).update(values)
    for lang, folder in [("en", example_site), ("es", example_site / "es")]:
        page = soup(folder / "search" / "index.html")
        for name, values in used.items():
            select = page.select_one(f"select[data-filter={name}]")
            offered = {option["value"] for option in select.find_all("option") if option["value"]}
            assert values <= offered, f"{lang}: the {name} filter lacks {values - offered}"
        data = page.select_one("select[data-filter=data]")
        groups = data.find_all("optgroup")
        assert groups, "the kinds of data are grouped by category"
        for option in data.select("optgroup option"):
            label = soup(folder / "data" / option["value"] / "index.html").h1.get_text(" ", strip=True)
            assert option.get_text(strip=True) == label, f"{lang}: {option['value']} is offered as {option.text!r}"
        first = groups[0].find("option")["value"]
        assert "sensitive-mark" in (folder / "data" / first / "index.html").read_text(encoding="utf-8"), \
            "sensitive data first"
        grades = [option["value"] for option in page.select("select[data-filter=grade] option") if option["value"]]
        assert grades == [key for key in ["pk", "k", *map(str, range(1, 13))] if key in grades], "grades in order"
    english = soup(example_site / "search" / "index.html").select_one("select[data-filter=grade]")
    spanish = soup(example_site / "es" / "search" / "index.html").select_one("select[data-filter=grade]")
    assert [o["value"] for o in english.find_all("option")] == [o["value"] for o in spanish.find_all("option")]
    for lang, select in [("en", english), ("es", spanish)]:
        names = {o["value"]: o.get_text(strip=True) for o in select.find_all("option") if o["value"]}
        catalog = translations(lang)
        assert names == {key: catalog.gettext(GRADES[key]) for key in names}, f"{lang}: grades not in the page's words"


# Pagefind's own pagefind.js searching the built index under Node, as the search page's script does in a browser:
# its files read from disk, the page's language given as the <html lang> it reads.
SEARCH_SCRIPT = """\
import {readFile} from "node:fs/promises";
import {fileURLToPath, pathToFileURL} from "node:url";
const [folder, lang, ...queries] = process.argv.slice(2);
const base = pathToFileURL(folder).href + "/";
globalThis.document = {currentScript: null, querySelector: () => ({getAttribute: () => lang})};
globalThis.fetch = async (url) => new Response(await readFile(fileURLToPath(new URL(url, base))));
const pagefind = await import(base + "pagefind.js");
await pagefind.options({basePath: base, baseUrl: "/"});
const found = {};
for (const query of queries) {
  const search = await pagefind.search(query);
  found[query] = (await Promise.all(search.results.map((result) => result.data()))).map((page) => page.url);
}
console.log(JSON.stringify(found));
"""


def searched(site: Path, lang: str, *queries: str) -> dict[str, set[str]]:
    """The pages that a search for each query finds on the search page in ``lang``."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js is needed to search the index")
        pytest.skip("Node.js is needed to search the index")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "search.mjs"
        script.write_text(SEARCH_SCRIPT, encoding="utf-8")
        done = subprocess.run([node, str(script), str(site / "pagefind"), lang, *queries],
                              capture_output=True, text=True, timeout=60, check=True)
    return {query: set(urls) for query, urls in json.loads(done.stdout).items()}


def test_an_alias_of_the_vocabulary_finds_the_notices_that_list_the_element_and_its_page(example_site):
    notices = json.loads((example_site / "contracts.json").read_text(encoding="utf-8"))["notices"]

    def listing(key: str, prefix: str = "") -> set[str]:
        return {f"{prefix}/contracts/{notice['slug']}/" for notice in notices
                if key in (notice["student_data"] or [])} | {f"{prefix}/data/{key}/"}

    english = searched(example_site, "en", "IEP", "FRL", "504 plan", "lunch status", "PEI", "Estado de almuerzo")
    spanish = searched(example_site, "es", "PEI", "Estado de almuerzo", "lunch status")
    assert len(listing("special_education")) > 1 and len(listing("low_income_status")) > 1
    for query, key in [("IEP", "special_education"), ("504 plan", "special_education"),
                       ("lunch status", "low_income_status"), ("FRL", "low_income_status")]:
        assert listing(key) <= english[query], query
    for query, key in [("PEI", "special_education"), ("Estado de almuerzo", "low_income_status")]:
        assert listing(key, "/es") <= spanish[query], query
        assert f"/data/{key}/" not in english[query], f"the Spanish alias {query!r} finds the English page"
    assert not english["PEI"] and not spanish["lunch status"], "an alias finds pages of another language"


def test_the_words_parents_use_for_a_breach_find_the_breaches_in_their_language(example_site):
    words = yaml.safe_load(search.SEARCH_WORDS.read_text(encoding="utf-8"))
    [breach_words] = [entry["words"] for entry in words if "breach" in entry["pages"]]
    assert "brecha" in breach_words["es"] and "hack" in breach_words["en"]
    breaches = {f"/breaches/{path.parent.name}/" for path in (example_site / "breaches").glob("*/index.html")}
    assert breaches, "the example site has a breach notice"
    english = searched(example_site, "en", "hack", "data breach", "brecha")
    spanish = searched(example_site, "es", "brecha", "filtración", "fuga de datos")
    for query in ["hack", "data breach"]:
        assert breaches | {"/breaches/"} <= english[query], query
    for query in ["brecha", "filtración", "fuga de datos"]:
        assert {"/es" + path for path in breaches | {"/breaches/"}} <= spanish[query], query
    assert not english["brecha"], "the Spanish words find nothing in English"
    page = soup(example_site / "es" / "breaches" / "index.html")
    [words] = page.select("main [data-search-words]")
    assert words["data-pagefind-index-attrs"] == "data-search-words" and words.has_attr("hidden")
    assert "brecha" not in text(page.body), "the words are indexed, never shown"


def test_aliases_are_indexed_but_not_shown(example_site):
    for path, alias in [("contracts/nvcc-gear-up/index.html", "FRL"), ("data/low_income_status/index.html", "FRL"),
                        ("es/data/special_education/index.html", "PEI")]:
        page = soup(example_site / path)
        [named] = [tag for tag in page.select("main [data-aliases]") if alias in tag["data-aliases"].split(", ")]
        assert named["data-pagefind-index-attrs"] == "data-aliases"
        assert alias not in text(page.body).split(), f"{path}: {alias} is shown"
    aliases = soup(example_site / "es/data/special_education/index.html").h1["data-aliases"].split(", ")
    assert "PEI" in aliases and "IEP" not in aliases, "only the aliases of the page's language"


def test_the_search_page_links_the_complete_lists_for_readers_without_javascript(example_site):
    page = soup(example_site / "search" / "index.html")
    fallback = page.select_one(".search-without-script")
    links = {a.get_text(strip=True) for a in fallback.find_all("a")}
    assert {"All notices", "Companies A–Z", "Student data", "Schools", "Policies"} <= links
    assert page.select_one("form.search-form").has_attr("hidden"), "the form shows only when it can work"
    nav = soup(example_site / "index.html").select_one("nav[aria-label=Main]")
    assert nav.find("a", string="Search")["href"] == "search/index.html"


def test_a_failure_to_index_leaves_the_previous_site(content, monkeypatch):
    assert run("build", "--today", TODAY).code == 0
    site = content.root.parent / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")  # Pagefind's own setting of its program
    result = run("build", "--today", TODAY)
    assert result.code == 3
    assert result.err.startswith("python build.py: error: ") and "site/ was left as it was" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(path.name for path in content.root.parent.iterdir()) == ["content", "site"]


HUNG = "import time; time.sleep(600)"
LOUD = "import sys; sys.stderr.write('Error: the first thing Pagefind said\\n' + 'x' * 50_000_000); sys.exit(1)"
MALFORMED = """\
import pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index('--output-path') + 1])
out.mkdir(parents=True)
(out / 'pagefind-entry.json').write_text('{"version": "1", "languages": {"en": {"hash": "x", "page_count": 1}}}')
"""


@pytest.mark.slow
@pytest.mark.parametrize("script, said", [
    (HUNG, "Pagefind did not finish in the time a site of this size takes; it was stopped"),
    (LOUD, "Pagefind could not index the site: Error: the first thing Pagefind said / xxx"),
    (MALFORMED, "Pagefind wrote an index that cannot be read (pagefind.x.pf_meta): FileNotFoundError"),
], ids=["hung", "fifty-megabytes-of-stderr", "malformed-index"])
def test_a_pagefind_that_hangs_talks_too_much_or_writes_nonsense_is_one_short_line(content, monkeypatch, script,
                                                                                     said):
    assert run("build", "--today", TODAY).code == 0
    site = content.root.parent / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    notice = content.root / "contracts/acme-learning.md"  # a change, so that the search index is made again
    notice.write_text(notice.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda staging, output, glob: [
        sys.executable, "-c", script, "--site", str(staging), "--output-path", str(output)])
    monkeypatch.setattr(search, "TIMEOUT_SECONDS", 2)
    monkeypatch.setattr(search, "PER_PAGE_SECONDS", 0)
    result = run("build", "--today", TODAY)
    assert result.code == 3
    [line] = result.err.strip().splitlines()
    assert said in line and line.endswith("site/ was left as it was")
    assert len(line) < 1000
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(path.name for path in content.root.parent.iterdir()) == ["content", "site"]


@pytest.mark.slow
def test_the_index_is_the_same_bytes_however_pagefind_orders_its_work(example_site, tmp_path):
    """Pagefind writes filters in hash-map order; run it on four copies at once, as CI machines might."""
    import hashlib
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from noticeboard.output.search import index_site

    copies = []
    for number in range(4):
        copy = tmp_path / f"copy-{number}"
        shutil.copytree(example_site, copy, ignore=shutil.ignore_patterns("pagefind"))
        copies.append(copy)
    with ThreadPoolExecutor(len(copies)) as pool:
        list(pool.map(index_site, copies))

    def files(site: Path) -> dict[str, str]:
        return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in sorted((site / "pagefind").rglob("*")) if path.is_file()}

    first = files(example_site)
    assert all(files(copy) == first for copy in copies)


@pytest.mark.slow
def test_each_language_indexed_on_its_own_gives_the_bytes_of_one_pagefind_over_the_whole_site(example_site, tmp_path):
    """The build runs one Pagefind per language at once and merges their folders; nothing may differ."""
    import shutil

    from noticeboard.output.search import index_site

    whole = tmp_path / "whole"
    shutil.copytree(example_site, whole, ignore=shutil.ignore_patterns("pagefind"))
    index_site(whole)

    def files(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes()
                for path in sorted(site.rglob("*")) if path.is_file()}

    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert len(entry["languages"]) == 2
    assert files(example_site) == files(whole)
    assert not [path for path in example_site.iterdir() if path.name.startswith(".pagefind")], "no folder left behind"
