"""What counts as the same name (``noticeboard/names.py``): one rule for grouping companies and
schools, for the typo warning of ``check``, for page addresses and for the letters A–Z."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY, run
from noticeboard.names import group_names, initial, name_key, slugify


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
