"""Reads of channel payments: the possible double payments a lead follows up, the list of the
office, and the jobs of their imports."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from staff.core.access import Role, employee_of, get_for_user, has_role, is_center_wide

from ..models import BillImportJob, ChannelPayment, ImportKind, Payment, PaymentKind

# Earlier payments of the account shown beside a possible double payment.
EARLIER_SHOWN = 3


def doubles_for(user) -> QuerySet[ChannelPayment]:
    """Possible double payments `user` sees: every one for the director and the office; for a
    shift lead those of their hall and those of no hall (the account never paid at a
    counter: every lead sees it); nothing for anybody else."""
    queryset = ChannelPayment.objects.filter(possible_double=True).select_related(
        "account", "follow_up_hall", "followed_up_by__employee"
    )
    if is_center_wide(user):
        return queryset
    employee = employee_of(user)
    if (
        not has_role(user, Role.SHIFT_LEAD)
        or employee is None
        or employee.hall_id is None
        or not employee.is_active
    ):
        return queryset.none()
    return queryset.filter(Q(follow_up_hall_id=employee.hall_id) | Q(follow_up_hall__isnull=True))


def doubles_to_follow_up(user) -> QuerySet[ChannelPayment]:
    return doubles_for(user).filter(followed_up_at__isnull=True)


def get_double_for(user, pk) -> ChannelPayment:
    return get_for_user(doubles_for(user), pk=pk)


@dataclass
class DoubleRow:
    """A possible double payment with the account's payments before it (what settled the
    bills it found paid): counter payments (when, hall, cashier) and channel payments."""

    payment: ChannelPayment
    counter: list
    channel: list


def double_rows(queryset: QuerySet[ChannelPayment], *, limit: int) -> list[DoubleRow]:
    """The rows of the doubles page in three queries, however many: the payments, and the
    counter and channel payments of their accounts."""
    doubles = list(
        queryset.order_by("followed_up_at", "-received_at", "-id").prefetch_related(
            Prefetch(
                "account__payments",
                queryset=Payment.objects.filter(kind=PaymentKind.PAYMENT)
                .select_related("hall", "cashier__employee")
                .order_by("-created_at", "-id"),
                to_attr="counter_payments",
            ),
            Prefetch(
                "account__channel_payments",
                queryset=ChannelPayment.objects.order_by("-received_at", "-id"),
                to_attr="all_channel_payments",
            ),
        )[:limit]
    )
    rows = []
    for payment in doubles:
        account = payment.account
        counter = [p for p in account.counter_payments if p.created_at <= payment.received_at]
        channel = [
            p
            for p in account.all_channel_payments
            if p.pk != payment.pk and p.received_at <= payment.received_at
        ]
        rows.append(DoubleRow(payment, counter[:EARLIER_SHOWN], channel[:EARLIER_SHOWN]))
    return rows


def channel_payments_for(user) -> QuerySet[ChannelPayment]:
    """The channel payments list: the director and the office only (the page's roles)."""
    if not is_center_wide(user):
        return ChannelPayment.objects.none()
    return ChannelPayment.objects.select_related("account", "client", "follow_up_hall")


def channel_import_jobs() -> QuerySet[BillImportJob]:
    return BillImportJob.objects.filter(kind=ImportKind.CHANNEL_PAYMENTS).select_related(
        "uploaded_by__employee"
    )
