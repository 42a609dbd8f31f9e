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


def test_seed_demo_records_a_week_of_channel_payments_with_one_double_for_a_hall(db):
    from billing.models import Channel, ChannelPayment, Movement

    call_command("seed_demo", stdout=StringIO())
    count = ChannelPayment.objects.count()
    call_command("seed_demo", stdout=StringIO())

    assert ChannelPayment.objects.count() == count >= 24
    assert set(ChannelPayment.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert ChannelPayment.objects.values("business_date").distinct().count() == 7
    [double] = ChannelPayment.objects.filter(possible_double=True)
    assert double.channel == "wechat" and double.follow_up_hall is not None
    assert double.account.payments.exists()
    assert Movement.objects.filter(kind="channel_payment").count() == count
