"""``python build.py serve``: a live-reloading preview, rebuilt whenever content or templates change.

The preview also shows drafts that have everything a notice needs, marked as drafts, so
that staff see a notice before they publish it.

The preview is built into a temporary directory outside the project, so that the
server never watches its own output and never touches ``site/``.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from .pipeline import build
from .render import STATIC, TEMPLATES


def serve(content: Path, host: str, port: int) -> int:
    from livereload import Server

    from .cli import print_report

    preview = Path(tempfile.mkdtemp(prefix="noticeboard-preview-")) / "site"
    preview.mkdir()
    base_url = f"http://{host}:{port}/"

    def rebuild() -> None:
        result = build(content, preview, date.today(), base_url, drafts=True)
        print_report(result.report)
        if result.report.errors:
            print(f"Preview NOT updated: {result.summary}. Fix the errors above; the last good preview stays.",
                  file=sys.stderr)
        else:
            print(f"Preview rebuilt: {result.summary}.", file=sys.stderr)

    rebuild()
    server = Server()
    for folder in (content, TEMPLATES, STATIC):
        server.watch(str(folder), rebuild)
    print(f"Previewing {content} at {base_url} (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve(root=str(preview), host=host, port=port, open_url_delay=None, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(preview.parent, ignore_errors=True)
    return 0
