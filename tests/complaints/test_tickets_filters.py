"""The ticket list's FilterSet: the old query parameters, inside the user's scope."""

from complaints.filters import TicketFilterSet
from complaints.models import FollowUpOutcome
from complaints.selectors.tickets import tickets_for
from complaints.services.tickets import ticket_follow_up, ticket_forward, ticket_resolve
from tests.complaints.factories import open_ticket


def _search(user, **params):
    queryset = tickets_for(user).order_by("-received_at", "-id")
    return list(TicketFilterSet(params, queryset=queryset).qs)


def test_ticket_search_stays_inside_the_users_scope(world):
    mine = open_ticket(world.cashier, customer_name="赵女士")
    theirs = open_ticket(world.other_cashier, customer_name="赵先生")
    assert _search(world.cashier, q="赵") == [mine]
    assert set(_search(world.director, q="赵")) == {mine, theirs}
    assert _search(world.cashier, state="closed", q="赵") == []
    assert _search(world.cashier, state="all") == [mine]


def test_state_defaults_to_the_open_tickets(world):
    new = open_ticket(world.cashier)
    closed = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    closed = ticket_follow_up(actor=world.cashier, ticket=closed, outcome=FollowUpOutcome.SATISFIED)
    assert _search(world.cashier) == [new]
    assert _search(world.cashier, state="open") == [new]
    assert _search(world.cashier, state="closed") == [closed]
    assert _search(world.cashier, state="") == [closed, new]


def test_search_matches_number_name_phone_or_the_exact_account(world):
    from billing.models import Account

    Account.objects.create(account_no="100200", name="王先生")
    by_account = open_ticket(world.cashier, account_no="100200", customer_phone="13800000001")
    other = open_ticket(world.cashier, customer_name="李女士", customer_phone="13900000002")
    assert _search(world.cashier, q="100200") == [by_account]
    assert _search(world.cashier, q="10020") == []  # the account number only whole
    assert _search(world.cashier, q="李") == [other]
    assert _search(world.cashier, q="13900") == [other]
    assert _search(world.cashier, q=other.number) == [other]
    assert _search(world.cashier, q="  李女士  ") == [other]  # spaces around are ignored


def test_unreadable_state_is_left_out_with_its_message(world):
    forwarded = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    filters = TicketFilterSet({"state": "bogus"}, queryset=tickets_for(world.cashier))
    assert list(filters.qs) == [forwarded]
    assert filters.errors == {"state": ["选择一个有效的选项。 bogus 不在可用的选项中。"]}
