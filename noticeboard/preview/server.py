"""``python build.py serve``: a live-reloading preview, rebuilt whenever content or templates change.

The preview also shows drafts that have everything a notice needs, marked as drafts, so
that staff see a notice before they publish it.

The site is kept in memory (``preview.py``) and each page rendered when the browser asks for
it, so the preview writes nothing: not ``site/``, not a temporary folder. Ctrl+C and SIGTERM
both stop the server and exit 0.

While the content (or a template) has errors, the last good preview stays and the server
shows the errors on top of every HTML page it serves: the banner is added to the response on
its way out, never to a page, so no build can ever carry it.

A burst of saves (an editor's "save all") rebuilds once: the watcher rebuilds only when
nothing has changed for ``QUIET_SECONDS``.

A preview listening on a loopback address answers only requests addressed to a loopback
name (``Host: localhost``, ``127.0.0.1``, ``[::1]``): otherwise any web page could read
it through DNS rebinding, pointing a name of its own at 127.0.0.1.
"""
from __future__ import annotations

import mimetypes
import os
import re
import signal
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import escape, ioloop, web, websocket
from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ..output import render
from ..i18n import LOCALE_DIR
from .state import Preview, banner_html, failure_diagnostic
from ..urls import is_loopback

__all__ = ["ChangeWatcher", "Preview", "banner_html", "failure_diagnostic", "inject", "serve"]

QUIET_SECONDS = 0.02  # how long nothing must change before a rebuild: one rebuild per burst of saves
TICK_SECONDS = 0.01  # how often the watcher sees whether a burst is over
AUDIT_SECONDS = 30  # how often the preview compares what it read with the disk
SETTLE_SECONDS = 2  # after a rebuild, when the preview collects its garbage (browsers have reloaded by then)
PREVIEW_STYLESHEET = "/_preview/preview.css"  # a slug never starts with "_", so no page of the site is here


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


class ChangeWatcher(Watcher):
    """Runs ``on_change(paths)`` once files have changed and then nothing changed for ``quiet`` seconds.

    The operating system tells of each change (inotify on Linux, FSEvents on macOS, through
    watchdog), so that a save is seen at once without looking at ten thousand files ten times a
    second. An editor's "save all" writes many files within a few milliseconds: they make one
    rebuild, not one each. A change during a rebuild is kept for the next one. It replaces
    livereload's own polling (``start``), which rebuilds once per file and skips the browser's
    reload when two rebuilds come within three seconds.
    """

    def __init__(self, folders: Iterable[Path], on_change: Callable[[set[str]], None], quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.folders = [os.path.abspath(folder) for folder in folders]
        for folder in self.folders:  # for livereload, which would otherwise watch the working directory
            self._tasks[folder] = {"func": None, "delay": None, "ignore": None, "mtimes": {}}
        self.on_change, self.quiet, self.clock = on_change, quiet, clock
        self._pending: set[str] = set()
        self._changed_at: float | None = None
        self._observer: BaseObserver | None = None
        self.after_rebuild: Callable[[], None] | None = None  # once the browsers have reloaded

    def changed(self, paths: Iterable[str]) -> None:
        """Files changed just now (the observer's thread hands them to the server's loop)."""
        paths = set(paths)
        if paths:
            self._pending |= paths
            self._changed_at = self.clock()

    def poll(self) -> bool:
        """Run ``on_change`` if the changes so far have been quiet long enough; return whether it ran."""
        if self._changed_at is None or self.clock() - self._changed_at < self.quiet:
            return False
        paths, self._pending, self._changed_at = self._pending, set(), None
        self.on_change(paths)
        return True

    def start(self, callback) -> bool:
        loop = ioloop.IOLoop.current()
        self._observer = observe(self.folders, lambda paths: loop.add_callback(self.changed, paths))
        ioloop.PeriodicCallback(self._tick, TICK_SECONDS * 1000).start()
        return True  # livereload starts no polling of its own

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)

    def _tick(self) -> None:
        if self.poll():  # after every rebuild, good or not: the pages show its errors, or none
            LiveReloadHandler.reload_waiters("*")
            if self.after_rebuild is not None:
                ioloop.IOLoop.current().call_later(SETTLE_SECONDS, self.after_rebuild)


class _Forward(FileSystemEventHandler):
    def __init__(self, deliver: Callable[[list[str]], None]):
        self.deliver = deliver

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = changed_paths(event)
        if paths:
            self.deliver(paths)


def observe(folders: Iterable[str], deliver: Callable[[list[str]], None]) -> BaseObserver:
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
            print(f"Watching {', '.join(folders)} by looking every second: {error.strerror or error}",
                  file=sys.stderr)
    raise AssertionError("unreachable: watchdog's PollingObserver works on any file system")


# --------------------------------------------------------------------------- serving

