"""The record types and their field rules, one pydantic model per kind of file.

Rules that involve one record only live here; rules across records (``amends``,
``related``, vocabulary keys, spellings) live in ``rules.py``, files on disk in ``files.py`` and ``content.py``.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PlainValidator,
                      PlainSerializer, Tag, ValidationError, WithJsonSchema, model_validator)
from pydantic_core import PydanticCustomError

from ..codes import validation_error_code
from ..colours import HEX_COLOUR
from ..diagnostics import Report
from ..urls import web_address_problem
from ..values import (ADA_TITLE_II_DATE, DOCUMENT_TYPES, EMAIL_EXAMPLE, IMAGE_TYPES, ISO_DATE_PATTERN, ISO_MONTH,
                      LANGUAGE_PATTERN, MAX_NAME_LENGTH, Month, POLICY_NUMBER_PATTERN, SLUG_PATTERN, US_MONTH,
                      date_written_otherwise, did_you_mean, email_address_problem)
from .json_patterns import (ACCENT_COLOUR_JSON_PATTERN, DATE_HELP, DATE_JSON_PATTERN, DATE_OR_MONTH_JSON_PATTERN,
                            DOCUMENT_FILE_JSON_PATTERN, EMAIL_JSON_PATTERN, JSON_PATTERN_END, LOGO_FILE_JSON_PATTERN,
                            NAME_JSON_PATTERN, SITE_ROOT_JSON_PATTERN, SUBSCRIBE_JSON_PATTERN, TEXT_TYPES,
                            WEB_ADDRESS_JSON_PATTERN)
from .reader import Source


def _plausible_year(year: int, text: str) -> None:
    if not 1900 <= year <= 2999:
        raise PydanticCustomError("date_range", "'{found}' is not a plausible year for a contract",
                                  {"found": text})


def _iso_date(value: Any) -> date:
    if isinstance(value, datetime):  # a date and a time of day (a datetime is a date too): the format has none
        raise PydanticCustomError(
            "date_format", "found '{found}', expected a date written YYYY-MM-DD, e.g. 2025-01-21{hint}",
            {"found": value.isoformat(), "hint": f" (did you mean {value.date().isoformat()}?)"})
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
    us_month = US_MONTH.fullmatch(text)
    if suggestion := date_written_otherwise(text):
        hint = f" (did you mean {suggestion.isoformat()}?)"
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
    if isinstance(value, (date, Month)) and not isinstance(value, datetime):  # a time of day: _iso_date says so
        return value
    found = ISO_MONTH.fullmatch(str(value).strip())
    if found:
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise PydanticCustomError("date_value", "'{found}' is not a real month", {"found": found[0]})
        _plausible_year(year, found[0])
        return Month(year, month)
    return _iso_date(value)


def _json(**keywords) -> WithJsonSchema:
    """The JSON Schema of a type, for ``python build.py schema``; ``help`` becomes the editor's message."""
    if "help" in keywords:
        keywords["patternErrorMessage"] = keywords.pop("help")
    return WithJsonSchema({key: list(value) if isinstance(value, tuple) else value for key, value in keywords.items()})


IsoDate = Annotated[date, BeforeValidator(_iso_date),
                    _json(type="string", pattern=DATE_JSON_PATTERN, help=f"expected {DATE_HELP}")]
DateOrMonth = Annotated[
    Union[date, Month], PlainValidator(_date_or_month),
    # As it is (a date or a Month, compared as such), as text in JSON: the union's own serializer knows no
    # Month and warned of one in every model_dump (the preview's patching compares fields by model_dump).
    PlainSerializer(lambda value, info: value.isoformat() if info.mode_is_json() else value),
    _json(type="string", pattern=DATE_OR_MONTH_JSON_PATTERN,
          help=f"expected {DATE_HELP}; a month alone, e.g. 2022-04, only in a notice marked 'incomplete: true'")]


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


def _refused(kind: str, problem: str | None, value: str) -> str:
    """``value``, unless ``problem`` says why it cannot be (a validation error of type ``kind``)."""
    if problem:
        raise PydanticCustomError(kind, "'{found}' {problem}", {"found": value, "problem": problem})
    return value


def _web_address(value: str) -> str:
    return _refused("web_address", web_address_problem(value), value)


