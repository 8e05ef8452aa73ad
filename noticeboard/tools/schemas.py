"""``python build.py schema``: JSON Schema files that let editors check content while staff type.

One source of truth: each file is pydantic's JSON Schema of the model in ``schema.py`` that
validates the same kind of file, so that a field added to a model appears in its schema. The
types of ``schema.py`` say what their validators accept in JSON Schema terms (patterns, number
ranges); this module adds what the models leave to ``content.py`` but one file can still show
(an amendment names what it amends, a month date only in an incomplete notice, data-element
keys), the settings files' shapes (a mapping of data elements, a list of series) and the
identifiers, titles and descriptions that editors show.

What no schema of one file can know stays with ``check``: other files (``amends`` and
``related`` must exist, ``student_data`` keys of data-elements.yml, documents under files/,
the default language of site.yml, whose text a mapping by language must have), the record's
body and file name, comparisons between dates and with the build date, a series key listed twice.

The output is deterministic: keys sorted, two-space indentation, one newline at the end, so
that the same models always write the same bytes and the committed ``schemas/`` can be
compared with a fresh run (tests/test_json_schema.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from ..load.jurisdictions import JURISDICTIONS, load_jurisdiction
from ..load.json_patterns import DATE_JSON_PATTERN, JSON_PATTERN_END, MONTH_JSON_PATTERN, TEXT_TYPES
from ..load.schema import (BreachFields, BreachTranslationFields, ContractFields, DataElementFields,
                           NoticeTranslationFields, PageFields, PolicyFields, PolicyTranslationFields, SeriesFields,
                           SiteFields, _json)
from ..load.settings import EXTENDS, RESERVED_ELEMENT_KEYS, SHIPPED
from ..values import ELEMENT_KEY_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# A name for each schema, not an address to fetch (.example is reserved for examples): editors
# find a schema through the modeline or their settings, and resolve its "#/$defs/…" within it.
ID_BASE = "https://noticeboard.example/schemas/"
DEFAULT_OUT = Path("schemas")
MODELINE_PREFIX = "# yaml-language-server: $schema="
# The schemas of a district's site live in schemas/ beside content/, which `schema` writes by
# default when run in the folder that holds content/; from content/<folder>/<record>.md that is:
RECORD_TO_SCHEMAS = "../../schemas/"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def modeline(kind: str) -> str:
    """The comment that tells the YAML language server which schema a record's front matter follows."""
    return f"{MODELINE_PREFIX}{RECORD_TO_SCHEMAS}{file_name(kind)}"


class _Generator(GenerateJsonSchema):
    """pydantic's JSON Schema, said as the loader reads content."""

    def str_schema(self, schema) -> dict:
        # Every model is Strict (coerce_numbers_to_str): `grades: 12` is the text "12".
        result = super().str_schema(schema)
        result["type"] = list(TEXT_TYPES)
        return result

    def dict_schema(self, schema) -> dict:
        # pydantic turns a key pattern into patternProperties, which lets any other key through;
        # a mapping by language code admits language codes only.
        result = super().dict_schema(schema)
        for pattern, values in result.pop("patternProperties", {}).items():
            result["propertyNames"] = {"pattern": pattern, **result.get("propertyNames", {})}
            result["additionalProperties"] = values
        return result

    def field_title_should_be_set(self, schema) -> bool:
        return False  # "Contract Date" says nothing that the key does not; the description does

    def default_schema(self, schema) -> dict:
        result = super().default_schema(schema)
        if result.get("default", False) is None:
            del result["default"]  # a field left out; "default": null would make editors fill in null
        return result

    def model_schema(self, schema) -> dict:
        result = super().model_schema(schema)
        result.pop("title", None)  # a class name
        result.pop("description", None)  # a docstring, written for developers
        return result


def json_schema_of(model: type[BaseModel] | Any) -> dict:
    """pydantic's JSON Schema of a model or type, as `schema` writes it (without $schema, $id, title)."""
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    return adapter.json_schema(ref_template="#/$defs/{model}", schema_generator=_Generator, mode="validation")


