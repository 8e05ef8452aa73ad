"""The record types and their field rules, one pydantic model per kind of file.

Rules that involve one record only live here; rules across records (``amends``,
``related``, vocabulary keys, spellings) live in ``rules.py``, files on disk in ``content.py``.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PlainValidator,
                      Tag, ValidationError, WithJsonSchema, model_validator)
from pydantic_core import PydanticCustomError

from .codes import validation_error_code
from .diagnostics import Report
from .reader import Source
from .urls import web_address_problem

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
POLICY_NUMBER_PATTERN = re.compile(r"\d{4}(?:\.\d+)*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
ELEMENT_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")  # the one way dates are written, in content and --today
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
_US_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A signing date known only to the month (``2022-04``): allowed in incomplete notices only."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.isoformat()


def first_day(value: "date | Month | None") -> date | None:
    """The day a date or month counts as when notices are ordered and compared."""
    return value.first_day if isinstance(value, Month) else value


def _plausible_year(year: int, text: str) -> None:
    if not 1900 <= year <= 2999:
        raise PydanticCustomError("date_range", "'{found}' is not a plausible year for a contract",
                                  {"found": text})


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if ISO_DATE_PATTERN.fullmatch(text):
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError(
                "date_value", "'{found}' is not a real date; check the month and day",
                {"found": text}) from None
        _plausible_year(parsed.year, text)
        return parsed
    hint = ""
    us = _US_DATE.fullmatch(text)
    us_month = _US_MONTH.fullmatch(text)
    if us:
        month, day, year = (int(part) for part in us.groups())
        year += 2000 if year < 100 else 0
        try:
            hint = f" (did you mean {date(year, month, day).isoformat()}?)"
        except ValueError:
            pass
    elif us_month and 1 <= int(us_month[1]) <= 12:
        hint = (f" (a month alone, {int(us_month[2]):04d}-{int(us_month[1]):02d}, "
                "is accepted only in a notice marked 'incomplete: true')")
    raise PydanticCustomError(
        "date_format", "found '{found}', expected a date written YYYY-MM-DD, e.g. 2025-01-21{hint}",
        {"found": text, "hint": hint})


def _slug(value: str) -> str:
    if not SLUG_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "slug", "'{found}' is not a slug: use lowercase letters, digits and single hyphens",
            {"found": value})
    return value


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "must not be empty")
    return value


def _policy_number(value: str) -> str:
    if not POLICY_NUMBER_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "policy_number",
            "'{found}' is not a policy number: four digits, optionally followed by .digits "
            "parts, e.g. \"5125\" or \"6141.321\"", {"found": value})
    return value


def _date_or_month(value: Any) -> "date | Month":
    """A full date, or a month (``2022-04``); whether a month is allowed is the record's rule."""
    if isinstance(value, (date, Month)):
        return value
    found = _ISO_MONTH.fullmatch(str(value).strip())
    if found:
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise PydanticCustomError("date_value", "'{found}' is not a real month", {"found": found[0]})
        _plausible_year(year, found[0])
        return Month(year, month)
    return _iso_date(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
DateOrMonth = Annotated[
    Union[date, Month], PlainValidator(_date_or_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
                    "description": "YYYY-MM-DD; YYYY-MM only in an incomplete notice"})]
MAX_NAME_LENGTH = 200
# The documents the site publishes, by ending: PDF, and office formats that browsers download
# rather than run (never .html, .svg or anything else that could run a script on the site).
DOCUMENT_TYPES = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint",
                  ".odt": "OpenDocument", ".ods": "OpenDocument", ".odp": "OpenDocument"}


def _name(value: str) -> str:
    """A name or title is shown in lists and headings and becomes part of page addresses."""
    if "\n" in value:
        raise PydanticCustomError("one_line", "must be one line; put longer text in the description")
    if len(value) > MAX_NAME_LENGTH:
        raise PydanticCustomError(
            "name_length", "is {length} characters long; a name or title has at most {limit}",
            {"length": len(value), "limit": MAX_NAME_LENGTH})
    return value


