"""The counter (收费台): look an account up, take its payment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from staff.core.access import require_roles
from staff.core.refusals import refuse_on_form

from .. import rules
from ..forms import PaymentForm
from ..models import Account, AccountStatus
from ..selectors import counter as selectors
from ..selectors.invoices import invoice_stock_low
from ..selectors.movements import account_history
from ..selectors.payments import get_payment_for
from ..services import counter as services
from .htmx import render_page
from .payments import render_payment


def _counter_context(request, account, form=None, matches=(), query="", bills=None):
    """The counter page. `form` is the refused post, shown again with its errors; a fresh
    lookup gets a new form. `bills` are the account's open bills when the lookup read them."""
    state = selectors.counter_state(request.user, timezone.localdate())
    invoice_range, day_submitted = state.invoice_range, state.day_submitted
    context = {
        "day_submitted": day_submitted,
        "query": query,
        "account": account,
        "matches": matches,
        "invoice_range": invoice_range,
        "stock_low": invoice_range is not None and invoice_stock_low(invoice_range.remaining),
    }
    if form is not None:
        # Shown in the payment form, or above the page when there is no form to show them in
        # (an account that does not exist or is closed, a submitted day).
        context["pay_errors"] = [*form.non_field_errors()] + [
            f"{form[name].label}：{error}"
            for name, errors in form.errors.items()
            if name != "__all__"
            for error in errors
        ]
    if account is not None:
        if bills is None:
            bills = selectors.open_bills(account)
        total_open = sum((bill.amount_open for bill in bills), start=0)
        suggested = max(total_open - account.prepaid_balance, 0)
        context.update(
            bills=bills,
            # Its latest payments from every hall and channel ("I already paid on WeChat").
            history=account_history(account),
            may_print_statement=rules.may_print_statement(request.user),
            total_open=total_open,
            suggested=suggested,
            takes_payments=account.status == AccountStatus.ACTIVE and not day_submitted,
            payment_max=f"{services.payment_max():.2f}",
        )
        if account.status != AccountStatus.ACTIVE:
            context["closed_message"] = services.closed_account_message(account)
        context["form"] = form or PaymentForm(
            initial=PaymentForm.initial_for(account, suggested, timezone.now())
        )
    return context


@require_roles(*rules.COUNTER_ROLES)
def counter(request):
    """Type an account number and Enter; the open bills appear with the amount to take."""
    if request.method == "POST":
        return _counter_post(request)
    query = request.GET.get("q", "").strip()
    account, bills, matches = selectors.counter_lookup(query)
    if query and account is None and not matches:
        messages.error(request, _("No account matches “%(q)s”.") % {"q": query})
    context = _counter_context(request, account, None, matches, query, bills=bills)
    return render_page(request, "billing/counter/index.html", context)


def _counter_post(request):
    form = PaymentForm(request.POST)
    account = None
    overpay = None
    if form.is_valid():
        try:
            posted = services.payment_post(
                cashier=request.user,
                account_id=form.cleaned_data["account"],
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                tendered=form.cleaned_data["tendered"],
                reference=form.cleaned_data["reference"],
                form_token=form.cleaned_data["form_token"],
                looked_up_at=form.cleaned_data["looked_up_at"],
                prepaid_confirmed=form.cleaned_data["confirm_prepaid"],
            )
        except services.OverpayNotConfirmed as error:
            overpay = error.prepaid
            refuse_on_form(form, error)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            if not posted.created:
                messages.info(request, _("This payment was already posted; here is its receipt."))
            elif invoice_stock_low(posted.invoices_left):
                messages.warning(
                    request,
                    _("Only %(count)s invoice numbers left: requisition a new range.")
                    % {"count": posted.invoices_left},
                )
            url = reverse("billing:payment_detail", kwargs={"pk": posted.payment.pk})
            url = f"{url}?receipt=1"
            if not request.htmx:
                return HttpResponseRedirect(url)
            # htmx: the receipt in place of the counter in one round trip (no redirect and page
            # load), the address bar showing the receipt's own URL, which reloads it.
            payment = get_payment_for(request.user, posted.payment.pk)
            return push_url(render_payment(request, payment, as_receipt=True), url)
    account_id = form.cleaned_data.get("account")
    if account_id:
        account = Account.objects.filter(pk=account_id).first()
    context = _counter_context(request, account, form, query=account.account_no if account else "")
    if overpay is not None:
        form.ask_to_confirm(overpay)
        context["overpay"] = overpay
    return render_page(request, "billing/counter/index.html", context, status=400)
