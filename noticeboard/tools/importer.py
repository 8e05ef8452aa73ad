"""``noticeboard import``: a district's spreadsheet of contracts → one notice per row in content/contracts/.

Columns are recognised by their headings (folded: case, accents, punctuation and plurals aside) or named
in ``--map``; dates are read by ``list_dates.read_list_date``; data terms are matched to the site's
vocabulary by an exact folded key, label or alias, never by a guess: the others are kept word for word in
``student_data_notes`` and listed with suggestions. Nothing is ever overwritten (each file is opened with
``"x"``); what the run did is an ``ImportResult`` that ``cli.py`` prints.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..diagnostics import Report
from ..load.reader import display_path
from ..load.rules import ElementNames
from ..load.settings import read_elements, read_site
from ..names import folded_words, slugify
from ..values import SLUG_PATTERN
from .list_dates import read_list_date
from .new import name_problem
from .schemas import modeline
from .spreadsheets import TableUnreadable, read_table

# field → the headings that name it, in order of preference (English, Spanish, and contracts.csv's own).
HEADINGS: dict[str, tuple[str, ...]] = {
    "slug": ("slug",),
    "vendor": ("vendor", "company", "operator", "contractor", "vendor name", "company name", "proveedor",
               "empresa"),
    "product": ("product", "service", "app", "application", "product name", "producto", "servicio"),
    "title": ("title", "titulo"),
    "kind": ("kind", "type", "tipo"),
    "amends": ("amends", "modifica"),
    "contract_date": ("contract_date", "date signed", "contract date", "signed", "executed", "date executed",
                      "signing date", "fecha de firma", "fecha del contrato"),
    "posted": ("posted", "date posted", "publicado", "fecha de publicacion"),
    "expires": ("expires", "expiration", "expiration date", "end date", "vence", "vencimiento",
                "fecha de vencimiento"),
    "student_data": ("student_data", "data", "student data", "data elements", "datos", "datos del estudiante"),
    "student_data_notes": ("student_data_notes",),
    "description": ("description", "purpose", "descripcion", "proposito"),
    "schools": ("schools", "escuelas"),
    "grades": ("grades", "grados"),
    "documents": ("documents", "link", "contract", "agreement", "enlace", "url"),
    "sdpc_agreement": ("sdpc_agreement",),
}
FIELDS = tuple(HEADINGS)
MAP_SYNONYMS = {"link": "documents", "data": "student_data", "date_signed": "contract_date"}

KINDS = {"contract": "contract", "contrato": "contract", "amendment": "amendment", "enmienda": "amendment",
         "renewal": "renewal", "renovacion": "renewal"}
# What a data cell says when no student data is shared (contracts.csv's "none shared" in English and Spanish).
NO_DATA = {"none", "none shared", "ninguno", "ninguna", "ninguno compartido", "no se comparte ninguno",
           "ningun dato compartido"}
# What contracts.csv says of an incomplete notice's data: the field is absent.
DATA_NOT_POSTED = {"not yet posted", "aun no publicado", "todavia no publicado"}
COMPANY_SUFFIXES = {"inc", "llc", "corp", "corporation", "co", "company", "ltd", "limited", "lp", "llp", "pbc",
                    "plc", "incorporated", "sa", "gmbh", "pc"}
SDPC_HOSTS = ("sdpc.a4l.org", "privacy.a4l.org")
_SEPARATOR = re.compile(r", | [-–—] ")
_TERM_SEPARATOR = re.compile(r"[,;\n]+")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class ImportRefused(Exception):
    """Bad usage: the file or the map cannot be used. Nothing was written."""


@dataclass(frozen=True)
class ImportedRecord:
    row: int
    path: Path
    text: str
    incomplete: bool
    written: bool  # False under --dry-run


@dataclass(frozen=True)
class RowLeftOut:
    row: int
    reason: str


@dataclass(frozen=True)
class UnmatchedTerm:
    term: str
    rows: tuple[int, ...]
    suggestions: tuple[str, ...]  # labels of the vocabulary


@dataclass(frozen=True)
class DateRemark:
    row: int
    field: str
    value: str
    problem: str  # "ambiguous: read as 2021-03-04", or why it could not be read


@dataclass
class ImportResult:
    source: Path
    dry_run: bool
    columns: dict[str, str]  # field → heading
    records: list[ImportedRecord] = field(default_factory=list)
    left_out: list[RowLeftOut] = field(default_factory=list)
    unmatched: list[UnmatchedTerm] = field(default_factory=list)
    dates: list[DateRemark] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headings of no field

    @property
    def complete(self) -> int:
        return sum(not record.incomplete for record in self.records)

    @property
    def incomplete(self) -> int:
        return sum(record.incomplete for record in self.records)

    @property
    def every_row_imported(self) -> bool:
        return not self.left_out


def fold(text: str) -> str:
    return " ".join(folded_words(str(text).replace("_", " ")))


def import_list(source: Path, content: Path, map_file: Path | None = None, dry_run: bool = False) -> ImportResult:
    if not source.is_file():
        raise ImportRefused(f"{source}: no such file")
    if source.suffix.lower() not in (".csv", ".xlsx"):
        raise ImportRefused(f"{source}: not a .csv or .xlsx file; save the spreadsheet as CSV or Excel workbook")
    try:
        table = read_table(source)
    except TableUnreadable as error:
        raise ImportRefused(f"{source}: {error}") from None
    columns = _columns(list(table.headings), _read_map(map_file) if map_file else {})
    if "vendor" not in columns:
        raise ImportRefused(f"{source}: no column of the vendor (headings: {', '.join(map(str, table.headings))}); "
                            "name it with --map, e.g. a line 'vendor: Company Name'")
    result = ImportResult(source, dry_run, {name: str(table.headings[index]) for name, index in columns.items()})
    used = set(columns.values())
    result.ignored = [str(heading) for index, heading in enumerate(table.headings) if index not in used and heading]
    vocabulary = _vocabulary(content)
    rows = []
    for row in table.rows:
        cells = {name: _cell(row.cells, index) for name, index in columns.items()}
        if all(value is None for value in cells.values()):
            continue
        rows.append((row.number, cells))
    folder = content / "contracts"
    existing = {path.stem for path in folder.glob("*.md")} if folder.is_dir() else set()
    planned = _plans(rows, result, vocabulary)
    known = existing | {plan.slug for plan in planned}
    unmatched: dict[str, list[int]] = {}
    for plan in planned:
        plan.settle_amends(known, result)
        path = folder / f"{plan.slug}.md"
        if plan.slug in existing:
            result.left_out.append(RowLeftOut(plan.row, f"{display_path(path)} already exists; it was left as it "
                                                        "was"))
            continue
        for term in plan.unmatched:
            unmatched.setdefault(term, []).append(plan.row)
        text = plan.text(source)
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        result.records.append(ImportedRecord(plan.row, path, text, plan.incomplete, not dry_run))
    result.unmatched = [UnmatchedTerm(term, tuple(rows), vocabulary.suggestions(term))
                        for term, rows in unmatched.items()]
    result.left_out.sort(key=lambda left: left.row)
    return result


def _cell(cells: tuple, index: int):
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_map(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ImportRefused(f"--map {path}: cannot be read as YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ImportRefused(f"--map {path}: expected lines 'field: heading', e.g. 'vendor: Company Name'")
    mapped = {}
    for name, heading in data.items():
        name = MAP_SYNONYMS.get(str(name), str(name))
        if name not in FIELDS:
            raise ImportRefused(f"--map {path}: '{name}' is not a field; the fields are {', '.join(FIELDS)}")
        mapped[name] = heading
    return mapped


def _columns(headings: list, mapped: dict[str, str]) -> dict[str, int]:
    """field → the index of its column: ``mapped`` first, then each field's preferred heading."""
    folded = [fold(heading) if heading is not None else "" for heading in headings]
    columns: dict[str, int] = {}
    for name, heading in mapped.items():
        matches = [index for index, text in enumerate(headings) if text == heading] or \
                  [index for index, text in enumerate(folded) if text and text == fold(heading)]
        if not matches:
            raise ImportRefused(f"--map: {name}: the sheet has no column '{heading}'; its headings are "
                                f"{', '.join(str(h) for h in headings if h)}")
        columns[name] = matches[0]
    taken = set(columns.values())
    for name, names in HEADINGS.items():
        if name in columns:
            continue
        for wanted in names:
            index = next((i for i, text in enumerate(folded) if text == fold(wanted) and i not in taken), None)
            if index is not None:
                columns[name] = index
                taken.add(index)
                break
    return columns


