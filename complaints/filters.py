"""The filters of the ticket list and the SLA view (django-filter).

They read the query parameters the pages had before them (`?state=closed&q=王`,
`?start=2026-01&end=2026-03&category=repairs&dims=month&dims=owner`), so bookmarked URLs keep
working. A value a filter cannot read is left out, as before, and the page says why.
"""

import re
from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .models import OPEN_STATES, Category, FirstContactTicket, TicketState
from .selectors.sla import DIMENSIONS

# The ticket list's state choice: every open state (the default), every state, or one state.
OPEN, ALL = "open", "all"


class TicketFilterSet(django_filters.FilterSet):
    """The ticket list: `state` and `q` (number, customer name or phone, or the exact account)."""

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("All open")), (ALL, _("All")), *TicketState.choices],
        empty_label=None,
        method="filter_state",
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Number, customer, phone or account")}),
    )

    class Meta:
        model = FirstContactTicket
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # Without a state the list shows the open tickets; an empty one (`?state=`) shows all.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("state", OPEN)
        super().__init__(data, *args, **kwargs)

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=OPEN_STATES)
        if value == ALL:
            return queryset
        return queryset.filter(state=value)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(customer_name__icontains=value)
            | Q(customer_phone__icontains=value)
            | Q(account__account_no=value)
        )


class MonthField(forms.Field):
    """A month typed as YYYY-MM (what <input type="month"> sends): the first day of it."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value)
        if match is None or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(int(match[1]), int(match[2]), 1)


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class SlaFilterSet(django_filters.FilterSet):
    """The SLA view and its export. `category` filters the tickets; the months (`start`, `end`)
    and the grouping (`dims`) shape the rates table only (the open and overdue lists take every
    month), so their filters leave the tickets as they are and the selector reads them."""

    start = MonthFilter(label=_("From month"), method="report_option")
    end = MonthFilter(label=_("To month"), method="report_option")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All")
    )
    dims = django_filters.MultipleChoiceFilter(
        label=_("Group by"),
        choices=list(DIMENSIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        method="report_option",
    )

    class Meta:
        model = FirstContactTicket
        fields = []

    def report_option(self, queryset, name, value):
        return queryset

    def option(self, name):
        """The cleaned value of a report option; None when absent or unreadable."""
        self.errors  # noqa: B018 - validates the form, which fills cleaned_data
        return self.form.cleaned_data.get(name) or None
