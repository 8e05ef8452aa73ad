"""Words and cuts (issue 18, items 5 and 8): what staff typed and YAML or check read otherwise.

1. A value that YAML cuts at ' #' (``title: Imagine Learning Amend #2`` is read as "Imagine Learning
   Amend") is a warning on its line, NB022, that says what was read and how to quote it; a comment
   written on purpose (``# note`` after two spaces, ``# `` followed by a space, after a date) is not.
2. "Did you mean" for an unknown data element matches keys, labels in every language and
   ``aliases``, with case, accents, punctuation and plurals folded, and never guesses from a word
   that many elements share.
3. A date in a form like ``June 14, 2021`` or ``2021-06-14T05:00:00`` gets the ISO suggestion; a
   datetime is never taken for a date.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from conftest import CONTRACT_MD, DATA_ELEMENTS_YML, EXAMPLE_CONTENT, SITE_YML, TODAY, diagnose, run
from noticeboard import codes
from noticeboard.diagnostics import Report
from noticeboard.load.reader import Source
from noticeboard.load.schema import ContractFields, validate

C = "content/contracts/acme-learning.md"


def check(*options: str):
    return run("check", "--content", "content", "--today", TODAY, *options)


def cut_lines(result) -> list[str]:
    return [line for line in result.lines if line.endswith("[NB022]")]


# --- 1. the ' #' cut --------------------------------------------------------------------------------

def test_a_title_cut_at_hash_is_a_warning_on_its_line_that_says_to_quote_it(content):
    content.contract("imagine-learning-amendment-2", """\
        vendor: Imagine Learning
        title: Imagine Learning Amend #2
        contract_date: 2025-01-21          # the date the contract was signed
        posted: 2025-01-24 # a note after one space, and a space after the '#'
        expires: 2026-06-30 #the end of the school year
        grades: 9-12  #high school
        kind: contract #
        student_data: [student_name]
        """)
    expected = ["content/contracts/imagine-learning-amendment-2.md:3: warning: title: read as 'Imagine Learning "
                "Amend': YAML took ' #2' for a comment; put the value in quotes: "
                "title: \"Imagine Learning Amend #2\" [NB022]"]
    result = check()
    assert result.code == 0, result.err
    assert cut_lines(result) == expected, result.err
    assert cut_lines(check()) == expected  # the next run, from the build cache, says it again
    assert check("--strict").code == 1


@pytest.mark.parametrize("relative, text, line, field, message", [
    ("contracts/wilby.md", "---\nvendor: Post University\nschools:\n  - Wilby High #1\n  - Crosby\n"
     "contract_date: 2025-01-21\nstudent_data: []\n---\nText.\n", 4, "schools[1]",
     "read as 'Wilby High': YAML took ' #1' for a comment; put the value in quotes: - \"Wilby High #1\""),
    ("contracts/flow.md", "---\nvendor: Post University\nschools: [Crosby,\n  Wilby High #1\n  ]\n"
     "contract_date: 2025-01-21\nstudent_data: []\n---\nText.\n", 4, "schools[2]",
     "read as 'Wilby High': YAML took ' #1' for a comment; put the value in quotes: - \"Wilby High #1\""),
    ("policies/5125.md", '---\nnumber: "5125"\ntitle: Student Records #2 \\ "Confidentiality"\n---\nText.\n',
     3, "title", "read as 'Student Records': YAML took ' #2 \\ \"Confidentiality\"' for a comment; put the value "
     "in quotes: title: \"Student Records #2 \\\\ \\\"Confidentiality\\\"\""),
    ("pages/faq.md", "---\ntitle: Questions #1\n---\nText.\n", 2, "title",
     "read as 'Questions': YAML took ' #1' for a comment; put the value in quotes: title: \"Questions #1\""),
    ("breaches/acme-2025.md", "---\nvendor: Acme Learning #2\nreported: 2025-07-03\nposted: 2025-07-03\n"
     "student_data: [student_name]\n---\nText.\n", 2, "vendor",
     "read as 'Acme Learning': YAML took ' #2' for a comment; put the value in quotes: "
     "vendor: \"Acme Learning #2\""),
    ("site.yml", SITE_YML.replace("district: Test District", "district: Regional District #16"), 2, "district",
     "read as 'Regional District': YAML took ' #16' for a comment; put the value in quotes: "
     "district: \"Regional District #16\""),
    ("data-elements.yml", DATA_ELEMENTS_YML.replace("label: Grade level", "label: Grade level #K-12"), 10,
     "grade_level.label", "read as 'Grade level': YAML took ' #K-12' for a comment; put the value in quotes: "
                          "label: \"Grade level #K-12\""),
])
def test_every_kind_of_file_reports_the_cut_on_the_line_of_the_value(content, relative, text, line, field, message):
    content.write(relative, text)
    shown = "content/" + relative
    assert cut_lines(check()) == [f"{shown}:{line}: warning: {field}: {message} [NB022]"]


def test_a_value_cut_to_nothing_says_it_was_read_as_empty(content):
    content.contract("tutors", "vendor: #1 Tutors\ncontract_date: 2025-01-21\nposted: 2025-01-24\n"
                               "student_data: [student_name]\n")
    result = check()
    assert result.code == 1  # and so the vendor is missing
    assert cut_lines(result) == [
        "content/contracts/tutors.md:2: warning: vendor: read as empty: YAML took ' #1 Tutors' for a comment; "
        "put the value in quotes: vendor: \"#1 Tutors\" [NB022]"]


def test_a_list_on_one_line_cut_by_a_comment_says_why_it_is_unclosed(content):
    content.contract("wilby", "vendor: Post University\nschools: [Wilby High #1, Crosby]\n")
    result = check()
    assert result.code == 1
    [line] = [line for line in result.lines if line.startswith("content/contracts/wilby.md")]
    assert line.startswith("content/contracts/wilby.md:")
    assert "YAML took ' #1, Crosby]' for a comment, which ends the line: put an item that holds ' #' in quotes" in line
    assert line.endswith("[NB008]")


def test_the_records_that_new_writes_and_the_example_content_have_no_cut(content):
    """`new`'s templates write comments after many spaces; the example content quotes its '#' names.
    The one cut added below is the only warning."""
    assert run("new", "contract", "zeta", "--content", "content", "--vendor", "Zeta #1 Learning",
               "--today", TODAY).code == 0
    assert run("new", "breach", "zeta-2026", "--content", "content", "--vendor", "Zeta #1 Learning",
               "--today", TODAY).code == 0
    assert run("new", "policy", "5126", "--content", "content", "--title", "Records #2", "--today", TODAY).code == 0
    record = content.root / "contracts" / "zeta.md"
    record.write_text(record.read_text(encoding="utf-8").replace("---\n", "---\ngrades: K-5 #2\n", 1),
                      encoding="utf-8")
    assert cut_lines(check()) == [
        "content/contracts/zeta.md:2: warning: grades: read as 'K-5': YAML took ' #2' for a comment; "
        "put the value in quotes: grades: \"K-5 #2\" [NB022]"]
    assert codes.VALUE_CUT_BY_COMMENT not in diagnose("check", EXAMPLE_CONTENT).codes()


# --- 2. "did you mean" with labels and aliases -------------------------------------------------------

def unknown_data_lines(result) -> list[str]:
    return [line for line in result.lines if line.endswith("[NB104]")]


def test_an_unknown_data_element_is_matched_with_labels_and_aliases_of_the_shipped_vocabulary(content):
    content.remove("data-elements.yml")  # the shipped vocabulary, in English and Spanish as site.yml says
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace(
        "student_data: [student_name, grade_level]",
        "student_data: [Addresses, IEP, PEI, Fecha de nacimiento, grade_levl, Social Security Numbers, student]"))
    result = check()
    assert result.code == 1
    prefix = f"{C}:5: error: student_data: "
    suffix = " is not a data element of data-elements.yml"
    assert unknown_data_lines(result) == sorted([
        f"{prefix}'Addresses'{suffix}; did you mean 'student_address' (Student address)? [NB104]",
        f"{prefix}'IEP'{suffix}; did you mean 'special_education' (Specialized education services (IEP or 504))? "
        "[NB104]",
        f"{prefix}'PEI'{suffix}; did you mean 'special_education' (Specialized education services (IEP or 504))? "
        "[NB104]",
        f"{prefix}'Fecha de nacimiento'{suffix}; did you mean 'date_of_birth' (Date of birth)? [NB104]",
        f"{prefix}'grade_levl'{suffix}; did you mean 'grade_level'? [NB104]",
        f"{prefix}'Social Security Numbers'{suffix}; did you mean 'social_security_number'? [NB104]",
        f"{prefix}'student'{suffix} [NB104]",  # a word of many elements: no guess
    ])


ADDRESSES_YML = DATA_ELEMENTS_YML + """\
ip_addresses:
  label: IP addresses
  category: Application Technology Meta Data
  description: The network address of the student's device.
