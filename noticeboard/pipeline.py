"""The pipeline, one call per stage: load, model, render, write."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .checks.accessibility import check_document_access
from .checks.compliance import check_compliance, summary_line
from .checks.dates import check_dates
from .diagnostics import Report
from .load.cache import DiskCache
from .load.content import load_content
from .load.records import Content
from .output.failures import RenderFailed
from .output.dependencies import FORMAT as RECORD_FORMAT, OutputRecord, PageRecord, record_name
from .output.render import Earlier, render_site
from .output.search import index_files, index_made_from, index_site, link_index
from .output.site_theme import check_site_templates, site_static_files
from .output.write import Copies, FileIdentity, check_output_dir, write_site
from .reporter import Reporter
from .urls import OUTPUT_MARKER
from .site.builder import build_sites
from .site.translations import translation_lines
from .theme import Theme
from .tools.announce import Announcement, Period, SinceCommit, gather


@dataclass
class BuildResult:
    report: Report
    summary: str
    pages: int = 0
    rendered: int = 0  # of the pages: those rendered, the others linked as the last build made them
    search_indexed: bool = False  # the search index was made; False: linked as the last build made it
    translations: list[str] = field(default_factory=list)  # for check: what is not yet translated, per language


def build(content_dir: Path, out: Path, today: date, base_url: str | None = None,
          cache: DiskCache | None = None, reporter: Reporter | None = None,
          theme: Theme | None = None) -> BuildResult:
    """Build the site into ``out`` with the templates and static files of ``theme`` (default: the site's
    own beside ``content_dir``, then the package's); on any error of the content, of the site's templates
    or static files, or of a page as it is rendered, nothing is written. The ``cache`` of what each file
    gave (``cache.py``) makes loading faster, never the site different. ``reporter`` hears of a wait for
    another build writing ``out``; what the build found is in the result."""
    theme = Theme.for_content(content_dir) if theme is None else theme
    check_output_dir(out, content_dir)
    report = Report()
    content = load_content(content_dir, report, cache=cache)
    # build reports what check reports, so that the log of a publishing build is honest
    static = _check_all(content, today, theme, report) if content is not None else {}
    summary = summary_line(content, report)
    if content is None or report.errors:
        return BuildResult(report, summary)
    sites = build_sites(content, today, base_url)
    assets = [Copies(content_dir, sites[0].document_files), *([Copies(theme.site_static, static)] if static else [])]
    records: dict[str, PageRecord] | None = {} if cache is not None else None
    earlier = _earlier(cache, out)
    search = _SearchIndex(sites[0].languages, records, earlier)
    try:
        written = write_site(render_site(sites, theme=theme, records=records, earlier=earlier), assets, out,
                             content_dir, before_swap=search, reporter=reporter)
    except RenderFailed as failure:
        failure.report_to(report)
        return BuildResult(report, summary_line(content, report))
    if cache is not None:
        cache.keep(record_name(out), OutputRecord(
            RECORD_FORMAT, {path: (record, written[path]) for path, record in records.items()},
            (search.made_from, search.files(out)) if search.made_from else None))
    pages = sum(1 for path in written if path.endswith(".html"))
    return BuildResult(report, summary, pages, pages - _pages_kept(records, earlier), not search.linked)


def _pages_kept(records: dict[str, PageRecord] | None, earlier: Earlier | None) -> int:
    """How many pages are as the last build made them: their records are that build's."""
    if records is None or earlier is None:
        return 0
    return sum(1 for path, record in records.items() if record is earlier.record.pages.get(path, (None,))[0])


def _earlier(cache: DiskCache | None, out: Path) -> Earlier | None:
    """The last build into ``out``, when the cache keeps its record and ``out`` is still that build's."""
    record = cache.recall(record_name(out)) if cache is not None else None
    if not isinstance(record, OutputRecord) or record.format != RECORD_FORMAT or not (out / OUTPUT_MARKER).is_file():
        return None
    return Earlier(out.resolve(), record)


class _SearchIndex:
    """The search index of the staged site: linked from the last build's output when every page is as it made
    them (and the index files as it left them), else made by Pagefind."""

    def __init__(self, languages: list[str], records: dict[str, PageRecord] | None, earlier: Earlier | None) -> None:
        self.languages, self.records, self.earlier = languages, records, earlier
        self.made_from: bytes | None = None
        self.linked = False

    def __call__(self, staging: Path) -> None:
        if self.records is not None:
            self.made_from = index_made_from({path: record.content for path, record in self.records.items()})
        before = self.earlier.record.search if self.earlier is not None else None
        if before is not None and self.made_from is not None and before[0] == self.made_from:
            self.linked = link_index(staging, self.earlier.out, before[1])
        if not self.linked:
            index_site(staging, languages=self.languages)

    def files(self, out: Path) -> dict[str, FileIdentity]:
        """The index's files in ``out``, once it is swapped in: as linked (the same files), or as Pagefind wrote them."""
        return self.earlier.record.search[1] if self.linked else index_files(out)


def _check_all(content: Content, today: date, theme: Theme, report: Report) -> dict[str, Path]:
    """What ``build`` and ``check`` both check, as of ``today``: the dates, the law, the documents' access, the
    site's own templates and static files; the static files that the site publishes."""
    check_dates(content, today, report)
    check_compliance(content, today, report)
    check_document_access(content, today, report)
    check_site_templates(theme, content.site.languages[0], report)
    return site_static_files(theme, content, report)


@dataclass
class AnnounceResult:
    report: Report
    summary: str
    announcement: Announcement | None = None  # None: the content has errors


def announce(content_dir: Path, selection: Period | SinceCommit, checked_on: date,
             cache: DiskCache | None = None) -> AnnounceResult:
    """What was posted in ``selection`` (a period of days, or since a commit), in every language of the
    site; nothing when the content has errors.

    The content is checked as on ``checked_on``, not on the last day of the period: a period in
    the past is announced from content that has gone on to later notices, which are valid now.
    What the message shows is as of the period's last day, so that it does not depend on the day
    it is written.
    """
    report = Report()
    content = load_content(content_dir, report, cache=cache)
    if content is not None:
        check_dates(content, checked_on, report)
    summary = summary_line(content, report)
    if content is None or report.errors:
        return AnnounceResult(report, summary)
    return AnnounceResult(report, summary, gather(build_sites(content, selection.today), selection))


def check(content_dir: Path, today: date, cache: DiskCache | None = None, theme: Theme | None = None) -> BuildResult:
    """Validate everything (the site's own templates and static files of ``theme`` too, as ``build`` does)
    and add the compliance warnings; writes nothing but the ``cache``."""
    theme = Theme.for_content(content_dir) if theme is None else theme
    report = Report()
    content = load_content(content_dir, report, cache=cache)
    if content is None:
        return BuildResult(report, summary_line(content, report))
    _check_all(content, today, theme, report)
    translations = [] if report.errors else translation_lines(content, today)
    return BuildResult(report, summary_line(content, report), translations=translations)
