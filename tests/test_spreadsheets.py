"""Reading a district's table (CSV as programs save it, the first sheet of an .xlsx) and the dates of its list.

content-format.md v3, ``import``: CSV in UTF-8 or a common Windows encoding, or the first sheet of an ``.xlsx``;
real dates (``7/1/2017``, ``June 14, 2021``, ``2021-06-14T05:00:00``, spreadsheet date numbers).
"""
from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest

from noticeboard.tools.list_dates import ListDate, read_list_date
from noticeboard.tools.spreadsheets import Row, Table, TableUnreadable, read_table

JUNE_14 = datetime.date(2021, 6, 14)
NAMES_CSV = ('Vendor,Product,Date signed\n'
             '"Clever, Inc.",Imagine Learning Amend #2,6/14/2021\n'
             'Société Générale,Café ’Reader’,2021-06-14\n')
EXPECTED_ROWS = (Row(2, ("Clever, Inc.", "Imagine Learning Amend #2", "6/14/2021")),
                 Row(3, ("Société Générale", "Café ’Reader’", "2021-06-14")))


def written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- CSV -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoded", [
    NAMES_CSV.encode("utf-8"),
    b"\xef\xbb\xbf" + NAMES_CSV.encode("utf-8"),  # Excel's "CSV UTF-8"
    NAMES_CSV.replace("\n", "\r\n").encode("cp1252"),  # Excel's plain "CSV" on Windows
], ids=["utf-8", "utf-8 with BOM", "windows-1252"])
def test_every_encoding_reads_the_same_names_exactly(tmp_path, encoded):
    table = read_table(written(tmp_path, "list.csv", encoded))
    assert table == Table(("Vendor", "Product", "Date signed"), EXPECTED_ROWS)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_the_delimiter_is_found(tmp_path, delimiter):
    def line(*cells):
        return delimiter.join(f'"{cell}"' if any(c in cell for c in ",;") else cell for cell in cells) + "\n"
    text = (line("Vendor", "Product", "Date signed") + line("Clever, Inc.", "Imagine Learning Amend #2", "6/14/2021")
            + line("Société Générale", "Café ’Reader’", "2021-06-14"))
    table = read_table(written(tmp_path, "list.csv", text.encode("utf-8")))
    assert table.headings == ("Vendor", "Product", "Date signed")
    assert table.rows == EXPECTED_ROWS


def test_a_table_of_one_column_is_read(tmp_path):
    table = read_table(written(tmp_path, "list.csv", b"Vendor\nClever\n\nKahoot!\n"))
    assert table == Table(("Vendor",), (Row(2, ("Clever",)), Row(4, ("Kahoot!",))))


def test_quoted_cells_keep_commas_quotes_hashes_and_line_breaks(tmp_path):
    text = ('Vendor,Product,Data\n'
            '"Clever, Inc.","Amend #2 ""final""","Student Name, Photo,\nLunch balance"\n'
            'Zearn,,\n')
    table = read_table(written(tmp_path, "list.csv", text.encode("utf-8")))
    assert table.rows == (Row(2, ("Clever, Inc.", 'Amend #2 "final"', "Student Name, Photo,\nLunch balance")),
                          Row(3, ("Zearn", None, None)))


def test_empty_rows_are_left_out_and_short_rows_filled_with_none(tmp_path):
    text = "Vendor,Product,Date signed\n,,\nKahoot!\n  ,\t, \nZearn,Math\n"
    table = read_table(written(tmp_path, "list.csv", text.encode("utf-8")))
    assert table.rows == (Row(3, ("Kahoot!", None, None)), Row(5, ("Zearn", "Math", None)))


def test_a_tsv_file_is_read_with_tabs(tmp_path):
    table = read_table(written(tmp_path, "list.tsv", b"Vendor\tProduct\nClever, Inc.\tSSO\n"))
    assert table.rows == (Row(2, ("Clever, Inc.", "SSO")),)


# --- .xlsx -----------------------------------------------------------------------------------------------

