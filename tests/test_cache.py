"""The build cache (noticeboard/load/cache.py): a warm run reads nothing it already knows, and a site,
an exit status or a line of the report never depends on it.

Each test keeps its cache in a folder of its own (``NOTICEBOARD_CACHE_DIR``), beside the content
and the output. Which files a run reads from disk is counted at the reader (``read_record``,
``read_yaml_file``): a file the cache gives back is not read.
"""
from __future__ import annotations

import os
import pickle
import shutil
from datetime import date, timedelta
from pathlib import Path

import pikepdf
import pytest

from conftest import make_pdf, pdf, EXAMPLE_CONTENT, TODAY, build, run, soup

from noticeboard.load import cache as cache_module
from noticeboard.load import content as content_module
from noticeboard.load import settings as settings_module
from noticeboard.load import documents
from noticeboard.codes import DOCUMENT_NOT_FOUND, DOCUMENT_NOT_ITS_TYPE, NO_INTERFACE_CATALOG, NOT_UTF8
from noticeboard.output.dependencies import OutputRecord

PDF = pdf("A signed contract.")

CONTRACT_WITH_DOCUMENT = """\
---
vendor: Acme Learning
contract_date: 2025-01-21
posted: 2025-01-24
student_data: [student_name, grade_level]
documents:
  - title: Signed contract
    file: acme.pdf
---
Reading practice for grades 3-5.
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The content files that runs read from disk, by name, in the order read."""
    found: list[str] = []

    def counted(read):
        def reading(path, report):
            found.append(Path(path).name)
            return read(path, report)
        return reading

    monkeypatch.setattr(content_module, "read_record", counted(content_module.read_record))
    monkeypatch.setattr(settings_module, "read_yaml_file", counted(settings_module.read_yaml_file))
    return found


