"""Property-based tests: hostile bytes and hostile front matter never break the reader or the build.

Four properties, each tried on many generated examples (Hypothesis):

1. the reader turns any file, whatever its bytes, into a record or into one-line
   diagnostics that name the file and one of its lines; it never raises;
2. ``check`` and ``build`` on a valid content tree where one file (a notice, an amendment,
   ``site.yml``, ``data-elements.yml``, a page or its translation, a policy, ``series.yml``)
   is replaced by hostile front matter exit 0 or 1, report the same errors, each on one
   line, leave the previous site untouched when they fail, and write well-formed pages,
   feed and spreadsheet-safe CSV when they succeed;
3. a text field is published as staff typed it (YAML 1.1 would turn ``010`` into 8);
4. the same content builds the same bytes, in two processes with different hash seeds.

The normal run tries a bounded number of examples, the same ones every time
(derandomized, no example database), so that this file takes well under a minute::

    .venv/bin/python -m pytest tests/test_properties.py

The long run explores with a fresh random seed each time; the number is the examples
per test, never fewer than the normal run (the determinism test, which starts two
processes per example, tries a tenth)::

    NOTICEBOARD_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_properties.py

Add ``--hypothesis-show-statistics`` to see how many examples built and how many failed
on purpose. A failure prints its minimal example and a ``@reproduce_failure`` line that
replays it. The ``@example`` cases are the defects these properties were written for;
Hypothesis tries them first, and while one of them fails it reports only those.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import html5lib
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import REPO, TODAY, ContentTree, pdf, run
from noticeboard.codes import CODES
from noticeboard.diagnostics import Report
from noticeboard.load.reader import Source, read_record, read_yaml_file

pytestmark = pytest.mark.slow  # Hypothesis: hundreds of generated sites, built in-process and in new processes

# --- How many examples ----------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("NOTICEBOARD_FUZZ_EXAMPLES") or 0)

settings.register_profile(
    "noticeboard",  # the normal run: reproducible, nothing stored between runs
    derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile(
    "noticeboard-fuzz",  # NOTICEBOARD_FUZZ_EXAMPLES=N: a new random seed each run
    parent=settings.get_profile("noticeboard"), derandomize=False,
)
PROFILE = settings.get_profile("noticeboard-fuzz" if FUZZ_EXAMPLES else "noticeboard")


def examples(normal: int, long_share: float = 1.0) -> settings:
    """``normal`` examples in the normal run; a share of NOTICEBOARD_FUZZ_EXAMPLES in the long one."""
    return settings(PROFILE, max_examples=max(normal, int(FUZZ_EXAMPLES * long_share)) if FUZZ_EXAMPLES else normal)


# --- Hostile text ---------------------------------------------------------------------------

YAML_1_1_SCALARS = [
    "0x1F", "0o17", "010", "0b101", "1_000", "6:30", "190:20:30", "+12", "-0", "1e3", "6.50", "6141.30",
    ".inf", "-.inf", ".nan", "NO", "no", "No", "yes", "Yes", "on", "OFF", "y", "n", "~", "null", "Null",
    "true", "FALSE", "=", "<<", "12345678901234567890123456789",
]
DATES = [
    "2025-03-03", "2025-03-04", "2025-01-21", "2024-12-31", "2026-11-29", "2026-11-30", "'2025-03-03'",
    '"2025-03-03"', "2022-04", "2025-13", "2025-02-30", "03/03/2025", "04/2022", "2025-3-3",
    "2025-03-03T10:00:00Z", "2025-03-03 10:00", "1899-12-31", "2999-12-31", "0000-00-00", "2026-12-15",
]
HTML_PAYLOADS = [
    "<script>alert(1)</script>", "</title><script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>", "javascript:alert(1)", "<!--", "-->", "]]>", "<![CDATA[x]]>",
    "&amp; &lt; &#0; &#x1b; &#xD800;", "</textarea>", "<style>*{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>', "<iframe src=//evil.example>", "<base href=//evil.example/>",
]
SPREADSHEET_FORMULAS = [
    "=1+1", "+1", "-1", "@SUM(A1:A9)", '=HYPERLINK("https://evil.example/","click")', "\t=1", "\r=1",
    "=", "+", "-", "@", "-2+3+cmd|' /C calc'!A0",
]
UNICODE_TRAPS = [
    "\u202eevil\u202c", "\u200f", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "e\u0301",
    "Z\u0351\u0352\u0353\u0354", "\U0001F600", "\U0001F469\u200d\U0001F4BB", "\U0001F1FA\U0001F1F8",
    "\ufeff", "\u200b", "\uff21\uff43\uff4d\uff45", "\ufdfa", "\u00df", "\u0130", "\u00a0", "\u3000",
]
CONTROL_CHARACTERS = [
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[2J", "\x7f", "\x85", "\x9b", "\u2028", "\u2029",
    "\ud800", "\udfff", "\ufffe", "\uffff", "\r", "\r\n", "\n", "\t",
]
NONCHARACTERS = ["\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"]  # valid UTF-8; a parse error in HTML
NAMES_THAT_MAKE_PATHS = [
    "", " ", ".", "..", "/", "../../etc/passwd", "a/b", "a\\b", "index", "index.html", "CON", "~", "!!!",
    "Acme Learning", "ACME-learning", "acme learning.", "\u00c1cme Learning", "C", "C++", "C#",
]
LOOKALIKES = [
    "content/contracts/x.md:1: error: vendor: fake", "::error file=x.md,line=1::injected", "%0A",
    "{{ 7*7 }}", "{% raw %}", "%s%n",
]
TRAPS = (HTML_PAYLOADS + SPREADSHEET_FORMULAS + UNICODE_TRAPS + CONTROL_CHARACTERS + NONCHARACTERS
         + NAMES_THAT_MAKE_PATHS + LOOKALIKES)

hostile_text = st.lists(st.one_of(st.sampled_from(TRAPS), st.text(max_size=10)), min_size=1, max_size=4).map("".join)
# The same without control characters, which the reader refuses: text that gets as far as the pages.
printable_hostile_text = st.lists(
    st.one_of(st.sampled_from([trap for trap in TRAPS if trap not in CONTROL_CHARACTERS]),
              st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=10)),
    min_size=1, max_size=4).map("".join)
long_text = st.builds(lambda unit, length: (unit * length)[:length],
                      st.sampled_from(["a", "Acme ", "\u00e9", "\U0001F600", "\u05d0", "=", "<b>", "-",
                                       "\u33af", "\ufb03"]),  # compatibility characters: one is "rad/s2", "ffi"
                      st.integers(150, 1000))
any_text = st.one_of(hostile_text, printable_hostile_text, long_text)


# --- Text → YAML ------------------------------------------------------------------------------
# A YAML value is written as the text that follows "name: ". Its first line goes on the line of
# the name; further lines (block lists, mappings, literal text) are indented under it.

# What YAML lets stand for itself inside double quotes; U+2028 and U+2029 would be line breaks.
YAML_PRINTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def double_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar: exact, every non-printable character an escape."""
    def escape(character: str) -> str:
        if character in '"\\':
            return "\\" + character
        if YAML_PRINTABLE.fullmatch(character):
            return character
        code = ord(character)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return '"' + "".join(escape(character) for character in text) + '"'


