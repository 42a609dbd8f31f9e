"""Bank deposits (解款) of a cash ledger, made with an escort (陪同人).

What a deposit should be is recorded with it for the shift lead, and never shown to the cashier
while the ledger is open (the blind count).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record
from staff.models import Employee

from .. import rules
from ..models import CashLedger, Deposit
from ..money import ZERO, yuan
from ..selectors import ledger as selectors
from .ledger import checked_amount, clean_note, ensure_own_open, lock_ledger


def deposit_expected(ledger: CashLedger, moment) -> Decimal:
    """What a deposit at `moment` should be: carried-in cash + cash taken up to then − the
    deposits already made. Recorded with the deposit for the shift lead; never shown to the
    cashier while the ledger is open (the blind count)."""
    cash = selectors.takings_by_method(ledger, before=moment).get("cash", ZERO)
    return ledger.carried_in + cash - selectors.deposits_total(ledger, before=moment)


def deposit_moment(business_date: date, entered: time | None, now: datetime) -> datetime:
    """The instant of a deposit from the time the cashier entered (now when none).

    An entered time stands for its whole minute (no seconds) or second: a payment taken within
    it, before the cash left the drawer, counts as taken before the deposit. Comparing the
    minute's first instant with the payments' exact times dropped such a payment from what the
    deposit should be. So the unit's end is used, never later than now; a time yet to come is
    kept as entered, for the service to refuse.
    """
    if entered is None:
        return now
    moment = timezone.make_aware(datetime.combine(business_date, entered))
    if entered.microsecond or moment > now:
        return moment
    unit = timedelta(seconds=1) if entered.second else timedelta(minutes=1)
    return min(moment + unit - timedelta(microseconds=1), now)


def _active_employee(value, message) -> Employee:
    employee = value if isinstance(value, Employee) else Employee.objects.filter(pk=value).first()
    if employee is None or not employee.is_active:
        raise ValidationError(message)
    return employee


def deposit_record(
    *,
    cashier,
    ledger: CashLedger,
    bank: str,
    slip_no: str,
    amount,
    depositor,
    escort,
    deposited_at=None,
    note: str = "",
) -> Deposit:
    """Record a bank deposit (解款) of today's ledger, made with an escort (陪同人).

    The amount is what the cashier took to the bank, whatever it should have been: no message
    may tell the cashier that figure while the ledger is open (it would give away the day's
    cash). What it should have been is recorded beside it for the shift lead.
    """
    bank, slip_no, note = clean_note(bank)[:64], clean_note(slip_no)[:64], clean_note(note)
    if not bank or not slip_no:
        raise ValidationError(_("Enter the bank and the deposit slip number."))
    amount = checked_amount(
        amount, _("Enter the deposit amount in yuan with at most two decimals.")
    )
    if amount <= 0:
        raise ValidationError(_("The deposit amount must be more than zero."))
    depositor = _active_employee(depositor, _("Choose the depositor."))
    escort = _active_employee(escort, _("Choose the escort, an employee of the center."))
    if escort.pk == depositor.pk:
        raise ValidationError(_("The escort must be another employee than the depositor."))
    now = timezone.now()
    deposited_at = deposited_at or now
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        ensure_own_open(cashier, ledger)
        reason = rules.why_not_deposit(ledger)
        if reason:
            raise ValidationError(reason)
        if deposited_at > now or timezone.localdate(deposited_at) != ledger.business_date:
            raise ValidationError(_("The deposit time must be earlier today."))
        # In time order, so each deposit's "should be" counts every earlier one.
        latest = (
            Deposit.objects.filter(ledger=ledger)
            .order_by("-deposited_at", "-id")
            .values_list("deposited_at", flat=True)
            .first()
        )
        if latest is not None and deposited_at < latest:
            raise ValidationError(
                _("The deposit time cannot be earlier than the previous deposit (%(time)s).")
                % {"time": f"{timezone.localtime(latest):%H:%M:%S}"}
            )
        if Deposit.objects.filter(bank=bank, slip_no=slip_no).exists():
            raise ValidationError(_("This deposit slip is already recorded."))
        expected = deposit_expected(ledger, deposited_at)
        deposit = Deposit.objects.create(
            ledger=ledger,
            bank=bank,
            slip_no=slip_no,
            amount=amount,
            deposited_at=deposited_at,
            depositor=depositor,
            escort=escort,
            expected_amount=expected,
            explanation=note,
            recorded_by=cashier,
        )
        audit_record(
            actor=cashier,
            action="billing.ledger.deposit",
            obj=ledger,
            summary=_("Deposit of %(amount)s yuan at %(bank)s, slip %(slip)s, escort %(escort)s")
            % {"amount": yuan(amount), "bank": bank, "slip": slip_no, "escort": escort.name},
            changes={
                "deposit": deposit.pk,
                "amount": amount,
                "deposited_at": deposited_at,
                "should_be": expected,
                "note": note,
            },
        )
    return deposit
