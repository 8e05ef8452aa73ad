"""Golden pages: the main content of one page of each type, as committed in ``tests/golden/``.

The other tests check properties (every link works, every notice is listed, one ``h1``…);
these show what a page actually says. Each golden file is the ``<main>`` element of a
page of the example site (built with ``--today 2026-11-29``), pretty-printed with one tag
or text per line, so that a change reads as a short diff.

A change of a page that is meant: update the goldens, then review and commit the diff:

    NOTICEBOARD_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
    git diff tests/golden/
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("NOTICEBOARD_UPDATE_GOLDEN") == "1"

# golden name → the page of the example site
PAGES = {
    "home": "index.html",
    "notices": "contracts/index.html",
    "notice": "contracts/quill-amendment-1/index.html",  # an amendment, with data, its change and notes
    "notice-incomplete": "contracts/legends-of-learning/index.html",  # a month for a date
    "vendors": "vendors/index.html",
    "vendor": "vendors/quill-org-empirical-resolution/index.html",
    "data": "data/index.html",
    "data-element": "data/student_name/index.html",
    "schools": "schools/index.html",
    "school": "schools/state-street/index.html",
    "guide": "guide/index.html",
    "policies": "policies/index.html",
    "policy": "policies/5125/index.html",
    "search": "search/index.html",
    "404": "404.html",
    "breaches": "breaches/index.html",
    "breach": "breaches/example-breach/index.html",
    "es-notice": "es/contracts/quill-amendment-1/index.html",
}


def main_content(page: Path) -> str:
    """The ``<main>`` element of ``page``, one tag or text per line, indented by depth."""
    main = BeautifulSoup(page.read_bytes(), "html5lib").find("main")
    assert main is not None, f"{page}: no <main>"
    return main.prettify()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_main_content_is_the_golden_copy(example_site, name):
    golden = GOLDEN / f"{name}.html"
    built = main_content(example_site / PAGES[name])
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(built, encoding="utf-8")
        pytest.skip(f"updated {golden.relative_to(GOLDEN.parent.parent)}")
    if not golden.is_file():
        pytest.fail(f"no golden copy {golden.name} of {PAGES[name]}: make it with "
                    "NOTICEBOARD_UPDATE_GOLDEN=1 pytest tests/test_golden.py", pytrace=False)
    expected = golden.read_text(encoding="utf-8")
    if built != expected:
        diff = difflib.unified_diff(expected.splitlines(), built.splitlines(), f"tests/golden/{name}.html",
                                    f"built {PAGES[name]}", lineterm="")
        pytest.fail(f"{PAGES[name]} differs from its golden copy:\n" + "\n".join(diff) +
                    "\n\nIf the change is meant: NOTICEBOARD_UPDATE_GOLDEN=1 pytest tests/test_golden.py, "
                    "then review `git diff tests/golden/`.", pytrace=False)


def test_every_golden_copy_belongs_to_a_page():
    """A golden file whose page was removed from ``PAGES`` would be checked by nothing."""
    assert sorted(path.stem for path in GOLDEN.glob("*.html")) == sorted(PAGES)
