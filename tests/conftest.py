"""Shared fixtures and helpers: a minimal valid content tree, the CLI run in-process, a build of it, a page
parsed and its words, the example site."""
from __future__ import annotations

import functools
import importlib.util
import io
import os
import re
import shutil
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from noticeboard.cli import main
from noticeboard.codes import ERROR, WARNING, Code
from noticeboard.diagnostics import Report
from noticeboard.load.settings import SHIPPED_ELEMENTS
from noticeboard.pipeline import build as build_content, check as check_content
from noticeboard.reporter import ExitCode

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CONTENT = REPO / "content"
TODAY = "2026-11-29"

SITE_YML = """\
title: Student Data Privacy Notices
district: Test District
base_url: https://notices.district.test/
contact:
  email: privacy@district.test
languages: [en, es]
"""

DATA_ELEMENTS_YML = """\
student_name:
  label: Student name
  category: Student Name
  description: The student's first and/or last name.
date_of_birth:
  label: Date of birth
  category: Demographics
  description: The student's date of birth.
grade_level:
  label: Grade level
  category: Enrollment
  description: The student's grade.
"""

SENSITIVE_ELEMENTS_YML = """\
disability:
  label: Disability information
  category: Special Indicator
  description: Whether the student has a disability.
  sensitive: true
social_security_number:
  label: Social Security number
  category: Other
  description: The student's Social Security number.
  sensitive: true
"""

SERIES_YML = """\
- {key: "5000", title: Students}
- {key: "6000", title: Instruction}
"""

CONTRACT_MD = """\
---
vendor: Acme Learning
contract_date: 2025-01-21
posted: 2025-01-24
student_data: [student_name, grade_level]
documents:
  - title: Vendor privacy policy
    url: https://www.example.com/privacy
  - {title: Signed contract, url: "https://www.example.com/acme-contract.pdf", type: contract}
---
Reading practice for grades 3-5.
"""


def _example_pdfs():
    """scripts/make_example_pdfs.py, the generator of the example documents, imported by its path."""
    spec = importlib.util.spec_from_file_location("make_example_pdfs", REPO / "scripts" / "make_example_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example_pdfs = _example_pdfs()
make_pdf = example_pdfs.make_pdf


def pdf(text: str = "A signed contract.", **options) -> bytes:
    """A small accessible PDF (text, tags, a title, a language) showing ``text``: no finding of ``check``."""
    return make_pdf([text], **{"title": "A signed contract", "lang": "en-US", **options})


def front_matter(path: Path) -> tuple[dict, str]:
    """A record's fields and body, read independently of the code under test."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head) or {}, body


def date_text(value) -> str | None:
    """A front-matter date as the site writes it: ``2025-01-21``, a month ``2022-04``, or None."""
    return None if value is None else value if isinstance(value, str) else value.isoformat()


def first_day(value) -> date | None:
    """The day a front-matter date or month (``2022-04``) counts as when notices are ordered."""
    text = date_text(value)
    return None if text is None else date.fromisoformat(text if len(text) == 10 else text + "-01")


def newest_first_key(notice: dict) -> tuple:
    """The documented order of notices: newest signing date first, undated last, then title, slug."""
    day = first_day(notice.get("contract_date"))
    return (day is None, -day.toordinal() if day else 0, notice["title"].casefold(), notice["title"], notice["slug"])


def english(value):
    """A text of the content in English: plain, or the ``en`` entry of a mapping by language."""
    return value["en"] if isinstance(value, dict) else value


def vocabulary(content: Path) -> dict[str, dict]:
    """data-elements.yml with every text in English: the content's own, or else the shipped one."""
    path = content / "data-elements.yml"
    elements = yaml.safe_load((path if path.exists() else SHIPPED_ELEMENTS).read_text(encoding="utf-8"))
    return {key: {name: english(field) for name, field in value.items()} for key, value in elements.items()}


def element_labels(content: Path) -> dict[str, str]:
    return {key: value["label"] for key, value in vocabulary(content).items()}


def main_records(folder: Path) -> list[Path]:
    """The records of ``folder`` without their translations (``kami.es.md``, ``5125.es.md``)."""
    return sorted(path for path in folder.glob("*.md") if not re.search(r"\.[a-z]{2,3}$", path.stem))


def published(content: Path) -> dict[str, dict]:
    """slug → fields (and ``body``) of every contract record that is not a draft."""
    found = {}
    for path in main_records(content / "contracts"):
        fields, body = front_matter(path)
        if not fields.get("draft"):
            found[path.stem] = dict(fields, body=body)
    return found


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line]


