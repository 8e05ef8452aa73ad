"""The permanent codes of diagnostics: one table, every diagnostic with one.

The codes are a public interface (content-format.md, "Build command"): ``… [NB104]`` ends
the line, staff and CI look them up, and a code never changes its meaning. So:

- the table is well formed, and every code ever assigned keeps its name (``ASSIGNED``);
- every call that reports a diagnostic passes a code of the table, found by reading the
  code base, and a code is not reused for another kind of problem elsewhere;
- docs/staff/codes.md's table is the table, with what fixes each (tests/test_docs.py).
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict

import pytest

from conftest import REPO
from noticeboard import codes
from noticeboard.codes import CODES, ERROR, FAMILIES, LEVELS, VALIDATION_ERRORS, WARNING, Code
from noticeboard.diagnostics import Diagnostic, Report, annotation
from noticeboard.load.schema import _FRIENDLY

PACKAGE = REPO / "noticeboard"

# Every code ever assigned, with its name. Append a line for a new code; never change or remove
# one: staff, CI logs and the documentation name problems by these. A kind of problem that is no
# longer reported keeps its line here and its number in codes.py.
ASSIGNED = {
    "NB001": "file-too-large", "NB002": "file-unreadable", "NB003": "not-utf8", "NB004": "binary-file",
    "NB005": "control-character", "NB006": "no-front-matter", "NB007": "unclosed-front-matter",
    "NB008": "yaml-syntax", "NB009": "yaml-alias", "NB010": "yaml-tag", "NB011": "key-not-text",
    "NB012": "duplicate-key", "NB013": "escaped-control-character", "NB014": "wrong-structure",
    "NB015": "missing-file", "NB016": "not-a-file", "NB017": "bad-link", "NB018": "ignored-file",
    "NB019": "hidden-file", "NB020": "file-name-not-slug", "NB021": "reserved-file-name",
    "NB022": "value-cut-by-comment",
    "NB101": "unknown-field", "NB102": "missing-field", "NB103": "missing-text", "NB104": "unknown-data-element",
    "NB105": "invalid-date", "NB106": "month-without-day", "NB107": "date-in-future",
    "NB108": "dates-out-of-order", "NB109": "value-not-allowed", "NB110": "wrong-type", "NB111": "empty-value",
    "NB112": "bad-name", "NB113": "not-a-slug", "NB114": "bad-policy-number", "NB115": "document-path",
    "NB116": "document-type", "NB117": "document-target", "NB118": "bad-web-address",
    "NB119": "document-not-found", "NB120": "document-not-its-type", "NB121": "out-of-range",
    "NB122": "bad-language-code", "NB123": "listed-twice", "NB124": "draft-and-incomplete",
    "NB125": "amends-on-a-contract", "NB126": "amends-missing", "NB127": "number-not-file-name",
    "NB128": "markdown-too-deep", "NB129": "reserved-data-element-key", "NB130": "bad-data-element-key",
    "NB131": "invalid-value", "NB132": "document-not-readable", "NB133": "template-text",
    "NB134": "student-data-unanswered", "NB135": "example-address", "NB136": "no-contact",
    "NB137": "document-not-checkable", "NB138": "logo-not-found", "NB139": "accent-contrast",
    "NB140": "logo-alt-without-logo", "NB141": "unknown-jurisdiction",
    "NB142": "grades-unreadable", "NB143": "removes-on-a-contract",
    "NB201": "amends-unknown", "NB202": "amends-itself", "NB203": "amends-loop", "NB204": "amends-draft",
    "NB205": "related-unknown", "NB206": "related-itself", "NB207": "series-unknown", "NB208": "vendor-spelling",
    "NB209": "breach-contract-unknown", "NB210": "known-from-unknown",
    "NB301": "incomplete-notice", "NB302": "incomplete-but-complete", "NB303": "draft-not-published",
    "NB304": "no-posted-date", "NB305": "posted-in-future", "NB306": "posted-late", "NB307": "no-document",
    "NB308": "expiring-soon", "NB309": "breach-not-posted", "NB310": "breach-posted-late",
    "NB311": "breach-reported-late", "NB312": "document-scanned", "NB313": "document-untagged",
    "NB314": "document-no-title", "NB315": "document-no-language", "NB316": "document-text-locked",
    "NB317": "document-too-large", "NB318": "document-active-content",
    "NB401": "translation-field", "NB402": "translation-without-record", "NB403": "translation-language",
    "NB404": "language-not-in-site", "NB405": "no-default-language-text", "NB406": "no-interface-catalog",
    "NB407": "language-not-published",
    "NB501": "template-error", "NB502": "site-file-unreadable", "NB503": "build-failed",
    "NB504": "static-file-conflict", "NB505": "template-not-used",
}

# The methods of Report that add a diagnostic, and the position of their code argument.
EMITTING = {"at": 2, "missing": 2, "in_file": 1}

# Report calls whose code is a variable, and why each is still one code per kind of problem.
DYNAMIC_CODES = {
    ("schema.py", "_report_errors"): "the code of each type of validation error: codes.VALIDATION_ERRORS (below)",
    ("reader.py", "parse_yaml"): "the key problems that _line_map finds, each with its code; an alias or syntax error",
    ("files.py", "check_documents"): "what _document_file_problem returns: DOCUMENT_NOT_FOUND or _NOT_ITS_TYPE",
    ("accessibility.py", "_check_record"): "each finding of access_problems, with its code of _FINDINGS (NB312-NB316)",
    ("failures.py", "report_failure"): "what failure_diagnostic made of a template's or a file's failure: NB501-NB503",
}

# Codes that nothing reports any more, and why: each keeps its number and its meaning, never given to another
# kind of problem (codes.py).
NO_LONGER_REPORTED = {
    "LANGUAGE_NOT_IN_SITE": "since content format v3, a text in a language that the site does not publish is "
                            "ignored with a note (LANGUAGE_NOT_PUBLISHED), not an error",
}

# Codes that more than one function reports: the same kind of problem, found in several places.
SHARED = {
    "MISSING_FIELD": "pydantic's missing fields, a complete notice's missing elements, and site.yml's logo without "
                     "logo_alt",
    "MISSING_TEXT": "a notice's missing description, and a policy's or a page's missing text",
    "WRONG_STRUCTURE": "front matter, data-elements.yml and series.yml that are not the shape they must be",
    "FILE_NAME_NOT_SLUG": "the file names of contracts and of pages",
    "RESERVED_FILE_NAME": "files.md among contracts, and a page named like a page of the site",
    "LANGUAGE_NOT_PUBLISHED": "texts of a settings file, and translation files, in a language the site does not "
                              "publish",
    "TRANSLATION_WITHOUT_RECORD": "translations of records and of pages",
    "DATES_OUT_OF_ORDER": "posted/expires before contract_date, and revised before adopted",
    "LISTED_TWICE": "a language repeated in site.yml (pydantic), and a series repeated in series.yml",
    "INVALID_VALUE": "validation errors of no more specific type, and student_data_not_limited with student_data: []",
    "BAD_LINK": "a link out of content/, and a link out of the site's own static/",
    "TEMPLATE_ERROR": "a template that fails as a page is made, and a site's template not UTF-8, found before any is",
    "SITE_FILE_UNREADABLE": "a file that cannot be read as a page is made, and a site's template or static file found "
                            "unreadable before",
}

CONSTANTS = {name: value for name, value in vars(codes).items() if isinstance(value, Code)}


# --- the table --------------------------------------------------------------------------------

def test_the_table_is_well_formed():
    assert len(CODES) == len(CONSTANTS) == len({code.code for code in CODES}) == len({code.name for code in CODES})
    assert sorted(CODES, key=lambda code: code.code) == CODES, "the table is in the order of its codes"
    for code in CODES:
        assert re.fullmatch(r"NB[0-9]{3}", code.code), code
        assert code.code[2] in FAMILIES, f"{code!r}: not a family of codes.FAMILIES"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code.name), code
        assert code.level in LEVELS, code
        for text in (code.meaning, code.fix):
            assert text.strip() and text.endswith((".", ")")) and "\n" not in text, code
    # the compliance warnings are warnings
    assert {code.level for code in CODES if code.code.startswith("NB3")} == {WARNING}


def test_a_code_once_assigned_keeps_its_name():
    table = {code.code: code.name for code in CODES}
    changed = {code: (name, table.get(code)) for code, name in ASSIGNED.items() if table.get(code) != name}
    assert not changed, f"a code changed its name or disappeared (assigned, now): {changed}"
    assert set(table) == set(ASSIGNED), "a new code: add it to ASSIGNED too, never reusing a number"


def test_the_example_of_the_format_is_the_unknown_data_element():
    """content-format.md's example: ``… is not a data element …; did you mean 'grade_level'? [NB104]``."""
    assert codes.UNKNOWN_DATA_ELEMENT.code == "NB104"


