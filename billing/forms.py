import uuid
from datetime import UTC, date, datetime

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.core.money import AmountField
from staff.models import Employee

from .models import DENOMINATIONS, SETTLED_METHODS, PaymentMethod
from .services.imports import too_large_message, upload_max_bytes

# The counter signs when it showed the account, bound to the form's token: the time from the
# lookup to the post (单笔收费1分钟办理完结) is measured on the server's clock, and a cashier
# cannot make a payment look faster by editing the hidden field.
_LOOKUP_SIGNER_SALT = "billing.counter.looked_up"


def lookup_stamp(form_token, when: datetime) -> str:
    """The hidden `looked_up` value of a counter form shown at `when`."""
    millis = int(when.timestamp() * 1000)
    return signing.Signer(salt=_LOOKUP_SIGNER_SALT).sign(f"{form_token}:{millis}")


def _looked_up_at(stamp: str, form_token) -> datetime | None:
    """When the form with `form_token` was shown, or None for a missing or altered stamp."""
    try:
        value = signing.Signer(salt=_LOOKUP_SIGNER_SALT).unsign(stamp)
    except signing.BadSignature:
        return None
    token, _sep, millis = value.rpartition(":")
    if token != str(form_token) or not millis.isdigit():
        return None
    return datetime.fromtimestamp(int(millis) / 1000, tz=UTC)


def _numbered_methods():
    """The methods as the counter lists them: "1 现金", "2 银行卡", ... so that a digit typed on
    the list picks one (the keyboard flow: Shift+Tab from the tender, then the digit)."""
    return [
        (value, format_lazy("{} {}", number, label))
        for number, (value, label) in enumerate(PaymentMethod.choices, start=1)
    ]


class PaymentForm(forms.Form):
    """The counter's payment, as the counter page renders it (billing/counter/_pay_form.html).

    A fresh lookup shows it unbound with `initial_for` (a new one-time token, the signed time of
    the lookup, the amount to pay); a refused post shows the bound form again with its errors.
    """

    # An id the database can hold (bigint); a larger one reached the lookup and overflowed.
    account = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    looked_up = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    amount = AmountField(label=_("Amount"), widget=forms.TextInput(attrs={"class": "money"}))
    method = forms.ChoiceField(label=_("Method"), choices=_numbered_methods)
    tendered = AmountField(
        label=_("Cash tendered"),
        required=False,
        # The field the counter puts the cursor in once the account is shown.
        widget=forms.TextInput(attrs={"class": "money", "data-autofocus": True}),
    )
    reference = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The amount to prepaid the cashier was asked to confirm (services.OverpayNotConfirmed).
    confirm_prepaid = AmountField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A hidden amount takes no typing hints (AmountField gives every widget inputmode).
        self.fields["confirm_prepaid"].widget.attrs = {}

    @staticmethod
    def initial_for(account, amount, now) -> dict:
        token = uuid.uuid4()
        return {
            "account": account.pk,
            "form_token": token,
            "looked_up": lookup_stamp(token, now),
            "amount": f"{amount:.2f}" if amount else "",
            "method": PaymentMethod.CASH,
        }

    def ask_to_confirm(self, prepaid):
        """Show the refused form again carrying `prepaid`: posted again as it is (Enter), it is
        the cashier's confirmation of exactly that amount going to the prepaid balance."""
        self.data = self.data.copy()
        self.data["confirm_prepaid"] = f"{prepaid:.2f}"

    def clean(self):
        data = super().clean()
        token = data.get("form_token")
        stamp = data.get("looked_up")
        data["looked_up_at"] = _looked_up_at(stamp, token) if stamp and token else None
        return data


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


class BillImportForm(forms.Form):
    """The bills file. `refused`: the upload handler dropped it as too large (staff.core.uploads),
    so it is missing from the request for a reason the office must be told."""

    file = forms.FileField(
        label=_("CSV file from the meter-reading office"),
        required=False,
        help_text=_(
            "Columns account_no,name,address,phone,period,volume_m3,amount "
            "(or 户号,户名,地址,电话,账期,水量,金额); UTF-8 or GBK."
        ),
    )

    corrections = forms.BooleanField(
        label=_("This file is corrections (更正)"),
        required=False,
        help_text=_(
            "It changes the amount due of bills already imported (account number, period, "
            "amount; the volume when given). Paid bills: the difference is due again, or goes "
            "to the prepaid balance."
        ),
    )

    def __init__(self, *args, refused=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.refused or (upload and upload.size > upload_max_bytes()):
            raise forms.ValidationError(too_large_message())
        if not upload:
            raise forms.ValidationError(_("Choose the CSV file to import."))
        return upload


# --- Cash ledgers, deposits and the hall day ----------------------------------------------------

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


class MonthlySummaryForm(forms.Form):
    """The month and the hall of the monthly summary, from its query string. A month that does
    not parse is the current month; a hall not among `halls` (the user's) is all of them."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
    )
    hall = forms.TypedChoiceField(label=_("Hall"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, halls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [("", _("All"))] + [(hall.pk, hall.name) for hall in halls]

    def chosen(self, today) -> tuple[date, int | None]:
        """(first day of the month, hall id or None) asked for, valid or not."""
        self.is_valid()
        month = self.cleaned_data.get("month") or today
        return month.replace(day=1), self.cleaned_data.get("hall")


class MovementFileForm(forms.Form):
    """The business date and encoding of a daily batch file of movements."""

    day = forms.DateField(
        label=_("Business date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("utf-8", "UTF-8"), ("gbk", "GBK")],
        initial="utf-8",
        required=False,
    )

    def clean_encoding(self):
        return self.cleaned_data["encoding"] or "utf-8"


class StatementForm(forms.Form):
    """The period of a customer statement, `?from=&to=` (both business dates, inclusive).
    Defaults: this year up to today."""

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # `from` is a Python keyword: the fields are named here, as the URL names them.
        self.fields["from"] = forms.DateField(
            label=pgettext_lazy("date range", "From"),
            required=False,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        first = cleaned.get("from") or self.today.replace(month=1, day=1)
        last = cleaned.get("to") or self.today
        if first > last:
            raise forms.ValidationError(_("The start of the period is after its end."))
        cleaned["from"], cleaned["to"] = first, last
        return cleaned

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]


class ChannelImportForm(BillImportForm):
    """A file of channel payments: the same upload rules as the bills file."""

    file = forms.FileField(
        label=_("CSV file of channel payments"),
        required=False,
        help_text=_(
            "Columns channel,reference,account_no,amount,paid_at (or 渠道,流水号,户号,金额,"
            "支付时间); the channel as its code or its Chinese name, the paid time as "
            "YYYY-MM-DD HH:MM in Beijing time; UTF-8 or GBK."
        ),
    )


class FollowUpForm(forms.Form):
    """The lead's note on a possible double payment (required, once)."""

    note = forms.CharField(
        label=_("What was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. called the customer; the money stays as prepaid for the next bills."),
    )
