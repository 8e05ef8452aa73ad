"""``python build.py new``: start a record from a template. The only command that writes into content/.

Each record starts with the modeline that tells editors its JSON Schema (``tools/schemas.py``).

A record written here cannot be published unchanged: loading (``content.py``) reports, once
``draft: true`` is removed, a body that is still the template's placeholder (``records.PLACEHOLDERS``)
and a notice's ``student_data:`` left unanswered.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from ..characters import forbidden_character
from ..load.reader import display_path
from ..load.records import PLACEHOLDERS
from ..load.schema import Name
from ..values import POLICY_NUMBER_PATTERN, SLUG_PATTERN
from .schemas import RECORD_TO_SCHEMAS, file_name, modeline


CONTRACT_TEMPLATE = """\
---
{modeline}
vendor: {vendor}
contract_date: {today}          # the date the contract was signed
posted: {today}                 # the date this notice goes up
# expires: YYYY-MM-DD
# kind: amendment               # contract (default), amendment or renewal
# amends: slug-of-the-contract  # for an amendment or renewal
# student_data: the keys of the vocabulary (content/data-elements.yml, or the shipped one) that the company
# receives, e.g. [student_name, grade_level]; [] only if the company receives no student information. Left
# empty, only a draft or an incomplete notice passes check.
student_data:
# student_data_notes: |
#   More detail about the data, in Markdown.
# documents:
#   - title: Signed contract
#     file: {slug}.pdf          # put the PDF in content/contracts/files/
# subprocessors: [Company A, Company B]  # who else receives the data; or the address of the vendor's list, https://…
# retention: |
#   How long the data is kept and how it is deleted, in Markdown.
# sdpc_agreement: https://…     # the agreement in the Student Data Privacy Consortium's registry
draft: true                     # remove this line to publish
# incomplete: true              # instead of draft: publish a signed contract before every element is known
---
{placeholder}
"""

POLICY_TEMPLATE = """\
---
{modeline}
number: "{number}"
title: {title}
adopted: {today}
# revised: YYYY-MM-DD
# related: ["5125"]
draft: true                     # remove this line to publish
---
{placeholder}
"""


BREACH_TEMPLATE = """\
---
{modeline}
vendor: {vendor}
# contract: slug-of-the-contract  # the vendor's contract notice in content/contracts/
# discovered: YYYY-MM-DD          # when the company discovered the breach
reported: {today}               # when the company told the district
posted: {today}                 # when this notice goes up and the parents are told: within two business days
# students_affected: 0
# sixty_day_case: true            # only directory information, student records or student-generated content
# student_data: the keys of the vocabulary (content/data-elements.yml, or the shipped one) of the data released,
# e.g. [student_name, grade_level]; [] says "no student data is known to have been released": list the data as
# soon as the company says what it was.
student_data: []
draft: true                     # remove this line to publish
---
{placeholder}
"""


def yaml_text(value: str) -> str:
    """``value`` written as a YAML scalar that reads back as exactly ``value``.

    The YAML library quotes what it would otherwise read as something else: ``Acme:
    Learning``, ``#1 Tutors``, ``NO``, ``&anchor Co``.
    """
    return yaml.safe_dump(value, allow_unicode=True, width=float("inf")).removesuffix("\n...\n").rstrip("\n")


def name_problem(option: str, value: str) -> str | None:
    """What ``check`` would say of ``value`` as a name (the schema's ``Name``), or of a control character in it."""
    if "\r" in value or forbidden_character(value):
        return f"{option} must be one line of text, without control characters"
    try:
        TypeAdapter(Name).validate_python(value)
    except ValidationError as error:
        return f"{option} {error.errors()[0]['msg']}"
    return None


class RecordRefused(ValueError):
    """The record cannot be started as asked (a bad name, an existing file): nothing was written."""


@dataclass(frozen=True)
class NewRecord:
    path: Path
    schemas: Path | None  # the folder that its modeline names, when it does not hold its schema yet


def new_record(content: Path, kind: str, name: str, vendor: str | None, title: str | None,
               today: date) -> NewRecord:
    if kind in ("contract", "breach"):
        if not SLUG_PATTERN.fullmatch(name):
            raise RecordRefused(f"'{name}' is not a slug: use lowercase letters, digits and single hyphens")
        vendor = name.replace("-", " ").title() if vendor is None else vendor
        problem = name_problem("--vendor", vendor)
        path = content / ("contracts" if kind == "contract" else "breaches") / f"{name}.md"
        template = CONTRACT_TEMPLATE if kind == "contract" else BREACH_TEMPLATE
        text = template.format(modeline=modeline(kind), vendor=yaml_text(vendor), today=today, slug=name,
                               placeholder=PLACEHOLDERS[kind])
    else:
        if not POLICY_NUMBER_PATTERN.fullmatch(name):
            raise RecordRefused(f"'{name}' is not a policy number such as 5125 or 6141.321")
        title = "Title of the policy" if title is None else title
        problem = name_problem("--title", title)
        path = content / "policies" / f"{name}.md"
        text = POLICY_TEMPLATE.format(modeline=modeline(kind), number=name, title=yaml_text(title), today=today,
                                      placeholder=PLACEHOLDERS[kind])
    if problem:
        raise RecordRefused(problem)
    if path.exists():
        raise RecordRefused(f"{display_path(path)} already exists; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    schemas = path.parent / RECORD_TO_SCHEMAS
    return NewRecord(path, None if (schemas / file_name(kind)).is_file() else schemas)
