from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from staff.models import PenaltyKind
from staff.selectors.penalties import bonus_statuses
from staff.services.penalties import penalty_record

pytestmark = pytest.mark.django_db


def _complaint(world, day):
    return penalty_record(
        actor=world.director,
        employee=world.cashier.employee,
        kind=PenaltyKind.RESPONSIBLE_COMPLAINT,
        on=day,
        reason="服务态度",
        source="T-1",
    )


def test_responsible_complaint_costs_200_yuan(world):
    assert _complaint(world, date(2026, 3, 1)).amount == Decimal("200.00")


def test_bonus_warning_at_two_and_forfeited_at_three_complaints_a_year(world):
    employee = world.cashier.employee
    _complaint(world, date(2026, 1, 5))
    _complaint(world, date(2025, 12, 5))  # last year: does not count
    _complaint(world, date(2026, 4, 5))
    assert bonus_statuses([employee], 2026)[employee.pk].at_risk

    _complaint(world, date(2026, 9, 5))
    status = bonus_statuses([employee], 2026)[employee.pk]
    assert status.forfeited and status.total_deducted == Decimal("600.00")


def test_one_city_notice_forfeits_the_bonus(world):
    penalty_record(
        actor=world.office,
        employee=world.cashier.employee,
        kind=PenaltyKind.CITY_NOTICE,
        on=date(2026, 5, 1),
        reason="暗访通报",
    )

    assert bonus_statuses([world.cashier.employee], 2026)[world.cashier.employee.pk].forfeited


def test_penalty_without_reason_is_refused_and_nothing_written(world):
    with pytest.raises(ValidationError):
        penalty_record(
            actor=world.office,
            employee=world.cashier.employee,
            kind=PenaltyKind.COMPANY_NOTICE,
            on=date(2026, 5, 1),
            reason="  ",
        )

    assert not world.cashier.employee.penalties.exists()


def test_penalty_is_audited_on_the_employee(world):
    from staff.core.audit import history_for

    _complaint(world, date(2026, 3, 1))

    assert history_for(world.cashier.employee).get().action == "penalty.record"
