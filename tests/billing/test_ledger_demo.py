from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from billing.models import CashLedger, Deposit, HallDay, LedgerState


def test_demo_has_past_days_with_deposits_a_variance_and_a_verified_day_twice_over(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (CashLedger.objects.count(), Deposit.objects.count(), HallDay.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (CashLedger.objects.count(), Deposit.objects.count(), HallDay.objects.count()) == counts

    past = CashLedger.objects.filter(business_date__lt=timezone.localdate())
    assert past.values("business_date").distinct().count() == 3
    assert Deposit.objects.exists()
    assert past.exclude(variance=0).filter(variance_note__gt="").exists()
    assert past.filter(carried_out__gt=0).exists()
    assert past.filter(state=LedgerState.SUBMITTED).exists()
    assert HallDay.objects.filter(signed_at__isnull=False).count() == 3
    oldest = past.order_by("business_date").first().business_date
    assert not past.filter(business_date=oldest).exclude(state=LedgerState.VERIFIED).exists()
