"""``python build.py serve``: the preview rebuilds on a change and keeps the last good site on an error."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, run


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


def preview_temp(content) -> Path:
    """The folder the preview's TMPDIR points at, so that a test can see what serve leaves behind."""
    return content.root.parent / "tmp"


@pytest.fixture
def preview(content):
    port = free_port()
    temp = preview_temp(content)
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--content", "content", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, TMPDIR=str(temp)))
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
    assert "/livereload.js?port=" in first, "pages load the live-reload script"
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


def test_sigterm_stops_the_preview_and_removes_its_folder(content, preview):
    url, process = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    assert list(preview_temp(content).glob("noticeboard-preview-*")), "the preview lives in TMPDIR"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not list(preview_temp(content).iterdir()), "SIGTERM must remove the preview folder like Ctrl+C"


def status_for(url: str, path: str, host: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and body of ``GET path`` sent with the given ``Host`` header."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = b"" if response.status == 101 else response.read()
        return response.status, body.decode("utf-8", "replace")
    finally:
        connection.close()


WEBSOCKET_UPGRADE = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_a_foreign_host_header_is_refused(content, preview):
    """DNS rebinding: a page of evil.example that resolves to 127.0.0.1 must not read the preview."""
    url, _ = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    port = url.rstrip("/").rsplit(":", 1)[1]
    for path in ("/", "/contracts/acme-learning/index.html", "/livereload.js", "/livereload", "/forcereload"):
        status, body = status_for(url, path, "evil.example")
        assert status == 403, path
        assert "evil.example" in body and "<" not in body, "a short plain-text explanation"
        assert status_for(url, path, f"evil.example:{port}")[0] == 403, path
    assert status_for(url, "/livereload", "evil.example", WEBSOCKET_UPGRADE)[0] == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost", "LOCALHOST:" + port):
        assert status_for(url, "/", host)[0] == 200, host
        assert status_for(url, "/livereload.js", host)[0] == 200, host
    assert status_for(url, "/livereload", f"localhost:{port}", WEBSOCKET_UPGRADE)[0] == 101


@pytest.mark.parametrize("host, listen, allowed", [
    ("localhost", "127.0.0.1", True),
    ("127.0.0.1", "127.0.0.1", True),
    ("[::1]", "127.0.0.1", True),
    ("evil.example", "127.0.0.1", False),
    ("127.0.0.1.evil.example", "127.0.0.1", False),
    ("evil.example", "localhost", False),
    ("preview.test", "preview.test", True),
    ("evil.example", "0.0.0.0", True),
    ("evil.example", "::", True),
    ("evil.example", "192.168.1.20", True),
])
def test_which_host_headers_are_answered(host, listen, allowed):
    """Loopback names always; any name only when --host opened the preview beyond this machine."""
    from noticeboard.serve import host_allowed

    assert host_allowed(host, listen) is allowed


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(content, monkeypatch, port):
    def never(*args):
        raise AssertionError(f"serve started on port {port}")

    monkeypatch.setattr("noticeboard.serve.serve", never)
    result = run("serve", "--port", port)
    assert result.code == 2
    assert f"argument --port: '{port}' is not a port; a port is a number from 1 to 65535" in result.err


@pytest.mark.parametrize("host, address", [
    ("127.0.0.1", "http://127.0.0.1:8000/"),
    ("0.0.0.0", "http://localhost:8000/"),
    ("::", "http://localhost:8000/"),
    ("::1", "http://[::1]:8000/"),
    ("192.168.1.20", "http://192.168.1.20:8000/"),
])
def test_the_preview_says_an_address_that_a_browser_can_open(host, address):
    from noticeboard.serve import preview_address

    assert preview_address(host, 8000) == address
