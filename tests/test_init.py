"""``init``: a new district's site, complete and without a notice, that checks without error and builds, in
one language or two; what it refuses, writing nothing; its workflow and requirements.txt; and the hint to run
it that every command gives in a folder without content."""
from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement as PipRequirement

from conftest import TODAY, run, soup, text
from noticeboard import __version__
from noticeboard.diagnostics import Report
from noticeboard.load import settings
from noticeboard.load.jurisdictions import JURISDICTIONS, load_jurisdiction
from noticeboard.reporter import ExitCode
from noticeboard.tools import init
from test_workflow import WORKFLOW, lint_workflow

DISTRICT = "Lincoln Public Schools"
ENGLISH, BOTH = "en", "en,es"


def make(folder: Path, *options: str, district: str = DISTRICT):
    return run("init", str(folder), "--district", district, *options)


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.fixture(scope="module", params=[ENGLISH, BOTH])
def made(request, tmp_path_factory) -> tuple[Path, str]:
    """A site that init wrote, in English or in English and Spanish, and then built."""
    folder = tmp_path_factory.mktemp(f"init-{request.param.replace(',', '-')}") / "lincoln"
    result = make(folder, "--languages", request.param, "--install", "noticeboard==0.1.0")
    assert result.code == ExitCode.OK, result.err
    return folder, request.param


@pytest.fixture(scope="module")
def built(made) -> tuple[Path, Path, str]:
    folder, languages = made
    written = files_under(folder)
    result = run("build", "--content", str(folder / "content"), "--out", str(folder.parent / "site"), "--today",
                 TODAY)
    assert result.code == ExitCode.OK, result.err
    assert files_under(folder) == written, "a build writes nothing into the site's folder"
    return folder, folder.parent / "site", languages


# --------------------------------------------------------------------------- a new site checks and builds

def test_a_new_site_checks_without_error(made):
    folder, _ = made
    result = run("check", "--content", str(folder / "content"), "--today", TODAY)
    assert result.code == ExitCode.OK, result.err
    assert "error:" not in result.err
    assert "0 errors" in result.err
    # What is left to fill in is said, as warnings: the contact and the address.
    assert "[NB136]" in result.err and "[NB135]" in result.err


# What each jurisdiction's guide cites, in both languages; no guide cites another's law, and none cites no law.
GUIDE_CITATIONS = {"CT": "10-234", "IL": "105 ILCS 85", "NY": "NYCRR"}


def test_every_shipped_jurisdiction_has_a_parent_guide_in_every_language_and_every_guide_a_profile():
    assert init.starter_guides() == sorted(JURISDICTIONS)
    assert set(JURISDICTIONS) == {"CT", "IL", "NY", "none"}
    for jurisdiction in JURISDICTIONS:
        assert init.languages_offered(jurisdiction) == ["en", "es"], jurisdiction


