"""``python build.py serve``: a live-reloading preview, rebuilt whenever content or templates change.

The preview also shows drafts that have everything a notice needs, marked as drafts, so
that staff see a notice before they publish it.

The preview is built into a temporary directory outside the project, so that the
server never watches its own output and never touches ``site/``. Ctrl+C and SIGTERM both
stop the server, remove that directory and exit 0.

While the content (or a template) has errors, the last good preview stays on disk and the
server shows the errors on top of every HTML page it serves: the banner is added to the
response on its way out, never written into a page, so no build can ever carry it.

A burst of saves (an editor's "save all") rebuilds once: the watcher rebuilds only when
nothing has changed for ``QUIET_SECONDS``.

A preview listening on a loopback address answers only requests addressed to a loopback
name (``Host: localhost``, ``127.0.0.1``, ``[::1]``): otherwise any web page could read
it through DNS rebinding, pointing a name of its own at 127.0.0.1.
"""
from __future__ import annotations

import ipaddress
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from datetime import date
from html import escape as escape_html
from pathlib import Path
from types import TracebackType
from typing import Callable, Iterable

from jinja2 import TemplateError, TemplateNotFound, TemplatesNotFound, TemplateSyntaxError
from livereload import Server
from livereload.handlers import (ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler,
                                 StaticFileHandler)
from livereload.watcher import Watcher
from tornado import escape, ioloop, web

from . import codes, render
from .diagnostics import Diagnostic, one_line, plural, print_report
from .i18n import LOCALE_DIR
from .pipeline import build
from .reader import display_path
from .schema import LANGUAGE_PATTERN

POLL_SECONDS = 0.1  # how often the watcher looks at the files
QUIET_SECONDS = 0.3  # how long nothing must change before a rebuild: one rebuild per burst of saves
PREVIEW_STYLESHEET = "/_preview/preview.css"  # a slug never starts with "_", so no page of the site is here


