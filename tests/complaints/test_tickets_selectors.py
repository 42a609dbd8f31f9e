"""Which tickets each user may see, and whom they may make a ticket's owner."""

from complaints.selectors.tickets import tickets_for
from complaints.services.tickets import ticket_forward
from tests.complaints.factories import open_ticket


def _numbers(user):
    return set(tickets_for(user).values_list("number", flat=True))


def test_each_role_sees_its_scope(world):
    own = open_ticket(world.cashier)
    colleague = open_ticket(world.cashier2)
    other_hall = open_ticket(world.other_cashier)
    forwarded = ticket_forward(
        actor=world.other_cashier,
        ticket=open_ticket(world.other_cashier),
        department=world.department,
    )
    everything = {t.number for t in (own, colleague, other_hall, forwarded)}

    assert _numbers(world.cashier) == {own.number}
    assert _numbers(world.lobby_manager) == {own.number, colleague.number}
    assert _numbers(world.other_lobby_manager) == {other_hall.number, forwarded.number}
    assert _numbers(world.liaison) == {forwarded.number}
    assert _numbers(world.office) == everything
    assert _numbers(world.director) == everything
    assert _numbers(world.shift_lead) == set()


def test_owner_and_opener_both_keep_seeing_a_handed_over_ticket(world):
    from complaints.services.tickets import ticket_change_owner

    ticket = open_ticket(world.cashier)
    ticket_change_owner(
        actor=world.lobby_manager, ticket=ticket, new_owner=world.cashier2.employee, reason="休假"
    )
    assert ticket.number in _numbers(world.cashier)
    assert ticket.number in _numbers(world.cashier2)
