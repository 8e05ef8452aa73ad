"""JSON Schema for editors: ``python build.py schema``, the committed schemas/, and the tools that use them.

1. the command writes a draft 2020-12 schema for every kind of content file, the same
   bytes every time; bad usage exits 2;
2. the committed schemas/ are what the models generate now (a model changed without
   ``python build.py schema`` fails here);
3. every example record and settings file validates against its schema;
4. the schema and the loader agree, record by record (a table of files that ``check``
   accepts or refuses) and value by value (Hypothesis, on the types of schema.py); the
   cases where the schema is knowingly looser are listed, and checked, as such;
5. the patterns read the same in an editor (JavaScript) as in Python;
6. ``new`` writes the modeline that points an editor at the schema;
7. the pre-commit hook is well formed and blocks a commit with a content error.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError, create_model

from conftest import pdf, EXAMPLE_CONTENT, REPO, TODAY, run
from noticeboard.tools import schemas
from noticeboard.load.settings import RESERVED_ELEMENT_KEYS, SHIPPED_ELEMENTS, SHIPPED_SERIES
from noticeboard.diagnostics import Report
from noticeboard.load.reader import read_record, read_yaml_file
from noticeboard.values import ELEMENT_KEY_PATTERN
from noticeboard.load.schema import (AccentColour, BreachFields, DateOrMonth, DocumentFile, IsoDate, LanguageCode,
                                     LogoFile, Name, PolicyNumber, SiteRoot, Slug, Strict, SubscribeAddress,
                                     Subprocessors, Text, WebAddress)

KINDS = ["contract", "contract-translation", "policy", "policy-translation", "breach", "breach-translation", "page",
         "site", "data-elements", "series"]
COMMITTED = REPO / "schemas"
GENERATED = {name: json.loads(text) for name, text in schemas.generate().items()}


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(GENERATED[f"{kind}.schema.json"])


def schema_errors(kind: str, data) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator(kind).iter_errors(data)]


def loaded(path: Path):
    """A file's fields as the loader reads them (its YAML: dates and floats stay text, ints are ints)."""
    report = Report()
    source = read_record(path, report) if path.suffix == ".md" else read_yaml_file(path, report)
    assert source is not None and not report.errors, report.lines()
    return source.data


def kind_of(relative: str) -> str:
    """The schema of a file of content/, as docs/staff/editors.md tells staff to choose it."""
    path = Path(relative)
    if path.name == "site.yml":
        return "site"
    if path.name == "data-elements.yml":
        return "data-elements"
    if path.name == "series.yml":
        return "series"
    translation = bool(re.search(r"\.[a-z]{2,3}$", path.stem))
    folder = path.parent.name
    if folder == "pages":
        return "page"
    base = {"contracts": "contract", "policies": "policy", "breaches": "breach"}[folder]
    return f"{base}-translation" if translation else base


# --- 1. the command ----------------------------------------------------------------------------------

def test_schema_writes_a_draft_2020_12_schema_for_every_kind_of_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("schema")
    assert result.code == 0, result.err
    written = sorted(path.name for path in (tmp_path / "schemas").iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in KINDS)
    for name in written:
        assert f"Wrote schemas/{name}\n" in result.out  # what it wrote, relative to the current directory
    ids = set()
    for name in written:
        schema = json.loads((tmp_path / "schemas" / name).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith("https://") and schema["$id"].endswith("/" + name)
        assert schema["title"].strip() and schema["description"].strip(), name
        ids.add(schema["$id"])
    assert len(ids) == len(written)


def test_every_field_has_a_description_that_editors_show():
    for name, schema in GENERATED.items():
        objects = [schema] + list(schema.get("$defs", {}).values())
        for item in objects:
            for field, prop in item.get("properties", {}).items():
                assert prop.get("description", "").strip(), f"{name}: {field} has no description"


def test_schema_out_writes_elsewhere_and_needs_no_content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no content/ here: the schemas come from the models alone
    result = run("schema", "--out", "editor/schemas")
    assert result.code == 0, result.err
    assert "Wrote editor/schemas/contract.schema.json" in result.out
    assert sorted(path.name for path in (tmp_path / "editor/schemas").iterdir()) == sorted(
        f"{kind}.schema.json" for kind in KINDS)
    assert not (tmp_path / "schemas").exists()


@pytest.mark.slow
def test_schema_writes_the_same_bytes_every_time_in_any_process(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, str(REPO / "build.py"), "schema", "--out", str(out)], cwd=tmp_path,
                       env=env, check=True, capture_output=True)
        outputs.append({path.name: path.read_bytes() for path in out.iterdir()})
    assert outputs[0] == outputs[1]
    for name, data in outputs[0].items():
        text = data.decode("utf-8")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n", name


@pytest.mark.parametrize("args", [["schema", "--frobnicate"], ["schema", "extra"], ["schema", "--out"],
                                  ["schema", "--content", "content"], ["schema", "--out", "taken.txt"]])
