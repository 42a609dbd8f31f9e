"""The one CSV / XLSX table download every app's export goes through."""

import csv
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from staff.core.tabular import Table, table_response

TABLE = Table(
    title="扣款登记 2026",
    sheet="扣款",
    header=["姓名", "金额"],
    rows=[["张三", Decimal("200.00")], ["李四", None]],
    footer=[["制表人:王五"]],
)


def test_csv_has_a_bom_title_header_rows_and_footer():
    response = table_response("csv", "扣款登记 2026", TABLE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [
        ["扣款登记 2026"],
        ["姓名", "金额"],
        ["张三", "200.00"],
        ["李四", ""],
        ["制表人:王五"],
    ]


def test_chinese_filename_is_sent_the_way_browsers_read_it():
    disposition = table_response("xlsx", "扣款登记 2026", TABLE)["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "扣款登记 2026.xlsx"
    ascii_name = table_response("csv", "safety-2026", TABLE)["Content-Disposition"]
    assert ascii_name == 'attachment; filename="safety-2026.csv"'


def test_xlsx_has_one_sheet_per_table_and_money_keeps_two_places():
    second = Table(sheet="第二页", header=["比率"], rows=[[Decimal("99.5")]])
    book = load_workbook(io.BytesIO(table_response("xlsx", "x", TABLE, second).content))
    assert book.sheetnames == ["扣款", "第二页"]
    sheet = book["扣款"]
    assert [c.value for c in sheet[1]][0] == "扣款登记 2026"
    assert sheet["B3"].value == 200 and sheet["B3"].number_format == "0.00"
    assert book["第二页"]["A2"].number_format == "0.0"
    assert sheet.cell(row=sheet.max_row, column=1).value == "制表人:王五"


def test_unknown_format_is_not_found():
    with pytest.raises(Http404):
        table_response("pdf", "x", TABLE)


# --- formulas never reach a spreadsheet -----------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","点我")', "+SUM(1,2)", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_that_starts_a_formula_gets_a_quote(text):
    table = Table(title=text, header=[text], rows=[[text, Decimal("-3.50"), -2]], footer=[[text]])
    rows = _csv_rows(table_response("csv", "x", table))
    assert rows == [["'" + text], ["'" + text], ["'" + text, "-3.50", "-2"], ["'" + text]]


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_text_that_starts_a_formula_is_a_string_cell(text):
    table = Table(title=text, header=[text], rows=[[text, Decimal("-3.50"), -2]], footer=[[text]])
    sheet = load_workbook(io.BytesIO(table_response("xlsx", "x", table).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    read = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
    assert [(c.value, c.data_type) for c in cells] == [
        (read, "s"),
        (read, "s"),
        (read, "s"),
        (-3.5, "n"),
        (-2, "n"),
        (read, "s"),
    ]
    assert sheet["A3"].quotePrefix  # Excel keeps it text when the cell is edited


def test_xlsx_drops_characters_a_workbook_cannot_hold_instead_of_failing():
    table = Table(sheet="a/b:c?[d]*", header=["名\x00字"], rows=[["张\x01三", "#N/A"]])
    book = load_workbook(io.BytesIO(table_response("xlsx", "x", table).content))
    sheet = book.active
    assert book.sheetnames == ["a_b_c__d__"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("名字", "张三")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("#N/A", "s")


def test_a_streamed_csv_holds_the_same_text():
    table = Table(header=["户名"], rows=(row for row in [[HOSTILE[0]], ["张三"]]))
    response = table_response("csv", "x", table, stream=True)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["户名"], ["'" + HOSTILE[0]], ["张三"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=20),
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_text_reads_back_as_typed_and_money_as_a_number(text, amount):
    """Property: whatever the text, a spreadsheet reads it back as typed (CSV: after its
    quote); a sum of money stays a number with its two places."""
    table = Table(header=["文本", "金额"], rows=[[text, amount]])
    row = _csv_rows(table_response("csv", "x", table))[1]
    formula_like = text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert row == [("'" if formula_like else "") + text, str(amount)]
    sheet = load_workbook(io.BytesIO(table_response("xlsx", "x", table).content)).active
    money = sheet["B2"]
    assert money.data_type == "n" and Decimal(str(money.value)) == amount
    assert money.number_format == "0.00"
    assert sheet["A2"].data_type != "f"
