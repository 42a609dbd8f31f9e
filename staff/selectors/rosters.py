"""Roster reads: the grid of a hall, coverage against minimum staffing, changes since
publication, and a person's published plan."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from ..core.audit import history_for
from ..core.calendar import days_between, special_days
from ..models import (
    Employee,
    Hall,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    RosterEntry,
    RosterKind,
    RosterPublication,
    ShiftType,
    StaffingRole,
)
from ..models.rosters import LEAVE_BY_CODE, REST_CODE, cell_code


def staffing_role(roles) -> str | None:
    """The one role a person counts as for minimum staffing (a lead is not also a cashier)."""
    for role in (StaffingRole.SHIFT_LEAD, StaffingRole.LOBBY_MANAGER, StaffingRole.CASHIER):
        if role in roles:
            return role
    return None


# --- Coverage ------------------------------------------------------------------------------


@dataclass
class CoverageCell:
    """How one shift of one day stands against its minimum: green, amber or red."""

    have: dict = field(default_factory=dict)
    need: dict = field(default_factory=dict)

    @property
    def shortfall(self) -> int:
        return sum(max(0, n - self.have.get(role, 0)) for role, n in self.need.items())

    @property
    def level(self) -> str:
        """Green: every minimum met. Amber: one person short. Red: more, or a role with nobody."""
        if not self.need or self.shortfall == 0:
            return "ok"
        if self.shortfall == 1 and all(self.have.get(role, 0) for role in self.need):
            return "warn"
        return "danger"

    @property
    def text(self) -> str:
        return f"{sum(self.have.get(r, 0) for r in self.need)}/{sum(self.need.values())}"

    def missing(self) -> list:
        labels = dict(StaffingRole.choices)
        return [
            (labels[role], n - self.have.get(role, 0))
            for role, n in self.need.items()
            if self.have.get(role, 0) < n
        ]


def coverage(shift_types, days, entries_by_cell, role_of, exclude=None) -> dict:
    """{(shift type id, day): CoverageCell}. `entries_by_cell` maps (employee id, day) to entries.

    A person counts for a shift when one of their shifts covers its whole time (full day covers
    morning and afternoon). `exclude` is an employee id left out (a leave being approved).
    """
    present = defaultdict(list)  # day -> [(role, ShiftType)]
    for (employee_id, day), entries in entries_by_cell.items():
        if employee_id == exclude or role_of.get(employee_id) is None:
            continue
        for entry in entries:
            if entry.kind == RosterKind.SHIFT:
                present[day].append((role_of[employee_id], entry.shift_type))
    result = {}
    for shift in shift_types:
        need = {m.role: m.count for m in shift.minimums.all()}
        for day in days:
            have = defaultdict(int)
            for role, worked in present[day]:
                if worked.covers(shift):
                    have[role] += 1
            result[shift.pk, day] = CoverageCell(have=dict(have), need=need)
    return result


# --- Grid --------------------------------------------------------------------------------


@dataclass
class RosterGrid:
    hall: Hall
    days: list
    employees: list
    shift_types: list
    cells: dict  # (employee id, day) -> [RosterEntry]
    publications: dict  # day -> RosterPublication
    role_of: dict
    coverage: dict
    leave_cells: dict  # (employee id, day) -> LeaveRequest (approved) covering the cell
    # day -> WorkCalendarDay: the working calendar's public holidays and make-up working days.
    # The halls open every day, but a holiday worked earns 调休: the lead plans with them in view.
    special_days: dict = field(default_factory=dict)

    def code(self, employee_id, day) -> str:
        return cell_code(self.cells.get((employee_id, day), []))

    @property
    def day_headers(self) -> list:
        """(day, WorkCalendarDay or None) for the grid's header."""
        return [(day, self.special_days.get(day)) for day in self.days]

    @property
    def published(self) -> set:
        return set(self.publications)

    def edited_cells(self) -> dict:
        """{(employee id, day): code as published} of published cells changed since."""
        edited = {}
        people = {e.pk for e in self.employees}
        for day, publication in self.publications.items():
            snapshot = publication.snapshot
            for employee_id in people | {int(key) for key in snapshot}:
                published = snapshot.get(str(employee_id), "")
                if published != self.code(employee_id, day):
                    edited[employee_id, day] = published
        return edited

    @property
    def gaps(self) -> list:
        """(day, shift type, CoverageCell) of every shift below its minimum."""
        return [
            (day, shift, self.coverage[shift.pk, day])
            for day in self.days
            for shift in self.shift_types
            if self.coverage[shift.pk, day].level != "ok"
        ]


def hall_shift_types(hall_id):
    return list(
        ShiftType.objects.filter(hall_id=hall_id, is_active=True).prefetch_related("minimums")
    )


def roster_people(hall_id, start, end):
    """The hall's active people, plus anyone with a roster entry in the hall in the range."""
    return list(
        Employee.objects.filter(
            Q(hall_id=hall_id, is_active=True)
            | Q(roster_entries__hall_id=hall_id, roster_entries__date__range=(start, end))
        )
        .distinct()
        .select_related("user")
        .prefetch_related("user__groups")
        .order_by("employee_no")
    )


