"""A site's own templates and static files (``templates/`` and ``static/`` beside its content), checked
before anything is rendered, so that a build that would fail on them writes nothing.

Every template of the site's folder is compiled (all syntax errors at once, each on its line);
one that no page uses, because its name is no built-in template's and no other template of the
site includes it, gets a warning with the name it may have meant. Every file of ``static/`` is
published at the same path from the site's root, unless it is hidden, is the folder's note
(``README.md``), leads out of the folder, or would land on a page or file that the site writes
itself (the table of outputs, a further language's folder, a page of ``content/pages/``).
"""
from __future__ import annotations

import os
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta

from .. import codes, urls
from ..diagnostics import Report
from ..load.files import link_problem
from ..load.reader import display_path
from ..load.records import Content
from ..theme import BUILT_IN_STATIC, FOLDER_NOTE, Theme
from ..values import did_you_mean
from .failures import failure_diagnostic, report_failure
from .render import environment


def _files(folder: Path | None) -> list[tuple[str, Path]]:
    """Every file under ``folder`` as (its path from there, with ``/``; the file), in order: hidden files and
    folders, and the folder's note at its top, left out. Links are followed (a loop once), so that a file
    reached through one is seen, and refused if it leads out of ``folder``."""
    if folder is None or not folder.is_dir():
        return []
    found, seen, pending = [], set(), [folder]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(current))
        except (NotADirectoryError, FileNotFoundError):
            continue
        for entry in entries:
            path = Path(entry.path)
            relative = path.relative_to(folder).as_posix()
            if entry.name.startswith(".") or relative == FOLDER_NOTE:
                continue
            if entry.is_dir():
                pending.append(path)
            else:
                found.append((relative, path))
    return sorted(found)


def check_site_templates(theme: Theme, lang: str, report: Report) -> None:
    """Compile every template of the site's own folder (with the interface text of ``lang``): each syntax
    error is a line of ``report``, all of them at once; a template that no page uses is a warning."""
    own = _files(theme.site_templates)
    if not own:
        return
    env = environment(lang, theme=theme)
    referenced: set[str | None] = set()
    names = []
    for name, path in own:
        try:
            source = path.read_bytes().decode("utf-8")
        except OSError as error:
            report.in_file(display_path(path), codes.SITE_FILE_UNREADABLE, error.strerror or str(error))
            continue
        except UnicodeDecodeError as error:
            line = path.read_bytes()[:error.start].count(b"\n") + 1
            report.in_file(display_path(path), codes.TEMPLATE_ERROR, "is not UTF-8 text; save it as UTF-8",
                           line=line, field="template")
            continue
        try:
            parsed = env.parse(source, name, str(path))
            env.compile(parsed, name, str(path))
        except TemplateSyntaxError as error:
            report_failure(report, failure_diagnostic(error, theme))
            continue
        referenced |= set(meta.find_referenced_templates(parsed))
        names.append((name, path))
    if None in referenced:  # a template named by a variable: any of them may be used
        return
    built_in = [name for name, _ in _files(theme.templates)]
    pages = [known for known in built_in if not known.startswith("email/")]
    for name, path in names:
        if name.startswith("email/"):
            why = ("the e-mail that announce writes is made from the built-in templates only; "
                   "remove the file (docs/operators/theming.md)")
        elif name in pages or name in referenced:
            continue
        else:
            why = (f"no built-in template has this name and no template of the site includes it, so no page uses it"
                   f"{did_you_mean(name, pages)}")
        report.in_file(display_path(path), codes.TEMPLATE_NOT_USED, why, field="template")


def site_static_files(theme: Theme, content: Content, report: Report) -> dict[str, Path]:
    """The files of the site's own ``static/`` that the build copies, by their path in the site. A file that
    leads out of the folder, cannot be read or would land on the site's own output is a line of ``report``
    instead. Those named like a built-in static file (``style.css``) are not among them: the site publishes
    them in its place (``Theme.static_file``)."""
    folder = theme.site_static
    published = {}
    for relative, path in _files(folder):
        problem = link_problem(path, folder)
        if problem:
            report.in_file(display_path(path), codes.BAD_LINK, problem)
            continue
        try:
            with open(path, "rb"):
                pass
        except OSError as error:
            report.in_file(display_path(path), codes.SITE_FILE_UNREADABLE, error.strerror or str(error))
            continue
        taken = _taken(relative, content)
        if taken:
            report.in_file(display_path(path), codes.STATIC_FILE_CONFLICT, taken)
        elif relative not in BUILT_IN_STATIC:
            published[relative] = path
    return published


_ELSEWHERE = "move it into a folder of its own, such as static/images/"


def _taken(relative: str, content: Content) -> str | None:
    """Why the site's own output is where the static file ``relative`` would land, or None when nothing is.

    Names are compared without case: on the file systems of Windows and macOS ``Index.html`` is ``index.html``.
    """
    folded = relative.casefold()
    first = folded.split("/", 1)[0]
    for output in urls.OUTPUTS:
        if output.made == urls.MARKER:
            continue
        written = urls.file_path(output.url) if output.made == urls.PAGE else output.url
        top = written.split("/", 1)[0]
        if folded == written.casefold():
            if output.url in BUILT_IN_STATIC:
                continue  # the site's own style.css, published in place of the built-in one
            change = (f"; to change that page, put your own {output.template} in templates/" if output.template
                      else "; give the file another name")
            return f"would replace {written}, which the site makes itself{change}"
        if first == top.casefold():
            if "/" not in written:
                return f"would make a folder of {written}, a file that the site writes itself; {_ELSEWHERE}"
            return f"would land in {top}/, where the site writes its own pages and files; {_ELSEWHERE}"
    for lang in content.site.languages[1:]:
        if first == lang.casefold():
            return (f"would land in {lang}/, where the site writes its pages in '{lang}' (a language of site.yml); "
                    f"{_ELSEWHERE}")
    for page in sorted({record.name for record in content.pages}):
        if first == page.casefold():
            return f"would land in {page}/, the page of content/pages/{page}.md; {_ELSEWHERE}"
    return None