def _site_root(value: str) -> str:
    value = _refused("base_url", web_address_problem(value, site_root=True), value)
    return value if value.endswith("/") else value + "/"


Slug = Annotated[str, AfterValidator(_slug),
                 _json(type=("string", "integer"), minimum=0,
                       pattern=f"^{SLUG_PATTERN.pattern}{JSON_PATTERN_END}",
                       help="expected a slug: lowercase letters, digits and single hyphens, e.g. imagine-learning")]
Text = Annotated[str, AfterValidator(_not_blank), _json(type=TEXT_TYPES, pattern=r"\S", help="must not be empty")]
Name = Annotated[str, AfterValidator(_not_blank), AfterValidator(_name),
                 _json(type=TEXT_TYPES, pattern=NAME_JSON_PATTERN,
                       help=f"expected one line of text, at most {MAX_NAME_LENGTH} characters")]
PolicyNumber = Annotated[str, AfterValidator(_policy_number),
                         _json(type=TEXT_TYPES, pattern=rf"^[0-9]{{4}}(?:\.[0-9]+)*{JSON_PATTERN_END}",
                               minimum=1000, exclusiveMaximum=10000, examples=["5125", "6141.321"],
                               help='expected a policy number: four digits, optionally followed by .digits '
                                    'parts, e.g. "5125" or "6141.321"')]
Flag = Annotated[bool, Field(strict=True)]
DocumentFile = Annotated[str, AfterValidator(_not_blank), AfterValidator(_document_file),
                         _json(type="string", pattern=DOCUMENT_FILE_JSON_PATTERN,
                               help="expected a file under files/ (no '..', no leading '/') ending in "
                                    + ", ".join(DOCUMENT_TYPES))]
WebAddress = Annotated[str, AfterValidator(_web_address),
                       _json(type="string", pattern=WEB_ADDRESS_JSON_PATTERN,
                             help="expected an address starting https:// or http://, as the browser shows it")]
SiteRoot = Annotated[str, AfterValidator(_site_root),
                     _json(type="string", pattern=SITE_ROOT_JSON_PATTERN,
                           help="expected the address of the site's home page, starting https:// or http://, "
                                "without '?' or '#'")]


# subprocessors: the names of the companies, or the address of the vendor's own list of them.
NAMES, ADDRESS = "<names>", "<address>"  # the branches, as pydantic names them in an error's location
SUBPROCESSORS_HELP = ("expected a list of company names, e.g. [Amazon Web Services, Google], or the address of "
                      "the vendor's list, https://…")


def _names_or_address(value: Any) -> str | None:
    """A list is names, text an address; anything else is neither (``None``: the friendly error)."""
    if isinstance(value, list):
        return NAMES
    return ADDRESS if isinstance(value, str) else None


def _list_address(value: str) -> str:
    """Text without '://' was meant as a name, not an address: say both forms rather than 'must start with https://'."""
    if "://" not in value:
        raise PydanticCustomError("subprocessors", SUBPROCESSORS_HELP)
    return _web_address(value)


Subprocessors = Annotated[
    Union[Annotated[list[Name], Field(min_length=1), Tag(NAMES)],
          Annotated[str, AfterValidator(_list_address), Tag(ADDRESS),
                    _json(type="string", pattern=WEB_ADDRESS_JSON_PATTERN, help=SUBPROCESSORS_HELP)]],
    Discriminator(_names_or_address, custom_error_type="subprocessors", custom_error_message=SUBPROCESSORS_HELP)]


