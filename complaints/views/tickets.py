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

from staff.audit import history_for

from .. import forms, rules
from ..calendar import calendar_for
from ..models import TicketState
from ..selectors.sla import response_clock, result_clock
from ..selectors.tickets import get_ticket_for, owner_candidates, ticket_search
from ..services import tickets as services


def _errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def ticket_list(request):
    state = request.GET.get("state", "open")
    query = request.GET.get("q", "").strip()
    tickets = ticket_search(request.user, state=state, query=query)
    page = Paginator(tickets, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(t, response_clock(t, now), result_clock(t, now)) for t in page.object_list]
    return render(
        request,
        "complaints/tickets/list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": TicketState.choices,
            "query": query,
        },
    )


@login_required
def ticket_create(request):
    form = forms.TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Ticket %(number)s registered.") % {"number": ticket.number}
            )
            return redirect("complaints:ticket_detail", pk=ticket.pk)
    return render(request, "complaints/tickets/form.html", {"form": form})


# action name -> (form class, permission check, service call)
ACTIONS = {
    "resolve": (
        forms.NoteForm,
        rules.can_handle,
        lambda user, t, d: services.ticket_resolve(actor=user, ticket=t, note=d["note"]),
    ),
    "forward": (
        forms.ForwardForm,
        rules.can_handle,
        lambda user, t, d: services.ticket_forward(
            actor=user, ticket=t, department=d["department"], note=d["note"]
        ),
    ),
    "result": (
        forms.ResultForm,
        rules.can_record_result,
        lambda user, t, d: services.ticket_record_result(
            actor=user, ticket=t, note=d["note"], source=d["source"]
        ),
    ),
    "reply": (
        forms.NoteForm,
        rules.can_handle,
        lambda user, t, d: services.ticket_reply(actor=user, ticket=t, note=d["note"]),
    ),
    "follow_up": (
        forms.FollowUpForm,
        rules.can_handle,
        lambda user, t, d: services.ticket_follow_up(
            actor=user, ticket=t, outcome=d["outcome"], note=d["note"]
        ),
    ),
    "chase": (
        forms.NoteForm,
        rules.can_handle,
        lambda user, t, d: services.ticket_chase(actor=user, ticket=t, note=d["note"]),
    ),
    "escalate": (
        forms.NoteForm,
        rules.can_escalate,
        lambda user, t, d: services.ticket_escalate(actor=user, ticket=t, note=d["note"]),
    ),
    "owner": (
        forms.OwnerForm,
        rules.can_change_owner,
        lambda user, t, d: services.ticket_change_owner(
            actor=user, ticket=t, new_owner=d["new_owner"], reason=d["reason"]
        ),
    ),
    "responsible": (
        forms.ResponsibleForm,
        lambda user, t: rules.can_find_responsible(user),
        lambda user, t, d: services.ticket_find_responsible(
            actor=user, ticket=t, employees=d["employees"], reason=d["reason"]
        ),
    ),
}


ACTION_LABELS = {
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


def _available_actions(user, ticket):
    """The action forms to show, in the order of the flow."""
    state = ticket.state
    wanted = {
        TicketState.NEW: ["resolve", "forward"],
        TicketState.FORWARDED: ["result", "forward", "chase"],
        TicketState.RESULT_IN: ["reply", "forward"],
        TicketState.REPLIED: ["follow_up"],
        TicketState.CLOSED: ["responsible"],
    }[state]
    if state != TicketState.CLOSED:
        wanted += ["escalate", "owner"]
    return {
        name: _action_form(name, user, ticket) for name in wanted if ACTIONS[name][1](user, ticket)
    }


def _action_form(name, user, ticket, data=None):
    """The form of one action; the owner form offers only the people `user` may choose."""
    kwargs = {"owners": owner_candidates(user, ticket)} if name == "owner" else {}
    return ACTIONS[name][0](data, prefix=name, **kwargs)


@login_required
def ticket_detail(request, pk):
    ticket = get_ticket_for(request.user, pk)
    return _render_detail(request, ticket, _available_actions(request.user, ticket))


def _render_detail(request, ticket, action_forms, status=200):
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
            "actions": [(name, ACTION_LABELS[name], form) for name, form in action_forms.items()],
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
    if action not in ACTIONS:
        raise Http404
    _form_class, allowed, call = ACTIONS[action]
    if not allowed(request.user, ticket):
        raise PermissionDenied
    form = _action_form(action, request.user, ticket, request.POST)
    if form.is_valid():
        try:
            call(request.user, ticket, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:ticket_detail", pk=ticket.pk)
    action_forms = _available_actions(request.user, ticket)
    action_forms[action] = form
    messages.error(request, _("Nothing was changed: correct the form below."))
    return _render_detail(request, ticket, action_forms, status=400)
