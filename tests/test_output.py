"""The write step under faults of the machine: a full disk, a read-only folder, Ctrl-C,
a mount point, two builds at once, and --out names that are globs, ~ or broken links."""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import pdf, REPO, TODAY, run
import noticeboard.output.write as output
from noticeboard.output.write import MARKER

BETA = "vendor: Beta\ncontract_date: 2025-06-02\nposted: 2025-06-03\nstudent_data: []\n"
AN_HOUR_AGO = time.time() - 2 * 3600


def snapshot(folder: Path) -> dict[str, str]:
    """Every file, folder and link under ``folder``: relative path → hash of its bytes, 'dir' or its target."""
    result = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[relative] = "link to " + os.readlink(path)
        else:
            result[relative] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def built(content) -> Path:
    """Build ``site`` once, then change the content so that the next build would change it."""
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    content.contract("beta", BETA)
    return content.root.parent / "site"


def run_catching(*args: str):
    """``run``, with a Ctrl-C that escapes the command a test failure rather than the end of pytest."""
    try:
        return run(*args)
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped the command as a traceback")


def assert_one_line(result, code: int, *words: str) -> None:
    assert result.code == code, result.err
    assert "Traceback" not in result.err
    assert len(result.lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err


def fail_writing(monkeypatch, exception, where: str = "contracts/acme-learning/index.html") -> None:
    """Make writing the file ``where`` of the site raise ``exception(the path written)``."""
    write_bytes = Path.write_bytes

    def write(self, data):
        if self.as_posix().endswith(where):
            raise exception(self)
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", write)


def edited(content) -> None:
    """A change to the notice of acme-learning, so that the next build writes its page again (the others it links
    from the last build's output)."""
    notice = content.root / "contracts/acme-learning.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")


def fail_renaming(monkeypatch, should_fail) -> None:
    """Make ``os.rename(src, dst)`` raise EIO whenever ``should_fail(src, dst)``."""
    rename = os.rename

    def patched(src, dst, *args, **kwargs):
        if should_fail(Path(src), Path(dst)):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(src))
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", patched)


def python_build_py(cwd: Path, *args: str, script: str | None = None, **popen) -> subprocess.Popen:
    command = ["-c", script] if script else [str(REPO / "build.py")]
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, *command, *args], cwd=cwd, env=env, encoding="utf-8",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


# --- faults of the machine: exit 3, one line, the previous site as it was -----------------

@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EROFS])
def test_a_failed_write_is_one_line_exit_3_and_the_site_is_left_as_it_was(content, monkeypatch, number):
    site = built(content)
    before = snapshot(site)
    edited(content)
    fail_writing(monkeypatch, lambda path: OSError(number, os.strerror(number), str(path)))
    result = run("build", "--today", TODAY)
    assert_one_line(result, 3)
    assert result.lines == [f"python build.py: error: cannot write site/contracts/acme-learning/index.html: "
                            f"{os.strerror(number)}; site/ was left as it was"]
    assert snapshot(site) == before
    assert entries(content.root.parent) == ["content", "site"]


def test_a_files_folder_linked_out_of_content_after_check_is_not_copied(content, monkeypatch, tmp_path):
    """A link made between the check of the content and the copy of its documents is still refused."""
    files = content.root / "contracts/files"
    files.mkdir(parents=True)
    (files / "signed.pdf").write_bytes(pdf("signed"))
    content.contract("beta", BETA + "documents:\n  - title: Signed\n    file: signed.pdf\n")
    assert run("build", "--today", TODAY).code == 0
    site = content.root.parent / "site"
    before = snapshot(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "signed.pdf").write_bytes(b"%PDF-1.7 the builder's own file")
    checked = output.check_output_dir

    def link_files_out_once_checked(out, content_dir):
        (files / "signed.pdf").replace(tmp_path / "moved.pdf")
        files.rmdir()
        files.symlink_to(elsewhere, target_is_directory=True)
        return checked(out, content_dir)

    monkeypatch.setattr(output, "check_output_dir", link_files_out_once_checked)
    result = run("build", "--today", TODAY)
    assert_one_line(result, 3, "content/contracts/files/signed.pdf now leads to", str(elsewhere), "outside content/",
                    "site/ was left as it was")
    assert snapshot(site) == before


