from django import forms
from django.utils import timezone
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
    """A bank deposit. The amount starts empty: the cashier enters what they took to the bank
    (the blind count: what it should be is not shown while the ledger is open)."""

    bank = forms.CharField(label=_("Bank"), max_length=64)
    slip_no = forms.CharField(label=_("Slip number"), max_length=64)
    amount = AmountField(label=_("Amount deposited"))
    # With seconds (step 1): a deposit entered right after a payment falls after it.
    deposited_time = forms.TimeField(
        label=_("Time of the deposit"),
        required=False,
        input_formats=["%H:%M:%S", "%H:%M"],
        widget=forms.TimeInput(format="%H:%M:%S", attrs={"type": "time", "step": 1}),
    )
    depositor = forms.ModelChoiceField(label=_("Depositor"), queryset=Employee.objects.none())
    escort = forms.ModelChoiceField(label=_("Escort (陪同人)"), queryset=Employee.objects.none())
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "deposited_time" not in self.initial:
            self.initial["deposited_time"] = timezone.localtime().time().replace(microsecond=0)
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
    """Notes by denomination and the coins' total; the expected amount is not on this form.

    `ask_no_deposit_reason`: the ledger has no deposit, so the form asks why (the service
    requires it when there was cash to deposit; the form does not say whether there was).
    """

    coins_total = AmountField(label=_("Coins total (yuan)"), required=False)
    no_deposit_reason = forms.CharField(
        label=_("No deposit: the reason"),
        max_length=500,
        required=False,
        help_text=_(
            "The day's cash is deposited at the bank before closing. "
            "You recorded no deposit: if there was cash to deposit, say why."
        ),
    )

    def __init__(self, *args, ask_no_deposit_reason=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_no_deposit_reason:
            del self.fields["no_deposit_reason"]
        for denomination in DENOMINATIONS:
            self.fields[f"count_{denomination}"] = forms.IntegerField(
                label=_("%(d)s yuan") % {"d": denomination},
                min_value=0,
                max_value=COUNT_MAX,
                required=False,
                error_messages=COUNT_ERRORS,
                widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
            )
        self.order_fields(
            [f"count_{d}" for d in DENOMINATIONS] + ["coins_total", "no_deposit_reason"]
        )

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
    """`missing`: labels of the channels whose settlement total is missing (缺少); signing then
    asks for the reason, which the report prints."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    missing_settlement_reason = forms.CharField(
        label=_("Reason for signing without every settlement total"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        if missing:
            field = self.fields["missing_settlement_reason"]
            field.help_text = _("Missing: %(methods)s") % {"methods": "、".join(map(str, missing))}
        else:
            del self.fields["missing_settlement_reason"]
