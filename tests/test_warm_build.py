"""A build that keeps the cache renders only the pages whose inputs changed, and its site is byte for byte the
site that a build without the cache makes: after every kind of change (a record, a translation, a setting, a
template, a catalog, the date, the code)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_CONTENT, TODAY, build, soup, text
from noticeboard.output import dependencies, render

pytestmark = pytest.mark.slow


@pytest.fixture
def example(tmp_path, monkeypatch) -> Path:
    """The example content in a folder of the test's, which is the working directory; built once into site/."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    first = build()
    assert first.code == 0, first.err
    return tmp_path / "content"


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def rendered(result) -> tuple[int, bool]:
    """How many pages the build rendered, and whether it made the search index again, as it said."""
    said = re.search(r"^Built (\d+) pages .*?\.(?: (\d+) rendered, (\d+) unchanged since the last build; "
                     r"search index (made again|unchanged)\.)?$", result.out, re.M)
    assert said, result.out
    if said[2] is None:
        return int(said[1]), True
    assert int(said[2]) + int(said[3]) == int(said[1])
    return int(said[2]), said[4] == "made again"


def warm_equals_cold(today: str = TODAY) -> tuple[int, bool]:
    """Build into site/ with the cache, and into cold/ without it: the same bytes. What the warm build rendered."""
    warm = build(today=today)
    assert warm.code == 0, warm.err
    cold = build("--no-cache", out="cold", today=today)
    assert cold.code == 0, cold.err
    made, cold_made = files(Path("site")), files(Path("cold"))
    assert made.keys() == cold_made.keys()
    differing = [path for path in made if made[path] != cold_made[path]]
    assert differing == []
    return rendered(warm)


def pages(folder: Path = Path("site")) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def test_nothing_changed_renders_nothing_and_keeps_the_search_index(example):
    before = files(Path("site"))
    inodes = {path: os.stat(Path("site", path)).st_ino for path in before if path.endswith(".html")}
    assert warm_equals_cold() == (0, False)
    assert files(Path("site")) == before
    assert all(os.stat(Path("site", path)).st_ino == inode for path, inode in inodes.items())  # linked, not copied


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_record_changed_renders_its_pages_and_lists_only(example):
    edit(example / "contracts" / "imagine-learning-amendment-2.md", "American Sign Language (ASL)",
         "American Sign Language (ASL, signed)")
    count, indexed = warm_equals_cold()
    assert 0 < count < pages() / 4
    assert indexed
    assert "ASL, signed" in text(soup(Path("site/contracts/imagine-learning-amendment-2/index.html")))


def test_a_record_that_moves_between_lists(example):
    edit(example / "contracts" / "imagine-learning-amendment-2.md", "schools: [State Street, Enlightenment]",
         "schools: [State Street, Wilby]")
    count, _ = warm_equals_cold()
    assert 0 < count < pages() / 4


def test_a_record_added_and_one_removed(example):
    shutil.copy(example / "contracts" / "imagine-learning.md", example / "contracts" / "imagine-learning-copy.md")
    for name in ("franklin-covey-amendment-1.md", "franklin-covey-amendment-1.es.md"):
        (example / "contracts" / name).unlink()
    warm_equals_cold()


def test_a_translation_changed(example):
    edit(example / "contracts" / "imagine-learning-amendment-2.es.md", "Enmienda 2", "Segunda enmienda")
    count, _ = warm_equals_cold()
    assert 0 < count < pages() / 4


def test_a_setting_changed(example):
    edit(example / "site.yml", "Waterbury Public Schools", "Waterbury Schools")
    count, _ = warm_equals_cold()
    assert count == pages() - pages(Path("site/es"))  # the English name: every English page, no Spanish one


def test_a_template_of_the_site_added_changed_and_removed(example):
    templates = example.parent / "templates"
    templates.mkdir()
    (templates / "notice.html").write_text('{% extends "builtin/notice.html" %}\n', encoding="utf-8")
    warm_equals_cold()
    (templates / "notice.html").write_text('{% extends "builtin/notice.html" %}\n{% block title %}Notice'
                                           '{% endblock %}\n', encoding="utf-8")
    count, _ = warm_equals_cold()
    assert count > 0
    shutil.rmtree(templates)
    warm_equals_cold()


def test_a_catalog_changed(example, monkeypatch):
    spanish = render.translations("es")
    changed = type(spanish).__new__(type(spanish))
    changed.__dict__.update(spanish.__dict__)
    changed._catalog = dict(spanish._catalog, **{"Student data": "Datos del estudiante (cambiado)"})
    real = render.translations
    monkeypatch.setattr(render, "translations", lambda lang: changed if lang == "es" else real(lang))
    count, _ = warm_equals_cold()
    assert count > 0
    assert any("(cambiado)" in data.decode("utf-8", "replace") for path, data in files(Path("site")).items()
               if path.startswith("es/"))


def test_the_next_day_renders_only_what_the_day_changes(example):
    """The daily build: no page carries the build date (printed pages take it from the stylesheet)."""
    count, _ = warm_equals_cold(today="2026-11-30")
    assert count < pages() / 10


def test_a_day_months_later(example):
    count, _ = warm_equals_cold(today="2027-07-01")
    assert count > 0


def test_a_new_version_of_the_code_renders_everything(example, monkeypatch):
    monkeypatch.setattr(dependencies, "code_version", lambda: "another version")
    count, indexed = warm_equals_cold()
    assert count == pages()


def test_a_page_changed_in_the_output_is_made_again(example):
    page = Path("site/contracts/imagine-learning/index.html")
    page.write_bytes(page.read_bytes().replace(b"Imagine Learning", b"Someone Else"))
    count, _ = warm_equals_cold()
    assert count >= 1
    assert b"Someone Else" not in page.read_bytes()


def test_a_failed_build_leaves_the_record_of_the_site_it_left(example):
    notice = example / "contracts" / "imagine-learning.md"
    good = notice.read_text(encoding="utf-8")
    notice.write_text(good.replace("vendor: Imagine Learning", "vendor: [broken"), encoding="utf-8")
    assert build().code != 0
    notice.write_text(good, encoding="utf-8")
    assert warm_equals_cold() == (0, False)


def test_an_output_restored_from_an_archive_is_used(example):
    """CI's cache restores the last site as new files (new inodes and times): a page with the same bytes is
    still the page the last build made."""
    shutil.copytree("site", "restored")
    shutil.rmtree("site")
    os.rename("restored", "site")
    for path in Path("site").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(0, 10**18))
    assert warm_equals_cold() == (0, False)
