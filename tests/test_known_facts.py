"""The site says only what the district knows (issue 18): a status that is known, a data list that is a
minimum when the contract says so, the contract counted as posted only when it is, counts that say what
they count, a product beside its vendor, and settings that would lead parents nowhere reported."""
from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, build, run, soup
from noticeboard import codes


def page(out, relative: str) -> BeautifulSoup:
    return soup(out / relative)


def main_text(out, relative: str) -> str:
    return " ".join(page(out, relative).find("main").get_text(" ").split())


def warning_lines(result, code) -> list[str]:
    return [line for line in result.lines if line.endswith(f"[{code.code}]")]


# --- status: "Active" only with a known end date ------------------------------------------------

def test_a_notice_is_active_only_with_a_known_end_date_not_past(content):
    content.contract("no-end", """\
        vendor: No End Co
        contract_date: 2025-01-21
        posted: 2025-01-24
        student_data: [student_name]
        """)
    content.contract("ends-later", """\
        vendor: Ends Later Co
        contract_date: 2025-01-21
        posted: 2025-01-24
        expires: 2027-06-30
        student_data: [student_name]
        """)
    content.contract("ended", """\
        vendor: Ended Co
        contract_date: 2024-01-21
        posted: 2024-01-24
        expires: 2025-06-30
        student_data: [student_name]
        """)
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err

    def summary(slug):
        return page(out, f"contracts/{slug}/index.html").select_one(".summary-line .status").get_text()

    assert summary("no-end") == "No end date posted"
    assert summary("ends-later") == "Active"
    assert summary("ended") == "Expired"
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in page(out, "contracts/no-end/index.html").select("dl.facts dt")}
    assert facts["Expires"] == "No end date posted"
    statuses = {row["slug"]: row["status"] for row in json.loads((out / "contracts.json").read_text())["notices"]}
    assert statuses == {"no-end": "no_end_date", "ends-later": "active", "ended": "expired", "acme-learning": "no_end_date"}
    spanish = page(out, "es/contracts/no-end/index.html").select_one(".summary-line .status").get_text()
    assert spanish == "No se ha publicado fecha de vencimiento"
    # the search filter of the notice carries the same status, by its key (the same in every language)
    for path in ["contracts/no-end/index.html", "es/contracts/no-end/index.html"]:
        hidden = page(out, path).select('[data-pagefind-filter="status"]')
        assert [span.get_text() for span in hidden] == ["no_end_date"]


def test_the_example_site_shows_no_active_notice_without_an_end_date(example_site):
    data = json.loads((example_site / "contracts.json").read_text())["notices"]
    for notice in data:
        if notice["status"] == "active":
            assert notice["expires"] and notice["expires"] >= TODAY, notice["slug"]
        if not notice["expires"]:
            assert notice["status"] == "no_end_date", notice["slug"]
    table = page(example_site, "contracts/index.html")
    for row in table.select("tbody tr"):
        link = row.select_one("a")["href"]
        slug = link.rstrip("/").split("/")[-2] if link.endswith("index.html") else link.rstrip("/").split("/")[-1]
        notice = next(n for n in data if n["slug"] == slug)
        if not notice["expires"]:
            assert "Active" not in row.get_text(), slug


# --- student_data_not_limited ---------------------------------------------------------------------

NOT_LIMITED = """\
    vendor: PowerSchool
    product: Naviance
    contract_date: 2025-01-21
    posted: 2025-01-24
    student_data: [student_name, date_of_birth, grade_level]
    student_data_not_limited: true
    documents:
      - title: Signed contract
        url: https://www.example.com/contract.pdf
        type: contract
    """


def test_a_list_that_the_contract_does_not_limit_is_shown_as_a_minimum(content):
    content.contract("naviance", NOT_LIMITED)
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err
    text = main_text(out, "contracts/naviance/index.html")
    assert "at least 3 kinds of student data" in text
    assert "the contract does not limit it to the data listed" in text
    assert "may access 3 kinds" not in text
    # the lists say so beside the data
    home = main_text(out, "contracts/index.html")
    assert "at least these: the contract does not limit the data to them" in home
    spanish = main_text(out, "es/contracts/naviance/index.html")
    assert "al menos a 3 tipos de datos estudiantiles" in spanish
    # open data and the feed
    notices = {n["slug"]: n for n in json.loads((out / "contracts.json").read_text())["notices"]}
    assert notices["naviance"]["student_data_not_limited"] is True
    assert notices["acme-learning"]["student_data_not_limited"] is False
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO((out / "contracts.csv").read_text("utf-8-sig")))}
    assert rows["naviance"]["student_data_not_limited"] == "yes"
    feed = BeautifulSoup((out / "feed.xml").read_text(), "xml")
    summaries = [entry.summary.get_text() for entry in feed.find_all("entry") if "naviance" in entry.id.get_text()]
    assert summaries and "Student data, at least:" in summaries[0]


