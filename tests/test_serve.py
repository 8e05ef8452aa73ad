"""``python build.py serve``: the preview rebuilds on a change and keeps the last good site on an error,
shows the errors on top of every page until they are fixed, answers unknown addresses with the site's
404 page, builds as of ``--today``, and rebuilds once for a burst of saves."""
from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, TODAY, run

from noticeboard import codes
from noticeboard.preview.server import PREVIEW_SCRIPT, PREVIEW_STYLESHEET, RELOAD_SOCKET
from noticeboard.reporter import DIAGNOSTIC, PROGRESS, BufferReporter, ExitCode
from noticeboard.theme import PACKAGE_THEME, Theme


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


@contextlib.contextmanager
def started_preview(content, *arguments: str):
    """``serve --content content ARGUMENTS`` in a subprocess on a free port: its address and process."""
    port = free_port()
    temp = preview_temp(content)
    temp.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--content", "content", "--port", str(port), *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, TMPDIR=str(temp)))
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def preview(content):
    with started_preview(content) as started:
        yield started


@pytest.mark.slow
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
    assert BeautifulSoup(first, "html5lib").select_one(f'head script[src="{PREVIEW_SCRIPT}"]'), \
        "pages load the preview's script, which reloads them"
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
    from noticeboard.pipeline import build
    from noticeboard.preview.server import Preview

    content.contract("ready-draft", """\
        vendor: Ready Reading
        contract_date: 2025-02-03
        student_data: [student_name]
        draft: true
        """, body="A finished draft.")
    preview = Preview(content.root, "http://127.0.0.1:8000/", date(2026, 11, 29))
    preview.rebuild()
    assert not preview.errors
    listing = preview.file("contracts/index.html").decode("utf-8")
    assert "Ready Reading" in listing and "Draft" in listing
    public = build(content.root, tmp_path / "public", date(2026, 11, 29))
    assert not public.report.errors
    assert not (tmp_path / "public" / "contracts" / "ready-draft").exists()
    assert "Ready Reading" not in (tmp_path / "public" / "contracts" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_sigterm_stops_the_preview_which_leaves_nothing_behind(content, preview):
    url, process = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not list(preview_temp(content).iterdir()), "the preview is served from memory: nothing in TMPDIR"
    assert sorted(path.name for path in content.root.parent.iterdir()) == ["content", "tmp"], "nor anywhere else"


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


@pytest.mark.slow
def test_a_foreign_host_header_is_refused(content, preview):
    """DNS rebinding: a page of evil.example that resolves to 127.0.0.1 must not read the preview."""
    url, _ = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    port = url.rstrip("/").rsplit(":", 1)[1]
    for path in ("/", "/contracts/acme-learning/index.html", PREVIEW_SCRIPT, PREVIEW_STYLESHEET, RELOAD_SOCKET,
                 "/forcereload"):
        status, body = status_for(url, path, "evil.example")
        assert status == 403, path
        assert "evil.example" in body and "<" not in body, "a short plain-text explanation"
        assert status_for(url, path, f"evil.example:{port}")[0] == 403, path
    assert status_for(url, RELOAD_SOCKET, "evil.example", WEBSOCKET_UPGRADE)[0] == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost", "LOCALHOST:" + port):
        assert status_for(url, "/", host)[0] == 200, host
        assert status_for(url, PREVIEW_SCRIPT, host)[0] == 200, host
    assert status_for(url, RELOAD_SOCKET, f"localhost:{port}", WEBSOCKET_UPGRADE)[0] == 101


@pytest.mark.slow
def test_the_reload_socket_opens_only_for_the_previews_own_pages(content, preview):
    """Another site open in the browser can neither watch the preview nor make it reload."""
    url, _ = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    port = url.rstrip("/").rsplit(":", 1)[1]
    host = f"localhost:{port}"
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null", f"http://127.0.0.1.evil.example:{port}"):
        assert status_for(url, RELOAD_SOCKET, host, {**WEBSOCKET_UPGRADE, "Origin": origin})[0] == 403, origin
    assert status_for(url, RELOAD_SOCKET, host, {**WEBSOCKET_UPGRADE, "Origin": f"http://{host}"})[0] == 101
    for path in ("/forcereload", "/livereload", "/livereload.js"):  # livereload's, gone with it
        status, body = status_for(url, path, host)
        assert status == 404 and "<html" in body, f"{path}: no reload on a GET, the site's own 404 page"


def page_build(html: str) -> str:
    """The build that a page of the preview shows, as its script tells the preview."""
    return BeautifulSoup(html, "html5lib").select_one(f'script[src="{PREVIEW_SCRIPT}"]')["data-build"]


async def reload_messages(url: str, builds: list[str], then=None, seconds: float = 1.0) -> list[list[str]]:
    """What the preview says, within ``seconds`` after ``then()``, to pages that show each of ``builds``
    and open their socket as a page of the preview does; each page first says "reload" itself."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    sockets = [await websocket_connect(HTTPRequest(f"ws{url.removeprefix('http')}{RELOAD_SOCKET[1:]}?build={build}",
                                                   headers={"Origin": url.rstrip("/")})) for build in builds]
    for socket in sockets:
        await socket.write_message("reload")
    if then is not None:
        await asyncio.get_running_loop().run_in_executor(None, then)

    async def heard(socket) -> list[str]:
        said, wait = [], seconds
        with contextlib.suppress(asyncio.TimeoutError):
            while (message := await asyncio.wait_for(socket.read_message(), wait)) is not None:
                said.append(message)
                wait = 1.0  # for anything more
        return said

    try:
        return list(await asyncio.gather(*(heard(socket) for socket in sockets)))
    finally:
        for socket in sockets:
            socket.close()


@pytest.mark.slow
def test_open_pages_reload_after_a_rebuild_and_a_page_of_an_older_build_at_once(content, preview):
    url, _ = preview
    notice = url + "contracts/acme-learning/index.html"
    assert wait_for(lambda: fetch(notice)), "the preview did not start"
    build = page_build(fetch(notice))
    assert page_build(fetch(url)) == build, "every page of one build names it"
    current, older = asyncio.run(reload_messages(url, [build, "an-older-build"]))
    assert current == [], "a page of the current build waits, whatever pages say"
    assert older == ["reload"], "a rebuild between serving the page and opening its socket is not missed"
    assert page_build(fetch(notice)) == build, "no page can make the preview rebuild"

    record = content.root / "contracts" / "acme-learning.md"

    def save() -> None:
        record.write_text(record.read_text(encoding="utf-8").replace("Reading practice", "Writing practice"),
                          encoding="utf-8")

    [told] = asyncio.run(reload_messages(url, [build], then=save, seconds=20))
    assert told == ["reload"], "told once, after the rebuild"
    page = fetch(notice)
    assert "Writing practice" in page and page_build(page) != build


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
    from noticeboard.preview.server import host_allowed

    assert host_allowed(host, listen) is allowed


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(content, monkeypatch, port):
    def never(*args):
        raise AssertionError(f"serve started on port {port}")

    monkeypatch.setattr("noticeboard.preview.server.serve", never)
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
    from noticeboard.preview.server import preview_address

    assert preview_address(host, 8000) == address


# --------------------------------------------------------------------------- the banner of errors

GRADE_LEVL = ("content/contracts/acme-learning.md:5: error: student_data: 'grade_levl' is not a data element of "
              "data-elements.yml; did you mean 'grade_level'? [NB104]")


def get(url: str, path: str) -> tuple[int, str] | None:
    """The status and body of ``GET path`` from the preview at ``url``, or None while it is not listening."""
    try:
        return status_for(url, path, "127.0.0.1")
    except OSError:
        return None


def banner_of(html: str):
    """The preview's region of errors in a page, or None."""
    return BeautifulSoup(html, "html5lib").select_one("section.preview-errors")


def error_lines(banner) -> list[str]:
    return [item.get_text() for item in banner.select("li")]


def test_the_banner_lists_the_errors_file_by_file_as_check_prints_them():
    from noticeboard.diagnostics import Diagnostic
    from noticeboard.preview.server import banner_html

    hostile = Diagnostic("content/contracts/a.md", 12, "body", "<script>alert('x')</script> & <b>more</b>",
                         codes.MISSING_TEXT)
    errors = [Diagnostic("content/contracts/a.md", 5, "student_data", "'grade_levl' is not a data element",
                         codes.UNKNOWN_DATA_ELEMENT),
              Diagnostic("content/pages/guide.md", 2, "title", "is required", codes.MISSING_FIELD),
              hostile]
    html = banner_html(errors)
    page = BeautifulSoup(html, "html5lib")
    region = page.select_one("section")
    heading = page.find(id=region["aria-labelledby"])
    assert heading.name == "h2" and heading.get_text() == "The preview is NOT up to date: 3 errors"
    groups = {group.get_text(): [item.get_text() for item in group.find_next_sibling("ul").select("li")]
              for group in region.select("h3")}
    assert groups == {"content/contracts/a.md": [errors[0].format(), hostile.format()],
                      "content/pages/guide.md": [errors[1].format()]}, "grouped by file, each line as check prints it"
    assert hostile.format() in region.get_text(), "a message is shown as text"
    assert not page.select("script, b, a, [style], [onclick]"), "no script, no markup from a message, no link"
    assert "The preview is NOT up to date: 1 error<" in banner_html(errors[:1])
    assert banner_html([]) == ""


def test_the_banner_goes_at_the_top_of_the_body_and_its_stylesheet_in_the_head():
    from noticeboard.preview.server import inject

    page = (b'<!DOCTYPE html><html><head><title>t</title></head>\n'
            b'<body class="x">\n<a class="skip-link">skip</a></body></html>')
    html = inject(page, b'<link rel="stylesheet" href="/_preview/preview.css">', b"<section>errors</section>")
    assert html.index(b"/_preview/preview.css") < html.index(b"</head>")
    assert html.index(b'<body class="x">') < html.index(b"<section>errors</section>") < html.index(b"skip-link")
    assert inject(page, b"", b"") == page


def copy_templates(tmp_path: Path) -> Path:
    """A copy of the package's templates, for a test to break and a preview to use (``Theme``)."""
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_THEME.templates, templates)
    return templates


