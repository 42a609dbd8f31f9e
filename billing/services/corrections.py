"""Bill corrections (更正): the meter-reading office changes the amount due of bills already
imported.

All or nothing: every row must name an existing bill (account number + period), else nothing
is written and each bad row is listed with its line number. On each bill:

- unpaid: the new amount is due;
- paid or partly paid, new amount ≥ amount paid: the difference is due again (partly paid, or
  paid when nothing is left open);
- new amount < amount paid: the bill is paid at the new amount and the excess goes to the
  account's prepaid balance (预存), so the money the customer gave stays on the account.

Each corrected bill gets a `BillCorrection`, an audit entry and a movement of kind
`correction` (amount = new − old due, prepaid change = the excess, one line: the change of the
bill's amount paid, zero or negative). A row whose amount is already the bill's is a no-op: it
is reported, and writes nothing.

Lock order, as every money service: accounts (by account number), bills, then the movement
sequence, last.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from ..bills_file import MAX_ERRORS, PERIOD, BillImportError, CorrectionRow
from ..models import Account, Bill, BillCorrection, BillStatus, MovementKind
from ..money import CENT, ZERO
from .movements import MovementDraft, movements_record

# The largest amount due a bills file accepts (billing.bills_file).
AMOUNT_LIMIT = Decimal(10**10)
VOLUME_LIMIT = Decimal(10**8)

# Rows per IN (...) query: SQLite allows 32,766 parameters.
CHUNK = 1000


@dataclass
class CorrectionsApplied:
    """What a corrections file did: the corrections written, and the rows that changed nothing
    with their messages (the first MAX_ERRORS)."""

    corrections: list[BillCorrection] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def bill_status(bill: Bill) -> str:
    """A bill's status from its amounts: nothing left open is paid (a bill of 0 as well)."""
    if bill.amount_paid == bill.amount_due:
        return BillStatus.PAID
    return BillStatus.UNPAID if bill.amount_paid == ZERO else BillStatus.PARTLY_PAID


def _where(row: CorrectionRow) -> str:
    if row.line is None:
        return _("Account %(no)s, period %(period)s") % {"no": row.account_no, "period": row.period}
    return _("Line %(line)s") % {"line": row.line}


def _row_problems(rows: list[CorrectionRow]) -> list[str]:
    """What is wrong with the rows themselves (the file parser checks the same; rows may come
    from elsewhere)."""
    problems, seen = [], set()
    for row in rows:
        where = _where(row)
        amount = row.amount
        if not isinstance(amount, Decimal) or not amount.is_finite():
            problems.append(_("%(where)s: the amount is not a number") % {"where": where})
        elif amount < 0:
            problems.append(_("%(where)s: the amount must not be negative") % {"where": where})
        elif amount != amount.quantize(CENT) or amount >= AMOUNT_LIMIT:
            problems.append(
                _("%(where)s: the amount must have at most two decimals and be below 10¹⁰")
                % {"where": where}
            )
        volume = row.volume_m3
        if volume is not None and (
            not isinstance(volume, Decimal)
            or not volume.is_finite()
            or volume < 0
            or volume != volume.quantize(CENT)
            or volume >= VOLUME_LIMIT
        ):
            problems.append(
                _("%(where)s: the volume must be a number of at most two decimals, not negative")
                % {"where": where}
            )
        if not PERIOD.match(row.period or ""):
            problems.append(
                _("%(where)s: the period “%(value)s” is not YYYY-MM")
                % {"where": where, "value": row.period}
            )
        key = (row.account_no, row.period)
        if key in seen:
            problems.append(
                _("%(where)s: the bill of account %(no)s for %(period)s is corrected twice")
                % {"where": where, "no": row.account_no, "period": row.period}
            )
        seen.add(key)
    return problems


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _locked_accounts(account_nos) -> dict[str, Account]:
    """The accounts, locked in account-number order (every corrections file the same order: two
    at once wait for each other instead of deadlocking)."""
    accounts = {}
    for chunk in _chunks(sorted(account_nos)):
        accounts.update(
            (account.account_no, account)
            for account in Account.objects.select_for_update()
            .filter(account_no__in=chunk)
            .order_by("account_no")
        )
    return accounts


def _locked_bills(accounts: dict[str, Account], rows) -> dict[tuple[int, str], Bill]:
    periods_by_account = defaultdict(set)
    for row in rows:
        account = accounts.get(row.account_no)
        if account is not None:
            periods_by_account[account.pk].add(row.period)
    bills = {}
    ids = sorted(periods_by_account)
    for chunk in _chunks(ids):
        periods = set().union(*(periods_by_account[pk] for pk in chunk))
        for bill in (
            Bill.objects.select_for_update(of=("self",))
            .filter(account_id__in=chunk, period__in=periods)
            .order_by("account_id", "period")
        ):
            bills[(bill.account_id, bill.period)] = bill
    return bills


