"""Reads of void requests."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.access import employee_of, get_for_user

from ..models import CashLedger, LedgerState, Payment, VoidRequest, VoidStatus
from .scope import scoped


def void_blocked_reason(payment: Payment) -> str | None:
    """Why the day of `payment` no longer allows its void, or None.

    The checks of services._ensure_voidable that depend on the day, read without locks, so
    the payment page shows the void form disabled with its reason instead of a request that
    is bound to fail. The ledger is the one the service locks: the cashier's current hall's.
    """
    if payment.business_date != timezone.localdate():
        return _("Only payments of today's business day can be voided.")
    employee = employee_of(payment.cashier)
    hall_id = employee.hall_id if employee is not None and employee.hall_id else payment.hall_id
    submitted = (
        CashLedger.objects.filter(
            cashier_id=payment.cashier_id, hall_id=hall_id, business_date=payment.business_date
        )
        .exclude(state=LedgerState.OPEN)
        .exists()
    )
    if submitted:
        return _("The cash ledger of %(date)s is already submitted: no more payments or voids.") % {
            "date": payment.business_date
        }
    return None


def void_requests_for(user) -> QuerySet[VoidRequest]:
    queryset = VoidRequest.objects.select_related(
        "payment__account", "payment__cashier__employee", "requested_by__employee", "decided_by"
    )
    return scoped(queryset, user, hall="payment__hall", own="payment__cashier")


def pending_voids_for(user) -> QuerySet[VoidRequest]:
    return void_requests_for(user).filter(status=VoidStatus.PENDING)


def get_void_for(user, pk) -> VoidRequest:
    return get_for_user(void_requests_for(user), pk=pk)
