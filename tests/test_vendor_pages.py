"""One page per company name (content format v3, "Vendors whose names…"), read from built pages.

Names that fold to the same text (case, accents, spacing, hyphens and a trailing period or comma
aside) are one company on one page; names that differ in any other character ("C++ Academy" and
"C# Academy") have a page each, at an address of their own that does not depend on the order of
the files, and a company that no other name meets keeps the address it always had.
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from conftest import build_site, diagnose, soup, text
from noticeboard.codes import VENDOR_SPELLING


def write_contract(content, slug: str, vendor: str, signed: str = "2025-01-21") -> None:
    content.contract(slug, f"""\
        vendor: {json.dumps(vendor, ensure_ascii=False)}
        contract_date: {signed}
        posted: {signed}
        student_data: [student_name]
        documents:
          - {{title: Signed contract, url: "https://example.org/{slug}.pdf"}}
        """)


def main_of(out: Path, page: str):
    return soup(out / page).find("main")


def resolve(page: str, href: str) -> str:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(href.split("#")[0])))
    return target + "/index.html" if "." not in posixpath.basename(target) else target


def vendor_addresses(out: Path) -> dict[str, str]:
    """Each company of "Companies A–Z" → the page its name links to; a name listed twice fails."""
    page = "vendors/index.html"
    found: dict[str, str] = {}
    for heading in main_of(out, page).find_all("h3"):
        name = text(heading)
        assert name not in found, f"{name!r} is listed twice"
        found[name] = resolve(page, heading.find("a")["href"])
    return found


def company_of(out: Path, notice: str) -> str:
    """The company page that a notice's "Company" fact links to."""
    page = f"contracts/{notice}/index.html"
    term = main_of(out, page).find("dt", string=re.compile("Company"))
    return resolve(page, term.find_next_sibling("dd").find("a")["href"])


def notices_on(out: Path, vendor_page: str) -> set[str]:
    """The notices that a company page lists."""
    return {match.group(1) for a in main_of(out, vendor_page).find_all("a", href=True)
            if (match := re.fullmatch(r"contracts/([^/]+)/index\.html", resolve(vendor_page, a["href"])))}


SIGNED_NAMES = {  # file → vendor: names that differ only in signs and punctuation
    "cpp": "C++ Academy", "csharp": "C# Academy",
    "prodigy-plus": "Prodigy+", "prodigy": "Prodigy",
    "att-sign": "AT&T", "att": "ATT",
}


def test_names_that_differ_in_a_sign_have_a_page_each_with_their_own_name(content):
    for slug, vendor in SIGNED_NAMES.items():
        write_contract(content, slug, vendor)
    out = build_site()
    addresses = vendor_addresses(out)
    assert addresses == {
        "Acme Learning": "vendors/acme-learning/index.html",
        "C++ Academy": "vendors/c-plus-plus-academy/index.html",
        "C# Academy": "vendors/c-sharp-academy/index.html",
        "Prodigy": "vendors/prodigy/index.html",  # the plain name keeps the address it makes
        "Prodigy+": "vendors/prodigy-plus/index.html",
        "AT&T": "vendors/at-t/index.html",  # no other name makes "at-t": its address is unchanged
        "ATT": "vendors/att/index.html",
    }
    for slug, vendor in SIGNED_NAMES.items():
        page = addresses[vendor]
        assert company_of(out, slug) == page
        assert text(main_of(out, page).find("h1")) == vendor
        assert notices_on(out, page) == {slug}
    spanish = BeautifulSoup((out / "es/vendors/c-sharp-academy/index.html").read_bytes(), "html5lib")
    assert text(spanish.find("main").find("h1")) == "C# Academy"


def test_spellings_of_one_name_are_one_company_on_one_page(content):
    """Case, spaces, hyphens, accents and a trailing period or comma aside; the most frequent spelling is shown."""
    spellings = {
        "acme-2": "Acme Learning", "acme-3": "Acme Learning",  # with the fixture's, the usual spelling
        "acme-caps": "ACME learning", "acme-spaces": "Acme  Learning.", "acme-hyphen": "Acme-Learning",
        "zeta-1": "Zeta Reading, Inc.", "zeta-2": "Zeta Reading, Inc", "zeta-3": "zeta reading, inc.",
        "orsted-1": "Ørsted Schools", "orsted-2": "Orsted Schools",
    }
    for slug, vendor in spellings.items():
        write_contract(content, slug, vendor)
    out = build_site()
    addresses = vendor_addresses(out)
    acme, zeta, orsted = ("vendors/acme-learning/index.html", "vendors/zeta-reading-inc/index.html",
                          "vendors/orsted-schools/index.html")
    # one spelling each, the most frequent, else the first in code-point order: never the order of the files
    assert addresses == {"Acme Learning": acme, "Zeta Reading, Inc": zeta, "Orsted Schools": orsted}
    assert text(main_of(out, acme).find("h1")) == "Acme Learning"
    assert notices_on(out, acme) == {"acme-learning", "acme-2", "acme-3", "acme-caps", "acme-spaces", "acme-hyphen"}
    assert notices_on(out, zeta) == {"zeta-1", "zeta-2", "zeta-3"}
    assert notices_on(out, orsted) == {"orsted-1", "orsted-2"}
    for slug in spellings:
        assert company_of(out, slug) == {"a": acme, "z": zeta, "o": orsted}[slug[0]]


