from decimal import Decimal

from billing.models import InvoiceRange, Payment
from billing.services import counter as counter_services
from billing.services import voids as void_services
from tests.access import PERSONAS, Row, only
from tests.billing.factories import InvoiceRangeFactory, account_with_bills

COUNTER = ["cashier", "cashier2", "other_cashier", "shift_lead", "other_lead"]
PAYMENTS = [*COUNTER, "director", "office"]
LEADS = ["shift_lead", "other_lead"]
MANAGERS = [*LEADS, "director", "office"]


def _codes(allowed, code=200):
    return only(dict.fromkeys(allowed, code))


def _hall_a_object(code=200):
    """An object of world.cashier in hall A: its owner, the hall's lead and the center see it."""
    return {
        **_codes(PAYMENTS, 404),
        **dict.fromkeys(["cashier", "shift_lead", "director", "office"], code),
    }


def _payment(world) -> Payment:
    existing = Payment.objects.filter(cashier=world.cashier).first()
    if existing is not None:
        return existing
    if not InvoiceRange.objects.filter(cashier=world.cashier).exists():
        InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills("30.00")
    return counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("30.00"),
        method="cash",
        tendered=Decimal("50.00"),
    ).payment


def _void(world):
    payment = _payment(world)
    return void_services.void_request(actor=world.cashier, payment=payment, reason="测试")


def _job(world):
    """A finished bills import job (its page reads no file)."""
    from billing.models import BillImportJob

    job = BillImportJob.objects.first() or BillImportJob.objects.create(
        filename="bills.csv",
        size=100,
        encoding="UTF-8",
        lines=1,
        status="rejected",
        uploaded_by=world.office,
    )
    return {"pk": job.pk}


def _channel_job(world):
    """A finished channel payments import job."""
    from billing.models import BillImportJob, ImportKind

    job = BillImportJob.objects.filter(
        kind=ImportKind.CHANNEL_PAYMENTS
    ).first() or BillImportJob.objects.create(
        kind=ImportKind.CHANNEL_PAYMENTS,
        filename="channels.csv",
        size=100,
        encoding="UTF-8",
        lines=1,
        status="rejected",
        uploaded_by=world.office,
    )
    return {"pk": job.pk}


def _double(world):
    """A possible double payment of an account that never paid at a counter (every lead's)."""
    from django.utils import timezone

    from billing.models import ChannelPayment
    from billing.services.channels import ChannelPaymentInput, channel_payments_record

    existing = ChannelPayment.objects.filter(possible_double=True).first()
    if existing is not None:
        return existing
    account = account_with_bills(created_at=None)
    [recorded] = channel_payments_record(
        [
            ChannelPaymentInput(
                channel="wechat",
                reference="ACCESS-1",
                account_no=account.account_no,
                amount=Decimal("10.00"),
                paid_at=timezone.now(),
            )
        ]
    )
    return recorded.payment


def _range(world):
    return InvoiceRange.objects.filter(cashier=world.cashier).first() or InvoiceRangeFactory(
        cashier=world.cashier
    )


ACCESS = [
    Row("billing:counter", _codes(COUNTER)),
    Row("billing:payment_list", _codes(PAYMENTS)),
    Row("billing:payment_export", _codes(PAYMENTS), kwargs=lambda w: {"fmt": "csv"}),
    Row(
        "billing:payment_detail",
        _hall_a_object(),
        kwargs=lambda w: {"pk": _payment(w).pk},
    ),
    Row(
        "billing:void_request",
        _codes(COUNTER, 405),
        kwargs=lambda w: {"pk": _payment(w).pk},
        note="POST only",
    ),
    Row("billing:void_list", _codes(PAYMENTS)),
    Row("billing:void_approve", _codes(LEADS, 405), kwargs=lambda w: {"pk": _void(w).pk}),
    Row("billing:void_reject", _codes(LEADS, 405), kwargs=lambda w: {"pk": _void(w).pk}),
    Row("billing:bill_import", _codes(["director", "office"])),
    Row("billing:correction_list", _codes(["director", "office"])),
    Row(
        "billing:correction_export",
        _codes(["director", "office"]),
        kwargs=lambda w: {"fmt": "csv"},
    ),
    Row("billing:bill_import_job", _codes(["director", "office"]), kwargs=lambda w: _job(w)),
    Row(
        "billing:bill_import_job_status",
        _codes(["director", "office"]),
        kwargs=lambda w: _job(w),
    ),
    *[
        Row(f"billing:{name}", _codes(["director", "office"], 405), kwargs=lambda w: _job(w))
        for name in ("bill_import_confirm", "bill_import_discard")
    ],
    # Channel payments: the office's list and import, the leads' possible double payments.
    Row("billing:channel_payment_list", _codes(["director", "office"])),
    Row("billing:channel_doubles", _codes(MANAGERS)),
    Row(
        "billing:channel_follow_up",
        _codes(MANAGERS, 405),
        kwargs=lambda w: {"pk": _double(w).pk},
        note="POST only",
    ),
    Row("billing:channel_import", _codes(["director", "office"])),
    Row(
        "billing:channel_import_job",
        _codes(["director", "office"]),
        kwargs=lambda w: _channel_job(w),
    ),
    Row(
        "billing:channel_import_job_status",
        _codes(["director", "office"]),
        kwargs=lambda w: _channel_job(w),
    ),
    *[
        Row(
            f"billing:{name}",
            _codes(["director", "office"], 405),
            kwargs=lambda w: _channel_job(w),
        )
        for name in ("channel_import_confirm", "channel_import_discard")
    ],
    Row("billing:invoice_range_list", _codes(PAYMENTS)),
    Row("billing:invoice_range_create", _codes(MANAGERS)),
    Row(
        "billing:invoice_range_detail",
        _hall_a_object(),
        kwargs=lambda w: {"pk": _range(w).pk},
    ),
    Row(
        "billing:invoice_range_close",
        _codes(MANAGERS, 405),
        kwargs=lambda w: {"pk": _range(w).pk},
        note="POST only",
    ),
    Row("billing:invoice_spoil", _codes(COUNTER, 405), note="POST only"),
]


