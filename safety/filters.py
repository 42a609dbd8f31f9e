"""Filters of the safety lists (django-filter): the query parameters of bookmarked URLs."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Incident, IncidentStatus


class IncidentFilterSet(django_filters.FilterSet):
    """`?status=reported` (as the home page's warning links it); an unknown status lists all,
    as the hand-parsed list did."""

    status = django_filters.ChoiceFilter(
        choices=IncidentStatus.choices, label=_("Status"), empty_label=_("All")
    )

    class Meta:
        model = Incident
        fields = []
