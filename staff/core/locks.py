"""Row locks that serialise the changes spanning a whole hall."""

from ..models import Hall


def lock_hall(hall_id) -> Hall:
    """Lock the hall's row until the transaction ends: its roster, leave, duty rota, attendance
    report, emergency contacts and safety rounds are changed one at a time.

    FOR NO KEY UPDATE, not FOR UPDATE: every new row that refers to the hall (a payment, a cash
    ledger, an incident) takes FOR KEY SHARE on it for its foreign key, which FOR UPDATE would
    block, so a roster save would have held up every counter of the hall until it committed.
    The two still exclude each other, so these changes stay serialised. (SQLite locks the
    whole database for a writing transaction instead.)
    """
    return Hall.objects.select_for_update(no_key=True).get(pk=hall_id)
