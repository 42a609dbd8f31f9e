"""The blind count (issue 11): while a cashier's ledger is open, no page or download they can
reach shows the day's cash takings or a figure they follow from (expected cash, float + what
is still to deposit, what a deposit should have been, cash carried out). A shift lead keeping a
ledger is a cashier for their own. Payments stay visible one by one.

The day used: float 500.00; cash 1000.00 + 200.30 + 34.20 = 1234.50 and 99.99 by WeChat; then a
deposit of 1000.00 (it should have been 1234.50). Each page is searched for the figures as the
page writes them, "1,234.50" and "1234.50".
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.models import CashLedger, Deposit, InvoiceRange, LedgerState
from billing.selectors import ledger as ledger_selectors
from billing.services import ledger as ledger_services
from tests.billing.factories import account_with_bills

CASH = ("1000.00", "200.30", "34.20")
# Cash total, expected cash (float + cash) and what the first deposit should have been.
BEFORE_DEPOSIT = ["1234.50", "1734.50"]
# After the 1000.00 deposit: still to deposit, expected cash, the deposit's difference.
AFTER_DEPOSIT = [*BEFORE_DEPOSIT, "234.50", "734.50", "-234.50"]
# For a shift lead, the hall's totals with cashier2's 10.00 in cash (hall total less the rows
# of the others would give their own): cash, carried out before and after the deposit.
HALL_TOTALS = ["1244.50", "244.50"]
QUERIES_PAYMENT_LIST = 10


def _forms(figure: str) -> list[str]:
    """The ways a page writes an amount: 1,234.50 and 1234.50 (and ¥ / - prefixes)."""
    value = Decimal(figure)
    return sorted({f"{value:,.2f}", f"{value:.2f}"})


def assert_blind(text: str, figures, where=""):
    for figure in figures:
        for form in _forms(figure):
            # Not the tail of a longer number (234.50 in 1,234.50 is that other figure), nor
            # 234.50 in -234.50; a comma alone before it is a CSV separator.
            pattern = r"(?<![\d.])(?<!\d,)" + re.escape(form) + r"(?!\d)"
            if not form.startswith("-"):
                pattern = r"(?<!-)" + pattern
            assert not re.search(pattern, text), f"{form} shown on {where}"


def _xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, money cells written with two places."""
    cells = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cells.append(f"{Decimal(str(value)):.2f}")
                elif value is not None:
                    cells.append(str(value))
    return " | ".join(cells)


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        return _xlsx_text(response.content)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    if response.get("Content-Type", "").startswith("text/csv"):
        # Cell by cell: "0.00,1234.50" would read as the tail of 0,1234.50.
        return " | ".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)
    return text


@pytest.fixture
def day(world, pay):
    """`day(cashier)`: the cashier's open ledger with the payments above; returns (ledger,
    account)."""

    def _day(cashier):
        ledger = ledger_services.ledger_open(cashier=cashier, opening_float="500.00")
        account = account_with_bills("30.00", "40.00")
        for amount in CASH:
            pay(account, amount, cashier=cashier, confirm_overpay=True)
        pay(account, "99.99", method="wechat", reference="WX1", cashier=cashier)
        return ledger, account

    return _day


def _deposit(client, ledger, amount="1000.00", slip="JK1", **extra):
    data = {
        "bank": "工商银行龙泉支行",
        "slip_no": slip,
        "amount": amount,
        "deposited_time": "",
        "depositor": ledger.cashier.employee.pk,
        "escort": extra.pop("escort", None) or _escort(ledger).pk,
        **extra,
    }
    return client.post(reverse("billing:deposit_create", kwargs={"pk": ledger.pk}), data)


def _escort(ledger):
    from staff.models import Employee

    return Employee.objects.filter(hall_id=ledger.hall_id).exclude(user=ledger.cashier).first()


def _receipts(ledger, account):
    return [
        reverse("billing:payment_detail", kwargs={"pk": pk})
        for pk in ledger_selectors.ledger_payments(ledger).values_list("pk", flat=True)
    ]


def _range(ledger, account):
    invoice_range = InvoiceRange.objects.filter(cashier=ledger.cashier).first()
    return [reverse("billing:invoice_range_detail", kwargs={"pk": invoice_range.pk})]


def _hall_day(fmt=None, name="hall_day"):
    def urls(ledger, account):
        kwargs = {"hall": ledger.hall_id, "day": ledger.business_date.isoformat()}
        if fmt:
            return [reverse("billing:hall_day_export", kwargs={**kwargs, "fmt": fmt})]
        return [reverse(f"billing:{name}", kwargs=kwargs)]

    return urls


def _url(name, **kwargs):
    return lambda ledger, account: [reverse(name, kwargs=kwargs or None)]


