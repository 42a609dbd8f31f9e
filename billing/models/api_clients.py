"""The systems that use the API (the billing system, a channel gateway), and every call."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ = "read", _("Read movements")
    CHANNEL = "channel", _("Report channel payments")


class ApiClient(models.Model):
    """A client system with its token. Only the token's SHA-256 is kept: the token is shown once,
    when the client is created (`manage.py api_client_create`)."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, to tell tokens apart in logs and lists.
    token_prefix = models.CharField(_("token prefix"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The last successful read of the movements (for the office's warning) and the last call.
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last call"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiCall(models.Model):
    """One call to the API, answered or refused (append-only)."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client system"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    at = models.DateTimeField(_("time"))
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=300)
    query = models.CharField(_("query"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    remote_addr = models.CharField(_("address"), max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__gte=100), name="api_call_status_valid"),
        ]
        indexes = [models.Index(fields=["client", "at"], name="api_call_client_at")]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