def roles_by_employee(employees) -> dict:
    return {e.pk: staffing_role({g.name for g in e.user.groups.all()}) for e in employees}


def entries_by_cell(hall_id, start, end) -> dict:
    """{(employee id, day): [entries]} of a hall's range, with their shift types, in two
    queries. The hall's few shift types are shared by the entries rather than joined: a month
    grid has about a thousand entries, and one ShiftType instance each was half its time."""
    shift_types = {s.pk: s for s in ShiftType.objects.filter(hall_id=hall_id)}
    cells = defaultdict(list)
    for entry in (
        RosterEntry.objects.filter(hall_id=hall_id, date__range=(start, end))
        .only("employee_id", "date", "kind", "shift_type_id", "leave_type")
        .order_by()
    ):
        if entry.shift_type_id is not None:
            entry.shift_type = shift_types[entry.shift_type_id]
        cells[entry.employee_id, entry.date].append(entry)
    return cells


def approved_leave_cells(employee_ids, start: date, end: date, *, lock=False) -> dict:
    """{(employee id, day): LeaveRequest} of the days an approved leave covers, rest days inside
    it included. With `lock`, the people's undecided and approved leave in the range is locked
    too, so that an approval cannot slip in between this check and the caller's write."""
    leaves = LeaveRequest.objects.filter(
        employee_id__in=employee_ids, start__lte=end, end__gte=start
    ).select_related("employee")
    if lock:
        leaves = leaves.select_for_update(of=("self",)).filter(
            status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED]
        )
    else:
        leaves = leaves.filter(status=LeaveStatus.APPROVED)
    covered = {}
    for leave in leaves.order_by("pk"):
        if leave.status != LeaveStatus.APPROVED:
            continue
        for day in days_between(max(leave.start, start), min(leave.end, end)):
            covered[leave.employee_id, day] = leave
    return covered


def roster_grid(hall, start: date, end: date) -> RosterGrid:
    """Everything the grid page shows, in a fixed number of queries (nine)."""
    days = days_between(start, end)
    shift_types = hall_shift_types(hall.pk)
    employees = roster_people(hall.pk, start, end)
    role_of = roles_by_employee(employees)
    cells = entries_by_cell(hall.pk, start, end)
    publications = {
        p.date: p for p in RosterPublication.objects.filter(hall=hall, date__range=(start, end))
    }
    return RosterGrid(
        hall=hall,
        days=days,
        employees=employees,
        shift_types=shift_types,
        cells=cells,
        publications=publications,
        role_of=role_of,
        coverage=coverage(shift_types, days, cells, role_of),
        leave_cells=approved_leave_cells([e.pk for e in employees], start, end),
        special_days=special_days(start, end),
    )


@dataclass
class CellEdit:
    """A published cell changed since: as published, as planned now, and who changed it when."""

    employee: Employee
    day: date
    published: str
    current: str
    publication: RosterPublication
    changed_by: object = None
    changed_at: object = None


# Audited roster writes that change cells (publishing does not).
NOT_CELL_EDITS = ("staff.roster.publish", "staff.roster.republish")


def roster_edits(grid: RosterGrid) -> list:
    """The grid's published cells changed since publication, with the latest audited change of
    each (who and when). Two more queries, only when something changed."""
    edited = grid.edited_cells()
    if not edited:
        return []
    people = {e.pk: e for e in grid.employees}
    missing = {employee_id for employee_id, _day in edited} - set(people)
    people.update({e.pk: e for e in Employee.objects.filter(pk__in=missing)})
    edits = {
        (employee_id, day): CellEdit(
            employee=people[employee_id],
            day=day,
            published=published,
            current=grid.code(employee_id, day),
            publication=grid.publications[day],
        )
        for (employee_id, day), published in edited.items()
        if employee_id in people
    }
    by_name = {(e.employee.name, e.day.isoformat()): e for e in edits.values()}
    since = min(e.publication.published_at for e in edits.values())
    entries = (
        history_for(grid.hall)
        .filter(action__startswith="staff.roster.", at__gte=since)
        .exclude(action__in=NOT_CELL_EDITS)
    )
    for entry in entries:  # newest first: the first match of a cell is its latest change
        for cell in entry.changes.get("cells", []):
            if "employee_id" in cell:
                day = date.fromisoformat(cell["date"])
                edit = edits.get((cell["employee_id"], day))
            else:  # entries written before cells carried the employee id
                edit = by_name.get((cell.get("employee"), cell.get("date")))
            if edit and edit.changed_at is None and entry.at > edit.publication.published_at:
                edit.changed_by, edit.changed_at = entry.actor, entry.at
    return sorted(edits.values(), key=lambda e: (e.day, e.employee.employee_no))


def snapshots(cells) -> dict:
    """{day: {employee id as text: code}} of the non-empty cells, as a publication keeps them."""
    by_day = defaultdict(dict)
    for (employee_id, day), entries in cells.items():
        if entries:
            by_day[day][str(employee_id)] = cell_code(entries)
    return by_day


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
