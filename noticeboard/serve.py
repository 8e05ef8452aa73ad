"""``python build.py serve``: a live-reloading preview, rebuilt whenever content or templates change.

The preview also shows drafts that have everything a notice needs, marked as drafts, so
that staff see a notice before they publish it.

The preview is built into a temporary directory outside the project, so that the
server never watches its own output and never touches ``site/``. Ctrl+C and SIGTERM both
stop the server, remove that directory and exit 0.

A preview listening on a loopback address answers only requests addressed to a loopback
name (``Host: localhost``, ``127.0.0.1``, ``[::1]``): otherwise any web page could read
it through DNS rebinding, pointing a name of its own at 127.0.0.1.
"""
from __future__ import annotations

import ipaddress
import shutil
import signal
import sys
import tempfile
from datetime import date
from pathlib import Path

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import escape, web

from .i18n import LOCALE_DIR
from .pipeline import build
from .render import STATIC, TEMPLATES


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


def serve(content: Path, host: str, port: int) -> int:
    from .diagnostics import print_report

    preview = Path(tempfile.mkdtemp(prefix="noticeboard-preview-")) / "site"
    preview.mkdir()
    base_url = preview_address(host, port)

    def rebuild() -> None:
        result = build(content, preview, date.today(), base_url, drafts=True)
        print_report(result.report)
        if result.report.errors:
            print(f"Preview NOT updated: {result.summary}. Fix the errors above; the last good preview stays.",
                  file=sys.stderr)
        else:
            print(f"Preview rebuilt: {result.summary}.", file=sys.stderr)

    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuild()
        server = _PreviewServer()
        for folder in (content, TEMPLATES, STATIC, LOCALE_DIR):
            server.watch(str(folder), rebuild)
        print(f"Previewing {content} at {base_url} (Ctrl+C to stop)", file=sys.stderr)
        server.serve(root=str(preview), host=host, port=port, open_url_delay=None, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        shutil.rmtree(preview.parent, ignore_errors=True)
    return 0


def _interrupt(signum, frame) -> None:
    """SIGTERM (``kill``, a process manager, ``docker stop``) stops the preview as Ctrl+C does."""
    raise KeyboardInterrupt


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
    endpoints (``/livereload``, ``/livereload.js``, ``/forcereload``) behind the same check as pages.
    """

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = escape.utf8(_live_script(port))
        injector = type("Injector", (LiveScriptInjector,), {"script": script})
        handlers = [(r"/livereload", LiveReloadHandler), (r"/forcereload", ForceReloadHandler),
                    (r"/livereload.js", LiveReloadJSHandler)] + self.get_web_handlers(script)
        app = _HostCheckedApplication(handlers, debug=debug, transforms=[injector], preview_host=host)
        app.listen(port, address=host)


def _live_script(port: int) -> str:
    """What the preview adds to every page: livereload's script, loaded from the preview itself.

    livereload injects an inline script that writes this tag; the pages' Content-Security-Policy
    refuses inline scripts, so the preview writes the tag directly.
    """
    return f'<script src="/livereload.js?port={port}"></script>'
