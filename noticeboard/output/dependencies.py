"""What each page was made from, so that the next build renders only the pages whose inputs changed.

Lektor keeps, for each file it writes, the sources it was made from. A page here is made from
the page objects of the model (``site/pages.py``, ``site/indexes.py``) as much as from files:
the page of a contract shows its amendments' titles and its status on the build date. So the
record is of what the page *read*: while a page renders, every attribute that its templates
read of a page object (``notice.title``, ``site.notices``, ``vendor.notices``) is noted, by the
object's key (``Notice /contracts/x/``) and the attribute's name, and the page's record keeps a
digest of the values read. The next build looks each of them up again in its own model and
digests the values: when they are the same, the templates would read the same things, make the
same decisions and write the same bytes, and the previous file is used.

Why that is enough: a template reaches a page object only through an attribute of another
(whose value, recorded, names the object by its key) or from the page's own context (part of
the page's key). A value that is no page object (a date, a text, a list of data elements) is
digested whole. What is no value of the model is part of the key of every page of a language:
the package's code and templates, the site's own templates and static files, the catalog, the
site's languages and address. No function that templates can call takes a page object
(``labels.missing`` takes a notice's missing elements and date, not the notice), so that every
read of the model goes through the environment; a value that cannot be digested (a method of a
page object, an object of unknown kind) makes the page one that every build renders.

What changes every day is not in the pages: the build date that a printed page carries is in
the stylesheet (``render.render_stylesheet``), and only the home page and the list of notices
say when the notices were last updated. So the daily build of an unchanged site renders only the
pages whose status or dates change with the day.
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from jinja2 import Environment
from pydantic import BaseModel

from ..languages import Localized
from ..load.cache import code_version
from ..site.indexes import Grade, School
from ..site.pages import Breach, Notice, Policy, PolicySeries, Site, Vendor
from .write import FileIdentity, content_digest

FORMAT = 1  # of the records; a change makes every page render again


class Untrackable(Exception):
    """A value read by a page that cannot be digested: the page is rendered by every build."""


def _by_url(kind: str) -> Callable[[Any], tuple]:
    return lambda item: (kind, item.url)


# The page objects, each known by a key that names it in the model of every build.
KEYS: dict[type, Callable[[Any], tuple]] = {
    Site: lambda site: ("Site",),
    Notice: _by_url("Notice"), Vendor: _by_url("Vendor"), Breach: _by_url("Breach"), Policy: _by_url("Policy"),
    School: _by_url("School"), Grade: _by_url("Grade"),
    PolicySeries: lambda series: ("PolicySeries", series.key),
}
_ATOMS = frozenset({str, int, float, bool, type(None), date, datetime})
_FIELDS: dict[type, tuple[str, ...]] = {}
_MISSING = ("<no such attribute>",)


def fingerprint(value: Any) -> Any:
    """``value`` as plain tuples and atoms: equal for equal values; a page object is its key."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    key = KEYS.get(kind)
    if key is not None:
        return ("@",) + key(value)
    if kind is list or kind is tuple:
        return (kind.__name__, *map(fingerprint, value))
    if kind is dict:
        return ("dict", *((fingerprint(k), fingerprint(v)) for k, v in value.items()))
    if kind is set or kind is frozenset:
        return ("set", *sorted((fingerprint(item) for item in value), key=repr))
    if isinstance(value, str):  # Markup, Localized: a text and what it is
        return (kind.__qualname__, str(value), getattr(value, "lang", None)) if kind is Localized \
            else (kind.__qualname__, str(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value))
        return (kind.__qualname__, *(fingerprint(getattr(value, name)) for name in names))
    if isinstance(value, BaseModel):
        return (kind.__qualname__, *((name, fingerprint(item)) for name, item in value.__dict__.items()))
    if isinstance(value, enum.Enum):
        return (kind.__qualname__, value.name)
    if isinstance(value, Path):
        return ("path", str(value))
    raise Untrackable(f"{kind.__qualname__} value")


