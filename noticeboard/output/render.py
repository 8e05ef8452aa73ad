"""Site → {output path: bytes}: Jinja templates, Markdown, sanitising, open data."""
from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing
import os
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from functools import partial
from typing import Callable, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

import nh3
from babel.support import NullTranslations
from jinja2 import (BaseLoader, BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader,
                    StrictUndefined, pass_context, select_autoescape)
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from .. import urls
from ..characters import without_forbidden_characters
from ..colours import accent_dark
from ..i18n import date_formatter, language_name, language_name_in, size_formatter, translations
from ..languages import untranslated
from ..load.markdown_text import markdown_to_html
from ..site.pages import Breach, Notice, Site
from ..theme import BUILT_IN_STATIC, BUILTIN_PREFIX, PACKAGE_THEME, Theme
from .dependencies import (Digests, Model, OutputRecord, PageRecord, RecordingEnvironment, language_key,
                           page_key, recorded)
from .failures import RenderFailed, failure_diagnostic
from .write import Kept
from .labels import Labels, N_
from .search import search_words


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "div", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"},
                      "sup": {"id"}, "li": {"id"}, "div": {"class"}}
FOOTNOTE_ID = re.compile(r"fn(ref\d*)?:\d+-[\w-]+")  # markdown_text: fn:2-1, fnref:2-1, fnref2:2-1

# Every page may load only the site's own files: no other host, no inline script or style.
# 'wasm-unsafe-eval' is for search (Pagefind runs WebAssembly). docs/operators/deployment.md
# gives the same policy as an HTTP header, with what a <meta> cannot say.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
                           "manifest-src 'self'; form-action 'self'; base-uri 'none'")


def markdown_html(text: str | None, block: int, link: Callable[[str], str],
                  converted: Mapping[str, str] | None = None) -> str:
    """Markdown → sanitised HTML, as the ``block``-th Markdown text of its page.

    Each Markdown text of a page gets its number on the page, so that the footnote ids of
    two texts (a notice's description and notes) differ; ``markdown_text`` keeps each page
    at one ``h1``. Site-absolute links (``/contracts/``) become what ``link`` makes of them:
    relative, so that they work on disk, and to the page in the page's language. ``converted`` is
    what loading made of each text (``Site.markdown_html``), as the first block of a page.
    """
    if not text:
        return ""
    html = (converted or {}).get(text) if block == 1 or "[^" not in text else None
    if html is None:
        html = markdown_to_html(text, footnote_block=block)

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":  # only the footnotes' own ids, never one that clashes with the layout
            return value if FOOTNOTE_ID.fullmatch(value) else None
        if attribute == "class":
            return value if value == "footnote" else None
        if tag == "a" and attribute == "href" and value.startswith("/") and not value.startswith("//"):
            return link(_directory_form(value).lstrip("/"))
        return value

    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=rewrite,
                      url_schemes={"http", "https", "mailto", "tel"})
    return without_forbidden_characters(clean)  # what a character reference such as &#27; decoded to


def _directory_form(url: str) -> str:
    """``/contracts`` → ``/contracts/``: a page's URL is its directory, unless it names a file.

    ``url`` is site-absolute (``/…``), so that no part of it reads as a scheme or a host.
    """
    parts = urlsplit(url)
    if not parts.path.endswith("/") and "." not in posixpath.basename(parts.path):
        parts = parts._replace(path=parts.path + "/")
    return urlunsplit(parts)


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, for every build, per catalog.

    An environment is built per build (its Markdown filter counts footnote blocks per page),
    but compiling the templates is most of its cost. Jinja checks each entry against the
    template's source, so an edited template is compiled again; the interface text is
    compiled into the templates (``_FixedText``), so each catalog, and each version of it,
    has its own.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES: dict[NullTranslations, _CompiledTemplates] = {}  # i18n keeps each version of a catalog