def test_a_disk_full_on_the_first_build_leaves_nothing_behind(content, monkeypatch):
    fail_writing(monkeypatch, lambda path: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert_one_line(run("build", "--today", TODAY), 3, "No space left on device")
    assert entries(content.root.parent) == ["content"]


def test_a_failed_swap_puts_the_previous_site_back(content, monkeypatch):
    site = built(content)
    before = snapshot(site)
    fail_renaming(monkeypatch, lambda src, dst: dst.name == "site" and src.name.startswith(".site.new-"))
    assert_one_line(run("build", "--today", TODAY), 3, "Input/output error", "site/ was left as it was")
    assert snapshot(site) == before
    assert entries(content.root.parent) == ["content", "site"]


def read_only(monkeypatch, folder: Path, number: int) -> None:
    """Refuse, as a read-only ``folder`` would, to create, rename or remove anything in it."""
    def guard(call):
        def patched(*args, **kwargs):
            paths = [Path(arg) for arg in args[:2] if isinstance(arg, (str, os.PathLike))]
            if any(path.parent == folder for path in paths):
                raise OSError(number, os.strerror(number), str(paths[0]))
            return call(*args, **kwargs)
        return patched

    for name in ("open", "mkdir", "rename", "replace", "rmdir", "unlink"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))


@pytest.mark.parametrize("number", [errno.EACCES, errno.EROFS])
def test_a_read_only_parent_folder_is_one_line_exit_3(content, monkeypatch, number):
    site = built(content)
    before = snapshot(content.root.parent)
    read_only(monkeypatch, content.root.parent, number)
    result = run("build", "--today", TODAY)
    assert_one_line(result, 3, os.strerror(number), "site/ was left as it was")
    monkeypatch.undo()
    assert snapshot(content.root.parent) == before
    assert (site / MARKER).is_file()


# --- Ctrl-C: exit 130, one line ---------------------------------------------------------

def test_ctrl_c_while_writing_leaves_the_site_as_it_was(content, monkeypatch):
    site = built(content)
    before = snapshot(site)
    edited(content)
    fail_writing(monkeypatch, lambda path: KeyboardInterrupt())
    result = run_catching("build", "--today", TODAY)
    assert_one_line(result, 130, "interrupted", "site/ was left as it was")
    assert snapshot(site) == before
    assert entries(content.root.parent) == ["content", "site"]


def test_ctrl_c_during_check_is_one_line_exit_130(content, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("noticeboard.cli.check", interrupted)
    assert_one_line(run_catching("check", "--today", TODAY), 130, "interrupted")


@pytest.mark.parametrize("mount", [False, True])
def test_ctrl_c_during_the_swap_waits_for_the_swap_to_finish(content, monkeypatch, mount):
    site = built(content)
    if mount:
        pretend_mount_point(monkeypatch, site)
    rename = os.rename
    interrupted = []

    def rename_then_ctrl_c(src, dst, *args, **kwargs):
        if not interrupted and Path(dst).parent == site.resolve().parent / ("site" if mount else ""):
            interrupted.append(src)
            signal.raise_signal(signal.SIGINT)
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename_then_ctrl_c)
    result = run_catching("build", "--today", TODAY)
    assert interrupted
    assert_one_line(result, 130, "interrupted", "site/ now holds the new site")
    assert (site / "contracts/beta/index.html").is_file()
    assert (site / MARKER).is_file()
    assert entries(content.root.parent) == ["content", "site"]
    assert not [name for name in entries(site) if name.startswith(".noticeboard-") and name != MARKER]


def test_a_ctrl_c_that_is_ignored_stays_ignored_during_the_swap(content, monkeypatch):
    """A build started in the background by a script ignores Ctrl-C; the swap must not heed it either."""
    site = built(content)
    rename = os.rename

    def rename_then_ctrl_c(src, dst, *args, **kwargs):
        signal.raise_signal(signal.SIGINT)
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename_then_ctrl_c)
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = run_catching("build", "--today", TODAY)
    finally:
        signal.signal(signal.SIGINT, handler)
    assert result.code == 0, result.err
    assert (site / "contracts/beta/index.html").is_file()


