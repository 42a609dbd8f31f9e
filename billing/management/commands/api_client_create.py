from django.core.management.base import BaseCommand, CommandError

from billing.services.api_clients import ApiClientRefused, api_client_create, parse_scopes


class Command(BaseCommand):
    help = (
        "Create a client system of the API (e.g. the billing system) and print its token. "
        "The token is shown this once: only its SHA-256 is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client system's name, e.g. 营收系统")
        parser.add_argument(
            "--scopes",
            default="read",
            help="comma-separated: read (movements), channel (report channel payments)",
        )

    def handle(self, *args, name, scopes, **options):
        try:
            created = api_client_create(actor=None, name=name, scopes=parse_scopes(scopes))
        except ApiClientRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        client = created.client
        self.stdout.write(
            f"API client {client.name} created with scopes {', '.join(client.scopes)}.\n"
            "Its token, shown only now (send it as 'Authorization: Bearer <token>'):"
        )
        self.stdout.write(created.token)