def insert_line(path: Path, after: str, line: str) -> int:
    """Insert ``line`` after the first line that contains ``after``; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(index for index, text in enumerate(lines) if after in text) + 2
    lines.insert(number - 1, line)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number


def told(reporter: BufferReporter) -> list[tuple[str, str]]:
    """What the preview said since the last look, as (kind, text); forgotten after."""
    events = [(event.kind, event.text) for event in reporter.events]
    reporter.events.clear()
    return events


@pytest.mark.parametrize("template, after, broken, reason", [
    ("notice.html", "{% block main %}", "{{ notice.title }", "unexpected '}'"),
    ("notice.html", "{% block main %}", "{{ no_such_thing }}", "'no_such_thing' is undefined"),
    ("notice.html", "{% block main %}", '{% include "missing-part.html" %}', "template 'missing-part.html' not found"),
    ("notice.html", "{% block main %}", "{{ (notice.title | length) // 0 }}",
     "ZeroDivisionError: integer division or modulo by zero"),
    ("base.html", "<body", "{{ undefined_in_base }}", "'undefined_in_base' is undefined"),
])
def test_a_template_error_is_one_line_with_its_file_and_line(content, tmp_path, monkeypatch,
                                                             template, after, broken, reason):
    from noticeboard.preview.server import Preview

    templates = copy_templates(tmp_path)
    reporter = BufferReporter()
    preview = Preview(content.root, "http://127.0.0.1:8000/", date(2026, 11, 29), reporter=reporter,
                      theme=Theme(templates=templates))
    preview.rebuild()
    assert not preview.errors and preview.banner == b""
    good = preview.file("contracts/acme-learning/index.html")
    told(reporter)

    line = insert_line(templates / template, after, broken)
    preview.rebuild()
    expected = f"templates/{template}:{line}: error: template: {reason} [NB501]"
    assert [error.format() for error in preview.errors] == [expected]
    assert error_lines(banner_of(preview.banner.decode())) == [expected], "the banner shows it"
    said = told(reporter)
    assert said[0] == (DIAGNOSTIC, expected) and len(said) == 2, said
    assert said[1][0] == PROGRESS and said[1][1].startswith("Preview NOT updated: templates/"), said
    assert preview.file("contracts/acme-learning/index.html") == good, "the last good preview stays"
    preview.rebuild([str(content.root / "contracts" / "acme-learning.md")])  # a save of content meanwhile
    assert preview.file("contracts/acme-learning/index.html") == good, "rendered with the last good templates"
    assert [error.format() for error in preview.errors] == [expected], "the template's error stays until it is fixed"
    assert told(reporter) == [(DIAGNOSTIC, expected), (PROGRESS, said[1][1])]

    (templates / template).write_text((REPO / "noticeboard" / "templates" / template).read_text(encoding="utf-8"),
                                      encoding="utf-8")
    preview.rebuild()
    assert not preview.errors and preview.banner == b"", "fixing the template clears the banner"
    [(kind, text)] = [event for event in told(reporter) if event[0] != DIAGNOSTIC]  # the content's warnings aside
    assert kind == PROGRESS and text.startswith("Preview rebuilt in ")


async def served(preview, paths: list[str]) -> tuple[object, list[tuple[int, str]]]:
    """The status and body of ``GET`` each of ``paths`` from the preview's application, run in this process."""
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port

    from noticeboard.preview.server import Reloads, application

    reloads = Reloads()
    listening, port = bind_unused_port()
    server = HTTPServer(application(preview, reloads, "127.0.0.1"))
    server.add_sockets([listening])
    try:
        client = AsyncHTTPClient()
        responses = [await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False) for path in paths]
        return reloads, [(response.code, response.body.decode("utf-8")) for response in responses]
    finally:
        server.stop()


