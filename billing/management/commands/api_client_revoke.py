from django.core.management.base import BaseCommand, CommandError

from billing.services.api_clients import ApiClientRefused, api_client_revoke


class Command(BaseCommand):
    help = "Revoke an API client's token: its calls answer 401 from now on (its log is kept)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client system's name")

    def handle(self, *args, name, **options):
        try:
            client = api_client_revoke(actor=None, name=name)
        except ApiClientRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS(f"API client {client.name} revoked."))
