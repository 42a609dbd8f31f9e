"""Every state change of the cash ledgers: open, deposit, blind close, verify, reopen.

A ledger only moves forward (open → submitted → verified); only a director moves a verified
ledger back to submitted, with a reason. Each service locks the ledger row first, so a payment
racing a submission (the counter locks the same row through `cashier_day_open`) either lands
before the close and is counted, or waits and is refused.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import employee_of
from staff.core.audit import audit_record

from .. import rules
from ..models import DENOMINATIONS, CashLedger, Deposit, HallDay, LedgerState, count_field
from ..money import CENT, ZERO, yuan
from ..selectors import ledger as selectors

NOTE_MAX = 500


# The largest amount the ledger's money columns hold (12 digits, two of them decimals).
MONEY_MAX = Decimal("9999999999.99")


def checked_amount(value, message) -> Decimal:
    """A non-negative amount with at most two decimals, or a ValidationError with `message`."""
    try:
        amount = Decimal(str(value).strip()) if value is not None and value != "" else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValidationError(message)
    if amount > MONEY_MAX:
        raise ValidationError(_("The amount is too large."))
    return amount.quantize(CENT)


def clean_note(text) -> str:
    return (text or "").strip()[:NOTE_MAX]


def lock_ledger(ledger) -> CashLedger:
    return CashLedger.objects.select_for_update(of=("self",)).get(pk=ledger.pk)


def lock_hall_day(hall_id, business_date) -> HallDay:
    """The hall day's row, created when missing and locked FOR UPDATE.

    Signing locks it (billing.services.hall_day), and so does opening a ledger: a cashier's
    first payment of the day racing the lead's signature either opens its ledger first (and
    the signature, which waits, then finds that ledger unverified) or waits and is refused.
    """
    HallDay.objects.get_or_create(hall_id=hall_id, business_date=business_date)
    return HallDay.objects.select_for_update(of=("self",)).get(
        hall_id=hall_id, business_date=business_date
    )


def _ensure_hall_day_unsigned(ledger):
    if HallDay.objects.filter(
        hall_id=ledger.hall_id, business_date=ledger.business_date, signed_at__isnull=False
    ).exists():
        raise ValidationError(_("The hall day is already signed: nothing can change."))


def ensure_own_open(cashier, ledger):
    reason = rules.why_not_change_ledger(cashier, ledger)
    if reason:
        raise ValidationError(reason)


# --- Opening -------------------------------------------------------------------------------


def _create(
    *, actor, cashier, hall_id, business_date, opening_float=None
) -> tuple[CashLedger, bool]:
    """Create the ledger unless it exists; a concurrent creator's row wins (unique constraint).

    Runs inside the caller's transaction, which keeps the hall day locked until it commits.
    """
    if lock_hall_day(hall_id, business_date).is_signed:
        raise ValidationError(_("The hall day is already signed: nothing can change."))
    previous = selectors.previous_ledger(
        cashier_id=cashier.pk, hall_id=hall_id, business_date=business_date
    )
    employee = employee_of(cashier)
    if opening_float is None:
        opening_float = selectors.default_float(employee.hall)
    try:
        with transaction.atomic():
            ledger = CashLedger.objects.create(
                hall_id=hall_id,
                cashier=cashier,
                business_date=business_date,
                opening_float=opening_float,
                carried_in=selectors.carry_out_of(previous) if previous else ZERO,
            )
    except IntegrityError:
        return CashLedger.objects.get(
            cashier=cashier, hall_id=hall_id, business_date=business_date
        ), False
    if previous is not None and previous.state == LedgerState.OPEN:
        # Carried in from a day not yet counted: that day's cash less its deposits, blind to the
        # cashier (the history is on their ledger page) until that day is submitted.
        summary = _("Cash ledger opened: float %(float)s") % {"float": yuan(ledger.opening_float)}
    else:
        summary = _("Cash ledger opened: float %(float)s, carried in %(carried)s") % {
            "float": yuan(ledger.opening_float),
            "carried": yuan(ledger.carried_in),
        }
    audit_record(
        actor=actor,
        action="billing.ledger.open",
        obj=ledger,
        summary=summary,
        changes={"opening_float": ledger.opening_float, "carried_in": ledger.carried_in},
    )
    return ledger, True


def _cashier_hall_id(cashier, *, active=True) -> int:
    employee = employee_of(cashier)
    if employee is None or employee.hall_id is None or (active and not employee.is_active):
        raise ValidationError(_("Only a cashier of a hall keeps a cash ledger."))
    return employee.hall_id


def ledger_lock_for_posting(*, cashier, business_date: date) -> CashLedger:
    """The cashier's ledger of the day, locked; opened by the day's first payment.

    Called by the counter inside its transaction (billing.services.counter.cashier_day_open).
    """
    # Not `active`: a void of a cashier who has since left is still decided on their ledger.
    hall_id = _cashier_hall_id(cashier, active=False)
    # Locking only the ledger row, in the order of its key: FOR UPDATE over the model's default
    # ordering would join and lock the hall row, serialising (and deadlocking, with the
    # payments' deferred foreign-key checks) every counter of the hall.
    locked = (
        selectors.day_ledgers(cashier_id=cashier.pk, hall_id=hall_id, business_date=business_date)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    ledger = locked.first()
    if ledger is None:
        _create(actor=cashier, cashier=cashier, hall_id=hall_id, business_date=business_date)
        ledger = locked.first()
    return ledger


def ledger_open(*, cashier, opening_float=None) -> CashLedger:
    """Open today's ledger explicitly, with the float actually handed over (备用金)."""
    hall_id = _cashier_hall_id(cashier)
    if not rules.works_at_counter(cashier):
        raise ValidationError(_("Only a cashier of a hall keeps a cash ledger."))
    if opening_float is not None:
        opening_float = checked_amount(
            opening_float, _("Enter the opening float in yuan, not negative.")
        )
    with transaction.atomic():
        ledger, created = _create(
            actor=cashier,
            cashier=cashier,
            hall_id=hall_id,
            business_date=timezone.localdate(),
            opening_float=opening_float,
        )
        if not created:
            raise ValidationError(_("Your cash ledger of today is already open."))
    return ledger


