"""Reads of the staff app."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Round

from .models import Employee, Penalty, PenaltyKind
from .services import BonusStatus


def _fen_sum():
    """The penalties' total in whole fen: SQLite's SUM over its floating-point decimals
    drifts (ten deductions of 0.10 are not 1.00 there)."""
    return Sum(Round(F("amount") * 100), output_field=BigIntegerField())


def _from_fen(value) -> Decimal:
    return (Decimal(int(round(value or 0))) / 100).quantize(Decimal("0.01"))


def bonus_status_for(employee: Employee, year: int) -> BonusStatus:
    """Count the year's penalties by kind in one query and apply the bonus rules."""
    figures = Penalty.objects.filter(employee=employee, date__year=year).aggregate(
        complaints=Count("id", filter=Q(kind=PenaltyKind.RESPONSIBLE_COMPLAINT)),
        company=Count("id", filter=Q(kind=PenaltyKind.COMPANY_NOTICE)),
        city=Count("id", filter=Q(kind=PenaltyKind.CITY_NOTICE)),
        fen=_fen_sum(),
    )
    return BonusStatus(
        year=year,
        responsible_complaints=figures["complaints"],
        company_notices=figures["company"],
        city_notices=figures["city"],
        total_deducted=_from_fen(figures["fen"]),
    )


# --- Rosters, attendance, leave, duty: what a user may see --------------------------------


def can_see_hall_people(user) -> bool:
    """Shift leads, lobby managers, office and director see the people of their halls."""
    from .access import Role, has_role, is_center_wide

    return is_center_wide(user) or has_role(user, Role.SHIFT_LEAD, Role.LOBBY_MANAGER)


def employees_visible_to(user):
    """Cashiers see themselves; hall managers their hall; office and director everyone."""
    from .access import employee_of, scope_by_hall

    queryset = Employee.objects.select_related("hall")
    if can_see_hall_people(user):
        return scope_by_hall(queryset.filter(hall__isnull=False), user)
    me = employee_of(user)
    return queryset.filter(pk=me.pk if me is not None else None)


def leaves_visible_to(user):
    """My own leave requests; hall managers the hall's; office and director all."""
    from .access import employee_of, scope_by_hall
    from .models import LeaveRequest

    queryset = LeaveRequest.objects.select_related(
        "employee__hall", "employee__user", "decided_by__employee"
    ).prefetch_related("employee__user__groups")
    me = employee_of(user)
    own = Q(employee=me) if me is not None else Q(pk__in=[])
    if can_see_hall_people(user):
        return scope_by_hall(queryset, user, "employee__hall") | queryset.filter(own)
    return queryset.filter(own)


def hall_for_request(user, hall_id):
    """The hall a page shows: the one asked for if in scope (else 404), or the user's own."""
    from .access import get_for_user, halls_for

    halls = halls_for(user)
    if hall_id:
        return get_for_user(halls, pk=hall_id)
    return halls.first()


def bonus_statuses(employees, year: int) -> dict:
    """{employee id: BonusStatus} for many people in one query."""
    figures = (
        Penalty.objects.filter(employee__in=employees, date__year=year)
        .values("employee_id")
        .annotate(
            complaints=Count("id", filter=Q(kind=PenaltyKind.RESPONSIBLE_COMPLAINT)),
            company=Count("id", filter=Q(kind=PenaltyKind.COMPANY_NOTICE)),
            city=Count("id", filter=Q(kind=PenaltyKind.CITY_NOTICE)),
            fen=_fen_sum(),
        )
        .order_by()
    )
    by_employee = {
        row["employee_id"]: BonusStatus(
            year=year,
            responsible_complaints=row["complaints"],
            company_notices=row["company"],
            city_notices=row["city"],
            total_deducted=_from_fen(row["fen"]),
        )
        for row in figures
    }
    empty = BonusStatus(
        year=year,
        responsible_complaints=0,
        company_notices=0,
        city_notices=0,
        total_deducted=Decimal("0.00"),
    )
    return {e.pk: by_employee.get(e.pk, empty) for e in employees}


@dataclass
class PlanDay:
    """One day of a person's roster as published: readable labels, and whether it has been
    changed since (the new plan reaches them when the shift lead re-publishes)."""

    day: date
    published: bool
    labels: list
    edited: bool


def published_plan(employee, start: date, end: date) -> list:
    """The person's days from `start` to `end` as published, not as edited since, in four
    queries (publications, the person's cells, the shift types)."""
    from .models import LeaveType, RosterEntry, RosterKind, RosterPublication, ShiftType
    from .periods import days_between
    from .rosters import LEAVE_BY_CODE, REST_CODE, cell_code

    key = str(employee.pk)
    by_day = {}
    for publication in RosterPublication.objects.filter(date__range=(start, end)).filter(
        Q(hall_id=employee.hall_id) | Q(snapshot__has_key=key)
    ):
        # A person moved between halls: the publication holding their cell wins.
        if key in publication.snapshot or publication.date not in by_day:
            by_day[publication.date] = publication
    live = defaultdict(list)
    for entry in RosterEntry.objects.filter(
        employee=employee, date__range=(start, end)
    ).select_related("shift_type"):
        live[entry.date].append(entry)
    names = {
        (s.hall_id, s.code): str(s)
        for s in ShiftType.objects.filter(hall_id__in={p.hall_id for p in by_day.values()})
    }

    def labels(hall_id, code):
        if not code:
            return []
        if code == REST_CODE:
            return [str(RosterKind.REST.label)]
        if code in LEAVE_BY_CODE:
            return [str(LeaveType(LEAVE_BY_CODE[code]).label)]
        return [names.get((hall_id, c), c) for c in code.split("+")]

    plan = []
    for day in days_between(start, end):
        publication = by_day.get(day)
        if publication is None:
            plan.append(PlanDay(day=day, published=False, labels=[], edited=False))
            continue
        code = publication.snapshot.get(key, "")
        plan.append(
            PlanDay(
                day=day,
                published=True,
                labels=labels(publication.hall_id, code),
                edited=cell_code(live.get(day, [])) != code,
            )
        )
    return plan
