from django.core.management.base import BaseCommand

from staff.services.calendar import calendar_import_package, package_version, package_years


class Command(BaseCommand):
    help = (
        "Add to the working calendar every year the chinesecalendar package knows and the "
        "database lacks (never changes a year already entered). Run after upgrading it."
    )

    def handle(self, *args, **options):
        added = calendar_import_package()
        years = package_years()
        self.stdout.write(
            f"chinesecalendar {package_version()} knows {years[0]}-{years[-1]}; "
            f"added: {', '.join(map(str, added)) or 'none'}"
        )