def test_the_announcement_says_a_list_is_a_minimum(content):
    content.contract("naviance", NOT_LIMITED)
    result = run("announce", "--content", str(content.root), "--since", "2025-01-01", "--today", "2025-01-31",
                 "--no-cache")
    assert result.code == 0, result.err
    message = email.message_from_string(result.out, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Student data, at least:" in text
    assert "PowerSchool · Naviance ·" in text  # the product beside its vendor


def test_not_limited_with_no_data_is_an_error(content):
    content.contract("nothing", """\
        vendor: Nothing Co
        contract_date: 2025-01-21
        student_data: []
        student_data_not_limited: true
        """)
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache")
    assert result.code == 1
    assert any("contracts/nothing.md:5: error: student_data_not_limited:" in line
               and line.endswith("[NB131]") for line in result.lines), result.err


def test_the_example_powerschool_notice_is_not_a_complete_count(example_site):
    text = main_text(example_site, "contracts/powerschool-naviance/index.html")
    assert "may access at least 15 kinds" in text
    assert not re.search(r"may access 15 kinds", text)


# --- documents[].type ---------------------------------------------------------------------------

def test_only_a_contract_amendment_or_dpa_counts_as_the_posted_contract(content):
    base = ("vendor: {vendor}\ncontract_date: 2025-01-21\nposted: 2025-01-24\nstudent_data: [student_name]\n"
            "documents:\n  - title: {title}\n    url: https://www.example.com/doc.pdf\n")
    content.contract("policy-only", base.format(vendor="Policy Co", title="Vendor privacy policy") +
                     "    type: privacy_policy\n")
    content.contract("dpa", base.format(vendor="Dpa Co", title="Data privacy agreement") + "    type: dpa\n")
    content.contract("url-untyped", base.format(vendor="Url Co", title="Something"))
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache")
    flagged = {line.split(":")[0].rsplit("/", 1)[-1] for line in warning_lines(result, codes.NO_DOCUMENT)}
    # a url is 'other' unless typed; the fixture's acme-learning.md posts a typed contract beside a privacy policy
    assert flagged == {"policy-only.md", "url-untyped.md"}
    message = next(line for line in warning_lines(result, codes.NO_DOCUMENT) if "policy-only.md" in line)
    assert "no signed contract posted" in message and "privacy_policy" in message
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err
    policy_page = page(out, "contracts/policy-only/index.html")
    link = policy_page.select_one("ul.documents a")
    assert link.get_text(" ", strip=True).startswith("Privacy policy: Vendor privacy policy")
    assert "The signed contract has not been posted yet." in main_text(out, "contracts/policy-only/index.html")
    assert "The signed contract has not been posted yet." not in main_text(out, "contracts/dpa/index.html")
    spanish = page(out, "es/contracts/dpa/index.html").select_one("ul.documents a").get_text(" ", strip=True)
    assert spanish.startswith("Acuerdo de privacidad de datos:")
    types = {n["slug"]: [d["type"] for d in n["documents"]]
             for n in json.loads((out / "contracts.json").read_text())["notices"]}
    assert types["policy-only"] == ["privacy_policy"] and types["url-untyped"] == ["other"] and types["dpa"] == ["dpa"]


def test_an_unknown_document_type_is_an_error(content):
    content.contract("typo", """\
        vendor: Typo Co
        contract_date: 2025-01-21
        student_data: []
        documents:
          - title: Signed contract
            url: https://www.example.com/doc.pdf
            type: contrct
        """)
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache")
    assert result.code == 1
    line = next(line for line in result.lines if "typo.md" in line and "error" in line)
    assert ":8: error: documents[1].type:" in line and "did you mean 'contract'" in line and line.endswith("[NB109]")


# --- product -------------------------------------------------------------------------------------

def test_the_product_is_shown_with_the_vendor_and_exported(content):
    content.contract("star-reading", """\
        vendor: Renaissance Learning
        product: Star Reading
        contract_date: 2025-01-21
        posted: 2025-01-24
        student_data: [student_name]
        """)
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err
    notice = page(out, "contracts/star-reading/index.html")
    assert "Renaissance Learning · Star Reading" in " ".join(notice.select_one(".summary-line").get_text().split())
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in notice.select("dl.facts dt")}
    assert facts["Product or service"] == "Star Reading"
    assert "Star Reading" in main_text(out, "vendors/renaissance-learning/index.html")
    data = {n["slug"]: n for n in json.loads((out / "contracts.json").read_text())["notices"]}
    assert data["star-reading"]["product"] == "Star Reading" and data["acme-learning"]["product"] is None
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO((out / "contracts.csv").read_text("utf-8-sig")))}
    assert rows["star-reading"]["product"] == "Star Reading"