def is_loopback(host: str) -> bool:
    """Whether a host name or address (``[::1]`` may keep its brackets) can only mean this machine."""
    name = host.lower().removeprefix("[").removesuffix("]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_allowed(host_name: str, listen: str) -> bool:
    """Whether to answer a request whose ``Host`` header names ``host_name`` (without its port).

    A preview given ``--host`` beyond loopback (0.0.0.0, ::, a network address or name) was
    opened to the network on purpose and answers any name; one on loopback only loopback names.
    """
    return not is_loopback(listen) or is_loopback(host_name)


def preview_address(host: str, port: int) -> str:
    """The address to open: a wildcard host (``0.0.0.0``, ``::``) is reached as localhost; IPv6 in brackets."""
    name = host.removeprefix("[").removesuffix("]")
    if name in ("", "0.0.0.0", "::"):
        name = "localhost"
    elif ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


# --------------------------------------------------------------------------- what a failed rebuild says

def banner_html(errors: list[Diagnostic]) -> str:
    """The errors to show on top of every page: a region, grouped by file, each as ``check`` prints it.

    File names are text, never links, so that they can be copied; everything is escaped. No
    inline style or script: the page's Content-Security-Policy allows neither, so the look is
    in ``noticeboard/static/preview.css``. Empty when there is no error.
    """
    if not errors:
        return ""
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in errors:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    parts = ['<section class="preview-errors" lang="en" aria-labelledby="preview-errors-title">',
             f'<h2 id="preview-errors-title">The preview is NOT up to date: {plural(len(errors), "error")}</h2>',
             "<p>Below is the last good preview, not your latest change. Fix the errors and save: "
             "this page reloads by itself.</p>"]
    for path, diagnostics in by_file.items():
        parts.append(f'<h3 class="preview-errors-file">{escape_html(one_line(path))}</h3>')
        parts.append("<ul>")
        parts += [f"<li><code>{escape_html(diagnostic.format())}</code></li>" for diagnostic in diagnostics]
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def failure_diagnostic(error: BaseException) -> Diagnostic:
    """A rebuild that failed outside the content, as one line: the template (or file) and line, and why.

    Jinja gives a syntax error's template and line; for an error while rendering it rewrites
    the traceback so that a template's frames carry its file and line, and the innermost one is
    where the template went wrong. Never a traceback.
    """
    reason = _reason(error)
    if isinstance(error, TemplateSyntaxError):
        return Diagnostic(_shown(error.filename or error.name or "template"), error.lineno or 1, "template", reason,
                          codes.TEMPLATE_ERROR)
    frame = _innermost_template_frame(error.__traceback__)
    if frame:
        return Diagnostic(_shown(frame[0]), frame[1], "template", reason, codes.TEMPLATE_ERROR)
    if isinstance(error, TemplateNotFound) and not isinstance(error, TemplatesNotFound):
        return Diagnostic(_shown(Path(render.TEMPLATES) / str(error.name)), 1, "template", reason, codes.TEMPLATE_ERROR)
    if isinstance(error, OSError) and error.filename:
        return Diagnostic(_shown(os.fsdecode(error.filename)), 1, "file", error.strerror or str(error),
                          codes.SITE_FILE_UNREADABLE)
    path, line = _innermost_own_frame(error.__traceback__)
    return Diagnostic(_shown(path), line, "build", reason, codes.BUILD_FAILED)


def _reason(error: BaseException) -> str:
    if isinstance(error, TemplateNotFound) and not isinstance(error, TemplatesNotFound):
        return f"template '{error.name}' not found"
    if isinstance(error, TemplateError):
        return error.message or type(error).__name__
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _frames(traceback: TracebackType | None) -> Iterable[TracebackType]:
    while traceback is not None:
        yield traceback
        traceback = traceback.tb_next


def _innermost_template_frame(traceback: TracebackType | None) -> tuple[str, int] | None:
    """The file and line of the innermost template frame.

    Jinja rewrites a template's frames to carry the template's file and line (and its exception
    in their globals); a frame whose file is in the templates folder is one too.
    """
    templates = os.path.abspath(render.TEMPLATES) + os.sep
    found = None
    for frame in _frames(traceback):
        filename = frame.tb_frame.f_code.co_filename
        if "__jinja_exception__" in frame.tb_frame.f_globals or os.path.abspath(filename).startswith(templates):
            found = filename, frame.tb_lineno
    return found


def _innermost_own_frame(traceback: TracebackType | None) -> tuple[str, int]:
    """The file and line of the innermost frame of Notice Board's own code (else of any code)."""
    frames = list(_frames(traceback))
    package = str(render.PACKAGE) + os.sep
    own = [frame for frame in frames if frame.tb_frame.f_code.co_filename.startswith(package)]
    chosen = (own or frames)[-1] if frames else None
    return (chosen.tb_frame.f_code.co_filename, chosen.tb_lineno) if chosen else ("noticeboard", 1)


def _shown(path: str | Path) -> str:
    return display_path(Path(path))


class Preview:
    """The preview's builds: the folder it serves, and the errors of the latest rebuild."""

    def __init__(self, content: Path, out: Path, base_url: str, today: date | None = None):
        self.content, self.out, self.base_url, self.today = content, out, base_url, today
        self.errors: list[Diagnostic] = []
        self.banner = b""
        self.builds = 0

    def rebuild(self) -> None:
        """Build into the preview folder; on an error keep the last good preview and say why."""
        self.builds += 1
        try:
            result = build(self.content, self.out, self.today or date.today(), self.base_url, drafts=True)
        except Exception as error:  # a template, the stylesheet, the disk: one line, never a traceback
            diagnostic = failure_diagnostic(error)
            self._show([diagnostic])
            print(diagnostic.format(), file=sys.stderr)
            print(f"Preview NOT updated: {diagnostic.path} has an error (above). Fix it; the last good preview "
                  "stays.", file=sys.stderr)
            return
        print_report(result.report)
        self._show(result.report.errors)
        if result.report.errors:
            print(f"Preview NOT updated: {result.summary}. Fix the errors above; the last good preview stays.",
                  file=sys.stderr)
        else:
            print(f"Preview rebuilt: {result.summary}.", file=sys.stderr)

    def _show(self, errors: list[Diagnostic]) -> None:
        self.errors = list(errors)
        self.banner = banner_html(self.errors).encode("utf-8")


# --------------------------------------------------------------------------- watching for changes

def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    """Every file under ``folders`` with what a save changes: time, size and (for editors that rename) inode."""
    seen = {}
    for folder in folders:
        for root, directories, files in os.walk(folder):
            directories[:] = [name for name in directories if name not in (".git", "__pycache__")]
            for name in files:
                path = os.path.join(root, name)
                try:
                    status = os.stat(path)
                except OSError:  # removed meanwhile, or a link that leads nowhere
                    continue
                seen[path] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return seen


class ChangeWatcher(Watcher):
    """Runs ``on_change`` once the watched files have changed and then stayed as they are for ``quiet`` seconds.

    An editor's "save all" writes many files within a fraction of a second: they make one
    rebuild, not one each. A change made during a rebuild is seen at the next look, and makes
    another. It replaces livereload's own polling (``start``), which rebuilds once per file and
    skips the browser's reload when two rebuilds come within three seconds.
    """

    def __init__(self, folders: Iterable[Path], on_change: Callable[[], None], quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.folders = [Path(folder) for folder in folders]
        for folder in self.folders:  # for livereload, which would otherwise watch the working directory
            self._tasks[str(folder)] = {"func": None, "delay": None, "ignore": None, "mtimes": {}}
        self.on_change, self.quiet, self.clock = on_change, quiet, clock
        self._seen = snapshot(self.folders)
        self._changed_at: float | None = None

    def poll(self) -> bool:
        """Look once; return whether ``on_change`` ran."""
        now = self.clock()
        current = snapshot(self.folders)
        if current != self._seen:
            self._seen, self._changed_at = current, now
            return False
        if self._changed_at is None or now - self._changed_at < self.quiet:
            return False
        self._changed_at = None
        self.on_change()
        return True

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(self._tick, POLL_SECONDS * 1000).start()
        return True  # livereload starts no polling of its own

    def _tick(self) -> None:
        if self.poll():  # after every rebuild, good or not: the pages show its errors, or none
            LiveReloadHandler.reload_waiters("*")


# --------------------------------------------------------------------------- serving

def serve(content: Path, host: str, port: int, today: date | None = None) -> int:
    """Preview ``content``; ``today`` is the build date (default: the day of each rebuild)."""
    preview_folder = Path(tempfile.mkdtemp(prefix="noticeboard-preview-")) / "site"
    preview_folder.mkdir()
    base_url = preview_address(host, port)
    preview = Preview(content, preview_folder, base_url, today)

    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        watcher = ChangeWatcher((content, render.TEMPLATES, render.STATIC, LOCALE_DIR), preview.rebuild)
        preview.rebuild()
        server = _PreviewServer(watcher=watcher)
        server.preview = preview
        print(f"Previewing {content} at {base_url} (Ctrl+C to stop)", file=sys.stderr)
        server.serve(root=str(preview_folder), host=host, port=port, open_url_delay=None, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        shutil.rmtree(preview_folder.parent, ignore_errors=True)
    return 0


def _interrupt(signum, frame) -> None:
    """SIGTERM (``kill``, a process manager, ``docker stop``) stops the preview as Ctrl+C does."""
    raise KeyboardInterrupt


_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject(html: bytes, head: bytes, banner: bytes) -> bytes:
    """``html`` with ``head`` added at the end of its ``<head>`` and ``banner`` at the start of its ``<body>``."""
    found = _HEAD_END.search(html)
    if found and head:
        html = html[:found.start()] + head + html[found.start():]
    found = _BODY_START.search(html)
    if found and banner:
        html = html[:found.end()] + b"\n" + banner + html[found.end():]
    return html


class _PreviewInjector(web.OutputTransform):
    """What the preview adds to each HTML page it serves: the live-reload script and, after an error, the banner."""

    preview: Preview
    script: bytes

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "text/html" in headers.get("Content-Type", "") and status_code in (200, 404):
            banner = self.preview.banner
            head = self.script + (f'<link rel="stylesheet" href="{PREVIEW_STYLESHEET}">'.encode() if banner else b"")
            changed = inject(chunk, head, banner)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(changed) - len(chunk))
            chunk = changed
        return status_code, headers, chunk


_NO_PREVIEW_YET = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{render.CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>No preview yet</title>
</head>
<body>
<main id="main" class="preview-placeholder">
<h1>No preview yet</h1>
<p>The content has had errors since the preview started, so there is no page to show yet.
Fix them and save: this page reloads by itself.</p>
</main>
</body>
</html>
""".encode()


class _PreviewFiles(StaticFileHandler):
    """The preview's files, never cached; an unknown address gets the site's own 404 page, in its language."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")  # the same file may come with or without the banner

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code != 404:
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        page = not_found_page(Path(self.root), self.request.path)
        self.finish(page.read_bytes() if page else _NO_PREVIEW_YET)


def not_found_page(root: Path, request_path: str) -> Path | None:
    """The built 404 page for ``request_path``: ``/es/nope`` → ``es/404.html`` when the site has one."""
    first = request_path.lstrip("/").split("/", 1)[0]
    candidates = [root / first / "404.html"] if LANGUAGE_PATTERN.fullmatch(first) else []
    for candidate in candidates + [root / "404.html"]:
        if candidate.is_file():
            return candidate
    return None


class _PreviewStylesheet(web.RequestHandler):
    """The banner's stylesheet, which only the preview serves."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write((Path(render.STATIC) / "preview.css").read_bytes())


class _ForeignHost(web.RequestHandler):
    """The answer to a request addressed to a name that is not this preview's."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"403 Forbidden: this preview answers only to localhost, 127.0.0.1 and [::1], not to "
                    f"Host {self.request.host}. To open it to the network, start it with --host 0.0.0.0.\n")


class _HostCheckedApplication(web.Application):
    """A tornado application that refuses a foreign ``Host`` before any handler runs."""

    def find_handler(self, request, **kwargs):
        if host_allowed(request.host_name, self.settings["preview_host"]):
            return super().find_handler(request, **kwargs)
        return self.get_handler_delegate(request, _ForeignHost)


class _PreviewServer(Server):
    """livereload's ``Server`` whose application checks the ``Host`` of every request.

    livereload builds its application inside ``Server.application`` with no hook, so this
    repeats that method for the single-port case (no ``liveport``), with the live-reload
    endpoints (``/livereload``, ``/livereload.js``, ``/forcereload``) behind the same check as
    pages, the preview's own files and stylesheet, and its injector of script and banner.
    """

    preview: Preview

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        injector = type("Injector", (_PreviewInjector,), {"script": escape.utf8(_live_script(port)),
                                                          "preview": self.preview})
        handlers = [(r"/livereload", LiveReloadHandler), (r"/forcereload", ForceReloadHandler),
                    (r"/livereload.js", LiveReloadJSHandler), (re.escape(PREVIEW_STYLESHEET), _PreviewStylesheet),
                    (r"/(.*)", _PreviewFiles, {"path": self.root, "default_filename": "index.html"})]
        app = _HostCheckedApplication(handlers, debug=debug, transforms=[injector], preview_host=host)
        app.listen(port, address=host)


def _live_script(port: int) -> str:
    """What the preview adds to every page: livereload's script, loaded from the preview itself.

    livereload injects an inline script that writes this tag; the pages' Content-Security-Policy
    refuses inline scripts, so the preview writes the tag directly.
    """
    return f'<script src="/livereload.js?port={port}"></script>'
