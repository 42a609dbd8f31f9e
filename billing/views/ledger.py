"""The cashier's cash ledger (现金台账): deposits, the blind close; the lead's verification.

Every POST re-renders the ledger page with its errors, or redirects back to it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, employee_of, require_roles
from staff.core.refusals import refuse, refuse_on_form

from .. import rules
from ..filters import LedgerFilterSet
from ..forms import BlindCountForm, DepositForm, ExplainForm, OpenLedgerForm, ReopenForm, VerifyForm
from ..models import Deposit, LedgerState
from ..selectors import ledger as selectors
from ..services import ledger as services

LIST_LIMIT = 300


@require_roles(*rules.LEDGER_ROLES)
def ledger_list(request):
    ledgers = selectors.ledgers_for(request.user).select_related("verified_by__employee")
    filterset = LedgerFilterSet(request.GET, queryset=ledgers)
    return render(
        request,
        "billing/ledger/list.html",
        {
            "ledgers": list(filterset.qs[:LIST_LIMIT]),
            "filter": filterset,
            "may_keep": rules.works_at_counter(request.user),
            "may_see_days": rules.may_see_hall_days(request.user),
        },
    )


@require_roles(*rules.COUNTER_ROLES)
def ledger_today(request):
    """The cashier's ledger of today, or the form that opens it with the float handed over."""
    today = timezone.localdate()
    ledger = (
        selectors.ledgers_for(request.user)
        .filter(cashier=request.user, business_date=today)
        .first()
    )
    if ledger is not None:
        return redirect("billing:ledger_detail", pk=ledger.pk)
    employee = employee_of(request.user)
    if employee is None or employee.hall is None:
        messages.error(request, _("Only a cashier of a hall keeps a cash ledger."))
        return redirect("billing:ledger_list")
    form = OpenLedgerForm(
        request.POST or None, initial={"opening_float": selectors.default_float(employee.hall)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            ledger = services.ledger_open(
                cashier=request.user, opening_float=form.cleaned_data["opening_float"]
            )
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Your cash ledger of today is open."))
            return redirect("billing:ledger_detail", pk=ledger.pk)
    return render(request, "billing/ledger/open.html", {"form": form, "today": today})


def _context(request, ledger, **forms):
    user = request.user
    state = ledger.state
    # The blind count: while open, its own cashier sees no figure the day's cash follows from.
    blind = selectors.is_blind(user, ledger)
    figures = selectors.ledger_figures(ledger)
    may_submit = rules.may_submit(user, ledger)
    may_verify = state == LedgerState.SUBMITTED and rules.may_verify(user, ledger)
    context = {
        "ledger": ledger,
        "figures": figures,
        "blind": blind,
        "blind_carried_in": blind and selectors.carried_in_is_blind(ledger),
        "own": ledger.cashier_id == user.pk,
        # An open ledger of an earlier day takes no deposit: the form shows, disabled, and why.
        "may_deposit": may_submit,
        "deposit_blocker": rules.why_not_deposit(ledger),
        "may_submit": may_submit,
        "may_explain": rules.may_explain(user, ledger, figures),
        "may_verify": may_verify,
        "verify_blocker": rules.why_not_verify(ledger) if may_verify else None,
        "may_reopen": state == LedgerState.VERIFIED and rules.may_reopen(user),
    }
    if may_submit:
        context["deposit_form"] = forms.get("deposit_form") or DepositForm(
            initial={"depositor": employee_of(user)}
        )
        context["count_form"] = forms.get("count_form") or BlindCountForm(
            ask_no_deposit_reason=not figures.deposits
        )
        context["float_form"] = forms.get("float_form") or OpenLedgerForm(
            initial={"opening_float": ledger.opening_float}
        )
    if context["may_explain"]:
        context["explain_form"] = forms.get("explain_form") or ExplainForm(
            initial={"note": ledger.variance_note}
        )
    if may_verify:
        context["verify_form"] = forms.get("verify_form") or VerifyForm()
    if context["may_reopen"]:
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    return context


def _render(request, ledger, status=200, **forms):
    return render(
        request, "billing/ledger/detail.html", _context(request, ledger, **forms), status=status
    )


@require_roles(*rules.LEDGER_ROLES)
def ledger_detail(request, pk):
    return _render(request, selectors.get_ledger_for(request.user, pk))


def _post(request, pk, form_class, form_key, action, success):
    """Bind the form, call the service; on error show the page again, the form as it was sent.

    A refusal goes to the top of the page (base.html shows it as an alert, app.js moves the
    focus to it): in the form it could be below the fold, and nothing would seem to happen.
    """
    ledger = selectors.get_ledger_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(ledger, form)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, success)
            return redirect("billing:ledger_detail", pk=ledger.pk)
    ledger.refresh_from_db()
    return _render(request, ledger, status=400, **{form_key: form})


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def ledger_float(request, pk):
    def action(ledger, form):
        services.ledger_float_change(
            cashier=request.user, ledger=ledger, opening_float=form.cleaned_data["opening_float"]
        )

    return _post(request, pk, OpenLedgerForm, "float_form", action, _("Opening float changed."))


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def ledger_submit(request, pk):
    def action(ledger, form):
        services.ledger_submit(
            cashier=request.user,
            ledger=ledger,
            counts=form.counts(),
            coins_total=form.cleaned_data["coins_total"] or 0,
            no_deposit_reason=form.cleaned_data.get("no_deposit_reason", ""),
        )

    def count_form(data):
        # Shown again as it was: with the no-deposit reason when the ledger has no deposit.
        has_deposits = Deposit.objects.filter(ledger_id=pk).exists()
        return BlindCountForm(data, ask_no_deposit_reason=not has_deposits)

    return _post(
        request,
        pk,
        count_form,
        "count_form",
        action,
        _("Count submitted. The expected cash and the variance are shown below."),
    )


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def ledger_explain(request, pk):
    def action(ledger, form):
        services.ledger_explain(cashier=request.user, ledger=ledger, note=form.cleaned_data["note"])

    return _post(request, pk, ExplainForm, "explain_form", action, _("Explanation recorded."))


@require_roles(Role.SHIFT_LEAD, Role.DIRECTOR)
@require_POST
def ledger_verify(request, pk):
    def action(ledger, form):
        services.ledger_verify(
            lead=request.user,
            ledger=ledger,
            recounted_cash=form.cleaned_data["recounted_cash"],
            note=form.cleaned_data["note"],
        )

    return _post(request, pk, VerifyForm, "verify_form", action, _("Cash ledger verified."))


@require_roles(Role.DIRECTOR)
@require_POST
def ledger_reopen(request, pk):
    def action(ledger, form):
        services.ledger_reopen(
            director=request.user, ledger=ledger, reason=form.cleaned_data["reason"]
        )

    return _post(request, pk, ReopenForm, "reopen_form", action, _("Cash ledger reopened."))
