"""The director's overview as CSV and XLSX (safety/exports.py through staff.core.tabular)."""

import csv
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook


def test_overview_csv_has_a_bom_and_one_row_per_hall_and_month(world, client, year_data):
    client.force_login(world.director)
    response = client.get(reverse("safety:overview_export", args=["csv"]) + f"?year={year_data}")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "营业厅" and rows[0][2] == "报警演练"
    assert len(rows) == 1 + 2 * 12
    this_month = next(
        r
        for r in rows
        if r[0] == "龙泉" and r[1] == f"{year_data}-{timezone.localdate().month:02d}"
    )
    assert this_month[4] == "1"
    assert this_month[6] == "1"


def test_overview_xlsx_opens_with_both_sheets(world, client, year_data):
    client.force_login(world.director)
    response = client.get(reverse("safety:overview_export", args=["xlsx"]) + f"?year={year_data}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各厅逐月", "未结案事件"]
    assert book["未结案事件"].max_row == 2
