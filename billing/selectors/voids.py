"""Reads of void requests."""

from django.db.models import QuerySet

from staff.core.access import get_for_user

from ..models import VoidRequest, VoidStatus
from .scope import scoped


def void_requests_for(user) -> QuerySet[VoidRequest]:
    queryset = VoidRequest.objects.select_related(
        "payment__account", "payment__cashier__employee", "requested_by__employee", "decided_by"
    )
    return scoped(queryset, user, hall="payment__hall", own="payment__cashier")


def pending_voids_for(user) -> QuerySet[VoidRequest]:
    return void_requests_for(user).filter(status=VoidStatus.PENDING)


def get_void_for(user, pk) -> VoidRequest:
    return get_for_user(void_requests_for(user), pk=pk)