class _Vocabulary:
    """The site's data elements: an exact folded key, label or alias → its key; the closest labels of the rest."""

    def __init__(self, names: ElementNames):
        self.names = names
        self.exact: dict[str, set[str]] = {}
        for key, _, joined in names.names:
            self.exact.setdefault(joined, set()).add(key)

    def key(self, term: str) -> str | None:
        keys = self.exact.get("".join(folded_words(term)), set())
        return next(iter(keys)) if len(keys) == 1 else None

    def suggestions(self, term: str) -> tuple[str, ...]:
        keys, _ = self.names.suggestions(term)
        return tuple(self.label(key) for key in keys)

    def label(self, key: str) -> str:
        texts = dict(self.names.elements[key].label.texts)
        return texts.get("", next(iter(texts.values()), key))


def _vocabulary(content: Path) -> _Vocabulary:
    report = Report()
    site, _ = read_site(content, report)
    elements = read_elements(content, site.languages if site else None, report) or {}
    return _Vocabulary(ElementNames(elements))


@dataclass
class _Plan:
    row: int
    slug: str
    front: dict
    body: str
    unmatched: list[str]
    incomplete: bool

    def settle_amends(self, known: set[str], result: ImportResult) -> None:
        """An amendment or renewal whose ``amends`` names no record is imported as a contract, with a remark."""
        kind = self.front.get("kind")
        if kind in (None, "contract"):
            self.front.pop("amends", None)
            return
        if self.front.get("amends") not in known:
            result.dates.append(DateRemark(self.row, "kind", kind, "an amendment or renewal needs the slug of the "
                                           "contract it amends (an 'amends' column); imported as a contract: "
                                           "add 'kind' and 'amends' by hand"))
            self.front.pop("kind")
            self.front.pop("amends", None)

    def text(self, source: Path) -> str:
        if self.incomplete:
            self.front["incomplete"] = True
        dumped = yaml.safe_dump(self.front, allow_unicode=True, sort_keys=False, width=float("inf"),
                                default_flow_style=False)
        header = f"{modeline('contract')}\n# imported from row {self.row} of {source.name}\n"
        body = self.body.strip()
        return f"---\n{header}{dumped}---\n{body}\n" if body else f"---\n{header}{dumped}---\n"