class Strict(BaseModel):
    """Unknown fields are errors; numbers written without quotes count as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


# What a linked document is (content-format.md v3, documents[].type); the first three post the contract itself.
DOCUMENT_KINDS = ("contract", "amendment", "dpa", "privacy_policy", "terms", "other")
CONTRACT_DOCUMENT_KINDS = frozenset(DOCUMENT_KINDS[:3])


class Document(Strict):
    model_config = ConfigDict(json_schema_extra={
        # _one_target, for editors: with a file, no url; without one, a url.
        "if": {"required": ["file"], "properties": {"file": {"type": "string"}}},
        "then": {"properties": {"url": {"type": "null", "errorMessage": "give either 'file' or 'url', not both"}}},
        "else": {"required": ["url"], "properties": {"url": {"type": "string"}},
                 "errorMessage": "give either 'file' (a document under files/) or 'url'"},
    })

    title: Name = Field(description="What the document is, as the link shows it, e.g. 'Signed contract'.")
    file: Optional[DocumentFile] = Field(
        None, description="The document, a file under files/ beside the record (contracts/files/ or policies/files/): "
                          + ", ".join(DOCUMENT_TYPES) + ". Give either file or url.")
    url: Optional[WebAddress] = Field(
        None, description="The document's address on another site, https:// or http://. Give either file or url.")
    type: Optional[Literal[DOCUMENT_KINDS]] = Field(
        None, description="What the document is: " + ", ".join(DOCUMENT_KINDS) + " (dpa: a data privacy agreement). "
                          "Default: contract for a file, other for a url. Only a contract, an amendment or a dpa "
                          "counts as the posted contract.")

    @property
    def kind(self) -> str:
        """The type given, or else ``contract`` for a posted file and ``other`` for an address."""
        return self.type or ("contract" if self.file else "other")

    @property
    def posts_the_contract(self) -> bool:
        return self.kind in CONTRACT_DOCUMENT_KINDS

    @model_validator(mode="after")
    def _one_target(self) -> "Document":
        if (self.file is None) == (self.url is None):
            raise PydanticCustomError(
                "document_target", "give either 'file' (a PDF under files/) or 'url', not both or neither")
        return self


_DOCUMENTS_HELP = "The documents the page links, each {title, file} or {title, url}."
_STUDENT_DATA_KEYS = ("Keys of the site's vocabulary: content/data-elements.yml, or the shipped one "
                      "(e.g. student_name), which check verifies.")


class ContractFields(Strict):
    vendor: Name = Field(description="The company as parents know it; its notices are grouped under this name.")
    title: Optional[Name] = Field(
        None, description="Defaults to the vendor, plus '— Amendment N' or '— Renewal' where that applies.")
    product: Optional[Name] = Field(
        None, description="The product or service, where it is not the vendor's name (vendor Renaissance Learning, "
                          "product Star Reading); shown with the vendor, searched and exported.")
    contract_date: Optional[DateOrMonth] = Field(
        None, description="When the contract was signed, YYYY-MM-DD; not after the build date. Required unless the "
                          "notice is a draft or incomplete; an incomplete notice may give only the month, YYYY-MM.")
    posted: Optional[IsoDate] = Field(
        None, description="When this notice went up, YYYY-MM-DD; not before contract_date. Compared with the "
                          "posting deadline of the site's jurisdiction, if it has one.")
    expires: Optional[IsoDate] = Field(
        None, description="When the contract ends, YYYY-MM-DD; not before contract_date. After it the notice "
                          "shows as expired; it is never hidden.")
    kind: Literal["contract", "amendment", "renewal"] = Field(
        "contract", description="contract (the default), amendment or renewal.")
    amends: Optional[Slug] = Field(
        None, description="For an amendment or renewal (and only then): the slug of the contract record it "
                          "changes, i.e. its file name without .md.")
    student_data: Optional[list[Text]] = Field(
        None, description="The student data the vendor may access. " + _STUDENT_DATA_KEYS + " [] states that no "
                          "student information is shared. Required unless the notice is a draft or incomplete.")
    student_data_notes: Optional[str] = Field(None, description="More detail about the student data, in Markdown.")
    student_data_not_limited: Flag = Field(
        False, description="true: the contract says the data 'includes, but is not limited to' the listed elements; "
                           "pages then present the list as a minimum, never as a complete count.")
    schools: list[Name] = Field(default_factory=list, description="The schools the contract covers.")
    grades: Optional[Name] = Field(
        None, description="The grades it covers, as text: K-5, 9-12, PK-12, 'K, 3, 5', 'Grades 6-8'. Read as a set of "
                          "grades (PK, K, 1-12); text that cannot be read is shown as written, with a warning.")
    removes_schools: list[Name] = Field(
        default_factory=list, description="For an amendment or renewal (and only then): the schools that it removes "
                                          "from the contract it changes.")
    removes_grades: Optional[Name] = Field(
        None, description="For an amendment or renewal (and only then): the grades that it removes from the contract "
                          "it changes, written as grades is, e.g. 9-12.")
    documents: list[Document] = Field(
        default_factory=list, description=_DOCUMENTS_HELP + " Post the signed contract where the law asks for it.")
    subprocessors: Optional[Subprocessors] = Field(
        None, description="Who else the vendor shares the student data with (its subprocessors): a list of company "
                          "names, e.g. [Amazon Web Services, Google], or the address (https://…) of the vendor's own "
                          "list.")
    retention: Optional[str] = Field(
        None, description="How long the vendor keeps the student data and how it is deleted, in Markdown.")
    sdpc_agreement: Optional[WebAddress] = Field(
        None, description="The address (https://…) of the agreement in the Student Data Privacy Consortium's "
                          "registry.")
    # What some jurisdictions' laws ask a notice to say besides (docs/staff/jurisdictions.md): optional, unless the
    # site's jurisdiction lists the field in its profile's notice.fields; a notice lacking it is then incomplete.
    vendor_address: Optional[Text] = Field(
        None, description="The company's business address, as its agreement gives it.")
    subprocessor_safeguards: Optional[str] = Field(
        None, description="How the company makes sure that its subprocessors, and anyone else it gives the data to, "
                          "follow the same data protection rules, in Markdown.")
    accuracy_challenge: Optional[str] = Field(
        None, description="Whether and how a parent or student may challenge the accuracy of the data collected, in "
                          "Markdown.")
    storage_and_security: Optional[str] = Field(
        None, description="Where the data is stored (described so as not to weaken its security) and the security "
                          "protections that keep it safe, in Markdown.")
    encryption: Optional[str] = Field(
        None, description="How the data is encrypted while in motion and at rest, in Markdown.")
    draft: Flag = Field(False, description="true: work in progress, checked but never published.")
    incomplete: Flag = Field(
        False, description="true: the contract is published before every element of its notice is known "
                           "(contract_date, student_data, the description, and the fields that the site's "
                           "jurisdiction asks for); not together with draft.")
    known_from: Optional[Slug] = Field(
        None, description="The district never posted a notice of this contract: the slug of the published notice "
                          "it is known from (an amendment's, say). Its page says so and links that notice.")


class PolicyFields(Strict):
    number: PolicyNumber = Field(
        description='Four digits, optionally followed by .digits parts, e.g. "5125" or "6141.321"; the same as '
                    'the file name.')
    title: Name = Field(description="The title of the policy.")
    adopted: Optional[IsoDate] = Field(None, description="When the board adopted it, YYYY-MM-DD.")
    revised: Optional[IsoDate] = Field(None, description="When it was last revised, YYYY-MM-DD; not before adopted.")
    series: Optional[Name] = Field(
        None, description="A key of policies/series.yml; default: the first digit of the number followed by 000.")
    documents: list[Document] = Field(default_factory=list, description=_DOCUMENTS_HELP)
    related: list[PolicyNumber] = Field(default_factory=list, description="Numbers of related policies.")
    draft: Flag = Field(False, description="true: work in progress, checked but never published.")
    example: Flag = Field(  # an illustration, not the board's adopted text: every page of it says so
        False, description="true: an illustration, not the board's adopted text; its pages say so.")


class PageFields(Strict):
    title: Name = Field(description="The page's title.")
    draft: Flag = Field(False, description="true: work in progress, checked but never published.")


def _email_address(value: str) -> str:
    return _refused("email_address", email_address_problem(value), value)


EmailAddress = Annotated[str, AfterValidator(_not_blank), AfterValidator(_email_address),
                         _json(type="string", pattern=EMAIL_JSON_PATTERN,
                               help=f"expected one e-mail address, such as {EMAIL_EXAMPLE}")]


class Contact(Strict):
    email: Optional[EmailAddress] = Field(
        None, description=f"The one e-mail address that parents write to, such as {EMAIL_EXAMPLE}.")
    phone: Optional[Name] = Field(None, description="The telephone number.")
    address: Optional[Text] = Field(None, description="The postal address.")


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


JURISDICTIONS_FOLDER = Path(__file__).resolve().parents[1] / "jurisdictions"  # package data: jurisdictions.py
JURISDICTIONS = tuple(sorted(path.stem for path in JURISDICTIONS_FOLDER.glob("*.yml")))  # the codes shipped
DEFAULT_JURISDICTION = "CT"
NO_DEADLINE = "none"  # notice_deadline_business_days: none


def _jurisdiction(value: Any) -> str:
    if not isinstance(value, str) or value not in JURISDICTIONS:
        found = value if isinstance(value, str) else repr(value)
        hint = next((f" (did you mean {code}?)" for code in JURISDICTIONS
                     if isinstance(value, str) and code.casefold() == value.strip().casefold()), "")
        raise PydanticCustomError("jurisdiction", "'{found}' is not a jurisdiction that Notice Board knows{hint}; "
                                  "the known ones are {known}",
                                  {"found": found, "hint": hint, "known": ", ".join(JURISDICTIONS)})
    return value


def _deadline_days(value: Any) -> int | str:
    if value == NO_DEADLINE:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("deadline", "found '{found}', expected a whole number of business days from 1 "
                                  "to 60, or none (no deadline)", {"found": value})
    if not 1 <= value <= 60:
        raise PydanticCustomError("greater_than_equal", "{found} is out of range: write 1 to 60 business days, "
                                  "or none (no deadline)", {"found": value})
    return value


JurisdictionCode = Annotated[str, PlainValidator(_jurisdiction), _json(type="string", enum=JURISDICTIONS)]
DeadlineDays = Annotated[Union[int, str], PlainValidator(_deadline_days),
                         _json(anyOf=[{"type": "integer", "minimum": 1, "maximum": 60}, {"const": NO_DEADLINE}])]

LanguageCode = Annotated[str, AfterValidator(_language),
                         _json(type="string", pattern=f"^{LANGUAGE_PATTERN.pattern}{JSON_PATTERN_END}",
                               help="expected a language code such as en or es")]
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
_IN_LANGUAGES = (" Text in the default language, or a mapping from language code to text, e.g. "
                 "{en: …, es: …}, with the default language's text.")

# The site's look (content-format.md v3, "Site settings"): a logo from static/, an accent colour, an e-mail sign-up.
_IMAGES = ", ".join(IMAGE_TYPES)


def _logo_file(value: str) -> str:
    parts = value.split("/")
    if ("\\" in value or ":" in value or any(not part or part.startswith(".") for part in parts)
            or any(ord(c) < 0x20 or c == "\x7f" for c in value)):
        raise PydanticCustomError(
            "logo_file", "'{found}' must be a file inside static/, written with '/' between folders, without '..', "
                         "a leading '/', a '\\' or ':', or a name that starts with '.', e.g. logo.svg or "
                         "images/logo.png", {"found": value})
    if not value.lower().endswith(IMAGE_TYPES):
        raise PydanticCustomError(
            "logo_type", "'{found}' is not an image that every browser shows ({types})",
            {"found": value, "types": _IMAGES})
    return value


def _accent_colour(value: Any) -> str:
    if value is None:  # `accent_colour: #0b4f8a` unquoted: YAML reads a comment after the ':'
        raise PydanticCustomError(
            "colour", "found nothing: a colour starts with '#', which YAML reads as the start of a comment unless "
                      "the colour is in quotes: write accent_colour: \"#0b4f8a\"")
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
        raise PydanticCustomError(
            "colour", "'{found}' is not a colour written #rrggbb, '#' and six hexadecimal digits (0-9, a-f), in "
                      "quotes: accent_colour: \"#0b4f8a\"", {"found": value})
    return value.lower()


MAILTO = "mailto:"


def _subscribe_address(value: str) -> str:
    """An https:// address (a sign-up page), or mailto: and the one e-mail address that parents write to."""
    if value.startswith(MAILTO):
        problem = email_address_problem(value.removeprefix(MAILTO))
        if problem:
            raise PydanticCustomError("subscribe", "'{found}': the address after mailto: {problem}",
                                      {"found": value, "problem": problem})
        return value
    if value.startswith("https://"):
        return _refused("subscribe", web_address_problem(value), value)
    if value.startswith("http://"):
        raise PydanticCustomError(
            "subscribe", "'{found}' starts with http://: a page that asks for parents' e-mail addresses must be "
                         "secure; write its address starting https://", {"found": value})
    raise PydanticCustomError(
        "subscribe", "'{found}' is neither the address of a sign-up page, starting https://, nor mailto: followed by "
                     "the e-mail address to write to, e.g. mailto:notices@district.org", {"found": value})