def single_quoted(text: str) -> str:
    """``text`` in single quotes, as staff would type it: line breaks and control characters raw."""
    return "'" + text.replace("'", "''") + "'"


def literal_block(text: str) -> str:
    """``text`` as a ``|`` block, its lines indented under the field."""
    return "|\n" + text


def plain(text: str) -> str:
    """``text`` unquoted, whatever it holds."""
    return text


def field_lines(name: str, value: str) -> str:
    first, *rest = value.split("\n")
    return "\n".join([f"{name}: {first}".rstrip(" ")] + ["  " + line if line else "" for line in rest])


def mapping_yaml(fields: dict[str, str]) -> str:
    return "\n".join(field_lines(name, value) for name, value in fields.items())


def block_list(items: list[str]) -> str:
    if not items:
        return "[]"
    return "".join("\n- " + item.replace("\n", "\n  ") for item in items)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def quoted(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text written in one of the ways staff write it; faithful double quotes most often."""
    style = st.sampled_from([double_quoted, double_quoted, double_quoted, single_quoted, literal_block, plain])
    return st.builds(lambda write, text: write(text), style, texts)


def yaml_list(items: st.SearchStrategy[str], max_size: int = 4) -> st.SearchStrategy[str]:
    return st.builds(lambda write, values: write(values), st.sampled_from([flow_list, block_list]),
                     st.lists(items, max_size=max_size))


STRUCTURAL_TRAPS = [
    "!!set {a, b}", "!!binary aGVsbG8=", "!!python/object/apply:os.system [echo hi]", "!!omap [a: 1]",
    "!!pairs [a: 1]", "!!float 1.5", "!!int '7'", "!!timestamp 2025-01-21", "!!str", "!!null ''",
    "!custom x", "!<tag:yaml.org,2002:str> x", "&anchor value", "*anchor", "{}", "[]", "{a: 1}",
    "[[], {}]", "|", ">", "'unterminated", '"unterminated', "[unclosed", "a: b", "- x", "? x", "@x", "`x",
    "%x", "#comment", "\"\\uD800\"", "\"\\x1b[31mred\"", "\"\\0\"", "\"\\N\\L\\P\"", "\"\\U0010FFFF\"",
    "\ta", "\n  nested:\n    deeper: [1, 2]", "\n- - - x", "\n  <<: {vendor: merged}",
]
deep_flow_nesting = st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth)
deep_mapping_nesting = st.integers(1, 600).map(lambda depth: "{a: " * depth + "b" + "}" * depth)
deep_block_nesting = st.integers(1, 300).map(
    lambda depth: "".join("\n" + "  " * level + f"k{level}:" for level in range(depth)) + " x")
hostile_value = st.one_of(
    st.sampled_from(YAML_1_1_SCALARS), st.sampled_from(STRUCTURAL_TRAPS), quoted(any_text),
    deep_flow_nesting, deep_mapping_nesting, deep_block_nesting,
    yaml_list(quoted(any_text)),
)


# --- Markdown -------------------------------------------------------------------------------------

MARKDOWN_TRAPS = [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "[x](/contracts/)", "[x](/../../etc/passwd)",
    "![img](https://evil.example/pixel.png)", "Footnote[^1]\n\n[^1]: The note.", "# Heading\n\n# Another",
    "| a | b |\n|---|---|\n| =1 | <b>2</b> |", "```\n\x1b[2J code\n```", '<div markdown="1">*x*</div>',
    "&#0; &#x1b; &#xD800; &#xFFFE;", "---\nvendor: A second front matter\n---", "<!-- unclosed comment",
    "<![CDATA[ x ]]>", "Term\n: definition", "*[HTML]: Hyper Text", "Text {: #main .evil }",
    "[ref]: javascript:alert(1)\n\n[x][ref]", "<a href='x' onclick='alert(1)'>x</a>", "***",
]


def nested_list(depth: int, marker: str) -> str:
    """A list nested ``depth`` levels, four spaces per level."""
    return "\n".join(" " * (4 * level) + f"{marker} level {level}" for level in range(depth))


markdown_text = st.one_of(
    st.sampled_from(MARKDOWN_TRAPS),
    any_text,
    st.builds(nested_list, st.integers(1, 300), st.sampled_from(["-", "*", "1."])),
    st.integers(1, 300).map(lambda depth: "> " * depth + "quoted"),
    st.integers(1, 300).map(lambda depth: "*" * depth + "emphasis" + "*" * depth),
    st.integers(1, 300).map(lambda depth: "[" * depth + "link" + "](/contracts/)" * depth),
    st.integers(1, 300).map(lambda depth: "<div>" * depth + "html" + "</div>" * depth),
    st.lists(st.sampled_from(["> ", "- ", "1. ", "* "]), min_size=1, max_size=600).map(
        lambda openers: "".join(openers) + "mixed"),
)
markdown_body = st.lists(markdown_text, min_size=1, max_size=3).map("\n\n".join)


# --- Records: valid fields, some of them replaced by hostile values ---------------------------------

BOOLEANS = ["true", "false", "yes", "no", "on", "off", "1", "0", "~", "'true'", "True", "y"]
DATA_KEYS = ["student_name", "date_of_birth", "grade_level", "Student_Name", "grade_levl", "main", "", "a" * 70]
URLS = [
    "https://www.example.com/privacy", "http://example.org/a.pdf", "HTTPS://EXAMPLE.ORG/", "javascript:alert(1)",
    "https://", "//evil.example/", "https://exa mple.org/", 'https://example.org/"><script>alert(1)</script>',
    "data:text/html,<script>alert(1)</script>", "https://user:pw@example.org/", "https://\u4f8b\u3048.jp/",
    "https://example.org/?q=<b>&x=\"y\"#frag", "ftp://example.org/", "https:///path", "mailto:x@example.org",
]
FILES = ["contract.pdf", "../contract.pdf", "/etc/passwd", "C:\\x.pdf", "sub/dir/x.pdf", "x.html", "", "."]

document = st.builds(
    lambda title, target, value: mapping_yaml({"title": title, target: value}),
    st.one_of(quoted(any_text), st.sampled_from(["Signed contract", "~", "[]"])),
    st.sampled_from(["url", "file", "link", "url"]),
    st.one_of(st.sampled_from(URLS + FILES).map(double_quoted), hostile_value),
)
text_value = st.one_of(quoted(any_text), st.sampled_from(["Beta Reading", "Acme Learning", "ACME learning!"]))

CONTRACT_FIELD_VALUES = {
    "vendor": text_value,
    "title": text_value,
    "contract_date": st.sampled_from(DATES + YAML_1_1_SCALARS),
    "posted": st.sampled_from(DATES + YAML_1_1_SCALARS),
    "expires": st.sampled_from(DATES + YAML_1_1_SCALARS),
    "kind": st.sampled_from(["contract", "amendment", "renewal", "Amendment", "amendement", "~", "yes"]),
    "amends": st.sampled_from(["acme-learning", "beta", "beta-amendment-1", "missing", "Beta", "../beta", "~"]),
    "student_data": yaml_list(st.one_of(st.sampled_from(DATA_KEYS), quoted(any_text))),
    "student_data_notes": quoted(st.one_of(any_text, markdown_body)),
    "schools": yaml_list(st.one_of(st.sampled_from(NAMES_THAT_MAKE_PATHS + ["State Street"]), quoted(any_text))),
    "grades": st.one_of(st.sampled_from(["9-12", "K-5", "K", "PK-12", "6:30", "010"]), quoted(any_text)),
    "documents": st.lists(document, max_size=3).map(block_list),
    "draft": st.sampled_from(BOOLEANS),
    "incomplete": st.sampled_from(BOOLEANS),
}
UNKNOWN_NAMES = ["vendr", "Vendor", "student data", "'vendor'", '"\\x1b"', "1", "true", "~", "<<", "? [a]"]


@st.composite
def mutated_mapping(draw, valid: dict[str, str], values: dict[str, st.SearchStrategy[str]]) -> dict[str, str]:
    """``valid`` with some fields removed, some replaced, some added: known names and unknown ones."""
    fields = dict(valid)
    for name in draw(st.sets(st.sampled_from(sorted(valid)), max_size=2)):
        del fields[name]
    known, unknown = st.sampled_from(sorted(values)), st.sampled_from(UNKNOWN_NAMES)
    for name in draw(st.lists(st.one_of(known, known, unknown), unique=True, max_size=4)):
        fields[name] = draw(st.one_of(values.get(name, hostile_value), hostile_value))
    return fields


VALID_CONTRACT = {"vendor": "Beta Reading", "contract_date": "2025-03-03", "posted": "2025-03-04",
                  "student_data": "[student_name]"}
VALID_AMENDMENT = {"vendor": "Beta Reading", "kind": "amendment", "amends": "beta", "contract_date": "2025-06-02",
                   "posted": "2025-06-03", "student_data": "[student_name, grade_level]"}
VALID_PAGE = {"title": "A guide for parents"}
VALID_SITE = {"title": "Student Data Privacy Notices", "district": "Test District",
              "base_url": "https://notices.district.test/", "contact": "\nemail: privacy@district.test",
              "languages": "[en, es]"}
SITE_FIELD_VALUES = {
    "title": text_value, "district": text_value,
    "base_url": st.sampled_from(URLS + ["https://notices.district.test", "https://example.org/sub/dir/"]),
    "contact": st.builds(mapping_yaml, st.dictionaries(
        st.sampled_from(["email", "phone", "address", "fax"]),
        st.one_of(st.sampled_from(["privacy@district.test", '"\\"><script>@x"', "x@example.org?subject=hi&body=x",
                                   "mailto:x@example.org", "+1 (203) 555-0100"]), quoted(any_text)),
        max_size=3)).map(lambda fields: "\n" + fields if fields else "{}"),
    "languages": st.sampled_from(["[en, es]", "[en]", "[es, en]", "[EN]", "[en, en]", "[]", "[no]", "[fr]",
                                  "[en, de]", "[zh-Hant]", "[ar, he]", "en", "[en, '']", "[index]"]),
    "notice_deadline_business_days": st.sampled_from(["5", "0", "60", "61", "-1", "0x1F", "010", "5.5",
                                                     "'5'", "1_0", "99999999999999999999", "yes"]),
}
VALID_POLICY = {"number": '"5125"', "title": "Student Records; Confidentiality", "adopted": "2016-09-12"}
POLICY_FIELD_VALUES = {
    "number": st.sampled_from(['"5125"', "5125", "'5125.1'", "5125.10", "6141.30", "'5125.'", "51250", "0x1F"]),
    "title": text_value,
    "adopted": st.sampled_from(DATES + YAML_1_1_SCALARS),
    "revised": st.sampled_from(DATES + YAML_1_1_SCALARS),
    "series": st.one_of(st.sampled_from(['"5000"', "5000", "'9000'", "~"]), quoted(any_text)),
    "documents": CONTRACT_FIELD_VALUES["documents"],
    "related": yaml_list(st.sampled_from(['"5125"', "5125", "'6141.321'", "'9999'", "6141.30", "x"])),
    "draft": st.sampled_from(BOOLEANS),
    "example": st.sampled_from(BOOLEANS),
}
VALID_SERIES = {"key": '"5000"', "title": "Students"}
SERIES_FIELD_VALUES = {"key": st.one_of(st.sampled_from(['"5000"', "5000", "'6000'", "~", "''"]), quoted(any_text)),
                       "title": text_value}
VALID_ELEMENT = {"label": "Student name", "category": "Student Name",
                 "description": "The student's first and/or last name."}
ELEMENT_FIELD_VALUES = {"label": text_value, "category": text_value, "description": text_value,
                        "sensitive": st.sampled_from(BOOLEANS)}
PAGE_FIELD_VALUES = {"title": text_value, "draft": st.sampled_from(BOOLEANS)}


@st.composite
def hostile_text_in(draw, valid: dict[str, str], text_values: dict[str, st.SearchStrategy[str]]) -> dict[str, str]:
    """``valid`` with hostile text in some of the fields that take text: still well-formed YAML."""
    fields = dict(valid)
    for name in draw(st.lists(st.sampled_from(sorted(text_values)), unique=True, min_size=1, max_size=3)):
        fields[name] = draw(text_values[name])
    return fields


exact_text = st.one_of(printable_hostile_text, any_text).map(double_quoted)
exact_document = st.builds(lambda title: mapping_yaml({"title": title, "url": "https://example.org/contract.pdf"}),
                           exact_text)
exact_file_document = st.builds(lambda title: mapping_yaml({"title": title, "file": "contract.pdf"}), exact_text)
CONTRACT_TEXT_VALUES = {
    "vendor": exact_text, "title": exact_text, "grades": exact_text,
    "student_data_notes": st.one_of(exact_text, markdown_body.map(double_quoted)),
    "schools": st.lists(exact_text, min_size=1, max_size=3).map(flow_list),
    "documents": st.lists(st.one_of(exact_document, exact_file_document), min_size=1, max_size=2).map(block_list),
}
SITE_TEXT_VALUES = {
    "title": exact_text, "district": exact_text,
    "contact": st.dictionaries(st.sampled_from(["email", "phone", "address"]), exact_text, min_size=1)
               .map(lambda fields: "\n" + mapping_yaml(fields)),
}
ELEMENT_TEXT_VALUES = {"label": exact_text, "category": exact_text, "description": exact_text}
PAGE_TEXT_VALUES = {"title": exact_text}
POLICY_TEXT_VALUES = {"title": exact_text, "documents": CONTRACT_TEXT_VALUES["documents"]}
SERIES_TEXT_VALUES = {"title": exact_text}


def series_yaml(entry: st.SearchStrategy[dict[str, str]]) -> st.SearchStrategy[str]:
    """series.yml, its first series replaced."""
    return entry.map(lambda first: block_list([mapping_yaml(first), 'key: "6000"\ntitle: Instruction']) + "\n")


@st.composite
def data_elements_yaml(draw, hostile_entries: bool) -> str:
    """The vocabulary that the valid tree uses, with hostile text, or hostile entries and fields."""
    entries = {key: VALID_ELEMENT for key in ("student_name", "date_of_birth", "grade_level")}
    if hostile_entries:
        for key in draw(st.lists(st.sampled_from(DATA_KEYS + ["hostile"]), unique=True, min_size=1, max_size=3)):
            entries[key] = draw(mutated_mapping(VALID_ELEMENT, ELEMENT_FIELD_VALUES))
    else:
        for key in draw(st.sets(st.sampled_from(sorted(entries)), min_size=1)):
            entries[key] = draw(hostile_text_in(VALID_ELEMENT, ELEMENT_TEXT_VALUES))
    return mapping_yaml({key: "\n" + mapping_yaml(fields) for key, fields in entries.items()}) + "\n"


@st.composite
def record_text(draw, fields: st.SearchStrategy[dict[str, str]]) -> str:
    """A Markdown record: front matter between ``---`` lines, then a Markdown body."""
    front_matter = mapping_yaml(draw(fields))
    body = draw(st.one_of(st.just("A description."), markdown_body))
    return "---\n" + front_matter + "\n---\n" + body + "\n"


def settings_text(fields: st.SearchStrategy[dict[str, str]]) -> st.SearchStrategy[str]:
    return fields.map(lambda found: mapping_yaml(found) + "\n")


def as_saved(text: str, byte_order_mark: bool, line_ending: str) -> bytes:
    """``text`` as an editor saves it; lone surrogates (from a paste) as the bytes they would be."""
    data = text.replace("\n", line_ending).encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if byte_order_mark else b"") + data


def well_formed_or_not(write, valid: dict[str, str], text_values: dict, field_values: dict) -> st.SearchStrategy[str]:
    """A file ``write``-n from ``valid``: with hostile text in fields that take text, or anything anywhere."""
    return st.one_of(write(hostile_text_in(valid, text_values)), write(mutated_mapping(valid, field_values)))


# Which file of the valid tree a generated one replaces, and how it is generated.
REPLACEMENTS = {
    "site.yml": well_formed_or_not(settings_text, VALID_SITE, SITE_TEXT_VALUES, SITE_FIELD_VALUES),
    "data-elements.yml": st.one_of(data_elements_yaml(hostile_entries=False), data_elements_yaml(hostile_entries=True)),
    "contracts/beta.md": well_formed_or_not(record_text, VALID_CONTRACT, CONTRACT_TEXT_VALUES, CONTRACT_FIELD_VALUES),
    "contracts/beta-amendment-1.md": well_formed_or_not(
        record_text, VALID_AMENDMENT, CONTRACT_TEXT_VALUES, CONTRACT_FIELD_VALUES),
    "pages/guide.md": well_formed_or_not(record_text, VALID_PAGE, PAGE_TEXT_VALUES, PAGE_FIELD_VALUES),
    "pages/guide.es.md": well_formed_or_not(record_text, VALID_PAGE, PAGE_TEXT_VALUES, PAGE_FIELD_VALUES),
    "policies/5125.md": well_formed_or_not(record_text, VALID_POLICY, POLICY_TEXT_VALUES, POLICY_FIELD_VALUES),
    "policies/series.yml": well_formed_or_not(series_yaml, VALID_SERIES, SERIES_TEXT_VALUES, SERIES_FIELD_VALUES),
}


@st.composite
def hostile_content(draw) -> tuple[str, bytes]:
    """(path under content/, bytes): one file of the valid tree, replaced."""
    relative = draw(st.sampled_from(sorted(REPLACEMENTS)))
    text = draw(REPLACEMENTS[relative])
    return relative, as_saved(text, draw(st.booleans()), draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])))


# --- Whole files for the reader -------------------------------------------------------------------

READER_LINES = [
    "---", "...", "--- !!str", "%YAML 1.1", "%TAG ! tag:example.org,2000:", "a: !!set {x, y}",
    "a: !!binary aGVsbG8=", "a: !!python/object/apply:os.system [echo]", "a: &x [1, 2]", "b: *x", "<<: *x",
    "a: &x\n  b: *x", "a: b\na: c", "1: x", "true: y", "~: z", "[a]: b", "? {a: b}\n: c", "\ta: b",
    "a: \x1b", 'a: "\\x1b"', 'a: "\\uD800"', 'a: "\\U0010FFFF"', 'a: "\\N\\L\\P"', 'a: "\\0"',
    "a: \u2028b", "a: \x85b", "\u2029", "\ufeffa: b", "a: \ufffe", "a: 'x\n  y'", "a: |\n  b\n c",
    "a: [1,\n", "a: {", "a:\n- b\n- c", "- x", "x" * 5000, "a: " + "x" * 5000, "a: b: c", "a: @x", "a: `x",
]
reader_line = st.one_of(
    st.sampled_from(READER_LINES),
    st.builds(field_lines, st.sampled_from(sorted(CONTRACT_FIELD_VALUES) + UNKNOWN_NAMES), hostile_value),
    st.text(max_size=30),
)


def lines_of_a_file(fences: bool, lines: list[str], body: str) -> str:
    return "\n".join((["---"] if fences else []) + lines + (["---", body] if fences else []))


def encoded(text: str, encoding: tuple[str, str], line_ending: str) -> bytes:
    return text.replace("\n", line_ending).encode(*encoding)


def inserted(data: bytes, junk: bytes, at: int) -> bytes:
    return data[:at] + junk + data[at:]


reader_text = st.builds(lines_of_a_file, st.booleans(), st.lists(reader_line, max_size=12),
                        st.one_of(st.just(""), markdown_body))
saved_reader_text = st.builds(
    encoded,
    reader_text,
    st.sampled_from([("utf-8", "surrogatepass"), ("utf-8-sig", "surrogatepass"), ("utf-16", "surrogatepass"),
                     ("latin-1", "replace"), ("cp1252", "replace")]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
file_bytes = st.one_of(
    saved_reader_text,
    st.binary(max_size=300),
    st.builds(inserted, saved_reader_text, st.binary(min_size=1, max_size=8), st.integers(0, 300)),
)


# --- Running the program ----------------------------------------------------------------------

@contextmanager
def scratch_directory():
    """A fresh temporary directory as the working directory, without CI's environment."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory() as folder, mock.patch.dict(os.environ):
        os.environ.pop("GITHUB_ACTIONS", None)
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(previous)


@contextmanager
def command_line_stack():
    """The recursion limit that ``python build.py`` has: Hypothesis raises it for itself,
    which would hide a RecursionError that staff would get."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 1000)  # Python's default, above the frames of the test
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def file_hashes(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def line_count(data: bytes) -> int:
    """Lines as an editor counts them: LF, CRLF and CR end a line; an empty file has line 1."""
    return len(re.split(rb"\r\n|\r|\n", data))


def is_one_clean_line(text: str) -> bool:
    """No line break of any kind, no control character, no half of a surrogate pair."""
    return not any(unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp") for character in text)


# PATH:LINE: level: FIELD: message [NB104], the code one of codes.py's
DIAGNOSTIC = re.compile(r"^(?P<path>[^\n:]*):(?P<line>\d+): (?P<level>error|warning|note): .* \[(?P<code>NB\d{3})\]$")
LEVEL_OF_CODE = {code.code: code.level for code in CODES}
SUMMARY = re.compile(
    r"^(Build failed: )?"
    r"(\d+ notices? \(\d+ complete, \d+ incomplete, \d+ drafts?\), \d+ polic(y|ies), \d+ pages?"
    r"|the settings in site\.yml or data-elements\.yml are unusable)"
    r": \d+ errors?, \d+ warnings?(, \d+ notes?)?(\. \S+ was left as it was\.)?$")
# check's count of what a further language of the site does not yet translate
TRANSLATION_COUNT = re.compile(r"^\w[\w ]* \([a-z]{2,3}\): (everything is translated|(\d+ [a-z ]+, )*\d+ [a-z ]+ not yet "
                               r"translated; the \w[\w ]* pages show their text in \w[\w ]*, marked as such)$")


def assert_clean_stderr(err: str) -> None:
    """Nothing but diagnostics, each on one line naming a line of its file, and the summary."""
    assert "Traceback" not in err, err
    for line in err.split("\n"):
        if not line:
            continue
        assert is_one_clean_line(line), f"a control character or line break inside: {line!r}"
        found = DIAGNOSTIC.match(line)
        assert found or SUMMARY.match(line) or TRANSLATION_COUNT.match(line), \
            f"neither a diagnostic nor the summary: {line!r}"
        if found:
            assert LEVEL_OF_CODE.get(found["code"]) == found["level"], f"{line!r}: not a {found['level']} code"
        if found and Path(found["path"]).is_file():
            lines = line_count(Path(found["path"]).read_bytes())
            assert 1 <= int(found["line"]) <= lines, f"{line!r}: the file has {lines} lines"


def errors(err: str) -> list[str]:
    return [line for line in err.split("\n") if ": error: " in line]


FORBIDDEN_IN_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def assert_well_formed_site(out: Path) -> None:
    """Pages parse as HTML, the feed and sitemap as XML, the JSON as JSON; the CSV is spreadsheet-safe."""
    for page in sorted(out.rglob("*.html")):
        text = page.read_bytes().decode("utf-8")
        found = FORBIDDEN_IN_HTML.search(text)
        assert found is None, f"{page.relative_to(out)}: {text[max(0, found.start() - 60):found.end() + 20]!r}"
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        parser.parse(text)
        assert not parser.errors, f"{page.relative_to(out)} is not valid HTML: {parser.errors[:3]}"
    for name in ("feed.xml", "sitemap.xml"):
        ET.fromstring((out / name).read_bytes())
    json.loads((out / "contracts.json").read_bytes().decode("utf-8"))
    text = (out / "contracts.csv").read_bytes().decode("utf-8-sig")
    default_limit = csv.field_size_limit(len(text) + 1)  # a description may be longer than csv's default
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(default_limit)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"contracts.csv: a spreadsheet runs {cell!r} as a formula"


# The valid tree: conftest's (site.yml, data-elements.yml, series.yml, one notice) and these.
VALID_FILES = {
    "contracts/beta.md": "---\n" + mapping_yaml(VALID_CONTRACT) + "\n---\nPhonics practice for grade 1.\n",
    "contracts/beta-amendment-1.md": "---\n" + mapping_yaml(VALID_AMENDMENT) + "\n---\nAdds grade levels.\n",
    "contracts/files/contract.pdf": pdf(),
    "pages/guide.md": "---\n" + mapping_yaml(VALID_PAGE) + "\n---\nWhat the district tells parents.\n",
    "pages/guide.es.md": "---\ntitle: Una gu\u00eda para los padres\n---\nLo que el distrito explica.\n",
    "policies/5125.md": "---\n" + mapping_yaml(VALID_POLICY) + "\n---\nThe board protects student records.\n",
}


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory) -> Path:
    """A valid content tree and the site built from it, copied into each example."""
    folder = tmp_path_factory.mktemp("valid")
    tree = ContentTree(folder / "content")
    for relative, text in VALID_FILES.items():
        tree.write(relative, text if isinstance(text, bytes) else text.encode("utf-8"))
    previous = os.getcwd()
    os.chdir(folder)
    try:
        result = run("build", "--today", TODAY)
    finally:
        os.chdir(previous)
    assert result.code == 0, result.err
    return folder


# --- 1. The reader --------------------------------------------------------------------------------

def is_plain_data(value) -> bool:
    """What YAML without tags gives: text, whole numbers, booleans, null, lists, mappings with text keys."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_plain_data(item) for key, item in value.items())
    if isinstance(value, list):
        return all(is_plain_data(item) for item in value)
    return value is None or isinstance(value, (str, int, bool))


@examples(500)
@given(data=file_bytes, reader=st.sampled_from([read_record, read_yaml_file]))
@example(data=b"---\nvendor: Beta \x1b Reading\n---\nText.\n", reader=read_record)  # a raw control character
@example(data=b'---\nvendor: "\\uD800"\n---\nText.\n', reader=read_record)  # half of a surrogate pair
@example(data=b"---\nschools: !!set {a, b}\nvendor: !!binary QmV0YQ==\n---\n", reader=read_record)  # tags
@example(data=b"---\na: \xe2\x80\xa8\xe2\x80\xa8\xe2\x80\xa8[\n---\n", reader=read_record)  # U+2028
@example(data=b"a: " + b"[" * 5000, reader=read_yaml_file)  # nesting deeper than Python recurses
def test_reader_reads_any_bytes_into_a_record_or_one_line_diagnostics(data, reader):
    with scratch_directory():
        path = Path("content") / ("site.yml" if reader is read_yaml_file else "contracts/hostile.md")
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        report = Report()

        with command_line_stack():
            source = reader(path, report)

        assert source is None or isinstance(source, Source)
        if source is None:
            assert report.errors, "the file was refused without saying why"
        else:
            assert is_plain_data(source.data), repr(source.data)[:200]
            if reader is read_record:
                assert isinstance(source.data, dict)
        for diagnostic in report.diagnostics:
            shown = diagnostic.format()
            assert is_one_clean_line(shown), repr(shown)
            assert diagnostic.code in CODES and shown.endswith(f" [{diagnostic.code.code}]"), shown
            assert diagnostic.path == str(path), shown
            assert 1 <= diagnostic.line <= line_count(data), f"{shown!r}: the file has {line_count(data)} lines"


# --- 2. check and build -----------------------------------------------------------------------------

def beta_notice(*lines: str, body: str = "Phonics practice for grade 1.") -> tuple[str, bytes]:
    """The valid notice beta.md with ``lines`` added to, or replacing fields of, its front matter."""
    fields = dict(VALID_CONTRACT)
    fields.update(line.split(": ", 1) for line in lines)
    return "contracts/beta.md", ("---\n" + mapping_yaml(fields) + "\n---\n" + body + "\n").encode("utf-8")


@examples(100)
@given(replaced=hostile_content())
# The defects that these properties were written for, tried in every run:
@example(replaced=beta_notice('vendor: "Beta \\x1b[2J Reading"'))  # a control character as a YAML escape
@example(replaced=beta_notice("vendor: Beta \x1b Reading"))  # ... and typed raw
@example(replaced=beta_notice('title: "Beta \\uD800 Reading"'))  # half of a surrogate pair
@example(replaced=beta_notice(f"vendor: {'Beta Reading ' * 21}"))  # a name longer than a file name may be
@example(replaced=beta_notice(body=nested_list(300, "-")))  # Markdown nested 300 levels deep
@example(replaced=beta_notice('vendor: "-Beta"', 'grades: "@SUM(A1)"', 'title: "=1+1"'))  # spreadsheet formulas
@example(replaced=beta_notice('"ven\\ndor": x'))  # a line break inside a diagnostic
@example(replaced=beta_notice('vendor: "Beta \\uFDD0 Reading"'))  # a noncharacter: not an error, yet not HTML
@example(replaced=beta_notice("vendor: " + "\u33af" * 60))  # 60 characters, a 300-character file name
def test_check_and_build_agree_and_never_break_the_site(valid_site, replaced):
    relative, data = replaced
    with scratch_directory() as folder:
        shutil.copytree(valid_site, folder, dirs_exist_ok=True)
        (folder / "content" / relative).write_bytes(data)
        before = file_hashes(folder / "site")

        with command_line_stack():
            checked = run("check", "--today", TODAY)
            built = run("build", "--today", TODAY)

        event(f"replaced {relative}; build exit {built.code}")
        assert checked.code in (0, 1) and built.code in (0, 1), (checked.code, built.code, built.err)
        assert_clean_stderr(checked.err)
        assert_clean_stderr(built.err)
        assert (checked.code == 0) == (built.code == 0), f"check:\n{checked.err}\nbuild:\n{built.err}"
        assert errors(checked.err) == errors(built.err), "check and build found different errors"
        assert sorted(os.listdir(folder)) == ["content", "site"], "a staging folder was left behind"
        if built.code:
            assert file_hashes(folder / "site") == before, "a failed build changed the previous site"
        else:
            assert_well_formed_site(folder / "site")


# --- 3. What staff type is what parents read --------------------------------------------------------

NULL_SCALARS = {"", "~", "null", "Null", "NULL"}
typed_text = st.one_of(  # (YAML as written, the text that staff meant)
    st.sampled_from(YAML_1_1_SCALARS).map(lambda written: (written, written)),
    any_text.map(lambda text: (double_quoted(text), text)),
)


@examples(50)
@given(title=typed_text, grades=typed_text)
@example(title=("0x1F", "0x1F"), grades=("010", "010"))
@example(title=("NO", "NO"), grades=("6:30", "6:30"))
def test_text_fields_are_published_as_typed(valid_site, title, grades):
    """YAML 1.1 reads 010 as 8, 6:30 as 390 and NO as false; a notice must show what staff typed."""
    with scratch_directory() as folder:
        shutil.copytree(valid_site, folder, dirs_exist_ok=True)
        relative, data = beta_notice(f"title: {title[0]}", f"grades: {grades[0]}")
        (folder / "content" / relative).write_bytes(data)

        with command_line_stack():
            built = run("build", "--today", TODAY)

        event(f"build exit {built.code}")
        assert built.code in (0, 1), built.err
        if built.code:
            return  # refusing a value is fine; changing it is not
        notices = json.loads((folder / "site" / "contracts.json").read_bytes().decode("utf-8"))["notices"]
        beta = next(notice for notice in notices if notice["slug"] == "beta")
        for name, (written, meant) in (("title", title), ("grades", grades)):
            if written in NULL_SCALARS:
                continue  # no value: the title is the vendor's name, the grades are left out
            assert beta[name] == meant.strip(), f"{name}: {written} was published as {beta[name]!r}"


# --- 4. Determinism ------------------------------------------------------------------------------

def build_in_new_process(folder: Path, hash_seed: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--today", TODAY],
                          cwd=folder, capture_output=True, env=environment, timeout=120)


@examples(10, long_share=0.1)
@given(replaced=hostile_content())
@example(replaced=beta_notice("student_data: !!set {student_name, grade_level, date_of_birth}",
                              "schools: !!set {North, South, East, West}"))  # a set has no order of its own
def test_the_same_content_builds_the_same_bytes(valid_site, replaced):
    relative, data = replaced
    with scratch_directory() as folder:
        for copy in ("first", "second"):
            shutil.copytree(valid_site / "content", folder / copy / "content")
            (folder / copy / "content" / relative).write_bytes(data)

        first = build_in_new_process(folder / "first", hash_seed="1")
        second = build_in_new_process(folder / "second", hash_seed="2")

        event(f"replaced {relative}; build exit {first.returncode}")
        assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
        if first.returncode == 0:
            assert file_hashes(folder / "first" / "site") == file_hashes(folder / "second" / "site")
