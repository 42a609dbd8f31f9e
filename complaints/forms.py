"""Forms bind and clean input; the services decide (and repeat every rule that matters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from staff.models import Department, Employee

from .models import Category, Channel, FollowUpOutcome


class TicketForm(forms.Form):
    """用户首问登记表."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.VISIT)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    customer_name = forms.CharField(label=_("Customer name"), max_length=64)
    customer_phone = forms.CharField(label=_("Customer phone"), max_length=20)
    street = forms.CharField(label=_("Street"), max_length=100, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=50, required=False)
    landmark = forms.CharField(label=_("Nearby landmark"), max_length=100, required=False)
    account_no = forms.CharField(
        label=_("Account number"),
        max_length=32,
        required=False,
        help_text=_("When known: links the ticket to the customer's account."),
    )
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 4}),
        # Blank content reaches the service, which refuses it with the Chinese message.
        required=False,
        strip=False,
    )
    urgent = forms.BooleanField(label=_("Urgent: report to leadership at once"), required=False)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now; fill in for a letter or call received earlier."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ForwardForm(NoteForm):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True)
    )
    field_order = ["department", "note"]


class ResultForm(NoteForm):
    source = forms.CharField(
        label=_("Source (when recording for the department)"), max_length=200, required=False
    )


class FollowUpForm(NoteForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=FollowUpOutcome.choices, widget=forms.RadioSelect
    )
    field_order = ["outcome", "note"]


class OwnerForm(forms.Form):
    new_owner = forms.ModelChoiceField(
        label=_("New owner"),
        queryset=Employee.objects.filter(is_active=True).order_by("employee_no"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["new_owner"].queryset = owners


class ResponsibleForm(forms.Form):
    employees = forms.ModelMultipleChoiceField(
        label=_("Employees found responsible"),
        queryset=Employee.objects.filter(is_active=True).order_by("employee_no"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
