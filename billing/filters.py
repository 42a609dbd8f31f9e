"""The filters of billing's lists (django-filter), each taking the query string its page has
always taken. A value that does not parse is left out: the list shows as if it were not given.

No list here uses django-tables2: the payment list pages with Django's Paginator beside its
totals, the others are short lists of the day or capped; none is sorted by column.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.core.access import is_center_wide
from staff.models import Hall

from .models import (
    BillCorrection,
    CashLedger,
    Channel,
    ChannelPayment,
    LedgerState,
    Payment,
    PaymentMethod,
)
from .selectors.invoices import cashier_users


def date_range(field_name: str):
    """The From and To filters of a list's dates (both ends included), on `field_name`."""
    return (
        django_filters.DateFilter(
            field_name=field_name,
            lookup_expr="gte",
            label=pgettext_lazy("date range", "From"),
            widget=forms.DateInput(attrs={"type": "date"}),
        ),
        django_filters.DateFilter(
            field_name=field_name,
            lookup_expr="lte",
            label=_("To"),
            widget=forms.DateInput(attrs={"type": "date"}),
        ),
    )


class PaymentFilterSet(django_filters.FilterSet):
    """Filters of the payment lists; without dates it shows today's business day."""

    date_from, date_to = date_range("business_date")
    hall = django_filters.ModelChoiceFilter(
        queryset=Hall.objects.all(), label=_("Hall"), empty_label=_("All halls")
    )
    cashier = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Cashier"), empty_label=_("All cashiers")
    )
    method = django_filters.ChoiceFilter(
        choices=PaymentMethod.choices, label=_("Method"), empty_label=_("All methods")
    )
    account = django_filters.CharFilter(field_name="account__account_no", label=_("Account number"))

    class Meta:
        model = Payment
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        today = timezone.localdate().isoformat()
        data = data.copy() if data is not None else {}
        for key in ("date_from", "date_to"):
            if not data.get(key):
                data[key] = today
        super().__init__(data, *args, **kwargs)
        center_wide = is_center_wide(user)
        if not center_wide:
            del self.filters["hall"]
        hall_ids = None if center_wide else [getattr(user.employee, "hall_id", None)]
        cashiers = cashier_users(hall_ids)
        self.filters["cashier"].queryset = cashiers
        self.filters["cashier"].field.label_from_instance = lambda u: u.employee.name


class LedgerFilterSet(django_filters.FilterSet):
    """The cash ledger list: a business date, a state (the home page's warnings link to
    `?state=open` and `?state=submitted`)."""

    date = django_filters.DateFilter(
        field_name="business_date",
        label=_("Business date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    state = django_filters.ChoiceFilter(
        choices=LedgerState.choices, label=_("State"), empty_label=_("All")
    )

    class Meta:
        model = CashLedger
        fields = []


class ChannelPaymentFilterSet(django_filters.FilterSet):
    """Filters of the channel payments list; without dates it shows the last seven days."""

    date_from, date_to = date_range("business_date")
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Payment channel"), empty_label=_("All channels")
    )
    account = django_filters.CharFilter(field_name="account__account_no", label=_("Account number"))
    doubles = django_filters.BooleanFilter(
        field_name="possible_double",
        label=_("Possible double payments only"),
        widget=forms.CheckboxInput,
        method="filter_doubles",
    )

    class Meta:
        model = ChannelPayment
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        today = timezone.localdate()
        if not data.get("date_from"):
            data["date_from"] = (today - timedelta(days=6)).isoformat()
        if not data.get("date_to"):
            data["date_to"] = today.isoformat()
        super().__init__(data, *args, **kwargs)

    def filter_doubles(self, queryset, name, value):
        return queryset.filter(possible_double=True) if value else queryset


class CorrectionFilterSet(django_filters.FilterSet):
    """The bill corrections: the day they were made (from, to), an account, a file."""

    date_from, date_to = date_range("corrected_at__date")
    account = django_filters.CharFilter(
        field_name="bill__account__account_no", label=_("Account number")
    )
    file = django_filters.CharFilter(
        field_name="source_file", lookup_expr="icontains", label=_("File")
    )

    class Meta:
        model = BillCorrection
        fields = []
