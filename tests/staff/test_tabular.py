"""The one CSV / XLSX table download every app's export goes through."""

import csv
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.http import Http404
from openpyxl import load_workbook

from staff.tabular import Table, table_response

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