def ledger_float_change(*, cashier, ledger: CashLedger, opening_float) -> CashLedger:
    """Correct the float of an open ledger to what was actually handed over."""
    opening_float = checked_amount(
        opening_float, _("Enter the opening float in yuan, not negative.")
    )
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        ensure_own_open(cashier, ledger)
        old = ledger.opening_float
        ledger.opening_float = opening_float
        ledger.save(update_fields=["opening_float"])
        audit_record(
            actor=cashier,
            action="billing.ledger.float",
            obj=ledger,
            summary=_("Opening float changed from %(old)s to %(new)s")
            % {"old": yuan(old), "new": yuan(opening_float)},
            changes={"opening_float": [old, opening_float]},
        )
    return ledger


# --- The blind close -----------------------------------------------------------------------


def _parse_counts(counts: dict) -> dict[str, int]:
    parsed = {}
    for denomination in DENOMINATIONS:
        raw = counts.get(denomination, 0)
        text = str(raw).strip() if raw is not None else "0"
        if not text.isdigit():
            raise ValidationError(
                _("The number of %(denomination)s yuan notes must be a whole number, not negative.")
                % {"denomination": denomination}
            )
        parsed[denomination] = int(text)
    return parsed


def needs_no_deposit_reason(figures: selectors.LedgerFigures) -> bool:
    """A ledger with cash to take to the bank (carried in or taken) and no deposit at all."""
    return not figures.deposits and figures.ledger.carried_in + figures.cash_takings > 0


