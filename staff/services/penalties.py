"""Penalties (扣款): recording a deduction. Other apps call it; staff imports none of them."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..core.audit import audit_record
from ..models import Employee, Penalty, PenaltyKind

# 工作标准 9: "被总公司及本部门检查通报1次的,扣当事人200元;有责投诉1次的,扣当事人200元".
STANDARD_PENALTY_AMOUNTS = {
    PenaltyKind.RESPONSIBLE_COMPLAINT: Decimal("200.00"),
    PenaltyKind.DEPARTMENT_NOTICE: Decimal("200.00"),
    PenaltyKind.COMPANY_NOTICE: Decimal("200.00"),
    # A city notice forfeits the whole annual bonus instead of a fixed amount.
    PenaltyKind.CITY_NOTICE: Decimal("0.00"),
}


def penalty_record(
    *,
    actor,
    employee: Employee,
    kind: str,
    on: date,
    reason: str,
    source: str = "",
    amount: Decimal | None = None,
) -> Penalty:
    """Record a deduction for `employee`; the standard amount of `kind` unless one is given."""
    if amount is None:
        if kind not in STANDARD_PENALTY_AMOUNTS:
            raise ValidationError(_("Enter the amount for this kind of penalty."))
        amount = STANDARD_PENALTY_AMOUNTS[kind]
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("The amount must be zero or more, in yuan with two decimals."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the penalty."))
    with transaction.atomic():
        penalty = Penalty.objects.create(
            employee=employee,
            kind=kind,
            date=on,
            amount=amount,
            reason=reason.strip(),
            source=source,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="penalty.record",
            obj=employee,
            summary=_("Penalty %(kind)s of %(amount)s yuan: %(reason)s")
            % {"kind": penalty.get_kind_display(), "amount": amount, "reason": penalty.reason},
            changes={"penalty": penalty.pk, "kind": kind, "amount": amount, "source": source},
        )
    return penalty