def test_a_page_whose_template_fails_alone_says_why_in_one_line(content, tmp_path):
    """A template that fails on one page only (the preview tried it on another): that page says why, in the
    line that the terminal shows, and loads the reload script; every other page shows as usual."""
    from noticeboard.preview.server import PREVIEW_STYLESHEET, Preview

    content.contract("older", "vendor: Older Reading\ncontract_date: 2024-03-01\nstudent_data: [student_name]\n")
    templates = copy_templates(tmp_path)
    line = insert_line(templates / "notice.html", "{% block main %}",
                       '{% if notice.slug == "older" %}{{ 1 // 0 }}{% endif %}')
    reporter = BufferReporter()
    preview = Preview(content.root, "http://127.0.0.1:8000/", date(2026, 11, 29), reporter=reporter,
                      theme=Theme(templates=templates))
    preview.rebuild()
    assert not preview.errors, "the first notice of the template renders"
    reporter.events.clear()
    reloads, [(status, failed), (good_status, good)] = asyncio.run(served(
        preview, ["/contracts/older/", "/contracts/acme-learning/"]))
    expected = (f"templates/notice.html:{line}: error: template: ZeroDivisionError: integer division or modulo by "
                "zero [NB501]")
    assert status == 500 and reporter.texts() == [f"{expected} (while rendering /contracts/older/)"]
    page = BeautifulSoup(failed, "html5lib")
    assert page.h1.get_text() == "This page cannot be shown"
    assert error_lines(banner_of(failed)) == [expected]
    assert page.select_one(f'head link[href="{PREVIEW_STYLESHEET}"]'), "its banner is styled"
    assert page.select_one(f'head script[src="{PREVIEW_SCRIPT}"]')["data-build"] == reloads.build
    assert good_status == 200 and banner_of(good) is None
    assert page_build(good) == reloads.build
    assert not BeautifulSoup(good, "html5lib").select(f'link[href="{PREVIEW_STYLESHEET}"]'), "no error, no banner"


