"""The optional fields that parents and other states ask for: ``subprocessors``, ``retention`` and
``sdpc_agreement``. A notice's page shows each one when the record gives it, and nothing of it
otherwise; ``retention`` is translated like the data notes; a wrong value is an error at its line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TODAY, build_site, diagnose, run, soup, text
from noticeboard import codes

HEADINGS = {"subprocessors": "Who else receives the data", "retention": "How long the data is kept",
            "sdpc_agreement": "Student Data Privacy Consortium agreement"}
SPANISH_HEADINGS = {"subprocessors": "Quién más recibe los datos",
                    "retention": "Cuánto tiempo se conservan los datos",
                    "sdpc_agreement": "Acuerdo del Student Data Privacy Consortium"}
SDPC_ADDRESS = "https://sdpc.a4l.org/agreements/123"
LIST_ADDRESS = "https://zeta.example/legal/subprocessors"


def main_of(out: Path, page: str):
    return soup(out / page).find("main")


def headings(main) -> list[tuple[str, str]]:
    return [(h.name, text(h)) for h in main.find_all(re.compile(r"^h\d$"))]


def section(main, heading: str) -> list:
    """What follows the ``h2`` called ``heading``, up to the next ``h2``."""
    start = main.find("h2", string=heading)
    assert start is not None, f"no heading {heading!r} among {headings(main)}"
    found = []
    for sibling in start.find_next_siblings():
        if sibling.name == "h2":
            break
        found.append(sibling)
    return found


@pytest.fixture
def notices(content):
    """A notice with all three fields (names of subprocessors), one with the address of the vendor's list
    and an untranslated retention, and one with none of them."""
    content.contract("acme-learning", """\
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name]
        student_data_notes: Names only.
        subprocessors: [Amazon Web Services, Google]
        retention: |
          Kept while the contract lasts; **deleted** within 60 days after it ends.
        sdpc_agreement: https://sdpc.a4l.org/agreements/123
        """, body="Reading practice.")
    content.write("contracts/acme-learning.es.md", """\
        ---
        student_data_notes: Solo los nombres.
        retention: |
          Se conservan mientras dura el contrato; se **borran** en los 60 días siguientes a su fin.
        ---
        Práctica de lectura.
        """)
    content.contract("zeta-math", f"""\
        vendor: Zeta Math
        contract_date: 2025-02-02
        student_data: []
        subprocessors: {LIST_ADDRESS}
        retention: Deleted at the end of each school year.
        """, body="Math practice.")
    content.contract("quiet-partner", """\
        vendor: Quiet Partner
        contract_date: 2025-03-03
        student_data: []
        """, body="Mentoring by volunteers.")
    return build_site()


def test_a_notice_shows_who_else_receives_the_data_how_long_it_is_kept_and_its_sdpc_agreement(notices):
    main = main_of(notices, "contracts/acme-learning/index.html")
    shown = [heading for _, heading in headings(main)]
    assert shown.index("More about the data") < shown.index(HEADINGS["subprocessors"]) \
        < shown.index(HEADINGS["retention"]) < shown.index(HEADINGS["sdpc_agreement"]) < shown.index("Documents")
    assert all(level == "h2" for level, heading in headings(main) if heading in HEADINGS.values()), \
        "each is a section of the page's outline, under its one h1"

    names = [tag for tag in section(main, HEADINGS["subprocessors"]) if tag.name == "ul"]
    assert [text(li) for li in names[0].find_all("li")] == ["Amazon Web Services", "Google"]
    assert "subprocessors" in text(section(main, HEADINGS["subprocessors"])[0])

    retention = section(main, HEADINGS["retention"])
    assert text(retention[0]) == "Kept while the contract lasts; deleted within 60 days after it ends."
    assert retention[0].find("strong", string="deleted") is not None, "retention is Markdown"

    agreement = [a for tag in section(main, HEADINGS["sdpc_agreement"]) for a in tag.find_all("a")]
    assert [a["href"] for a in agreement] == [SDPC_ADDRESS]
    assert text(agreement[0]) == "The data privacy agreement with Acme Learning in the consortium's registry"
    assert text(agreement[0].find_next_sibling("span")) == "(external site)", "marked as documents' links are"


def test_the_address_of_the_vendors_list_is_a_link_that_says_what_it_leads_to(notices):
    main = main_of(notices, "contracts/zeta-math/index.html")
    found = section(main, HEADINGS["subprocessors"])
    links = [a for tag in found for a in tag.find_all("a")]
    assert [a["href"] for a in links] == [LIST_ADDRESS]
    assert text(links[0]) == "The list of subprocessors of Zeta Math"
    assert text(links[0].find_next_sibling("span")) == "(external site)"
    assert not main.select("ul.subprocessors")
    assert HEADINGS["sdpc_agreement"] not in text(main)


def test_a_notice_without_them_shows_nothing_of_them(notices):
    main = main_of(notices, "contracts/quiet-partner/index.html")
    for heading in HEADINGS.values():
        assert heading not in text(main)
    assert "subprocessors" not in text(main) and "Consortium" not in text(main)
    assert not main.select("ul.subprocessors")


def test_the_spanish_page_shows_the_translated_retention_unmarked(notices):
    main = main_of(notices, "es/contracts/acme-learning/index.html")
    shown = [heading for _, heading in headings(main)]
    assert all(heading in shown for heading in SPANISH_HEADINGS.values())
    retention = section(main, SPANISH_HEADINGS["retention"])
    assert text(retention[0]) == "Se conservan mientras dura el contrato; se borran en los 60 días siguientes a su fin."
    for heading in SPANISH_HEADINGS.values():
        for tag in section(main, heading):
            marked = tag.get("lang") or "untranslated-note" in tag.get("class", [])
            assert not marked and not tag.select("[lang], .untranslated, .untranslated-note"), heading
    names = main.select_one("ul.subprocessors")
    assert [text(li) for li in names.find_all("li")] == ["Amazon Web Services", "Google"], "names are names"
    agreement = [a for tag in section(main, SPANISH_HEADINGS["sdpc_agreement"]) for a in tag.find_all("a")]
    assert text(agreement[0]) == "El acuerdo de privacidad de datos con Acme Learning en el registro del consorcio"
    assert text(agreement[0].find_next_sibling("span")) == "(sitio externo)"


def test_an_untranslated_retention_is_shown_in_english_marked_with_a_note(notices):
    main = main_of(notices, "es/contracts/zeta-math/index.html")
    retention = section(main, SPANISH_HEADINGS["retention"])
    assert text(retention[0]) == "Este texto solo está disponible en inglés."
    assert retention[1]["lang"] == "en" and text(retention[1]) == "Deleted at the end of each school year."
    link = [a for tag in section(main, SPANISH_HEADINGS["subprocessors"]) for a in tag.find_all("a")][0]
    assert text(link) == "La lista de subencargados del tratamiento de Zeta Math"


def test_check_counts_an_untranslated_retention(content):
    content.contract("acme-learning", """\
        vendor: Acme Learning
        contract_date: 2025-01-21
        student_data: [student_name]
        retention: Deleted when the contract ends.
        """, body="Reading practice.")
    content.write("contracts/acme-learning.es.md", "---\n---\nPráctica de lectura.\n")

    def notices_line() -> str:
        return next(line for line in run("check", "--today", TODAY).lines if line.startswith("Spanish (es)"))

    assert notices_line().startswith("Spanish (es): 1 notice,")
    content.write("contracts/acme-learning.es.md", "---\nretention: Se borran al final del contrato.\n---\n"
                  "Práctica de lectura.\n")
    assert not notices_line().startswith("Spanish (es): 1 notice,")


# (what the notice's front matter adds, the diagnostics as (line, field, code), words of the first message)
ERRORS = [
    ("subprocessors: Amazon Web Services", [(5, "subprocessors", codes.WRONG_TYPE)],
     ["expected a list of company names, e.g. [Amazon Web Services, Google], or the address of the vendor's list",
      "found 'Amazon Web Services'"]),
    ("subprocessors: 3", [(5, "subprocessors", codes.WRONG_TYPE)], ["expected a list of company names"]),
    ("subprocessors: {aws: Amazon Web Services}", [(5, "subprocessors", codes.WRONG_TYPE)],
     ["expected a list of company names"]),
    ("subprocessors: ftp://zeta.example/list", [(5, "subprocessors", codes.BAD_WEB_ADDRESS)],
     ["must start with https:// or http://"]),
    ("subprocessors: []", [(5, "subprocessors", codes.EMPTY_VALUE)], ["at least 1 item"]),
    ("subprocessors:\n  - Google\n  - ''\n  - Amazon Web Services", [(7, "subprocessors[2]", codes.EMPTY_VALUE)],
     ["must not be empty"]),
    ("sdpc_agreement: sdpc.a4l.org/agreements/123", [(5, "sdpc_agreement", codes.BAD_WEB_ADDRESS)],
     ["'sdpc.a4l.org/agreements/123' must start with https:// or http://"]),
    ("sdpc_agreement: 'https://sdpc.a4l.org/my agreement'", [(5, "sdpc_agreement", codes.BAD_WEB_ADDRESS)],
     ["must not contain a space"]),
    ("retention: [one year, deleted]", [(5, "retention", codes.WRONG_TYPE)], ["expected text"]),
    ("retention: |\n" + "\n".join("  " + "    " * level + "- kept" for level in range(300)),
     [(5, "retention", codes.MARKDOWN_TOO_DEEP)], ["nested too deeply"]),
]


@pytest.mark.parametrize("fields, expected, words", ERRORS, ids=[case[0].split("\n")[0] for case in ERRORS])
def test_a_wrong_value_is_an_error_at_its_line(content, fields, expected, words):
    content.write("contracts/acme-learning.md", "---\nvendor: Acme Learning\ncontract_date: 2025-01-21\n"
                  "student_data: [student_name]\n" + fields + "\n---\nReading practice.\n")
    found = diagnose()
    path = "content/contracts/acme-learning.md"
    assert found.errors == [(path, *error) for error in expected]
    message = found.message(path, *expected[0])
    for word in words:
        assert word in message
    result = run("check", "--today", TODAY)
    line, field, code = expected[0]
    assert any(line_.startswith(f"{path}:{line}: error: {field}: ") and line_.endswith(f"[{code.code}]")
               for line_ in result.lines), result.err


def test_a_translation_gives_retention_but_no_other_new_field(content):
    content.write("contracts/acme-learning.es.md", "---\nretention: Se borran.\nsubprocessors: [Google]\n"
                  "sdpc_agreement: https://sdpc.a4l.org/agreements/123\n---\nPráctica.\n")
    path = "content/contracts/acme-learning.es.md"
    assert diagnose().errors == [(path, 3, "subprocessors", codes.TRANSLATION_FIELD),
                                 (path, 4, "sdpc_agreement", codes.TRANSLATION_FIELD)]
