from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.selectors.api_clients import api_clients


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = "List the API clients: name, token prefix, scopes, created, revoked, last read."

    def handle(self, *args, **options):
        rows = [("name", "prefix", "scopes", "created", "revoked", "last read", "last call")]
        rows += [
            (
                client.name,
                client.token_prefix,
                ",".join(client.scopes),
                _when(client.created_at),
                _when(client.revoked_at),
                _when(client.last_read_at),
                _when(client.last_seen_at),
            )
            for client in api_clients()
        ]
        widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
            )
        if len(rows) == 1:
            self.stdout.write("No API client yet: python manage.py api_client_create NAME")
