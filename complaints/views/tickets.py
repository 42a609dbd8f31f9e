"""Ticket pages. Thin: scope, bind a form, call one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from staff.core.audit import history_for
from staff.core.calendar import calendar_for
from staff.core.refusals import refuse_on_form

from .. import forms, rules
from ..filters import TicketFilterSet
from ..selectors.sla import response_clock, result_clock, with_clocks
from ..selectors.tickets import get_ticket_for, owner_candidates, tickets_for
from ..services import tickets as services

PAGE_SIZE = 50


@login_required
def ticket_list(request):
    filters = TicketFilterSet(
        request.GET, queryset=tickets_for(request.user).order_by("-received_at", "-id")
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/tickets/list.html",
        {
            "filter": filters,
            "page": page,
            "rows": with_clocks(page.object_list),
            "query": query.urlencode(),
        },
    )


@login_required
def ticket_create(request):
    form = forms.TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(
                request, _("Ticket %(number)s registered.") % {"number": ticket.number}
            )
            return redirect("complaints:ticket_detail", pk=ticket.pk)
    return render(request, "complaints/tickets/form.html", {"form": form})


# step (rules.STEP_RULES) -> (form class, service call)
STEPS = {
    "resolve": (
        forms.NoteForm,
        lambda user, t, d: services.ticket_resolve(actor=user, ticket=t, note=d["note"]),
    ),
    "forward": (
        forms.ForwardForm,
        lambda user, t, d: services.ticket_forward(
            actor=user, ticket=t, department=d["department"], note=d["note"]
        ),
    ),
    "result": (
        forms.ResultForm,
        lambda user, t, d: services.ticket_record_result(
            actor=user, ticket=t, note=d["note"], source=d["source"]
        ),
    ),
    "reply": (
        forms.NoteForm,
        lambda user, t, d: services.ticket_reply(actor=user, ticket=t, note=d["note"]),
    ),
    "follow_up": (
        forms.FollowUpForm,
        lambda user, t, d: services.ticket_follow_up(
            actor=user, ticket=t, outcome=d["outcome"], note=d["note"]
        ),
    ),
    "chase": (
        forms.NoteForm,
        lambda user, t, d: services.ticket_chase(actor=user, ticket=t, note=d["note"]),
    ),
    "escalate": (
        forms.NoteForm,
        lambda user, t, d: services.ticket_escalate(actor=user, ticket=t, note=d["note"]),
    ),
    "owner": (
        forms.OwnerForm,
        lambda user, t, d: services.ticket_change_owner(
            actor=user, ticket=t, new_owner=d["new_owner"], reason=d["reason"]
        ),
    ),
    "responsible": (
        forms.ResponsibleForm,
        lambda user, t, d: services.ticket_find_responsible(
            actor=user, ticket=t, employees=d["employees"], reason=d["reason"]
        ),
    ),
}


STEP_LABELS = {
    "resolve": gettext_lazy("Resolved on the spot"),
    "forward": gettext_lazy("Forward to a department"),
    "result": gettext_lazy("Record the department's result"),
    "reply": gettext_lazy("Reply to the customer"),
    "follow_up": gettext_lazy("Follow-up call"),
    "chase": gettext_lazy("Chase the department"),
    "escalate": gettext_lazy("Escalate to leadership"),
    "owner": gettext_lazy("Change owner"),
    "responsible": gettext_lazy("Find responsible (有责)"),
}


def _step_form(name, user, ticket, data=None):
    """The form of one step; the owner form offers only the people `user` may choose."""
    kwargs = {"owners": owner_candidates(user, ticket)} if name == "owner" else {}
    return STEPS[name][0](data, prefix=name, **kwargs)


def _step_forms(user, ticket) -> dict:
    """The forms of the steps the page offers, in the order of the flow."""
    return {name: _step_form(name, user, ticket) for name in rules.steps_offered(user, ticket)}


@login_required
def ticket_detail(request, pk):
    ticket = get_ticket_for(request.user, pk)
    return _render_detail(request, ticket, _step_forms(request.user, ticket))


def _render_detail(request, ticket, step_forms, status=200):
    now = timezone.now()
    calendar = calendar_for(ticket.received_at)
    steps = ticket.steps.select_related("by", "department")
    return render(
        request,
        "complaints/tickets/detail.html",
        {
            "ticket": ticket,
            "response": response_clock(ticket, now),
            "result": result_clock(ticket, now),
            "result_due": calendar.result_due(ticket.received_at),
            "steps": steps,
            "history": history_for(ticket)[:50],
            "actions": [(name, STEP_LABELS[name], form) for name, form in step_forms.items()],
            "responsibilities": ticket.responsibilities.select_related("employee", "penalty"),
            "previous": ticket.previous_cycle,
            "next": getattr(ticket, "next_cycle", None),
        },
        status=status,
    )


@require_POST
@login_required
def ticket_action(request, pk, action):
    ticket = get_ticket_for(request.user, pk)
    if action not in STEPS:
        raise Http404
    if not rules.may_take_step(request.user, ticket, action):
        raise PermissionDenied(f"may not take the step {action} on this ticket")
    form = _step_form(action, request.user, ticket, request.POST)
    if form.is_valid():
        try:
            STEPS[action][1](request.user, ticket, form.cleaned_data)
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:ticket_detail", pk=ticket.pk)
    step_forms = _step_forms(request.user, ticket)
    step_forms[action] = form
    messages.error(request, _("Nothing was changed: correct the form below."))
    return _render_detail(request, ticket, step_forms, status=400)
