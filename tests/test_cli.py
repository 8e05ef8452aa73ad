"""The command line: exit statuses, the default command, the build date, and what the
build may and may not touch on disk."""
from __future__ import annotations

import ast
import calendar
import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import pdf, REPO, TODAY, run
from noticeboard import codes
from noticeboard.cli import main
from noticeboard.output.write import MARKER, MARKER_TEXT
from noticeboard.reporter import (DIAGNOSTIC, ERROR, NOTE, OUTPUT, RESULT, SUMMARY, USAGE, BufferReporter,
                                  ConsoleReporter, ExitCode)


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

def test_no_subcommand_builds(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date.fromisoformat(TODAY)))  # the build date, without --today
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


@pytest.mark.slow
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


def test_new_contract_never_overwrites(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date.fromisoformat(TODAY)))
    existing = content.root / "contracts" / "acme-learning.md"
    before = existing.read_bytes()
    result = run("new", "contract", "acme-learning", "--vendor", "Someone Else")
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert "acme-learning" in result.err
    assert existing.read_bytes() == before


@pytest.mark.parametrize("name", ["Bad_Name", "../escape", "a--b"])
def test_new_contract_refuses_a_name_that_is_not_a_slug(content, name, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date.fromisoformat(TODAY)))
    before = snapshot(content.root.parent)
    result = run("new", "contract", name)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert snapshot(content.root.parent) == before


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


# --- one reporter, one table of exit codes ----------------------------------------------

def reported(*args: str) -> tuple[ExitCode, BufferReporter]:
    """Run ``python build.py ARGS`` in-process with a reporter that keeps what the run said."""
    reporter = BufferReporter()
    return main(list(args), reporter), reporter


def kinds(reporter: BufferReporter) -> list[str]:
    return [event.kind for event in reporter.events]


def test_a_build_tells_its_result_to_the_reporter_and_prints_nothing(content, capsys):
    code, reporter = reported("build", "--today", TODAY)
    assert code is ExitCode.OK
    assert kinds(reporter) == [RESULT]
    assert re.fullmatch(r"Built \d+ pages into site/ \(1 notice \(1 complete, .*: 0 errors, 0 warnings\)\.",
                        reporter.texts(RESULT)[0]), reporter.events
    assert capsys.readouterr() == ("", "")


def test_a_content_error_is_a_diagnostic_event_with_its_code(content):
    content.contract("beta", "vendor: Beta\ncontract_date: 2025-13-01\nstudent_data: []\n")
    code, reporter = reported("build", "--today", TODAY)
    assert code is ExitCode.CONTENT
    errors = [event.diagnostic for event in reporter.events if event.kind == DIAGNOSTIC and ": error: " in event.text]
    assert [(d.path, d.line, d.field, d.code) for d in errors] == [
        ("content/contracts/beta.md", 3, "contract_date", codes.INVALID_DATE)]
    assert kinds(reporter)[-1] == SUMMARY and reporter.texts(SUMMARY)[-1].startswith("Build failed: ")
    assert RESULT not in kinds(reporter)


def test_check_lists_every_diagnostic_then_its_summary(content):
    content.contract("beta", "vendor: Beta\ncontract_dat: 2025-01-21\nstudent_data: []\n")
    code, reporter = reported("check", "--today", TODAY)
    assert code is ExitCode.CONTENT
    assert codes.UNKNOWN_FIELD in [event.diagnostic.code for event in reporter.events if event.kind == DIAGNOSTIC]
    assert set(kinds(reporter)) == {DIAGNOSTIC, SUMMARY}
    assert kinds(reporter).index(SUMMARY) > max(i for i, kind in enumerate(kinds(reporter)) if kind == DIAGNOSTIC)


def test_an_unknown_command_is_an_error_event(content):
    code, reporter = reported("chek")
    assert code is ExitCode.USAGE
    assert reporter.texts() == ["python build.py: error: unknown command 'chek'; did you mean 'check'?; "
                                "the commands are init, import, build, check, serve, new, announce, schema"]
    assert kinds(reporter) == [ERROR]


def test_argparse_says_its_usage_and_help_through_the_reporter(content, capsys):
    code, reporter = reported("check", "--today", "1/21/2025")
    assert code is ExitCode.USAGE
    assert kinds(reporter) == [USAGE, ERROR]
    assert reporter.texts(USAGE)[0].startswith("usage: python build.py check ")
    assert reporter.texts(ERROR) == [
        "python build.py check: error: argument --today: '1/21/2025' is not a date; write YYYY-MM-DD"]

    code, reporter = reported("--help")
    assert code is ExitCode.OK
    assert kinds(reporter) == [RESULT]
    usage = " ".join(reporter.texts()[0].split())  # argparse wraps the usage line where it is long
    assert usage.startswith("usage: python build.py [-h] {init,import,build,check,serve,new,announce,schema}")
    assert capsys.readouterr() == ("", "")


def test_new_reports_what_it_created_or_why_it_refused(content):
    code, reporter = reported("new", "contract", "zeta-learning", "--today", TODAY)
    assert code is ExitCode.OK
    assert kinds(reporter) == [RESULT, RESULT]
    assert reporter.texts()[0] == ("Created content/contracts/zeta-learning.md (a draft). Fill it in, remove "
                                   "'draft: true', then run: python build.py check")
    assert reporter.texts()[1].endswith("run python build.py schema --out schemas")

    code, reporter = reported("new", "contract", "zeta-learning", "--today", TODAY)
    assert code is ExitCode.USAGE
    assert reporter.texts(ERROR) == [
        "python build.py new: error: content/contracts/zeta-learning.md already exists; edit it instead"]