def _is_true(field: str) -> dict:
    return {"required": [field], "properties": {field: {"const": True}}}


_NO_MONTH = {"if": {"type": "string", "pattern": MONTH_JSON_PATTERN},
             "then": {"pattern": DATE_JSON_PATTERN,
                      "patternErrorMessage": "a month alone is allowed only in a notice marked 'incomplete: true'; "
                                             "write the date the contract was signed, YYYY-MM-DD"}}
_COMPLETE = ("a notice gives contract_date and student_data ([] if no student information is shared); "
             "or mark it 'incomplete: true' until they are known")
# content.py's rules of one notice (_check_contract_fields, _check_required_elements), for editors.
# Each rule says what is wrong with "errorMessage", which the YAML language server shows instead
# of its own words (and which validators ignore); a "not" would show no such message.
CONTRACT_RULES = [
    {"if": _is_true("draft"),
     "then": {"properties": {"incomplete": {
         "const": False, "errorMessage": "a record is either a draft (never published) or incomplete (published "
                                         "with what is known), not both; remove one of the two"}}}},
    {"if": {"required": ["kind"], "properties": {"kind": {"enum": ["amendment", "renewal"]}}},
     "then": {"required": ["amends"],
              "properties": {"amends": {"type": ["string", "integer"], "errorMessage": "is required for an amendment "
                                        "or renewal: the slug of the contract it changes"}},
              "errorMessage": "an amendment or renewal names the contract it changes: add 'amends: <its slug>'"}},
    {"if": {"properties": {"kind": {"const": "contract"}}},
     "then": {"properties": {"amends": {"type": "null", "errorMessage": "only an amendment or renewal amends "
                                        "another record; add 'kind: amendment' or 'kind: renewal'"}}}},
    {"if": {"not": _is_true("incomplete")},
     "then": {"properties": {"contract_date": _NO_MONTH}}},
    {"if": {"not": {"anyOf": [_is_true("draft"), _is_true("incomplete")]}},
     "then": {"required": ["contract_date", "student_data"],
              "properties": {"contract_date": {"type": "string", "errorMessage": _COMPLETE},
                             "student_data": {"type": "array", "errorMessage": _COMPLETE}},
              "errorMessage": _COMPLETE}},
]


def _asked_for(schema: dict) -> dict:
    """``schema`` (a notice's) with each field that a jurisdiction asks for saying which, from the profiles'
    notice.fields: every site's schema has them all, optional, and ``check`` says which its own jurisdiction
    requires (a notice lacking one is incomplete)."""
    asked: dict[str, list[str]] = {}
    for code in JURISDICTIONS:
        for field in load_jurisdiction(code).notice.fields:
            asked.setdefault(field, []).append(code)
    for field, codes in asked.items():
        schema["properties"][field]["description"] += (
            f" Asked for on a site whose jurisdiction (site.yml) is {' or '.join(codes)}: there check lists a "
            "published notice without it as incomplete.")
    return schema


def _contract() -> dict:
    return {**_asked_for(json_schema_of(ContractFields)), "allOf": CONTRACT_RULES}


ElementKey = Annotated[str, _json(
    type="string", pattern=f"^{ELEMENT_KEY_PATTERN.pattern}{JSON_PATTERN_END}",
    **{"not": {"enum": sorted(RESERVED_ELEMENT_KEYS)}},
    help="a data-element key is lowercase letters, digits and underscores (at most 64), e.g. date_of_birth")]


_EXTENDS_SHIPPED = {"const": SHIPPED, "description": "shipped: this file adds to the vocabulary or series that ship "
                                                   "with Notice Board, rather than replacing them.",
                    "errorMessage": f"the one file to extend is the shipped one: write '{EXTENDS}: {SHIPPED}'"}


def _data_elements() -> dict:
    schema = json_schema_of(dict[ElementKey, DataElementFields])
    schema["minProperties"] = 1
    schema["properties"] = {EXTENDS: _EXTENDS_SHIPPED}  # before additionalProperties: never read as an element
    return schema


