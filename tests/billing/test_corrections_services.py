"""Bill corrections (更正): the service, the void after a correction, the file and the command."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from billing.bills_file import BillImportError, CorrectionRow, corrections_read
from billing.models import (
    Account,
    Bill,
    BillCorrection,
    BillStatus,
    Movement,
    MovementKind,
    Payment,
    PaymentKind,
)
from billing.services import corrections as services
from billing.services import voids as void_services
from billing.services.imports import bills_import
from staff.models import AuditEntry
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.usefixtures("english")

D = Decimal


def row(account, period, amount, volume=None, line=None):
    return CorrectionRow(
        account_no=account.account_no,
        period=period,
        amount=D(amount),
        volume_m3=None if volume is None else D(volume),
        line=line,
    )


def bill(account, period) -> Bill:
    return Bill.objects.get(account=account, period=period)


def test_office_corrects_an_unpaid_bill_to_the_new_amount(world):
    account = account_with_bills("30.00", "40.00")

    applied = services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "25.50", volume="8.50")], source_file="x"
    )

    corrected = bill(account, "2026-01")
    assert (corrected.amount_due, corrected.amount_paid, corrected.status) == (
        D("25.50"),
        D("0.00"),
        BillStatus.UNPAID,
    )
    assert corrected.volume_m3 == D("8.50")
    (correction,) = applied.corrections
    assert (correction.old_amount_due, correction.new_amount_due) == (D("30.00"), D("25.50"))
    assert (correction.old_amount_paid, correction.new_amount_paid) == (D("0.00"), D("0.00"))
    assert (correction.prepaid_added, correction.corrected_by) == (D("0.00"), world.office)
    movement = Movement.objects.get(correction=correction)
    assert (movement.kind, movement.amount, movement.prepaid_change) == (
        MovementKind.CORRECTION,
        D("-4.50"),
        D("0.00"),
    )
    assert [(line.period, line.amount) for line in movement.lines.all()] == [("2026-01", D("0.00"))]
    assert AuditEntry.objects.filter(action="billing.bill.correct", object_id=str(corrected.pk))


def test_correction_above_a_paid_bill_makes_the_difference_due_again(world, pay):
    account = account_with_bills("30.00")
    pay(account, "30.00")

    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "45.00")], source_file="f.csv"
    )

    corrected = bill(account, "2026-01")
    assert (corrected.amount_paid, corrected.amount_open, corrected.status) == (
        D("30.00"),
        D("15.00"),
        BillStatus.PARTLY_PAID,
    )
    account.refresh_from_db()
    assert account.prepaid_balance == D("0.00")
    movement = Movement.objects.get(kind=MovementKind.CORRECTION)
    assert (movement.amount, movement.prepaid_change) == (D("15.00"), D("0.00"))


def test_correction_down_to_what_was_paid_leaves_the_bill_paid(world, pay):
    account = account_with_bills("30.00")
    pay(account, "20.00")

    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "20.00")], source_file=""
    )

    corrected = bill(account, "2026-01")
    assert (corrected.amount_paid, corrected.status) == (D("20.00"), BillStatus.PAID)


def test_correction_below_what_was_paid_sends_the_excess_to_prepaid(world, pay):
    account = account_with_bills("30.00", prepaid="5.00")
    pay(account, "25.00")  # 5.00 of prepaid and 25.00 new money pay the bill

    applied = services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "12.00")], source_file="f.csv"
    )

    corrected = bill(account, "2026-01")
    assert (corrected.amount_due, corrected.amount_paid, corrected.status) == (
        D("12.00"),
        D("12.00"),
        BillStatus.PAID,
    )
    account.refresh_from_db()
    assert account.prepaid_balance == D("18.00")
    (correction,) = applied.corrections
    assert (correction.old_amount_paid, correction.new_amount_paid) == (D("30.00"), D("12.00"))
    assert correction.prepaid_added == D("18.00")
    movement = Movement.objects.get(correction=correction)
    assert (movement.amount, movement.prepaid_change) == (D("-18.00"), D("18.00"))
    assert [line.amount for line in movement.lines.all()] == [D("-18.00")]


def test_correction_to_zero_of_an_unpaid_bill_settles_it(world):
    account = account_with_bills("30.00")

    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "0")], source_file=""
    )

    assert bill(account, "2026-01").status == BillStatus.PAID


def test_row_with_the_current_amount_is_reported_and_writes_nothing(world):
    account = account_with_bills("30.00", "40.00")

    applied = services.bill_corrections_apply(
        actor=world.office,
        rows=[row(account, "2026-01", "30.00", line=2), row(account, "2026-02", "41.00", line=3)],
        source_file="f.csv",
    )

    assert applied.unchanged == 1
    assert "Line 2" in applied.notes[0] and "unchanged" in applied.notes[0]
    assert [c.bill.period for c in applied.corrections] == ["2026-02"]
    assert Movement.objects.filter(kind=MovementKind.CORRECTION).count() == 1
    assert BillCorrection.objects.count() == 1


def test_unknown_bill_refuses_the_whole_file_with_its_line(world):
    account = account_with_bills("30.00")
    before = list(Bill.objects.values_list("amount_due", flat=True))

    with pytest.raises(BillImportError) as refused:
        services.bill_corrections_apply(
            actor=world.office,
            rows=[
                row(account, "2026-01", "10.00", line=2),
                row(account, "2026-05", "10.00", line=3),
                CorrectionRow(account_no="NOPE", period="2026-01", amount=D("1.00"), line=4),
            ],
            source_file="f.csv",
        )

    assert refused.value.errors == [
        f"Line 3: account {account.account_no} has no bill for 2026-05 to correct",
        "Line 4: there is no account NOPE",
    ]
    assert list(Bill.objects.values_list("amount_due", flat=True)) == before
    assert not BillCorrection.objects.exists()
    assert not Movement.objects.exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        (D("-1.00"), "must not be negative"),
        (D("1.005"), "at most two decimals"),
        (D("NaN"), "not a number"),
        ("2026-1", "not YYYY-MM"),
    ],
)
def test_bad_amount_or_period_refuses_the_rows(world, amount, message):
    account = account_with_bills("30.00")
    period = amount if isinstance(amount, str) else "2026-01"
    amount = D("1.00") if isinstance(amount, str) else amount
    bad = CorrectionRow(account_no=account.account_no, period=period, amount=amount, line=2)

    with pytest.raises(BillImportError) as refused:
        services.bill_corrections_apply(actor=world.office, rows=[bad], source_file="")

    assert message in refused.value.errors[0]
    assert bill(account, "2026-01").amount_due == D("30.00")


def test_the_same_bill_twice_is_refused(world):
    account = account_with_bills("30.00")

    with pytest.raises(BillImportError):
        services.bill_corrections_apply(
            actor=world.office,
            rows=[row(account, "2026-01", "10.00"), row(account, "2026-01", "11.00")],
            source_file="",
        )

    assert not BillCorrection.objects.exists()


# --- A void after a correction ------------------------------------------------------------


def _void(world, payment):
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错收")
    return void_services.void_approve(lead=world.shift_lead, void=request)


def test_void_after_a_correction_lowered_the_bill_takes_the_rest_back_from_prepaid(world, pay):
    account = account_with_bills("30.00")
    payment = pay(account, "30.00")
    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "10.00")], source_file=""
    )

    reversal = _void(world, payment)

    corrected = bill(account, "2026-01")
    assert (corrected.amount_due, corrected.amount_paid, corrected.status) == (
        D("10.00"),
        D("0.00"),
        BillStatus.UNPAID,
    )
    account.refresh_from_db()
    assert account.prepaid_balance == D("0.00")
    assert (reversal.amount, reversal.prepaid_added) == (D("-30.00"), D("-20.00"))
    assert [line.amount for line in reversal.lines.all()] == [D("-10.00")]
    movement = Movement.objects.get(payment=reversal)
    assert (movement.amount, movement.prepaid_change) == (D("-30.00"), D("-20.00"))
    assert [line.amount for line in movement.lines.all()] == [D("-10.00")]
    entry = AuditEntry.objects.get(action="billing.void.approve")
    assert entry.changes["taken_from_prepaid"] == "20.00"


def test_void_after_a_correction_to_zero_writes_no_empty_payment_line(world, pay):
    account = account_with_bills("30.00")
    payment = pay(account, "30.00")
    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "0.00")], source_file=""
    )

    reversal = _void(world, payment)

    assert not reversal.lines.exists()
    assert bill(account, "2026-01").status == BillStatus.PAID
    account.refresh_from_db()
    assert account.prepaid_balance == D("0.00")


def test_void_is_refused_when_the_prepaid_from_a_correction_is_spent(world, pay):
    account = account_with_bills("30.00", "20.00")
    payment = pay(account, "30.00")
    services.bill_corrections_apply(
        actor=world.office, rows=[row(account, "2026-01", "10.00")], source_file=""
    )
    pay(account, "5.00")  # 20.00 of prepaid and 5.00 settle the second bill

    with pytest.raises(ValidationError, match="already spent"):
        _void(world, payment)

    assert Payment.objects.filter(kind=PaymentKind.REVERSAL).count() == 0
    assert bill(account, "2026-01").amount_paid == D("10.00")


# --- The file and the command -----------------------------------------------------------------


def _csv(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_corrections_file_reads_the_bills_file_columns_or_the_short_ones():
    full = _csv(
        "户号,户名,地址,电话,账期,水量,金额\n1001,张三,象山大道1号,138,2026-01,8.5,25.50\n", "gbk"
    )
    short = _csv("account_no,period,amount\n1001,2026-01,25.5\n")

    assert corrections_read(full) == [
        CorrectionRow("1001", "2026-01", D("25.50"), D("8.50"), line=2)
    ]
    assert corrections_read(short) == [CorrectionRow("1001", "2026-01", D("25.50"), None, 2)]


def test_corrections_file_lists_bad_lines_and_duplicates():
    source = _csv(
        "account_no,period,amount\n1001,2026-13,1\n1001,2026-01,-2\n1002,2026-01,3\n"
        "1002,2026-01,4\n"
    )

    with pytest.raises(BillImportError) as refused:
        corrections_read(source)

    assert [error.split(":")[0] for error in refused.value.errors] == [
        "Line 2",
        "Line 3",
        "Line 5",
    ]


def test_normal_import_of_a_known_period_points_to_corrections(world):
    account = account_with_bills("30.00")
    source = _csv(
        "account_no,name,address,phone,period,volume_m3,amount\n"
        f"{account.account_no},张三,地址,138,2026-01,10,31.00\n"
    )

    with pytest.raises(BillImportError) as refused:
        bills_import(actor=world.office, source=source)

    assert "upload the file as corrections" in refused.value.errors[0]


def test_import_bills_corrections_command_corrects_and_reports(world, tmp_path, capsys):
    account = account_with_bills("30.00", "40.00")
    path = tmp_path / "corrections.csv"
    path.write_text(
        f"户号,账期,金额\n{account.account_no},2026-01,28.00\n{account.account_no},2026-02,40\n",
        encoding="gbk",
    )

    call_command("import_bills", str(path), "--corrections")

    out = capsys.readouterr().out
    assert "1 bills corrected; 1 rows" in out and "Line 3" in out
    assert bill(account, "2026-01").amount_due == D("28.00")
    correction = BillCorrection.objects.get()
    assert (correction.corrected_by, correction.source_file) == (None, str(path))


def test_import_bills_corrections_command_refuses_an_unknown_bill(world, tmp_path):
    account = account_with_bills("30.00")
    path = tmp_path / "corrections.csv"
    path.write_text(f"account_no,period,amount\n{account.account_no},2027-01,1\n")

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_bills", str(path), "--corrections")

    assert Account.objects.get(pk=account.pk).bills.get().amount_due == D("30.00")


def test_corrections_file_far_too_long_is_refused_as_a_likely_bills_file(monkeypatch):
    monkeypatch.setattr("billing.bills_file.MAX_CORRECTION_ROWS", 2)
    source = _csv("account_no,period,amount\n1,2026-01,1\n2,2026-01,1\n3,2026-01,1\n")

    with pytest.raises(BillImportError) as refused:
        corrections_read(source)

    assert refused.value.errors[0].startswith("Line 4: a corrections file holds at most 2 rows")
