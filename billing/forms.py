from datetime import UTC, datetime

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from staff.core.access import Role
from staff.core.money import AmountField

from .import_jobs import too_large_message, upload_max_bytes
from .models import PaymentMethod

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


class PaymentForm(forms.Form):
    # An id the database can hold (bigint); a larger one reached the lookup and overflowed.
    account = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    looked_up = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    amount = AmountField(label=_("Amount"))
    method = forms.ChoiceField(
        label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    tendered = AmountField(label=_("Cash tendered"), required=False)
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=64)
    # The amount to prepaid the cashier was asked to confirm (services.OverpayNotConfirmed).
    confirm_prepaid = AmountField(widget=forms.HiddenInput, required=False)

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