# Every page and download of the billing app a cashier reaches, and the home page.
CASHIER_PAGES = {
    "home": _url("staff:home"),
    "counter": lambda ledger, account: [reverse("billing:counter") + f"?q={account.account_no}"],
    "payment_list": _url("billing:payment_list"),
    "payment_export_csv": _url("billing:payment_export", fmt="csv"),
    "payment_export_xlsx": _url("billing:payment_export", fmt="xlsx"),
    "receipts": _receipts,
    "void_list": _url("billing:void_list"),
    "invoice_range_list": _url("billing:invoice_range_list"),
    "invoice_range_detail": _range,
    "ledger_list": _url("billing:ledger_list"),
    "ledger_today": _url("billing:ledger_today"),
    "ledger_detail": lambda ledger, account: [
        reverse("billing:ledger_detail", kwargs={"pk": ledger.pk})
    ],
    "ledger_monthly": _url("billing:ledger_monthly"),
    "ledger_monthly_csv": _url("billing:ledger_monthly_export", fmt="csv"),
    "ledger_monthly_xlsx": _url("billing:ledger_monthly_export", fmt="xlsx"),
}
# A shift lead also reaches their hall's day, which lists their own ledger.
LEAD_PAGES = {
    **CASHIER_PAGES,
    "hall_day": _hall_day(),
    "hall_day_report": _hall_day(name="hall_day_report"),
    "hall_day_csv": _hall_day("csv"),
    "hall_day_xlsx": _hall_day("xlsx"),
}


def _check(client, urls, figures):
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_blind(_body(response), figures, url)


@pytest.mark.parametrize("deposited", [False, True], ids=["before-deposit", "after-deposit"])
@pytest.mark.parametrize("page", CASHIER_PAGES)
def test_cashier_page_hides_the_days_cash_while_the_ledger_is_open(
    world, login, day, page, deposited
):
    ledger, account = day(world.cashier)
    client = login(world.cashier)
    if deposited:
        # What the cashier counted, less than it should be: accepted, and no figure said.
        assert _deposit(client, ledger).status_code == 302
        assert Deposit.objects.get().expected_amount == Decimal("1234.50")
    figures = AFTER_DEPOSIT if deposited else BEFORE_DEPOSIT
    _check(client, CASHIER_PAGES[page](ledger, account), figures)


@pytest.mark.parametrize("deposited", [False, True], ids=["before-deposit", "after-deposit"])
@pytest.mark.parametrize("page", LEAD_PAGES)
def test_shift_lead_page_hides_their_own_days_cash_while_their_ledger_is_open(
    world, login, day, pay, page, deposited
):
    ledger, account = day(world.shift_lead)
    pay(account_with_bills("10.00"), "10.00", cashier=world.cashier2)
    client = login(world.shift_lead)
    if deposited:
        assert _deposit(client, ledger).status_code == 302
    figures = (AFTER_DEPOSIT if deposited else BEFORE_DEPOSIT) + HALL_TOTALS
    _check(client, LEAD_PAGES[page](ledger, account), figures)


def test_hall_day_shows_the_lead_the_other_ledgers_and_their_own_blind(world, login, day, pay):
    ledger, _account = day(world.shift_lead)
    pay(account_with_bills("10.00"), "10.00", cashier=world.cashier2)
    page = login(world.shift_lead).get(_hall_day()(ledger, None)[0]).content.decode()
    assert 'data-testid="blind-row"' in page and 'data-testid="hall-day-blind"' in page
    assert "cashier2姓名" in page and "10.00" in page


def test_the_cashier_sees_every_figure_once_the_count_is_submitted(world, login, day):
    ledger, _account = day(world.cashier)
    client = login(world.cashier)
    _deposit(client, ledger)
    ledger_services.ledger_submit(
        cashier=world.cashier, ledger=ledger, counts={"100": 7}, coins_total="34.50"
    )
    page = client.get(reverse("billing:ledger_detail", kwargs={"pk": ledger.pk})).content.decode()
    for figure in ("734.50", "1,234.50", "-234.50"):
        assert figure in page


