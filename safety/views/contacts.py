"""Emergency contacts: every number on one page, a printable card per hall, the director's edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, require_roles
from staff.core.refusals import refuse_on_form
from staff.models import Hall

from .. import rules, services
from ..forms import ContactForm
from ..models import EmergencyContact
from ..selectors import contacts as selectors
from ..selectors import group as group_selectors


@login_required
def contacts(request):
    """Every number on one page, one click from anywhere (the red header button)."""
    halls = list(Hall.objects.filter(is_active=True))
    by_hall = selectors.hall_contacts(halls)
    officers = group_selectors.officers_by_hall(halls)
    return render(
        request,
        "safety/contacts/list.html",
        {
            "national": list(selectors.national_contacts()),
            "halls": [(hall, by_hall[hall.pk], officers[hall.pk]) for hall in halls],
            "group": list(group_selectors.group_members()),
            "can_edit": rules.may_edit_contacts(request.user),
        },
    )


@login_required
def contact_card(request, hall_code):
    """A printable card for the wall of one hall."""
    hall = get_object_or_404(Hall, code=hall_code, is_active=True)
    return render(
        request,
        "safety/contacts/card.html",
        {
            "hall": hall,
            "national": list(selectors.national_contacts()),
            "local": selectors.hall_contacts([hall])[hall.pk],
            "officer": group_selectors.officers_by_hall([hall])[hall.pk],
            "group": list(group_selectors.group_members()),
        },
    )


def _contact_form_view(request, contact=None):
    halls = Hall.objects.filter(is_active=True)
    initial = {}
    if contact is not None:
        initial = {
            "hall": contact.hall,
            "kind": contact.kind,
            "name": contact.name,
            "phone": contact.phone,
            "sort_order": contact.sort_order,
        }
    form = ContactForm(request.POST or None, halls=halls, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("The emergency contact is saved."))
            return redirect("safety:contacts")
    return render(request, "safety/contacts/form.html", {"form": form, "contact": contact})


@require_roles(Role.DIRECTOR)
def contact_create(request):
    return _contact_form_view(request)


@require_roles(Role.DIRECTOR)
def contact_edit(request, pk):
    return _contact_form_view(request, get_object_or_404(EmergencyContact, pk=pk))


@require_POST
@require_roles(Role.DIRECTOR)
def contact_delete(request, pk):
    services.contact_delete(actor=request.user, contact=get_object_or_404(EmergencyContact, pk=pk))
    messages.success(request, _("The emergency contact is removed."))
    return redirect("safety:contacts")