def ledger_submit(
    *, cashier, ledger: CashLedger, counts: dict, coins_total, no_deposit_reason: str = ""
) -> CashLedger:
    """The blind close: the cashier's count by denomination, submitted without the expected cash.

    Expected cash, carried-out cash and the variance are computed and frozen here; from now on
    the cashier's payments and voids of this business day are refused. A day with cash to
    deposit and no deposit needs the reason (the regulation: takings are deposited before
    closing), which the shift lead reads.
    """
    parsed = _parse_counts(counts)
    coins = checked_amount(coins_total, _("Enter the coins total in yuan, not negative."))
    counted = sum((Decimal(d) * n for d, n in parsed.items()), start=ZERO) + coins
    reason = clean_note(no_deposit_reason)
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        ensure_own_open(cashier, ledger)
        figures = selectors.ledger_figures(ledger)
        if needs_no_deposit_reason(figures) and not reason:
            raise ValidationError(
                _(
                    "You recorded no bank deposit on this ledger: the day's cash is deposited "
                    "before closing. Give the reason for not depositing."
                )
            )
        ledger.no_deposit_reason = reason if not figures.deposits else ""
        for denomination, number in parsed.items():
            setattr(ledger, count_field(denomination), number)
        ledger.coins_total = coins
        ledger.counted_cash = counted.quantize(CENT)
        ledger.cash_takings = figures.cash_takings
        ledger.deposited = figures.deposited
        ledger.carried_out = figures.carried_out
        ledger.expected_cash = figures.expected_cash
        ledger.variance = ledger.counted_cash - ledger.expected_cash
        ledger.state = LedgerState.SUBMITTED
        ledger.submitted_at = timezone.now()
        ledger.save(
            update_fields=[count_field(d) for d in DENOMINATIONS]
            + [
                "coins_total",
                "counted_cash",
                "cash_takings",
                "deposited",
                "carried_out",
                "expected_cash",
                "variance",
                "state",
                "submitted_at",
                "no_deposit_reason",
            ]
        )
        summary = _("Counted %(counted)s, expected %(expected)s, variance %(variance)s") % {
            "counted": yuan(ledger.counted_cash),
            "expected": yuan(ledger.expected_cash),
            "variance": yuan(ledger.variance),
        }
        if ledger.no_deposit_reason:
            summary += _("; no deposit: %(reason)s") % {"reason": ledger.no_deposit_reason}
        audit_record(
            actor=cashier,
            action="billing.ledger.submit",
            obj=ledger,
            summary=summary,
            changes={
                "counts": parsed,
                "coins": coins,
                "counted": ledger.counted_cash,
                "expected": ledger.expected_cash,
                "carried_out": ledger.carried_out,
                "no_deposit_reason": ledger.no_deposit_reason,
            },
        )
    return ledger


def ledger_explain(*, cashier, ledger: CashLedger, note: str) -> CashLedger:
    """The cashier's written explanation of a variance (长款/短款), after the close."""
    note = clean_note(note)
    if not note:
        raise ValidationError(_("Write the explanation of the variance."))
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        if ledger.cashier_id != cashier.pk:
            raise ValidationError(_("Only the cashier of this ledger can do this."))
        if ledger.state != LedgerState.SUBMITTED:
            raise ValidationError(_("Only a submitted, unverified ledger takes an explanation."))
        ledger.variance_note = note
        ledger.save(update_fields=["variance_note"])
        audit_record(
            actor=cashier,
            action="billing.ledger.explain",
            obj=ledger,
            summary=_("Variance explained: %(note)s") % {"note": note},
        )
    return ledger


# --- Verification and reopening -------------------------------------------------------------


