"""Emergency contacts (应急通信): the national numbers and each hall's local ones."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Hall

# Short numbers (110), local numbers (2332770), with an area code (0724-2332770) or mobiles.
phone_validator = RegexValidator(
    r"^(\+?\d{1,4}-)?\d{3,12}(-\d{1,6})?$",
    _("Enter a phone number of digits only, e.g. 110, 2332770, 0724-2332770 or 13972400001."),
)


class ContactKind(models.TextChoices):
    NATIONAL = "national", _("Emergency number")
    POLICE_STATION = "police_station", _("Local police station")
    OTHER = "other", _("Other")


class EmergencyContact(models.Model):
    """A number everyone must know (应急通信); `hall` is empty for the national numbers."""

    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emergency_contacts",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, validators=[phone_validator])
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="safety_contact_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(hall=None), name="safety_contact_unique_national"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="safety_contact_kind_valid"
            ),
        ]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self):
        return f"{self.name} {self.phone}"
