"""What went wrong while pages were made, as one diagnostic line: the template (or file) and line, and why.

A build and the preview both render with templates that a site may have written itself
(``templates/`` beside its content): an error in one is the site's to fix, so it is shown as
any content error is, ``templates/x.html:LINE: error: template: … [NB501]``, never as a traceback.
"""
from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Iterable

from jinja2 import TemplateError, TemplateNotFound, TemplatesNotFound, TemplateSyntaxError

from .. import codes
from ..diagnostics import Diagnostic, Report
from ..load.reader import display_path
from ..theme import PACKAGE, PACKAGE_THEME, Theme


class RenderFailed(Exception):
    """A page or file could not be made; ``diagnostic`` says where and why (made where the error was raised,
    in a worker process too, whose traceback does not cross to the parent)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic)
        self.diagnostic = diagnostic

    def report_to(self, report: Report) -> None:
        report_failure(report, self.diagnostic)


def report_failure(report: Report, diagnostic: Diagnostic) -> None:
    """Add what ``failure_diagnostic`` made to ``report``, with the other problems of the run."""
    report.in_file(diagnostic.path, diagnostic.code, diagnostic.message, line=diagnostic.line, field=diagnostic.field)


def failure_diagnostic(error: BaseException, theme: Theme = PACKAGE_THEME) -> Diagnostic:
    """A failure to make a page or file, as one line: the template (or file) and line, and why.

    Jinja gives a syntax error's template and line; for an error while rendering it rewrites
    the traceback so that a template's frames carry its file and line, and the innermost one is
    where the template went wrong. Never a traceback.
    """
    reason = _reason(error)
    if isinstance(error, TemplateSyntaxError):
        return Diagnostic(_shown(error.filename or error.name or "template"), error.lineno or 1, "template", reason,
                          codes.TEMPLATE_ERROR)
    frame = _innermost_template_frame(error.__traceback__, theme)
    if frame:
        return Diagnostic(_shown(frame[0]), frame[1], "template", reason, codes.TEMPLATE_ERROR)
    if isinstance(error, TemplateNotFound) and not isinstance(error, TemplatesNotFound):
        return Diagnostic(_shown(theme.templates / str(error.name)), 1, "template", reason, codes.TEMPLATE_ERROR)
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


def _innermost_template_frame(traceback: TracebackType | None, theme: Theme) -> tuple[str, int] | None:
    """The file and line of the innermost template frame.

    Jinja rewrites a template's frames to carry the template's file and line (and its exception
    in their globals); a frame whose file is in a templates folder is one too.
    """
    folders = tuple(os.path.abspath(folder) + os.sep for folder in theme.template_folders())
    found = None
    for frame in _frames(traceback):
        filename = frame.tb_frame.f_code.co_filename
        if "__jinja_exception__" in frame.tb_frame.f_globals or os.path.abspath(filename).startswith(folders):
            found = filename, frame.tb_lineno
    return found


def _innermost_own_frame(traceback: TracebackType | None) -> tuple[str, int]:
    """The file and line of the innermost frame of Notice Board's own code (else of any code)."""
    frames = list(_frames(traceback))
    package = str(PACKAGE) + os.sep
    own = [frame for frame in frames if frame.tb_frame.f_code.co_filename.startswith(package)]
    chosen = (own or frames)[-1] if frames else None
    return (chosen.tb_frame.f_code.co_filename, chosen.tb_lineno) if chosen else ("noticeboard", 1)


def _shown(path: str | Path) -> str:
    return display_path(Path(path))