@pytest.mark.slow
@pytest.mark.parametrize("languages", [ENGLISH, BOTH])
@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_a_new_site_of_every_jurisdiction_checks_and_builds_and_its_guide_cites_its_law(tmp_path, jurisdiction,
                                                                                       languages):
    folder = tmp_path / "site"
    result = make(folder, "--jurisdiction", jurisdiction, "--languages", languages, "--install", "noticeboard==0.1.0")
    assert result.code == ExitCode.OK, result.err
    site_yml = (folder / "content/site.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(site_yml)["jurisdiction"] == jurisdiction
    law = load_jurisdiction(jurisdiction).law
    said = re.search(r"^# The law this site follows: (.*)$", site_yml, re.MULTILINE)[1]
    assert said == (f"{law.name} ({law.citation})." if law else "no law (notices are posted by choice).")
    checked = run("check", "--content", str(folder / "content"), "--today", TODAY)
    assert checked.code == ExitCode.OK and "0 errors" in checked.err, checked.err
    built = run("build", "--content", str(folder / "content"), "--out", str(tmp_path / "out"), "--today", TODAY)
    assert built.code == ExitCode.OK, built.err
    for lang in languages.split(","):
        words = text(soup(tmp_path / "out" / ("" if lang == "en" else lang) / "guide" / "index.html").find("main"))
        assert DISTRICT in words
        for other, citation in GUIDE_CITATIONS.items():
            assert (citation in words) == (other == jurisdiction), f"{jurisdiction} {lang}: {citation}"


def test_once_the_contact_and_the_address_are_given_a_new_site_checks_without_warning(tmp_path):
    result = make(tmp_path / "site", "--email", "privacy@lincolnschools.org",
                  "--base-url", "https://lincoln-schools.github.io/notices/", "--install", "noticeboard==0.1.0")
    assert result.code == ExitCode.OK, result.err
    checked = run("check", "--strict", "--content", str(tmp_path / "site" / "content"), "--today", TODAY)
    assert checked.code == ExitCode.OK, checked.err
    assert "0 errors, 0 warnings" in checked.err


def test_it_writes_the_layout_of_the_format(made):
    folder, languages = made
    written = set(files_under(folder))
    expected = {"content/site.yml", "content/data-elements.yml", "content/policies/series.yml",
                "content/pages/guide.md", "content/contracts/README.md", "content/policies/README.md",
                "content/breaches/README.md", "templates/README.md", "static/README.md",
                ".github/workflows/notices.yml", "requirements.txt", "README.md", ".gitignore"}
    if languages == BOTH:
        expected.add("content/pages/guide.es.md")
    assert written == expected
    for path in written:
        data = (folder / path).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n"), path
        data.decode("utf-8")


def test_nothing_of_waterbury_is_written_or_built(built):
    folder, site, _ = built
    for root in (folder, site):
        for path, data in files_under(root).items():
            assert b"Waterbury" not in data, f"{root.name}/{path}"


def test_the_guide_names_the_district_in_each_language_and_only_the_published_ones(built):
    _, site, languages = built
    guides = {"en": site / "guide" / "index.html", "es": site / "es" / "guide" / "index.html"}
    for lang, page in guides.items():
        if lang not in languages.split(","):
            assert not page.exists(), f"/{lang}/guide/ on a site without {lang}"
            continue
        html = soup(page).html
        assert html["lang"] == lang
        main = html.find("main")
        assert DISTRICT in text(main), lang
        assert all(tag["lang"] == lang for tag in main.select("[lang]")), "the guide is all in its page's language"
    heading = text(soup(guides["en"]).find("h1"))
    assert heading == "Protecting your child's data: a guide for parents"
    if languages == BOTH:
        assert text(soup(guides["es"]).find("h1")) == "Cómo protegemos los datos de su hijo: guía para padres"


def test_every_link_of_the_guide_leads_to_a_page_the_site_has(built):
    """The guide claims only what the site does: it points to nothing the site lacks."""
    _, site, languages = built
    for lang in languages.split(","):
        page = site / ("" if lang == "en" else lang) / "guide" / "index.html"
        links = [a["href"] for a in soup(page).find("main").find_all("a", href=True)]
        local = [href for href in links if "://" not in href and not href.startswith("mailto:")]
        assert len(local) >= 6, links
        for href in local:
            target = (page.parent / href.partition("#")[0]).resolve()
            assert target.is_file(), f"{lang}: {href}"


def test_the_notes_of_the_folders_are_not_records_nor_published(built):
    folder, site, _ = built
    assert "noticeboard new contract" in (folder / "content/contracts/README.md").read_text(encoding="utf-8")
    assert not any(part.lower().startswith("readme") for path in files_under(site) for part in path.split("/"))


def test_a_one_language_site_has_plain_texts_and_two_languages_mappings(made):
    folder, languages = made
    elements = yaml.safe_load((folder / "content/data-elements.yml").read_text(encoding="utf-8"))
    series = yaml.safe_load((folder / "content/policies/series.yml").read_text(encoding="utf-8"))
    site = yaml.safe_load((folder / "content/site.yml").read_text(encoding="utf-8"))
    if languages == ENGLISH:
        assert elements["ip_addresses"]["label"] == "IP addresses"
        assert elements["date_of_birth"]["aliases"] == ["DOB", "Birth date", "Birthday"]
        assert series[5] == {"key": "5000", "title": "Students"}
        assert (site["title"], site["district"]) == ("Student Data Privacy Notices", DISTRICT)
    else:
        assert elements["ip_addresses"]["label"] == {"en": "IP addresses", "es": "Direcciones IP"}
        assert site["district"] == {"en": DISTRICT, "es": DISTRICT}
        assert site["title"]["es"] == "Avisos sobre la privacidad de los datos estudiantiles"
    assert site["languages"] == languages.split(",")
    assert site["jurisdiction"] == "CT" and "contact" not in site
    assert "# The vocabulary of student data elements that ships with Notice Board." in (
        folder / "content/data-elements.yml").read_text(encoding="utf-8"), "the shipped file's comments are kept"


@pytest.mark.parametrize("languages", [["en"], ["es"], ["en", "es"], ["es", "en"]], ids="-".join)
def test_the_vocabulary_and_series_written_read_as_the_shipped_ones(tmp_path, languages):
    content = tmp_path / "content"
    (content / "policies").mkdir(parents=True)
    (content / "data-elements.yml").write_text(init.shipped_in_languages(settings.SHIPPED_ELEMENTS, languages),
                                               encoding="utf-8")
    (content / "policies/series.yml").write_text(init.shipped_in_languages(settings.SHIPPED_SERIES, languages),
                                                 encoding="utf-8")
    report = Report()
    written = settings.read_elements(content, languages, report)
    written_series = settings.read_series(content, languages, report)
    assert report.lines() == []
    shipped = settings.shipped_elements(languages, Report())
    shipped_series = settings.shipped_series(languages, Report())
    default = languages[0]

    def shown(translatable):
        return {lang: str(translatable.in_language(lang, default)) for lang in languages}

    def names(aliases):  # "did you mean" matches an element's aliases in any language (load/rules.py)
        return sorted(name for _, found in aliases for name in found)

    assert list(written) == list(shipped)
    for key, element in written.items():
        other = shipped[key]
        for name in ("label", "category", "description"):
            assert shown(getattr(element, name)) == shown(getattr(other, name)), (key, name)
        assert element.sensitive == other.sensitive, key
        assert names(element.aliases) == names(other.aliases), key
    assert [(item.key, shown(item.title)) for item in written_series] == [
        (item.key, shown(item.title)) for item in shipped_series]


def test_the_same_options_write_the_same_bytes(tmp_path):
    for name in ("one", "two"):
        assert make(tmp_path / name, "--install", "noticeboard==0.1.0").code == ExitCode.OK
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")


def test_a_district_name_with_markdown_and_yaml_characters_reads_back_as_written(tmp_path):
    district = "St. Mary's #1 *Regional* School_District: [North]"
    result = make(tmp_path / "site", "--languages", ENGLISH, "--install", "noticeboard==0.1.0", district=district)
    assert result.code == ExitCode.OK, result.err
    site = yaml.safe_load((tmp_path / "site/content/site.yml").read_text(encoding="utf-8"))
    assert site["district"] == district
    out = tmp_path / "out"
    assert run("build", "--content", str(tmp_path / "site/content"), "--out", str(out), "--today",
               TODAY).code == ExitCode.OK
    assert district in text(soup(out / "guide/index.html").find("main"))


def test_the_output_says_what_was_written_and_what_to_do_next(tmp_path):
    result = make(tmp_path / "site", "--install", "noticeboard==0.1.0")
    assert result.code == ExitCode.OK
    assert "14 files" in result.out
    assert "  content/pages/guide.es.md\n" in result.out
    assert f"check --content {tmp_path}/site/content" in result.out
    assert f"serve --content {tmp_path}/site/content" in result.out
    assert "README.md" in result.out and result.err == ""


def test_init_into_an_existing_empty_folder_and_into_a_new_nested_one(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert make(Path("."), "--install", "noticeboard==0.1.0").code == ExitCode.OK
    assert (empty / "content/site.yml").is_file() and not list(empty.glob(".noticeboard-init-*"))
    assert make(tmp_path / "a/b/c", "--install", "noticeboard==0.1.0").code == ExitCode.OK
    assert (tmp_path / "a/b/c/content/site.yml").is_file()


# --------------------------------------------------------------------------- what it refuses, writing nothing

def test_a_folder_in_use_is_refused_and_left_as_it_was(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    before = files_under(tmp_path)
    for target, words in ((folder, "is not empty (it holds notes.txt)"), (afile, "is a file")):
        result = make(target)
        assert result.code == ExitCode.USAGE
        assert f"python build.py init: error: {target}: {words}" in result.err
    assert files_under(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afile", "site"]


@pytest.mark.parametrize("options, message", [
    (["--languages", "en,fr"], "--languages: 'fr' is not a language that init writes a site in; the languages "
                               "that Notice Board has a parent guide and an interface in are en, es"),
    (["--languages", "en,en"], "--languages: 'en' is listed twice"),
    (["--languages", ""], "--languages: '' is not a language"),
    (["--jurisdiction", "MN"], "--jurisdiction: 'MN' is not a jurisdiction that Notice Board knows; the known ones "
                               "are CT, IL, NY, none"),
    (["--install", "http://example.org/noticeboard-0.1.0-py3-none-any.whl"], "must start with https://"),
    (["--install", "https://example.org/other-0.1.0-py3-none-any.whl"], "is not the address of a wheel of Notice"),
    (["--install", "git+https://github.com/district/noticeboard"], "names no tag or commit"),
    (["--install", "git+http://github.com/district/noticeboard@v0.1.0"], "must start with https://"),
    (["--install", "noticeboard>=0.1"], "is not an address; give noticeboard==X.Y.Z"),
    (["--install", "https://user:secret@example.org/noticeboard-0.1.0-py3-none-any.whl"], "user name or password"),
    (["--email", "privacy at district"], "--email 'privacy at district'"),
    (["--base-url", "notices.lincoln.org"], "--base-url"),
], ids=["unknown-language", "language-twice", "no-language", "jurisdiction", "http-wheel", "other-wheel",
        "git-without-tag", "git-http", "range", "credentials", "email", "base-url"])
def test_bad_options_are_usage_errors_that_write_nothing(tmp_path, options, message):
    result = make(tmp_path / "site", *options)
    assert result.code == ExitCode.USAGE, result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("district, message", [
    ("", "--district must not be empty"), ("  ", "--district must not be empty"),
    ("Lincoln\nPublic Schools", "--district must be one line"),
], ids=["empty", "blank", "two-lines"])
def test_the_district_is_one_line_of_text(tmp_path, district, message):
    result = make(tmp_path / "site", district=district)
    assert result.code == ExitCode.USAGE
    assert message in result.err
    assert list(tmp_path.iterdir()) == []


def test_the_district_is_required(tmp_path):
    result = run("init", str(tmp_path / "site"))
    assert result.code == ExitCode.USAGE
    assert "the following arguments are required: --district" in result.err


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
def test_a_failure_half_way_leaves_nothing_behind(tmp_path, monkeypatch, existing):
    folder = tmp_path / "site"
    if existing:
        folder.mkdir()
    moves = []
    real_rename = os.rename

    def rename_then_fill_the_disk(source, target):
        moves.append(target)
        if len(moves) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_rename(source, target)

    monkeypatch.setattr(init.os, "rename", rename_then_fill_the_disk)
    result = make(folder, "--install", "noticeboard==0.1.0")
    assert result.code == ExitCode.MACHINE
    assert "No space left on device" in result.err
    assert sorted(tmp_path.rglob("*")) == ([folder] if existing else [])


# --------------------------------------------------------------------------- the workflow

def test_this_repositorys_workflow_is_the_template_made_for_it():
    """One template for both: edit noticeboard/starter/notices.yml, then write the repository's workflow from it
    (`init.workflow_text(init.THIS_REPOSITORY)`)."""
    assert WORKFLOW.read_text(encoding="utf-8") == init.workflow_text(init.THIS_REPOSITORY)


def test_the_sites_workflow_lints_and_installs_the_pinned_version(made):
    folder, _ = made
    workflow = folder / ".github/workflows/notices.yml"
    result = lint_workflow(workflow, folder)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    for name, job in jobs.items():
        steps = job.get("steps", [])
        runs = [step["run"] for step in steps if "run" in step]
        if not any("noticeboard " in command for command in runs):
            continue
        assert [command for command in runs if "pip install" in command] == ["pip install -r requirements.txt"]
        setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
        assert setup["with"]["cache-dependency-path"] == "requirements.txt", name
    assert "pyproject.toml" not in workflow.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- requirements.txt

@pytest.mark.parametrize("spec, line", [
    ("noticeboard==0.2.0", "noticeboard==0.2.0"),
    ("noticeboard==1.0.0rc1", "noticeboard==1.0.0rc1"),
    ("https://github.com/district/noticeboard/releases/download/v0.2.0/noticeboard-0.2.0-py3-none-any.whl",
     "noticeboard @ https://github.com/district/noticeboard/releases/download/v0.2.0/"
     "noticeboard-0.2.0-py3-none-any.whl"),
    ("git+https://github.com/district/noticeboard@v0.2.0", "noticeboard @ git+https://github.com/district/"
                                                           "noticeboard@v0.2.0"),
    ("git+https://github.com/district/noticeboard.git@3f2a9c1d0e", "noticeboard @ git+https://github.com/"
                                                                   "district/noticeboard.git@3f2a9c1d0e"),
], ids=["version", "pre-release", "wheel", "git-tag", "git-commit"])
def test_install_lands_in_requirements_txt_as_pip_reads_it(tmp_path, spec, line):
    result = make(tmp_path / "site", "--install", spec)
    assert result.code == ExitCode.OK, result.err
    lines = (tmp_path / "site/requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [found for found in lines if not found.startswith("#")] == [line]
    assert PipRequirement(line).name == "noticeboard"
    assert f"in requirements.txt: {line}" in result.out and "note:" not in result.err


GIT = {"url": "https://github.com/district/noticeboard", "vcs_info": {
    "vcs": "git", "requested_revision": "v0.2.0", "commit_id": "3f2a9c1d0e4b5a6978897a6b5c4d3e2f1a0b9c8d"}}
WHEEL = {"url": "https://files.example.org/noticeboard-0.2.0-py3-none-any.whl", "archive_info": {}}


@pytest.mark.parametrize("direct_url, from_an_index, line, cautious", [
    (None, True, "noticeboard==0.2.0", False),
    (GIT, False, "noticeboard @ git+https://github.com/district/noticeboard@3f2a9c1d0e4b5a6978897a6b5c4d3e2f1a0b9c8d",
     False),
    (WHEEL, False, f"noticeboard @ {WHEEL['url']}", False),
    ({"url": "file:///home/staff/noticeboard", "dir_info": {"editable": True}}, False, "noticeboard==0.2.0", True),
    ({"url": "file:///tmp/noticeboard-0.2.0-py3-none-any.whl", "archive_info": {}}, True, "noticeboard==0.2.0",
     True),
    ({"url": "ssh://git@github.com/district/noticeboard", "vcs_info": {"vcs": "git", "commit_id": "3f2a9c1"}},
     True, "noticeboard==0.2.0", True),
    (None, False, "noticeboard==0.2.0", True),
], ids=["index", "git", "wheel", "editable", "local-wheel", "git-over-ssh", "checkout"])
def test_by_default_requirements_txt_names_the_notice_board_that_runs(direct_url, from_an_index, line, cautious):
    """As PEP 610's direct_url.json says it was installed: a version from an index, a git commit, a wheel's
    address; where that is nothing a workflow can install from, the version, with a caution naming --install."""
    found = init.requirement_of_install("0.2.0", direct_url, from_an_index)
    assert found.line == line
    assert (found.caution is not None) == cautious
    if cautious:
        assert "--install" in found.caution and "may not be on a package index" in found.caution


def test_run_from_this_checkout_it_pins_its_own_version_with_a_caution(tmp_path):
    result = make(tmp_path / "site")
    assert result.code == ExitCode.OK
    assert f"noticeboard=={__version__}\n" in (tmp_path / "site/requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"python build\.py: note: requirements\.txt names noticeboard==\S+, but this Notice Board "
                     r".*--install", result.err)


# --------------------------------------------------------------------------- a folder without content

@pytest.mark.parametrize("command", [["build"], ["check"], ["serve"], ["new", "contract", "acme"],
                                     ["announce", "--since", "2025-01-01"]], ids=lambda words: words[0])
def test_every_command_in_a_folder_without_content_says_to_run_init(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(*command)
    assert result.code == ExitCode.USAGE
    assert 'run: python build.py init DIR --district "District name"' in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_content_folder_without_site_yml_says_to_run_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    result = run("check", "--today", TODAY)
    assert result.code == ExitCode.CONTENT
    assert ('content/site.yml:1: error: file: is missing; see docs/staff/content-format.md for its format, or '
            'start a new site with: python build.py init DIR --district "District name" [NB015]') in result.err


def test_a_readme_in_a_folder_of_records_is_its_note_not_a_record(content):
    for folder in ("contracts", "policies", "breaches", "pages"):
        content.write(f"{folder}/README.md", "# What goes here\n\nNot a record.\n")
    result = run("build", "--today", TODAY)
    assert result.code == ExitCode.OK, result.err
    assert "README" not in result.err
    assert not any("readme" in path.as_posix().lower() for path in Path("site").rglob("*"))
    contract_pages = {path.parent.name for path in Path("site/contracts").glob("*/index.html")}
    assert contract_pages == {"acme-learning"}
