"""Incidents from the report to the closing, and their corrective actions. Thin: access, form,
service; the rules of who may do what are in safety.rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import get_for_user
from staff.core.audit import history_for
from staff.core.refusals import refuse, refuse_on_form

from .. import rules, services
from ..filters import IncidentFilterSet
from ..forms import (
    ActionForm,
    CorrectionForm,
    IncidentReportForm,
    NotesForm,
    PersonForm,
    StepForm,
    TransitionForm,
)
from ..models import leadership_delay_limit_minutes
from ..selectors import contacts as contact_selectors
from ..selectors import hall_employees
from ..selectors import incidents as selectors
from ..tables import IncidentTable


@login_required
def incident_list(request):
    """The incidents the user sees: `?status=`, `?sort=` (a column) and `?page=` (50 a page)."""
    filterset = IncidentFilterSet(
        request.GET,
        queryset=selectors.with_leadership_time(selectors.incidents_for(request.user)),
    )
    sort = request.GET.get("sort")
    table = IncidentTable(filterset.qs, order_by=sort or None)
    table.paginate_leniently(request.GET.get("page"))
    return render(
        request,
        "safety/incidents/list.html",
        {
            "filter": filterset,
            "table": table,
            # The filter form keeps a chosen order (only a valid one: the table drops others).
            "sort": ",".join(table.order_by) if sort else "",
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
            refuse_on_form(form, exc)
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
            "national": list(contact_selectors.national_contacts()),
            "pick_hall": form.pick_hall,
        },
    )


@login_required
def incident_detail(request, pk):
    incident = selectors.get_incident_for(request.user, pk)
    offers = rules.incident_offers(request.user, incident)
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
            "can_tick": offers.tick,
            "can_handle": offers.handle,
            "next_states": offers.next_states,
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
            "action_form": ActionForm(owners=hall_employees(incident.hall_id), prefix="action"),
            "correction_form": CorrectionForm(
                initial={
                    "kind": incident.kind,
                    "occurred_at": timezone.localtime(incident.occurred_at),
                    "injured_count": incident.injured_count,
                    "description": incident.description,
                }
            ),
            "national": list(contact_selectors.national_contacts()),
            "local_contacts": contact_selectors.hall_contacts([incident.hall])[incident.hall_id],
        },
    )


def _incident_post(request, pk, form_class, action, form_kwargs=None):
    """Bind `form_class`, call `action(incident, cleaned_data)`, show a refusal, go back."""
    incident = selectors.get_incident_for(request.user, pk)
    form = form_class(request.POST, **(form_kwargs(incident) if form_kwargs else {}))
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        action(incident, form.cleaned_data)
    except ValidationError as exc:
        refuse(request, exc)
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
            "owners": hall_employees(incident.hall_id),
            "prefix": "action",
        },
    )


@login_required
def action_list(request):
    """Open corrective actions: the user's own, and those of the incidents and drills they see."""
    return render(
        request,
        "safety/incidents/action_list.html",
        {"actions": selectors.open_actions_for(request.user), "today": timezone.localdate()},
    )


@require_POST
@login_required
def action_done(request, pk):
    """The owner or a handler of the hall ticks a corrective action done."""
    action = get_for_user(selectors.actions_for(request.user), pk=pk)
    try:
        services.action_complete(actor=request.user, action=action)
    except ValidationError as exc:
        refuse(request, exc)
    if request.POST.get("next") == "list":
        return redirect("safety:action_list")
    if action.incident_id:
        return redirect("safety:incident_detail", pk=action.incident_id)
    return redirect("safety:drill_detail", pk=action.drill_id)