def all_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def entries(folder: Path) -> dict[str, tuple[bytes, int]]:
    """The cache's files, with their bytes and modification times."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def check(*options: str, content: str = "content"):
    return run("check", "--content", content, "--today", TODAY, *options)


def notice_text(out: str, slug: str) -> str:
    page = Path(out) / "contracts" / slug / "index.html"
    return " ".join(soup(page).main.get_text().split())


def report_lines(result) -> list[str]:
    """The diagnostics of a run, without its summary line."""
    return [line for line in result.lines if ": error: " in line or ": warning: " in line]


# --- the same site, faster ---------------------------------------------------------------------

@pytest.mark.slow
def test_a_warm_build_reads_nothing_and_makes_the_same_site(tmp_path, monkeypatch, cache_dir, reads):
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    records = sorted([path.name for path in (tmp_path / "content").rglob("*") if path.suffix in (".md", ".yml")]
                     + ["data-elements.yml"])  # the shipped vocabulary, which the example uses

    cold = build(out="cold")
    assert cold.code == 0, cold.err
    assert sorted(reads) == records  # every file read once
    assert len(file_entries(cache_dir)) == len(records)

    reads.clear()
    warm = build(out="warm")
    assert warm.code == 0, warm.err
    assert reads == []
    assert warm.out == cold.out.replace("cold/", "warm/") and warm.err == cold.err

    stored = entries(cache_dir)
    uncached = build("--no-cache", out="uncached")
    assert uncached.code == 0, uncached.err
    assert sorted(reads) == records
    assert entries(cache_dir) == stored  # neither read nor written

    sites = [all_files(tmp_path / name) for name in ("cold", "warm", "uncached")]
    assert sites[0] and sites[1] == sites[0] and sites[2] == sites[0]


def test_no_cache_makes_no_cache_folder(content, cache_dir):
    assert build("--no-cache").code == 0
    assert check("--no-cache").code == 0
    assert not cache_dir.exists()
    assert build().code == 0  # without it, the cache is made
    assert entries(cache_dir)


def test_a_changed_record_is_read_again(content, cache_dir, reads):
    assert build().code == 0
    assert "Reading practice for grades 3-5." in notice_text("site", "acme-learning")
    content.write("contracts/acme-learning.md", (content.root / "contracts/acme-learning.md").read_text()
                  .replace("Reading practice for grades 3-5.", "Typing practice for grades 6-8."))
    reads.clear()
    assert build().code == 0
    assert reads == ["acme-learning.md"]
    text = notice_text("site", "acme-learning")
    assert "Typing practice for grades 6-8." in text and "Reading practice" not in text


def test_a_linked_document_is_never_taken_as_it_was(content, cache_dir, reads):
    content.write("contracts/acme-learning.md", CONTRACT_WITH_DOCUMENT)
    content.write("contracts/files/acme.pdf", PDF)
    assert build().code == 0
    place = "content/contracts/acme-learning.md:8: error: documents[1].file: content/contracts/files/acme.pdf"

    content.remove("contracts/files/acme.pdf")
    removed = build()
    assert removed.code == 1
    assert report_lines(removed) == [f"{place} does not exist [{DOCUMENT_NOT_FOUND.code}]"]

    content.write("contracts/files/acme.pdf", b"PK\x03\x04 a Word file saved as .pdf")
    replaced = build()
    assert replaced.code == 1
    assert report_lines(replaced) == [f"{place} is not a PDF file (it does not start as one); save or export it "
                                      f"again as PDF [{DOCUMENT_NOT_ITS_TYPE.code}]"]

    content.write("contracts/files/acme.pdf", PDF)
    reads.clear()
    restored = build()
    assert restored.code == 0, restored.err
    assert report_lines(restored) == []
    assert (Path("site") / "contracts/files/acme.pdf").read_bytes() == PDF
    assert reads == ["acme-learning.md"]  # its entry was the last build's, with the Word file
    reads.clear()
    assert build().code == 0
    assert reads == []


def test_another_version_of_the_code_reads_everything_again(content, cache_dir, reads, monkeypatch):
    assert build().code == 0
    first = all_files(Path("site"))
    reads.clear()
    assert build().code == 0
    assert reads == []
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    assert build().code == 0
    assert sorted(reads) == ["acme-learning.md", "data-elements.yml", "series.yml", "site.yml"]
    assert all_files(Path("site")) == first


@pytest.mark.parametrize("edit", ["templates/notice.html", "templates/_macros.html", "site/builder.py",
                                  "load/reader.py", "defaults/data-elements.yml", "defaults/series.yml"])
def test_the_code_version_changes_with_any_template_or_source_file(tmp_path, edit):
    """An edited template, module or shipped settings file (which a site's file may extend) is another version of
    the code: every entry is read again."""
    package = tmp_path / "noticeboard"
    shutil.copytree(Path(cache_module.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    libraries = cache_module._library_versions()
    before = cache_module.package_digest(package, libraries)
    assert cache_module.package_digest(package, libraries) == before
    assert before == cache_module.code_version()
    with (package / edit).open("a", encoding="utf-8") as file:
        file.write("\n")
    assert cache_module.package_digest(package, libraries) != before
    assert cache_module.package_digest(package, (*libraries, "another Markdown")) != before


def test_a_corrupt_entry_is_read_again(content, cache_dir, reads):
    first = build()
    assert first.code == 0
    site = all_files(Path("site"))
    damaged = file_entries(cache_dir)
    assert len(damaged) == 4
    damaged[0].write_bytes(damaged[0].read_bytes()[:40])  # truncated
    damaged[1].write_bytes(b"")
    damaged[2].write_bytes(os.urandom(300))
    damaged[3].write_bytes(pickle.dumps(("not", "an", "entry")))
    reads.clear()
    again = build()
    assert again.code == 0 and again.out.startswith(first.out.rstrip()) and again.err == first.err
    assert len(reads) == 4
    assert all_files(Path("site")) == site
    reads.clear()
    assert build().code == 0
    assert reads == []  # written anew


def test_a_cache_that_cannot_be_written_is_left_alone(content, tmp_path, monkeypatch, reads):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(blocked))
    result = build()
    assert result.code == 0
    notes = [line for line in result.lines if "build cache" in line]
    assert len(notes) == 1 and notes[0].startswith("python build.py: note: the build cache cannot be written"), notes
    assert notice_text("site", "acme-learning")
    assert blocked.read_text() == "not a folder"


# --- where the cache may be ---------------------------------------------------------------------

@pytest.mark.parametrize("location", ["content", "content/.cache", "content/contracts/cache", "alias/cache",
                                      "site", "site/.cache"])
def test_a_cache_inside_the_content_or_the_output_is_refused(content, tmp_path, monkeypatch, location):
    (tmp_path / "alias").symlink_to(content.root)
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", location)
    before = all_files(content.root)
    result = build()
    inside = ("the output directory site, which each build replaces" if location.startswith("site")
              else "the content directory content, where nothing is ever written")
    assert result.code == 2
    assert result.lines == [f"python build.py: error: the build cache {tmp_path / location} "
                            f"(NOTICEBOARD_CACHE_DIR={location}) is inside {inside}; "
                            "set NOTICEBOARD_CACHE_DIR to a folder outside it, or use --no-cache"]
    assert not (tmp_path / "site").exists()
    if not location.startswith("site"):
        assert check().code == 2
        assert run("announce", "--content", "content", "--since", "2025-01-01", "--today", TODAY).code == 2
    assert all_files(content.root) == before
    assert build("--no-cache").code == 0  # the way out that the message names


def test_without_the_variable_the_cache_is_under_xdg_cache_home_or_home(content, tmp_path, monkeypatch):
    monkeypatch.delenv("NOTICEBOARD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert build().code == 0
    assert entries(tmp_path / "xdg" / "noticeboard")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert build().code == 0
    assert entries(tmp_path / "home" / ".cache" / "noticeboard")


# --- the report -------------------------------------------------------------------------------

def test_diagnostics_of_a_cached_file_are_reported_as_when_it_is_read(content, cache_dir, reads, tmp_path,
                                                                      monkeypatch):
    content.write("site.yml", (content.root / "site.yml").read_text().replace("[en, es]", "[en, es, fr]"))
    content.contract("beta", """\
        vendor: Beta Reading
        contract_date: 2025-03-03
        student_data: [student_name]
        colour: blue
        documents: [{title: Privacy policy, url: "https://beta.example.com/privacy"}]
        """)
    content.contract("gamma", """\
        vendor: Gamma Maps
        contract_date: 2025-03-03
        posted: 2025-03-01
        student_data: []
        documents: [{title: Signed contract, url: "https://gamma.example.com/contract.pdf", type: contract}]
        """)
    content.write("pages/about.md", b"---\ntitle: About\n---\nCaf\xe9\n")  # Latin-1, not UTF-8
    cold = check()
    assert cold.code == 1
    assert [line.split(": ", 3)[:3] for line in report_lines(cold)] == [
        ["content/contracts/beta.md:5", "error", "colour"],
        ["content/contracts/gamma.md:4", "error", "posted"],
        ["content/pages/about.md:4", "error", "encoding"],
        ["content/site.yml:6", "warning", "languages[3]"],
    ]
    assert report_lines(cold)[2].endswith(f"[{NOT_UTF8.code}]")
    assert "'fr' has no catalog of interface text" in report_lines(cold)[3]
    assert report_lines(cold)[3].endswith(f"[{NO_INTERFACE_CATALOG.code}]")

    reads.clear()
    warm = check()
    assert reads == []
    assert (warm.code, warm.lines) == (cold.code, cold.lines)
    uncached = check("--no-cache")
    assert (uncached.code, uncached.lines) == (cold.code, cold.lines)

    # A build shows the same lines (check adds its compliance warnings, none here).
    reads.clear()
    built = build()
    assert reads == []
    assert built.code == 1 and report_lines(built) == report_lines(cold)

    # From another working directory the paths are relative to it, as without a cache.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    names = ["contracts/beta.md", "contracts/gamma.md", "pages/about.md", "site.yml"]
    for folder, given, shown in (
            (tmp_path, str(content.root), [f"content/{name}" for name in names]),
            (elsewhere, "../content", [f"../content/{name}" for name in names]),
            (elsewhere, str(content.root), [f"{content.root}/{name}" for name in names]),
            (content.root, ".", names),
            (content.root / "contracts", "..", ["../pages/about.md", "../site.yml", "beta.md", "gamma.md"])):
        monkeypatch.chdir(folder)
        uncached = check("--no-cache", content=given)
        reads.clear()
        first = check(content=given)
        assert len(reads) == 7  # entries of its own: the paths they report differ
        reads.clear()
        second = check(content=given)
        assert reads == []
        assert (first.code, first.lines) == (second.code, second.lines) == (uncached.code, uncached.lines)
        assert [line.split(":", 1)[0] for line in report_lines(first)] == shown


def test_what_a_file_gave_does_not_depend_on_the_build_date(content, cache_dir, reads):
    """Loading is a function of the files: another --today reads nothing again, and the checks
    against the date (checks/dates.py) still see every record."""
    content.contract("beta", """\
        vendor: Beta Reading
        contract_date: 2025-03-03
        posted: 2025-03-04
        student_data: [student_name]
        documents: [{title: Privacy policy, url: "https://beta.example.com/privacy"}]
        """)
    assert check().code == 0
    reads.clear()
    before = run("check", "--content", "content", "--today", "2025-03-02")
    assert reads == []
    assert before.code == 1
    assert [line for line in report_lines(before) if "beta.md" in line][0].startswith(
        "content/contracts/beta.md:3: error: contract_date: 2025-03-03 is in the future (today is 2025-03-02)")
    assert check().code == 0
    assert reads == []


def test_a_warm_build_on_the_next_day_reads_nothing_again(content, cache_dir, reads):
    assert build().code == 0
    first = all_files(Path("site"))
    reads.clear()
    next_day = (date.fromisoformat(TODAY) + timedelta(days=1)).isoformat()
    assert run("build", "--content", "content", "--out", "site", "--today", next_day).code == 0
    assert reads == []
    assert all_files(Path("site")).keys() == first.keys()


def test_a_warm_build_converts_no_markdown(content, cache_dir, monkeypatch):
    from noticeboard.load import markdown_text

    content.write("pages/guide.md", "---\ntitle: Guide\n---\n# For parents\n\nWhat the district *shares*.[^1]\n\n"
                                    "[^1]: And with whom.\n")
    assert build().code == 0
    first = all_files(Path("site"))
    converted = []
    convert = markdown_text._converted
    monkeypatch.setattr(markdown_text, "_converted", lambda *args: converted.append(args) or convert(*args))
    assert build().code == 0
    assert converted == []  # the entries' conversions, on their sources: rendering found them there
    assert all_files(Path("site")) == first
    assert build("--no-cache").code == 0
    assert sorted(text for text, _ in converted) == [  # the guide and the notice, read again
        "# For parents\n\nWhat the district *shares*.[^1]\n\n[^1]: And with whom.", "Reading practice for grades 3-5."]


def test_a_settings_file_that_becomes_a_link_out_of_the_content_is_read_again(content, cache_dir, tmp_path):
    site_yml = content.root / "site.yml"
    outside = tmp_path / "shared-site.yml"
    outside.write_bytes(site_yml.read_bytes())
    assert build().code == 0
    site_yml.unlink()
    site_yml.symlink_to(outside)  # the same bytes, from elsewhere
    linked = build()
    assert linked.code == 1
    assert [line.split(": ", 3)[:3] for line in report_lines(linked)] == [["content/site.yml:1", "error", "file"]]
    assert f"is a link to {outside}, outside content/" in linked.err
    site_yml.unlink()
    site_yml.write_bytes(outside.read_bytes())
    assert build().code == 0


# --- whose cache it is -----------------------------------------------------------------------------

class RunsCode:
    """What someone who could write the cache could put there: unpickled, it writes ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return Path.write_text, (self.marker, "ran as the builder")


def another_users(path: Path) -> None:
    uid = 65534 if os.geteuid() != 65534 else 65533
    try:
        os.chown(path, uid, -1, follow_symlinks=False)
    except PermissionError:
        pytest.skip("giving a file to another user needs root")


def entry_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def file_entries(folder: Path) -> list[Path]:
    """The entries of files read, without the records of the outputs built (``DiskCache.keep``)."""
    return [path for path in entry_files(folder) if not _output_record(path)]


def _output_record(path: Path) -> bool:
    try:
        return isinstance(pickle.loads(path.read_bytes())[2], OutputRecord)
    except Exception:
        return False


def shard_folders(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.is_dir())


def world_writable_folder(shared: Path, cache: Path) -> str:
    shared.chmod(0o777)
    return f"{shared}, which holds it, can be written by others (mode 777, not sticky), so someone else could " \
           f"put another folder in its place"


def folder_of_another_user(shared: Path, cache: Path) -> str:
    another_users(shared)
    return f"{shared}, which holds it, belongs to another user"


def open_to_all(shared: Path, cache: Path) -> str:
    cache.chmod(0o777)
    return f"it can be written by others (mode 777), and loading its entries can run any code; chmod 700 {cache}, " \
           f"or set NOTICEBOARD_CACHE_DIR to a folder of your own"


def given_away(shared: Path, cache: Path) -> str:
    another_users(cache)
    return "it belongs to another user ("


def a_link(shared: Path, cache: Path) -> str:
    cache.rename(shared / "elsewhere")
    cache.symlink_to(shared / "elsewhere")
    return f"it is a link to {shared / 'elsewhere'}, and loading its entries can run any code; " \
           f"set NOTICEBOARD_CACHE_DIR to {shared / 'elsewhere'} itself"


def shards_group_writable(shared: Path, cache: Path) -> str:
    for shard in shard_folders(cache):
        shard.chmod(0o770)
    return f"its folder {cache}/"


def shards_of_another_user(shared: Path, cache: Path) -> str:
    for shard in shard_folders(cache):
        another_users(shard)
    return f"its folder {cache}/"


def entries_writable_by_all(shared: Path, cache: Path) -> str:
    for entry in entry_files(cache):
        entry.chmod(0o666)
    return f"its entry {cache}/"


def entries_of_another_user(shared: Path, cache: Path) -> str:
    for entry in entry_files(cache):
        another_users(entry)
    return f"its entry {cache}/"


@pytest.mark.parametrize("make_unsafe, why", [
    (world_writable_folder, "can be written by others (mode 777, not sticky)"),
    (folder_of_another_user, "belongs to another user"),
    (open_to_all, "can be written by others (mode 777)"),
    (given_away, "belongs to another user"),
    (a_link, "is a link"),
    (shards_group_writable, "can be written by others (mode 770)"),
    (shards_of_another_user, "belongs to another user"),
    (entries_writable_by_all, "can be written by others (mode 666)"),
    (entries_of_another_user, "belongs to another user"),
])
def test_a_cache_that_someone_else_could_have_written_is_not_used(content, tmp_path, monkeypatch, reads,
                                                                   make_unsafe, why):
    shared = tmp_path / "shared"
    cache = shared / "cache"
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(cache))
    shared.mkdir(mode=0o700)
    uncached = build("--no-cache", out="uncached")
    assert build().code == 0
    marker = tmp_path / "marker"
    for entry in entry_files(cache):
        entry.write_bytes(pickle.dumps(RunsCode(marker)))
    where = make_unsafe(shared, cache)

    reads.clear()
    result = build()
    assert not marker.exists()
    assert len(reads) == 4  # every file, as without a cache
    assert result.code == 0 and result.out == uncached.out.replace("uncached/", "site/")
    assert all_files(Path("site")) == all_files(Path("uncached"))
    notes = [line for line in result.lines if "build cache" in line]
    assert len(notes) == 1, notes
    assert notes[0].startswith(f"python build.py: note: not using the build cache {cache} "
                               f"(NOTICEBOARD_CACHE_DIR={cache}): "), notes
    assert where in notes[0] and why in notes[0], notes
    assert [line for line in result.lines if line not in notes] == uncached.lines