def test_a_missing_stylesheet_is_one_line_too(content, tmp_path, monkeypatch):
    from noticeboard.preview.server import Preview

    static = tmp_path / "static"
    shutil.copytree(PACKAGE_THEME.static, static)
    (static / "style.css").unlink()
    reporter = BufferReporter()
    preview = Preview(content.root, "http://127.0.0.1:8000/", date(2026, 11, 29), reporter=reporter,
                      theme=Theme(static=static))
    preview.rebuild()
    expected = "static/style.css:1: error: file: No such file or directory [NB502]"
    assert [error.format() for error in preview.errors] == [expected]
    assert told(reporter) == [(DIAGNOSTIC, expected), (PROGRESS, "Preview NOT updated: static/style.css has an error "
                                                                 "(above). Fix it; the last good preview stays.")]


def test_the_preview_prints_nothing_itself(content, capsys):
    """Everything the preview says goes to its reporter (the terminal's, from ``serve``)."""
    from noticeboard.preview.server import Preview

    reporter = BufferReporter()
    preview = Preview(content.root, "http://127.0.0.1:8000/", date(2026, 11, 29), reporter=reporter)
    preview.rebuild()
    (content.root / "contracts" / "acme-learning.md").write_text("---\nvendor: [\n---\n", encoding="utf-8")
    preview.rebuild([str(content.root / "contracts" / "acme-learning.md")])
    assert reporter.texts(PROGRESS)[0].startswith("Preview rebuilt in ")
    assert reporter.texts(PROGRESS)[1].startswith("Preview NOT updated: ")
    assert any("acme-learning.md" in text for text in reporter.texts(DIAGNOSTIC))
    assert capsys.readouterr() == ("", "")