class _FixedText(Extension):
    """``_("…")`` without variables, translated once as a template is compiled, not at each of its calls.

    A page calls ``_`` some seventy times, half a million calls for a site of a thousand
    notices. The constant is what the i18n extension's newstyle ``gettext`` returns (the
    translation as markup, formatted with no variables, so that ``%%`` is ``%``), marked
    ``safe``, which Jinja's optimiser applies when it compiles. Only in autoescaped templates,
    where ``gettext`` returns markup too; text with variables and ``{% trans %}`` are left to it.
    """

    def filter_stream(self, stream: TokenStream):
        autoescape = self.environment.autoescape
        if not (autoescape(stream.name) if callable(autoescape) else autoescape):
            return stream
        catalog = self.environment.fixed_text_catalog
        tokens = list(stream)
        folded = []
        index = 0
        while index < len(tokens):
            call = tokens[index:index + 4]
            if ([token.type for token in call] == ["name", "lparen", "string", "rparen"] and call[0].value == "_"
                    and (index == 0 or tokens[index - 1].type != "dot")):
                line = call[0].lineno
                text = str(Markup(catalog.gettext(call[2].value)) % {})
                folded += [Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                           Token(line, "name", "safe"), Token(line, "rparen", ")")]
                index += 4
            else:
                folded.append(tokens[index])
                index += 1
        return folded


def template_loader(theme: Theme) -> BaseLoader:
    """A template by its name from the site's own folder, else the package's; ``builtin/NAME`` is always the
    package's, so that a site's ``base.html`` can extend the built-in one and change only some of its blocks."""
    built_in = FileSystemLoader(str(theme.templates))
    own = [FileSystemLoader(str(theme.site_templates))] if theme.site_templates is not None else []
    return ChoiceLoader([PrefixLoader({BUILTIN_PREFIX: built_in}), *own, built_in])


def environment(lang: str, auto_reload: bool = True, theme: Theme = PACKAGE_THEME,
                catalog: NullTranslations | None = None) -> Environment:
    """The templates of ``theme`` with the interface text of ``lang`` (its ``catalog``, unless another
    is given); one per language, built once per build. ``env.theme`` is where its static files are.

    The preview makes them without ``auto_reload``, so that each keeps the templates it first
    loaded: the last good ones, while an edited template has an error.
    """
    catalog = translations(lang) if catalog is None else catalog
    env = RecordingEnvironment(
        bytecode_cache=_COMPILED_TEMPLATES.setdefault(catalog, _CompiledTemplates()),
        auto_reload=auto_reload,
        loader=template_loader(theme),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", _FixedText],
    )
    env.extend(fixed_text_catalog=catalog, theme=theme)
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    env.install_gettext_translations(catalog, newstyle=True)

    @pass_context
    def markdown_filter(context, text):
        return Markup(markdown_html(text, next(context["markdown_blocks"]), context["markdown_link"],
                                    context["site"].markdown_html))

    formatted_date = date_formatter(lang)

    def date_filter(value):
        return formatted_date(value) if value else ""

    env.filters["markdown"] = markdown_filter
    env.filters["date"] = date_filter
    env.filters["filesize"] = size_formatter(lang)
    env.tests["untranslated"] = lambda text: untranslated(text, lang)
    env.globals["urls"] = urls
    env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
    env.globals["language_name_in"] = lambda code: language_name_in(code, lang)
    env.globals["labels"] = Labels(catalog, formatted_date)
    env.globals["search_words"] = search_words(lang)
    return env


@dataclass(frozen=True)
class Twin:
    """The page in another language: what the language switch and ``hreflang`` links show."""
    lang: str
    name: str  # the language's name in that language: "Español"
    link: str  # from the page, relative
    address: str  # absolute, for search engines


PAGES_PER_WORKER = 500  # fewer pages than this for each worker: one process is sooner than starting others
PAGES_PER_SHARE = 32  # what a worker renders at a time: enough to make a pickle worth it, few enough to write soon


@dataclass
class Earlier:
    """The output of the previous build into the same place, and its record (``dependencies.OutputRecord``)."""
    out: Path
    record: OutputRecord


