"""A district's table of contracts as rows of cells: CSV as Excel and other programs save it, or the first
sheet of an ``.xlsx`` workbook. What the cells mean is the importer's business; this module only reads them."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Saved by spreadsheet programs, but read by no library we ship: staff save them again as .xlsx or CSV.
OTHER_SPREADSHEETS = {".xls": "an Excel 97-2003 workbook", ".ods": "an OpenDocument spreadsheet",
                      ".numbers": "a Numbers spreadsheet"}
DELIMITERS = ",;\t"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an .xls (and other Office 97-2003 files)


@dataclass(frozen=True)
class Row:
    """A row of the sheet: its number as the spreadsheet program shows it (the heading row is usually 1), and
    its cells, one per heading at least (None where empty); a row longer than the headings keeps its extra
    cells."""
    number: int
    cells: tuple


@dataclass(frozen=True)
class Table:
    """The headings (the first row that is not empty) and every row below them that is not entirely empty."""
    headings: tuple[str, ...]
    rows: tuple[Row, ...]


class TableUnreadable(Exception):
    """A file that is not a table this module can read; the message names the file and says why."""


def read_table(path: Path) -> Table:
    """The table of a ``.csv`` (``.txt``, ``.tsv``) or ``.xlsx`` file."""
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        raise TableUnreadable(f"{path}: is {OTHER_SPREADSHEETS[suffix]}, which Notice Board cannot read; "
                              "open it and save it as an Excel workbook (.xlsx) or as CSV")
    if suffix not in TEXT_SUFFIXES + WORKBOOK_SUFFIXES:
        raise TableUnreadable(f"{path}: is not a spreadsheet Notice Board reads; save it as an Excel workbook "
                              "(.xlsx) or as CSV (.csv)")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TableUnreadable(f"{path}: cannot be read: {error.strerror or error}") from None
    numbered = _workbook_rows(path, raw) if suffix in WORKBOOK_SUFFIXES else _text_rows(path, raw)
    return _table(path, numbered)


def _table(path: Path, numbered: list[tuple[int, list]]) -> Table:
    filled = [(number, [_cleaned(cell) for cell in cells]) for number, cells in numbered]
    filled = [(number, cells) for number, cells in filled if any(cell is not None for cell in cells)]
    if not filled:
        raise TableUnreadable(f"{path}: is empty: it has no row with anything in it")
    _, heading_cells = filled[0]
    if not any(isinstance(cell, str) and any(ch.isalpha() for ch in cell) for cell in heading_cells):
        raise TableUnreadable(f"{path}: has no heading row: its first row should name each column "
                              "(Vendor, Product, Date signed…)")
    while heading_cells and heading_cells[-1] is None:
        heading_cells.pop()
    headings = tuple("" if cell is None else _heading(cell) for cell in heading_cells)
    width = len(headings)
    rows = tuple(Row(number, tuple(cells + [None] * (width - len(cells)))) for number, cells in filled[1:])
    return Table(headings, rows)


def _heading(cell) -> str:
    if isinstance(cell, (datetime.date, datetime.datetime)):
        return cell.isoformat()
    return str(cell)


def _cleaned(cell):
    """A cell as ``Row`` keeps it: text without the spaces around it, None for an empty one."""
    if cell is None:
        return None
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    if isinstance(cell, bool):  # a TRUE/FALSE cell, as the spreadsheet shows it
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time() else cell
    if isinstance(cell, (datetime.date, int, float)):
        return cell
    if isinstance(cell, datetime.time):
        return cell.isoformat()
    return str(cell)


# --- CSV ----------------------------------------------------------------------------------------------------

def _text_rows(path: Path, raw: bytes) -> list[tuple[int, list]]:
    if raw.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        raise TableUnreadable(f"{path}: is a workbook, not a CSV text file; name it .xlsx if it is one, or "
                              "save it from the spreadsheet program as CSV")
    text = _decoded(path, raw)
    if "\x00" in text:
        raise TableUnreadable(f"{path}: is not a spreadsheet saved as text (it holds binary data); save it "
                              "as CSV or as an Excel workbook (.xlsx)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, text), quotechar='"',
                        doublequote=True, skipinitialspace=False, strict=False)
    try:
        return [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise TableUnreadable(f"{path}: is not a CSV file that can be read: {error}") from None


def _decoded(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without the byte order mark Excel writes for "CSV UTF-8"), else Windows-1252, which
    Excel on Windows writes for plain "CSV" in English and Western European settings."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" from Excel: UTF-16, tab-separated
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise TableUnreadable(f"{path}: is neither UTF-8 nor Windows-1252 text (byte {error.object[error.start]:#04x}"
                              f" at position {error.start}); save it again as \"CSV UTF-8\"") from None


def _delimiter(path: Path, text: str) -> str:
    """The delimiter the sniffer finds in the first lines, when the heading line has it; otherwise a tab for a
    ``.tsv`` or a heading line with tabs, else a comma (a table of one column has no delimiter to find)."""
    sample = text[:64 * 1024]
    first_line = next(iter(sample.splitlines()), "")
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found and found in first_line:
        return found
    if path.suffix.lower() == ".tsv" or "\t" in first_line:
        return "\t"
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# --- .xlsx --------------------------------------------------------------------------------------------------

def _workbook_rows(path: Path, raw: bytes) -> list[tuple[int, list]]:
    if raw.startswith(OLE_SIGNATURE):
        raise TableUnreadable(f"{path}: is an Excel 97-2003 workbook (.xls) under another name, which Notice "
                              "Board cannot read; save it as an Excel workbook (.xlsx) or as CSV")
    if not raw.startswith(ZIP_SIGNATURE):
        raise TableUnreadable(f"{path}: is not an Excel workbook (.xlsx); if it is CSV text, name it .csv")
    import openpyxl  # only when a workbook is read: the other commands do not need it
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableUnreadable(f"{path}: is not an Excel workbook that can be read ({error}); save it again as "
                              ".xlsx or as CSV") from None
    try:
        if not workbook.worksheets:
            raise TableUnreadable(f"{path}: has no sheet")
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # some programs record a wrong size; read every row there is
            sheet.reset_dimensions()
        return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, ElementTree.ParseError,
            OSError) as error:  # what openpyxl raises for a damaged sheet
        raise TableUnreadable(f"{path}: its first sheet cannot be read ({type(error).__name__}: {error}); "
                              "save it again as .xlsx or as CSV") from None
    finally:
        workbook.close()
