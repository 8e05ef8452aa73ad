"""``import``: a district's spreadsheet (CSV in UTF-8 or Windows-1252, .xlsx) → notices that check, nothing
overwritten."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from conftest import TODAY, front_matter, run
from noticeboard.reporter import ExitCode
from noticeboard.tools.init import init_site

HEADINGS = ["Company", "Date Signed", "Date Posted", "Expiration", "Student Data", "Purpose", "Schools", "Link"]
ROWS = [
    ["Imagine Learning Amend #2", "7/1/2017", "7/5/2017", "6/30/2027",
     "Student Name; Date of birth; Lunch balance; Favourite colour", "Reading lessons.", "State Street; Enlightenment",
     "https://www.example.com/imagine.pdf"],
    ["Clever, Inc.", "June 14, 2021 at 5:00:00 AM", "", "", "local_student_id", "Single sign-on.", "", ""],
    ["Franklin Covey", "2022-04-20", "", "", "", "", "", ""],
    ["", "1/1/2020", "", "", "", "A row without a company.", "", ""],
]


def csv_text() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([HEADINGS] + ROWS)
    return buffer.getvalue()


def new_site(tmp_path: Path) -> Path:
    init_site(tmp_path / "district", "Lincoln Public Schools", ["en", "es"], "CT", install="noticeboard==1.0.0")
    return tmp_path / "district" / "content"


def records(content: Path) -> dict[str, tuple[dict, str]]:
    return {path.stem: front_matter(path) for path in sorted((content / "contracts").glob("*.md"))
            if path.stem != "README"}


def imported_as_expected(content: Path, result) -> None:
    assert result.code == ExitCode.CONTENT, result.err  # the row without a company was not imported
    assert "Row 5 not imported: no vendor" in result.err
    found = records(content)
    imagine, body = found["imagine-learning-amend-2"]
    assert imagine["vendor"] == "Imagine Learning Amend #2"
    assert (imagine["contract_date"], imagine["posted"], imagine["expires"]) == (
        date(2017, 7, 1), date(2017, 7, 5), date(2027, 6, 30))
    assert imagine["student_data"] == ["student_name", "date_of_birth", "food_purchases"]  # by label, by alias
    assert imagine["student_data_notes"] == "Favourite colour"
    assert imagine["schools"] == ["State Street", "Enlightenment"]
    assert imagine["documents"] == [{"title": "Document", "url": "https://www.example.com/imagine.pdf"}]
    assert body.strip() == "Reading lessons." and "incomplete" not in imagine
    clever, _ = found["clever-inc"]
    assert clever["vendor"] == "Clever, Inc." and "product" not in clever
    assert clever["contract_date"] == date(2021, 6, 14) and clever["student_data"] == ["local_student_id"]  # by key
    covey, body = found["franklin-covey"]
    assert covey == {"vendor": "Franklin Covey", "contract_date": date(2022, 4, 20), "incomplete": True}
    assert "'Favourite colour' (row 2)" in result.err
    assert "row 2 of" in (content / "contracts" / "imagine-learning-amend-2.md").read_text(encoding="utf-8")
    checked = run("check", "--content", str(content), "--today", TODAY)
    assert checked.code == ExitCode.OK and ": error:" not in checked.err, checked.err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_csv_file_imports_into_notices_that_check(tmp_path, encoding):
    content = new_site(tmp_path)
    sheet = tmp_path / "list.csv"
    sheet.write_bytes(csv_text().replace("Purpose", "Propósito").encode(encoding))
    imported_as_expected(content, run("import", str(sheet), "--content", str(content)))


def test_an_xlsx_file_with_date_cells_imports(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    content = new_site(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    dates = [(datetime(2017, 7, 1), datetime(2017, 7, 5), date(2027, 6, 30)),
             (datetime(2021, 6, 14, 5), None, None), (datetime(2022, 4, 20), None, None),
             (date(2020, 1, 1), None, None)]
    for row, (signed, posted, expires) in zip(ROWS, dates):
        sheet.append([row[0] or None, signed, posted, expires] + [cell or None for cell in row[4:]])
    for cells in sheet.iter_rows(min_row=2, min_col=2, max_col=4):
        for cell in cells:
            cell.number_format = "m/d/yyyy"
    book.save(tmp_path / "list.xlsx")
    imported_as_expected(content, run("import", str(tmp_path / "list.xlsx"), "--content", str(content)))


def test_importing_twice_overwrites_nothing_and_an_existing_record_is_untouched(tmp_path):
    content = new_site(tmp_path)
    (content / "contracts" / "franklin-covey.md").write_text("---\nvendor: Franklin Covey\n", encoding="utf-8")
    before = (content / "contracts" / "franklin-covey.md").read_bytes()
    sheet = tmp_path / "list.csv"
    sheet.write_text(csv_text(), encoding="utf-8")
    first = run("import", str(sheet), "--content", str(content))
    assert first.code == ExitCode.CONTENT and "franklin-covey.md already exists" in first.err
    assert (content / "contracts" / "franklin-covey.md").read_bytes() == before
    written = {path: path.read_bytes() for path in (content / "contracts").glob("*.md")}
    second = run("import", str(sheet), "--content", str(content))
    assert second.code == ExitCode.CONTENT and "0 complete notices and 0 incomplete notices" in second.err
    assert {path: path.read_bytes() for path in (content / "contracts").glob("*.md")} == written


def test_dry_run_writes_nothing_and_prints_the_records(tmp_path):
    content = new_site(tmp_path)
    sheet = tmp_path / "list.csv"
    sheet.write_text(csv_text(), encoding="utf-8")
    before = sorted((content / "contracts").iterdir())
    result = run("import", str(sheet), "--content", str(content), "--dry-run")
    assert sorted((content / "contracts").iterdir()) == before
    assert "imagine-learning-amend-2.md" in result.out and "vendor: 'Imagine Learning Amend #2'" in result.out
    assert "nothing was written" in result.err


def test_map_names_columns_and_a_heading_the_sheet_lacks_is_bad_usage(tmp_path):
    content = new_site(tmp_path)
    sheet = tmp_path / "list.csv"
    sheet.write_text("Nombre comercial,Cuándo\nAcme Learning - Reader,3/15/2024\n", encoding="utf-8")
    mapping = tmp_path / "map.yml"
    mapping.write_text("vendor: Nombre comercial\ncontract_date: Cuándo\n", encoding="utf-8")
    result = run("import", str(sheet), "--content", str(content), "--map", str(mapping))
    assert result.code == ExitCode.OK, result.err
    acme, _ = records(content)["acme-learning-reader"]
    assert (acme["vendor"], acme["product"], acme["contract_date"]) == ("Acme Learning", "Reader", date(2024, 3, 15))
    mapping.write_text("vendor: Company Name\n", encoding="utf-8")
    bad = run("import", str(sheet), "--content", str(content), "--map", str(mapping))
    assert bad.code == ExitCode.USAGE and "no column 'Company Name'" in bad.err
    assert run("import", str(tmp_path / "absent.csv"), "--content", str(content)).code == ExitCode.USAGE


def test_rows_that_would_share_a_slug_get_distinct_ones(tmp_path):
    content = new_site(tmp_path)
    sheet = tmp_path / "list.csv"
    sheet.write_text("Vendor,Data\nAcme,none\nACME,none\n", encoding="utf-8")
    assert run("import", str(sheet), "--content", str(content)).code == ExitCode.OK
    assert {"acme", "acme-2"} <= set(records(content))


@pytest.mark.slow
def test_the_example_sites_csv_round_trips(tmp_path, example_site):
    """contracts.csv of the example, imported into a new site with the example's vocabulary, gives the same
    vendors, titles, dates and data. What cannot round-trip: documents (posted files become links, of type
    other) and translations."""
    content = new_site(tmp_path)
    example_vocabulary = Path(__file__).parent.parent / "content" / "data-elements.yml"
    if example_vocabulary.is_file():
        (content / "data-elements.yml").write_bytes(example_vocabulary.read_bytes())
    result = run("import", str(example_site / "contracts.csv"), "--content", str(content))
    assert result.code == ExitCode.OK, result.err
    checked = run("check", "--content", str(content), "--today", TODAY)
    assert ": error:" not in checked.err, checked.err
    exported = list(csv.DictReader(io.StringIO((example_site / "contracts.csv").read_text(encoding="utf-8-sig"))))

    def facts(vendor, title, contract_date, data):
        return vendor, title, str(contract_date or ""), None if data is None else frozenset(data)

    imported = {facts(fields["vendor"], fields.get("title"), fields.get("contract_date"),
                      fields.get("student_data")) for fields, _ in records(content).values()}
    published = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
                 for path in (Path(__file__).parent.parent / "content" / "contracts").glob("*.md")
                 if path.stem.count(".") == 0}
    expected = {facts(row["vendor"], row["title"], row["contract_date"],
                      published[row["slug"]].get("student_data") if row["slug"] in published else None)
                for row in exported}
    assert imported == expected