def test_names_that_differ_inside_by_a_period_or_comma_are_two_companies(content):
    """Only a trailing period or comma is aside: "St. Mary's" and "St Mary's" make one address and
    get two, the plainer name keeping it."""
    write_contract(content, "st-marys-1", "St. Mary's Hospital")
    write_contract(content, "st-marys-2", "St Mary's Hospital")
    out = build_site()
    addresses = vendor_addresses(out)
    assert addresses["St Mary's Hospital"] == "vendors/st-mary-s-hospital/index.html"
    other = addresses["St. Mary's Hospital"]
    assert re.fullmatch(r"vendors/st-mary-s-hospital-[0-9a-f]{8}/index\.html", other), other
    assert notices_on(out, other) == {"st-marys-1"} and company_of(out, "st-marys-1") == other


def test_addresses_do_not_depend_on_the_order_of_the_files(content):
    names = ["C++ Academy", "C# Academy", "C♯ Academy", "Prodigy+", "Prodigy Plus", "St. Mary's", "St Mary's",
             "A & B", "A and B"]
    seen = []
    for round_, order in enumerate([names, names[::-1], names[1::2] + names[::2]]):
        for index, vendor in enumerate(order):
            write_contract(content, f"n{index:02d}", vendor)
        out = build_site(out=f"site-{round_}")
        addresses = vendor_addresses(out)
        assert set(addresses) == set(names) | {"Acme Learning"}
        assert len(set(addresses.values())) == len(addresses), addresses  # two companies never share a page
        for index, vendor in enumerate(order):
            assert company_of(out, f"n{index:02d}") == addresses[vendor]
            assert text(main_of(out, addresses[vendor]).find("h1")) == vendor
        seen.append(addresses)
    assert seen[0] == seen[1] == seen[2]
    addresses = seen[0]
    assert addresses["C++ Academy"] == "vendors/c-plus-plus-academy/index.html"
    assert addresses["Prodigy Plus"] == "vendors/prodigy-plus/index.html"  # its own address, before any sign's
    assert addresses["A and B"] == "vendors/a-and-b/index.html"
    assert addresses["A & B"] == "vendors/a-b/index.html"  # no other name makes "a-b"
    assert addresses["Prodigy+"] == "vendors/prodigy/index.html"  # nor "prodigy"
    assert addresses["St Mary's"] == "vendors/st-mary-s/index.html"
    for vendor in ("C# Academy", "C♯ Academy", "St. Mary's"):  # a short hash of the name sets them apart
        assert re.fullmatch(r"vendors/[a-z0-9-]+-[0-9a-f]{8}/index\.html", addresses[vendor]), addresses


def test_a_company_keeps_its_address_when_a_name_like_it_comes(content):
    write_contract(content, "c-academy", "C Academy")
    before = vendor_addresses(build_site(out="before"))["C Academy"]
    assert before == "vendors/c-academy/index.html"
    write_contract(content, "cpp", "C++ Academy")
    write_contract(content, "csharp", "C# Academy")
    addresses = vendor_addresses(build_site(out="after"))
    assert addresses["C Academy"] == before
    assert addresses["C++ Academy"] == "vendors/c-plus-plus-academy/index.html"
    assert addresses["C# Academy"] == "vendors/c-sharp-academy/index.html"


def test_a_breach_notice_links_the_company_of_its_exact_name(content):
    write_contract(content, "cpp", "C++ Academy")
    write_contract(content, "csharp", "C# Academy")
    content.write("breaches/csharp-breach.md", """\
        ---
        vendor: "C# Academy"
        discovered: 2025-10-27
        reported: 2025-11-05
        posted: 2025-11-09
        students_affected: 12
        student_data: [student_name]
        ---
        A misconfigured server let people outside the company download a file of student accounts.
        """)
    out = build_site()
    page = "breaches/csharp-breach/index.html"
    vendor_links = {resolve(page, a["href"]) for a in main_of(out, page).find_all("a", href=True)
                    if "vendors/" in a["href"] and a["href"].rstrip("/").split("/")[-1] != "vendors"}
    assert vendor_links == {"vendors/c-sharp-academy/index.html"}
    assert main_of(out, "vendors/c-sharp-academy/index.html").find(id="breaches-heading") is not None
    assert main_of(out, "vendors/c-plus-plus-academy/index.html").find(id="breaches-heading") is None


def test_check_asks_whether_names_that_differ_only_in_signs_are_one_company(content):
    """They have a page each, and still look like a typo of each other (NB208)."""
    for slug, vendor in SIGNED_NAMES.items():
        write_contract(content, slug, vendor)
    write_contract(content, "zeta", "Zeta Reading")
    diagnosed = diagnose("check")
    warned = [(path, diagnosed.message(path, line, field, code))
              for path, line, field, code in diagnosed.warnings if code == VENDOR_SPELLING]
    pairs = sorted(tuple(sorted(re.findall(r"'([^']+)'", message))) for _, message in warned)
    assert pairs == [("AT&T", "ATT"), ("C# Academy", "C++ Academy"), ("Prodigy", "Prodigy+")], warned