LogoFile = Annotated[str, AfterValidator(_logo_file),
                     _json(type="string", pattern=LOGO_FILE_JSON_PATTERN,
                           help=f"expected an image inside static/ ({_IMAGES}), with '/' between folders and no "
                                "'..', e.g. logo.svg")]
AccentColour = Annotated[str, PlainValidator(_accent_colour),
                         _json(type="string", pattern=ACCENT_COLOUR_JSON_PATTERN,
                               help='expected a colour written #rrggbb, in quotes, e.g. "#0b4f8a"')]
SubscribeAddress = Annotated[str, AfterValidator(_subscribe_address),
                             _json(type="string", pattern=SUBSCRIBE_JSON_PATTERN,
                                   help="expected an address starting https://, or mailto: and an e-mail address")]


class SiteFields(Strict):
    model_config = ConfigDict(json_schema_extra={"dependentRequired": {"logo": ["logo_alt"]}})  # load/settings.py

    title: TranslatableName = Field(description="The site's title." + _IN_LANGUAGES)
    district: TranslatableName = Field(description="The district's name." + _IN_LANGUAGES)
    base_url: SiteRoot = Field(
        description="The address of the published site, e.g. https://notices.example.org/; the feed and the "
                    "sitemap use it.")
    contact: Contact = Field(default_factory=Contact, description="Whom parents ask: email, phone, address.")
    languages: Annotated[list[LanguageCode], AfterValidator(_each_once)] = Field(
        default_factory=lambda: ["en"], min_length=1, json_schema_extra={"uniqueItems": True},
        description="The site's languages, each once; the first is the default. Default: [en].")
    jurisdiction: JurisdictionCode = Field(
        DEFAULT_JURISDICTION, description="The law that the district follows, which pages cite and check holds notices to: "
                          + ", ".join(JURISDICTIONS) + " (none: no law). Default: CT.")
    notice_deadline_business_days: Optional[DeadlineDays] = Field(
        None, description="Business days after signing by which a notice must be posted, or none (no deadline, "
                          "no deadline warning). Default: the jurisdiction's deadline (CT: 5).")
    holiday_subdivision: Optional[Name] = Field(
        None, description="The holidays that business days skip: a subdivision (state) of the jurisdiction's country "
                          "in the holidays package, e.g. CT. Default: the jurisdiction's.")
    breaches_since: Optional[IsoDate] = Field(
        None, description="The day from which this site keeps the record of breach notices, YYYY-MM-DD; the page "
                          "of breaches says so, above all when none has been reported.")
    accessibility_compliance_date: IsoDate = Field(
        ADA_TITLE_II_DATE, description="The day from which the documents of newly posted records must be accessible "
                                       "(ADA Title II, WCAG 2.1 AA), YYYY-MM-DD: 2027-04-26 (the default) for public "
                                       "entities of 50,000 people or more, 2028-04-26 below that. check warns about "
                                       "the documents of records posted on or after it, and notes those of older "
                                       "ones.")
    logo: Optional[LogoFile] = Field(
        None, description="An image in the site's static/ folder (beside content/), shown in the header of every "
                          f"page: its path inside static/, e.g. logo.svg ({_IMAGES}). Needs logo_alt.")
    logo_alt: Optional[TranslatableName] = Field(
        None, description="What the logo shows, for those who cannot see it (screen readers read it out), e.g. "
                          "Lincoln Public Schools." + _IN_LANGUAGES)
    accent_colour: AccentColour = Field(
        None, description='The colour of links and buttons, and a darker shade of it for the header, written '
                          '"#rrggbb" in quotes, e.g. "#0b4f8a"; it needs at least 4.5:1 contrast against the '
                          "page's white and the pale tint of the footer and boxes (check computes it).")
    subscribe: Optional[SubscribeAddress] = Field(
        None, description="Where parents sign up to be e-mailed new notices: a page's address starting https://, "
                          "or mailto: and the e-mail address to write to. Shown on the home page, the parent guide "
                          "and every page's footer.")

    @property
    def subscribe_email(self) -> str | None:
        """The e-mail address that a ``mailto:`` sign-up writes to; None for a page or no sign-up."""
        return self.subscribe.removeprefix(MAILTO) if self.subscribe and self.subscribe.startswith(MAILTO) else None


