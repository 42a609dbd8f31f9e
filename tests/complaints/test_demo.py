from django.core.management import call_command

from complaints.models import FirstContactTicket, TicketState
from staff.models import Penalty


def test_demo_has_every_state_some_overdue_some_responsible_and_is_idempotent(db):
    call_command("seed_demo")
    first = FirstContactTicket.objects.count()
    call_command("seed_demo")

    assert FirstContactTicket.objects.count() == first
    states = set(FirstContactTicket.objects.values_list("state", flat=True))
    assert states == set(TicketState.values)
    assert FirstContactTicket.objects.filter(result_overdue_at__isnull=False).exists()
    assert FirstContactTicket.objects.filter(responsible=True).exists()
    assert FirstContactTicket.objects.filter(cycle=2).exists()
    responsible = FirstContactTicket.objects.filter(responsible=True)
    numbers = [f"首问登记 {ticket.number}" for ticket in responsible]
    assert Penalty.objects.filter(source__in=numbers).count() == len(numbers)