def _document_file(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value) or ".." in parts:
        raise PydanticCustomError(
            "document_file", "'{found}' must be a path inside files/, without '..' or a leading '/'",
            {"found": value})
    if not value.lower().endswith(tuple(DOCUMENT_TYPES)):
        raise PydanticCustomError(
            "document_type",
            "'{found}' is not a type of document the site publishes ({types}): web pages, images and "
            "other files could run scripts on the site's address",
            {"found": value, "types": ", ".join(DOCUMENT_TYPES)})
    return value


def _web_address(value: str) -> str:
    problem = web_address_problem(value)
    if problem:
        raise PydanticCustomError("web_address", "'{found}' {problem}", {"found": value, "problem": problem})
    return value


def _site_root(value: str) -> str:
    problem = web_address_problem(value, site_root=True)
    if problem:
        raise PydanticCustomError("base_url", "'{found}' {problem}", {"found": value, "problem": problem})
    return value if value.endswith("/") else value + "/"


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_not_blank)]
Name = Annotated[str, AfterValidator(_not_blank), AfterValidator(_name)]
PolicyNumber = Annotated[str, AfterValidator(_policy_number)]
Flag = Annotated[bool, Field(strict=True)]


class Strict(BaseModel):
    """Unknown fields are errors; numbers written without quotes count as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Document(Strict):
    title: Name
    file: Optional[Annotated[str, AfterValidator(_not_blank), AfterValidator(_document_file)]] = None
    url: Optional[Annotated[str, AfterValidator(_web_address)]] = None

    @model_validator(mode="after")
    def _one_target(self) -> "Document":
        if (self.file is None) == (self.url is None):
            raise PydanticCustomError(
                "document_target", "give either 'file' (a PDF under files/) or 'url', not both or neither")
        return self


class ContractFields(Strict):
    vendor: Name
    title: Optional[Name] = None
    contract_date: Optional[DateOrMonth] = None
    posted: Optional[IsoDate] = None
    expires: Optional[IsoDate] = None
    kind: Literal["contract", "amendment", "renewal"] = "contract"
    amends: Optional[Slug] = None
    student_data: Optional[list[Text]] = None
    student_data_notes: Optional[str] = None
    schools: list[Name] = Field(default_factory=list)
    grades: Optional[Name] = None
    documents: list[Document] = Field(default_factory=list)
    draft: Flag = False
    incomplete: Flag = False


class PolicyFields(Strict):
    number: PolicyNumber
    title: Name
    adopted: Optional[IsoDate] = None
    revised: Optional[IsoDate] = None
    series: Optional[Name] = None
    documents: list[Document] = Field(default_factory=list)
    related: list[PolicyNumber] = Field(default_factory=list)
    draft: Flag = False
    example: Flag = False  # an illustration, not the board's adopted text: every page of it says so


class PageFields(Strict):
    title: Name
    draft: Flag = False


class Contact(Strict):
    email: Optional[Name] = None
    phone: Optional[Name] = None
    address: Optional[Text] = None


def _language(value: str) -> str:
    if not LANGUAGE_PATTERN.fullmatch(value):
        raise PydanticCustomError("language", "'{found}' is not a language code such as en or es",
                                  {"found": value})
    return value


def _each_once(values: list[str]) -> list[str]:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise PydanticCustomError("repeated", "{found} is listed more than once; list each once",
                                  {"found": ", ".join(repeated)})
    return values


LanguageCode = Annotated[str, AfterValidator(_language)]
# The branches of a translatable field, as pydantic names them in an error's location;
# ``_report_errors`` leaves them out, so that a location is the path in the file.
ONE_TEXT, BY_LANGUAGE = "<text>", "<by language>"


def _text_or_mapping(value: Any) -> str:
    return BY_LANGUAGE if isinstance(value, dict) else ONE_TEXT


def _translatable(kind):
    """``kind`` in the site's default language, or a mapping from language code to ``kind``."""
    return Annotated[
        Union[Annotated[kind, Tag(ONE_TEXT)],
              Annotated[dict[LanguageCode, kind], Field(min_length=1), Tag(BY_LANGUAGE)]],
        Discriminator(_text_or_mapping)]