parent_address:
  label: {en: Parent or guardian address, es: Dirección del padre o tutor}
  category: Parent/Guardian Contact Information
  description: The parent's home address.
special_education:
  label: {en: Specialized education services, es: Servicios de educación especializada}
  category: Special Indicator
  description: Whether the student has an IEP or a 504 plan.
  aliases: {en: [IEP, 504 plan], es: [PEI]}
"""


def test_aliases_of_a_district_vocabulary_are_matched_and_a_word_of_several_names_names_them_all(content):
    content.write("data-elements.yml", ADDRESSES_YML)
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace(
        "student_data: [student_name, grade_level]",
        "student_data: [Addresses, IEPs, 504 Plans, pei, Dirección del padre]"))
    result = check()
    assert result.code == 1
    prefix = f"{C}:5: error: student_data: "
    suffix = " is not a data element of data-elements.yml; did you mean"
    special = "'special_education' (Specialized education services)? [NB104]"
    assert unknown_data_lines(result) == sorted([
        f"{prefix}'Addresses'{suffix} 'ip_addresses' (IP addresses) or 'parent_address' (Parent or guardian "
        "address)? [NB104]",
        f"{prefix}'IEPs'{suffix} {special}",
        f"{prefix}'504 Plans'{suffix} {special}",
        f"{prefix}'pei'{suffix} {special}",
        f"{prefix}'Dirección del padre'{suffix} 'parent_address' (Parent or guardian address)? [NB104]",
    ])


def test_aliases_are_a_list_or_a_list_by_language(content):
    content.write("data-elements.yml", ADDRESSES_YML)
    assert check().code == 0
    content.write("data-elements.yml", ADDRESSES_YML.replace("aliases: {en: [IEP, 504 plan], es: [PEI]}",
                                                             "aliases: [IEP, 504 plan]"))
    assert check().code == 0
    content.write("data-elements.yml", ADDRESSES_YML.replace("aliases: {en: [IEP, 504 plan], es: [PEI]}",
                                                             "aliases: IEP"))
    result = check()
    assert result.code == 1
    assert "content/data-elements.yml:25: error: special_education.aliases: expected a list, e.g. [first, second], " \
           "found 'IEP' [NB110]" in result.lines, result.err


# --- 3. dates written another way ---------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "June 14, 2021", "Jun 14 2021", "14 June 2021", "Monday, June 14, 2021", "14-Jun-2021",
    "14 de junio de 2021", "2021-06-14T05:00:00", "2021-06-14T05:00:00Z", "2021-06-14T05:00:00-04:00",
    "2021-06-14 05:00:00", "June 14, 2021 at 5:00:00 AM", "6/14/2021 5:00 PM",
])
def test_a_date_written_another_way_gets_the_iso_suggestion(content, written):
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace("posted: 2025-01-24", f"posted: {written}"))
    result = check()
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line] == [
        f"{C}:4: error: posted: found '{written}', expected a date written YYYY-MM-DD, e.g. 2025-01-21 "
        "(did you mean 2021-06-14?) [NB105]"]


@pytest.mark.parametrize("written", ["June 31, 2021", "Juin 14, 2021", "2021-02-30T05:00:00", "14 June 0021"])
def test_a_date_that_names_no_day_gets_no_suggestion(content, written):
    content.write("contracts/acme-learning.md", CONTRACT_MD.replace(
        "posted: 2025-01-24", f"posted: June 24, 2025\nexpires: {written}"))
    result = check()
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line] == [
        f"{C}:4: error: posted: found 'June 24, 2025', expected a date written YYYY-MM-DD, e.g. 2025-01-21 "
        "(did you mean 2025-06-24?) [NB105]",
        f"{C}:5: error: expires: found '{written}', expected a date written YYYY-MM-DD, e.g. 2025-01-21 [NB105]"]


def test_a_datetime_is_not_taken_for_a_date():
    """A date and a time of day (which YAML 1.1 would make of 2021-06-14T05:00:00) is an error, not the day."""
    report = Report()
    source = Source(C, {}, lines={(): 1, ("vendor",): 2, ("posted",): 3})
    assert validate(ContractFields, source, report,
                    data={"vendor": "Acme", "posted": datetime(2021, 6, 14, 5)}) is None
    assert report.lines() == [
        f"{C}:3: error: posted: found '2021-06-14T05:00:00', expected a date written YYYY-MM-DD, e.g. 2025-01-21 "
        "(did you mean 2021-06-14?) [NB105]"]
