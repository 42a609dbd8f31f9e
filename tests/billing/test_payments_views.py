import csv
import datetime
import io
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.services import counter as counter_services
from billing.services import voids as void_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.ledger_factories import at

LIST = reverse("billing:payment_list")


def _post(cashier, amount="30.00", method="cash", reference="", now=None):
    account = account_with_bills("30.00")
    return counter_services.payment_post(
        cashier=cashier,
        account_id=account.pk,
        amount=Decimal(amount),
        method=method,
        tendered=Decimal(amount) if method == "cash" else None,
        reference=reference,
        now=now,
    ).payment


def _rows(response):
    return response.context["page"].object_list


def test_cashier_sees_only_own_payments_of_today(world, login, ranges):
    mine = _post(world.cashier)
    _post(world.cashier2)
    _post(world.other_cashier)
    _post(world.cashier, now=at(datetime.date(2026, 1, 5), 10))

    response = login(world.cashier).get(LIST)

    assert list(_rows(response)) == [mine]


def test_shift_lead_sees_the_halls_payments_for_a_day(world, login, ranges):
    a1, a2 = _post(world.cashier), _post(world.cashier2)
    _post(world.other_cashier)
    client = login(world.shift_lead)

    assert set(_rows(client.get(LIST))) == {a1, a2}
    by_cashier = client.get(LIST, {"cashier": world.cashier2.pk})
    assert list(_rows(by_cashier)) == [a2]


def test_director_and_office_see_all_halls_and_filter(world, login, ranges):
    _post(world.cashier)
    card = _post(world.other_cashier, method="bank_card", reference="T1")
    client = login(world.director)

    assert len(_rows(client.get(LIST))) == 2
    assert list(_rows(client.get(LIST, {"method": "bank_card"}))) == [card]
    assert list(_rows(client.get(LIST, {"hall": world.hall_b.pk}))) == [card]
    assert list(_rows(client.get(LIST, {"account": card.account.account_no}))) == [card]
    assert list(_rows(client.get(LIST, {"date_from": "2020-01-01", "date_to": "2020-01-02"}))) == []


def test_the_list_runs_a_fixed_number_of_queries(world, login, ranges):
    client = login(world.shift_lead)
    counts = []
    for _ in range(2):
        for _n in range(4):
            _post(world.cashier)
        client.get(LIST)
        with CaptureQueriesContext(connection) as captured:
            client.get(LIST)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_csv_export_has_a_bom_and_chinese_headers(world, login, ranges):
    payment = _post(world.cashier, amount="12.30")
    response = login(world.cashier).get(reverse("billing:payment_export", kwargs={"fmt": "csv"}))

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["时间", "营业日", "营业厅"]
    assert rows[1][4] == payment.account.account_no
    assert rows[1][8] == "12.30"


def test_xlsx_export_opens_with_the_rows(world, login, ranges):
    _post(world.cashier)
    _post(world.cashier2)
    url = reverse("billing:payment_export", kwargs={"fmt": "xlsx"})

    response = login(world.shift_lead).get(url)

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    assert len(rows) == 3


def test_voided_payments_net_to_zero_in_the_totals(world, login, ranges):
    payment = _post(world.cashier)
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错")
    void_services.void_approve(lead=world.shift_lead, void=request)

    response = login(world.shift_lead).get(LIST)

    assert response.context["totals"] == [("现金", Decimal("0.00"), 2)]


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_void_and_invoice_lists_run_a_fixed_number_of_queries(world, login, ranges):
    client = login(world.shift_lead)
    voids, stock = reverse("billing:void_list"), reverse("billing:invoice_range_list")
    counts = []
    for _round in range(2):
        for _n in range(3):
            payment = _post(world.cashier)
            void_services.void_request(actor=world.cashier, payment=payment, reason="x")
            closed = InvoiceRangeFactory.build(cashier=world.cashier2)
            closed.status, closed.returned_from = "closed", closed.next_no
            closed.save()
        counts.append((_queries(client, voids), _queries(client, stock)))
    assert counts[0] == counts[1]


def _timed(pay, cashier, seconds):
    """A payment posted `seconds` after its lookup (None: not measured). Payments are
    append-only, so the time is set by the post itself, with the clock held still."""
    now = timezone.now()
    looked_up_at = None if seconds is None else now - timedelta(seconds=seconds)
    with mock.patch("django.utils.timezone.now", return_value=now):
        pay(account_with_bills("30.00"), "30.00", cashier=cashier, looked_up_at=looked_up_at)


def test_the_lead_sees_each_cashiers_share_within_a_minute(world, login, pay):
    for seconds in (20, 60, 61, None):
        _timed(pay, world.cashier, seconds)
    for seconds in (10, 90):
        _timed(pay, world.cashier2, seconds)
    _timed(pay, world.other_cashier, 5)

    response = login(world.shift_lead).get(reverse("billing:payment_list"))

    speed = {
        row.name: (row.payments, row.timed, row.within, row.share)
        for row in response.context["speed"]
    }
    assert speed == {"cashier姓名": (4, 3, 2, 66), "cashier2姓名": (2, 2, 1, 50)}
    page = response.content.decode()
    assert 'data-testid="payment-speed"' in page and "单笔收费1分钟办理完结" in page
    assert "66%" in page and "50%" in page
