"""Penalties: the annual-bonus standing of people, derived from their penalties."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from ..models import Penalty, PenaltyKind


@dataclass(frozen=True)
class BonusStatus:
    """The annual-bonus standing of one employee in one year, derived from the penalties."""

    year: int
    responsible_complaints: int
    company_notices: int
    city_notices: int
    total_deducted: Decimal

    @property
    def forfeited(self) -> bool:
        # 有责投诉全年达3次 / 被总公司通报达3次 / 被市住建委通报 → 扣除全年奖金.
        return (
            self.responsible_complaints >= 3 or self.company_notices >= 3 or self.city_notices >= 1
        )

    @property
    def at_risk(self) -> bool:
        return not self.forfeited and (
            self.responsible_complaints == 2 or self.company_notices == 2
        )

    @property
    def label(self) -> str:
        if self.forfeited:
            return _("Annual bonus forfeited")
        if self.at_risk:
            return _("Warning: one more forfeits the annual bonus")
        return _("Annual bonus not affected")


def _fen_sum():
    """The penalties' total in whole fen: SQLite's SUM over its floating-point decimals
    drifts (ten deductions of 0.10 are not 1.00 there)."""
    return Sum(Round(F("amount") * 100), output_field=BigIntegerField())


def _from_fen(value) -> Decimal:
    return (Decimal(int(round(value or 0))) / 100).quantize(Decimal("0.01"))


def bonus_statuses(employees, year: int) -> dict:
    """{employee id: BonusStatus} for many people in one query."""
    figures = (
        Penalty.objects.filter(employee__in=employees, date__year=year)
        .values("employee_id")
        .annotate(
            complaints=Count("id", filter=Q(kind=PenaltyKind.RESPONSIBLE_COMPLAINT)),
            company=Count("id", filter=Q(kind=PenaltyKind.COMPANY_NOTICE)),
            city=Count("id", filter=Q(kind=PenaltyKind.CITY_NOTICE)),
            fen=_fen_sum(),
        )
        .order_by()
    )
    by_employee = {
        row["employee_id"]: BonusStatus(
            year=year,
            responsible_complaints=row["complaints"],
            company_notices=row["company"],
            city_notices=row["city"],
            total_deducted=_from_fen(row["fen"]),
        )
        for row in figures
    }
    empty = BonusStatus(
        year=year,
        responsible_complaints=0,
        company_notices=0,
        city_notices=0,
        total_deducted=Decimal("0.00"),
    )
    return {e.pk: by_employee.get(e.pk, empty) for e in employees}
