"""What tests/test_fuzz.py found, one behaviour each: bad input gets a clear answer, never a 500,
and changes nothing."""

import uuid
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from billing.forms import AmountField
from billing.models import CashLedger, Payment
from billing.money import AMOUNT_MAX, parse_amount
from safety.models import EmergencyContact, Incident
from staff.core.params import MAX_INT_DIGITS, int_param
from tests.billing.factories import InvoiceRangeFactory, account_with_bills

NUL_MESSAGE = "任何输入项都不接受"
TOO_MANY_DIGITS = "9" * 10_000
BEYOND_BIGINT = "99999999999999999999"


@pytest.fixture(autouse=True)
def _server_errors_as_answers(client):
    """A view that raises answers 500 here, as in production, instead of raising in the test."""
    client.raise_request_exception = False


# --- NUL characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url"),
    [("cashier", "billing:counter"), ("lobby_manager", "complaints:ticket_list")],
)
def test_search_with_a_nul_character_answers_400_in_chinese(world, login, persona, url):
    response = login(getattr(world, persona)).get(reverse(url), {"q": "王\x00"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_form_with_a_nul_character_is_refused_and_saves_nothing(world, login):
    """As a browser sends a form without files: url-encoded."""
    contacts = EmergencyContact.objects.count()
    response = login(world.director).post(
        reverse("safety:contact_create"),
        urlencode({"kind": "national", "name": "火警\x00", "phone": "119", "sort_order": "0"}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert EmergencyContact.objects.count() == contacts


def test_nul_refusal_page_keeps_the_security_headers(world, login):
    response = login(world.cashier).get(reverse("billing:counter"), {"q": "\x00"})

    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_multipart_form_with_a_nul_character_is_refused_by_the_form(world, login):
    """Multipart bodies (uploads) are not read by the middleware: the form refuses the NUL."""
    contacts = EmergencyContact.objects.count()
    response = login(world.director).post(
        reverse("safety:contact_create"),
        {"kind": "national", "name": "火警\x00", "phone": "119", "sort_order": "0"},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("name", "null_characters_not_allowed")
    assert EmergencyContact.objects.count() == contacts


# --- Whole numbers in query parameters ------------------------------------------------------


def test_int_param_reads_a_number_in_range():
    assert int_param({"year": " 2026 "}, "year", 1, low=2000, high=2100) == 2026
    assert int_param({"n": "-3"}, "n", 0, low=-5, high=5) == -3


@pytest.mark.parametrize(
    "text",
    ["", "abc", "2026-02-30", "１２", "٣", "1e3", "99999", TOO_MANY_DIGITS, "-1", "20\x0026"],
)
def test_int_param_falls_back_to_the_default(text):
    assert int_param({"year": text}, "year", 7, low=0, high=9000) == 7


@given(st.text())
def test_int_param_never_raises_and_stays_in_range(text):
    value = int_param({"n": text}, "n", None, low=-(10**MAX_INT_DIGITS), high=10**MAX_INT_DIGITS)
    assert value is None or -(10**MAX_INT_DIGITS) <= value <= 10**MAX_INT_DIGITS


def test_calendar_with_a_year_of_ten_thousand_digits_shows_this_year(world, login):
    response = login(world.office).get(reverse("complaints:calendar"), {"year": TOO_MANY_DIGITS})

    assert response.status_code == 200


def test_drill_with_a_problem_index_of_ten_thousand_digits_shows_the_drill(world, login):
    from tests.safety.access_table import drill

    url = reverse("safety:drill_detail", kwargs={"pk": drill(world).pk})
    response = login(world.director).get(url, {"problem": TOO_MANY_DIGITS})

    assert response.status_code == 200


# --- Money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["9" * 29, TOO_MANY_DIGITS, "1" + "0" * 40 + ".00", "-" + TOO_MANY_DIGITS]
)
def test_an_amount_of_more_digits_than_a_money_column_holds_is_refused_not_raised(text):
    value = parse_amount(text)  # no exception, however many digits
    assert value is None or abs(value) > AMOUNT_MAX
    with pytest.raises(ValidationError):
        AmountField().clean(text)


@given(st.text())
def test_parse_amount_never_raises(text):
    value = parse_amount(text)
    # Exactly two places, whatever the size (quantize itself fails past 28 digits).
    assert value is None or value.as_tuple().exponent == -2


@given(st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2))
def test_amount_field_takes_every_amount_a_money_column_holds(amount):
    assert AmountField().clean(str(amount)) == amount


@pytest.mark.parametrize("text", [BEYOND_BIGINT, "10000000000.00"])
def test_amount_field_refuses_an_amount_beyond_the_money_columns(text):
    with pytest.raises(forms.ValidationError) as error:
        AmountField().clean(text)

    assert error.value.code == "max_value"


def test_amount_field_refuses_a_negative_amount():
    with pytest.raises(forms.ValidationError) as error:
        AmountField().clean("-10000000000")

    assert error.value.code == "invalid"


def test_opening_float_beyond_the_money_columns_is_refused_and_no_ledger_opens(world, login):
    """SQLite used to store it as a float that no later read could turn back into a Decimal."""
    response = login(world.cashier).post(
        reverse("billing:ledger_today"), {"opening_float": BEYOND_BIGINT}
    )

    assert response.status_code in (200, 400)
    assert "金额过大" in response.content.decode()
    assert not CashLedger.objects.exists()


def test_blind_count_of_more_notes_than_a_counter_holds_is_refused(world, login):
    from billing.services.ledger import ledger_open

    ledger = ledger_open(cashier=world.cashier)
    response = login(world.cashier).post(
        reverse("billing:ledger_submit", kwargs={"pk": ledger.pk}),
        {"count_100": BEYOND_BIGINT, "coins_total": "0"},
    )

    assert response.status_code == 400
    ledger.refresh_from_db()
    assert ledger.is_open


def test_payment_naming_an_account_id_beyond_bigint_is_refused(world, login):
    InvoiceRangeFactory(cashier=world.cashier)
    account_with_bills("30.00")
    response = login(world.cashier).post(
        reverse("billing:counter"),
        {
            "account": BEYOND_BIGINT,
            "form_token": str(uuid.uuid4()),
            "amount": "30.00",
            "method": "cash",
            "tendered": "30.00",
        },
    )

    assert response.status_code == 400
    assert not Payment.objects.exists()


# --- Integers of the safety forms -----------------------------------------------------------


def test_contact_sort_order_beyond_the_column_is_a_form_error(world, login):
    contacts = EmergencyContact.objects.count()
    response = login(world.director).post(
        reverse("safety:contact_create"),
        {"kind": "national", "name": "火警", "phone": "119", "sort_order": BEYOND_BIGINT},
    )

    assert response.status_code == 200
    assert "32767" in response.content.decode()
    assert EmergencyContact.objects.count() == contacts


def test_incident_with_more_injured_than_the_column_holds_is_a_form_error(world, login):
    response = login(world.cashier).post(
        reverse("safety:incident_report"),
        {
            "hall": world.hall_a.pk,
            "kind": "major_dispute",
            "occurred_at": "2026-03-02T09:00",
            "description": "争吵",
            "injured_count": BEYOND_BIGINT,
        },
    )

    assert response.status_code == 200
    assert not Incident.objects.exists()


# --- Login ----------------------------------------------------------------------------------


def test_login_with_a_username_longer_than_the_column_is_a_form_error(client, db):
    """The failed-login log (varchar(255)) overflowed on PostgreSQL."""
    response = client.post(
        reverse("login"),
        {"username": "u" * 10_000, "password": "pass-Word-123"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("username", "max_length")
    assert not AccessAttempt.objects.exists()


def test_login_form_still_signs_a_person_in(world, client):
    from staff.core.forms import LoginForm

    request = RequestFactory().post("/")
    form = LoginForm(request, data={"username": "cashier", "password": "pass-Word-123"})

    assert form.is_valid(), form.errors
    assert form.get_user() == world.cashier


# --- Text that reaches the audit trail without a form -----------------------------------------


def test_roster_reason_with_a_nul_character_is_refused_and_saves_nothing(world, login):
    """Sent as an upload form would be (multipart), past the middleware: PostgreSQL's JSON
    refused the NUL in the audit entry with a 500."""
    from django.utils import timezone

    from staff.models import RosterEntry

    day = timezone.localdate()
    url = f"{reverse('staff:roster')}?hall={world.hall_a.pk}&start={day.isoformat()}"
    response = login(world.shift_lead).post(
        url,
        {f"c-{world.cashier.employee.pk}-{day:%Y%m%d}": "休", "reason": "改\x00", "action": "save"},
    )

    assert response.status_code == 200
    assert "原因" in response.content.decode()
    assert not RosterEntry.objects.exists()