def _series() -> dict:
    schema = json_schema_of(list[SeriesFields])
    schema["items"] = {"anyOf": [schema["items"], {
        "type": "object", "properties": {EXTENDS: _EXTENDS_SHIPPED}, "required": [EXTENDS],
        "additionalProperties": False}]}
    return schema


@dataclass(frozen=True)
class SchemaFile:
    kind: str  # contract → contract.schema.json
    title: str
    description: str
    make: Callable[[], dict]
    front_matter: bool = True  # of a Markdown record, rather than a settings file


_NOT_ALL = " It checks each field as typed; check also compares it with the other files."
SCHEMA_FILES = (
    SchemaFile("contract", "Contract notice",
               "The front matter of content/contracts/<slug>.md: one notice per contract, amendment or renewal."
               + _NOT_ALL, _contract),
    SchemaFile("contract-translation", "Translation of a contract notice",
               "The front matter of content/contracts/<slug>.<lang>.md: only title, student_data_notes and "
               "retention, translated; every other fact comes from the main record <slug>.md.",
               lambda: json_schema_of(NoticeTranslationFields)),
    SchemaFile("policy", "Board policy",
               "The front matter of content/policies/<number>.md." + _NOT_ALL, lambda: json_schema_of(PolicyFields)),
    SchemaFile("policy-translation", "Translation of a board policy",
               "The front matter of content/policies/<number>.<lang>.md: only the title, translated.",
               lambda: json_schema_of(PolicyTranslationFields)),
    SchemaFile("breach", "Breach notice",
               "The front matter of content/breaches/<slug>.md: a breach of student data that a contractor "
               "reported; the site's jurisdiction (site.yml) sets its clocks." + _NOT_ALL,
               lambda: json_schema_of(BreachFields)),
    SchemaFile("breach-translation", "Translation of a breach notice",
               "The front matter of content/breaches/<slug>.<lang>.md: no fields, only the translated text below "
               "the front matter; every fact comes from the main record <slug>.md.",
               lambda: json_schema_of(BreachTranslationFields)),
    SchemaFile("page", "Page",
               "The front matter of content/pages/<name>.md and of its translations <name>.<lang>.md.",
               lambda: json_schema_of(PageFields)),
    SchemaFile("site", "Site settings", "content/site.yml: the site's title, district, address, contact, "
               "languages and jurisdiction.", lambda: json_schema_of(SiteFields), front_matter=False),
    SchemaFile("data-elements", "Data elements",
               "content/data-elements.yml: the vocabulary of student data, a mapping from key (e.g. "
               "date_of_birth) to its label, category and description. Notices name these keys in student_data. It "
               "replaces the vocabulary that ships with Notice Board, or adds to it with 'extends: shipped'.",
               _data_elements, front_matter=False),
    SchemaFile("series", "Policy series",
               "content/policies/series.yml: the series of board policies, in display order. It replaces the "
               "series that ship with Notice Board, or adds to them with an item '- extends: shipped'.", _series,
               front_matter=False),
)


def schema_of(schema_file: SchemaFile) -> dict:
    schema = schema_file.make()
    if schema_file.front_matter and not schema.get("required"):
        schema["type"] = ["object", "null"]  # front matter with no field, or only comments, reads as no fields
    return {
        "$schema": DIALECT,
        "$id": ID_BASE + file_name(schema_file.kind),
        "$comment": "Written by `python build.py schema` from the models of noticeboard/load/schema.py; do not edit.",
        **schema,
        "title": f"Notice Board: {schema_file.title}",
        "description": schema_file.description,
    }


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name → the text of every schema file, in a fixed order."""
    return {file_name(item.kind): render(schema_of(item)) for item in SCHEMA_FILES}


def write_schemas(out: Path) -> list[Path]:
    """Write every schema file into the folder ``out``; returns their paths, in order."""
    files = generate()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
