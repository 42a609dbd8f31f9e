import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.exports import MOVEMENT_FILE_ENCODINGS, MovementFileRefused, movement_file


class Command(BaseCommand):
    help = (
        "Write the day's movements for the billing system as a CSV file named "
        "movements-YYYY-MM-DD.csv, or movements-YYYY-MM-DD-OPEN.csv while the day is still open "
        "(today or later, or a hall with payments that day has not signed its hall day). One "
        "row per movement in sequence order; a closed day's file is the same bytes each time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="business date, YYYY-MM-DD")
        parser.add_argument(
            "--encoding",
            default="utf-8",
            choices=MOVEMENT_FILE_ENCODINGS,
            help="utf-8 (with a BOM, the default) or gbk",
        )
        parser.add_argument(
            "--output", default=".", help="directory to write the file in (default: here)"
        )

    def handle(self, *args, date: str, encoding: str, output: str, **options):
        business_date = _business_date(date)
        directory = Path(output)
        if not directory.is_dir():
            raise CommandError(f"{output} is not a directory")
        try:
            produced = movement_file(business_date, encoding)
        except MovementFileRefused as refusal:
            raise CommandError(refusal.message) from refusal
        path = directory / produced.name
        _write_whole(path, produced.content)
        state = "OPEN" if produced.day.is_open else "closed"
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {produced.day.count} movements ({state}, {encoding})")
        )
        if produced.day.unsigned_halls:
            self.stdout.write(f"hall days not signed: {', '.join(produced.day.unsigned_halls)}")


def _business_date(text: str):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {text!r}") from error


def _write_whole(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a system collecting the directory never takes a
    half-written file, and an earlier file of the same name is replaced at once."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as target:
            target.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
