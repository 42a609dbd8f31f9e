"""Tickets are made through the service, as at the counter, so their clocks are real."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission
from django.db import connection

from complaints.calendar_services import calendar_import_package
from complaints.models import Category, Channel
from complaints.services import ticket_open
from staff.roles import STAFF_PERMISSIONS


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


def restore_migrated_data():
    """Live-server tests end with a flush of every table, which also removes what the data
    migrations created (role groups, the working calendar). Put it back, idempotently, so
    a transactional test module neither depends on nor breaks the tests after it."""
    for role, codenames in STAFF_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["staff", "auth"], codename__in=codenames
            )
        )
    calendar_import_package()
    # Leave no connection open behind the test runner's back (it drops the database later).
    connection.close()
