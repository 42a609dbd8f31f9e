"""Demo data of the complaints app: the working calendar and tickets in every state."""

from .calendar_services import calendar_import_package


def seed(*, stdout):
    added = calendar_import_package()
    stdout.write(f"  complaints: calendar years added {added or 'none'}")
