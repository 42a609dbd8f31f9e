"""A bank deposit (解款) entered on the cashier's ledger page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import require_roles

from .. import rules
from ..forms import DepositForm
from ..services import deposits as services
from .ledger import _post


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def deposit_create(request, pk):
    def action(ledger, form):
        data = form.cleaned_data
        services.deposit_record(
            cashier=request.user,
            ledger=ledger,
            bank=data["bank"],
            slip_no=data["slip_no"],
            amount=data["amount"],
            depositor=data["depositor"],
            escort=data["escort"],
            deposited_at=services.deposit_moment(
                ledger.business_date, data["deposited_time"], timezone.now()
            ),
            note=data["note"],
        )

    return _post(request, pk, DepositForm, "deposit_form", action, _("Deposit recorded."))