TranslatableName = _translatable(Name)
TranslatableText = _translatable(Text)


class SiteFields(Strict):
    title: TranslatableName
    district: TranslatableName
    base_url: Annotated[str, AfterValidator(_site_root)]
    contact: Contact = Field(default_factory=Contact)
    languages: Annotated[list[LanguageCode], AfterValidator(_each_once)] = Field(
        default_factory=lambda: ["en"], min_length=1)
    notice_deadline_business_days: int = Field(default=5, ge=1, le=60, strict=True)



class DataElementFields(Strict):
    label: TranslatableName
    category: TranslatableName
    description: TranslatableText
    sensitive: Flag = False


class SeriesFields(Strict):
    key: Name
    title: TranslatableName


class NoticeTranslationFields(Strict):
    """``contracts/<slug>.<lang>.md``: every other fact comes from the main record."""
    title: Optional[Name] = None
    student_data_notes: Optional[str] = None


class PolicyTranslationFields(Strict):
    """``policies/<number>.<lang>.md``."""
    title: Optional[Name] = None


_FRIENDLY = {
    "missing": "is required but missing",
    "list_type": "expected a list, e.g. [first, second]",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "dict_type": "expected fields written as 'name: value'",
    "model_type": "expected fields written as 'name: value'",
    "model_attributes_type": "expected fields written as 'name: value'",
}


def did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _model_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the fields allowed where ``loc`` points, for "did you mean"."""
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields.get(part)
        inner = getattr(annotation, "annotation", None)
        for candidate in (inner, *getattr(inner, "__args__", ())):
            for sub in (candidate, *getattr(candidate, "__args__", ())):
                if isinstance(sub, type) and issubclass(sub, BaseModel):
                    model = sub
                    break
    return list(model.model_fields)


def _message(model: type[BaseModel], error: dict) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        return "unknown field" + did_you_mean(loc[-1], _model_fields(model, loc[:-1]))
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", allowed)
        return f"'{error['input']}' is not allowed; expected {allowed}" + did_you_mean(error["input"], choices)
    if kind in ("greater_than_equal", "less_than_equal", "too_short"):
        return error["msg"].lower()
    if kind in _FRIENDLY:
        found = error.get("input")
        text = _FRIENDLY[kind]
        if found is None and kind != "missing":
            text += ", found nothing (write a value, or remove the line)"
        elif kind != "missing" and not isinstance(found, (dict, list)):
            text += f", found '{found}'"
        return text
    return error["msg"]


def _report_errors(model: type[BaseModel], source: Source, report: Report, exc: ValidationError,
                   loc_prefix: tuple = ()) -> None:
    for error in exc.errors():
        loc = loc_prefix + tuple(part for part in error["loc"] if part not in (ONE_TEXT, BY_LANGUAGE, "[key]"))
        code = validation_error_code(error["type"])
        if error["type"] == "missing":
            report.missing(source, loc, code, _message(model, error))
        else:
            report.at(source, loc, code, _message(model, error))


def validate(model: type[BaseModel], source: Source, report: Report, data: Any = None,
             loc_prefix: tuple = ()):
    """Validate ``data`` (default: the whole source) and turn every error into a line."""
    try:
        return model.model_validate(source.data if data is None else data)
    except ValidationError as exc:
        _report_errors(model, source, report, exc, loc_prefix)
        return None


def validate_record(model: type[BaseModel], source: Source, report: Report):
    """Validate a record; returns ``(fields, complete)``.

    When some fields are wrong, they are reported and the record is validated again
    without them, so that the rules across records can still check the rest of it in
    the same run. Such a record is incomplete and never published.
    """
    try:
        return model.model_validate(source.data), True
    except ValidationError as exc:
        _report_errors(model, source, report, exc)
        wrong = {error["loc"][0] for error in exc.errors() if error["loc"]}
    try:
        return model.model_validate({k: v for k, v in source.data.items() if k not in wrong}), False
    except ValidationError:
        return None, False
