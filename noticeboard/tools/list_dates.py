"""The dates of a district's own list, in the forms real lists carry: ISO dates and timestamps, US month-first
numbers (``7/1/2017``, ``6/14/21``), month names in English and Spanish, spreadsheet date cells and the
serial numbers behind them. A time of day is dropped: notices record days."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

# Excel's 1900 date system (Windows and current Mac): day 1 is 1900-01-01, counted as if 1900 were a leap
# year, so from 1900-03-01 on a serial is the days since 1899-12-30.
SERIAL_EPOCH = datetime.date(1899, 12, 30)
# Serials read as dates: 20000 is 1954-10-03, 80000 is 2119-01-10. Outside, a number is more likely an
# amount, a year or an ID than a date.
SERIAL_RANGE = (20000, 80000)

MONTHS = {
    **{name: number for number, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
        ("november", "nov"), ("december", "dec")), start=1) for name in names},
    **{name: number for number, names in enumerate((
        ("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"), ("mayo", "may"),
        ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"), ("septiembre", "setiembre", "sep", "set"),
        ("octubre", "oct"), ("noviembre", "nov"), ("diciembre", "dic")), start=1) for name in names},
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues",
            "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
            "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")

# A time of day after the date, which is dropped (matched in folded text, lower case): "T05:00:00Z", " 5:00 PM",
# " at 5:00:00 AM", ", a las 17:00".
_TIME = (r"(?:(?:t|\s*,?\s*(?:at\s+|a\s+las\s+)?)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?\s?m\.?)?"
         r"(?:\s*(?:z|utc|gmt|[ecmp][sd]?t|[+-]\d{2}:?\d{2}))?)?")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME)
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s*-?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*-?\s*(\d{4})" + _TIME)
_DAY_FIRST = re.compile(r"(\d{1,2})(?:\s+de\s+|\s*-\s*|\s+)([a-z]+)\.?(?:\s+de\s+|\s*,?\s*-\s*|\s*,?\s+)(\d{4}|\d{2})"
                        + _TIME)
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_WEEKDAY = re.compile(r"^(?:" + "|".join(WEEKDAYS) + r")\.?\s*,?\s+")


@dataclass(frozen=True)
class ListDate:
    """The day a value of a list names (None for an empty value or one that cannot be read, with a
    ``problem`` then); ``ambiguous`` when it is written as numbers that are a different real date read day
    first, so that staff are asked to look."""
    day: datetime.date | None
    ambiguous: bool = False
    problem: str | None = None


def read_list_date(value) -> ListDate:
    """The day of a cell: a date or datetime (the time dropped), a spreadsheet serial number, or text."""
    if value is None:
        return ListDate(None)
    if isinstance(value, datetime.datetime):
        return ListDate(value.date())
    if isinstance(value, datetime.date):
        return ListDate(value)
    if isinstance(value, bool):
        return ListDate(None, problem=f"'{value}' is not a date")
    if isinstance(value, (int, float)):
        return _serial(value, str(value))
    text = str(value).strip()
    if not text:
        return ListDate(None)
    return _from_text(text)


def _from_text(text: str) -> ListDate:
    folded = _WEEKDAY.sub("", _folded(text), count=1)
    if _SERIAL.fullmatch(folded):
        return _serial(float(folded), text)
    if match := _ISO.fullmatch(folded):
        year, month, day = (int(part) for part in match.groups())
        return _real(year, month, day, text)
    if match := _NUMERIC.fullmatch(folded):
        return _month_first(*match.groups(), text)
    if match := _MONTH_FIRST.fullmatch(folded):
        name, day, year = match.groups()
        return _named(name, day, year, text)
    if match := _DAY_FIRST.fullmatch(folded):
        day, name, year = match.groups()
        return _named(name, day, year, text)
    return ListDate(None, problem=f"'{text}' is not a date that can be read; write it as YYYY-MM-DD "
                                  "(2021-06-14) or as month/day/year (6/14/2021)")


def _folded(text: str) -> str:
    """Lower case, accents off ("miércoles", "sábado"), one space between words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _serial(number: float, text: str) -> ListDate:
    low, high = SERIAL_RANGE
    if not low <= number < high:
        return ListDate(None, problem=f"'{text}' is a number, not a date (a spreadsheet's date number would "
                                      f"be between {low} and {high})")
    return ListDate(SERIAL_EPOCH + datetime.timedelta(days=int(number)))


def _month_first(first: str, second: str, year: str, text: str) -> ListDate:
    """``m/d/y``, as US districts write; ``d/m/y`` only where month first is no date (``14/6/2021``)."""
    full_year = _full_year(year)
    month_first = _date(full_year, int(first), int(second))
    day_first = _date(full_year, int(second), int(first))
    if month_first:
        return ListDate(month_first, ambiguous=bool(day_first) and day_first != month_first)
    if day_first:
        return ListDate(day_first)
    return ListDate(None, problem=f"'{text}' is not a real date (read as month/day/year)")


def _named(name: str, day: str, year: str, text: str) -> ListDate:
    month = MONTHS.get(name)
    if month is None:
        return ListDate(None, problem=f"'{text}' is not a date that can be read: '{name}' is not a month")
    return _real(_full_year(year), month, int(day), text)


def _real(year: int, month: int, day: int, text: str) -> ListDate:
    found = _date(year, month, day)
    return ListDate(found) if found else ListDate(None, problem=f"'{text}' is not a real date")


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str) -> int:
    """A two-digit year is of this century: contracts for student data are all after 2000."""
    return 2000 + int(year) if len(year) == 2 else int(year)