def ledger_verify(*, lead, ledger: CashLedger, recounted_cash=None, note: str = "") -> CashLedger:
    """The hall's shift lead checks a submitted ledger, may recount, decides and signs.

    A shift lead's own ledger is verified by the director (`rules.may_verify`). A variance, a
    recount or deposits that differ from the cash taken before them need the lead's decision.
    """
    note = clean_note(note)
    if recounted_cash not in (None, ""):
        recounted_cash = checked_amount(recounted_cash, _("Enter the recounted cash in yuan."))
    else:
        recounted_cash = None
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        if ledger.cashier_id == lead.pk:
            raise ValidationError(_("You cannot verify your own cash ledger."))
        if not rules.may_verify(lead, ledger):
            raise ValidationError(_("Only the shift lead of the hall verifies it."))
        if ledger.state == LedgerState.OPEN:
            raise ValidationError(_("The cashier has not submitted this ledger yet."))
        if ledger.state == LedgerState.VERIFIED:
            raise ValidationError(_("This cash ledger is already verified: it is read-only."))
        _ensure_hall_day_unsigned(ledger)
        ledger.recounted_cash = recounted_cash
        variance = ledger.final_variance
        blocker = rules.why_not_verify(ledger)
        if blocker:
            raise ValidationError(blocker)
        if (variance != 0 or recounted_cash not in (None, ledger.counted_cash)) and not note:
            raise ValidationError(_("Record your decision on the variance."))
        deposit_difference = selectors.deposit_difference(
            list(Deposit.objects.filter(ledger=ledger))
        )
        if deposit_difference and not note:
            raise ValidationError(
                _("The deposits differ from the cash taken before them: record your decision.")
            )
        ledger.verify_note = note
        ledger.state = LedgerState.VERIFIED
        ledger.verified_by = lead
        ledger.verified_at = timezone.now()
        ledger.save(
            update_fields=["recounted_cash", "verify_note", "state", "verified_by", "verified_at"]
        )
        audit_record(
            actor=lead,
            action="billing.ledger.verify",
            obj=ledger,
            summary=_("Verified, variance %(variance)s: %(note)s")
            % {"variance": yuan(variance), "note": note or "-"},
            changes={
                "recounted_cash": recounted_cash,
                "variance": variance,
                "deposit_difference": deposit_difference,
            },
        )
    return ledger


def ledger_reopen(*, director, ledger: CashLedger, reason: str) -> CashLedger:
    """Only a director reopens a verified ledger (back to submitted), with a reason.

    The hall day it belongs to is unsigned as well: its totals are no longer final. Each audit
    entry is written before its row changes, naming the verification (signature) it withdraws:
    on PostgreSQL the database lets a verified ledger or signed hall day go back only when that
    entry is there (billing migration 0008).
    """
    reason = clean_note(reason)
    if not rules.may_reopen(director):
        raise ValidationError(_("Only the director can reopen a verified ledger."))
    if not reason:
        raise ValidationError(_("Give the reason for reopening."))
    with transaction.atomic():
        ledger = lock_ledger(ledger)
        if ledger.state != LedgerState.VERIFIED:
            raise ValidationError(_("Only a verified ledger can be reopened."))
        hall_day = (
            HallDay.objects.select_for_update(of=("self",))
            .filter(hall_id=ledger.hall_id, business_date=ledger.business_date)
            .order_by("pk")
            .first()
        )
        if hall_day is not None and hall_day.is_signed:
            audit_record(
                actor=director,
                action="billing.hall_day.reopen",
                obj=hall_day,
                summary=_("Signature withdrawn: a ledger was reopened (%(reason)s)")
                % {"reason": reason},
                changes={
                    "signed_by": hall_day.signed_by_id,
                    "signed_at": hall_day.signed_at,
                    "reason": reason,
                },
            )
            hall_day.signed_by = None
            hall_day.signed_at = None
            hall_day.save(update_fields=["signed_by", "signed_at"])
        audit_record(
            actor=director,
            action="billing.ledger.reopen",
            obj=ledger,
            summary=_("Reopened: %(reason)s") % {"reason": reason},
            changes={
                "verified_by": ledger.verified_by_id,
                "verified_at": ledger.verified_at,
                "reason": reason,
            },
        )
        ledger.state = LedgerState.SUBMITTED
        ledger.verified_by = None
        ledger.verified_at = None
        ledger.save(update_fields=["state", "verified_by", "verified_at"])
    return ledger
