"""Site → {output path: bytes}: Jinja templates, Markdown, sanitising, open data."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup

from . import urls
from .i18n import LANGUAGE_NAMES, format_date, strings
from .model import Notice, Site

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "div", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"},
                      "sup": {"id"}, "li": {"id"}, "div": {"class"}}
FOOTNOTE_ID = re.compile(r"fn(ref)?\d+:[\w-]+")
LATEST_NOTICES = 5


class MarkdownRenderer:
    """Markdown → sanitised HTML for the page at ``page_url``.

    Headings move down one level where needed so that each page keeps one ``h1``;
    site-absolute links (``/contracts/``) become relative so that they work on disk.
    """

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        self._blocks: dict[str, int] = {}

    def __call__(self, text: str | None, page_url: str) -> str:
        if not text:
            return ""
        self._md.reset()
        html = self._md.convert(text)
        html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
        # Footnote ids get the number of the Markdown block on its page, so that two blocks
        # with footnotes on one page (a notice's description and notes) do not share ids.
        block = self._blocks[page_url] = self._blocks.get(page_url, 0) + 1
        html = re.sub(r'(id="|href="#)fn(ref)?:', lambda m: f"{m[1]}fn{m[2] or ''}{block}:", html)

        def rewrite(tag: str, attribute: str, value: str) -> str | None:
            if attribute == "id":  # only the footnotes' own ids, never one that clashes with the layout
                return value if FOOTNOTE_ID.fullmatch(value) else None
            if attribute == "class":
                return value if value == "footnote" else None
            if tag == "a" and attribute == "href" and value.startswith("/") and not value.startswith("//"):
                return urls.relative(page_url, _directory_form(value.lstrip("/")))
            return value

        return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=rewrite,
                         url_schemes={"http", "https", "mailto", "tel"})


def _directory_form(url: str) -> str:
    """``contracts`` → ``contracts/``: a page's URL is its directory, unless it names a file."""
    path, mark, rest = (re.split(r"([#?])", url, maxsplit=1) + ["", ""])[:3]
    last = path.rsplit("/", 1)[-1]
    if path and not path.endswith("/") and "." not in last:
        path += "/"
    return path + mark + rest


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    renderer = MarkdownRenderer()

    @pass_context
    def markdown_filter(context, text):
        return Markup(renderer(text, context["page_url"]))

    @pass_context
    def date_filter(context, value):
        return format_date(value, context.get("lang", "en")) if value else ""

    env.filters["markdown"] = markdown_filter
    env.filters["date"] = date_filter
    env.globals["urls"] = urls
    env.globals["language_names"] = LANGUAGE_NAMES
    return env


def render_site(site: Site) -> dict[str, bytes]:
    env = _environment()
    default = site.default_language
    files: dict[str, bytes] = {}

    def page(url: str, template: str, lang: str | None = None, rel=None, **context) -> None:
        lang = lang or default
        html = env.get_template(template).render(
            site=site, page_url=url, lang=lang, t=strings(lang),
            rel=rel or (lambda target: urls.relative(url, target)), **context)
        files[urls.file_path(url)] = html.encode("utf-8")

    page(urls.HOME, "home.html", latest=site.notices[:LATEST_NOTICES], guide=site.page("guide", default))
    page(urls.CONTRACTS, "contracts.html")
    for notice in site.notices:
        page(notice.url, "notice.html", notice=notice)
    page(urls.VENDORS, "vendors.html")
    for vendor in site.vendors:
        page(vendor.url, "vendor.html", vendor=vendor)
    page(urls.DATA, "data.html")
    for content_page in site.pages:
        page(content_page.url, "page.html", lang=content_page.lang, page=content_page)
    page(urls.POLICIES, "policies.html")
    for policy in site.policies:
        page(policy.url, "policy.html", policy=policy)
    page(urls.NOT_FOUND, "404.html", rel=lambda target: urls.root_relative(site.base_url, target))
    files[urls.FEED] = env.get_template("feed.xml").render(site=site, page_url=urls.FEED, lang=default).encode("utf-8")
    sitemap_urls = sorted(url[: -len("index.html")] for url in files if url.endswith("index.html"))
    files[urls.SITEMAP] = env.get_template("sitemap.xml").render(site=site, urls_in_sitemap=sitemap_urls).encode("utf-8")
    files[urls.CONTRACTS_JSON] = render_contracts_json(site)
    files[urls.CONTRACTS_CSV] = render_contracts_csv(site)
    files[urls.STYLESHEET] = (STATIC / "style.css").read_bytes()
    return files


def notice_record(notice: Notice, site: Site) -> dict:
    """One notice as open data: the fields of the format plus its URL and status."""
    return {
        "slug": notice.slug,
        "url": urls.absolute(site.base_url, notice.url),
        "vendor": notice.vendor.name,
        "vendor_url": urls.absolute(site.base_url, notice.vendor.url),
        "title": notice.title,
        "kind": notice.kind,
        "amends": notice.amends.slug if notice.amends else None,
        "amended_by": [amendment.slug for amendment in notice.amendments],
        "contract_date": notice.contract_date.isoformat(),
        "posted": notice.posted.isoformat() if notice.posted else None,
        "expires": notice.expires.isoformat() if notice.expires else None,
        "status": "expired" if notice.expired else "active",
        "description": notice.description,
        "student_data": [element.key for element in notice.student_data],
        "student_data_labels": [element.label for element in notice.student_data],
        "student_data_notes": notice.student_data_notes,
        "schools": notice.schools,
        "grades": notice.grades,
        "documents": [{"title": d.title, "url": d.url if d.external else urls.absolute(site.base_url, d.url)}
                      for d in notice.documents],
    }


def render_contracts_json(site: Site) -> bytes:
    data = {"as_of": site.today.isoformat(), "notices": [notice_record(n, site) for n in site.notices]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


CSV_COLUMNS = ["slug", "url", "vendor", "title", "kind", "amends", "contract_date", "posted", "expires", "status",
               "student_data", "student_data_notes", "schools", "grades", "documents", "description"]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(item["url"] if isinstance(item, dict) else str(item) for item in value)
    text = str(value)
    # A leading =, +, @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "@", "\t", "\r") else text


def render_contracts_csv(site: Site) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for notice in site.notices:
        record = notice_record(notice, site)
        writer.writerow([_csv_cell(record[column]) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")