SLOW_WRITE = """\
import pathlib, sys, time
from noticeboard.cli import main
write_bytes = pathlib.Path.write_bytes
def slow(self, data):
    if self.as_posix().endswith("contracts/acme-learning/index.html"):
        print("writing", flush=True)
        time.sleep(60)
    return write_bytes(self, data)
pathlib.Path.write_bytes = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_a_real_sigint_while_writing_is_exit_130(content):
    site = built(content)
    before = snapshot(site)
    edited(content)
    process = python_build_py(content.root.parent, "build", "--today", TODAY, script=SLOW_WRITE)
    try:
        assert process.stdout.readline() == "writing\n", process.stderr.read()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.splitlines() == ["python build.py: interrupted; site/ was left as it was"]
    assert snapshot(site) == before
    assert entries(content.root.parent) == ["content", "site"]


TERMINATED_WHILE_SWAPPING = """\
import os, signal, sys
from noticeboard.cli import main
rename = os.rename
def terminated(src, dst, *args, **kwargs):
    if os.path.basename(src).startswith(".site.new-"):
        os.kill(os.getpid(), signal.SIGTERM)
    return rename(src, dst, *args, **kwargs)
os.rename = terminated
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_sigterm_during_the_swap_ends_the_build_once_the_new_site_is_in_place(content):
    site = built(content)
    process = python_build_py(content.root.parent, "build", "--today", TODAY, script=TERMINATED_WHILE_SWAPPING)
    out, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGTERM, err
    assert out == ""
    assert (site / "contracts/beta/index.html").is_file()
    assert set(entries(content.root.parent)) <= {".site.lock", "content", "site"}
    assert run("build", "--today", TODAY).code == 0
    assert entries(content.root.parent) == ["content", "site"]


# --- a mount point: its contents are swapped -------------------------------------------

def pretend_mount_point(monkeypatch, site: Path) -> None:
    """``site`` behaves as a mount point: it is one, and it cannot be renamed."""
    real = site.resolve()
    monkeypatch.setattr(output, "is_mount_point", lambda path: Path(path) == real)
    rename = os.rename

    def patched(src, dst, *args, **kwargs):
        if real in (Path(src), Path(dst)):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(src))
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", patched)


def ours(site: Path) -> list[str]:
    """What the build keeps for itself inside ``site`` besides its marker: nothing, after a build."""
    return [name for name in entries(site) if name.startswith(".noticeboard") and name != MARKER]


def test_a_mount_point_is_built_into(content, monkeypatch):
    site = content.root.parent / "site"
    site.mkdir()
    inode = site.stat().st_ino
    pretend_mount_point(monkeypatch, site)
    assert run("build", "--today", TODAY).code == 0
    assert (site / "contracts/acme-learning/index.html").is_file()
    (site / "stale.html").write_text("left over")
    content.contract("beta", BETA)
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert (site / "contracts/beta/index.html").is_file()
    assert not (site / "stale.html").exists()
    assert site.stat().st_ino == inode
    assert ours(site) == []
    assert entries(content.root.parent) == ["content", "site"]


def test_a_failed_swap_of_a_mount_point_puts_everything_back(content, monkeypatch):
    site = built(content)
    before = snapshot(site)
    pretend_mount_point(monkeypatch, site)
    moves = []

    def third_move_in(src, dst):
        if src.parent.name.startswith(".noticeboard-staging") and dst.parent == site.resolve():
            moves.append(src)
            return len(moves) == 3
        return False

    fail_renaming(monkeypatch, third_move_in)
    assert_one_line(run("build", "--today", TODAY), 3, "Input/output error", "site/ was left as it was")
    assert snapshot(site) == before
    assert entries(content.root.parent) == ["content", "site"]


