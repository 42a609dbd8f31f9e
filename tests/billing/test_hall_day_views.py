"""The hall day pages (营业日): settlements, signature, the printable report and its downloads."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.models import CashLedger, HallDay
from billing.services import hall_day as hall_day_services
from billing.services import ledger as ledger_services


def _ledger_of(cashier):
    return CashLedger.objects.get(cashier=cashier, business_date=timezone.localdate())


def _day_url(name, world):
    return reverse(
        f"billing:{name}", kwargs={"hall": world.hall_a.pk, "day": timezone.localdate().isoformat()}
    )


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


def test_hall_day_page_flags_settlement_differences_and_is_signed(world, login, pay, account):
    _close_all(world, pay, account)
    client = login(world.shift_lead)
    response = client.post(
        _day_url("hall_day_settlement", world), {"method": "wechat", "amount": "39.00"}
    )
    assert response.status_code == 302
    page = client.get(_day_url("hall_day", world)).content.decode()
    assert 'data-testid="settlement-flag"' in page
    response = client.post(_day_url("hall_day_sign", world), {"note": ""})
    assert response.status_code == 400 and not HallDay.objects.get().is_signed
    client.post(_day_url("hall_day_sign", world), {"note": "微信差1元已查"})
    assert HallDay.objects.get().is_signed


def test_hall_day_query_count_does_not_grow_with_ledgers(
    world, login, pay, account, django_assert_max_num_queries
):
    _close_all(world, pay, account)
    hall_day_services.hall_day_settlement_set(
        lead=world.shift_lead,
        hall=world.hall_a,
        business_date=timezone.localdate(),
        method="wechat",
        amount="40.00",
    )
    client = login(world.shift_lead)
    client.get(_day_url("hall_day", world))
    # Session, user, roles, employee, hall, five for the hall day, history, session save.
    with django_assert_max_num_queries(15):
        client.get(_day_url("hall_day", world))
    with django_assert_max_num_queries(15):
        client.get(_day_url("hall_day_report", world))


def test_report_has_the_three_signature_lines(world, login, pay, account):
    _close_all(world, pay, account)
    page = login(world.director).get(_day_url("hall_day_report", world)).content.decode()
    for word in ("收费员", "班长", "陪同人"):
        assert word in page


def test_hall_day_exports_csv_with_bom_and_xlsx(world, login, pay, account):
    _close_all(world, pay, account)
    client = login(world.shift_lead)
    kwargs = {"hall": world.hall_a.pk, "day": timezone.localdate().isoformat()}
    response = client.get(reverse("billing:hall_day_export", kwargs={**kwargs, "fmt": "csv"}))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "cashier2姓名" in body and "已核对" in body
    response = client.get(reverse("billing:hall_day_export", kwargs={**kwargs, "fmt": "xlsx"}))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 3 and rows[1][4] == 30
