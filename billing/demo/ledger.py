"""Demo cash ledgers for the past three days of demo payments (billing's demo, day by day).

Day −3: every ledger verified and every hall day signed. Day −2: cashier_longquan deposits
early, so cash is carried into day −1; cashier2_longquan is 10 yuan short (explained); the
WeChat statement of 龙泉 differs by 0.50. Day −1: the second cashiers' ledgers are submitted
but not verified (a warning on the lead's home page). Idempotent: a closed ledger is skipped.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from staff.core.audit import audit_record
from staff.demo.core import HALLS

from ..models import DENOMINATIONS, Deposit, HallDay, LedgerState
from ..selectors import hall_day as hall_day_selectors
from ..selectors import ledger as ledger_selectors
from ..services import deposits as deposit_services
from ..services import hall_day as hall_day_services
from ..services import ledger as ledger_services

BANKS = {
    "longquan": "工商银行龙泉支行",
    "quankou": "建设银行泉口支行",
    "duodao": "农业银行掇刀支行",
}


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _counts(amount: Decimal) -> tuple[dict, Decimal]:
    """Notes by denomination for `amount`, the fen left as coins."""
    counts, left = {}, amount
    for denomination in DENOMINATIONS:
        value = Decimal(denomination)
        counts[denomination], left = int(left // value), left % value
    return counts, left


def _users(code):
    users = get_user_model().objects.select_related("employee__hall")
    by_name = {u.username: u for u in users.filter(username__endswith=f"_{code}")}
    return (
        by_name.get(f"cashier_{code}"),
        by_name.get(f"cashier2_{code}"),
        by_name.get(f"lead_{code}"),
    )


def _close(cashier, day, *, escort, bank, deposit_at, short=Decimal("0")):
    with transaction.atomic():
        ledger = ledger_services.ledger_lock_for_posting(cashier=cashier, business_date=day)
    if ledger.state != LedgerState.OPEN:
        return ledger, False
    expected = deposit_services.deposit_expected(ledger, deposit_at)
    if expected > 0:
        # Deposits are entered on the day (the service takes today's only): demo history.
        with transaction.atomic():
            deposit = Deposit.objects.create(
                ledger=ledger,
                bank=bank,
                slip_no=f"JK{day:%Y%m%d}{cashier.pk:04d}",
                amount=expected,
                expected_amount=expected,
                deposited_at=deposit_at,
                depositor=cashier.employee,
                escort=escort.employee,
                recorded_by=cashier,
            )
            audit_record(
                actor=cashier,
                action="billing.ledger.deposit",
                obj=ledger,
                summary=f"解款 {deposit.amount} 元，{bank}，解款单 {deposit.slip_no}（演示）",
                changes={"deposit": deposit.pk, "amount": deposit.amount},
            )
    figures = ledger_selectors.ledger_figures(ledger)
    counts, coins = _counts(figures.expected_cash - short)
    no_deposit = ledger_services.needs_no_deposit_reason(figures)
    ledger = ledger_services.ledger_submit(
        cashier=cashier,
        ledger=ledger,
        counts=counts,
        coins_total=coins,
        no_deposit_reason="收款均在解款后，随次日资金入账" if no_deposit else "",
    )
    if short:
        ledger = ledger_services.ledger_explain(
            cashier=cashier, ledger=ledger, note="找零时多找给用户10元，已联系用户"
        )
    return ledger, True


def _verify(ledger, lead, director):
    if ledger.state != LedgerState.SUBMITTED:
        return
    verifier = director if ledger.cashier_id == lead.pk else lead
    note = "短款由收费员自赔" if ledger.variance else ""
    ledger_services.ledger_verify(lead=verifier, ledger=ledger, note=note)


def _settle_and_sign(hall, day, lead, wechat_off=Decimal("0")):
    if HallDay.objects.filter(hall=hall, business_date=day, signed_at__isnull=False).exists():
        return
    summary = hall_day_selectors.hall_day_summary(hall, day)
    for check in summary.settlements:
        if check.takings:
            amount = check.takings + (wechat_off if check.method == "wechat" else 0)
            hall_day_services.hall_day_settlement_set(
                lead=lead, hall=hall, business_date=day, method=check.method, amount=amount
            )
    if not wechat_off:
        hall_day_services.hall_day_sign(lead=lead, hall=hall, business_date=day)


def seed_day(today, days_ago):
    """Close, verify and sign the demo ledgers of the day `days_ago` before today."""
    director = get_user_model().objects.filter(username="director").first()
    day = today - datetime.timedelta(days=days_ago)
    closed = 0
    for code, *_rest in HALLS:
        cashier, cashier2, lead = _users(code)
        if None in (cashier, cashier2, lead, director):
            continue
        bank = BANKS.get(code, "工商银行")
        early = code == "longquan" and days_ago == 2
        ledgers = []
        for user, escort in ((cashier, cashier2), (cashier2, cashier), (lead, cashier)):
            short = Decimal("10") if early and user == cashier2 else Decimal("0")
            deposit_at = _at(day, 9, 30) if early and user == cashier else _at(day, 15)
            ledger, new = _close(
                user, day, escort=escort, bank=bank, deposit_at=deposit_at, short=short
            )
            closed += new
            ledgers.append(ledger)
        for ledger in ledgers:
            if days_ago == 1 and ledger.cashier_id == cashier2.pk:
                continue
            _verify(ledger, lead, director)
        if days_ago == 3:
            _settle_and_sign(cashier.employee.hall, day, lead)
        elif early:
            _settle_and_sign(cashier.employee.hall, day, lead, wechat_off=Decimal("-0.50"))
    return closed
