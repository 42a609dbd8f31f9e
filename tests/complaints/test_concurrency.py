"""Ticket numbers under concurrent counters: no duplicates, no gaps (PostgreSQL only)."""

import threading

import pytest
from django.db import close_old_connections, connection

from complaints.models import FirstContactTicket
from tests.complaints.factories import open_ticket


@pytest.mark.django_db(transaction=True)
def test_concurrent_tickets_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.conftest import build_world

    world = build_world()
    errors = []
    barrier = threading.Barrier(6)

    def register(user):
        try:
            barrier.wait()
            for _ in range(5):
                open_ticket(user)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    users = [
        world.cashier,
        world.cashier2,
        world.other_cashier,
        world.office,
        world.director,
        world.lobby_manager,
    ]
    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(
        int(n.split("-")[1]) for n in FirstContactTicket.objects.values_list("number", flat=True)
    )
    assert serials == list(range(1, 31))