def render_site(sites: list[Site], workers: int | None = None, theme: Theme = PACKAGE_THEME,
                records: dict[str, PageRecord | None] | None = None,
                earlier: Earlier | None = None) -> Iterator[tuple[str, bytes | Kept]]:
    """Every file, as (path, bytes): each page in each language, then the files that all languages share.

    The pages are rendered in ``workers`` processes (default: one per core, where the system
    can fork), a few dozen at a time, and given in order as they come: the files are the same
    bytes as from one process (a test compares them), only sooner, and no more of them are
    held at once than the workers have made ahead of the writer. A page or file that cannot be
    made (a template's error, a static file that cannot be read) raises ``RenderFailed``.

    Given ``records``, what each page was made from is put there by its path
    (``dependencies.py``); given also the ``earlier`` output and its record, a page that would read
    what it read then is not rendered but given as ``Kept``, first.
    """
    try:
        plans = [(index, plan) for index, site in enumerate(sites) for plan in page_plans(site)]
        environments = [environment(site.lang, auto_reload=False, theme=theme) for site in sites]
        if records is None:
            todo = [(index, plan, None) for index, plan in plans]
        else:
            keys = _page_keys(sites, environments, plans, theme)
            todo = [(index, plan, key) for (index, plan), key in zip(plans, keys)]
            if earlier is not None:
                models = [Model(site) for site in sites]
                kept = [(index, plan, key, earlier.record.pages[plan.path]) for index, plan, key in todo
                        if plan.path in earlier.record.pages
                        and models[index].unchanged(earlier.record.pages[plan.path][0], key)]
                for index, plan, key, (record, identity) in kept:
                    records[plan.path] = record
                    yield plan.path, Kept(earlier.out / plan.path, identity, partial(
                        _render_into, records, sites[index], environments[index], plan, key))
                kept_paths = {plan.path for _, plan, _, _ in kept}
                todo = [item for item in todo if item[1].path not in kept_paths]
        workers = _workers(len(todo)) if workers is None else workers
        if workers > 1:
            pages = _render_in_workers(sites, environments, todo, workers)
        else:
            digests = Digests()
            pages = (_render(sites[index], environments[index], plan, key, digests) for index, plan, key in todo)
        for (_, plan, _), (data, record) in zip(todo, pages):
            if records is not None:
                records[plan.path] = record
            yield plan.path, data
        for index, (site, env) in enumerate(zip(sites, environments)):
            for path, make in files_besides_pages(site, shared=index == 0).items():
                yield path, make(env)
    except RenderFailed:
        raise
    except Exception as error:
        raise RenderFailed(failure_diagnostic(error, theme)) from error


def _page_keys(sites: list[Site], environments: list[Environment], plans: list[tuple[int, "PagePlan"]],
               theme: Theme) -> list[bytes]:
    """Each page's key (``dependencies.page_key``): its language's, and its plan's."""
    folders = theme.folders()
    language_keys = [language_key(site, env, folders) for site, env in zip(sites, environments)]
    return [page_key(language_keys[index], (plan.url, plan.path, plan.template, plan.search_kind, plan.context))
            for index, plan in plans]


def _render(site: Site, env: Environment, plan: "PagePlan", key: bytes | None,
            digests: Digests) -> tuple[bytes, PageRecord | None]:
    """A page, and what it was made from when ``key`` is given (the build records it)."""
    if key is None:
        return render_page(site, env, plan), None
    return recorded(lambda: render_page(site, env, plan), key, digests)


def _render_into(records: dict[str, PageRecord | None], site: Site, env: Environment, plan: "PagePlan",
                 key: bytes) -> bytes:
    """A kept page rendered after all (its earlier file is gone or changed), its record put in ``records``."""
    try:
        data, records[plan.path] = _render(site, env, plan, key, Digests())
    except Exception as error:
        raise RenderFailed(failure_diagnostic(error, env.theme)) from error
    return data