# --- every diagnostic has a code ----------------------------------------------------------------

def _modules() -> list[tuple[str, ast.Module]]:
    return [(path.name, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(PACKAGE.rglob("*.py"))]


def _functions(tree: ast.Module):
    """Each node of ``tree`` with the name of the outermost function around it ("" at module level)."""
    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            inner = function or (child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else "")
            yield child, inner
            yield from walk(child, inner)
    yield from walk(tree, "")


def _report_calls():
    """(module, function, method, code argument) of every call that adds a diagnostic."""
    calls = []
    for module, tree in _modules():
        for node, function in _functions(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method = node.func.attr
            receiver = node.func.value
            if method in ("error", "warning") and isinstance(receiver, ast.Name) and receiver.id == "report":
                pytest.fail(f"{module}:{node.lineno}: report.{method}() is gone; use report.at() with a code")
            if method not in EMITTING:
                continue
            assert isinstance(receiver, ast.Name) and receiver.id == "report", \
                f"{module}:{node.lineno}: .{method}() on something that is not the report"
            position = EMITTING[method]
            keyword = next((k.value for k in node.keywords if k.arg == "code"), None)
            code = node.args[position] if len(node.args) > position else keyword
            assert code is not None, f"{module}:{node.lineno}: report.{method}() without a code"
            calls.append((module, function, method, code, node.lineno))
    return calls


def _code_name(node) -> str | None:
    """``codes.UNKNOWN_FIELD`` → ``UNKNOWN_FIELD``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "codes":
        return node.attr
    return None


def test_report_adds_diagnostics_only_through_methods_that_take_a_code():
    methods = {name for name, value in vars(Report).items() if callable(value) and not name.startswith("_")}
    assert methods == set(EMITTING) | {"sorted", "lines"}
    with pytest.raises(TypeError):
        Report().in_file("x.md", "NB101", "a code that is not of the table")


def test_every_report_call_passes_a_code_of_the_table():
    calls = _report_calls()
    assert len(calls) > 60, "the walk found too few calls; has the way of reporting changed?"
    dynamic = set()
    for module, function, method, code, line in calls:
        name = _code_name(code)
        if name is None:
            assert (module, function) in DYNAMIC_CODES, \
                f"{module}:{line}: report.{method}() in {function}() passes a code that is not codes.NAME"
            dynamic.add((module, function))
        else:
            assert name in CONSTANTS, f"{module}:{line}: codes.{name} is not in the table"
    assert dynamic == set(DYNAMIC_CODES), "DYNAMIC_CODES lists a call that no longer exists"


def test_every_code_is_reported_and_no_two_kinds_share_one():
    """Each code is used, and used by one function, unless SHARED says why several report it."""
    used_by = defaultdict(set)
    for module, tree in _modules():
        if module == "codes.py":
            continue
        for node, function in _functions(tree):
            name = _code_name(node)
            if name is not None:
                assert name in CONSTANTS, f"{module}:{node.lineno}: codes.{name} is not in the table"
                used_by[name].add(f"{module}:{function or '<module>'}")
    # codes.py's mapping for schema.py, and its fallback
    for code in [*VALIDATION_ERRORS.values(), codes.INVALID_VALUE]:
        used_by[next(name for name, value in CONSTANTS.items() if value == code)].add("schema.py:_report_errors")
    unused = sorted(set(CONSTANTS) - set(used_by) - set(NO_LONGER_REPORTED))
    assert not unused, f"codes that nothing reports: {unused}"
    assert not set(NO_LONGER_REPORTED) & set(used_by), "a code of NO_LONGER_REPORTED is reported again"
    shared = {name: sorted(places) for name, places in used_by.items() if len(places) > 1}
    assert set(shared) - set(SHARED) == set(), \
        f"a code reported from several places, as if two kinds of problem shared it: " \
        f"{ {name: shared[name] for name in set(shared) - set(SHARED)} }; give the new kind its own code"
    assert set(SHARED) <= set(shared), f"SHARED lists codes that one place reports: {set(SHARED) - set(shared)}"


def test_every_kind_of_pydantic_error_has_a_code():
    raised = {node.args[0].value for _, tree in _modules() for node in ast.walk(tree)
              if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("PydanticCustomError", "_refused")
              and isinstance(node.args[0], ast.Constant)}
    assert raised and raised <= set(VALIDATION_ERRORS), \
        f"custom error types without a code: {raised - set(VALIDATION_ERRORS)}"
    assert set(_FRIENDLY) <= set(VALIDATION_ERRORS), set(_FRIENDLY) - set(VALIDATION_ERRORS)
    assert all(code in CODES and code.level == ERROR for code in VALIDATION_ERRORS.values())
    assert codes.validation_error_code("a type that validation never gave") == codes.INVALID_VALUE


# --- how a code is shown ----------------------------------------------------------------------------

DIAGNOSTIC = Diagnostic("content/contracts/x.md", 9, "student_data",
                        "'grade_levl' is not a data element of data-elements.yml; did you mean 'grade_level'?",
                        codes.UNKNOWN_DATA_ELEMENT)


def test_the_code_ends_the_line():
    assert DIAGNOSTIC.format() == ("content/contracts/x.md:9: error: student_data: 'grade_levl' is not a data "
                                   "element of data-elements.yml; did you mean 'grade_level'? [NB104]")
    warning = Diagnostic("content/contracts/x.md", 4, "posted", "a: b, c", codes.POSTED_LATE)
    assert warning.level == WARNING and warning.format().endswith(": warning: posted: a: b, c [NB306]")


def test_a_github_annotation_carries_the_code_in_its_title():
    assert annotation(DIAGNOSTIC) == (
        "::error file=content/contracts/x.md,line=9,title=student_data [NB104 unknown-data-element]::"
        "'grade_levl' is not a data element of data-elements.yml; did you mean 'grade_level'?")
    odd = Diagnostic("content/a,b.md", 2, "x:y", "100% done\n::error::fake", codes.NO_DOCUMENT)
    assert annotation(odd) == ("::warning file=content/a%2Cb.md,line=2,title=x%3Ay [NB307 no-document]::"
                               "100%25 done\\n::error::fake")