def test_no_response_to_a_deposit_or_a_refused_action_shows_the_days_cash(world, login, day):
    ledger, _account = day(world.cashier)
    client = login(world.cashier)
    later = (timezone.localtime() + timezone.timedelta(hours=1)).strftime("%H:%M:%S")

    def check(response, status=400):
        assert response.status_code == status
        assert_blind(_body(response), BEFORE_DEPOSIT, response.request["PATH_INFO"])

    # Escort and depositor the same person, a fraction of a fen, nothing typed, a time yet to
    # come, a float below zero, a bad count.
    check(_deposit(client, ledger, escort=world.cashier.employee.pk))
    check(_deposit(client, ledger, amount="12.345"))
    check(_deposit(client, ledger, amount=""))
    check(_deposit(client, ledger, deposited_time=later, slip="JK2"))
    float_url = reverse("billing:ledger_float", kwargs={"pk": ledger.pk})
    check(client.post(float_url, {"opening_float": "-1"}))
    submit_url = reverse("billing:ledger_submit", kwargs={"pk": ledger.pk})
    check(client.post(submit_url, {"count_100": "-1", "coins_total": "0"}))
    # Cash to deposit and no deposit: the count asks for the reason, naming no figure.
    check(client.post(submit_url, {"count_100": "5", "coins_total": "0"}))
    # Far more than the drawer holds: accepted (the lead sees the difference).
    response = _deposit(client, ledger, amount="99999.00", slip="JK3")
    assert response.status_code == 302
    check(client.get(response.url), status=200)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.OPEN and Deposit.objects.count() == 1


def test_the_lead_and_the_director_see_the_figures_on_others_ledgers(world, login, day):
    ledger, _account = day(world.cashier)
    _deposit(login(world.cashier), ledger)
    url = reverse("billing:ledger_detail", kwargs={"pk": ledger.pk})
    for viewer in (world.shift_lead, world.director):
        page = login(viewer).get(url).content.decode()
        # Expected cash while open, and the deposit's should-be and difference.
        for figure in ("734.50", "1,234.50", "-234.50"):
            assert figure in page
    hall_day = login(world.shift_lead).get(_hall_day()(ledger, None)[0]).content.decode()
    assert 'data-testid="deposit-difference">-234.50' in hall_day
    assert "1,234.50" in hall_day


def test_carried_in_cash_of_a_day_still_open_is_blind(world, login):
    """Yesterday's ledger never submitted: today's carried-in cash is its cash less deposits."""
    from datetime import timedelta

    from tests.billing.ledger_factories import at, open_ledger, payment_rows

    yesterday = timezone.localdate() - timedelta(days=1)
    open_ledger(world.cashier, yesterday)
    payment_rows(world.cashier, yesterday, ["300.00", "76.40"], when=at(yesterday, 10))
    today = ledger_services.ledger_open(cashier=world.cashier, opening_float="500.00")
    assert today.carried_in == Decimal("376.40")
    page = (
        login(world.cashier)
        .get(reverse("billing:ledger_detail", kwargs={"pk": today.pk}))
        .content.decode()
    )
    assert_blind(page, ["376.40", "876.40"], "today's ledger")
    assert 'data-testid="blind-carried-in"' in page


def test_payment_list_shows_the_cash_total_of_others_and_of_submitted_days(world, login, day, pay):
    ledger, _account = day(world.cashier)
    client = login(world.cashier)
    url = reverse("billing:payment_list")
    assert 'data-testid="blind-total"' in client.get(url).content.decode()
    ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 17},
        coins_total="34.50",
        no_deposit_reason="银行已关门",
    )
    page = client.get(url).content.decode()
    assert 'data-testid="blind-total"' not in page and "1,234.50" in page


def test_csv_export_lists_the_payments_one_by_one_without_a_total(world, login, day):
    day(world.cashier)
    response = login(world.cashier).get(reverse("billing:payment_export", kwargs={"fmt": "csv"}))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert sorted(row[8] for row in rows[1:]) == sorted(["1000.00", "200.30", "34.20", "99.99"])


def test_monthly_summary_counts_the_open_day_once_submitted(world, login, day):
    ledger, _account = day(world.cashier)
    client = login(world.cashier)
    page = client.get(reverse("billing:ledger_monthly")).content.decode()
    assert 'data-testid="monthly-blind"' in page
    ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 17},
        coins_total="34.50",
        no_deposit_reason="银行已关门",
    )
    page = client.get(reverse("billing:ledger_monthly")).content.decode()
    assert 'data-testid="monthly-blind"' not in page and "1,234.50" in page
    assert CashLedger.objects.get().variance == Decimal("0.00")


def test_payment_list_query_count_stays_fixed_with_the_blind_check(
    world, login, day, pay, django_assert_num_queries
):
    _ledger, account = day(world.cashier)
    client = login(world.cashier)
    url = reverse("billing:payment_list")
    client.get(url)
    # Session, user (with employee and hall), roles, the count, the open days, whether
    # the rows hold their cash, the totals, the one-minute share per
    # cashier, the filter's cashiers, the page of payments.
    with django_assert_num_queries(QUERIES_PAYMENT_LIST) as first:
        client.get(url)
    for _ in range(5):
        pay(account, "1.00")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
