"""The preview's site, kept in memory and brought up to date on every save.

The preview reads the content as a build does, but keeps what each file gave (``memo.py``)
and the model of every language built so far, and renders a page only when the browser asks
for it (``file``). A save reads that file again, then either changes the text of the objects
that show it (``patch.patch_sites``) or builds the model anew; the rendered pages are dropped,
so that the page on screen is rendered again, from the new model, when the browser reloads it.
At ten thousand notices a save is on screen in a fraction of a second (docs/developers/performance.md).

While the content (or a template) has errors, the last good site stays and ``banner`` holds
the errors that the server shows on top of every page; nothing is ever written to disk.
"""
from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html import escape as escape_html
from pathlib import Path
from typing import Iterable, Iterator

from jinja2 import Environment

from .. import urls
from ..checks.compliance import summary_line
from ..checks.dates import check_dates
from ..diagnostics import Diagnostic, Report, one_line, plural
from ..i18n import LOCALE_DIR
from ..load.content import load_content
from ..load.memo import FileMemo
from ..load.reader import resolved_inside
from ..load.records import Content
from ..load.rules import VendorSpellings
from ..output import render
from ..output.failures import failure_diagnostic
from ..output.site_theme import check_site_templates, site_static_files
from ..reporter import ConsoleReporter, Reporter
from ..site.builder import build_site
from ..site.pages import Site
from ..theme import BUILTIN_PREFIX, Theme
from .patch import patch_sites


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


@dataclass
class _Generation:
    """One good state of the preview: the content, its sites (built when first asked for) and their templates."""
    content: Content
    today: date
    environments: dict[str, Environment]
    sites: dict[str, Site]
    plans: dict[str, dict[str, render.PagePlan]]  # language → its pages by file path
    static: dict[str, Path]  # the site's own static files, by their path in the site

    @property
    def languages(self) -> list[str]:
        return self.content.site.languages

    def language_of(self, path: str) -> str:
        """The language of a file or address of the site: ``es/contracts/`` → es; ``contracts/`` → the default."""
        first = path.lstrip("/").split("/", 1)[0]
        return first if first in self.languages[1:] else self.languages[0]