def _workers(pages: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        return 1  # a new process would start from nothing (spawn), or fork is unsafe (macOS)
    return max(1, min(os.cpu_count() or 1, pages // PAGES_PER_WORKER))


Todo = list[tuple[int, "PagePlan", "bytes | None"]]  # the pages to render: the site's index, the plan, the page's key
_WORK: tuple[list[Site], list[Environment], Todo, Digests] | None = None  # what forked workers render


def _render_in_workers(sites: list[Site], environments: list[Environment], todo: Todo,
                       workers: int) -> Iterator[tuple[bytes, PageRecord | None]]:
    """The pages of ``todo``, in order, rendered by forked processes that share the model as it is now."""
    global _WORK
    _WORK = (sites, environments, todo, Digests())
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            shares = [(start, min(start + PAGES_PER_SHARE, len(todo))) for start in range(0, len(todo), PAGES_PER_SHARE)]
            for share in pool.imap(_render_share, shares):
                yield from share
    finally:
        _WORK = None


def _render_share(share: tuple[int, int]) -> list[tuple[bytes, PageRecord | None]]:
    """In a worker: the pages of ``todo[start:stop]``."""
    start, stop = share
    sites, environments, todo, digests = _WORK
    try:
        return [_render(sites[index], environments[index], plan, key, digests) for index, plan, key in todo[start:stop]]
    except Exception as error:  # said here, where the traceback that places it in a template still is
        raise RenderFailed(failure_diagnostic(error, environments[0].theme)) from None


@dataclass(frozen=True)
class PagePlan:
    """One HTML page of a site, before it is rendered: where it goes, its template and what it shows."""
    url: str  # language-neutral: /contracts/x/
    path: str  # the file in the site: es/contracts/x/index.html
    template: str
    search_kind: str | None  # in the search index, its results labelled so (notice, company…); None: not indexed
    context: dict


def page_plans(site: Site) -> list[PagePlan]:
    """Every HTML page of ``site``, in its language, in the order they are built."""
    plans = []

    def page(url: str, template: str, search_kind: str | None = None, **context) -> None:
        path = urls.file_path(urls.in_language(url, site.lang, site.default_language))
        plans.append(PagePlan(url, path, template, search_kind, context))

    templates = urls.PAGE_TEMPLATES
    page(urls.HOME, templates[urls.HOME], guide=site.page("guide"))
    page(urls.CONTRACTS, templates[urls.CONTRACTS])
    for notice in site.notices:
        page(notice.url, "notice.html", notice=notice, search_kind="notice")
    page(urls.VENDORS, templates[urls.VENDORS])
    for vendor in site.vendors:
        page(vendor.url, "vendor.html", vendor=vendor, search_kind="company")
    page(urls.DATA, templates[urls.DATA])
    for use in site.elements:
        page(use.url, "data_element.html", use=use, search_kind="data")
    page(urls.SCHOOLS, templates[urls.SCHOOLS])
    for school in site.schools:
        page(school.url, "school.html", school=school)
    page(urls.GRADES, templates[urls.GRADES])
    for grade in site.grades:
        page(grade.url, "grade.html", grade=grade)
    for content_page in site.pages:
        page(content_page.url, "page.html", page=content_page,
             search_kind="guide" if content_page.name == "guide" else "page")
    page(urls.POLICIES, templates[urls.POLICIES])
    for policy in site.policies:
        page(policy.url, "policy.html", policy=policy, search_kind="policy")
    page(urls.BREACHES, templates[urls.BREACHES], search_kind="breaches")
    for breach in site.breaches:
        page(breach.url, "breach.html", breach=breach, search_kind="breach")
    page(urls.FOLLOW, templates[urls.FOLLOW])
    page(urls.SEARCH, templates[urls.SEARCH])
    page(urls.NOT_FOUND, templates[urls.NOT_FOUND])
    return plans


def render_page(site: Site, env: Environment, plan: PagePlan) -> bytes:
    """One page of ``site``, in its language."""
    lang, default = site.lang, site.default_language
    further = site.languages[1:]
    path = urls.in_language(plan.url, lang, default)
    if plan.url == urls.NOT_FOUND:  # a server shows it at any depth, so that relative links would break
        def locate(target: str) -> str:
            return urls.root_relative(site.base_url, target)
    else:
        def locate(target: str) -> str:
            return urls.relative(path, target)

    def rel(target: str) -> str:
        return locate(urls.in_language(target, lang, default))

    def markdown_link(target: str) -> str:
        """A link written in the content: to the page in this language, unless it names one."""
        return locate(target if target.split("/", 1)[0] in further else urls.in_language(target, lang, default))

    twins = [Twin(other, language_name(other), locate(urls.in_language(plan.url, other, default)),
                  urls.absolute(site.base_url, urls.in_language(plan.url, other, default)))
             for other in site.languages]
    html = env.get_template(plan.template).render(
        site=site, page_url=plan.url, page_path=path, page_address=urls.absolute(site.base_url, path), lang=lang,
        search_kind=plan.search_kind, rel=rel, markdown_link=markdown_link, markdown_blocks=itertools.count(1),
        site_root=locate(urls.HOME), twins=[twin for twin in twins if twin.lang != lang], alternates=twins,
        **plan.context)
    return html.encode("utf-8")


def files_besides_pages(site: Site, shared: bool) -> dict[str, Callable[[Environment], bytes]]:
    """The files of the table of outputs (``urls.OUTPUTS``) that are not pages, each as a function of
    ``site``'s templates: the feed of its language and, when ``shared`` (the default language's site),
    the files that all languages share. The sitemap lists the pages of ``page_plans``; the open data
    is in the default language."""
    return {urls.in_language(output.url, site.lang, site.default_language): partial(_MAKERS[output.url], site)
            for output in urls.OUTPUTS
            if output.made == urls.FEED_FILE or (shared and output.made == urls.SHARED)}


def render_feed(site: Site, env: Environment) -> bytes:
    """The Atom feed of ``site``'s language, every address absolute and in that language."""
    def address(url: str) -> str:
        return urls.absolute(site.base_url, urls.in_language(url, site.lang, site.default_language))

    return env.get_template("feed.xml").render(site=site, lang=site.lang, address=address).encode("utf-8")


def render_sitemap(env: Environment, site: Site, page_urls: list[str]) -> bytes:
    """Every page but 404, each in every language with its twins as alternates."""
    entries = [[(lang, urls.absolute(site.base_url, urls.in_language(url, lang, site.default_language)))
                for lang in site.languages]
               for url in sorted(page_urls) if url != urls.NOT_FOUND]
    return env.get_template("sitemap.xml").render(entries=entries).encode("utf-8")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def notice_record(notice: Notice, site: Site) -> dict:
    """One notice as open data: the fields of the format plus its URL and status.

    ``student_data`` is ``[]`` when no student information is shared and ``null`` when an
    incomplete notice has not yet posted it; ``contract_date`` may be a month (``2022-04``)
    or ``null`` in an incomplete notice. ``subprocessors`` is the list of names, or ``null``
    where the record gives none or gives the address of the vendor's list (``subprocessors_url``).
    """
    data = notice.student_data
    return {
        "slug": notice.slug,
        "url": urls.absolute(site.base_url, notice.url),
        "vendor": notice.vendor.name,
        "vendor_url": urls.absolute(site.base_url, notice.vendor.url),
        "product": notice.product,
        "title": notice.title,
        "kind": notice.kind,
        "amends": notice.amends.slug if notice.amends else None,
        "amended_by": [amendment.slug for amendment in notice.amendments],
        "contract_date": _iso(notice.contract_date),
        "posted": _iso(notice.posted),
        "expires": _iso(notice.expires),
        "status": notice.status,
        "incomplete": notice.incomplete,
        "known_from": notice.known_from.slug if notice.known_from else None,
        "missing": notice.missing,
        "description": notice.description,
        "student_data": None if data is None else [element.key for element in data],
        "student_data_labels": None if data is None else [element.label for element in data],
        "sensitive_data": None if data is None else [element.key for element in data if element.sensitive],
        "student_data_not_limited": notice.data_not_limited,
        "student_data_notes": notice.student_data_notes,
        "schools": [school.name for school in notice.schools],
        "grades": notice.grades,
        "grade_levels": None if notice.grades_unreadable else [grade.key for grade in notice.grade_levels],
        "removes_schools": [removed.name for removed in notice.removes_schools],
        "removes_grades": notice.removes_grades,
        "documents": [{"title": d.title, "type": d.type,
                       "url": d.url if d.external else urls.absolute(site.base_url, d.url)} for d in notice.documents],
        "subprocessors": notice.subprocessors,
        "subprocessors_url": notice.subprocessors_url,
        "retention": notice.retention,
        "sdpc_agreement": notice.sdpc_agreement,
    }


def breach_record(breach: Breach, site: Site) -> dict:
    """One breach notice as open data: the fields of the format plus its URL and links."""
    return {
        "slug": breach.slug,
        "url": urls.absolute(site.base_url, breach.url),
        "vendor": breach.vendor_name,
        "vendor_url": urls.absolute(site.base_url, breach.vendor.url) if breach.vendor else None,
        "contract": breach.contract.slug if breach.contract else None,
        "discovered": _iso(breach.discovered),
        "reported": _iso(breach.reported),
        "posted": _iso(breach.posted),
        "students_affected": breach.students_affected,
        "sixty_day_case": breach.sixty_day_case,
        "student_data": [element.key for element in breach.student_data],
        "student_data_labels": [element.label for element in breach.student_data],
        "sensitive_data": [element.key for element in breach.sensitive_data],
        "description": breach.description,
        "example": breach.example,
    }


def render_breaches_json(site: Site) -> bytes:
    """``breaches.json``, beside ``contracts.json``: every published breach notice, newest first."""
    data = {"as_of": site.today.isoformat(), "breaches_since": _iso(site.breaches_since),
            "breaches": [breach_record(breach, site) for breach in site.breaches]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_contracts_json(site: Site) -> bytes:
    counts = {"notices": len(site.notices), "posted_complete": len(site.complete_notices),
              "posted_incomplete": len(site.posted_incomplete_notices), "not_posted": len(site.unposted_notices)}
    data = {"as_of": site.today.isoformat(), "counts": counts,
            "notices": [notice_record(n, site) for n in site.notices]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Columns added later come last, so that those of earlier versions keep their places in people's spreadsheets.
CSV_COLUMNS = ["slug", "url", "vendor", "title", "kind", "amends", "contract_date", "posted", "expires", "status",
               "incomplete", "missing", "student_data", "sensitive_data", "student_data_notes", "schools", "grades",
               "documents", "description", "subprocessors", "subprocessors_url", "retention", "sdpc_agreement",
               "product", "student_data_not_limited", "known_from", "grade_levels", "removes_schools",
               "removes_grades"]
# Spreadsheets read a CSV file as UTF-8 only when it starts with a byte-order mark (Excel on Windows).
CSV_BOM = "\ufeff"


def _csv_cell(value, gettext) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        value = "; ".join(item["url"] if isinstance(item, dict) else str(item) for item in value)
    text = str(value)
    # A leading =, +, -, @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(notice: Notice, site: Site, gettext) -> dict:
    """The JSON record, for people: data elements by label, and what is unknown said in words."""
    record = notice_record(notice, site)
    data = notice.student_data
    record["student_data"] = (gettext("not yet posted") if data is None else gettext("none shared") if not data
                              else [element.label for element in data])
    record["sensitive_data"] = [element.label for element in data or [] if element.sensitive]
    return record


def render_contracts_csv(site: Site) -> bytes:
    """The notices for spreadsheets, its words in the site's default language."""
    gettext = translations(site.default_language).gettext
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for notice in site.notices:
        row = _csv_row(notice, site, gettext)
        writer.writerow([_csv_cell(row[column], gettext) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def render_stylesheet(site: Site, env: Environment) -> bytes:
    """The stylesheet, ending with the rules that this build adds: the build date that a printed page carries,
    in each language; site.yml's accent colour and its darker shade, where the site gives one.

    They are in the file rather than in the pages: a style attribute would need the Content-Security-Policy
    loosened, and a build date in every page would make every page new every day, so that the daily build
    would render and index the whole site again for one changed line of print (``dependencies.py``)."""
    stylesheet = env.theme.static_file(urls.STYLESHEET).read_bytes()
    rules = ["/* the build date, at the top of a printed page */\n@media print {\n"]
    for lang in site.languages:
        built = f"{translations(lang).gettext(PRINTED_ON)} {date_formatter(lang)(site.today)}"
        rules.append(f"  .print-built:lang({lang})::after {{ content: {_css_string(built)}; }}\n")
    rules.append("}\n")
    if site.accent_colour is not None:
        rules.append(f"/* accent_colour of site.yml */\n"
                     f":root {{ --accent: {site.accent_colour}; --accent-dark: {accent_dark(site.accent_colour)}; }}\n")
    return stylesheet + (b"" if stylesheet.endswith(b"\n") else b"\n") + "".join(rules).encode("utf-8")


PRINTED_ON = N_("Printed from the site as built on")


def _css_string(text: str) -> str:
    """``text`` as a CSS string: quotes and backslashes escaped, and any character that could end the rule."""
    escaped = "".join(f"\\{ord(character):x} " if character in '"\\\n\r\f<>' or ord(character) < 32 else character
                      for character in text)
    return f'"{escaped}"'


def _static_file(name: str, site: Site, env: Environment) -> bytes:
    """A built-in static file as it is, or the site's own file of that name."""
    return env.theme.static_file(name).read_bytes()


_MAKERS: dict[str, Callable[[Site, Environment], bytes]] = {  # how each file of urls.OUTPUTS that is no page is made
    urls.FEED: lambda site, env: render_feed(site, env),
    urls.SITEMAP: lambda site, env: render_sitemap(env, site, [plan.url for plan in page_plans(site)]),
    urls.CONTRACTS_JSON: lambda site, env: render_contracts_json(site),
    urls.CONTRACTS_CSV: lambda site, env: render_contracts_csv(site),
    urls.BREACHES_JSON: lambda site, env: render_breaches_json(site),
    urls.STYLESHEET: lambda site, env: render_stylesheet(site, env),
    **{name: partial(_static_file, name) for name in BUILT_IN_STATIC if name != urls.STYLESHEET},
}