def test_announce_gives_its_message_as_output_with_its_line_ends(content):
    code, reporter = reported("announce", "--since", "2025-01-01", "--today", TODAY)
    assert code is ExitCode.OK
    assert kinds(reporter) == [OUTPUT]
    message = reporter.texts(OUTPUT)[0]
    assert message.startswith("From: ") and "\r\nSubject: Test District: 1 new student-data notice" in message


def test_a_cache_that_cannot_be_written_says_so_through_the_reporter(content, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NOTICEBOARD_CACHE_DIR", str(blocked))
    code, reporter = reported("check", "--today", TODAY)
    assert code is ExitCode.OK
    assert [text.startswith("python build.py: note: the build cache cannot be written") for text in
            reporter.texts(NOTE)] == [True]


def test_the_console_writes_results_to_standard_output_and_the_rest_to_standard_error(content, capsys):
    content.contract("beta", "vendor: Beta\ncontract_date: 2025-13-01\nstudent_data: []\n")
    _, buffered = reported("check", "--today", TODAY)
    diagnostic = next(event.diagnostic for event in buffered.events if event.kind == DIAGNOSTIC)
    console = ConsoleReporter(annotate=True)
    console.result("made")
    console.output(b"bytes\r\n")
    console.summary("counted")
    console.progress("going")
    console.note("by the way")
    console.error("stopped", "new")
    console.interrupted("site/ was left as it was")
    console.diagnostic(diagnostic)
    out, err = capsys.readouterr()
    assert out == "made\nbytes\r\n"
    assert err.splitlines() == [
        "counted", "going", "python build.py: note: by the way", "python build.py new: error: stopped",
        "python build.py: interrupted; site/ was left as it was", diagnostic.format(),
        "::error file=content/contracts/beta.md,line=3,title=contract_date [NB105 invalid-date]::" + diagnostic.message]


def test_the_exit_codes_are_those_of_the_content_format():
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0, "CONTENT": 1, "USAGE": 2, "MACHINE": 3, "INTERRUPTED": 130}
    assert all(code.meaning for code in ExitCode)


def test_the_commands_documentation_lists_every_exit_code():
    text = (REPO / "docs" / "staff" / "commands.md").read_text(encoding="utf-8")
    section = text.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    assert sorted(int(number) for number in re.findall(r"\*\*(\d+)\*\*", section)) == sorted(ExitCode)


PACKAGE = REPO / "noticeboard"
STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}
# Where a module may write to the terminal itself, by the function that does (None: anywhere in it): the
# reporter; the PDF worker, whose standard output is its JSON channel to the build, never a terminal; and
# `python -m noticeboard.codes`, which prints the table of codes for the documentation.
MAY_PRINT = {"reporter.py": None, "load/documents.py": {"serve"}, "codes.py": {"<module>"}}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _walk(node: ast.AST, function: str = "<module>"):
    """Every node under ``node``, with the name of the function it is in."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        function = node.name
    yield function, node
    for child in ast.iter_child_nodes(node):
        yield from _walk(child, function)


def _where_it_prints(tree: ast.AST) -> list[tuple[str, int, str]]:
    """(function, line, what) of every print() call and every use of sys.stdout or sys.stderr."""
    found = []
    for function, node in _walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append((function, node.lineno, "print()"))
        if (isinstance(node, ast.Attribute) and node.attr in STREAMS and isinstance(node.value, ast.Name)
                and node.value.id == "sys"):
            found.append((function, node.lineno, f"sys.{node.attr}"))
        if isinstance(node, ast.ImportFrom) and node.module == "sys" and {a.name for a in node.names} & STREAMS:
            found.append((function, node.lineno, "from sys import"))
    return found


def test_only_the_reporter_prints():
    printing = []
    for module, tree in _modules():
        allowed = MAY_PRINT.get(module, set())
        printing += [f"noticeboard/{module}:{line}: {what} in {function}" for function, line, what
                     in _where_it_prints(tree) if allowed is not None and function not in allowed]
    assert printing == [], "say it through the reporter (noticeboard/reporter.py):\n" + "\n".join(printing)


def test_the_rule_finds_what_prints():
    tree = ast.parse("import sys\nfrom sys import stderr\ndef f():\n    print('x')\n    sys.stdout.write('y')\n")
    assert _where_it_prints(tree) == [("<module>", 2, "from sys import"), ("f", 4, "print()"), ("f", 5, "sys.stdout")]


COMMAND_MODULES = ("cli.py", "tools/", "preview/server.py")
def _exit_numbers(module: str, tree: ast.AST) -> list[tuple[str, int]]:
    """(function, line) of every int literal that a command returns, or that exit() or SystemExit is given."""
    found = []
    for function, node in _walk(tree):
        number = None
        if isinstance(node, ast.Return) and module.startswith(COMMAND_MODULES):
            number = node.value
        elif isinstance(node, ast.Call) and (getattr(node.func, "attr", None) == "exit"
                                             or getattr(node.func, "id", None) == "SystemExit"):
            number = node.args[0] if node.args else None
        if isinstance(number, ast.Constant) and type(number.value) is int:
            found.append((function, node.lineno))
    return found


def test_no_command_returns_or_exits_with_a_number_of_its_own():
    """Every exit status is a member of ExitCode, whose numbers are the content format's."""
    literal = [f"noticeboard/{module}:{line} in {function}" for module, tree in _modules()
               for function, line in _exit_numbers(module, tree)]
    assert literal == [], "use reporter.ExitCode:\n" + "\n".join(literal)


def test_the_rule_finds_exit_numbers():
    tree = ast.parse("import sys\ndef main():\n    if x:\n        return 2\n    sys.exit(1)\n    return ExitCode.OK\n")
    assert _exit_numbers("cli.py", tree) == [("main", 4), ("main", 5)]
    assert _exit_numbers("output/render.py", tree) == [("main", 5)]  # a count of workers is no exit status