def test_schema_usage_errors_exit_2_and_write_nothing(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.txt").write_text("a file, not a folder\n")
    result = run(*args)
    assert result.code == 2, result.err
    assert result.err.strip() and "Traceback" not in result.err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken.txt"]


# --- 2. the committed schemas/ -------------------------------------------------------------------------

def test_committed_schemas_are_what_the_models_generate():
    """Change a model in noticeboard/load/schema.py and this fails until `python build.py schema` is run and
    schemas/ committed, so that editors never check against rules the loader no longer has."""
    fresh = schemas.generate()
    committed = {path.name: path.read_text(encoding="utf-8") for path in COMMITTED.glob("*.json")}
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    extra = sorted(set(committed) - set(fresh))
    assert not stale and not extra, (
        f"schemas/ is out of date ({', '.join(stale + extra)}): run `python build.py schema` and commit schemas/")


# --- 3. the example content ----------------------------------------------------------------------------

# The example content uses the shipped vocabulary (it has no data-elements.yml of its own) and its own series;
# the shipped series are checked too.
EXAMPLE_FILES = {
    **{path.relative_to(EXAMPLE_CONTENT).as_posix(): path for path in EXAMPLE_CONTENT.rglob("*.md")},
    "site.yml": EXAMPLE_CONTENT / "site.yml", "policies/series.yml": EXAMPLE_CONTENT / "policies" / "series.yml",
    "data-elements.yml": SHIPPED_ELEMENTS, "shipped/series.yml": SHIPPED_SERIES}


@pytest.mark.parametrize("relative", sorted(EXAMPLE_FILES))
def test_every_example_file_validates_against_its_schema(relative):
    data = loaded(EXAMPLE_FILES[relative])
    assert schema_errors(kind_of(relative), data) == []


def test_the_examples_use_every_schema():
    assert {kind_of(relative) for relative in EXAMPLE_FILES} == set(KINDS)


FORMAT_BREACH_EXAMPLE = """\
vendor: Acme Learning
contract: acme-learning          # slug of the vendor's contract notice (optional)
discovered: 2025-06-20           # when the contractor discovered it (optional)
reported: 2025-07-03             # when the contractor told the district (required)
posted: 2025-07-08               # when this notice went up and parents were told
students_affected: 120           # optional, a whole number
sixty_day_case: false            # true: only directory information, student records or content
student_data: [student_name, date_of_birth]   # what was exposed (required; [] allowed)
"""


def test_the_breach_example_of_the_format_validates(tmp_path):
    path = tmp_path / "acme-breach.md"
    path.write_text("---\n" + FORMAT_BREACH_EXAMPLE + "---\nWhat happened.\n", encoding="utf-8")
    data = loaded(path)
    assert schema_errors("breach", data) == []
    assert BreachFields.model_validate(data).students_affected == 120


BREACHES = [
    ("as-in-the-format", "", True),
    ("minimal", "contract: ~drop\ndiscovered: ~drop\nposted: ~drop\nstudents_affected: ~drop\nsixty_day_case: ~drop", True),
    ("no-one-affected-draft", "students_affected: 0\ndraft: true\nstudent_data: []", True),
    ("no-reported", "reported: ~drop", False),
    ("no-student-data", "student_data: ~drop", False),
    ("student-data-empty", "student_data:", False),
    ("july-32", "reported: 2025-07-32", False),
    ("us-date", "discovered: 6/20/2025", False),
    ("negative-count", "students_affected: -1", False),
    ("quoted-count", 'students_affected: "120"', False),
    ("count-in-words", "students_affected: about 120", False),
    ("sixty-day-yes", "sixty_day_case: yes", False),
    ("contract-not-a-slug", "contract: Acme Learning", False),
    ("a-title", "title: Acme breach", False),
    ("vendor-on-two-lines", "vendor: |\n  Acme\n  Learning", False),
]


@pytest.mark.parametrize("case_id, fields, ok", BREACHES, ids=[case[0] for case in BREACHES])
def test_breach_schema_and_breach_model_agree(tmp_path, case_id, fields, ok):
    """Breach notices have no loader yet: the model that the schema comes from is the judge."""
    blocks = {**_blocks(FORMAT_BREACH_EXAMPLE), **_blocks(fields)}
    front = "\n".join(line for block in blocks.values() if not block[0].endswith(": ~drop") for line in block)
    path = tmp_path / "acme-breach.md"
    path.write_text(f"---\n{front}\n---\nWhat happened.\n", encoding="utf-8")
    data = loaded(path)
    try:
        BreachFields.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert model_ok == ok
    assert (not schema_errors("breach", data)) == ok, schema_errors("breach", data)


# --- 4a. record by record: what check accepts, the schema accepts ----------------------------------------

PDF = pdf()
CONTRACT = """\
vendor: Zeta Learning
contract_date: 2025-01-21
posted: 2025-01-24
student_data: [student_name, grade_level]
"""


@dataclass
class Case:
    id: str
    relative: str  # under content/
    text: str
    ok: bool  # what check says (and the schema should)
    files: tuple = ()  # further files the case needs, (relative, bytes or text)

    def write(self, content) -> Path:
        for relative, data in self.files:
            content.write(relative, data)
        return content.write(self.relative, self.text)


def _blocks(text: str) -> dict[str, list[str]]:
    """Front matter as its top-level fields, each with the indented lines below it; comments first."""
    blocks: dict[str, list[str]] = {}
    key = None
    for line in textwrap.dedent(text).splitlines():
        if line.startswith((" ", "\t")) and key is not None:
            blocks[key].append(line)
            continue
        key = line if line.startswith("#") else line.split(":", 1)[0]
        blocks[key] = [line]
    return blocks


def notice(case_id: str, fields: str, ok: bool, files: tuple = ()) -> Case:
    """A notice: CONTRACT with ``fields`` in place of the fields they name (``name: ~drop`` drops one)."""
    blocks = {**_blocks(CONTRACT), **_blocks(fields)}
    lines = [line for key, block in sorted(blocks.items(), key=lambda item: not item[0].startswith("#"))
             if not block[0].endswith(": ~drop") for line in block]
    front = "\n".join(lines) + "\n"
    return Case(f"contract-{case_id}", "contracts/zeta-learning.md", f"---\n{front}---\nReading practice.\n", ok, files)


def policy(case_id: str, front: str, ok: bool, name: str = "5125") -> Case:
    return Case(f"policy-{case_id}", f"policies/{name}.md", f"---\n{textwrap.dedent(front)}---\nThe policy.\n", ok)


def setting(case_id: str, relative: str, text: str, ok: bool) -> Case:
    return Case(f"{Path(relative).stem}-{case_id}", relative, textwrap.dedent(text), ok)


SITE = "title: Notices\ndistrict: Test District\nbase_url: https://notices.district.test/\nlanguages: [en, es]\n"
ELEMENT = "  label: Student name\n  category: Student Name\n  description: The student's name.\n"
# data-elements.yml must keep the keys that the fixture's notice names
ELEMENTS = "grade_level:\n  label: Grade level\n  category: Enrollment\n  description: The grade.\n"
SERIES = '- {key: "5000", title: Students}\n'
ONE_PDF = (("contracts/files/zeta.pdf", PDF), ("contracts/files/signed/Zeta Contract.PDF", PDF))

CASES = [
    # contract notices that check accepts
    notice("as-in-the-readme", "", True),
    notice("dates-quoted", 'contract_date: "2025-01-21"\nposted: \' 2025-01-24 \'', True),
    notice("leap-day", "contract_date: 2024-02-29\nposted: 2024-03-01", True),
    notice("amendment", "kind: amendment\namends: acme-learning", True),
    notice("renewal", "kind: renewal\namends: acme-learning\ntitle: Zeta Learning — Renewal 2026", True),
    notice("contract-that-amends-nothing", "kind: contract\namends:", True),
    notice("no-data-shared", "student_data: []", True),
    notice("numbers-count-as-text", "grades: 12\ntitle: 1984\nschools: [2000, State Street]", True),
    notice("name-of-200-characters", "vendor: " + "Z" * 200, True),
    notice("name-with-spaces-around", 'vendor: "   Zeta Learning   "', True),
    notice("empty-title-means-none", "title:", True),
    notice("modeline", "# yaml-language-server: $schema=../../schemas/contract.schema.json", True),
    notice("documents", """\
        documents:
          - title: Signed contract
            file: zeta.pdf
          - title: Signed copy
            file: signed/Zeta Contract.PDF
          - title: Vendor privacy policy
            url: https://www.example.com:8443/privacy?lang=en#top
          - title: Old link
            url: http://example.org""", True, files=ONE_PDF),
    notice("document-file-null-beside-url", "documents:\n  - {title: Privacy, file: , url: https://example.org/p}", True),
    notice("incomplete-with-a-month", "contract_date: 2022-04\nincomplete: true\nstudent_data: ~drop", True),
    notice("incomplete-vendor-only", "incomplete: true\ncontract_date: ~drop\nposted: ~drop\nstudent_data: ~drop", True),
    notice("draft-without-elements", "draft: true\ncontract_date: ~drop\nstudent_data: ~drop", True),
    notice("subprocessors-by-name", "subprocessors: [Amazon Web Services, Google, 2U]", True),
    notice("subprocessors-in-a-block-list", "subprocessors:\n  - Amazon Web Services\n  - Google", True),
    notice("subprocessors-address", "subprocessors: https://www.example.com/legal/subprocessors", True),
    notice("retention-and-sdpc-agreement", "retention: |\n  Deleted within **60 days** after the contract ends.\n"
           "sdpc_agreement: https://sdpc.a4l.org/agreements/123", True),
    notice("empty-new-fields-mean-none", "subprocessors:\nretention:\nsdpc_agreement:", True),
    # contract notices that check refuses
    notice("unknown-field", "grade_levl: 9", False),
    notice("us-date", "contract_date: 1/21/2025", False),
    notice("february-30", "contract_date: 2025-02-30", False),
    notice("february-29-not-leap", "contract_date: 2025-02-29", False),
    notice("month-13", "expires: 2025-13-01", False),
    notice("year-1899", "contract_date: 1899-12-31", False),
    notice("date-time", "posted: 2025-01-24T10:00:00", False),
    notice("date-as-number", "posted: 20250124", False),
    notice("month-in-a-complete-notice", "contract_date: 2022-04", False),
    notice("month-in-a-draft", "contract_date: 2022-04\ndraft: true", False),
    notice("us-month-in-an-incomplete-notice", "contract_date: 04/2022\nincomplete: true", False),
    notice("kind-lease", "kind: lease", False),
    notice("amendment-without-amends", "kind: amendment", False),
    notice("renewal-with-empty-amends", "kind: renewal\namends:", False),
    notice("contract-that-amends", "amends: acme-learning", False),
    notice("amends-not-a-slug", "kind: amendment\namends: Acme_Learning", False),
    notice("draft-and-incomplete", "draft: true\nincomplete: true", False),
    notice("draft-yes", "draft: yes", False),
    notice("incomplete-quoted", 'incomplete: "true"', False),
    notice("no-student-data", "student_data: ~drop", False),
    notice("no-contract-date", "contract_date: ~drop", False),
    notice("student-data-not-a-list", "student_data: student_name", False),
    notice("student-data-blank-item", 'student_data: [student_name, " "]', False),
    notice("no-vendor", "vendor: ~drop", False),
    notice("blank-vendor", 'vendor: "  "', False),
    notice("vendor-of-201-characters", "vendor: " + "Z" * 201, False),
    notice("vendor-on-two-lines", "vendor: |\n  Zeta\n  Learning", False),
    notice("vendor-true", "vendor: true", False),
    notice("schools-not-a-list", "schools: State Street", False),
    notice("document-file-and-url", "documents:\n  - {title: Signed, file: zeta.pdf, url: https://example.org/z.pdf}",
           False, files=ONE_PDF),
    notice("document-neither", "documents:\n  - title: Signed", False),
    notice("document-without-title", "documents:\n  - file: zeta.pdf", False, files=ONE_PDF),
    notice("document-unknown-field", "documents:\n  - {title: Signed, file: zeta.pdf, pages: 3}", False, files=ONE_PDF),
    notice("document-dot-dot", "documents:\n  - {title: Signed, file: ../zeta.pdf}", False),
    notice("document-absolute", "documents:\n  - {title: Signed, file: /etc/zeta.pdf}", False),
    notice("document-backslash-dot-dot", 'documents:\n  - {title: Signed, file: "signed\\\\..\\\\zeta.pdf"}', False),
    notice("document-drive", "documents:\n  - {title: Signed, file: 'C:zeta.pdf'}", False),
    notice("document-web-page", "documents:\n  - {title: Signed, file: zeta.html}", False),
    notice("document-ftp", "documents:\n  - {title: Signed, url: ftp://example.org/z.pdf}", False),
    notice("document-script", "documents:\n  - {title: Signed, url: 'javascript:alert(1)'}", False),
    notice("document-password", "documents:\n  - {title: Signed, url: 'https://user:pw@example.org/z.pdf'}", False),
    notice("document-port-99999", "documents:\n  - {title: Signed, url: 'https://example.org:99999/z.pdf'}", False),
    notice("document-space", "documents:\n  - {title: Signed, url: 'https://example.org/signed contract.pdf'}", False),
    notice("subprocessors-one-name-not-a-list", "subprocessors: Amazon Web Services", False),
    notice("subprocessors-address-without-scheme", "subprocessors: www.example.com/subprocessors", False),
    notice("subprocessors-ftp", "subprocessors: ftp://example.com/subprocessors", False),
    notice("subprocessors-empty-list", "subprocessors: []", False),
    notice("subprocessors-blank-name", 'subprocessors: [Google, " "]', False),
    notice("subprocessors-name-on-two-lines", "subprocessors:\n  - |\n    Amazon\n    Web Services", False),
    notice("subprocessors-a-number", "subprocessors: 3", False),
    notice("subprocessors-a-mapping", "subprocessors: {aws: Amazon Web Services}", False),
    notice("subprocessors-true", "subprocessors: true", False),
    notice("sdpc-agreement-without-scheme", "sdpc_agreement: sdpc.a4l.org/agreements/123", False),
    notice("sdpc-agreement-a-list", "sdpc_agreement: [https://sdpc.a4l.org/agreements/123]", False),
    notice("retention-a-list", "retention: [one year, deleted]", False),
    # translations of a notice (of the fixture's acme-learning.md)
    Case("contract-translation-title-and-notes", "contracts/acme-learning.es.md",
         "---\ntitle: Acme — Lectura\nstudent_data_notes: |\n  Notas.\n---\nPráctica de lectura.\n", True),
    Case("contract-translation-retention", "contracts/acme-learning.es.md",
         "---\nretention: Se borran al final del contrato.\n---\nPráctica de lectura.\n", True),
    Case("contract-translation-with-subprocessors", "contracts/acme-learning.es.md",
         "---\nsubprocessors: [Google]\n---\nPráctica.\n", False),
    Case("contract-translation-no-fields", "contracts/acme-learning.es.md", "---\n---\nPráctica de lectura.\n", True),
    Case("contract-translation-only-a-comment", "contracts/acme-learning.es.md",
         "---\n# yaml-language-server: $schema=../../schemas/contract-translation.schema.json\n---\nPráctica.\n", True),
    Case("contract-translation-with-a-fact", "contracts/acme-learning.es.md", "---\nvendor: Acme\n---\nPráctica.\n", False),
    Case("contract-translation-unknown-field", "contracts/acme-learning.es.md", "---\ntitel: Acme\n---\nPráctica.\n",
         False),
    # policies (series 5000 exists in the fixture)
    policy("quoted-number", 'number: "5125"\ntitle: Student Records\nadopted: 2016-09-12\nrevised: 2023-06-05\n', True),
    policy("number-without-quotes", "number: 5125\ntitle: Student Records\n", True),
    policy("dotted-number-without-quotes", "number: 6141.321\ntitle: Internet Use\nseries: \"6000\"\n", True,
           name="6141.321"),
    policy("example", 'number: "5125"\ntitle: Student Records\nexample: true\ndraft: false\n', True),
    policy("three-digits", 'number: "512"\ntitle: Student Records\n', False, name="512"),
    policy("letters", 'number: "5125a"\ntitle: Student Records\n', False, name="5125a"),
    policy("adopted-in-words", 'number: "5125"\ntitle: Student Records\nadopted: June 2016\n', False),
    policy("unknown-field", 'number: "5125"\ntitle: Student Records\nadoptd: 2016-09-12\n', False),
    policy("draft-quoted", 'number: "5125"\ntitle: Student Records\ndraft: "true"\n', False),
    policy("related-not-a-list", 'number: "5125"\ntitle: Student Records\nrelated: "5145.15"\n', False),
    policy("no-title", 'number: "5125"\n', False),
    Case("policy-translation-title", "policies/5125.es.md", "---\ntitle: Expedientes\n---\nLa política.\n", True,
         files=(("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\n---\nThe policy.\n'),)),
    Case("policy-translation-with-a-fact", "policies/5125.es.md", '---\nnumber: "5125"\n---\nLa política.\n', False,
         files=(("policies/5125.md", '---\nnumber: "5125"\ntitle: Records\n---\nThe policy.\n'),)),
    # pages
    Case("page-title", "pages/guide.md", "---\ntitle: A guide for parents\n---\nText.\n", True),
    Case("page-draft", "pages/guide.md", "---\ntitle: A guide\ndraft: true\n---\nText.\n", True),
    Case("page-no-title", "pages/guide.md", "---\ndraft: false\n---\nText.\n", False),
    Case("page-draft-no", "pages/guide.md", "---\ntitle: A guide\ndraft: no\n---\nText.\n", False),
    Case("page-unknown-field", "pages/guide.md", "---\ntitle: A guide\nmenu: main\n---\nText.\n", False),
    # site.yml
    setting("as-in-the-fixture", "site.yml", SITE, True),
    setting("by-language", "site.yml", SITE.replace("title: Notices", "title: {en: Notices, es: Avisos}"), True),
    setting("everything", "site.yml", SITE + "contact: {email: a@example.org, phone: 555-0100, address: 1 Main St}\n"
            "notice_deadline_business_days: 10\n", True),
    setting("one-language", "site.yml", SITE.replace("[en, es]", "[en]"), True),
    setting("no-languages", "site.yml", SITE.replace("languages: [en, es]\n", ""), True),
    setting("base-url-with-a-path", "site.yml", SITE.replace("org/", "org/privacy"), True),
    setting("label-not-a-language", "site.yml", SITE.replace("title: Notices", "title: {english: Notices}"), False),
    setting("empty-mapping", "site.yml", SITE.replace("title: Notices", "title: {}"), False),
    setting("base-url-query", "site.yml", SITE.replace("test/", "test/?page=1"), False),
    setting("base-url-fragment", "site.yml", SITE.replace("test/", "test/#top"), False),
    setting("base-url-ftp", "site.yml", SITE.replace("https:", "ftp:"), False),
    setting("language-twice", "site.yml", SITE.replace("[en, es]", "[en, es, en]"), False),
    setting("language-name", "site.yml", SITE.replace("[en, es]", "[English]"), False),
    setting("languages-empty", "site.yml", SITE.replace("[en, es]", "[]"), False),
    setting("deadline-0", "site.yml", SITE + "notice_deadline_business_days: 0\n", False),
    setting("deadline-61", "site.yml", SITE + "notice_deadline_business_days: 61\n", False),
    setting("deadline-quoted", "site.yml", SITE + 'notice_deadline_business_days: "5"\n', False),
    setting("contact-fax", "site.yml", SITE + "contact: {fax: 555-0101}\n", False),
    setting("no-base-url", "site.yml", SITE.replace("base_url: https://notices.district.test/\n", ""), False),
    Case("site-logo", "site.yml", SITE + "logo: images/logo.svg\nlogo_alt: {en: District, es: Distrito}\n", True,
         (("../static/images/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),)),
    Case("site-logo-without-alt", "site.yml", SITE + "logo: logo.svg\n", False,
         (("../static/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),)),
    setting("logo-in-the-parent-folder", "site.yml", SITE + "logo: ../logo.svg\nlogo_alt: District\n", False),
    setting("logo-not-an-image", "site.yml", SITE + "logo: logo.bmp\nlogo_alt: District\n", False),
    setting("accent-colour", "site.yml", SITE + 'accent_colour: "#0B4F8A"\n', True),
    setting("accent-colour-unquoted", "site.yml", SITE + "accent_colour: #0b4f8a\n", False),
    setting("accent-colour-of-three-digits", "site.yml", SITE + 'accent_colour: "#fff"\n', False),
    setting("subscribe-page", "site.yml", SITE + "subscribe: https://lists.district.test/notices\n", True),
    setting("subscribe-mailto", "site.yml", SITE + "subscribe: mailto:notices@district.test\n", True),
    setting("subscribe-http", "site.yml", SITE + "subscribe: http://lists.district.test/notices\n", False),
    setting("subscribe-javascript", "site.yml", SITE + 'subscribe: "javascript:alert(1)"\n', False),
    # data-elements.yml
    setting("mapping-by-language", "data-elements.yml", ELEMENTS + "student_name:\n"
            "  label: {en: Student name, es: Nombre}\n  category: Student Name\n"
            "  description:\n    en: The name.\n    es: El nombre.\n  sensitive: false\n", True),
    setting("digits-in-the-key", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "grade_9_score:\n"
            + ELEMENT, True),
    setting("capital-key", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "Student_Id:\n" + ELEMENT,
            False),
    setting("reserved-key", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "main:\n" + ELEMENT, False),
    setting("key-of-65", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "k" * 65 + ":\n" + ELEMENT,
            False),
    setting("label-not-a-language", "data-elements.yml",
            ELEMENTS + "student_name:\n" + ELEMENT.replace("label: Student name", "label: {english: Name}"), False),
    setting("sensitive-yes", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "  sensitive: yes\n", False),
    setting("unknown-field", "data-elements.yml", ELEMENTS + "student_name:\n" + ELEMENT + "  sensitve: true\n", False),
    setting("no-description", "data-elements.yml",
            ELEMENTS + "student_name:\n" + ELEMENT.replace("  description: The student's name.\n", ""), False),
    setting("empty", "data-elements.yml", "{}\n", False),
    setting("language-not-in-site-yml", "data-elements.yml",
            ELEMENTS + "student_name:\n" + ELEMENT.replace("label: Student name", "label: {en: Name, fr: Nom}"), True),
    setting("extends-shipped", "data-elements.yml", "extends: shipped\nstudent_name:\n" + ELEMENT, True),
    setting("extends-shipped-alone", "data-elements.yml", "extends: shipped\n", True),
    setting("extends-another", "data-elements.yml", "extends: default\n" + ELEMENTS, False),
    setting("extends-as-an-element", "data-elements.yml", ELEMENTS + "extends:\n" + ELEMENT, False),
    # policies/series.yml
    setting("by-language", "policies/series.yml", SERIES + "- {key: 6000, title: {en: Instruction, es: Enseñanza}}\n",
            True),
    setting("empty-list", "policies/series.yml", "[]\n", True),
    setting("no-title", "policies/series.yml", SERIES + '- {key: "6000"}\n', False),
    setting("unknown-field", "policies/series.yml", SERIES + '- {key: "6000", title: Instruction, order: 2}\n', False),
    setting("a-mapping", "policies/series.yml", '"5000": Students\n', False),
    setting("title-not-a-language", "policies/series.yml", '- {key: "5000", title: {students: Students}}\n', False),
    setting("extends-shipped", "policies/series.yml", "- extends: shipped\n" + SERIES, True),
    setting("extends-another", "policies/series.yml", "- extends: default\n" + SERIES, False),
    setting("extends-with-a-key", "policies/series.yml", '- {extends: shipped, key: "5000"}\n', False),
    # languages that the site does not publish: ignored, with a note
    setting("language-not-in-languages", "site.yml", SITE.replace("title: Notices", "title: {en: Notices, fr: Avis}"),
            True),
    Case("contract-translation-language-not-in-site", "contracts/acme-learning.fr.md", "---\ntitle: Acme\n---\nLa.\n",
         True),
]

# An empty `contract_date:` or `student_data:` in a complete notice: check once published it as if
# the field were left out; the format (and so the schema) make it an error.
EMPTY_REQUIRED = [
    notice("empty-contract-date", "contract_date:", False),
    notice("empty-student-data", "student_data:", False),
]


def check_errors(relative: str) -> list[str]:
    result = run("check", "--today", TODAY)
    return [line for line in result.lines if line.startswith(f"content/{relative}:") and ": error: " in line]


@pytest.mark.parametrize("case", CASES + EMPTY_REQUIRED, ids=lambda case: case.id)
def test_schema_and_check_agree_on_a_file(content, case):
    path = case.write(content)
    errors = check_errors(case.relative)
    assert (not errors) == case.ok, errors or "check accepts it"
    problems = schema_errors(kind_of(case.relative), loaded(path))
    assert (not problems) == case.ok, problems or "the schema accepts it"


# What the schema of one file cannot know: check reports these, the editor does not.
# docs/staff/editors.md lists them for staff.
GAPS = [
    notice("amends-a-record-that-does-not-exist", "kind: amendment\namends: zeta-original", True),
    notice("unknown-data-element", "student_data: [date_of_brith]", True),
    notice("document-file-missing", "documents:\n  - {title: Signed, file: missing.pdf}", True),
    notice("document-not-a-pdf", "documents:\n  - {title: Signed, file: zeta.pdf}", True,
           files=(("contracts/files/zeta.pdf", b"<html>not a PDF</html>"),)),
    notice("posted-before-signing", "posted: 2025-01-20", True),
    notice("signed-after-the-build-date", "contract_date: 2027-01-04\nposted: 2027-01-05", True),
    Case("contract-no-description", "contracts/zeta-learning.md", "---\n" + CONTRACT + "---\n", True),
    Case("contract-translation-without-main-record", "contracts/nobody.es.md", "---\ntitle: Nadie\n---\nNada.\n", True),
    policy("number-not-the-file-name", 'number: "5126"\ntitle: Student Records\n', True),
    policy("revised-before-adopted", 'number: "5125"\ntitle: Records\nadopted: 2020-01-01\nrevised: 2019-01-01\n', True),
    policy("related-policy-missing", 'number: "5125"\ntitle: Records\nrelated: ["9999"]\n', True),
    policy("series-not-in-series-yml", 'number: "5125"\ntitle: Records\nseries: "8000"\n', True),
    setting("no-text-in-the-default-language", "site.yml",
            SITE.replace("title: Notices", "title: {es: Avisos}"), True),
    setting("key-twice", "policies/series.yml", SERIES + '- {key: "5000", title: Again}\n', True),
    setting("logo-file-missing", "site.yml", SITE + "logo: logo.svg\nlogo_alt: District\n", True),
    setting("accent-colour-too-light", "site.yml", SITE + 'accent_colour: "#767676"\n', True),
]


@pytest.mark.parametrize("case", GAPS, ids=lambda case: case.id)
def test_what_only_check_can_see(content, case):
    path = case.write(content)
    assert check_errors(case.relative), "check accepts it: not a gap any more"
    assert schema_errors(kind_of(case.relative), loaded(path)) == [], "the schema refuses it: move it to CASES"


# --- 4b. value by value: each type of schema.py accepts what its JSON Schema accepts ----------------------

def one_field(kind) -> tuple:
    """A Strict model with one field of ``kind`` (numbers count as text there), and its JSON Schema."""
    model = create_model("One", __base__=Strict, value=(kind, ...))
    return model, Draft202012Validator(schemas.json_schema_of(model))


def accepted(model, value) -> bool:
    try:
        model.model_validate({"value": value})
        return True
    except ValidationError:
        return False


def assert_agree(kind, values) -> None:
    model, schema = one_field(kind)
    disagree = [(value, accepted(model, value)) for value in values
                if accepted(model, value) != schema.is_valid({"value": value})]
    assert not disagree, f"(value, the loader accepts it): {disagree[:10]}"


def dates_around_the_rules() -> list[str]:
    """Every month and day (0 to 32) of the years where the rules change: the plausible range, leap years."""
    values = []
    for year in (1899, 1900, 1904, 1999, 2000, 2023, 2024, 2100, 2400, 2999, 3000):
        for month in range(0, 14):
            values.append(f"{year:04d}-{month:02d}")
            values += [f"{year:04d}-{month:02d}-{day:02d}" for day in range(0, 33)]
    return values


def test_dates_agree_on_every_day_of_the_years_where_the_rules_change():
    values = dates_around_the_rules()
    values += [" 2025-01-21 ", "2025-1-21", "25-01-21", "2025-01-21x", "2025/01/21", "2025-01-21\n", ""]
    assert_agree(IsoDate, values)
    assert_agree(DateOrMonth, values)


def test_data_element_keys_agree_with_the_loader():
    schema = Draft202012Validator({"propertyNames": GENERATED["data-elements.schema.json"]["propertyNames"]})
    keys = ["date_of_birth", "a", "a" * 64, "a" * 65, "main", "mainly", "_x", "1st", "x-y", "X", "x1_", "é", "x\n",
            "grade_9"]
    for key in keys:
        loader = bool(ELEMENT_KEY_PATTERN.fullmatch(key)) and key not in RESERVED_ELEMENT_KEYS
        assert schema.is_valid({key: {}}) == loader, key


PROFILE = settings(derandomize=True, database=None, deadline=None, max_examples=400,
                   suppress_health_check=[HealthCheck.too_slow])


def joined(pieces: list[str], max_size: int = 8):
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


# What YAML as the loader reads it can give a field: text, whole numbers, true/false, nothing.
SCALARS = st.one_of(st.integers(-20000, 20000), st.booleans(), st.none())
TYPES = {
    "Name": (Name, st.one_of(SCALARS, st.text("ab \n\t\u00a0é:-", max_size=10),
                             st.text("a ", min_size=196, max_size=206))),
    "Text": (Text, st.one_of(SCALARS, st.text("a \n\t\u00a0", max_size=6))),
    "Slug": (Slug, st.one_of(SCALARS, st.text("az09-_A \n", max_size=8))),
    "PolicyNumber": (PolicyNumber, st.one_of(SCALARS, joined(["5", "1", "0", "9", ".", "a", " ", "\n"]))),
    "LanguageCode": (LanguageCode, st.one_of(SCALARS, st.text("aesz-EN \n", max_size=5))),
    "IsoDate": (IsoDate, st.one_of(SCALARS, st.dates(date(1890, 1, 1), date(3010, 12, 31)).map(date.isoformat),
                                   joined(["2025", "1899", "3000", "-", "02", "29", "30", "13", "00", " ", "/", "T"]))),
    "DateOrMonth": (DateOrMonth, st.one_of(SCALARS, joined(["2024", "1900", "-", "02", "04", "13", "29", " ", "/"]))),
    "DocumentFile": (DocumentFile, st.one_of(SCALARS, joined(
        ["a", "..", ".", "/", "\\", " ", "C:", "c", ":", ".pdf", ".PDF", ".Docx", ".odp", ".html", "pdf", "\n"]))),
    "WebAddress": (WebAddress, st.one_of(SCALARS, joined(
        ["https://", "http://", "ftp://", "example.org", "a", ":", "443", "99999", "0", "/", "?", "#", "@", " ",
         '"', "[", "]", "%20", "é", "\n"]))),
    "Subprocessors": (Subprocessors, st.one_of(
        SCALARS, st.lists(st.one_of(SCALARS, st.text("ab \n", max_size=4)), max_size=3),
        joined(["https://", "http://", "ftp://", "example.org", "Amazon", " ", "/", "\n"]))),
    "SiteRoot": (SiteRoot, st.one_of(SCALARS, joined(
        ["https://", "http://", "example.org", ":", "8080", "65536", "/", "?", "#", "@", " ", "x", "\n"]))),
    "LogoFile": (LogoFile, st.one_of(SCALARS, joined(
        ["logo", "a", ".", "..", "/", "\\", ":", " ", ".svg", ".PNG", ".jpeg", ".bmp", "\n", "\x7f", "é"]))),
    "AccentColour": (AccentColour, st.one_of(SCALARS, joined(["#", "0", "b4", "F8", "a", "g", " ", "\n"]))),
    "SubscribeAddress": (SubscribeAddress, st.one_of(SCALARS, joined(
        ["https://", "http://", "mailto:", "lists", "@", "district.test", ".", "org", "12", "/", "?", "#", " ", ":",
         "é", "<", "\n"]))),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_type_and_its_json_schema_accept_the_same_values(name):
    kind, values = TYPES[name]
    model, schema = one_field(kind)

    @PROFILE
    @given(values)
    def agree(value):
        assert accepted(model, value) == schema.is_valid({"value": value}), repr(value)

    agree()


# --- 5. editors read the patterns as Python does --------------------------------------------------------

def patterns_of(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            found |= patterns_of(value)
    elif isinstance(node, list):
        for item in node:
            found |= patterns_of(item)
    return found


PATTERN_SAMPLES = sorted(set(dates_around_the_rules()[::7]) | {
    "", " ", "a", "\n", "es", "es\n", "en ", "imagine-learning", "imagine-learning\n", "a--b", "5125", "6141.321",
    "5125\n", "Zeta Learning", "  Zeta  ", "Zeta\nLearning", "Z" * 200, "Z" * 201, " " + "Z" * 200 + " ", "zeta.pdf",
    "../zeta.pdf", "a/../b.pdf", "a/..b.pdf", "C:zeta.pdf", "/zeta.pdf", "\\zeta.pdf", "zeta.PDF ", "zeta.html",
    "https://example.org/", "https://example.org/?q=1", "https://example.org#x", "https://user@example.org/",
    "https://example.org:65535/", "https://example.org:65536/", "https://example.org:/", "http://a b/",
    "https://example.org/\n", "ftp://example.org/", "date_of_birth", "main", "2022-04", " 2025-01-21 ",
    "Fecha de nacimiento", "\u00a0", "\u00a0x\u00a0", "\t2025-01-21", "logo.svg", "images/Logo.PNG", ".logo.svg",
    "a\\logo.svg", "c:logo.svg", "#0b4f8a", "#0B4F8A", "#0b4f8", "#0b4f8a\n", "mailto:a@district.test",
    "mailto:a@district.12", "mailto:a b@district.test", "https://lists.district.test/x", "http://lists.district.test/",
})


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_editors_read_every_pattern_as_python_does(tmp_path):
    """JSON Schema patterns are ECMA-262 (JavaScript, as in the YAML language server, with its 'u' flag);
    jsonschema reads them with Python's re. Both must compile them and agree on every sample."""
    patterns = sorted(set().union(*(patterns_of(schema) for schema in GENERATED.values())))
    script = tmp_path / "patterns.mjs"
    script.write_text(
        "import fs from 'node:fs';\n"
        "const {patterns, samples} = JSON.parse(fs.readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(patterns.map(p => samples.map(s => new RegExp(p, 'u').test(s)))));\n")
    output = subprocess.run(["node", str(script)], input=json.dumps({"patterns": patterns, "samples": PATTERN_SAMPLES}),
                            capture_output=True, text=True, check=True).stdout
    javascript = json.loads(output)
    for pattern, verdicts in zip(patterns, javascript):
        python = [re.search(pattern, sample) is not None for sample in PATTERN_SAMPLES]
        differ = [sample for sample, js, py in zip(PATTERN_SAMPLES, verdicts, python) if js != py]
        assert not differ, f"{pattern}: JavaScript and Python differ on {differ}"


# --- 6. new writes the modeline -------------------------------------------------------------------------

@pytest.mark.parametrize("args, kind, relative", [
    (["contract", "zeta-learning", "--vendor", "Zeta: Learning"], "contract", "contracts/zeta-learning.md"),
    (["policy", "5126", "--title", "Student Records"], "policy", "policies/5126.md"),
    (["breach", "acme-2026-11", "--vendor", "Acme Learning"], "breach", "breaches/acme-2026-11.md"),
])
def test_new_records_name_their_schema_and_follow_it(content, args, kind, relative):
    assert run("schema").code == 0  # schemas/ beside content/, as docs/staff/editors.md says
    result = run("new", *args, "--today", TODAY)
    assert result.code == 0, result.err
    assert "schema --out" not in result.out  # the schemas are there: no hint
    path = content.root / relative
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---"
    assert lines[1] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    schema_path = (path.parent / lines[1].split("$schema=", 1)[1]).resolve()
    assert schema_path == (content.root.parent / "schemas" / f"{kind}.schema.json").resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(loaded(path))) == []
    checked = run("check", "--today", TODAY)
    assert not [line for line in checked.lines if line.startswith(f"content/{relative}:") and ": error: " in line]


def test_new_says_how_to_make_the_schemas_when_they_are_missing(content):
    result = run("new", "contract", "zeta-learning", "--today", TODAY)
    assert result.code == 0, result.err
    assert "schema --out schemas" in result.out


# --- 7. the pre-commit hook -----------------------------------------------------------------------------

def hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and all(isinstance(item, dict) for item in hooks)
    found = [item for item in hooks if item.get("id") == "noticeboard-check"]
    assert len(found) == 1
    return found[0]


def test_pre_commit_hook_has_what_pre_commit_requires():
    found = hook()
    for key in ("id", "name", "entry", "language"):
        assert isinstance(found.get(key), str) and found[key].strip(), key
    assert found["language"] == "python"  # pre-commit installs this repository, so the console script exists
    assert found["pass_filenames"] is False  # check reads the whole content/, not the files staged
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    program, *args = shlex.split(found["entry"])
    assert scripts[program] == "noticeboard.cli:main"
    assert args[:1] == ["check"]
    files = re.compile(found["files"])
    for staged in ("content/contracts/kami.md", "content/site.yml", "content/contracts/files/kami.pdf"):
        assert files.search(staged), staged
    for staged in ("README.md", "site/index.html", "schemas/contract.schema.json", "src/content/x.md"):
        assert not files.search(staged), staged


def test_pre_commit_hook_blocks_a_commit_with_a_content_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795953600")  # 2026-11-29 (TODAY) 12:00 UTC: the hook's check, on a fixed day
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    args = shlex.split(hook()["entry"])[1:]
    assert run(*args).code == 0
    kami = tmp_path / "content/contracts/kami.md"
    kami.write_text(kami.read_text(encoding="utf-8").replace("vendor:", "vendr:", 1), encoding="utf-8")
    result = run(*args)
    assert result.code == 1
    assert any(line.startswith("content/contracts/kami.md:") and "vendr" in line for line in result.lines), result.err


EDITORS = REPO / "docs" / "staff" / "editors.md"


def editors_block(marker: str) -> str:
    text = EDITORS.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:yaml|json|jsonc)\n(.*?)```", text, re.S)
    found = [block for block in blocks if marker in block]
    assert found, f"docs/staff/editors.md has no code block with {marker}"
    return found[0]


def test_the_documented_pre_commit_config_uses_the_hook():
    config = yaml.safe_load(editors_block("noticeboard-check"))
    repo = config["repos"][0]
    assert repo["repo"].startswith("https://") and repo["rev"]
    assert [item["id"] for item in repo["hooks"]] == ["noticeboard-check"]


def test_the_documentation_shows_the_modeline_that_new_writes_and_the_settings_that_work():
    text = EDITORS.read_text(encoding="utf-8")
    assert schemas.modeline("contract") in text
    settings_block = json.loads(re.sub(r"//.*", "", editors_block('"yaml.schemas"')))
    mapped = settings_block["yaml.schemas"]
    assert mapped == {"./schemas/site.schema.json": "content/site.yml",
                      "./schemas/data-elements.schema.json": "content/data-elements.yml",
                      "./schemas/series.schema.json": "content/policies/series.yml"}
