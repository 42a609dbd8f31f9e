from django.core.management.base import BaseCommand

from complaints.services.sla import sla_check


class Command(BaseCommand):
    help = (
        "Mark overdue first-contact clocks, create chase reminders for owners and escalations "
        "for leadership, and mail them when EMAIL_ENABLED (safe to run repeatedly, e.g. by cron)."
    )

    def handle(self, *args, **options):
        result = sla_check()
        self.stdout.write(
            f"response overdue: {result.response_overdue}, result overdue: "
            f"{result.result_overdue}, reminders: {result.reminders}, mailed: {result.mailed}"
        )