def test_a_killed_builds_staging_inside_a_mount_point_is_removed(content, monkeypatch):
    site = content.root.parent / "site"
    leftover = site / ".noticeboard-staging-abcd1234"
    leftover.mkdir(parents=True)
    (leftover / MARKER).write_text("x")
    (leftover / "index.html").write_text("half")
    os.utime(leftover, (AN_HOUR_AGO, AN_HOUR_AGO))
    pretend_mount_point(monkeypatch, site)
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert ours(site) == []


# --- two builds at once -----------------------------------------------------------------

AT_ONCE = """\
import os, sys, time, traceback
from noticeboard.cli import main
count, rounds, slow_swap = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "slow-swap"
rename = os.rename
def slow(src, dst, *args, **kwargs):
    if slow_swap and os.path.basename(src).startswith(".site.new-"):
        time.sleep(0.1)
    return rename(src, dst, *args, **kwargs)
os.rename = slow
codes = []
for _ in range(rounds):
    children = []
    for _ in range(count):
        child = os.fork()
        if child == 0:
            code = 1
            try:
                code = main(["build", "--out", "site", "--today", sys.argv[4]])
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        children.append(child)
    codes += [os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) for child in children]
print(*codes)
"""


@pytest.mark.slow
@pytest.mark.parametrize("count, rounds, swap", [(8, 2, "as-fast-as-it-can"), (6, 1, "slow-swap")])
def test_builds_at_once_into_one_folder_all_succeed(content, count, rounds, swap):
    """Processes forked from one that has imported everything, so that they build at the very same time."""
    cwd = content.root.parent
    assert run("build", "--today", TODAY).code == 0
    reference = snapshot(cwd / "site")
    process = python_build_py(cwd, str(count), str(rounds), swap, TODAY, script=AT_ONCE)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == " ".join(["0"] * count * rounds), err
    assert "Traceback" not in err
    assert snapshot(cwd / "site") == reference
    assert entries(cwd) == ["content", "site"]