@pytest.mark.slow
def test_an_error_shows_on_every_page_over_the_last_good_preview_until_it_is_fixed(content, preview):
    url, _ = preview
    notice = "/contracts/acme-learning/index.html"
    assert wait_for(lambda: (get(url, notice) or (0,))[0] == 200), "the preview did not start"
    assert banner_of(get(url, notice)[1]) is None, "no banner while the content is good"

    record = content.root / "contracts" / "acme-learning.md"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("grade_level]", "grade_levl]"), encoding="utf-8")
    assert wait_for(lambda: banner_of(get(url, notice)[1])), "the banner did not appear"

    status, html = get(url, notice)
    page = BeautifulSoup(html, "html5lib")
    banner = page.select_one("section.preview-errors")
    assert status == 200
    assert page.body.find(True) is banner, "the banner comes first in the page"
    assert "The preview is NOT up to date: 1 error" in banner.get_text()
    assert [group.get_text() for group in banner.select("h3")] == ["content/contracts/acme-learning.md"]
    assert error_lines(banner) == [GRADE_LEVL]
    assert "Reading practice for grades 3-5." in page.select_one("main").get_text(), "the last good page is below"
    assert page.select_one('head link[href="/_preview/preview.css"]') is not None
    stylesheet = urllib.request.urlopen(url + "_preview/preview.css", timeout=5)
    assert stylesheet.status == 200 and stylesheet.headers["Content-Type"].startswith("text/css")
    assert b".preview-errors" in stylesheet.read()

    for other in ("/", "/es/contracts/acme-learning/index.html", "/vendors/index.html"):
        assert error_lines(banner_of(get(url, other)[1])) == [GRADE_LEVL], other
    status, html = get(url, "/no/such/page/")
    assert status == 404 and error_lines(banner_of(html)) == [GRADE_LEVL], "the 404 page shows it too"
    status, data = get(url, "/contracts.json")
    assert status == 200 and json.loads(data)["notices"], "other files are served as they are"

    assert not list(preview_temp(content).iterdir()), "the banner is never written anywhere"
    failed = run("build", "--content", "content", "--out", "site", "--today", TODAY)
    assert failed.code == 1 and not Path("site").exists()

    record.write_text(good, encoding="utf-8")
    assert wait_for(lambda: banner_of(get(url, notice)[1]) is None), "fixing the file did not clear the banner"
    assert banner_of(get(url, "/no/such/page/")[1]) is None

    built = run("build", "--content", "content", "--out", "site", "--today", TODAY)
    assert built.code == 0, built.err
    pages = list(Path("site").rglob("*.html"))
    assert pages and not [path for path in pages
                          if "preview-errors" in (text := path.read_text(encoding="utf-8"))
                          or "NOT up to date" in text or "/_preview/" in text], "a build never has the banner"


