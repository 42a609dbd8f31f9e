"""Tickets are made through the service, as at the counter, so their clocks are real."""

from datetime import datetime
from zoneinfo import ZoneInfo

from complaints.models import Category, Channel
from complaints.services.tickets import ticket_open


def local(*args) -> datetime:
    """An aware Asia/Shanghai datetime: local(2026, 2, 13, 10, 0)."""
    return datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))


def open_ticket(user, **overrides):
    fields = {
        "channel": Channel.VISIT,
        "category": Category.REPAIRS,
        "customer_name": "王先生",
        "customer_phone": "13972400001",
        "street": "象山大道",
        "house_number": "12号",
        "landmark": "人民医院对面",
        "content": "楼道水表漏水，已经两天了。",
    }
    fields.update(overrides)
    return ticket_open(actor=user, **fields)
