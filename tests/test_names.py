"""What counts as the same name (``noticeboard/names.py``): companies (``vendor_key``: only case,
accents, spacing, hyphens and a trailing period or comma aside), schools and the typo warning of
``check`` (``name_key``: letters and digits), page addresses and the letters A–Z."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY, run
from noticeboard.names import addresses, group_names, initial, name_key, slugify, vendor_key


@pytest.mark.parametrize("first, second", [
    ("Acme Learning", "ACME learning!"),
    ("Acme Learning", "Acme-Learning"),
    ("TORSH", "Torsh"),
    ("Ørsted Schools", "Orsted schools"),
    ("Café Reading", "Cafe Reading"),
    ("Straße", "Strasse"),
])
def test_spellings_of_one_name_have_one_key(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize("first, second", [
    ("Acme Learning", "Acme Learning 2"),
    ("Franklin Cover", "Franklin Covey"),
    ("日本語", "中文"),  # no Latin letter: each name is its own key
])
def test_different_names_have_different_keys(first, second):
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize("first, second", [
    ("Acme Learning", "ACME learning"),
    ("Acme Learning", "Acme-Learning"),
    ("Acme Learning", "  Acme   Learning "),
    ("Acme Learning", "AcmeLearning"),  # spacing aside
    ("Acme Learning", "Acme – Learning"),  # a dash is a hyphen
    ("Acme Learning, Inc.", "Acme Learning, Inc"),
    ("Acme Learning", "Acme Learning,"),
    ("TORSH", "Torsh"),
    ("Ørsted Schools", "Orsted schools"),
    ("Café Reading", "Cafe Reading"),
    ("Straße", "Strasse"),
])
def test_spellings_of_one_company_have_one_vendor_key(first, second):
    assert vendor_key(first) == vendor_key(second)


@pytest.mark.parametrize("first, second", [
    ("C++ Academy", "C# Academy"),
    ("Prodigy+", "Prodigy"),
    ("AT&T", "ATT"),
    ("Acme Learning!", "Acme Learning"),
    ("St. Mary's", "St Mary's"),  # a period inside the name counts
    ("Acme Learning, Inc", "Acme Learning Inc"),
    ("C♯ Academy", "C Academy"),  # a sign outside ASCII counts too
    ("がっこう", "かっこう"),  # the marks of other scripts are letters, not accents
    ("日本語", "中文"),
])
def test_names_that_differ_in_another_character_are_two_companies(first, second):
    assert vendor_key(first) != vendor_key(second)


def test_names_that_are_two_companies_are_still_one_school_and_look_alike_to_check():
    """Schools, and the typo warning, compare letters and digits only."""
    assert name_key("C++ Academy") == name_key("C# Academy")
    assert name_key("St. Mary's") == name_key("St Marys")


def test_companies_alone_at_their_address_keep_the_address_of_their_name():
    spellings = group_names(["Acme Learning", "ACME learning", "Quill.org (Empirical Resolution)", "AT&T",
                             "PowerSchool/Naviance", "日本語"], key=vendor_key)
    assert addresses(spellings) == {key: slugify(name) for key, name in spellings.items()}


def test_companies_that_make_one_address_get_one_each():
    spellings = group_names(["C Academy", "C++ Academy", "C# Academy", "Prodigy+", "Prodigy", "Prodigy Plus",
                             "St. Mary's", "St Mary's"], key=vendor_key)
    slugs = {spellings[key]: slug for key, slug in addresses(spellings).items()}
    assert slugs["C Academy"] == "c-academy"  # the plain name keeps it
    assert slugs["C++ Academy"] == "c-plus-plus-academy" and slugs["C# Academy"] == "c-sharp-academy"
    assert slugs["Prodigy"] == "prodigy" and slugs["Prodigy Plus"] == "prodigy-plus"
    assert re.fullmatch(r"prodigy-plus-[0-9a-f]{8}", slugs["Prodigy+"])  # its spelled-out address is taken
    assert slugs["St Mary's"] == "st-mary-s" and re.fullmatch(r"st-mary-s-[0-9a-f]{8}", slugs["St. Mary's"])
    assert len(set(slugs.values())) == len(slugs)


company_names = st.lists(st.sampled_from(["C", "c", "+", "#", "&", ".", ",", " ", "-", "'", "é", "e", "ø", "日"]),
                         min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(company_names, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_two_companies_never_share_an_address_whatever_the_order(names, random):
    """Short names of signs and letters, to make many of them meet at one address."""
    spellings = group_names(names, key=vendor_key)
    slugs = addresses(spellings)
    assert set(slugs) == set(spellings)
    assert len(set(slugs.values())) == len(slugs), slugs
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs.values()), slugs
    shuffled = list(names)
    random.shuffle(shuffled)
    assert addresses(group_names(shuffled, key=vendor_key)) == slugs


@pytest.mark.parametrize("name, letter", [
    ("Acme", "A"), ("ørsted", "O"), ("Éclair", "E"), ("3M", "#"), ("日本語", "#"),
])
def test_initial(name, letter):
    assert initial(name) == letter


def test_the_spelling_shown_is_the_most_frequent_then_the_first():
    assert group_names(["ACME learning", "Acme Learning", "Acme Learning", "Beta"]) == {
        "acmelearning": "Acme Learning", "beta": "Beta"}
    assert group_names(["TORSH", "Torsh"]) == {"torsh": "TORSH"}


names = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(names)
def test_an_address_is_made_of_the_letters_and_digits_of_the_key(name):
    """So that two companies (two keys) never share an address."""
    slug = slugify(name)
    key = name_key(name)
    if re.search(r"[a-z0-9]", key) and len(key) <= 40:  # at most 79 characters with hyphens: not cut
        assert slug.replace("-", "") == key


def test_the_typo_warning_compares_the_names_that_the_site_groups(content):
    """Two names in other scripts are two companies on the site, and ``check`` does not call them
    alike (it used to compare them as two empty strings); two spellings of one name are one
    company, and ``check`` asks for one spelling."""
    for slug, vendor in [("a", "日本語"), ("b", "中文"), ("c", "Beta Reading"), ("d", "BETA reading")]:
        content.contract(slug, f"""\
            vendor: {vendor}
            contract_date: 2025-01-21
            posted: 2025-01-22
            student_data: []
            documents:
              - {{title: Contract, url: "https://example.org/{slug}.pdf"}}
            """)
    result = run("check", "--today", TODAY)
    alike = [line for line in result.lines if "looks like" in line]
    assert len(alike) == 1 and "'Beta Reading'" in alike[0] and "'BETA reading'" in alike[0], result.err
    assert run("build", "--out", "site", "--today", TODAY).code == 0
    vendors = BeautifulSoup(Path("site/vendors/index.html").read_bytes(), "html5lib").find("main")
    companies = [h3.get_text(strip=True) for h3 in vendors.find_all("h3")]
    assert sorted(companies) == sorted(["Acme Learning", "BETA reading", "中文", "日本語"])
