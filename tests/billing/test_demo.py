from io import StringIO

from django.core.management import call_command

from billing.models import Bill, BillStatus, InvoiceRange, Payment, VoidRequest


def test_seed_demo_gives_every_demo_cashier_a_range_and_open_bills_twice_over(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (Payment.objects.count(), InvoiceRange.objects.count(), Bill.objects.count())
    call_command("seed_demo", stdout=StringIO())

    assert (Payment.objects.count(), InvoiceRange.objects.count(), Bill.objects.count()) == counts
    for username in ("cashier_longquan", "cashier2_quankou", "lead_duodao"):
        assert InvoiceRange.objects.filter(cashier__username=username, status="active").exists()
    assert Bill.objects.exclude(status=BillStatus.PAID).count() > 50
    assert Payment.objects.values("business_date").distinct().count() == 4
    assert VoidRequest.objects.filter(status="pending").count() == 1