def bill_corrections_apply(
    *, actor, rows: list[CorrectionRow], source_file: str = ""
) -> CorrectionsApplied:
    """Apply a corrections file's `rows` (all or nothing). BillImportError, writing nothing,
    listing each row that names no existing bill (or is malformed) with its line number."""
    problems = _row_problems(rows)
    if problems:
        raise BillImportError(problems[:MAX_ERRORS], len(problems))
    if not rows:
        raise BillImportError([_("The file has no bills.")])
    result = CorrectionsApplied()
    with transaction.atomic():
        accounts = _locked_accounts({row.account_no for row in rows})
        bills = _locked_bills(accounts, rows)
        missing = []
        for row in rows:
            account = accounts.get(row.account_no)
            if account is None:
                missing.append(
                    _("%(where)s: there is no account %(no)s")
                    % {"where": _where(row), "no": row.account_no}
                )
            elif (account.pk, row.period) not in bills:
                missing.append(
                    _("%(where)s: account %(no)s has no bill for %(period)s to correct")
                    % {"where": _where(row), "no": row.account_no, "period": row.period}
                )
        if missing:
            raise BillImportError(missing[:MAX_ERRORS], len(missing))

        now = timezone.now()
        business_date = timezone.localdate(now)
        changed_bills, corrections, prepaid_added = [], [], defaultdict(lambda: ZERO)
        for row in rows:
            account = accounts[row.account_no]
            bill = bills[(account.pk, row.period)]
            if row.amount == bill.amount_due:
                result.unchanged += 1
                if len(result.notes) < MAX_ERRORS:
                    result.notes.append(
                        _("%(where)s: account %(no)s, %(period)s is already %(amount)s: unchanged")
                        % {
                            "where": _where(row),
                            "no": row.account_no,
                            "period": row.period,
                            "amount": bill.amount_due,
                        }
                    )
                continue
            old_due, old_paid = bill.amount_due, bill.amount_paid
            new_paid = min(old_paid, row.amount)
            excess = old_paid - new_paid
            bill.amount_due, bill.amount_paid = row.amount, new_paid
            if row.volume_m3 is not None:
                bill.volume_m3 = row.volume_m3
            bill.status = bill_status(bill)
            bill.account = account
            changed_bills.append(bill)
            prepaid_added[account.pk] += excess
            corrections.append(
                BillCorrection(
                    bill=bill,
                    old_amount_due=old_due,
                    new_amount_due=row.amount,
                    old_amount_paid=old_paid,
                    new_amount_paid=new_paid,
                    prepaid_added=excess,
                    source_file=(source_file or "")[:200],
                    corrected_by=actor if actor is not None and actor.is_authenticated else None,
                    corrected_at=now,
                )
            )
        if not corrections:
            result.notes.insert(0, _("Every bill already had its amount: nothing was changed."))
            return result

        for chunk in _chunks(changed_bills):
            Bill.objects.bulk_update(chunk, ["amount_due", "amount_paid", "status", "volume_m3"])
        by_pk = {account.pk: account for account in accounts.values()}
        for account_id, added in prepaid_added.items():
            if added:
                account = by_pk[account_id]
                # The value computed from the locked row (as allocation_write: SQLite would add
                # in floating point).
                account.prepaid_balance += added
                Account.objects.filter(pk=account_id).update(
                    prepaid_balance=account.prepaid_balance
                )
        BillCorrection.objects.bulk_create(corrections, batch_size=CHUNK)
        if any(correction.pk is None for correction in corrections):
            # Backends that do not return the keys of a bulk insert (none we run on today).
            by_bill = dict(
                BillCorrection.objects.filter(corrected_at=now).values_list("bill_id", "pk")
            )
            for correction in corrections:
                correction.pk = by_bill[correction.bill_id]
        for correction in corrections:
            audit_record(
                actor=actor,
                action="billing.bill.correct",
                obj=correction.bill,
                summary=_(
                    "Corrected from %(old)s to %(new)s (paid %(paid_before)s → %(paid_after)s, "
                    "%(prepaid)s to prepaid), file %(file)s"
                )
                % {
                    "old": correction.old_amount_due,
                    "new": correction.new_amount_due,
                    "paid_before": correction.old_amount_paid,
                    "paid_after": correction.new_amount_paid,
                    "prepaid": correction.prepaid_added,
                    "file": correction.source_file or "-",
                },
                changes={
                    "correction": correction.pk,
                    "amount_due": [correction.old_amount_due, correction.new_amount_due],
                    "amount_paid": [correction.old_amount_paid, correction.new_amount_paid],
                    "prepaid_added": correction.prepaid_added,
                },
            )
        # Last: the movements' numbers are taken with the sequence locked until the commit.
        movements_record(
            [
                MovementDraft(
                    kind=MovementKind.CORRECTION,
                    account_id=correction.bill.account_id,
                    amount=correction.new_amount_due - correction.old_amount_due,
                    business_date=business_date,
                    occurred_at=now,
                    prepaid_change=correction.prepaid_added,
                    correction_id=correction.pk,
                    lines=[
                        (
                            correction.bill,
                            correction.new_amount_paid - correction.old_amount_paid,
                        )
                    ],
                )
                for correction in corrections
            ]
        )
    result.corrections = corrections
    return result
