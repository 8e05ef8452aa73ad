"""The documentation: docs/ builds with warnings as errors, and what it says of the code stays true.

Sphinx with MyST builds docs/ as `make docs` does; any warning fails the build: a link to a page
or to a section that does not exist, a page in no table of contents, a code block that cannot be
highlighted. The table of codes is the output of ``python -m noticeboard.codes``; the package
table of docs/developers/architecture.md has a line for every sub-package and top-level module.
"""
from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from conftest import REPO, soup
from noticeboard import codes
from noticeboard.codes import CODES, FAMILIES

DOCS = REPO / "docs"
PACKAGE = REPO / "noticeboard"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
                             str(DOCS), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def section(text: str, heading: str) -> str:
    """The Markdown under ``heading`` up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(f"\n{heading}\n")
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, start + len(heading) + 2)
    return text[start:end.start() if end else len(text)]


def test_every_page_is_built(site):
    pages = sorted(path.relative_to(DOCS).with_suffix(".html") for path in DOCS.rglob("*.md"))
    assert {"staff", "operators", "developers"} <= {page.parts[0] for page in pages}
    for page in pages:
        assert (site / page).is_file(), page
    home = soup(site / "index.html")
    links = {link["href"] for link in home.select("a[href]")}
    assert {"staff/index.html", "operators/index.html", "developers/index.html"} <= links


def test_the_codes_page_lists_every_code(site):
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")]
            for row in soup(site / "staff" / "codes.html").select("table tbody tr")]
    rows = [row for row in rows if row and re.fullmatch(r"NB\d{3}", row[0])]
    assert rows[0][:3] == ["NB001", "file-too-large", "error"]
    assert [row[0] for row in rows] == [code.code for code in CODES]


def test_the_codes_table_is_the_output_of_python_m_noticeboard_codes():
    text = (DOCS / "staff" / "codes.md").read_text(encoding="utf-8")
    assert codes.markdown_table() in text, \
        "docs/staff/codes.md's table differs from codes.py: replace it with the output of python -m noticeboard.codes"
    rows = [line for line in text.splitlines() if re.match(r"^\| NB\d{3} \|", line)]
    assert len(rows) == len(CODES)
    for row, code in zip(rows, CODES):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[:3] == [code.code, f"`{code.name}`", code.level] and cells[4], row
    for family in FAMILIES:
        assert f"NB{family}xx" in text


def test_what_check_reports_shows_the_code_and_links_the_table():
    text = (DOCS / "staff" / "checking.md").read_text(encoding="utf-8")
    assert "[NB104]" in text and "(codes.md)" in text


def test_the_pages_make_no_request_to_another_host(site):
    for page in site.rglob("*.html"):
        html = soup(page)
        addresses = [tag["src"] for tag in html.select("[src]")] + [tag["href"] for tag in html.select("link[href]")]
        addresses += [tag["data"] for tag in html.select("object[data]")]
        for address in addresses:
            parts = urlsplit(address)
            assert not parts.scheme and not parts.netloc, f"{page.relative_to(site)} loads {address}"
    for stylesheet in site.rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", stylesheet.read_text(encoding="utf-8")), \
            stylesheet


def test_the_package_table_names_every_sub_package_and_top_level_module():
    """Read from disk: a new module or sub-package without its line fails, and so does a line for a module
    that is gone."""
    text = section((DOCS / "developers" / "architecture.md").read_text(encoding="utf-8"), "## The package")
    rows = [line.strip("|").split(" | ") for line in text.splitlines() if line.startswith("| `")]
    described = {name for row in rows for name in re.findall(r"`([\w/.]+)`", row[0])}
    named = {name for row in rows for name in re.findall(r"`([\w/.]+)`", " ".join(row))}
    sub_packages = {f"{path.parent.name}/" for path in PACKAGE.glob("*/__init__.py")}
    modules = {path.name for path in PACKAGE.glob("*.py")}
    assert sub_packages and modules
    assert sorted((sub_packages | modules) - described) == [], "docs/developers/architecture.md, 'The package'"
    for package in sub_packages:  # and each module of a sub-package, on its package's line
        line = " ".join(next(row for row in rows if f"`{package}`" in row[0]))
        inside = {path.name for path in (PACKAGE / package).glob("*.py")} - {"__init__.py"}
        assert sorted(name for name in inside if f"`{name}`" not in line) == [], f"{package} in 'The package'"
    everything = {path.name for path in PACKAGE.rglob("*.py")}
    assert sorted(name for name in named if name.endswith(".py") and name not in everything) == []
    folders = {f"{path.name}/" for path in PACKAGE.iterdir() if path.is_dir()}
    assert sorted(name for name in described if name.endswith("/") and name not in folders) == []


def test_the_readme_is_short_starts_with_the_two_commands_and_links_into_docs():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 100
    first_block = re.search(r"```sh\n(.*?)```", text, re.S)[1]
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "build"], ["make", "test"]]
    targets = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", text)
    assert "docs/index.md" in targets
    for target in targets:
        assert (REPO / target).is_file(), target


def test_every_documentation_file_that_the_code_names_exists():
    """Messages and comments that send a reader into docs/ name a file that is there."""
    named = set()
    for path in [*PACKAGE.rglob("*.py"), *REPO.glob(".github/workflows/*.yml"), REPO / ".pre-commit-hooks.yaml",
                 *REPO.glob("content/**/*.yml"), *REPO.glob("content/**/*.md")]:
        named |= {(path, name) for name in re.findall(r"docs/[\w/-]+\.md", path.read_text(encoding="utf-8"))}
    assert named
    assert sorted((str(path.relative_to(REPO)), name) for path, name in named if not (REPO / name).is_file()) == []
