"""Movements on pages: the daily batch files for the billing system (office, director) and an
account's customer statement (缴费记录), printed from the counter."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from staff.core.access import require_roles
from staff.core.tabular import CSV_TYPE, download

from .. import rules
from ..exports import MovementFileRefused, movement_file
from ..forms import MovementFileForm, StatementForm
from ..models import Account
from ..selectors import movements as selectors

# The batch-file page lists this many days up to the chosen one.
RECENT_DAYS = 7


@require_roles(*rules.MOVEMENT_FILE_ROLES)
def movement_files(request):
    """Pick a business date (yesterday by default) and an encoding; see whether the day is
    still open and download its file."""
    today = timezone.localdate()
    form = MovementFileForm(request.GET or {"day": today - timedelta(days=1), "encoding": "utf-8"})
    status = 200
    if form.is_valid():
        day, encoding = form.cleaned_data["day"], form.cleaned_data["encoding"]
    else:
        day, encoding, status = today - timedelta(days=1), "utf-8", 400
    days = selectors.movement_days(day - timedelta(days=RECENT_DAYS - 1), day, today=today)
    return render(
        request,
        "billing/movements/files.html",
        {"form": form, "chosen": days[-1], "days": days[::-1], "encoding": encoding},
        status=status,
    )


@require_roles(*rules.MOVEMENT_FILE_ROLES)
def movement_export(request, day, fmt):
    """The batch file of `day` (CSV only: `fmt` is in the URL like every other download)."""
    try:
        business_date = date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    encoding = request.GET.get("encoding", "utf-8")
    try:
        produced = movement_file(business_date, encoding)
    except MovementFileRefused as refusal:
        messages.error(request, refusal.message)
        query = urlencode({"day": business_date.isoformat(), "encoding": "utf-8"})
        return HttpResponseRedirect(f"{reverse('billing:movement_files')}?{query}")
    content_type = CSV_TYPE if encoding == "utf-8" else "text/csv; charset=gbk"
    return download(produced.content, content_type, produced.name)


@require_roles(*rules.STATEMENT_ROLES)
def account_statement(request, account_no):
    """The customer statement (缴费记录) of an account for a period, to print."""
    account = get_object_or_404(Account, account_no=account_no)
    form = StatementForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        context = {"account": account, "form": form, "statement": None}
        return render(request, "billing/movements/statement.html", context, status=400)
    first, last = form.period()
    statement = selectors.account_statement(account, first, last)
    # The form again with the period it shows (the defaults filled in).
    form = StatementForm(initial={"from": first, "to": last}, today=form.today)
    return render(
        request,
        "billing/movements/statement.html",
        {"account": account, "form": form, "statement": statement},
    )
