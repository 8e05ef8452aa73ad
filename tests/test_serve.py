"""``python build.py serve``: the preview rebuilds on a change and keeps the last good site on an error."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    return None


@pytest.fixture
def preview(content):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--content", "content", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_preview_rebuilds_on_change_and_survives_errors(content, preview):
    url, process = preview
    content.contract("ready-draft", """\
        vendor: Ready Reading
        contract_date: 2025-02-03
        student_data: [student_name]
        draft: true
        """, body="A finished draft.")
    content.contract("unfinished-draft", "vendor: Half Done\ndraft: true\n", body="")
    notice = url + "contracts/acme-learning/index.html"
    first = wait_for(lambda: fetch(notice))
    assert first is not None, "the preview did not start"
    assert "Reading practice for grades 3-5." in first
    draft_page = fetch(url + "contracts/ready-draft/index.html") or ""
    assert "A finished draft." in draft_page and "Draft preview." in draft_page, "complete drafts are previewed"
    assert fetch(url + "contracts/unfinished-draft/index.html") is None

    path = content.root / "contracts" / "acme-learning.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Reading practice", "Writing practice"), encoding="utf-8")
    assert wait_for(lambda: "Writing practice" in (fetch(notice) or "")), "the preview was not rebuilt"

    path.write_text(path.read_text(encoding="utf-8").replace("contract_date: 2025-01-21", "contract_date: 1/21/2025"),
                    encoding="utf-8")
    time.sleep(3)  # let the watcher see the change and the failed rebuild happen
    assert "Writing practice" in (fetch(notice) or ""), "a failed rebuild must keep the last good preview"
    process.terminate()
    _, err = process.communicate(timeout=10)
    assert "content/contracts/acme-learning.md:3: error: contract_date:" in err
    assert "Traceback" not in err
    assert not (content.root.parent / "site").exists(), "serve must not write the public site/"


def test_drafts_are_previewed_but_never_built(content, tmp_path):
    from datetime import date

    from noticeboard.pipeline import build

    content.contract("ready-draft", """\
        vendor: Ready Reading
        contract_date: 2025-02-03
        student_data: [student_name]
        draft: true
        """, body="A finished draft.")
    preview = build(content.root, tmp_path / "preview", date(2026, 11, 29), drafts=True)
    assert not preview.report.errors
    listing = (tmp_path / "preview" / "contracts" / "index.html").read_text(encoding="utf-8")
    assert "Ready Reading" in listing and "Draft" in listing
    public = build(content.root, tmp_path / "public", date(2026, 11, 29))
    assert not public.report.errors
    assert not (tmp_path / "public" / "contracts" / "ready-draft").exists()
    assert "Ready Reading" not in (tmp_path / "public" / "contracts" / "index.html").read_text(encoding="utf-8")