@pytest.mark.slow
def test_a_build_waits_for_the_build_that_is_writing(content):
    site = built(content)
    before = snapshot(site)
    with open(content.root.parent / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = python_build_py(content.root.parent, "build", "--today", TODAY)
        try:
            assert process.stderr.readline() == "python build.py: another build is writing site/; waiting for it…\n"
            time.sleep(0.2)
            assert snapshot(site) == before
        except BaseException:
            process.kill()
            raise
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert (site / "contracts/beta/index.html").is_file()
    assert entries(content.root.parent) == ["content", "site"]


@pytest.mark.slow
def test_a_build_gives_up_waiting_after_the_timeout(content, monkeypatch):
    site = built(content)
    before = snapshot(site)
    monkeypatch.setattr(output, "LOCK_TIMEOUT_SECONDS", 0.3)
    with open(content.root.parent / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run("build", "--today", TODAY)
    assert result.code == 3, result.err
    assert "Traceback" not in result.err
    assert result.lines[0] == "python build.py: another build is writing site/; waiting for it…"
    assert len(result.lines) == 2 and "gave up" in result.lines[1], result.err
    assert snapshot(site) == before


# --- leftovers: only the build's own are removed ------------------------------------------

def test_an_out_with_glob_characters_touches_no_other_folder(content):
    folder = content.root.parent / "g"
    for name in (".cache.new-2019", ".photos.old-backup", ".x.new-abcd1234", ".site.old-abcd1234"):
        (folder / name).mkdir(parents=True)
        (folder / name / "keep.txt").write_text("mine")
        os.utime(folder / name, (AN_HOUR_AGO, AN_HOUR_AGO))
    before = snapshot(folder)
    result = run("build", "--today", TODAY, "--out", "g/*")
    assert result.code == 0, result.err
    assert (folder / "*" / "index.html").is_file()
    after = snapshot(folder)
    assert {path: after.get(path) for path in before} == before
    assert entries(folder) == sorted([*(path for path in before if "/" not in path), "*"])


def test_only_folders_with_the_marker_are_removed_as_leftovers(content):
    parent = content.root.parent
    foreign, killed = parent / ".site.new-abcd1234", parent / ".site.new-killed12"
    for folder in (foreign, killed):
        folder.mkdir()
        (folder / "index.html").write_text("something")
        os.utime(folder, (AN_HOUR_AGO, AN_HOUR_AGO))
    (killed / MARKER).write_bytes(output.MARKER_TEXT)
    os.utime(killed, (AN_HOUR_AGO, AN_HOUR_AGO))
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert entries(parent) == [".site.new-abcd1234", "content", "site"]
    assert (foreign / "index.html").read_text() == "something"


# --- --out: ~ and symbolic links --------------------------------------------------------

def test_out_tilde_is_the_home_directory_and_is_refused(content, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("export PATH\n")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(tmp_path)
    assert_one_line(run("build", "--today", TODAY, "--out", "~"), 2, "--out", str(home))
    assert snapshot(tmp_path) == before

    result = run("build", "--today", TODAY, "--out", "~/public")
    assert result.code == 0, result.err
    assert (home / "public" / MARKER).is_file()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize("out", ["site", "link/site"])
def test_out_through_a_dangling_symbolic_link_is_refused(content, tmp_path, out):
    link = tmp_path / out.split("/")[0]
    target = tmp_path / "elsewhere" / "deep" / "site"
    link.symlink_to(target)
    before = snapshot(tmp_path)
    assert_one_line(run("build", "--today", TODAY, "--out", out), 2, "symbolic link", str(target), "does not exist")
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("out", ["site", "a", "a/site"])
def test_out_in_a_symbolic_link_loop_is_refused(content, tmp_path, out):
    (tmp_path / "site").symlink_to("site")
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    before = entries(tmp_path)
    assert_one_line(run("build", "--today", TODAY, "--out", out), 2, "--out", "symbolic link loop")
    assert entries(tmp_path) == before


def test_out_through_a_symbolic_link_to_a_folder_is_built(content, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "site").symlink_to("real")
    result = run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert (tmp_path / "site").is_symlink()
    assert (tmp_path / "real" / "contracts/acme-learning/index.html").is_file()


@pytest.mark.slow
@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here")
def test_pages_rendered_by_several_processes_are_the_same_bytes_in_the_same_order():
    """A big site is rendered in one process per core; the files must not depend on it."""
    from datetime import date

    from noticeboard.load.content import load_content
    from noticeboard.diagnostics import Report
    from noticeboard.site.builder import build_sites
    from noticeboard.output.render import render_site

    today = date.fromisoformat(TODAY)
    sites = build_sites(load_content(REPO / "content", Report()), today)
    alone = dict(render_site(sites, workers=1))
    together = dict(render_site(sites, workers=3))
    assert list(together) == list(alone)
    assert [path for path in alone if together[path] != alone[path]] == []


SIGNED = "vendor: Signed Co\ncontract_date: 2025-06-02\nposted: 2025-06-03\nstudent_data: []\ndocuments:\n  - title: Signed contract\n    file: signed.pdf\n"


def test_an_unchanged_document_is_linked_from_the_last_build_and_a_changed_one_copied_again(content):
    """A build copies only the documents that changed since the last; the site always has the current bytes."""
    source = content.write("contracts/files/signed.pdf", pdf("version one" * 100))
    content.contract("signed-co", SIGNED)
    site_copy = content.root.parent / "site" / "contracts" / "files" / "signed.pdf"

    assert run("build", "--today", TODAY).code == 0
    first = site_copy.stat()
    assert site_copy.read_bytes() == source.read_bytes()
    assert first.st_mtime_ns == source.stat().st_mtime_ns

    content.contract("beta", BETA)  # the site changes, the document does not
    assert run("build", "--today", TODAY).code == 0
    assert site_copy.stat().st_ino == first.st_ino, "the last build's copy, linked"
    assert (content.root.parent / "site" / "contracts" / "beta" / "index.html").is_file()

    content.write("contracts/files/signed.pdf", pdf("version two" * 100))
    assert run("build", "--today", TODAY).code == 0
    assert site_copy.read_bytes() == source.read_bytes()
    assert site_copy.stat().st_ino != first.st_ino
    assert source.stat().st_nlink == 1, "the content's file is never linked into the site"
