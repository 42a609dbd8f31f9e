from django.core.management.base import BaseCommand, CommandError

from billing.bills_file import MAX_ERRORS, BillImportError, corrections_read
from billing.management.import_errors import refuse_file
from billing.services.corrections import bill_corrections_apply
from billing.services.imports import bills_import


class Command(BaseCommand):
    help = (
        "Import a CSV file of bills from the meter-reading office (UTF-8 with or without BOM, "
        f"or GBK). All or nothing: any bad row rejects the file; the first {MAX_ERRORS} errors "
        "are listed, with their total. Runs here, not as a background job. With --corrections "
        "the file corrects (更正) the amount due of bills already imported (columns account_no, "
        "period, amount, optionally volume_m3; a bills file's other columns are ignored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument(
            "--corrections",
            action="store_true",
            help="the file corrects bills already imported instead of adding new ones",
        )

    def handle(self, *args, file, corrections=False, **options):
        try:
            with open(file, "rb") as source:
                if corrections:
                    rows = corrections_read(source)
                    applied = bill_corrections_apply(actor=None, rows=rows, source_file=file)
                else:
                    batch = bills_import(actor=None, source=source, filename=file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except BillImportError as error:
            raise refuse_file(self, error, file) from error
        if corrections:
            for note in applied.notes:
                self.stdout.write(note)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(applied.corrections)} bills corrected; {applied.unchanged} rows "
                    "already had their amount (unchanged)."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.bills_created} bills imported ({batch.encoding}); accounts: "
                f"{batch.accounts_created} new, {batch.accounts_updated} updated."
            )
        )
