"""Penalty amounts: typed with the one amount parser, summed exactly on SQLite too."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from staff.models import Penalty
from staff.selectors.penalties import bonus_statuses
from staff.services.penalties import penalty_record


def _url(world):
    return reverse("staff:penalty_person", kwargs={"employee_id": world.cashier.employee.pk})


def _form(amount):
    return {
        "kind": "company_notice",
        "date": timezone.localdate(),
        "reason": "检查通报",
        "source": "",
        "amount": amount,
    }


def test_office_records_a_penalty_typed_in_full_width_digits(world, login):
    login(world.office).post(_url(world), _form("１２３．４５"))

    assert Penalty.objects.get().amount == Decimal("123.45")


def test_a_penalty_amount_with_an_exponent_or_other_digits_is_refused_in_chinese(world, login):
    client = login(world.office)
    for amount in ("1e3", "1_000", "١٢٣", "NaN"):
        page = client.post(_url(world), _form(amount)).content.decode()

        assert "请输入以元为单位、最多两位小数的金额，例如 123.45。" in page
    assert not Penalty.objects.exists()


def test_a_penalty_amount_too_large_for_the_column_is_refused_not_a_500(world, login):
    response = login(world.office).post(_url(world), _form("10000000"))

    assert response.status_code == 200
    assert "金额过大：最多 9,999,999.99 元。" in response.content.decode()
    assert not Penalty.objects.exists()


def test_penalty_totals_are_exact_two_place_amounts(world):
    employee = world.cashier.employee
    for amount in ("0.10", "0.10", "0.10", "141.60"):
        penalty_record(
            actor=world.office,
            employee=employee,
            kind="company_notice",
            on=date(2026, 3, 1),
            reason="通报",
            amount=Decimal(amount),
        )

    total = bonus_statuses([employee], 2026)[employee.pk].total_deducted

    assert total == Decimal("141.90")
    # A float sum read back with 15 significant digits would be 141.900000000000.
    assert total.as_tuple().exponent == -2