def serve(content: Path, host: str, port: int, today: date | None = None) -> int:
    """Preview ``content``; ``today`` is the build date (default: the day of each rebuild)."""
    base_url = preview_address(host, port)
    preview = Preview(content, base_url, today)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    watcher = None
    try:
        watcher = ChangeWatcher((content, render.TEMPLATES, render.STATIC, LOCALE_DIR), preview.rebuild)
        preview.rebuild()
        preview.settle()
        watcher.after_rebuild = lambda: preview.last_model == "built" and preview.settle()
        server = _PreviewServer(watcher=watcher)
        server.preview = preview
        ioloop.PeriodicCallback(lambda: _audit(preview, watcher), AUDIT_SECONDS * 1000).start()
        print(f"Previewing {content} at {base_url} (Ctrl+C to stop)", file=sys.stderr)
        server.serve(host=host, port=port, open_url_delay=None, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        if watcher is not None:
            watcher.stop()
    return 0


def _audit(preview: Preview, watcher: ChangeWatcher) -> None:
    """Compare what the preview read with the disk, for a change that no event told of (a link's target
    edited outside the watched folders, events lost to an overflowing queue); such a file is read again."""
    watcher.changed(preview.memo.stale())


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
        if "text/html" in headers.get("Content-Type", "") and status_code in (200, 404, 500):
            banner = self.preview.banner if status_code != 500 else b""  # a 500 page holds its own
            head = self.script + (f'<link rel="stylesheet" href="{PREVIEW_STYLESHEET}">'.encode() if banner else b"")
            changed = inject(chunk, head, banner)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(changed) - len(chunk))
            chunk = changed
        return status_code, headers, chunk


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
    page, in its language; a page that cannot be rendered says why, in one line."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def compute_etag(self) -> None:
        return None  # the same file may come with or without the banner: never "304 Not Modified"

    def head(self, path: str) -> None:
        self.get(path, include_body=False)

    def get(self, path: str, include_body: bool = True) -> None:
        self.set_header("Cache-Control", "no-cache")
        file = path + "index.html" if path == "" or path.endswith("/") else path
        try:
            data = self.preview.file(file)
            if data is None and self.preview.file(file + "/index.html") is not None:
                query = f"?{self.request.query}" if self.request.query else ""
                return self.redirect(self.request.path + "/" + query, permanent=False)
            if data is None:
                self.set_status(404)
                file, data = "404.html", self.preview.not_found_page(self.request.path) or _NO_PREVIEW_YET
        except Exception as error:  # a template that fails on this page alone: one line, never a traceback
            diagnostic = failure_diagnostic(error)
            print(f"{diagnostic.format()} (while rendering /{path})", file=sys.stderr)
            self.set_status(500)
            file, data = "500.html", _cannot_render(banner_html([diagnostic]))
        kind, _ = mimetypes.guess_type(file)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/atom+xml"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        if include_body:
            self.write(data)
        self.finish()


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


class _OwnPagesReloadHandler(LiveReloadHandler):
    """livereload's socket, opened only by the preview's own pages.

    livereload accepts a socket from any origin, so any page a browser has open could watch
    the preview; tornado's own check (the ``Origin`` names the host the request was sent to)
    keeps it to the preview's pages. livereload's ``/forcereload``, a reload of every page on
    a GET that any page can send, is not served at all: the preview reloads on saves only.
    """

    def check_origin(self, origin: str) -> bool:
        return websocket.WebSocketHandler.check_origin(self, origin)


class _PreviewServer(Server):
    """livereload's ``Server`` whose application checks the ``Host`` of every request.

    livereload builds its application inside ``Server.application`` with no hook, so this
    repeats that method for the single-port case (no ``liveport``), with the live-reload
    endpoints (``/livereload``, ``/livereload.js``) behind the same check as
    pages, the preview's own files and stylesheet, and its injector of script and banner.
    """

    preview: Preview

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        injector = type("Injector", (_PreviewInjector,), {"script": escape.utf8(_live_script(port)),
                                                          "preview": self.preview})
        handlers = [(r"/livereload", _OwnPagesReloadHandler), (r"/livereload.js", LiveReloadJSHandler), (re.escape(PREVIEW_STYLESHEET), _PreviewStylesheet),
                    (r"/(.*)", _PreviewFiles, {"preview": self.preview})]
        app = _HostCheckedApplication(handlers, debug=debug, transforms=[injector], preview_host=host)
        app.listen(port, address=host)


def _live_script(port: int) -> str:
    """What the preview adds to every page: livereload's script, loaded from the preview itself.

    livereload injects an inline script that writes this tag; the pages' Content-Security-Policy
    refuses inline scripts, so the preview writes the tag directly.
    """
    return f'<script src="/livereload.js?port={port}"></script>'
