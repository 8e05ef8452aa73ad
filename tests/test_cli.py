"""The command line: exit statuses, the default command, the build date, and what the
build may and may not touch on disk."""
from __future__ import annotations

import calendar
import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import pdf, REPO, TODAY, run
from noticeboard.output.write import MARKER, MARKER_TEXT


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: relative path → hash of its bytes ('dir' for folders)."""
    result = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        result[relative] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def epoch(day: date) -> str:
    return str(calendar.timegm(day.timetuple()) + 12 * 3600)  # noon UTC of ``day``


def assert_usage_error(result, *words: str) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert result.err.strip(), "a usage error must say what is wrong"
    for word in words:
        assert word in result.err, result.err


# --- usage errors: exit 2 --------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["frobnicate"], ["frobnicate"]),
    (["build", "--today", "2025-13-01"], ["2025-13-01"]),
    (["check", "--today", "2025-13-01"], ["2025-13-01"]),
    (["check", "--today", "1/21/2025"], ["1/21/2025"]),
    (["build", "--frobnicate"], ["--frobnicate"]),
    (["check", "--out", "site"], ["--out"]),       # check writes nothing: it has no --out
    (["build", "--strict"], ["--strict"]),
    (["build", "--content", "no-such-dir"], ["no-such-dir"]),
    (["check", "--content", "no-such-dir"], ["no-such-dir"]),
    (["build", "--base-url", "notices.example.org"], ["notices.example.org"]),
    (["new", "contract"], []),
    (["new", "memo", "x"], ["memo"]),
])
def test_usage_errors_exit_2(content, args, words):
    result = run(*args)
    assert_usage_error(result, *words)
    assert not (content.root.parent / "site").exists()


def test_content_that_is_a_file_is_a_usage_error(content):
    result = run("check", "--content", "content/site.yml")
    assert_usage_error(result, "content/site.yml")


def test_bad_source_date_epoch_is_a_usage_error(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert_usage_error(run("check"), "SOURCE_DATE_EPOCH")


# --- the default command and the build date --------------------------------------------

def test_no_subcommand_builds(content):
    result = run()
    assert result.code == 0, result.err
    site = content.root.parent / "site"
    assert (site / "index.html").is_file()
    assert (site / "contracts/acme-learning/index.html").is_file()


def test_options_without_subcommand_build(content):
    result = run("--today", TODAY, "--out", "public")
    assert result.code == 0, result.err
    assert (content.root.parent / "public/contracts/acme-learning/index.html").is_file()
    assert not (content.root.parent / "site").exists()


def test_content_option_elsewhere(content, tmp_path, monkeypatch):
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    content.contract("beta", "vendor: Beta\ncontract_date: 2025-02-30\nstudent_data: []\n")
    result = run("check", "--content", "../content", "--today", TODAY)
    assert result.code == 1
    # PATH is relative to the working directory
    assert any(line.startswith("../content/contracts/beta.md:3: error: contract_date: ") for line in result.lines), \
        result.err


@pytest.mark.parametrize("command", ["check", "build"])
def test_source_date_epoch_sets_today(content, monkeypatch, command):
    content.contract("beta", """\
        vendor: Beta Reading
        contract_date: 2025-06-02
        posted: 2025-06-03
        student_data: []
        """)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2025, 6, 1)))
    result = run(command)
    assert result.code == 1, result.err
    assert any(line.startswith("content/contracts/beta.md:3: error: contract_date: ") and "future" in line
               and "2025-06-01" in line for line in result.lines), result.err

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2025, 6, 2)))
    result = run(command)
    assert result.code == 0, result.err


def test_today_option_wins_over_source_date_epoch(content, monkeypatch):
    content.contract("beta", "vendor: Beta\ncontract_date: 2025-06-02\nposted: 2025-06-03\nstudent_data: []\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2025, 6, 1)))
    assert run("check", "--today", "2025-07-01").code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2026, 1, 1)))
    assert run("check", "--today", "2025-06-01").code == 1


def test_build_py_runs_end_to_end(content):
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    cwd = content.root.parent

    def python_build_py(*args):
        return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=60)

    built = python_build_py("--today", TODAY)
    assert built.returncode == 0, built.stderr
    assert (cwd / "site" / "contracts" / "acme-learning" / "index.html").is_file()

    content.contract("beta", "vendor: Beta\ncontract_date: 1/21/2025\nstudent_data: []\n")
    checked = python_build_py("check", "--today", TODAY)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert "content/contracts/beta.md:3: error: contract_date: found '1/21/2025'" in checked.stderr

    usage = python_build_py("check", "--today", "2025-13-01")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


# --- the output directory -------------------------------------------------------------

def _refused(content, out: str) -> None:
    cwd = content.root.parent
    before = snapshot(cwd)
    result = run("build", "--today", TODAY, "--out", out)
    assert_usage_error(result, "--out")
    assert snapshot(cwd) == before


@pytest.mark.parametrize("out", ["content", ".", "content/pages", "content/contracts/files",
                                 "content/site.yml", "content/contracts/acme-learning.md"])
def test_out_inside_or_around_content_is_refused(content, out):
    content.write("pages/guide.md", "---\ntitle: Guide\n---\nText.\n")
    content.write("contracts/files/acme.pdf", pdf())
    _refused(content, out)


def test_out_parent_of_content_is_refused(content, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = snapshot(tmp_path)
    result = run("build", "--content", "../content", "--out", "..", "--today", TODAY)
    assert_usage_error(result, "--out")
    assert snapshot(tmp_path) == before


def test_out_that_is_a_folder_not_made_by_the_build_is_refused(content):
    other = content.root.parent / "documents"
    other.mkdir()
    (other / "budget.xlsx").write_bytes(b"numbers")
    (other / "sub").mkdir()
    (other / "sub" / "letter.txt").write_text("Dear parents")
    _refused(content, "documents")


def test_out_that_is_a_file_is_refused(content):
    (content.root.parent / "site").write_text("not a folder")
    _refused(content, "site")


@pytest.mark.parametrize("with_marker", [False, True])
def test_out_home_is_refused(content, tmp_path, monkeypatch, with_marker):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("export PATH\n")
    if with_marker:  # even a home folder that looks like an earlier output
        (home / MARKER).write_text("x")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(home)
    result = run("build", "--today", TODAY, "--out", str(home))
    assert_usage_error(result, "--out")
    assert snapshot(home) == before


def test_empty_folder_and_earlier_output_are_accepted(content):
    site = content.root.parent / "site"
    site.mkdir()
    assert run("build", "--today", TODAY).code == 0
    assert (site / MARKER).is_file()
    (site / "stale.html").write_text("left over")
    content.remove("contracts/acme-learning.md")
    content.contract("beta", "vendor: Beta\ncontract_date: 2025-06-02\nposted: 2025-06-03\nstudent_data: []\n")
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert not (site / "stale.html").exists()
    assert not (site / "contracts/acme-learning").exists()
    assert (site / "contracts/beta/index.html").is_file()
    # no staging or retired copies are left beside it
    assert sorted(p.name for p in content.root.parent.iterdir()) == ["content", "site"]


def test_failed_build_leaves_the_previous_site_as_it_was(content):
    assert run("build", "--today", TODAY).code == 0
    site = content.root.parent / "site"
    before = snapshot(site)
    assert "contracts/acme-learning/index.html" in before

    content.contract("beta", "vendor: Beta\ncontract_date: 2025-02-30\nstudent_data: []\n")
    content.write("contracts/acme-learning.md",
                  (content.root / "contracts/acme-learning.md").read_text().replace("Reading practice", "Math"))
    result = run("build", "--today", TODAY)
    assert result.code == 1
    assert any(line.startswith("content/contracts/beta.md:3: error: contract_date: ") for line in result.lines)
    assert snapshot(site) == before
    assert sorted(p.name for p in content.root.parent.iterdir()) == ["content", "site"]


def test_nothing_is_written_under_content(content):
    content.write("contracts/files/acme.pdf", pdf())
    content.write("pages/guide.md", "---\ntitle: Guide\n---\nText.\n")
    content.write("pages/guide.es.md", "---\ntitle: Guía\n---\nTexto.\n")
    content.write("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\n---\nText.\n')
    before = snapshot(content.root)
    assert run("check", "--today", TODAY).code == 0
    assert run("build", "--today", TODAY).code == 0
    assert run("check", "--today", TODAY, "--strict").code in (0, 1)
    content_broken = content.root / "contracts" / "acme-learning.md"
    assert snapshot(content.root) == before
    # a failing run leaves it alone too
    text = content_broken.read_bytes()
    content_broken.write_bytes(text.replace(b"2025-01-21", b"2025-01-32"))
    before = snapshot(content.root)
    assert run("build", "--today", TODAY).code == 1
    assert run("check", "--today", TODAY).code == 1
    assert snapshot(content.root) == before


# --- new -------------------------------------------------------------------------------

needs_scaffold = pytest.mark.skipif(not (REPO / "noticeboard" / "scaffold.py").exists(),
                                    reason="noticeboard/tools/new.py does not exist")


@needs_scaffold
def test_new_contract_is_a_draft_that_check_accepts(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2026, 11, 20)))
    result = run("new", "contract", "zeta-learning", "--vendor", "Zeta Learning")
    assert result.code == 0, result.err
    created = content.root / "contracts" / "zeta-learning.md"
    assert created.is_file()
    assert "Zeta Learning" in created.read_text(encoding="utf-8")
    # the first line of the front matter tells editors its schema (tests/test_json_schema.py); check ignores it
    assert created.read_text(encoding="utf-8").splitlines()[:2] == [
        "---", "# yaml-language-server: $schema=../../schemas/contract.schema.json"]

    checked = run("check")
    assert checked.code == 0, checked.err
    assert not [line for line in checked.lines if ": error: " in line], checked.err
    drafts = [line for line in checked.lines
              if line.startswith("content/contracts/zeta-learning.md:") and ": warning: draft: " in line]
    assert drafts and "not published" in drafts[0]
    assert "1 draft" in checked.err

    built = run("build")
    assert built.code == 0, built.err
    assert not (content.root.parent / "site/contracts/zeta-learning").exists()


@needs_scaffold
def test_new_contract_never_overwrites(content):
    existing = content.root / "contracts" / "acme-learning.md"
    before = existing.read_bytes()
    result = run("new", "contract", "acme-learning", "--vendor", "Someone Else")
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert "acme-learning" in result.err
    assert existing.read_bytes() == before


@needs_scaffold
@pytest.mark.parametrize("name", ["Bad_Name", "../escape", "a--b"])
def test_new_contract_refuses_a_name_that_is_not_a_slug(content, name):
    before = snapshot(content.root.parent)
    result = run("new", "contract", name)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert snapshot(content.root.parent) == before


@needs_scaffold
def test_new_policy_is_a_draft_that_check_accepts(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2026, 11, 20)))
    result = run("new", "policy", "5125", "--title", "Student Records")
    assert result.code == 0, result.err
    assert (content.root / "policies" / "5125.md").read_text(encoding="utf-8").splitlines()[:2] == [
        "---", "# yaml-language-server: $schema=../../schemas/policy.schema.json"]
    checked = run("check", "--strict")
    assert not [line for line in checked.lines if ": error: " in line], checked.err


def test_mistyped_command_is_a_usage_error_with_a_hint(content):
    result = run("chek")
    assert result.code == 2
    assert "did you mean 'check'" in result.err
    assert not (content.root.parent / "site").exists()


def test_a_build_killed_half_way_is_cleaned_up_by_the_next_one(content):
    import time as clock

    leftover = content.root.parent / ".site.new-abc123"
    (leftover / "contracts").mkdir(parents=True)
    (leftover / "contracts" / "index.html").write_text("half", encoding="utf-8")
    (leftover / MARKER).write_bytes(MARKER_TEXT)  # a build writes its marker first
    recent = content.root.parent / ".site.new-def456"
    recent.mkdir()
    (recent / MARKER).write_bytes(MARKER_TEXT)
    old = clock.time() - 2 * 3600
    os.utime(leftover, (old, old))
    assert run("build", "--today", "2026-11-29").code == 0
    assert not leftover.exists(), "a staging folder hours old is a killed build's: removed"
    assert recent.exists(), "a fresh one may belong to a build still running: kept"
    assert sorted(p.name for p in content.root.parent.iterdir()) == [".site.new-def456", "content", "site"]


@pytest.mark.parametrize("today", ["20250121", "2025-1-21", "2025-01-21T00:00", "2025-02-30"])
def test_today_is_written_like_content_dates(content, today):
    result = run("check", "--today", today)
    assert result.code == 2
    assert f"'{today}' is not a date; write YYYY-MM-DD" in result.err
