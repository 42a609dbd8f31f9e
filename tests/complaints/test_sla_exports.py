"""The SLA view's CSV and XLSX exports: every group, the total, Chinese headers."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.complaints.factories import sla_tickets


def test_csv_export_has_a_bom_and_chinese_headers(world, login):
    sla_tickets(world)
    response = login(world.director).get(
        reverse("complaints:sla_export", kwargs={"fmt": "csv"}) + "?dims=department&dims=owner"
    )
    this_month = timezone.localdate().replace(day=1)
    year_before = this_month.replace(year=this_month.year - 1)
    assert response["Content-Disposition"] == (
        f'attachment; filename="sla-{year_before:%Y%m}-{this_month:%Y%m}.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *groups, total = text.lstrip("\ufeff").splitlines()
    assert header == (
        "部门,首问负责人,登记数,应响应数,按时响应数,响应及时率%,应反馈数,按时反馈数,反馈及时率%,"
        "日历缺失,已答复,已回访,回访率%,满意,基本满意,不满意,无法联系,满意率%"
    )
    # Where NULL sorts differs between the databases: compare the groups as a set.
    assert set(groups) == {
        "（无）,cashier2姓名,2,1,1,100.0,0,0,,0,1,1,100.0,0,0,1,0,0.0",
        "（无）,cashier姓名,1,1,0,0.0,0,0,,0,0,0,,0,0,0,0,",
        "维修处,cashier姓名,2,2,2,100.0,2,1,50.0,0,1,1,100.0,1,0,0,0,100.0",
    }
    assert total == "合计,,5,4,3,75.0,2,1,50.0,0,2,2,100.0,1,0,1,0,50.0"


def test_xlsx_export_opens(world, login):
    sla_tickets(world)
    response = login(world.director).get(
        reverse("complaints:sla_export", kwargs={"fmt": "xlsx"}) + "?dims=month"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "月"
    assert rows[-1][0] == "合计"
    assert rows[-1][1] == 5


def test_unknown_export_format_is_404(world, login):
    url = reverse("complaints:sla_export", kwargs={"fmt": "pdf"})
    assert login(world.director).get(url).status_code == 404