class Preview:
    """The preview's site: what the last good rebuild gave, the errors of the latest one, and the pages."""

    def __init__(self, content: Path, base_url: str, today: date | None = None, *, reporter: Reporter | None = None,
                 theme: Theme | None = None):
        self.content, self.base_url, self.today = content, base_url, today
        self.theme = Theme.for_content(content) if theme is None else theme
        self.reporter = ConsoleReporter() if reporter is None else reporter  # everything the preview says
        self.errors: list[Diagnostic] = []
        self.banner = b""
        self.last_model = ""  # how the last good rebuild made its model: "patched" or "built" (for tests, bench)
        self.memo = FileMemo()
        self.spellings = VendorSpellings()
        self._good: _Generation | None = None
        self._files: dict[str, bytes] = {}  # rendered since the last rebuild, by file path
        self._templates_due = True  # load the templates at the next rebuild: changed, or failed last time

    # ------------------------------------------------------------------ rebuilding

    def rebuild(self, changed: Iterable[str] | None = None) -> None:
        """Bring the preview up to date with the files that ``changed`` (``None``: every file).

        On an error the last good site stays, and ``errors`` and ``banner`` say why.
        """
        changed = None if changed is None else [os.path.abspath(path) for path in changed]
        if changed is None:
            self.memo = FileMemo()
        else:
            self.memo.forget(changed)
        self._templates_due = self._templates_due or self._templates_changed(changed)
        started = time.perf_counter()
        try:
            with _collecting_later():
                result = self._rebuild(self._templates_due)
        except Exception as error:  # a template, the stylesheet, the disk: one line, never a traceback
            diagnostic = failure_diagnostic(error, self.theme)
            self._show([diagnostic])
            self.reporter.diagnostic(diagnostic)
            self.reporter.progress(f"Preview NOT updated: {diagnostic.path} has an error (above). Fix it; the last "
                                   "good preview stays.")
            return
        report, summary = result
        self.reporter.diagnostics(report)
        self._show(report.errors)
        if report.errors:
            self.reporter.progress(f"Preview NOT updated: {summary}. Fix the errors above; the last good preview "
                                   "stays.")
        else:
            self.reporter.progress(f"Preview rebuilt in {time.perf_counter() - started:.2f} s ({self.last_model}): "
                                   f"{summary}.")

    def _templates_changed(self, changed: list[str] | None) -> bool:
        if changed is None:
            return True
        folders = tuple(str(folder) + os.sep for folder in (*self.theme.folders(), LOCALE_DIR))
        return any(path.startswith(folders) for path in changed)

    def _rebuild(self, templates_changed: bool) -> tuple[Report, str]:
        today = self.today or date.today()
        report = Report()
        content = load_content(self.content, report, self.memo, self.spellings)
        static: dict[str, Path] = {}
        if content is not None:
            check_dates(content, today, report)
            if templates_changed:
                check_site_templates(self.theme, content.site.languages[0], report)
            static = site_static_files(self.theme, content, report)
        summary = summary_line(content, report)
        if content is None or report.errors:
            return report, summary
        good = self._good
        if good and not templates_changed and good.today == today and patch_sites(
                list(good.sites.values()), good.content, content, today):
            good.content, good.static = content, static
            way = "patched"
        else:
            way = "built"
            environments = (good.environments if good and not templates_changed
                            else {lang: _loaded_templates(lang, self.theme) for lang in content.site.languages})
            good = _Generation(content, today, environments, {}, {}, static)
            for lang in content.site.languages if templates_changed else content.site.languages[:1]:
                self._site(good, lang)
            if templates_changed:
                _try_every_template(good)
        self._good, self._files, self._templates_due = good, {}, False
        self.last_model = way
        return report, summary

    def _show(self, errors: list[Diagnostic]) -> None:
        self.errors = list(errors)
        self.banner = banner_html(self.errors).encode("utf-8")

    def _site(self, good: _Generation, lang: str) -> Site:
        """The site in ``lang``, built the first time it is asked for."""
        if lang not in good.sites:
            with _collecting_later():
                site = build_site(good.content, good.today, self.base_url, drafts=True, lang=lang)
            good.sites[lang] = site
            good.plans[lang] = {plan.path: plan for plan in render.page_plans(site)}
        return good.sites[lang]

    @staticmethod
    def settle() -> None:
        """Collect the garbage of the last rebuild now, while nobody waits for a page.

        The server calls it when the model was built anew and the browsers have reloaded. The old
        model is tens of thousands of objects that point at each other, which only a full collection
        frees; left to itself, Python would run that collection in the middle of a later save.
        """
        gc.collect()

    # ------------------------------------------------------------------ serving

    def file(self, path: str) -> bytes | None:
        """The file at ``path`` in the site (``contracts/x/index.html``), rendered now if it has not been
        since the last rebuild; ``None`` when the site has no such file (or no good rebuild yet)."""
        if path in self._files:
            return self._files[path]
        good = self._good
        if good is None:
            return None
        lang = good.language_of(path)
        site = self._site(good, lang)
        env = good.environments[lang]
        default = lang == good.languages[0]
        if path in good.plans[lang]:
            data = render.render_page(site, env, good.plans[lang][path])
        elif path in (made := render.files_besides_pages(site, shared=default)):
            data = made[path](env)
        elif default and path in site.document_files:
            return self._copied(site.document_files[path], self.content)
        elif default and path in good.static:
            return self._copied(good.static[path], self.theme.site_static)
        else:
            return None
        self._files[path] = data
        return data

    @staticmethod
    def _copied(source: Path, folder: Path) -> bytes | None:
        """A document's or a static file's bytes, read each time (it may be large), unless it leads out of
        ``folder`` (the content, the site's static/) now."""
        try:
            if resolved_inside(source, folder)[1]:
                return source.read_bytes()
        except (OSError, RuntimeError):
            pass
        return None

    def not_found_page(self, request_path: str) -> bytes | None:
        """The site's 404 page for ``request_path``, in its language: ``/es/nope`` → ``es/404.html``."""
        if self._good is None:
            return None
        default = self._good.languages[0]
        return self.file(urls.file_path(urls.in_language(urls.NOT_FOUND, self._good.language_of(request_path),
                                                         default)))


def _loaded_templates(lang: str, theme: Theme) -> Environment:
    """The templates of ``lang``, every one compiled now: a syntax error stops the rebuild, and the
    environment keeps these templates while a later edit of one has an error."""
    env = render.environment(lang, auto_reload=False, theme=theme)
    for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml"))
                                   and not name.startswith(f"{BUILTIN_PREFIX}/")):
        env.get_template(name)
    return env


def _try_every_template(good: _Generation) -> None:
    """Render one page of each template in each language, the feed and the shared files, so that a
    template that fails when it runs stops the rebuild, as a build would."""
    for lang, site in good.sites.items():
        env = good.environments[lang]
        tried = set()
        for plan in good.plans[lang].values():
            if plan.template not in tried:
                tried.add(plan.template)
                render.render_page(site, env, plan)
        for make in render.files_besides_pages(site, shared=lang == good.languages[0]).values():
            make(env)


@contextmanager
def _collecting_later() -> Iterator[None]:
    """No garbage collection while a model is built: its tens of thousands of new objects would
    make Python look through every object of the preview many times over (seconds at 10,000
    notices). What became garbage is collected afterwards, as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