class Digests:
    """The digest of the values of attributes of a page object, taken once per object and attributes, and each
    value's once per object and attribute: a list page reads the same few attributes of each of hundreds of
    notices, and so do the other lists."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, str], bytes] = {}
        self._known: dict[tuple[int, tuple[str, ...]], bytes] = {}
        self._keep: list[Any] = []  # the objects digested, alive while their ids are keys

    def of(self, item: Any, attributes: tuple[str, ...]) -> bytes:
        known = self._known.get((id(item), attributes))
        if known is None:
            digest = hashlib.blake2b(digest_size=16)
            for attribute in attributes:
                digest.update(self._value(item, attribute))
            known = self._known[(id(item), attributes)] = digest.digest()
        return known

    def _value(self, item: Any, attribute: str) -> bytes:
        known = self._values.get((id(item), attribute))
        if known is None:
            try:
                value = fingerprint(getattr(item, attribute))
            except AttributeError:
                value = _MISSING
            known = hashlib.blake2b(repr((attribute, value)).encode(), digest_size=16).digest()
            self._values[(id(item), attribute)] = known
            self._keep.append(item)
        return known


class Reads:
    """What one page reads of the page objects as it renders: each object (by its id) with the names of the
    attributes read, in the order first read."""

    def __init__(self) -> None:
        self.read: dict[int, tuple[Any, dict[str, None]]] = {}
        self.untrackable = False

    def note(self, item: Any, attribute: str) -> None:
        entry = self.read.get(id(item))
        if entry is None:
            self.read[id(item)] = (item, {attribute: None})
        else:
            entry[1][attribute] = None


_READING: Reads | None = None  # the page being rendered in this process


class RecordingEnvironment(Environment):
    """Jinja's environment, noting the attributes that templates read of page objects while a page renders.

    ``getattr`` and ``getitem`` are Jinja's own, repeated rather than called: templates read millions of
    attributes in a build."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        reading = _READING
        if reading is not None and type(obj) in KEYS:
            entry = reading.read.get(id(obj))
            if entry is None:
                reading.read[id(obj)] = (obj, {attribute: None})
            else:
                entry[1][attribute] = None
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        reading = _READING
        if reading is not None and type(obj) in KEYS:
            if isinstance(argument, str):
                reading.note(obj, argument)
            else:
                reading.untrackable = True
        return super().getitem(obj, argument)


@dataclass(frozen=True)
class PageRecord:
    """What one page file was made from: its key, the attributes it read and the digest of their values,
    and the digest of its bytes (the search index is made again only when some page's bytes changed)."""
    key: bytes
    reads: tuple[tuple[tuple, tuple[str, ...]], ...] | None  # object's key, attributes; None: something undigestable
    digest: bytes
    content: bytes


def recorded(render: Callable[[], bytes], key: bytes, digests: Digests) -> tuple[bytes, PageRecord]:
    """The bytes that ``render`` makes, and what they were made from."""
    global _READING
    reading = _READING = Reads()
    try:
        data = render()
    finally:
        _READING = None
    content = content_digest(data)
    if not reading.untrackable:
        try:
            return data, PageRecord(key, *_reads_and_digest(reading, digests), content)
        except Untrackable:
            pass
    return data, PageRecord(key, None, b"", content)


def _reads_and_digest(reading: Reads, digests: Digests) -> tuple[tuple[tuple[tuple, tuple[str, ...]], ...], bytes]:
    """What a page read, each object by its key with the names of its attributes read, and the digest of the
    values."""
    reads = []
    digest = hashlib.blake2b(digest_size=16)
    for item, attributes in reading.read.values():
        names = tuple(attributes)
        reads.append((KEYS[type(item)](item), names))
        digest.update(digests.of(item, names))
    return tuple(reads), digest.digest()


class Model:
    """A site's page objects by key, to look up again what a page read in an earlier build."""

    def __init__(self, site: Site) -> None:
        self.objects: dict[tuple, Any] = {("Site",): site}
        for collection in (site.notices, site.vendors, site.breaches, site.policies, site.policy_series,
                           site.schools, site.grades):
            for item in collection:
                self.objects.setdefault(KEYS[type(item)](item), item)
        self.digests = Digests()

    def unchanged(self, record: PageRecord, key: bytes) -> bool:
        """Whether the page of ``record`` would read the same values now, under the same ``key``."""
        if record.key != key or record.reads is None:
            return False
        digest = hashlib.blake2b(digest_size=16)
        try:
            for item_key, attributes in record.reads:
                item = self.objects.get(item_key)
                if item is None:
                    return False
                digest.update(self.digests.of(item, attributes))
        except Untrackable:
            return False
        return digest.digest() == record.digest


def page_key(language_key: bytes, plan_fields: tuple) -> bytes:
    """A page's key: its language's (``language_key``) and its plan's (where it goes, its template, its context)."""
    return hashlib.blake2b(language_key + repr(fingerprint(plan_fields)).encode(), digest_size=16).digest()


def language_key(site: Site, env: Environment, folders: Iterable[Path]) -> bytes:
    """What every page of ``site``'s language is made from besides the model: the code, the templates and
    static files of ``folders``, the catalog, the site's languages and address."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((FORMAT, code_version(), site.lang, site.languages, site.base_url)).encode())
    catalog = env.fixed_text_catalog
    while catalog is not None:
        digest.update(repr(sorted(getattr(catalog, "_catalog", {}).items(), key=repr)).encode())
        digest.update(repr(getattr(catalog, "plural", None) and catalog.plural(2)).encode())
        catalog = getattr(catalog, "_fallback", None)
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    digest.update(repr(sorted((name, repr(value)) for name, value in env.globals.items()
                              if name in ("search_words",))).encode())
    return digest.digest()


@dataclass
class OutputRecord:
    """What a build wrote into an output, for the next build into it: kept in the build cache."""
    format: int
    pages: dict[str, tuple[PageRecord, FileIdentity]]  # path in the site → what it was made from, the file left
    search: tuple[bytes, dict[str, FileIdentity]] | None = None  # what the index was made from, its files


def record_name(out: Path) -> str:
    return f"output {os.path.realpath(out)}"