# --- counts that say what they count; a notice known from another -------------------------------

KNOWN_FROM = """\
    vendor: Imagine Learning
    incomplete: true
    known_from: imagine-learning-amendment-2
    """
AMENDMENT = """\
    vendor: Imagine Learning
    title: Imagine Learning — Amendment 2
    contract_date: 2025-01-21
    posted: 2025-01-24
    kind: amendment
    amends: imagine-learning
    student_data: [student_name]
    """


def test_a_contract_known_only_from_its_amendment_says_so(content):
    content.write("contracts/imagine-learning.md", "---\n" + KNOWN_FROM.replace("    ", "") + "---\n")
    content.contract("imagine-learning-amendment-2", AMENDMENT)
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err
    box = page(out, "contracts/imagine-learning/index.html").select_one(".known-box")
    assert box is not None
    assert "The district has not posted a notice of this contract." in box.get_text()
    assert "imagine-learning-amendment-2" in box.a["href"]
    assert page(out, "contracts/imagine-learning-amendment-2/index.html").select_one(".known-box") is None
    home = [" ".join(li.get_text().split()) for li in page(out, "index.html").select("ul.notice-counts li")]
    assert home == ["2 with a complete notice that the district posted",
                    "1 of which the district has posted no notice: it is known only from the notice of a later "
                    "amendment or renewal"]
    opened = json.loads((out / "contracts.json").read_text())
    assert opened["counts"] == {"notices": 3, "posted_complete": 2, "posted_incomplete": 0, "not_posted": 1}
    by_slug = {n["slug"]: n for n in opened["notices"]}
    assert by_slug["imagine-learning"]["known_from"] == "imagine-learning-amendment-2"
    assert by_slug["acme-learning"]["known_from"] is None


def test_known_from_must_name_a_published_notice(content):
    content.write("contracts/imagine-learning.md",
                  "---\nvendor: Imagine Learning\nincomplete: true\nknown_from: imagine-learning-amendmnt-2\n---\n")
    content.contract("imagine-learning-amendment-2", AMENDMENT)
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache")
    assert result.code == 1
    line = next(line for line in result.lines if line.endswith("[NB210]"))
    assert "imagine-learning.md:4: error: known_from:" in line
    assert "did you mean 'imagine-learning-amendment-2'" in line


def test_the_example_home_page_counts_what_the_district_posted(example_site):
    items = [" ".join(li.get_text().split()) for li in page(example_site, "index.html").select("ul.notice-counts li")]
    data = json.loads((example_site / "contracts.json").read_text())
    counts = data["counts"]
    assert counts["notices"] == len(data["notices"])
    assert counts["posted_complete"] + counts["posted_incomplete"] + counts["not_posted"] == counts["notices"]
    assert counts["not_posted"] == 6
    assert items[-1].startswith("6 of which the district has posted no notice")
    assert not any("posted a notice: 40" in item for item in items)


# --- build reports what check reports -------------------------------------------------------------

def summary_counts(text: str) -> tuple[str, str]:
    found = re.search(r"(\d+) errors?, (\d+) warnings?", text)
    return found.groups()


def test_build_and_check_report_the_same_warnings(tmp_path, monkeypatch):
    import shutil
    from conftest import EXAMPLE_CONTENT
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    checked = run("check", "--today", TODAY, "--no-cache")
    built = run("build", "--today", TODAY, "--no-cache", "--out", "site")
    assert built.code == 0, built.err
    assert summary_counts(checked.err) == summary_counts(built.out)
    assert int(summary_counts(built.out)[1]) > 0
    warnings = sorted(line for line in checked.lines if ": warning: " in line)
    assert sorted(line for line in built.lines if ": warning: " in line) == warnings


