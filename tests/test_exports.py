"""Every CSV and XLSX export: text that a spreadsheet would run as a formula is neutralised
(CSV: a leading `'`; XLSX: a string cell), numbers stay numbers.

The people, hall, department, customer, penalty and corrections file below carry formulas in
their names; each export must show them as text. A new export URL fails
`test_every_export_url_is_covered` until it is added to EXPORTS.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.bills_file import CorrectionRow
from billing.services import counter as counter_services
from billing.services.corrections import bill_corrections_apply
from complaints.services.tickets import ticket_forward
from staff.services.penalties import penalty_record
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.complaints.factories import open_ticket
from tests.safety.factories import IncidentFactory

HALL = '=HYPERLINK("http://x","点我")'
CASHIER = "=cmd|' /C calc'!A0"
CUSTOMER = '=HYPERLINK("http://evil.example","查看账单")'
REASON = "+SUM(1,2)*10"
SOURCE = "@SUM(1+1)"
DEPARTMENT = "\t=1+1"
LEAD = "-2+3"
OFFICE = "\r=1+1"
# A terminal's reference typed at the counter: the movements' batch file carries no names.
REFERENCE = '=HYPERLINK("http://x","退款")'
HOSTILE = {HALL, CASHIER, CUSTOMER, REASON, SOURCE, DEPARTMENT, LEAD, OFFICE, REFERENCE}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _today():
    return timezone.localdate()


# url name -> (kwargs, query): every export, opened by the director (who may see them all).
EXPORTS = {
    "billing:payment_export": ({}, ""),
    "billing:correction_export": ({}, ""),
    "billing:ledger_monthly_export": ({}, ""),
    "billing:hall_day_export": (
        lambda w: {"hall": w.hall_a.pk, "day": _today().isoformat()},
        "",
    ),
    "staff:attendance_export": ({}, "hall=all"),
    "staff:penalties_export": ({}, ""),
    "complaints:sla_export": ({}, "dims=department&dims=owner"),
    "safety:overview_export": ({}, ""),
    "billing:movement_export": (lambda w: {"day": _today().isoformat()}, ""),
}
# Exports written in one format only (a batch file for another system is CSV).
CSV_ONLY = {"billing:movement_export"}


@pytest.fixture
def hostile(world):
    """A hall, people, a department, a customer and a penalty whose text is a formula, each
    with something to export: a payment, a cash ledger, a ticket, an open incident."""
    world.hall_a.name = HALL
    world.hall_a.save(update_fields=["name"])
    world.department.name = DEPARTMENT
    world.department.save(update_fields=["name"])
    for user, name in (
        (world.cashier, CASHIER),
        (world.shift_lead, LEAD),
        (world.office, OFFICE),
    ):
        user.employee.name = name
        user.employee.save(update_fields=["name"])
    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills("30.00", name=CUSTOMER)
    counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("30.00"),
        method="cash",
        tendered=Decimal("50.00"),
    )
    counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("5.00"),
        method="wechat",
        reference=REFERENCE,
    )
    bill_corrections_apply(
        actor=world.office,
        rows=[CorrectionRow(account.account_no, "2026-01", Decimal("12.00"))],
        source_file=SOURCE,
    )
    penalty_record(
        actor=world.director,
        employee=world.cashier.employee,
        kind="responsible_complaint",
        on=_today(),
        reason=REASON,
        source=SOURCE,
    )
    ticket = open_ticket(world.cashier, customer_name=CUSTOMER)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    return world


def _get(client, world, name, fmt):
    kwargs, query = EXPORTS[name]
    kwargs = kwargs(world) if callable(kwargs) else kwargs
    client.force_login(world.director)
    response = client.get(f"{reverse(name, kwargs={**kwargs, 'fmt': fmt})}?{query}")
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _export_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver) and entry.namespace != "admin":
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _export_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and "export" in entry.name:
            yield f"{namespace}{entry.name}"


def test_every_export_url_is_covered():
    assert set(_export_names(get_resolver().url_patterns)) == set(EXPORTS)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_export_writes_formulas_as_text_and_numbers_as_numbers(hostile, client, name):
    text = _get(client, hostile, name, "csv").decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]

    dangerous = [c for c in cells if c.startswith(TRIGGERS) and not NUMBER.match(c)]
    assert dangerous == []
    neutralised = {c[1:] for c in cells if c.startswith("'")}
    assert neutralised & HOSTILE, "the export shows none of the hostile names"
    assert any(NUMBER.match(c) for c in cells), "numbers are written without a prefix"


@pytest.mark.parametrize("name", sorted(set(EXPORTS) - CSV_ONLY))
def test_xlsx_export_writes_formulas_as_strings_and_numbers_as_numbers(hostile, client, name):
    book = load_workbook(io.BytesIO(_get(client, hostile, name, "xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]

    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert any(t.startswith("=") for t in texts & HOSTILE), "no formula-like name exported"
    assert {c.value for c in cells if isinstance(c.value, str) and c.data_type != "s"} == set()
    assert any(c.data_type == "n" and isinstance(c.value, int | float) for c in cells)
