"""The monthly summary of the cash ledgers and its downloads."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.models import CashLedger
from billing.services import ledger as ledger_services


def _ledger_of(cashier):
    return CashLedger.objects.get(cashier=cashier, business_date=timezone.localdate())


def _close_all(world, pay, account):
    for cashier in (world.cashier, world.cashier2):
        pay(account, "30.00", cashier=cashier)
        pay(account, "20.00", method="wechat", reference="W", cashier=cashier)
        ledger = ledger_services.ledger_submit(
            cashier=cashier,
            ledger=_ledger_of(cashier),
            counts={"100": 5, "10": 3},
            coins_total="0",
            no_deposit_reason="随次日资金入账",
        )
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_monthly_summary_exports_csv_with_bom_and_xlsx(world, login, pay, account):
    _close_all(world, pay, account)
    client = login(world.office)
    page = client.get(reverse("billing:ledger_monthly")).content.decode()
    assert "100.00" in page  # two cashiers, each 30 cash + 20 WeChat
    response = client.get(reverse("billing:ledger_monthly_export", kwargs={"fmt": "csv"}))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "cashier姓名" in body
    response = client.get(reverse("billing:ledger_monthly_export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 3 and rows[1][1] in ("cashier姓名", "cashier2姓名")


@pytest.mark.parametrize("persona", ["cashier", "shift_lead"])
def test_monthly_summary_is_scoped(world, login, pay, account, persona):
    pay(account, "30.00", cashier=world.cashier2)
    pay(account, "30.00", cashier=world.other_cashier)
    page = login(getattr(world, persona)).get(reverse("billing:ledger_monthly")).content.decode()
    assert "other_cashier姓名" not in page
    assert ("cashier2姓名" in page) == (persona == "shift_lead")


def test_monthly_summary_query_count_does_not_grow(
    world, login, pay, account, django_assert_max_num_queries
):
    _close_all(world, pay, account)
    pay(account, "30.00", cashier=world.other_cashier)
    client = login(world.director)
    url = reverse("billing:ledger_monthly")
    client.get(url)
    # Session, user, roles, employee, halls, three grouped reads, session save.
    with django_assert_max_num_queries(12):
        client.get(url)


def test_a_month_or_hall_that_does_not_parse_shows_this_month_of_every_hall(
    world, login, pay, account
):
    _close_all(world, pay, account)
    client = login(world.office)
    url = reverse("billing:ledger_monthly")

    for query in ({"month": "2026-13"}, {"month": "gestern"}, {"hall": "x"}, {"hall": "99999"}):
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert response.context["month"] == timezone.localdate().replace(day=1), query
        assert len(response.context["rows"]) == 2, query
        page = response.content.decode()
        assert f'value="{timezone.localdate():%Y-%m}"' in page, query


def test_the_monthly_summary_of_one_hall_or_another_month(world, login, pay, account):
    _close_all(world, pay, account)
    client = login(world.office)
    url = reverse("billing:ledger_monthly")

    other_hall = client.get(url, {"hall": world.hall_b.pk})
    last_year = client.get(url, {"month": f"{timezone.localdate().year - 1}-01"})

    assert other_hall.context["rows"] == []
    assert f'<option value="{world.hall_b.pk}" selected>' in other_hall.content.decode()
    assert last_year.context["rows"] == []
    assert f'value="{timezone.localdate().year - 1}-01"' in last_year.content.decode()