def _plans(rows: list[tuple[int, dict]], result: ImportResult, vocabulary: _Vocabulary) -> list[_Plan]:
    plans = []
    slugs: Counter = Counter()
    for number, cells in rows:
        plan = _plan(number, cells, result, vocabulary)
        if plan is None:
            continue
        slugs[plan.slug] += 1
        if slugs[plan.slug] > 1:
            plan.slug = f"{plan.slug}-{slugs[plan.slug]}"
            while plan.slug in slugs:
                plan.slug += "-x"
            slugs[plan.slug] += 1
        plans.append(plan)
    return plans


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _plan(row: int, cells: dict, result: ImportResult, vocabulary: _Vocabulary) -> _Plan | None:
    vendor, product = _text(cells.get("vendor")), _text(cells.get("product"))
    if vendor is None:
        result.left_out.append(RowLeftOut(row, "no vendor"))
        return None
    if "product" not in cells:
        vendor, product = _split_vendor(vendor)
    title = _text(cells.get("title"))
    for option, value in (("vendor", vendor), ("product", product), ("title", title)):
        problem = value and name_problem(option, value)
        if problem:
            result.left_out.append(RowLeftOut(row, problem))
            return None
    slug = _text(cells.get("slug"))
    if slug is None or not SLUG_PATTERN.fullmatch(slug):
        slug = slugify(f"{vendor} {product or ''}")
    front: dict = {"vendor": vendor}
    if product:
        front["product"] = product
    if title:
        front["title"] = title
    kind = KINDS.get(fold(cells.get("kind") or ""))
    if kind and kind != "contract":
        front["kind"] = kind
        amends = _text(cells.get("amends"))
        if amends:
            front["amends"] = amends
    for name in ("contract_date", "posted", "expires"):
        value = _date(row, name, cells.get(name), result)
        if value is not None:
            front[name] = value
    data, unmatched = _data(cells.get("student_data"), vocabulary)
    if data is not None:
        front["student_data"] = data
    notes = [text for text in (", ".join(unmatched), _text(cells.get("student_data_notes"))) if text]
    if notes:
        front["student_data_notes"] = "\n\n".join(notes)
    schools = _text(cells.get("schools"))
    if schools:
        front["schools"] = [school.strip() for school in re.split(r"[;\n]" if re.search(r"[;\n]", schools) else ",",
                                                                    schools) if school.strip()]
    grades = _text(cells.get("grades"))
    if grades:
        front["grades"] = grades
    documents, sdpc = _links(_text(cells.get("documents")))
    sdpc = _text(cells.get("sdpc_agreement")) or sdpc
    if documents:
        front["documents"] = documents
    if sdpc and urlsplit(sdpc).scheme in ("https", "http"):
        front["sdpc_agreement"] = sdpc
    body = _text(cells.get("description")) or ""
    incomplete = not isinstance(front.get("contract_date"), date) or not body or "student_data" not in front
    return _Plan(row, slug, front, body, unmatched, incomplete)


