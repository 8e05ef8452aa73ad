"""The law a site cites is its jurisdiction's: the same content built as CT, IL, NY and none cites the right law
(or none) on every page type, in both languages; the fields that IL and NY ask of a notice make it incomplete when
missing and show on its page when given; New York's breach clock; Illinois's business days (Casimir Pulaski Day
is a holiday, Good Friday a working day)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import (DATA_ELEMENTS_YML, SENSITIVE_ELEMENTS_YML, SITE_YML, TODAY, ContentTree, diagnose, make_pdf, run,
                      soup, text)
from noticeboard import codes
from noticeboard.reporter import ExitCode

JURISDICTIONS = ("CT", "IL", "NY", "none")
# What each law's citation looks like on a page, in English and in Spanish; none of them may show on another's site.
CITATIONS = {"CT": ("10-234",), "IL": ("105 ILCS 85",), "NY": ("NYCRR", "§ 2-d")}

EVERY_FIELD = """\
vendor_address: 1 Main Street, Springfield, IL 62701
subprocessors: [Amazon Web Services]
subprocessor_safeguards: The company's subprocessors sign the same data protection terms.
expires: 2027-06-30
retention: The data is deleted within 60 days of the end of the contract.
accuracy_challenge: Parents write to the district's privacy officer.
storage_and_security: In data centres in the United States, behind firewalls.
encryption: TLS 1.2 in motion, AES-256 at rest.
"""


def site_of(root: Path, jurisdiction: str, *notices: tuple[str, str], breaches: tuple[tuple[str, str], ...] = ()
            ) -> ContentTree:
    """A content tree of ``jurisdiction`` with the conftest notice (given every field IL and NY ask for) and
    ``notices`` and ``breaches`` as (slug, front matter) pairs."""
    tree = ContentTree(root)
    tree.write("site.yml", SITE_YML + f"jurisdiction: {jurisdiction}\n")
    acme = (root / "contracts/acme-learning.md").read_text(encoding="utf-8")
    tree.write("contracts/acme-learning.md", acme.replace("---\n", "---\n" + EVERY_FIELD, 1))
    for slug, front_matter in notices:
        tree.contract(slug, front_matter)
    for slug, front_matter in breaches:
        tree.write(f"breaches/{slug}.md", "---\n" + front_matter + "---\nWhat happened.\n")
    return tree


BREACH = "vendor: Acme Learning\ncontract: acme-learning\ndiscovered: 2026-10-01\nreported: 2026-10-05\n" \
         "posted: 2026-10-06\nstudent_data: [student_name]\n"
INCOMPLETE = "vendor: Beta Reading\nincomplete: true\n"


@pytest.fixture(scope="module", params=JURISDICTIONS)
def built(request, tmp_path_factory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(f"law-{request.param}")
    site_of(root / "content", request.param, ("beta-reading", INCOMPLETE), breaches=(("acme-breach", BREACH),))
    result = run("build", "--content", str(root / "content"), "--out", str(root / "site"), "--today", TODAY)
    assert result.code == ExitCode.OK, result.err
    return request.param, root / "site"


PAGES = {  # page type: its path under the site's root (and under es/)
    "home": "index.html", "notices": "contracts/index.html", "notice": "contracts/acme-learning/index.html",
    "incomplete notice": "contracts/beta-reading/index.html", "breaches": "breaches/index.html",
    "breach": "breaches/acme-breach/index.html",
}
CITING = ("home", "breaches")  # the pages whose lead states the law


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_cites_its_jurisdictions_law_and_no_other(built, lang):
    jurisdiction, site = built
    for kind, path in PAGES.items():
        page = site / ("" if lang == "en" else "es") / path
        words = text(soup(page).find("main"))
        for other, citations in CITATIONS.items():
            for citation in citations:
                if other != jurisdiction:
                    assert citation not in words, f"{jurisdiction} {lang} {kind} cites {other}: {citation}"
        if jurisdiction in CITATIONS and kind in CITING:
            assert CITATIONS[jurisdiction][0] in words, f"{jurisdiction} {lang} {kind} does not cite its law"


@pytest.mark.slow
def test_the_incomplete_notice_of_a_law_citing_profile_names_its_law(built):
    jurisdiction, site = built
    box = soup(site / PAGES["incomplete notice"]).select_one(".incomplete-box")
    assert box is not None
    if jurisdiction in ("IL", "NY"):
        assert CITATIONS[jurisdiction][0] in text(box)


# --------------------------------------------------------------------------- the fields IL and NY ask for

IL_FIELDS = ("vendor_address", "subprocessors")
NY_FIELDS = ("subprocessor_safeguards", "expires", "retention", "accuracy_challenge", "storage_and_security",
             "encryption")


@pytest.mark.parametrize("jurisdiction, field", [("IL", f) for f in IL_FIELDS] + [("NY", f) for f in NY_FIELDS])
def test_a_notice_lacking_a_field_its_law_requires_is_incomplete_never_an_error(content, jurisdiction, field):
    site_of(content.root, jurisdiction)
    acme = content.root / "contracts/acme-learning.md"
    acme.write_text("".join(line for line in acme.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith(f"{field}:")), encoding="utf-8")
    found = diagnose("check", content.root)
    assert not found.errors, str(found)
    assert codes.INCOMPLETE_NOTICE in found.codes(), str(found)
    assert run("check", "--content", str(content.root), "--today", TODAY).code == ExitCode.OK


def test_an_incomplete_notice_says_which_of_its_laws_fields_it_lacks_in_both_languages(content):
    site_of(content.root, "IL", ("beta-reading", "vendor: Beta Reading\nincomplete: true\ncontract_date: 2026-01-05\n"
                                                 "student_data: []\nsubprocessors: [Google]\n"))
    site = Path(run_build(content))
    for prefix, words in (("", "the company's business address"), ("es/", "la dirección comercial de la empresa")):
        box = soup(site / prefix / PAGES["incomplete notice"]).select_one(".incomplete-box")
        assert [text(li) for li in box.find_all("li")] == [words]


@pytest.mark.parametrize("jurisdiction", ["CT", "none"])
def test_elsewhere_the_fields_are_optional(content, jurisdiction):
    site_of(content.root, jurisdiction)
    found = diagnose("check", content.root)
    assert codes.INCOMPLETE_NOTICE not in found.codes(), str(found)


def test_the_illinois_fields_show_on_the_notice_page_in_both_languages(content):
    site_of(content.root, "IL")
    site = Path(run_build(content))
    for prefix, address_label in (("", "Company's business address"), ("es/", "Dirección comercial de la empresa")):
        page = soup(site / prefix / PAGES["notice"])
        assert text(page.select_one(".vendor-address")) == "1 Main Street, Springfield, IL 62701"
        assert address_label in [text(dt) for dt in page.select("dl.facts dt")]
        assert [text(li) for li in page.select("ul.subprocessors li")] == ["Amazon Web Services"]


def test_the_new_york_supplemental_information_shows_on_the_notice_page(content):
    site_of(content.root, "NY")
    site = Path(run_build(content))
    for prefix in ("", "es/"):
        page = soup(site / prefix / PAGES["notice"])
        shown = {section: text(page.find(id=section).find_next("div", class_="prose"))
                 for section in ("subprocessor-safeguards", "accuracy-challenge", "storage-and-security", "encryption")}
        assert shown == {"subprocessor-safeguards": "The company's subprocessors sign the same data protection terms.",
                         "accuracy-challenge": "Parents write to the district's privacy officer.",
                         "storage-and-security": "In data centres in the United States, behind firewalls.",
                         "encryption": "TLS 1.2 in motion, AES-256 at rest."}
    headings = [text(h) for h in soup(site / "es" / PAGES["notice"]).find_all("h2")]
    assert "Cifrado de los datos" in headings


def run_build(content: ContentTree) -> str:
    result = run("build", "--content", str(content.root), "--out", str(content.root.parent / "site"), "--today", TODAY)
    assert result.code == ExitCode.OK, result.err
    return str(content.root.parent / "site")


# --------------------------------------------------------------------------- clocks

def late(found, code) -> list:
    return [d for d in found.report.sorted() if d.code == code]


@pytest.mark.parametrize("reported, late_by", [("2026-10-08", False), ("2026-10-09", True)], ids=["7-days", "8-days"])
def test_new_york_the_contractor_tells_the_district_within_seven_calendar_days(content, reported, late_by):
    breach = BREACH.replace("reported: 2026-10-05", f"reported: {reported}").replace("posted: 2026-10-06",
                                                                                    "posted: 2026-10-20")
    site_of(content.root, "NY", breaches=(("acme-breach", breach),))
    found = late(diagnose("check", content.root), codes.BREACH_REPORTED_LATE)
    assert bool(found) == late_by
    assert all(d.level == "warning" for d in found), "§ 121.10(a) was read: a late report is a warning"


def test_new_york_the_district_has_sixty_calendar_days(content):
    in_time = BREACH.replace("posted: 2026-10-06", "posted: 2026-12-04")  # 60 days after 2026-10-05
    site_of(content.root, "NY", breaches=(("acme-breach", in_time),))
    assert not late(diagnose("check", content.root, today="2026-12-05"), codes.BREACH_POSTED_LATE)
    (content.root / "breaches/acme-breach.md").write_text(
        "---\n" + BREACH.replace("posted: 2026-10-06", "posted: 2026-12-05") + "---\nWhat happened.\n")
    assert late(diagnose("check", content.root, today="2026-12-05"), codes.BREACH_POSTED_LATE)


def test_illinois_breach_clocks_are_unverified_so_notes(content):
    breach = BREACH.replace("reported: 2026-10-05", "reported: 2026-11-05").replace("posted: 2026-10-06",
                                                                                   "posted: 2026-11-06")
    site_of(content.root, "IL", breaches=(("acme-breach", breach),))
    found = late(diagnose("check", content.root), codes.BREACH_REPORTED_LATE)
    assert found and all(d.level == "note" for d in found)


# Casimir Pulaski Day is Monday 2026-03-02; Good Friday is 2026-04-03, a working day for Illinois's state offices.
@pytest.mark.parametrize("signed, posted, in_time", [
    ("2026-02-23", "2026-03-10", True),   # the tenth Illinois business day: Pulaski Day is skipped
    ("2026-02-23", "2026-03-11", False),
    ("2026-03-27", "2026-04-10", True),   # Good Friday counts
    ("2026-03-27", "2026-04-13", False),  # late in Illinois, on time in Connecticut
], ids=["pulaski-on-time", "pulaski-late", "good-friday-on-time", "good-friday-late"])
def test_illinois_business_days_follow_illinois_holidays(content, signed, posted, in_time):
    site_of(content.root, "IL", ("gamma-math", f"vendor: Gamma Math\ncontract_date: {signed}\nposted: {posted}\n"
                                               f"student_data: []\n{EVERY_FIELD}"))
    found = [d for d in late(diagnose("check", content.root), codes.POSTED_LATE) if "gamma-math" in d.path]
    assert bool(found) != in_time, [d.message for d in found]
    assert all(d.level == "note" for d in found), "the ten days of § 27 are unverified: a late notice is a note"



# --------------------------------------------------------------------------- what staff and parents are told of the law

def messages(found, code) -> list[str]:
    return [d.message for d in late(found, code)]


def test_a_site_of_no_jurisdiction_tells_staff_of_no_law(content):
    site_of(content.root, "none", ("beta-reading", "vendor: Beta Reading\nincomplete: true\nstudent_data: []\n"),
            ("gamma-math", "vendor: Gamma Math\ncontract_date: 2026-01-05\nstudent_data: []\n"))
    found = diagnose("check", content.root)
    assert messages(found, codes.INCOMPLETE_NOTICE) == [
        "published as an incomplete notice; a notice gives, and the district has not yet posted: contract_date"]
    assert messages(found, codes.NO_DOCUMENT) == ["no document: a notice posts the signed contract with it"] * 2
    assert not [d.message for d in found.report.sorted() if "law" in d.message], str(found)


def test_a_new_york_site_tells_staff_which_missing_field_its_law_requires(content):
    late_breach = BREACH.replace("reported: 2026-10-05", "reported: 2026-10-12").replace("posted: 2026-10-06",
                                                                                         "posted: 2026-10-13")
    without_encryption = "".join(line for line in EVERY_FIELD.splitlines(keepends=True)
                                 if not line.startswith("encryption:"))
    site_of(content.root, "NY", ("beta-reading", "vendor: Beta Reading\nincomplete: true\nstudent_data: []\n"
                                                 + without_encryption),
            breaches=(("acme-breach", late_breach),))
    found = diagnose("check", content.root)
    assert messages(found, codes.INCOMPLETE_NOTICE) == [
        "published as an incomplete notice; a notice gives, and the district has not yet posted: contract_date, "
        "encryption (the law requires encryption)"]
    assert "no document: a notice posts the signed contract with it" in messages(found, codes.NO_DOCUMENT)
    assert messages(found, codes.BREACH_REPORTED_LATE) == [
        "the contractor reported it 11 calendar days after discovering it on 2026-10-01; the law allows 7 calendar "
        "days"]


def test_connecticut_tells_staff_that_its_law_requires_the_elements_and_the_contract(content):
    content.contract("beta-reading", "vendor: Beta Reading\nincomplete: true\nstudent_data: []\n")
    found = diagnose("check", content.root)
    assert messages(found, codes.INCOMPLETE_NOTICE) == [
        "published as an incomplete notice; the law requires, and the district has not yet posted: contract_date"]
    assert messages(found, codes.NO_DOCUMENT) == [
        "no document: the law requires the signed contract to be posted with its notice"]


SPECIAL_CARE = {"en": "parents and the law treat", "es": "los padres y la ley tratan"}
LAW_WORDS = {"en": re.compile(r"\blaws?\b", re.IGNORECASE), "es": re.compile(r"\bley(es)?\b", re.IGNORECASE)}


@pytest.mark.parametrize("jurisdiction", ["none", "NY"])
def test_no_page_says_what_a_law_requires_unless_its_own_law_does(content, jurisdiction):
    """A site of no jurisdiction says nothing of a law; New York's pages name its own law only where its profile's
    texts do (the leads and the incomplete notice's box), never the sentences that are true of Connecticut's
    (every detail the law requires, the law requires this notice to say)."""
    site_of(content.root, jurisdiction, ("beta-reading", INCOMPLETE),
            ("gamma-math", "vendor: Gamma Math\ncontract_date: 2026-01-05\nposted: 2026-01-06\n"
                           "student_data: [disability]\ndocuments:\n  - {title: Contract, file: scan.pdf, type: contract}\n"
                           + EVERY_FIELD),
            breaches=(("acme-breach", BREACH),))
    content.write("data-elements.yml", DATA_ELEMENTS_YML + SENSITIVE_ELEMENTS_YML)
    content.write("contracts/files/scan.pdf", make_pdf(None))
    site = Path(run_build(content))
    pages = {**PAGES, "data": "data/index.html", "data element": "data/disability/index.html",
             "sensitive notice": "contracts/gamma-math/index.html"}
    for lang, prefix in (("en", ""), ("es", "es/")):
        for kind, path in pages.items():
            main = soup(site / prefix / path).find("main")
            words = text(main)
            if jurisdiction == "NY":
                for cited in main.select(".lead, .incomplete-box > p:first-child"):
                    cited.decompose()
                words = re.sub(SPECIAL_CARE[lang], "", text(main))  # of sensitive data, as the law of any state
            assert not LAW_WORDS[lang].search(words), f"{jurisdiction} {lang} {kind}: {words}"