def test_a_sticky_folder_that_anyone_can_write_may_hold_the_cache(content, tmp_path, monkeypatch, reads):
    """As /tmp: nobody can rename or delete there what is not theirs."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(shared / "cache"))
    assert build().code == 0
    assert (shared / "cache").stat().st_mode & 0o777 == 0o700
    reads.clear()
    warm = build()
    assert warm.code == 0 and warm.err == ""
    assert reads == []


# --- where the cache may not be, since it would put its 256 folders there -------------------------

@pytest.mark.parametrize("given, shown, what", [
    (".", "{tmp}/work/inner", "is the working directory"),
    ("..", "{tmp}/work", "holds the working directory {tmp}/work/inner"),
    ("~", "{tmp}/home", "is your home directory"),
    ("/", "/", "is the root of the filesystem"),
    ("{tmp}/sites", "{tmp}/sites", "holds the content directory {tmp}/sites/content"),
    ("{tmp}/public", "{tmp}/public", "holds the output directory {tmp}/public/site"),
])
def test_a_cache_that_would_fill_a_folder_of_others_is_refused(tmp_path, monkeypatch, given, shown, what):
    for folder in ("work/inner", "sites/content", "home"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work" / "inner")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    environ = {"NOTICEBOARD_CACHE_DIR": given.format(tmp=tmp_path)}
    with pytest.raises(cache_module.CacheRefused) as refused:
        cache_module.open_cache(tmp_path / "sites" / "content", tmp_path / "public" / "site", environ)
    assert str(refused.value) == (
        f"the build cache {shown.format(tmp=tmp_path)} (NOTICEBOARD_CACHE_DIR={environ['NOTICEBOARD_CACHE_DIR']}) "
        f"{what.format(tmp=tmp_path)}; set NOTICEBOARD_CACHE_DIR to a folder of its own, such as "
        "~/.cache/noticeboard, or use --no-cache")


def test_the_working_directory_as_the_cache_is_refused_before_anything_is_written(content, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", ".")
    before = sorted(path.name for path in tmp_path.iterdir())
    result = build()
    assert result.code == 2
    assert result.lines == [f"python build.py: error: the build cache {tmp_path} (NOTICEBOARD_CACHE_DIR=.) is the "
                            "working directory; set NOTICEBOARD_CACHE_DIR to a folder of its own, such as "
                            "~/.cache/noticeboard, or use --no-cache"]
    assert sorted(path.name for path in tmp_path.iterdir()) == before


# --- what an entry is verified against ------------------------------------------------------------

def rewrite(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def replace(path: Path, data: bytes) -> None:
    """As an editor saves: another file, renamed over it."""
    saved = path.with_name(path.name + ".saving")
    saved.write_bytes(data)
    os.replace(saved, path)


def remove(path: Path, data: bytes) -> None:
    path.unlink()


@pytest.mark.parametrize("change", [rewrite, replace, remove])
def test_a_document_changed_while_it_is_read_is_read_again_next_time(content, cache_dir, monkeypatch, change):
    """The facts a run kept are those of the bytes its entry names, not of the file before them."""
    content.write("contracts/acme-learning.md", CONTRACT_WITH_DOCUMENT)
    document = content.root / "contracts/files/acme.pdf"
    content.write("contracts/files/acme.pdf", make_pdf(None))  # a scan: no text, no tags, no title
    inspect_pdf = documents.inspect_pdf

    def inspected_then_changed(path):
        facts = inspect_pdf(path)
        change(document, pdf())  # the accessible original
        return facts

    monkeypatch.setattr(documents, "inspect_pdf", inspected_then_changed)
    during = check()
    assert any("acme.pdf" in line and ": note: " in line for line in during.lines), during.lines
    monkeypatch.setattr(documents, "inspect_pdf", inspect_pdf)
    after = check()
    uncached = check("--no-cache")
    assert (after.code, after.lines) == (uncached.code, uncached.lines)
    assert not any(": note: " in line for line in after.lines)
    again = check()
    assert (again.code, again.lines) == (uncached.code, uncached.lines)


def test_another_pikepdf_or_qpdf_reads_the_documents_again(content, cache_dir, reads, monkeypatch):
    content.write("contracts/acme-learning.md", CONTRACT_WITH_DOCUMENT)
    content.write("contracts/files/acme.pdf", PDF)
    assert build().code == 0
    monkeypatch.setattr(cache_module, "_pdf_reader", cache_module._pdf_reader.__wrapped__)  # not once per process
    reads.clear()
    assert build().code == 0
    assert reads == []
    monkeypatch.setattr(pikepdf, "__libqpdf_version__", "99.0.0")
    assert build().code == 0
    assert reads == ["acme-learning.md"]
    reads.clear()
    monkeypatch.setattr(pikepdf, "__version__", "99.0.0")
    assert build().code == 0
    assert reads == ["acme-learning.md"]


def test_temporary_files_left_by_a_killed_run_are_deleted(content, cache_dir, reads):
    assert build().code == 0
    entry = file_entries(cache_dir)[0]
    now = entry.stat().st_mtime_ns  # by the clock that stamps files
    left = entry.parent / f".{'a' * 64}.4242.tmp"
    left.write_bytes(b"half an entry")
    os.utime(left, ns=(now - 2 * 3600 * 10**9,) * 2)
    being_written = entry.parent / f".{'b' * 64}.4343.tmp"  # by another run, at this moment
    being_written.write_bytes(b"half an entry")
    other_stale = next(folder for folder in shard_folders(cache_dir) if folder != entry.parent
                       and not any(_output_record(path) for path in folder.iterdir())) / f".{'c' * 64}.1.tmp"
    other_stale.write_bytes(b"half an entry")
    os.utime(other_stale, ns=(now - 2 * 3600 * 10**9,) * 2)
    entry.unlink()  # the next build writes it again, into the same folder
    reads.clear()
    assert build().code == 0
    assert len(reads) == 1 and entry.exists()
    assert not left.exists()
    assert being_written.exists()
    assert other_stale.exists()  # a folder the build did not write into is not looked at