# --------------------------------------------------------------------------- unknown addresses

@pytest.mark.slow
def test_an_unknown_address_gets_the_sites_404_page_in_its_language(content, preview):
    url, _ = preview
    assert wait_for(lambda: get(url, "/")), "the preview did not start"
    for path, lang, heading in [("/nope", "en", "Page not found"),
                                ("/contracts/nope/index.html", "en", "Page not found"),
                                ("/es/nope", "es", "Página no encontrada"),
                                ("/es/contracts/nope/", "es", "Página no encontrada")]:
        status, html = get(url, path)
        page = BeautifulSoup(html, "html5lib")
        assert status == 404, path
        assert page.html["lang"] == lang, path
        assert page.h1.get_text() == heading, path
        assert page.select_one('link[rel="stylesheet"][href="/style.css"]'), "the site's own page, styled"
        assert page.select_one(f'script[src="{PREVIEW_SCRIPT}"]'), "it reloads like any page of the preview"


@pytest.mark.slow
def test_before_any_good_build_a_page_says_so_under_the_errors(content):
    """``--today`` is the build date: a contract signed after it is an error, from the first build on."""
    with started_preview(content, "--today", "2025-01-10") as (url, process):
        assert wait_for(lambda: get(url, "/")), "the preview did not start"
        status, html = get(url, "/contracts/acme-learning/index.html")
        banner = banner_of(html)
        assert status == 404 and banner is not None
        assert error_lines(banner) == ["content/contracts/acme-learning.md:3: error: contract_date: 2025-01-21 is in "
                                       "the future (today is 2025-01-10); a notice is posted after signing [NB107]"]
        assert "No preview yet" in BeautifulSoup(html, "html5lib").h1.get_text()
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "Preview NOT updated" in err


def test_serve_takes_today_as_build_and_check_do(content, monkeypatch):
    calls = []
    monkeypatch.setattr("noticeboard.preview.server.serve",
                        lambda *args, **kwargs: calls.append((args, kwargs)) or ExitCode.OK)
    assert run("serve", "--today", "2025-01-10").code == 0
    assert calls[-1][1]["today"] == date(2025, 1, 10)
    assert run("serve").code == 0
    assert calls[-1][1]["today"] is None, "by default, the day of each rebuild"
    for bad in ("1/10/2025", "20250110", "2025-02-30"):
        result = run("serve", "--today", bad)
        assert result.code == 2
        assert f"argument --today: '{bad}' is not a date; write YYYY-MM-DD" in result.err
        assert result.err.splitlines()[-1].split(": ", 1)[1] == \
            run("build", "--today", bad).err.splitlines()[-1].split(": ", 1)[1], "the same message as build's"


# --------------------------------------------------------------------------- bursts of saves

class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def waiting(watcher, clock: Clock, every: float):
    """``wait(seconds)``: let time pass, the watcher looking every ``every`` seconds as its timer would."""
    looks = [every]

    def wait(seconds: float) -> None:
        end = clock.now + seconds
        while looks[0] <= end:
            clock.now = looks[0]
            watcher.poll()
            looks[0] += every
        clock.now = end
    return wait


def test_a_burst_of_saves_rebuilds_once():
    """An editor's "save all": 20 files in about 100 ms, with a pause in the middle, the watcher looking meanwhile."""
    from noticeboard.preview.server import ChangeWatcher

    files = {f"/content/contracts/notice-{number}.md" for number in range(20)}
    clock, builds = Clock(), []
    watcher = ChangeWatcher([], lambda paths: builds.append((clock.now, paths)), quiet=0.3, clock=clock)
    wait = waiting(watcher, clock, every=0.05)
    for number, path in enumerate(sorted(files)):
        watcher.changed([path])
        wait(0.1 if number == 9 else 0.005)  # a slower file halfway: the watcher looks in between
    saved = clock.now
    wait(2)
    assert len(builds) == 1, f"{len(builds)} rebuilds for one burst of saves"
    assert builds[0][0] - saved < 0.3 + 0.05 + 0.01, "one rebuild, as soon as the burst is over"
    assert builds[0][1] == files, "told every file that changed"


