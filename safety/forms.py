"""Forms only bind and convert input; the rules are in services (and who may: rules.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Employee

from .models import (
    ClosingCheck,
    ContactKind,
    GroupPosition,
    IncidentKind,
    IncidentStatus,
    PersonRole,
    ResponseStep,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

# What the columns hold (PositiveSmallIntegerField, PositiveIntegerField): a larger number is
# a form error, not an overflow in the database.
SMALL_MAX = 32_767
INTEGER_MAX = 2_147_483_647


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    hall = forms.ModelChoiceField(
        label=_("Hall"),
        queryset=None,
        required=False,
        empty_label=_("All halls (national number)"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    name = forms.CharField(label=pgettext_lazy("contact", "Name"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    sort_order = forms.IntegerField(
        label=_("Sort order"), min_value=0, max_value=SMALL_MAX, initial=0
    )

    def __init__(self, *args, halls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = halls


class GroupMemberForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.filter(is_active=True).select_related("hall"),
    )
    position = forms.ChoiceField(label=_("Position"), choices=GroupPosition.choices)
    duties = forms.CharField(label=_("Duties"), max_length=200, required=False)
    sort_order = forms.IntegerField(
        label=_("Sort order"), min_value=0, max_value=SMALL_MAX, initial=0
    )


class OfficerForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Safety officer"),
        queryset=None,
        required=False,
        empty_label=_("The hall's shift lead (default)"),
    )

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.filter(hall=hall, is_active=True)


class IncidentReportForm(forms.Form):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label=_("Type"), choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"), widget=DateTimeLocalInput(), initial=now_local
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    injured_count = forms.IntegerField(
        label=_("Injured"), min_value=0, max_value=SMALL_MAX, initial=0
    )
    police_called = forms.BooleanField(label=_("Police called"), required=False)
    police_case_number = forms.CharField(
        label=_("Police case number"), max_length=64, required=False
    )
    person_name = forms.CharField(label=_("Person involved"), max_length=64, required=False)
    person_role = forms.ChoiceField(
        label=_("Their role"), choices=PersonRole.choices, required=False
    )

    def __init__(self, *args, halls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = halls
        choices = list(halls[:2])
        self.pick_hall = len(choices) > 1
        if len(choices) == 1:
            self.fields["hall"].initial = choices[0]
            self.fields["hall"].widget = forms.HiddenInput()

    def people(self):
        name = self.cleaned_data.get("person_name", "").strip()
        return [(name, self.cleaned_data.get("person_role") or PersonRole.AFFECTED)] if name else []


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=ResponseStep.choices, widget=forms.HiddenInput)
    done_at = forms.DateTimeField(
        label=_("Done at"), widget=DateTimeLocalInput(), initial=now_local
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=IncidentStatus.choices)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DateTimeLocalInput())
    injured_count = forms.IntegerField(label=_("Injured"), min_value=0, max_value=SMALL_MAX)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NotesForm(forms.Form):
    follow_up_summary = forms.CharField(
        label=_("Follow-up summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    commendations = forms.CharField(
        label=_("Commendations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accountability = forms.CharField(
        label=_("Accountability"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    police_called = forms.BooleanField(label=_("Police called"), required=False)
    police_case_number = forms.CharField(
        label=_("Police case number"), max_length=64, required=False
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Corrective action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class DrillForm(forms.Form):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=DateTimeLocalInput(), initial=now_local
    )
    run_by = forms.ModelChoiceField(label=_("Run by"), queryset=None)
    alarm_worked = forms.BooleanField(label=_("The alarm worked at every point"), required=False)
    response_seconds = forms.IntegerField(
        label=_("Response time (seconds)"), min_value=0, max_value=INTEGER_MAX
    )
    problems = forms.CharField(
        label=_("Problems found (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, halls, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["hall"].queryset = halls
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
        self.fields["run_by"].queryset = Employee.objects.filter(
            hall__in=halls, is_active=True
        ).select_related("hall")


class ClosingCheckForm(forms.Form):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=None, empty_label=None)
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    computers_off = forms.BooleanField(label=_("Computers off"), required=False)
    air_conditioning_off = forms.BooleanField(label=_("Air conditioning off"), required=False)
    power_off = forms.BooleanField(label=_("Power switched off"), required=False)
    doors_windows_shut = forms.BooleanField(label=_("Doors and windows shut"), required=False)
    cash_in_safe = forms.BooleanField(label=_("Cash locked in the safe"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, halls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = halls

    def items(self):
        return {item: self.cleaned_data[item] for item in ClosingCheck.ITEMS}
