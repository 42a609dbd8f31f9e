from django.core.management.base import BaseCommand, CommandError

from billing.bills_file import MAX_ERRORS, BillImportError
from billing.channels_file import CHINESE_COLUMNS, COLUMNS
from billing.management.import_errors import refuse_file
from billing.money import yuan
from billing.services.imports import channel_payments_import


class Command(BaseCommand):
    help = (
        "Import a CSV file of payments made through other channels (WeChat, Alipay, bank "
        "direct debit and collection, the official account): header "
        f"{','.join(COLUMNS)} or {','.join(CHINESE_COLUMNS)}; UTF-8 with or without BOM, or "
        "GBK; the channel as its code (wechat, alipay, bank_debit, bank_collection, "
        "official_account) or its Chinese name; paid_at as YYYY-MM-DD HH:MM[:SS] Beijing time "
        "or ISO 8601 with offset. All or nothing: any bad line rejects the file; the first "
        f"{MAX_ERRORS} errors are listed, with their total. A payment already reported "
        "(same channel and reference) is not recorded again. Runs here; --background queues "
        "it for the worker (manage.py db_worker) instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument(
            "--source",
            default="",
            help="name recorded as the payments' source file (default: the file's name)",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import as a background job (office page shows its progress)",
        )

    def handle(self, *args, file, source, background, **options):
        name = source or file
        if background:
            return self._enqueue(file, name)
        try:
            with open(file, "rb") as stream:
                result = channel_payments_import(actor=None, source=stream, filename=name)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except BillImportError as error:
            raise refuse_file(self, error, file) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} lines ({result.encoding}): {result.new} new channel payments "
                f"of {yuan(result.new_total)} yuan, {result.already} already reported, "
                f"{result.doubles} possible double payments; file total "
                f"{yuan(result.file_total)} yuan."
            )
        )

    def _enqueue(self, file, name):
        from django.core.exceptions import ValidationError
        from django.core.files import File

        from billing.models import ImportKind
        from billing.services.imports import bill_import_confirm, bill_import_upload

        try:
            with open(file, "rb") as stream:
                upload = File(stream, name=name)
                job = bill_import_upload(
                    actor=None, upload=upload, kind=ImportKind.CHANNEL_PAYMENTS
                )
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        bill_import_confirm(actor=None, job_id=job.pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued as import job {job.pk}: the worker (manage.py db_worker) imports it; "
                "its progress and result are on the channel payments import page."
            )
        )