def workbook(tmp_path: Path, rows: list[list], name: str = "list.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("Other").append(["Not", "read"])
    path = tmp_path / name
    book.save(path)
    return path


def test_an_xlsx_gives_date_cells_as_dates_numbers_as_numbers_and_leaves_empty_rows_out(tmp_path):
    path = workbook(tmp_path, [
        ["Vendor", "Product", "Date signed", "Cost"],
        ["Clever, Inc.", "Imagine Learning Amend #2", JUNE_14, 1200],
        [None, None, None, None],
        [],
        ["  Zearn ", None, datetime.datetime(2021, 6, 14, 5, 0), 12.5],
        ["Kahoot!", "", datetime.datetime(2021, 6, 14), None],
    ])
    table = read_table(path)
    assert table.headings == ("Vendor", "Product", "Date signed", "Cost")
    assert table.rows == (Row(2, ("Clever, Inc.", "Imagine Learning Amend #2", JUNE_14, 1200)),
                          Row(5, ("Zearn", None, datetime.datetime(2021, 6, 14, 5, 0), 12.5)),
                          Row(6, ("Kahoot!", None, JUNE_14, None)))
    assert read_list_date(table.rows[1].cells[2]) == ListDate(JUNE_14)


def test_the_heading_row_is_the_first_row_with_anything_in_it(tmp_path):
    table = read_table(workbook(tmp_path, [[], ["Vendor", "Product"], ["Clever", "SSO"]]))
    assert table == Table(("Vendor", "Product"), (Row(3, ("Clever", "SSO")),))


# --- what cannot be read ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, says", [
    ("list.csv", b"", "is empty"),
    ("list.csv", b",,\n\n , \n", "is empty"),
    ("list.csv", b"1,2,3\n4,5,6\n", "no heading row"),
    ("list.csv", "Vendor\nCaf\u00e9\n".encode("cp1252").replace(b"\xe9", b"\x81"), "neither UTF-8 nor Windows-1252"),
    ("list.csv", b"PK\x03\x04 a workbook", "name it .xlsx"),
    ("list.xls", b"\xd0\xcf\x11\xe0", "save it as an Excel workbook (.xlsx) or as CSV"),
    ("list.ods", b"PK\x03\x04", "save it as an Excel workbook (.xlsx) or as CSV"),
    ("list.pdf", b"%PDF-1.7", "not a spreadsheet"),
    ("list.xlsx", b"Vendor,Product\n", "not an Excel workbook"),
    ("list.xlsx", b"PK\x03\x04 broken", "not an Excel workbook that can be read"),
    ("list.xlsx", b"\xd0\xcf\x11\xe0", "save it as an Excel workbook (.xlsx) or as CSV"),
])
def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path, name, data, says):
    path = written(tmp_path, name, data)
    with pytest.raises(TableUnreadable) as raised:
        read_table(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert says in str(raised.value)


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(TableUnreadable, match="cannot be read"):
        read_table(tmp_path / "absent.csv")


def test_an_xlsx_with_a_number_heading_row_has_no_headings(tmp_path):
    with pytest.raises(TableUnreadable, match="no heading row"):
        read_table(workbook(tmp_path, [[1, JUNE_14], [2, JUNE_14]]))


# --- dates -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "2021-06-14", "2021-06-14T05:00:00", "2021-06-14T05:00:00Z", "2021-06-14 05:00:00", "2021-06-14T05:00:00-04:00",
    "6/14/2021", "6/14/21", "06/14/2021", "6-14-2021", "6/14/2021 5:00 PM",
    "June 14, 2021", "June 14, 2021 at 5:00:00 AM", "june 14 2021", "Jun 14 2021", "Jun. 14, 2021",
    "June 14th, 2021", "Monday, June 14, 2021", "14 June 2021", "14-Jun-21", "14-Jun-2021",
    "14 de junio de 2021", "14 de Junio de 2021", "lunes, 14 de junio de 2021",
    "14 junio 2021", " 2021-06-14 ",
    44361, 44361.25, "44361", "44361.5",
    JUNE_14, datetime.datetime(2021, 6, 14, 23, 59),
])
def test_every_form_of_a_real_list_gives_the_day(value):
    assert read_list_date(value) == ListDate(JUNE_14)


@pytest.mark.parametrize("text, day", [
    ("7/1/2017", datetime.date(2017, 7, 1)),
    ("1/7/2017", datetime.date(2017, 1, 7)),
    ("12/11/19", datetime.date(2019, 12, 11)),
])
def test_month_first_is_read_and_a_date_that_reads_both_ways_is_flagged(text, day):
    assert read_list_date(text) == ListDate(day, ambiguous=True)


@pytest.mark.parametrize("text, day", [
    ("7/7/2017", datetime.date(2017, 7, 7)),  # both readings are the same day
    ("6/14/2021", JUNE_14),  # 14 is no month
    ("14/6/2021", JUNE_14),  # day first is the only reading
])
def test_a_date_with_one_reading_is_not_flagged(text, day):
    assert read_list_date(text) == ListDate(day)


@pytest.mark.parametrize("text, day", [
    ("1 de enero de 2020", datetime.date(2020, 1, 1)),
    ("3 de febrero de 2020", datetime.date(2020, 2, 3)),
    ("9 de septiembre de 2022", datetime.date(2022, 9, 9)),
    ("9 de setiembre de 2022", datetime.date(2022, 9, 9)),
    ("31 de diciembre de 2019", datetime.date(2019, 12, 31)),
    ("sábado, 4 de abril de 2020", datetime.date(2020, 4, 4)),
    ("Sept 1, 2020", datetime.date(2020, 9, 1)),
])
def test_month_names_in_english_and_spanish(text, day):
    assert read_list_date(text) == ListDate(day)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_value_is_no_date_and_no_problem(value):
    assert read_list_date(value) == ListDate(None)


@pytest.mark.parametrize("value, says", [
    ("TBD", "'TBD' is not a date"),
    ("2021", "'2021' is not a date"),
    ("June 2021", "'June 2021' is not a date"),
    ("Juno 14, 2021", "'juno' is not a month"),
    ("2/30/2021", "'2/30/2021' is not a real date"),
    ("2021-13-01", "'2021-13-01' is not a real date"),
    ("6/14/2021 renewed", "'6/14/2021 renewed' is not a date"),
    ("12345", "'12345' is a number, not a date"),
    (2021, "'2021' is a number, not a date"),
    (123456, "'123456' is a number, not a date"),
    (True, "not a date"),
])
def test_what_is_not_a_date_is_a_problem_that_quotes_it(value, says):
    found = read_list_date(value)
    assert found.day is None and not found.ambiguous
    assert says in found.problem


def test_spreadsheet_date_numbers_count_from_excels_1900_epoch():
    assert read_list_date(43000).day == datetime.date(2017, 9, 22)
    assert read_list_date(45000).day == datetime.date(2023, 3, 15)
