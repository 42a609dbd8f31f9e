"""Reads of the staff app."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import Employee, Penalty, PenaltyKind
from .services import BonusStatus


def bonus_status_for(employee: Employee, year: int) -> BonusStatus:
    """Count the year's penalties by kind in one query and apply the bonus rules."""
    figures = Penalty.objects.filter(employee=employee, date__year=year).aggregate(
        complaints=Count("id", filter=Q(kind=PenaltyKind.RESPONSIBLE_COMPLAINT)),
        company=Count("id", filter=Q(kind=PenaltyKind.COMPANY_NOTICE)),
        city=Count("id", filter=Q(kind=PenaltyKind.CITY_NOTICE)),
        total=Sum("amount"),
    )
    return BonusStatus(
        year=year,
        responsible_complaints=figures["complaints"],
        company_notices=figures["company"],
        city_notices=figures["city"],
        total_deducted=figures["total"] or Decimal("0.00"),
    )