Found = tuple  # (path, line, field, code): a diagnostic, without its wording


@dataclass
class Diagnosed:
    """What a run reported, read from its ``Report`` rather than from its output: each
    diagnostic as ``(path, line, field, code)``, sorted as staff see them."""

    report: Report

    def _found(self, level: str | None = None) -> list[Found]:
        return [(d.path, d.line, d.field, d.code) for d in self.report.sorted() if level in (None, d.level)]

    @property
    def all(self) -> list[Found]:
        return self._found()

    @property
    def errors(self) -> list[Found]:
        return self._found(ERROR)

    @property
    def warnings(self) -> list[Found]:
        return self._found(WARNING)

    def codes(self, level: str | None = None) -> list[Code]:
        return [found[3] for found in self._found(level)]

    def message(self, path: str, line: int, field: str, code: Code) -> str:
        """The wording of the one diagnostic at this place, for the tests where the wording is the point."""
        messages = [d.message for d in self.report.sorted()
                    if (d.path, d.line, d.field, d.code) == (path, line, field, code)]
        assert messages, f"no {(path, line, field, code)} among:\n" + "\n".join(self.report.lines())
        return messages[0]

    def __str__(self) -> str:
        return "\n".join(self.report.lines())


def diagnose(command: str = "check", content: str | Path = "content", today: str = TODAY,
             out: str | Path = "site") -> Diagnosed:
    """Run ``check`` (validation and the compliance report) or ``build`` into ``out`` in-process, as the
    commands do, and return what the run reported."""
    day = date.fromisoformat(today)
    if command == "check":
        return Diagnosed(check_content(Path(content), day).report)
    assert command == "build", command
    return Diagnosed(build_content(Path(content), Path(out), day).report)


class ContentTree:
    """A content directory under ``tmp_path`` that a test can change file by file."""

    def __init__(self, root: Path):
        self.root = root
        self.write("site.yml", SITE_YML)
        self.write("data-elements.yml", DATA_ELEMENTS_YML)
        self.write("policies/series.yml", SERIES_YML)
        self.write("contracts/acme-learning.md", CONTRACT_MD)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def contract(self, slug: str, front_matter: str, body: str = "A description.") -> Path:
        return self.write(f"contracts/{slug}.md", "---\n" + textwrap.dedent(front_matter) + "---\n" + body + "\n")

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()


# A test must not depend on the real date: it passes --today (or SOURCE_DATE_EPOCH). `make test-future` (in CI
# too) runs the whole suite with the clock a year ahead, the commands that tests start as processes included:
# that is the guard. A fixture that failed a test whose command reads the clock could not be a reliable one:
# date.today and datetime.now belong to C types and cannot be replaced; a subclass of date put in the package's
# modules in their place would be the class of the dates they make (--today, date arithmetic) but not of those
# that pydantic makes, which isinstance and pickle tell apart; Python 3.11 has no sys.monitoring, and
# sys.setprofile slows every call; replacing cli.default_today would miss the processes (serve, build.py, the
# installed command) and the preview's own default, and `announce` reads the real day on purpose even with
# --today (the content is checked as on the later of the two: pipeline.announce).
#
# `make test-future` runs the suite under Debian's faketime (LD_PRELOAD=…/libfaketime.so.1), with the clock a
# year ahead. libfaketime 0.9.10 calls getenv() in its pthread_cond_timedwait, which every Python thread calls
# while it waits for the GIL; glibc's setenv() is not thread-safe, so a test that sets an environment variable
# while such a thread runs can crash the whole run (a segmentation fault). The SMTP server of
# tests/test_announce.py runs in a thread while its tests set NOTICEBOARD_SMTP_*; what those tests check (the
# sending) does not depend on the date, and announce's dates are checked without a server, so that run
# leaves them out.
#
# The tests below time processes and threads, or tell a fresh folder from one hours old; none depends on the
# calendar. Under faketime with Python's monotonic clock kept (--exclude-monotonic, which every timed wait of a
# thread needs), libfaketime 0.9.10 makes time.sleep() fail with EINVAL (tests/faketime/sitecustomize.py
# mends it, but timings differ), and the kernel still stamps files with the real time, a year behind
# time.time().
UNDER_FAKETIME = "libfaketime" in os.environ.get("LD_PRELOAD", "")
TIMING_TESTS = tuple(f"test_serve.py::test_{name}" for name in (
    "preview_rebuilds_on_change_and_survives_errors", "sigterm_stops_the_preview_which_leaves_nothing_behind",
    "a_foreign_host_header_is_refused", "the_reload_socket_opens_only_for_the_previews_own_pages", "an_error_shows_on_every_page_over_the_last_good_preview_until_it_is_fixed",
    "open_pages_reload_after_a_rebuild_and_a_page_of_an_older_build_at_once",
    "an_unknown_address_gets_the_sites_404_page_in_its_language", "before_any_good_build_a_page_says_so_under_the_errors",
    "the_operating_system_tells_of_saves_but_not_of_reads", "a_burst_of_saves_in_the_preview_rebuilds_it_once",
)) + tuple(f"test_output.py::test_{name}" for name in (
    "a_real_sigint_while_writing_is_exit_130", "builds_at_once_into_one_folder_all_succeed",
    "a_build_waits_for_the_build_that_is_writing", "a_build_gives_up_waiting_after_the_timeout",
)) + ("test_cli.py::test_a_build_killed_half_way_is_cleaned_up_by_the_next_one",)