class DataElementFields(Strict):
    label: TranslatableName = Field(description="The element's name, e.g. Date of birth." + _IN_LANGUAGES)
    category: TranslatableName = Field(description="Its category, e.g. Demographics." + _IN_LANGUAGES)
    description: TranslatableText = Field(description="A short plain-language description." + _IN_LANGUAGES)
    sensitive: Flag = Field(
        False, description="true: parents and the law treat it with special care; pages list it first, marked.")
    aliases: Optional[_translatable(list[Name])] = Field(
        None, description="Other names of the element, e.g. [IEP, 504 plan], matched as well as its key and label "
                          "(check's \"did you mean\" for an unknown key): a list in the default language, or a "
                          "mapping from language code to a list, e.g. {en: [IEP, 504 plan], es: [PEI]}.")


class SeriesFields(Strict):
    key: Name = Field(description='The series\' key, e.g. "5000"; policies name it in series:.')
    title: TranslatableName = Field(description="The series' title, e.g. Students." + _IN_LANGUAGES)


class NoticeTranslationFields(Strict):
    """``contracts/<slug>.<lang>.md``: every other fact comes from the main record."""
    title: Optional[Name] = Field(None, description="The notice's title, translated.")
    student_data_notes: Optional[str] = Field(None, description="The notes on the student data, translated.")
    retention: Optional[str] = Field(
        None, description="How long the data is kept and how it is deleted, translated.")
    subprocessor_safeguards: Optional[str] = Field(
        None, description="How the company makes its subprocessors follow the data protection rules, translated.")
    accuracy_challenge: Optional[str] = Field(
        None, description="How a parent may challenge the accuracy of the data, translated.")
    storage_and_security: Optional[str] = Field(
        None, description="Where the data is stored and how it is protected, translated.")
    encryption: Optional[str] = Field(None, description="How the data is encrypted, translated.")


