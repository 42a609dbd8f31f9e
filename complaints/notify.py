"""E-mail to owners and leadership, sent after the commit and only when e-mail is configured.

On-screen the same news reaches people through the home page (see `apps.attention_items`),
so a missing e-mail address loses nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from staff.core.access import Role


def leadership_emails() -> list[str]:
    users = get_user_model().objects.filter(groups__name=Role.DIRECTOR, is_active=True)
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _send(subject: str, body: str, recipients: list[str]) -> bool:
    if not settings.EMAIL_ENABLED or not recipients:
        return False
    send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    return True


def _body(ticket, text: str = "") -> str:
    link = reverse("complaints:ticket_detail", kwargs={"pk": ticket.pk})
    return f"{ticket.number} {ticket.get_category_display()} {ticket.customer_name}\n{text}\n{link}"


def notify_leadership(ticket, subject, text: str = "") -> None:
    if settings.EMAIL_ENABLED:
        body = _body(ticket, text)
        transaction.on_commit(lambda: _send(subject, body, leadership_emails()))


def mail_now(ticket, subject, recipients: list[str], text: str = "") -> bool:
    """Send at once (check_sla calls it after its own commit); True when a mail went out."""
    return _send(subject, _body(ticket, text), recipients)
