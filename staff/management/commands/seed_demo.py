from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from staff.core.extensions import demo_seeders
from staff.demo.core import demo_people
from staff.models import Hall


class Command(BaseCommand):
    help = "Load demo halls, people, accounts, tickets... (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no hall yet (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        password = settings.DEMO_PASSWORD
        if if_empty and Hall.objects.exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self.stdout.write("Loading demo data:")
            for label, seed in demo_seeders():
                self.stdout.write(f"- {label}")
                # Each app's demo data is all-or-nothing, like every other write here.
                with transaction.atomic():
                    seed(password=password, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, name, _number, hall, department, roles in demo_people():
            where = hall or department or "center"
            self.stdout.write(f"  {username:<22} {name:<8} {where:<11} {', '.join(roles)}")