def _split_vendor(name: str) -> tuple[str, str | None]:
    """"Vendor, Product" or "Vendor - Product", only where it is clear: one separator, two parts, and the
    second no company suffix ("Clever, Inc.")."""
    parts = _SEPARATOR.split(name)
    if len(parts) != 2:
        return name, None
    vendor, product = (part.strip() for part in parts)
    words = folded_words(product)
    if not vendor or not product or not words or words[0] in COMPANY_SUFFIXES or "".join(words) in COMPANY_SUFFIXES:
        return name, None
    return vendor, product


def _date(row: int, name: str, value, result: ImportResult):
    if value is None:
        return None
    if isinstance(value, str) and _MONTH.fullmatch(value) and name == "contract_date":
        return value  # a month: an incomplete notice's
    read = read_list_date(value)
    shown = value.isoformat() if isinstance(value, date) else str(value)
    if read.day is None:
        result.dates.append(DateRemark(row, name, shown, f"left out: {read.problem or 'not a date'}"))
        return None
    if read.ambiguous:
        result.dates.append(DateRemark(row, name, shown, f"could be read two ways; imported month first as "
                                                         f"{read.day.isoformat()}: check it"))
    return read.day


def _data(cell, vocabulary: _Vocabulary) -> tuple[list[str] | None, list[str]]:
    """The keys of the terms of a data cell, and the terms that match no key, label or alias, word for word.
    ``None`` where the cell says nothing (or "not yet posted"), ``[]`` where it says that no data is shared."""
    text = _text(cell)
    if text is None or fold(text) in {fold(t) for t in DATA_NOT_POSTED}:
        return None, []
    if fold(text) in {fold(t) for t in NO_DATA}:
        return [], []
    keys: list[str] = []
    unmatched: list[str] = []
    for term in (term.strip() for term in _TERM_SEPARATOR.split(text)):
        if not term:
            continue
        key = vocabulary.key(term)
        if key is None:
            unmatched.append(term)
        elif key not in keys:
            keys.append(key)
    return (keys or None), unmatched


def _links(cell: str | None) -> tuple[list[dict], str | None]:
    """A link column's web addresses as documents; an SDPC registry address as ``sdpc_agreement``."""
    if cell is None:
        return [], None
    addresses = [part.strip() for part in re.split(r"[;\s]+", cell) if part.strip()]
    addresses = [address for address in addresses if urlsplit(address).scheme in ("https", "http")
                 and urlsplit(address).netloc]
    sdpc = next((a for a in addresses if urlsplit(a).hostname in SDPC_HOSTS), None)
    documents = [a for a in addresses if a != sdpc]
    titled = [{"title": "Document" if len(documents) == 1 else f"Document {number}", "url": address}
              for number, address in enumerate(documents, 1)]
    return titled, sdpc