def pytest_collection_modifyitems(config, items):
    if not UNDER_FAKETIME:
        return
    smtp = pytest.mark.skip(reason="under faketime (make test-future): libfaketime's getenv() races the "
                                   "environment changes of the tests of the SMTP server thread and crashes")
    timing = pytest.mark.skip(reason="under faketime (make test-future): times processes, threads or file "
                                     "ages, not the calendar; libfaketime's sleep fails and file times lag")
    for item in items:
        if "smtp_server" in getattr(item, "fixturenames", ()):
            item.add_marker(smtp)
        elif item.nodeid.removeprefix("tests/").startswith(TIMING_TESTS):
            item.add_marker(timing)


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory):
    """The build cache of every command that the tests run, in-process or not: a folder of the session's,
    never the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("build-cache")
    before = os.environ.get("NOTICEBOARD_CACHE_DIR")
    os.environ["NOTICEBOARD_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("NOTICEBOARD_CACHE_DIR", None)
    else:
        os.environ["NOTICEBOARD_CACHE_DIR"] = before


@pytest.fixture
def content(tmp_path, monkeypatch) -> ContentTree:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return ContentTree(tmp_path / "content")


def run(*args: str) -> Result:
    """Run ``python build.py ARGS`` in-process, as the terminal shows it (``ConsoleReporter``); paths are
    relative to the current directory. Whatever the command, its exit status is one of ``ExitCode``'s."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    assert type(code) is ExitCode, f"{args}: exit status {code!r}, not an ExitCode"
    return Result(code, out.getvalue(), err.getvalue())


def build(*options: str, out: str | Path = "site", today: str = TODAY) -> Result:
    """``build`` of ./content into ``out``, in-process, whatever it reports."""
    return run("build", "--out", str(out), "--today", today, *options)


def build_site(*options: str, out: str | Path = "site", today: str = TODAY) -> Path:
    """The folder that ``build`` of ./content wrote; the test fails if the build does."""
    result = build(*options, out=out, today=today)
    assert result.code == 0, result.err
    return Path(out)


PRINT_DATE_RULES = re.compile(rb"/\* the build date, at the top of a printed page \*/\n@media print \{\n((?:  [^\n]*\n)*)\}\n")


def print_dates(stylesheet: bytes) -> dict[str, str]:
    """The build date that a printed page carries, by language, from the rules that the build adds to the stylesheet."""
    rules = PRINT_DATE_RULES.search(stylesheet)
    assert rules, "the stylesheet does not give the build date of printed pages"
    return {lang: text for lang, text in re.findall(r'\.print-built:lang\(([a-z-]+)\)::after \{ content: "([^"]*)"; \}',
                                                      rules[1].decode("utf-8"))}


def without_print_dates(stylesheet: bytes) -> bytes:
    """The stylesheet without the rules of the build date of printed pages."""
    return PRINT_DATE_RULES.sub(b"", stylesheet)


def soup(path: Path) -> BeautifulSoup:
    """A page that the site wrote, parsed as a browser parses it. A file not changed since it was last parsed
    is not parsed again (html5lib takes a hundredth of a second a page, and the example site's pages are read
    by many tests): the tree is shared, so a test reads it and never changes it."""
    stat = os.stat(path)
    return _parsed(os.path.realpath(path), (stat.st_ino, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=1024)
def _parsed(path: str, version: tuple) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html5lib")


def text(tag) -> str:
    """The words of ``tag`` as a reader sees them, one space apart whatever the markup between them."""
    return " ".join(tag.get_text(" ").split())


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example content of the repository, built once for the whole session."""
    work = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE_CONTENT, work / "content")
    out = work / "site"
    result = run("build", "--content", str(work / "content"), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    return out