def test_saves_apart_rebuild_each_and_a_save_during_a_rebuild_is_not_lost():
    from noticeboard.preview.server import ChangeWatcher

    clock, builds = Clock(), []

    def rebuild(paths):
        builds.append(paths)
        if len(builds) == 2:
            watcher.changed(["/content/saved-during-the-rebuild.md"])

    watcher = ChangeWatcher([], rebuild, quiet=0.3, clock=clock)
    for name in ("a.md", "b.md"):
        watcher.changed([f"/content/{name}"])
        for _ in range(10):
            clock.now += 0.1
            watcher.poll()
    assert builds == [{"/content/a.md"}, {"/content/b.md"}, {"/content/saved-during-the-rebuild.md"}]
    for _ in range(10):
        clock.now += 0.1
        watcher.poll()
    assert len(builds) == 3, "nothing changed, nothing rebuilt"


@pytest.mark.slow
def test_the_operating_system_tells_of_saves_but_not_of_reads(tmp_path):
    """What the preview hears from watchdog: a write, an editor's save by renaming, a removal; never a read
    (a rebuild reads every file, which must not make another rebuild), nor a folder's listing alone."""
    import queue

    from noticeboard.preview.server import observe

    folder = tmp_path / "content" / "contracts"
    folder.mkdir(parents=True)
    record, other = folder / "a.md", folder / "b.md"
    record.write_text("one", encoding="utf-8")
    other.write_text("two", encoding="utf-8")
    heard: queue.Queue = queue.Queue()
    observer = observe([str(tmp_path / "content")], heard.put)

    def paths_heard(within: float = 2.0) -> set[str]:
        found, deadline = set(), time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                found |= set(heard.get(timeout=0.1))
            except queue.Empty:
                pass
        return found

    try:
        record.read_text(encoding="utf-8")
        assert paths_heard(1.0) == set(), "reading a file is not a change"
        record.write_text("one, edited", encoding="utf-8")
        assert paths_heard() == {str(record)}
        temporary = folder / ".b.md.swp"
        temporary.write_text("two, edited", encoding="utf-8")
        temporary.replace(other)  # how many editors save: write a new file, then rename it over the old
        assert str(other) in paths_heard()
        record.unlink()
        assert paths_heard() == {str(record)}
    finally:
        observer.stop()
        observer.join(timeout=5)


# An editor's "save all" of 20 notices, with vendors far enough apart not to be taken for typos of each other.
BURST_VENDORS = ["Aardvark", "Beekeeper", "Chameleon", "Dolphin", "Elephant", "Flamingo", "Giraffe", "Hedgehog",
                 "Iguana", "Jellyfish", "Kangaroo", "Lemur", "Mongoose", "Narwhal", "Ocelot", "Pelican", "Quokka",
                 "Raccoon", "Salamander", "Tortoise"]


@pytest.mark.slow
def test_a_burst_of_saves_in_the_preview_rebuilds_it_once(content, preview):
    url, process = preview
    assert wait_for(lambda: fetch(url)), "the preview did not start"
    for vendor in BURST_VENDORS:
        content.contract(vendor.lower(), f"""\
            vendor: {vendor}
            contract_date: 2025-01-21
            student_data: [student_name]
            """)
    assert wait_for(lambda: all(vendor in (fetch(url + "vendors/index.html") or "") for vendor in BURST_VENDORS))
    time.sleep(3)  # room for any further rebuild
    process.terminate()
    _, err = process.communicate(timeout=10)
    rebuilt = [line for line in err.splitlines() if line.startswith(("Preview rebuilt", "Preview NOT updated"))]
    assert len(rebuilt) == 2, "the first build and one for the burst:\n" + "\n".join(rebuilt)
