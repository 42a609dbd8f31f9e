"""The staff app's forms (sign-in is the core's: staff.core.forms)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .core.money import AmountField
from .models import DutyKind, LeaveType, MinimumStaffing, PenaltyKind, ShiftType, StaffingRole
from .services.rosters import check_shift_code

# Penalty.amount is DecimalField(max_digits=9, decimal_places=2).
PENALTY_AMOUNT_MAX = Decimal("9999999.99")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker reads and writes ISO dates whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ShiftTypeForm(forms.ModelForm):
    class Meta:
        model = ShiftType
        fields = ["code", "name", "start", "end", "sort_order"]
        widgets = {"start": TimeInput(), "end": TimeInput()}

    def clean_code(self):
        # The service refuses the same codes (shift_type_save): here the message sits on the field.
        return check_shift_code(self.cleaned_data["code"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The shift must end after it starts."))
        return data


class MinimumStaffingForm(forms.ModelForm):
    class Meta:
        model = MinimumStaffing
        fields = ["shift_type", "role", "count"]

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = ShiftType.objects.filter(hall=hall, is_active=True)
        self.fields["role"].choices = StaffingRole.choices
        self.fields["count"].help_text = _("0 removes the minimum.")
        self.fields["count"].min_value = 0

    def validate_unique(self):
        """An existing minimum is updated, not refused as a duplicate."""


class RosterReasonForm(forms.Form):
    """The reason typed beside the grid for changing a reported month. A form field, so that
    what reaches the audit trail is checked (length, no NUL, which PostgreSQL's JSON refuses)."""

    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RepeatPatternForm(forms.Form):
    pattern_start = forms.DateField(label=_("Pattern from"), widget=DateInput())
    pattern_end = forms.DateField(label=_("to"), widget=DateInput())
    until = forms.DateField(label=_("Repeat up to"), widget=DateInput())


class CorrectionForm(forms.Form):
    clock_in = forms.TimeField(label=_("Clock-in"), required=False, widget=TimeInput())
    clock_out = forms.TimeField(label=_("Clock-out"), required=False, widget=TimeInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class LeaveRequestForm(forms.Form):
    leave_type = forms.ChoiceField(label=_("Leave type"), choices=LeaveType.choices)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override_reason = forms.CharField(
        label=_("Reason for going below minimum staffing"), max_length=500, required=False
    )


class LeaveRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=300)
    from_day = forms.DateField(
        label=_("Withdraw from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Empty: from today, or the whole leave if it has not started. A later day "
            "shortens it to end the day before."
        ),
    )


class DutyAssignForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Duty"), choices=DutyKind.choices)
    employee = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = people


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())


class PenaltyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PenaltyKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    amount = AmountField(
        label=_("Amount"),
        max_value=PENALTY_AMOUNT_MAX,
        required=False,
        help_text=_("Empty: the standard amount of the kind (200 yuan)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


# --- The working calendar ------------------------------------------------------------------


class CalendarEntryForm(forms.Form):
    lines = forms.CharField(
        label=_("Days"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            'One day per line: "2027-02-06 休 春节" for a holiday, "2027-02-07 班 春节" for a '
            "make-up working day."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
