"""The filters of the staff app's lists (django-filter), with the query parameters bookmarked
URLs already carry.

No django-tables2 here: the penalty register is one row per person of the halls in view (a
few dozen) and the leave list's table shows at most 200 requests, newest first; neither gains
from sorting or pages.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LeaveRequest, LeaveStatus, LeaveType, Penalty

FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearFilter(django_filters.NumberFilter):
    """A whole year (NumberFilter reads decimals)."""

    field_class = forms.IntegerField


class PenaltyFilterSet(django_filters.FilterSet):
    """`?year=2026`: the penalties of one calendar year (the bonus rules count per year).

    A year that is missing, or not a year from 2000 to 2100, is this year: the pages never
    show every year at once, and a bookmarked or mistyped year still shows a page."""

    year = YearFilter(
        field_name="date",
        lookup_expr="year",
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )

    class Meta:
        model = Penalty
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        try:
            forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR).clean(data.get("year"))
        except ValidationError:
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, *args, **kwargs)

    @property
    def chosen_year(self) -> int:
        return int(self.data["year"])


class LeaveFilterSet(django_filters.FilterSet):
    """`?status=pending&type=annual`: the requests of my halls by status and leave type."""

    status = django_filters.ChoiceFilter(
        choices=LeaveStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    type = django_filters.ChoiceFilter(
        field_name="leave_type",
        choices=LeaveType.choices,
        label=_("Leave type"),
        empty_label=_("All leave types"),
    )

    class Meta:
        model = LeaveRequest
        fields = []
