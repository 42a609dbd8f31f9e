from django import forms
from django.utils.translation import gettext_lazy as _

from staff.access import Role

from .models import PaymentMethod
from .money import AMOUNT_MAX, parse_amount


class AmountField(forms.CharField):
    """A yuan amount typed at the counter: digits with at most two decimals."""

    default_error_messages = {
        "invalid": _("Enter an amount in yuan with at most two decimals, e.g. 123.45."),
        "too_large": _("The amount is too large: at most 9,999,999,999.99 yuan."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if abs(amount) > AMOUNT_MAX:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


class PaymentForm(forms.Form):
    # An id the database can hold (bigint); a larger one reached the lookup and overflowed.
    account = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    amount = AmountField(label=_("Amount"))
    method = forms.ChoiceField(
        label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    tendered = AmountField(label=_("Cash tendered"), required=False)
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=64)


class VoidRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the void"), max_length=200)


class VoidDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SpoilForm(forms.Form):
    reason = forms.CharField(label=_("Why is the invoice spoiled?"), max_length=200)


class InvoiceRangeForm(forms.Form):
    cashier = forms.ModelChoiceField(label=_("Cashier"), queryset=None)
    invoice_code = forms.CharField(label=_("Invoice code"), max_length=20)
    first_no = forms.IntegerField(label=_("First number"), min_value=1, max_value=99_999_999)
    last_no = forms.IntegerField(label=_("Last number"), min_value=1, max_value=99_999_999)

    def __init__(self, *args, cashiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cashier"].queryset = cashiers
        self.fields["cashier"].label_from_instance = lambda user: (
            f"{user.employee.name}（{user.employee.hall.name}）"
        )


def cashier_users(hall_ids):
    """Users who may hold an invoice range: cashiers and shift leads of the given halls."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            groups__name__in=[Role.CASHIER, Role.SHIFT_LEAD],
            employee__hall__isnull=False,
            employee__is_active=True,
            is_active=True,
        )
        .select_related("employee__hall")
        .distinct()
        .order_by("employee__hall__sort_order", "employee__employee_no")
    )
    if hall_ids is not None:
        users = users.filter(employee__hall_id__in=hall_ids)
    return users


class BillImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from the meter-reading office"),
        help_text=_(
            "Columns account_no,name,address,phone,period,volume_m3,amount "
            "(or 户号,户名,地址,电话,账期,水量,金额); UTF-8 or GBK."
        ),
    )
