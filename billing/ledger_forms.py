from django import forms
from django.utils.translation import gettext_lazy as _

from staff.models import Employee

from .forms import AmountField
from .models import DENOMINATIONS, SETTLED_METHODS, PaymentMethod

COUNT_ERRORS = {
    "invalid": _("Enter the number of notes as a whole number."),
    "min_value": _("The number of notes cannot be negative."),
}
# Far more notes than a counter holds; keeps the counted total within a money column.
COUNT_MAX = 999_999


class OpenLedgerForm(forms.Form):
    opening_float = AmountField(label=_("Opening float handed over (备用金)"))


class DepositForm(forms.Form):
    bank = forms.CharField(label=_("Bank"), max_length=64)
    slip_no = forms.CharField(label=_("Slip number"), max_length=64)
    amount = AmountField(label=_("Amount deposited"))
    deposited_time = forms.TimeField(
        label=_("Time of the deposit"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    depositor = forms.ModelChoiceField(label=_("Depositor"), queryset=Employee.objects.none())
    escort = forms.ModelChoiceField(label=_("Escort (陪同人)"), queryset=Employee.objects.none())
    explanation = forms.CharField(
        label=_("Explanation of a difference"), max_length=500, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Employee.objects.filter(is_active=True)
            .select_related("hall")
            .order_by("hall__sort_order", "name")
        )
        for name in ("depositor", "escort"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _employee_label


def _employee_label(employee):
    return f"{employee.name}（{employee.hall.name}）" if employee.hall_id else employee.name


class BlindCountForm(forms.Form):
    """Notes by denomination and the coins' total; the expected amount is not on this form."""

    coins_total = AmountField(label=_("Coins total (yuan)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for denomination in DENOMINATIONS:
            self.fields[f"count_{denomination}"] = forms.IntegerField(
                label=_("%(d)s yuan") % {"d": denomination},
                min_value=0,
                max_value=COUNT_MAX,
                required=False,
                error_messages=COUNT_ERRORS,
                widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
            )
        self.order_fields([f"count_{d}" for d in DENOMINATIONS] + ["coins_total"])

    def counts(self) -> dict[str, int]:
        return {d: self.cleaned_data.get(f"count_{d}") or 0 for d in DENOMINATIONS}


class ExplainForm(forms.Form):
    note = forms.CharField(label=_("Explanation of the variance"), max_length=500)


class VerifyForm(forms.Form):
    recounted_cash = AmountField(label=_("Recounted cash (if you recounted)"), required=False)
    note = forms.CharField(label=_("Decision on the variance"), max_length=500, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)


class SettlementForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment channel"),
        choices=[(m, label) for m, label in PaymentMethod.choices if m in SETTLED_METHODS],
    )
    amount = AmountField(label=_("Settlement total"))


class SignForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
