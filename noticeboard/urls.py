"""The URL of every page, in one place.

URLs are kept relative to the site root without a leading slash (``contracts/x/``).
Links between pages are made relative and end in ``index.html`` so that the site
works both from a web server and when opened from disk.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

HOME = ""
CONTRACTS = "contracts/"
VENDORS = "vendors/"
DATA = "data/"
SCHOOLS = "schools/"
GRADES = "grades/"
BREACHES = "breaches/"
POLICIES = "policies/"
FOLLOW = "follow/"
FEED = "feed.xml"
CONTRACTS_JSON = "contracts.json"
CONTRACTS_CSV = "contracts.csv"
BREACHES_JSON = "breaches.json"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
STYLESHEET = "style.css"
FAVICON = "favicon.svg"  # the icon that pages link to, unless site.yml gives a logo
FAVICON_ICO = "favicon.ico"  # for the agents that ask for /favicon.ico without reading the page
SEARCH = "search/"
SEARCH_SCRIPT = "search.js"
SEARCH_INDEX = "pagefind/"  # written by Pagefind after the pages, in the staging folder
SEARCH_LIBRARY = SEARCH_INDEX + "pagefind.js"
OUTPUT_MARKER = ".noticeboard-output"  # says that a folder is a build's, which the next build replaces
CONTRACT_FILES = CONTRACTS + "files/"
POLICY_FILES = POLICIES + "files/"


def notice(slug: str) -> str:
    return f"{CONTRACTS}{slug}/"


def vendor(slug: str) -> str:
    return f"{VENDORS}{slug}/"


def school(slug: str) -> str:
    return f"{SCHOOLS}{slug}/"


def grade(key: str) -> str:
    return f"{GRADES}{key}/"


def data_element(key: str) -> str:
    return f"{DATA}{key}/"


def breach(slug: str) -> str:
    return f"{BREACHES}{slug}/"


def policy(number: str) -> str:
    return f"{POLICIES}{number}/"


def page(name: str) -> str:
    return f"{name}/"


def in_every_language(url: str) -> bool:
    """A page (or the feed), made in each language, rather than a file that all languages share."""
    path = url.partition("#")[0]
    return path == HOME or path.endswith("/") or path in (NOT_FOUND, FEED)


def in_language(url: str, lang: str, default_lang: str) -> str:
    """``url`` in ``lang``: ``contracts/`` → ``es/contracts/``; shared files stay where they are."""
    return f"{lang}/{url}" if lang != default_lang and in_every_language(url) else url


def file_path(url: str) -> str:
    """Where the page for ``url`` is written in the output directory."""
    return url + "index.html" if url == "" or url.endswith("/") else url


# How an output is made: a template, in each language (PAGE); a file in each language (FEED); one file for all
# languages, from the default language (SHARED); a folder that the build fills itself (FOLDER); the file that
# marks the folder as a build's (MARKER, written by output/write.py).
PAGE, FEED_FILE, SHARED, FOLDER, MARKER = "page", "feed", "shared", "folder", "marker"


@dataclass(frozen=True)
class Output:
    """A file or folder that every site contains, whatever its content (records add their own pages)."""
    url: str
    made: str  # PAGE, FEED_FILE, SHARED or FOLDER
    template: str | None = None  # of a PAGE


OUTPUTS = (  # every output of a site but the records' pages, in the order they are built
    Output(HOME, PAGE, "home.html"),
    Output(CONTRACTS, PAGE, "contracts.html"),
    Output(VENDORS, PAGE, "vendors.html"),
    Output(DATA, PAGE, "data.html"),
    Output(SCHOOLS, PAGE, "schools.html"),
    Output(GRADES, PAGE, "grades.html"),
    Output(POLICIES, PAGE, "policies.html"),
    Output(BREACHES, PAGE, "breaches.html"),
    Output(FOLLOW, PAGE, "follow.html"),
    Output(SEARCH, PAGE, "search.html"),
    Output(NOT_FOUND, PAGE, "404.html"),
    Output(FEED, FEED_FILE),
    Output(SITEMAP, SHARED),
    Output(CONTRACTS_JSON, SHARED),
    Output(CONTRACTS_CSV, SHARED),
    Output(BREACHES_JSON, SHARED),
    Output(STYLESHEET, SHARED),
    Output(SEARCH_SCRIPT, SHARED),
    Output(FAVICON, SHARED),
    Output(FAVICON_ICO, SHARED),
    Output(SEARCH_INDEX, FOLDER),  # Pagefind's, written after the pages
    Output(CONTRACT_FILES, FOLDER),  # the documents that notices post
    Output(POLICY_FILES, FOLDER),  # the documents that policies post
    Output(OUTPUT_MARKER, MARKER),
)
PAGE_TEMPLATES = {output.url: output.template for output in OUTPUTS if output.made == PAGE}

# The first part of every output's address, without its ending ("feed.xml" → "feed", "" → "index"): no page
# of content/pages/ may take one, so that no page lands on or beside a file that the site writes itself.
RESERVED_TOP_LEVEL = frozenset(
    (file_path(output.url) if output.made == PAGE else output.url).split("/")[0].split(".")[0] for output in OUTPUTS
    if output.made != MARKER)


def own_output_at(url: str) -> str | None:
    """The output of the site that a record's page at ``url`` would land on or in, if any: its address."""
    page = file_path(url)
    for output in OUTPUTS:
        written = file_path(output.url) if output.made == PAGE else output.url
        if written == page or (output.made == FOLDER and page.startswith(output.url)) or (
                output.made == PAGE and output.url == url):
            return output.url or "index.html"
    return None


@lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` that works on disk and on a server.

    Both are clean paths from the site's root (no ``.``, ``..`` or doubled ``/``), so the link is
    made from their folders alone: what ``posixpath.relpath`` gives, without its look at the
    working directory, which was a sixth of rendering (a test compares the two).
    """
    target, _, fragment = to_url.partition("#")
    here = file_path(from_url).split("/")[:-1]
    there = file_path(target).split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    link = "/".join([".."] * (len(here) - common) + there[common:])
    return link + (f"#{fragment}" if fragment else "")


_NOT_IN_ADDRESS = re.compile(r"[\s\"'<>`\\{}|^\x00-\x1f\x7f]")


def web_address_problem(text: str, site_root: bool = False) -> str | None:
    """What keeps ``text`` from being an absolute ``http(s)://`` address, or None.

    ``site_root``: the address that every page's address is built on (``base_url``), so
    it can carry no query and no fragment.
    """
    if not re.match(r"https?://", text):
        return "must start with https:// or http://"
    found = _NOT_IN_ADDRESS.search(text)
    if found:
        shown = "a space" if found[0].isspace() else repr(found[0])
        return f"must not contain {shown}; write the address as the browser shows it"
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError unless the port is a number up to 65535
    except ValueError:
        return "is not a valid address (check the host and the port)"
    if not parts.hostname:
        return "has no host name after the //"
    if parts.username is not None:
        return "must not contain a user name or password"
    if site_root and (parts.query or parts.fragment or "?" in text or "#" in text):
        return "is the address of the site's home page, so it cannot have a '?' query or a '#' fragment"
    return None


# Second-level domains reserved for documentation and examples (RFC 2606): an address under one of them
# reaches nobody, so a site published with it is a site whose settings were not filled in.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


def example_domain(address: str) -> str | None:
    """The reserved example domain that a web or e-mail ``address`` is under, or None."""
    host = address.rpartition("@")[2] if "://" not in address else (urlsplit(address).hostname or "")
    host = host.strip().rstrip(".").lower()
    return next((domain for domain in EXAMPLE_DOMAINS if host == domain or host.endswith("." + domain)), None)


def absolute(base_url: str, url: str) -> str:
    return base_url + url


def mailto(address: str, subject: str) -> str:
    """A ``mailto:`` link that opens a message to ``address`` with ``subject`` filled in."""
    return f"mailto:{address}?subject={quote(subject, safe='')}"


def root_relative(base_url: str, url: str) -> str:
    """``/contracts/index.html`` under the path of ``base_url``: for 404.html, which a
    server shows at any depth, so that relative links would break."""
    return urlsplit(base_url).path + file_path(url)


def is_loopback(host: str) -> bool:
    """Whether a host name or address (``[::1]`` may keep its brackets) can only mean this machine."""
    name = host.lower().removeprefix("[").removesuffix("]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
