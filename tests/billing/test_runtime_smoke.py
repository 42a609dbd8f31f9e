"""A counter day through the pages: post, void, deposit, close, verify, sign, reopen.

On PostgreSQL with RUNTIME_DATABASE_URL (as `.ci/run` runs it) every statement here is the
runtime role's, so the app's own writes pass the guards and the role's privileges.
"""

import uuid
from decimal import Decimal

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from billing.models import (
    CashLedger,
    Deposit,
    HallDay,
    InvoiceNumber,
    LedgerState,
    Payment,
    VoidRequest,
)
from staff.models import AuditEntry
from tests.billing.factories import account_with_bills
from tests.runtime_role import runtime_credentials

COUNTER = reverse("billing:counter")
COUNT = {f"count_{d}": "" for d in ("100", "50", "20", "10", "5", "1", "0.5", "0.1")}


def _pay(client, account, **data):
    form = {"account": account.pk, "form_token": str(uuid.uuid4()), "reference": "", **data}
    assert client.post(COUNTER, form).status_code == 302


def _ledger_url(name, ledger):
    return reverse(f"billing:{name}", kwargs={"pk": ledger.pk})


def _day_url(name, world):
    day = timezone.localdate().isoformat()
    return reverse(f"billing:{name}", kwargs={"hall": world.hall_a.pk, "day": day})


def test_a_counter_day_through_the_pages_as_the_runtime_role(world, login, ranges, client):
    credentials = runtime_credentials()
    if credentials is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == credentials[0]
    account = account_with_bills("200.00")

    cashier = login(world.cashier)
    _pay(cashier, account, amount="120.00", method="cash", tendered="150")
    _pay(cashier, account, amount="50.00", method="wechat", reference="WX1")
    wechat = Payment.objects.get(method="wechat")
    void_url = reverse("billing:void_request", kwargs={"pk": wechat.pk})
    assert cashier.post(void_url, {"reason": "户号输错"}).status_code == 302

    lead = login(world.shift_lead)
    void = VoidRequest.objects.get()
    approve_url = reverse("billing:void_approve", kwargs={"pk": void.pk})
    assert lead.post(approve_url, {"note": "同意"}).status_code == 302
    assert InvoiceNumber.objects.get(pk=wechat.invoice_id).status == "voided"

    ledger = CashLedger.objects.get(cashier=world.cashier)
    cashier = login(world.cashier)
    deposit = {
        "bank": "工商银行",
        "slip_no": "S1",
        "amount": "120.00",
        "depositor": world.cashier.employee.pk,
        "escort": world.cashier2.employee.pk,
    }
    assert cashier.post(_ledger_url("deposit_create", ledger), deposit).status_code == 302
    count = {**COUNT, "count_100": "5", "coins_total": "0"}
    assert cashier.post(_ledger_url("ledger_submit", ledger), count).status_code == 302

    lead = login(world.shift_lead)
    assert lead.post(_ledger_url("ledger_verify", ledger), {"note": ""}).status_code == 302
    assert lead.post(_day_url("hall_day_sign", world), {"note": ""}).status_code == 302

    director = login(world.director)
    reopen = {"reason": "复核解款单"}
    assert director.post(_ledger_url("ledger_reopen", ledger), reopen).status_code == 302

    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED and ledger.variance == Decimal("0.00")
    assert Deposit.objects.get().amount == Decimal("120.00")
    assert not HallDay.objects.get().is_signed
    assert Payment.objects.filter(kind="reversal").count() == 1
    assert AuditEntry.objects.filter(action="billing.ledger.reopen").exists()
