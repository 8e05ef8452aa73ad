"""``python build.py serve``: a live-reloading preview, rebuilt whenever content or templates change.

The preview also shows drafts that have everything a notice needs, marked as drafts, so
that staff see a notice before they publish it.

The site is kept in memory (``state.py``) and each page rendered when the browser asks for
it, so the preview writes nothing: not ``site/``, not a temporary folder. Ctrl+C and SIGTERM
both stop the server and exit 0.

While the content (or a template) has errors, the last good preview stays and the server
shows the errors on top of every HTML page it serves: the banner is added to the response on
its way out, never to a page, so no build can ever carry it.

A burst of saves (an editor's "save all") rebuilds once: the watcher rebuilds only when
nothing has changed for ``QUIET_SECONDS``.

The reload is the preview's own, on tornado: every page it serves loads ``static/preview.js``,
which opens a WebSocket to the preview naming the build that the page shows; after every
rebuild the preview tells each open page to reload. A page can say nothing on it, so no page
can make the preview reload; tornado opens it only for the preview's own pages (its
``check_origin``), so no other site open in the browser can watch the preview.

A preview listening on a loopback address answers only requests addressed to a loopback
name (``Host: localhost``, ``127.0.0.1``, ``[::1]``): otherwise any web page could read
it through DNS rebinding, pointing a name of its own at 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import mimetypes
import os
import re
import secrets
import signal
import time
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from tornado import ioloop, web, websocket
from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ..i18n import LOCALE_DIR
from ..output import render
from ..output.failures import failure_diagnostic
from ..reporter import ConsoleReporter, ExitCode, Reporter
from ..theme import PACKAGE_THEME, Theme
from ..urls import is_loopback
from .state import Preview, banner_html

__all__ = ["ChangeWatcher", "Preview", "Reloads", "banner_html", "failure_diagnostic", "inject", "serve"]

QUIET_SECONDS = 0.02  # how long nothing must change before a rebuild: one rebuild per burst of saves
TICK_SECONDS = 0.01  # how often the watcher sees whether a burst is over
AUDIT_SECONDS = 30  # how often the preview compares what it read with the disk
SETTLE_SECONDS = 2  # after a rebuild, when the preview collects its garbage (browsers have reloaded by then)
RETRY_SECONDS = 1  # how soon a page asks again when the preview stopped (preview.js)
# The preview's own addresses: a slug never starts with "_", so no page of the site is here.
PREVIEW_STYLESHEET = "/_preview/preview.css"
PREVIEW_SCRIPT = "/_preview/preview.js"
RELOAD_SOCKET = "/_preview/reload"


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


# --------------------------------------------------------------------------- watching for changes

# What the file system says when a file's bytes change; reading one (opened, closed without
# writing: every rebuild reads files) and a folder's listing changing (said of the folder along
# with the file created in it) are not changes to rebuild for.
CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED}


def changed_paths(event: FileSystemEvent) -> list[str]:
    """The paths that a file-system event says changed: a move changes where it went from and to."""
    if event.event_type not in CHANGES or (event.is_directory and event.event_type == EVENT_TYPE_MODIFIED):
        return []
    paths = [event.src_path, getattr(event, "dest_path", "")]
    return [os.fsdecode(path) for path in paths if path]


class ChangeWatcher:
    """Runs ``on_change(paths)`` once files have changed and then nothing changed for ``quiet`` seconds.

    The operating system tells of each change (inotify on Linux, FSEvents on macOS, through
    watchdog), so that a save is seen at once without looking at ten thousand files ten times a
    second. An editor's "save all" writes many files within a few milliseconds: they make one
    rebuild, not one each. A change during a rebuild is kept for the next one.
    """

    def __init__(self, folders: Iterable[Path], on_change: Callable[[set[str]], None], quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic, reporter: Reporter | None = None):
        self.folders = [os.path.abspath(folder) for folder in folders]
        self.on_change, self.quiet, self.clock = on_change, quiet, clock
        self.reporter = ConsoleReporter() if reporter is None else reporter
        self.pending: set[str] = set()
        self.changed_at: float | None = None
        self.observer: BaseObserver | None = None
        self.ticker: ioloop.PeriodicCallback | None = None

    def changed(self, paths: Iterable[str]) -> None:
        """Files changed just now (the observer's thread hands them to the server's loop)."""
        paths = set(paths)
        if paths:
            self.pending |= paths
            self.changed_at = self.clock()

    def poll(self) -> bool:
        """Run ``on_change`` if the changes so far have been quiet long enough; return whether it ran."""
        if self.changed_at is None or self.clock() - self.changed_at < self.quiet:
            return False
        paths, self.pending, self.changed_at = self.pending, set(), None
        self.on_change(paths)
        return True

    def start(self) -> None:
        """Hear of changes, and look every ``TICK_SECONDS`` whether a burst is over, on the running loop."""
        loop = ioloop.IOLoop.current()
        self.observer = observe(self.folders, lambda paths: loop.add_callback(self.changed, paths), self.reporter)
        self.ticker = ioloop.PeriodicCallback(self.poll, TICK_SECONDS * 1000)
        self.ticker.start()

    def stop(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)


class _Forward(FileSystemEventHandler):
    def __init__(self, deliver: Callable[[list[str]], None]):
        self.deliver = deliver

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = changed_paths(event)
        if paths:
            self.deliver(paths)


def observe(folders: Iterable[str], deliver: Callable[[list[str]], None],
            reporter: Reporter | None = None) -> BaseObserver:
    """Start hearing of every change under ``folders``; ``deliver`` gets the changed paths, on the observer's thread.

    Where the operating system will not tell (inotify's limit of watched folders reached, an
    unusual file system), watchdog looks at the files every second instead.
    """
    handler = _Forward(deliver)
    for kind in (Observer, PollingObserver):
        observer = kind()
        try:
            for folder in folders:
                if os.path.isdir(folder):
                    observer.schedule(handler, folder, recursive=True)
            observer.start()
            return observer
        except OSError as error:
            (ConsoleReporter() if reporter is None else reporter).note(
                f"watching {', '.join(folders)} by looking every second: {error.strerror or error}")
    raise AssertionError("unreachable: watchdog's PollingObserver works on any file system")


# --------------------------------------------------------------------------- reloading the pages

class Reloads:
    """The preview's pages open in browsers, each told to reload after every rebuild.

    Every page is served with the name of the build it shows (``build``) and opens its socket
    with that name: a page whose build is no longer the preview's (a rebuild came between serving
    the page and opening its socket, or the preview was restarted) reloads at once, so no save
    is missed however late a page connects.
    """

    def __init__(self) -> None:
        self.build = secrets.token_hex(8)
        self.pages: set[_ReloadSocket] = set()

    def reload(self) -> None:
        """A rebuild is done: every open page reloads."""
        self.build = secrets.token_hex(8)
        for page in list(self.pages):
            page.reload()

    def script(self) -> bytes:
        """What each HTML page gets in its ``<head>``: the script, loaded from the preview itself (the
        pages' Content-Security-Policy refuses inline scripts), with the build it shows and its socket."""
        return (f'<script src="{PREVIEW_SCRIPT}" data-build="{self.build}" data-socket="{RELOAD_SOCKET}" '
                f'data-retry="{RETRY_SECONDS * 1000}"></script>').encode()


class _ReloadSocket(websocket.WebSocketHandler):
    """A page of the preview, waiting for the next rebuild.

    Tornado's ``check_origin`` refuses the socket to a page of another origin (a browser always
    sends the page's ``Origin`` when it opens a WebSocket), so another site open in the browser
    cannot watch the preview. What a page sends is ignored: no page can make the preview reload.
    """

    def initialize(self, reloads: Reloads) -> None:
        self.reloads = reloads

    def open(self) -> None:
        self.reloads.pages.add(self)
        if self.get_query_argument("build", "") != self.reloads.build:
            self.reload()

    def on_message(self, message: str | bytes) -> None:
        pass

    def on_close(self) -> None:
        self.reloads.pages.discard(self)

    def reload(self) -> None:
        try:
            sent = self.write_message("reload")
        except websocket.WebSocketClosedError:
            self.reloads.pages.discard(self)
            return
        sent.add_done_callback(lambda done: done.cancelled() or done.exception())  # a page closed meanwhile: fine


# --------------------------------------------------------------------------- serving

def serve(content: Path, host: str, port: int, today: date | None = None, *, reporter: Reporter | None = None,
          theme: Theme | None = None) -> ExitCode:
    """Preview ``content`` with the templates and static files of ``theme`` (default: the site's own beside
    ``content``, then the package's) until Ctrl+C or SIGTERM, then return ``ExitCode.OK``; ``today`` is the
    build date (default: the day of each rebuild). Everything the preview says goes to ``reporter`` (default:
    the terminal)."""
    reporter = ConsoleReporter() if reporter is None else reporter
    preview = Preview(content, preview_address(host, port), today, reporter=reporter, theme=theme)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview.rebuild()
        preview.settle()
        asyncio.run(_serving(preview, host, port, reporter))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
    return ExitCode.OK


async def _serving(preview: Preview, host: str, port: int, reporter: Reporter) -> None:
    """Serve ``preview`` and rebuild it on every change, until interrupted."""
    reloads = Reloads()
    loop = ioloop.IOLoop.current()

    def rebuild(paths: set[str]) -> None:
        preview.rebuild(paths)
        reloads.reload()  # after every rebuild, good or not: the pages show its errors, or none
        if preview.last_model == "built":
            loop.call_later(SETTLE_SECONDS, preview.settle)

    watcher = ChangeWatcher((preview.content, *preview.theme.folders(), LOCALE_DIR), rebuild,
                            reporter=reporter)
    # A change that no event told of (a link's target edited outside the watched folders, events lost to an
    # overflowing queue): the preview compares what it read with the disk, and reads such a file again.
    audit = ioloop.PeriodicCallback(lambda: watcher.changed(preview.memo.stale()), AUDIT_SECONDS * 1000)
    server = None
    try:
        watcher.start()
        server = application(preview, reloads, host).listen(port, address=host)
        audit.start()
        reporter.progress(f"Previewing {preview.content} at {preview.base_url} (Ctrl+C to stop)")
        await asyncio.Event().wait()
    finally:
        audit.stop()
        watcher.stop()
        if server is not None:
            server.stop()


def _interrupt(signum, frame) -> None:
    """SIGTERM (``kill``, a process manager, ``docker stop``) stops the preview as Ctrl+C does."""
    raise KeyboardInterrupt


def application(preview: Preview, reloads: Reloads, host: str) -> web.Application:
    """The preview's pages and files, its own stylesheet and script, and the reload socket, every one behind
    the check of ``Host`` (``host`` is the address the preview listens on)."""
    return _HostCheckedApplication([
        (re.escape(RELOAD_SOCKET), _ReloadSocket, {"reloads": reloads}),
        (re.escape(PREVIEW_STYLESHEET), _PreviewOwnFile, {"name": "preview.css"}),
        (re.escape(PREVIEW_SCRIPT), _PreviewOwnFile, {"name": "preview.js"}),
        (r"/(.*)", _PreviewFiles, {"preview": preview, "reloads": reloads}),
    ], preview_host=host, log_function=lambda handler: None)  # what the preview says goes to its reporter


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


def _placeholder(heading: str, text: str, banner: str = "") -> bytes:
    """A page of the preview's own, where the site has none to show."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{render.CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
</head>
<body>
{banner}<main id="main" class="preview-placeholder">
<h1>{heading}</h1>
<p>{text}</p>
</main>
</body>
</html>
""".encode()


_NO_PREVIEW_YET = _placeholder("No preview yet", "The content has had errors since the preview started, so there "
                               "is no page to show yet.\nFix them and save: this page reloads by itself.")


def _cannot_render(banner: str) -> bytes:
    return _placeholder("This page cannot be shown", "A template fails on this page (above). Fix it and save: "
                        "this page reloads by itself.", banner)


class _PreviewFiles(web.RequestHandler):
    """The preview's files, from memory and never cached; an unknown address gets the site's own 404
    page, in its language; a page that cannot be rendered says why, in one line. Each HTML page gets
    the reload script and, after an error, the banner (with its stylesheet)."""

    def initialize(self, preview: Preview, reloads: Reloads) -> None:
        self.preview, self.reloads = preview, reloads

    def compute_etag(self) -> None:
        return None  # the same file may come with or without the banner: never "304 Not Modified"

    def head(self, path: str) -> None:
        self.get(path, include_body=False)

    def get(self, path: str, include_body: bool = True) -> None:
        self.set_header("Cache-Control", "no-cache")
        file = path + "index.html" if path == "" or path.endswith("/") else path
        banner = self.preview.banner
        try:
            data = self.preview.file(file)
            if data is None and self.preview.file(file + "/index.html") is not None:
                query = f"?{self.request.query}" if self.request.query else ""
                return self.redirect(self.request.path + "/" + query, permanent=False)
            if data is None:
                self.set_status(404)
                file, data = "404.html", self.preview.not_found_page(self.request.path) or _NO_PREVIEW_YET
        except Exception as error:  # a template that fails on this page alone: one line, never a traceback
            diagnostic = failure_diagnostic(error, self.preview.theme)
            self.preview.reporter.diagnostic(diagnostic, f" (while rendering /{path})")
            self.set_status(500)
            file, data = "500.html", _cannot_render(banner_html([diagnostic]))
            banner = b""  # the page holds its own
        kind, _ = mimetypes.guess_type(file)
        kind = kind or "application/octet-stream"
        if kind == "text/html":
            styled = banner or self.get_status() == 500
            head = self.reloads.script() + (f'<link rel="stylesheet" href="{PREVIEW_STYLESHEET}">'.encode()
                                            if styled else b"")
            data = inject(data, head, banner)
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/atom+xml"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        if include_body:
            self.write(data)
        self.finish()


class _PreviewOwnFile(web.RequestHandler):
    """A file that only the preview serves (``static/preview.css``, ``static/preview.js``), never a built site."""

    def initialize(self, name: str) -> None:
        self.name = name

    def get(self) -> None:
        kind, _ = mimetypes.guess_type(self.name)
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write((PACKAGE_THEME.static / self.name).read_bytes())  # the package's own, whatever the theme


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
