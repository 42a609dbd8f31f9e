from django.core.management.base import BaseCommand, CommandError

from billing.bills_file import MAX_ERRORS, BillImportError
from billing.services.imports import bills_import


class Command(BaseCommand):
    help = (
        "Import a CSV file of bills from the meter-reading office (UTF-8 with or without BOM, "
        f"or GBK). All or nothing: any bad row rejects the file; the first {MAX_ERRORS} errors "
        "are listed, with their total. Runs here, not as a background job."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as source:
                batch = bills_import(actor=None, source=source, filename=file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except BillImportError as error:
            for message in error.errors:
                self.stderr.write(message)
            if error.total > len(error.errors):
                self.stderr.write(f"... and {error.total - len(error.errors)} more")
            raise CommandError(
                f"{error.total} error(s): nothing was imported from {file}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.bills_created} bills imported ({batch.encoding}); accounts: "
                f"{batch.accounts_created} new, {batch.accounts_updated} updated."
            )
        )