# --- Cash ledgers and hall days -------------------------------------------------------------


def _ledger(world):
    from billing.models import CashLedger
    from billing.services.ledger import ledger_open

    return CashLedger.objects.filter(cashier=world.cashier).first() or ledger_open(
        cashier=world.cashier
    )


def _hall_day(world):
    from django.utils import timezone

    return {"hall": world.hall_a.pk, "day": timezone.localdate().isoformat()}


DAY_VIEWERS = {
    **_codes(["shift_lead", "director", "office"]),
    "other_lead": 404,
}

ACCESS += [
    Row("billing:ledger_list", _codes(PAYMENTS)),
    Row("billing:ledger_today", _codes(COUNTER)),
    Row("billing:ledger_detail", _hall_a_object(), kwargs=lambda w: {"pk": _ledger(w).pk}),
    *[
        Row(f"billing:{name}", _codes(COUNTER, 405), kwargs=lambda w: {"pk": _ledger(w).pk})
        for name in ("ledger_float", "deposit_create", "ledger_submit", "ledger_explain")
    ],
    Row(
        "billing:ledger_verify",
        _codes([*LEADS, "director"], 405),
        kwargs=lambda w: {"pk": _ledger(w).pk},
    ),
    Row("billing:ledger_reopen", _codes(["director"], 405), kwargs=lambda w: {"pk": _ledger(w).pk}),
    Row("billing:ledger_monthly", _codes(PAYMENTS)),
    Row("billing:ledger_monthly_export", _codes(PAYMENTS), kwargs=lambda w: {"fmt": "xlsx"}),
    Row(
        "billing:hall_day_index",
        {**_codes(["director", "office"]), "shift_lead": 302, "other_lead": 302},
    ),
    Row("billing:hall_day", DAY_VIEWERS, kwargs=_hall_day),
    Row("billing:hall_day_report", DAY_VIEWERS, kwargs=_hall_day),
    Row("billing:hall_day_export", DAY_VIEWERS, kwargs=lambda w: {**_hall_day(w), "fmt": "csv"}),
    Row("billing:hall_day_settlement", _codes(LEADS, 405), kwargs=_hall_day, note="POST only"),
    Row("billing:hall_day_sign", _codes(LEADS, 405), kwargs=_hall_day, note="POST only"),
    # Accounts are center-wide: every counter and the office reach any account's statement.
    Row(
        "billing:account_statement",
        _codes(PAYMENTS),
        kwargs=lambda w: {"account_no": account_with_bills("30.00").account_no},
    ),
    Row("billing:movement_files", _codes(["director", "office"])),
    Row(
        "billing:movement_export",
        _codes(["director", "office"]),
        kwargs=lambda w: {"day": "2026-01-05", "fmt": "csv"},
    ),
]


# The API for the billing system (billing/api/): client systems sign in with a token, never a
# session, so every persona, signed in or not, gets what a caller without a token gets. Its
# token access (401, 403) is tested in tests/billing/test_api_auth.py; the schema and the docs
# page are public (they describe the API, they give nothing away).
def _api(code):
    return dict.fromkeys(PERSONAS, code)


ACCESS += [
    Row("api:movements", _api(401), note="token only"),
    Row(
        "api:channel_payments",
        _api(405),
        note="POST only; token only (GET answers 405 before the token is asked for)",
    ),
    Row("api:openapi-json", _api(200), note="the OpenAPI schema"),
    Row("api:openapi-view", _api(200), note="the docs page"),
    Row("api:api-root", _api(404), note="ninja's root, no page"),
]