class PolicyTranslationFields(Strict):
    """``policies/<number>.<lang>.md``."""
    title: Optional[Name] = Field(None, description="The policy's title, translated.")


class BreachFields(Strict):
    """``breaches/<slug>.md``, a breach notice (content format v2, "Breach notices")."""
    vendor: Name = Field(description="The contractor whose systems were breached, as parents know it.")
    contract: Optional[Slug] = Field(None, description="The slug of the vendor's contract notice.")
    discovered: Optional[IsoDate] = Field(None, description="When the contractor discovered the breach, YYYY-MM-DD.")
    reported: IsoDate = Field(description="When the contractor told the district, YYYY-MM-DD; not before discovered.")
    posted: Optional[IsoDate] = Field(
        None, description="When this notice went up and parents were told, YYYY-MM-DD; not before reported. Due "
                          "two business days after reported.")
    students_affected: Optional[int] = Field(None, ge=0, strict=True, description="How many students, a whole number.")
    sixty_day_case: Flag = Field(
        False, description="true: only directory information, student records or student-generated content were "
                           "released, so the contractor had 60 days rather than 30 to report it.")
    student_data: list[Text] = Field(
        description="The student data exposed. " + _STUDENT_DATA_KEYS + " [] if none is known to be exposed.")
    draft: Flag = Field(False, description="true: work in progress, checked but never published.")
    example: Flag = Field(  # an illustration, not a real breach: every page of it says so
        False, description="true: an illustrative example, not a real breach; its page says so.")


class BreachTranslationFields(Strict):
    """``breaches/<slug>.<lang>.md``: the text only; every fact comes from the main record."""


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
    "subprocessors": SUBPROCESSORS_HELP,
}


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


# The parts of an error's location that name a branch of a type rather than a place in the file.
BRANCHES = {ONE_TEXT, BY_LANGUAGE, NAMES, ADDRESS, "[key]"}


def _report_errors(model: type[BaseModel], source: Source, report: Report, exc: ValidationError,
                   loc_prefix: tuple = ()) -> None:
    for error in exc.errors():
        loc = loc_prefix + tuple(part for part in error["loc"] if part not in BRANCHES)
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
