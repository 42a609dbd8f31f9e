"""Emergency contacts, the safety group and the incident log. Thin: access, form, service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.access import Role, get_for_user, require_roles
from staff.audit import history_for
from staff.models import Hall

from .. import selectors, services
from ..forms import (
    ActionForm,
    ContactForm,
    CorrectionForm,
    GroupMemberForm,
    IncidentReportForm,
    NotesForm,
    OfficerForm,
    PersonForm,
    StepForm,
    TransitionForm,
)
from ..models import EmergencyContact, IncidentStatus, SafetyGroupMember
from ..rules import handles_hall, is_director, leadership_delay_limit_minutes


def add_errors(form, exc: ValidationError):
    for message in exc.messages:
        form.add_error(None, message)


def flash_errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def flash_form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- Emergency contacts -------------------------------------------------------------------------


def _contacts_context():
    halls = list(Hall.objects.filter(is_active=True))
    by_hall = selectors.hall_contacts(halls)
    officers = selectors.officers_by_hall(halls)
    return {
        "national": list(selectors.national_contacts()),
        "halls": [(hall, by_hall[hall.pk], officers[hall.pk]) for hall in halls],
        "group": list(selectors.group_members()),
    }


@login_required
def contacts(request):
    """Every number on one page, one click from anywhere (the red header button)."""
    context = _contacts_context()
    context["can_edit"] = is_director(request.user)
    return render(request, "safety/contacts/list.html", context)


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
            "officer": selectors.officers_by_hall([hall])[hall.pk],
            "group": list(selectors.group_members()),
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
            add_errors(form, exc)
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


@require_roles(Role.DIRECTOR)
def group(request):
    """The director keeps the safety group and the halls' safety officers."""
    form = GroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
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
    if form.is_valid():
        try:
            services.officer_set(
                actor=request.user, hall=hall, employee=form.cleaned_data["employee"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The safety officer is saved."))
    else:
        flash_form_errors(request, form)
    return redirect("safety:group")


# --- Incidents ----------------------------------------------------------------------------------


@login_required
def incident_list(request):
    status = request.GET.get("status", "")
    if status not in IncidentStatus.values:
        status = ""
    incidents = selectors.with_leadership_time(selectors.incidents_for(request.user))
    if status:
        incidents = incidents.filter(status=status)
    page = Paginator(incidents, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/incidents/list.html",
        {
            "incidents": selectors.with_delays(list(page)),
            "page": page,
            "status": status,
            "statuses": IncidentStatus.choices,
            "limit": leadership_delay_limit_minutes(),
        },
    )


@login_required
def incident_report(request):
    """Few clicks from the counter: type, time (now), what happened; the numbers beside it."""
    halls = selectors.reporting_halls(request.user)
    form = IncidentReportForm(request.POST or None, halls=halls)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                actor=request.user,
                hall=data["hall"],
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                description=data["description"],
                injured_count=data["injured_count"],
                police_called=data["police_called"],
                police_case_number=data["police_case_number"],
                people=form.people(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The incident is reported. Tick each response step as it is done.")
            )
            return redirect("safety:incident_detail", pk=incident.pk)
    return render(
        request,
        "safety/incidents/report.html",
        {
            "form": form,
            "national": list(selectors.national_contacts()),
            "pick_hall": form.pick_hall,
        },
    )


@login_required
def incident_detail(request, pk):
    incident = selectors.get_incident_for(request.user, pk)
    handler = handles_hall(request.user, incident.hall_id)
    is_open = incident.status != IncidentStatus.CLOSED
    owners = selectors.hall_employees(incident.hall_id)
    return render(
        request,
        "safety/incidents/detail.html",
        {
            "incident": incident,
            "delay": selectors.leadership_delay(incident),
            "limit": leadership_delay_limit_minutes(),
            "checklist": selectors.incident_checklist(incident),
            "people": list(incident.people.all()),
            "actions": selectors.incident_actions(incident),
            "history": list(history_for(incident)),
            "can_tick": selectors.can_tick(request.user, incident),
            "can_handle": handler and is_open,
            "step_form": StepForm(),
            "person_form": PersonForm(),
            "notes_form": NotesForm(
                initial={
                    "follow_up_summary": incident.follow_up_summary,
                    "commendations": incident.commendations,
                    "accountability": incident.accountability,
                    "police_called": incident.police_called,
                    "police_case_number": incident.police_case_number,
                }
            ),
            "action_form": ActionForm(owners=owners, prefix="action"),
            "correction_form": CorrectionForm(
                initial={
                    "kind": incident.kind,
                    "occurred_at": timezone.localtime(incident.occurred_at),
                    "injured_count": incident.injured_count,
                    "description": incident.description,
                }
            ),
            "next_states": _next_states(incident) if handler else [],
            "national": list(selectors.national_contacts()),
            "local_contacts": selectors.hall_contacts([incident.hall])[incident.hall_id],
        },
    )


def _next_states(incident):
    nexts = {
        IncidentStatus.REPORTED: [IncidentStatus.HANDLING],
        IncidentStatus.HANDLING: [IncidentStatus.RESOLVED],
        IncidentStatus.RESOLVED: [IncidentStatus.CLOSED, IncidentStatus.HANDLING],
    }
    return [(s.value, s.label) for s in nexts.get(IncidentStatus(incident.status), [])]


def _incident_post(request, pk, form_class, action, form_kwargs=None):
    """Bind `form_class`, call `action(incident, cleaned_data)`, report errors, go back."""
    incident = selectors.get_incident_for(request.user, pk)
    form = form_class(request.POST, **(form_kwargs(incident) if form_kwargs else {}))
    if form.is_valid():
        try:
            action(incident, form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_form_errors(request, form)
    return redirect("safety:incident_detail", pk=incident.pk)


@require_POST
@login_required
def incident_step(request, pk):
    return _incident_post(
        request,
        pk,
        StepForm,
        lambda incident, data: services.incident_tick_step(
            actor=request.user, incident=incident, step=data["step"], done_at=data["done_at"]
        ),
    )


@require_POST
@login_required
def incident_transition(request, pk):
    return _incident_post(
        request,
        pk,
        TransitionForm,
        lambda incident, data: services.incident_transition(
            actor=request.user, incident=incident, to=data["to"]
        ),
    )


@require_POST
@login_required
def incident_person(request, pk):
    return _incident_post(
        request,
        pk,
        PersonForm,
        lambda incident, data: services.incident_add_person(
            actor=request.user, incident=incident, **data
        ),
    )


@require_POST
@login_required
def incident_correct(request, pk):
    return _incident_post(
        request,
        pk,
        CorrectionForm,
        lambda incident, data: services.incident_correct(
            actor=request.user, incident=incident, **data
        ),
    )


@require_POST
@login_required
def incident_notes(request, pk):
    return _incident_post(
        request,
        pk,
        NotesForm,
        lambda incident, data: services.incident_update_notes(
            actor=request.user, incident=incident, **data
        ),
    )


@require_POST
@login_required
def incident_action(request, pk):
    return _incident_post(
        request,
        pk,
        ActionForm,
        lambda incident, data: services.action_add(actor=request.user, incident=incident, **data),
        form_kwargs=lambda incident: {
            "owners": selectors.hall_employees(incident.hall_id),
            "prefix": "action",
        },
    )


@login_required
def action_list(request):
    """Open corrective actions: the user's own, and those of the incidents and drills they see."""
    actions = (
        selectors.actions_for(request.user)
        .filter(done_at__isnull=True)
        .select_related("incident__hall", "drill__hall")
        .order_by("due_date", "id")
    )
    return render(
        request,
        "safety/incidents/action_list.html",
        {"actions": list(actions), "today": timezone.localdate()},
    )


@require_POST
@login_required
def action_done(request, pk):
    """The owner or a handler of the hall ticks a corrective action done."""
    action = get_for_user(selectors.actions_for(request.user), pk=pk)
    try:
        services.action_complete(actor=request.user, action=action)
    except ValidationError as exc:
        flash_errors(request, exc)
    if request.POST.get("next") == "list":
        return redirect("safety:action_list")
    if action.incident_id:
        return redirect("safety:incident_detail", pk=action.incident_id)
    return redirect("safety:drill_detail", pk=action.drill_id)