# --- settings that lead nowhere -------------------------------------------------------------------

@pytest.mark.parametrize("setting, line, field", [
    ("base_url: https://notices.example.org/\ncontact:\n  email: privacy@district.test\n", 3, "base_url"),
    ("base_url: https://www.Example.COM/\ncontact:\n  email: privacy@district.test\n", 3, "base_url"),
    ("base_url: https://notices.district.test/\ncontact:\n  email: dataprivacy@mail.example.net\n", 5,
     "contact.email"),
])
def test_an_example_domain_in_the_settings_is_a_warning(content, setting, line, field):
    content.write("site.yml", "title: Notices\ndistrict: Test District\n" + setting + "languages: [en, es]\n")
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache", "--strict")
    assert result.code == 1
    found = warning_lines(result, codes.EXAMPLE_ADDRESS)
    assert len(found) == 1 and f"site.yml:{line}: warning: {field}:" in found[0], result.err
    assert "reserved for examples" in found[0]


def test_no_contact_is_a_warning_and_no_ask_link_appears(content):
    content.write("site.yml", "title: Notices\ndistrict: Test District\nbase_url: https://notices.district.test/\n"
                              "languages: [en, es]\n")
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache", "--strict")
    assert result.code == 1
    found = warning_lines(result, codes.NO_CONTACT)
    assert len(found) == 1 and "site.yml:1: warning: contact:" in found[0], result.err
    built, out = build("--no-cache"), Path("site")
    assert built.code == 0 and warning_lines(built, codes.NO_CONTACT)
    notice = soup(out / "contracts" / "acme-learning" / "index.html")
    assert notice.find("main") is not None and not notice.select('a[href^="mailto:"]')


def test_real_settings_have_no_placeholder_warning(content):
    result = run("check", "--content", str(content.root), "--today", TODAY, "--no-cache")
    assert not warning_lines(result, codes.EXAMPLE_ADDRESS) and not warning_lines(result, codes.NO_CONTACT)


# --- words that read as sentences -----------------------------------------------------------------

def test_an_undated_notice_reads_as_a_sentence_in_both_languages(content):
    content.contract("undated", "vendor: Undated Co\nincomplete: true\n", body="")
    result, out = build("--no-cache"), Path("site")
    assert result.code == 0, result.err
    english = page(out, "contracts/undated/index.html").select_one(".summary-line").get_text(" ", strip=True)
    spanish = page(out, "es/contracts/undated/index.html").select_one(".summary-line").get_text(" ", strip=True)
    assert "Signing date not yet posted" in english and "Signed date" not in english
    assert "Fecha de firma aún no publicada" in spanish and "Firmado el fecha" not in spanish
    listed = main_text(out, "es/vendors/undated-co/index.html")
    assert "Firmado el fecha" not in listed and "Fecha de firma aún no publicada" in listed


# Spanish nouns of the interface whose gender an article before them must agree with.
FEMININE = ("fecha", "empresa", "lista", "información", "enmienda", "renovación", "escuela", "política", "ley")
MASCULINE = ("contrato", "aviso", "distrito", "documento", "acuerdo", "dato", "producto", "servicio")
DISAGREEING = re.compile(r"\b(?:(?:el|del|al|un|este|ese|ningún)\s+(?:" + "|".join(FEMININE) + r")"
                         r"|(?:la|una|esta|esa|ninguna)\s+(?:" + "|".join(MASCULINE) + r"))\b", re.IGNORECASE)


def test_no_spanish_article_disagrees_with_its_noun(example_site):
    """ "el fecha", "la contrato": an article that a Spanish reader sees as wrong, on any Spanish page. """
    found = {}
    for path in sorted((example_site / "es").rglob("*.html")):
        text = " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib").get_text(" ").split())
        for match in DISAGREEING.finditer(text):
            found.setdefault(match.group(0).lower(), str(path.relative_to(example_site)))
    assert not found, found


def test_the_pattern_finds_what_it_is_for():
    assert DISAGREEING.search("Firmado el fecha aún no publicada")
    assert DISAGREEING.search("la contrato")
    assert not DISAGREEING.search("Firmado el 4 de noviembre; la fecha de firma")
