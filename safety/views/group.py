"""The director keeps the safety leadership group and names the halls' safety officers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, require_roles
from staff.core.refusals import refuse, refuse_on_form
from staff.models import Hall

from .. import services
from ..forms import GroupMemberForm, OfficerForm
from ..models import SafetyGroupMember
from ..selectors import group as selectors


@require_roles(Role.DIRECTOR)
def group(request):
    """The director keeps the safety group and the halls' safety officers."""
    form = GroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("The safety group is saved."))
            return redirect("safety:group")
    halls = list(Hall.objects.filter(is_active=True))
    officers = selectors.officers_by_hall(halls)
    named = selectors.named_officer_ids(halls)
    officer_forms = [
        (
            hall,
            officers[hall.pk],
            OfficerForm(hall=hall, prefix=hall.code, initial={"employee": named.get(hall.pk)}),
        )
        for hall in halls
    ]
    return render(
        request,
        "safety/group/list.html",
        {"form": form, "members": list(selectors.group_members()), "officers": officer_forms},
    )


@require_POST
@require_roles(Role.DIRECTOR)
def group_remove(request, pk):
    member = get_object_or_404(SafetyGroupMember.objects.select_related("employee"), pk=pk)
    services.group_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s left the safety group.") % {"name": member.employee})
    return redirect("safety:group")


@require_POST
@require_roles(Role.DIRECTOR)
def officer_set(request, hall_code):
    hall = get_object_or_404(Hall, code=hall_code, is_active=True)
    form = OfficerForm(request.POST, hall=hall, prefix=hall.code)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.officer_set(actor=request.user, hall=hall, employee=form.cleaned_data["employee"])
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The safety officer is saved."))
    return redirect("safety:group")
