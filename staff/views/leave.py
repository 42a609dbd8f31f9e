"""Leave: my requests and a new one, the requests I decide, one request with its decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..core.access import employee_of, get_for_user
from ..core.audit import history_for
from ..core.refusals import refuse, refuse_on_form
from ..filters import LeaveFilterSet
from ..forms import LeaveDecisionForm, LeaveRequestForm, LeaveRevokeForm
from ..models import LeaveStatus
from ..rules import (
    may_cancel_leave,
    may_decide_leave,
    may_revoke_leave,
    may_see_hall_people,
    needs_director,
)
from ..selectors.attendance import compensatory_balance, compensatory_balances
from ..selectors.core import employees_visible_to
from ..selectors.leave import leaves_visible_to, staffing_shortfalls
from ..services.leave import leave_cancel, leave_decide, leave_request, leave_revoke


@login_required
def leave_list(request):
    me = employee_of(request.user)
    form = LeaveRequestForm()
    if request.method == "POST":
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            try:
                leave = leave_request(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Leave requested."))
                return redirect("staff:leave_detail", pk=leave.pk)
            except ValidationError as error:
                refuse_on_form(form, error)
    visible = leaves_visible_to(request.user)
    mine = list(visible.filter(employee=me)) if me is not None else []
    pending = [
        leave
        for leave in visible.filter(status=LeaveStatus.PENDING)
        if may_decide_leave(request.user, leave)
    ]
    leave_filter, others = None, []
    if may_see_hall_people(request.user):
        leave_filter = LeaveFilterSet(
            request.GET, queryset=visible.exclude(employee=me) if me is not None else visible
        )
        others = list(leave_filter.qs[:200])
    balances = []
    if may_see_hall_people(request.user):
        people = list(
            employees_visible_to(request.user).order_by("hall__sort_order", "employee_no")
        )
        figures = compensatory_balances([p.pk for p in people])
        balances = [(person, figures[person.pk]) for person in people]
    return render(
        request,
        "staff/leave/list.html",
        {
            "form": form if me is not None and me.hall_id else None,
            "mine": mine,
            "pending": pending,
            "others": others,
            "leave_filter": leave_filter,
            "balance": compensatory_balance(me) if me is not None and me.hall_id else None,
            "balances": balances,
        },
    )


@login_required
def leave_detail(request, pk):
    leave = get_for_user(leaves_visible_to(request.user), pk=pk)
    decidable = leave.status == LeaveStatus.PENDING and may_decide_leave(request.user, leave)
    revocable = may_revoke_leave(request.user, leave)
    form = LeaveDecisionForm()
    revoke_form = LeaveRevokeForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                leave_cancel(actor=request.user, leave=leave)
                messages.success(request, _("Request withdrawn."))
                return redirect("staff:leave_detail", pk=leave.pk)
            if request.POST.get("action") == "revoke":
                if not revocable:
                    raise PermissionDenied
                revoke_form = LeaveRevokeForm(request.POST)
                if revoke_form.is_valid():
                    leave_revoke(actor=request.user, leave=leave, **revoke_form.cleaned_data)
                    messages.success(
                        request, _("Approved leave withdrawn: its days are free on the roster.")
                    )
                    return redirect("staff:leave_detail", pk=leave.pk)
            elif not decidable:
                raise PermissionDenied
            else:
                form = LeaveDecisionForm(request.POST)
            if form.is_bound and form.is_valid():
                leave_decide(
                    actor=request.user,
                    leave=leave,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    override_reason=form.cleaned_data["override_reason"],
                )
                messages.success(request, _("Decision recorded."))
                return redirect("staff:leave_detail", pk=leave.pk)
        except ValidationError as error:
            refuse(request, error)
    return render(
        request,
        "staff/leave/detail.html",
        {
            "leave": leave,
            "form": form if decidable else None,
            "revoke_form": revoke_form if revocable else None,
            "shortfalls": staffing_shortfalls(leave) if decidable else [],
            "can_cancel": may_cancel_leave(request.user, leave),
            "balance": compensatory_balance(leave.employee),
            "history": history_for(leave),
            "by_director": needs_director(leave.employee),
        },
    )
