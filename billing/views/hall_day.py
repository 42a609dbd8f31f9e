"""The hall day (营业日): every ledger of a hall and date, settlements, signature, report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, halls_for, require_roles
from staff.core.audit import history_for
from staff.core.refusals import refuse
from staff.core.tabular import table_response

from .. import exports, rules
from ..forms import SettlementForm, SignForm
from ..selectors import hall_day as hall_day_selectors
from ..services import hall_day as services


@require_roles(*rules.HALL_DAY_ROLES)
def hall_day_index(request):
    """Today's hall day of the lead's hall; the center picks a hall."""
    halls = list(halls_for(request.user))
    today = timezone.localdate()
    if len(halls) == 1:
        return redirect("billing:hall_day", hall=halls[0].pk, day=today.isoformat())
    return render(request, "billing/hall_day/index.html", {"halls": halls, "today": today})


def _page(request, hall, business_date, status=200, **forms):
    summary = hall_day_selectors.hall_day_summary(hall, business_date, viewer=request.user)
    may_edit = rules.may_edit_hall_day(request.user, hall, business_date, summary.hall_day)
    context = {
        "summary": summary,
        "hall": hall,
        "day": business_date,
        "previous": business_date.fromordinal(business_date.toordinal() - 1),
        "next": business_date.fromordinal(business_date.toordinal() + 1),
        "may_edit": may_edit,
        "sign_blocker": rules.why_not_sign(summary) if may_edit else None,
        "history": history_for(summary.hall_day) if summary.hall_day else [],
    }
    if may_edit:
        context["settlement_form"] = forms.get("settlement_form") or SettlementForm()
        context["sign_form"] = forms.get("sign_form") or SignForm(
            missing=[check.label for check in summary.missing_settlements]
        )
    return render(request, "billing/hall_day/detail.html", context, status=status)


@require_roles(*rules.HALL_DAY_ROLES)
def hall_day(request, hall, day):
    hall, business_date = hall_day_selectors.get_hall_day_for(request.user, hall, day)
    return _page(request, hall, business_date)


def _post(request, hall, day, make_form, key, action, success):
    """Bind the form, call the service; a refusal shows at the top of the page (base.html,
    app.js), the form as it was sent."""
    hall, business_date = hall_day_selectors.get_hall_day_for(request.user, hall, day)
    form = make_form(request.POST, hall, business_date)
    if form.is_valid():
        try:
            action(hall, business_date, form.cleaned_data)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, success)
            return redirect("billing:hall_day", hall=hall.pk, day=business_date.isoformat())
    return _page(request, hall, business_date, status=400, **{key: form})


@require_roles(Role.SHIFT_LEAD)
@require_POST
def hall_day_settlement(request, hall, day):
    def action(hall, business_date, data):
        services.hall_day_settlement_set(
            lead=request.user,
            hall=hall,
            business_date=business_date,
            method=data["method"],
            amount=data["amount"],
        )

    return _post(
        request,
        hall,
        day,
        lambda data, _hall, _day: SettlementForm(data),
        "settlement_form",
        action,
        _("Settlement recorded."),
    )


@require_roles(Role.SHIFT_LEAD)
@require_POST
def hall_day_sign(request, hall, day):
    def sign_form(data, hall, business_date):
        # The reason field is there when a settlement is missing (the service checks again).
        summary = hall_day_selectors.hall_day_summary(hall, business_date)
        return SignForm(data, missing=[check.label for check in summary.missing_settlements])

    def action(hall, business_date, data):
        services.hall_day_sign(
            lead=request.user,
            hall=hall,
            business_date=business_date,
            note=data["note"],
            missing_settlement_reason=data.get("missing_settlement_reason", ""),
        )

    return _post(request, hall, day, sign_form, "sign_form", action, _("Hall day signed."))


@require_roles(*rules.HALL_DAY_ROLES)
def hall_day_report(request, hall, day):
    """The hall day on one printable page, with the signature lines 收费员, 班长, 陪同人."""
    hall, business_date = hall_day_selectors.get_hall_day_for(request.user, hall, day)
    summary = hall_day_selectors.hall_day_summary(hall, business_date, viewer=request.user)
    return render(
        request,
        "billing/hall_day/report.html",
        {
            "summary": summary,
            "hall": hall,
            "day": business_date,
            "deposits": hall_day_selectors.hall_day_deposits(hall, business_date),
            "blind_ledgers": {row.ledger.pk for row in summary.rows if row.blind},
        },
    )


@require_roles(*rules.HALL_DAY_ROLES)
def hall_day_export(request, hall, day, fmt):
    """Every ledger of a hall day, one line each, as CSV or XLSX."""
    hall, business_date = hall_day_selectors.get_hall_day_for(request.user, hall, day)
    summary = hall_day_selectors.hall_day_summary(hall, business_date, viewer=request.user)
    table = exports.hall_day_table(hall, business_date, summary)
    return table_response(fmt, f"hall-day-{hall.code}-{business_date.isoformat()}", table)
