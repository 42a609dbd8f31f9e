"""Roster cells, coverage against minimum staffing, and the roster services.

A roster cell is typed as codes: a shift type's code (e.g. 早), several joined by "+"
(早+晚), 休 for a rest day, or a leave code (事 病 年 调 婚 丧 产 假).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import Role, has_role
from .audit import audit_record, history_for
from .locks import lock_hall
from .models import (
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
from .periods import check_unlocked, days_between

REST_CODE = "休"
LEAVE_CODES = {
    LeaveType.PERSONAL: "事",
    LeaveType.SICK: "病",
    LeaveType.ANNUAL: "年",
    LeaveType.COMPENSATORY: "调",
    LeaveType.MARRIAGE: "婚",
    LeaveType.BEREAVEMENT: "丧",
    LeaveType.MATERNITY: "产",
    LeaveType.OTHER: "假",
}
LEAVE_BY_CODE = {code: leave for leave, code in LEAVE_CODES.items()}
RESERVED_CODES = {REST_CODE, *LEAVE_BY_CODE}
SEPARATORS = re.compile(r"[\s+,，、/]+")
# Longest range one save, copy or pattern may touch.
MAX_DAYS = 93


def staffing_role(roles) -> str | None:
    """The one role a person counts as for minimum staffing (a lead is not also a cashier)."""
    for role in (StaffingRole.SHIFT_LEAD, StaffingRole.LOBBY_MANAGER, StaffingRole.CASHIER):
        if role in roles:
            return role
    return None


def cell_code(entries) -> str:
    """The text of a cell from its entries (shift codes in start order)."""
    if not entries:
        return ""
    first = entries[0]
    if first.kind == RosterKind.REST:
        return REST_CODE
    if first.kind == RosterKind.LEAVE:
        return LEAVE_CODES.get(first.leave_type, "假")
    return "+".join(e.shift_type.code for e in sorted(entries, key=lambda e: e.shift_type.start))


@dataclass(frozen=True)
class Cell:
    """A parsed cell: a kind and its shift types or leave type."""

    kind: str = ""
    shifts: tuple = ()
    leave_type: str = ""

    @property
    def empty(self):
        return not self.kind


def parse_cell(text: str, shift_types_by_code: dict) -> Cell:
    tokens = [t for t in SEPARATORS.split((text or "").strip()) if t]
    if not tokens:
        return Cell()
    if len(tokens) == 1 and tokens[0] == REST_CODE:
        return Cell(kind=RosterKind.REST)
    if len(tokens) == 1 and tokens[0] in LEAVE_BY_CODE:
        return Cell(kind=RosterKind.LEAVE, leave_type=LEAVE_BY_CODE[tokens[0]])
    shifts = []
    for token in tokens:
        if token in RESERVED_CODES:
            raise ValidationError(
                _("“%(text)s”: a rest day or leave cannot be combined with shifts.")
                % {"text": text}
            )
        shift = shift_types_by_code.get(token)
        if shift is None:
            raise ValidationError(
                _("“%(code)s” is not a shift of this hall. Use %(codes)s, 休 or a leave code.")
                % {"code": token, "codes": "、".join(shift_types_by_code) or "—"}
            )
        if shift in shifts:
            raise ValidationError(_("“%(text)s” names a shift twice.") % {"text": text})
        shifts.append(shift)
    shifts.sort(key=lambda s: s.start)
    for earlier, later in zip(shifts, shifts[1:], strict=False):
        if later.start < earlier.end:
            raise ValidationError(
                _("%(a)s and %(b)s overlap: one person cannot work both.")
                % {"a": earlier.name, "b": later.name}
            )
    return Cell(kind=RosterKind.SHIFT, shifts=tuple(shifts))


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

    def code(self, employee_id, day) -> str:
        return cell_code(self.cells.get((employee_id, day), []))

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
    """Everything the grid page shows, in a fixed number of queries (eight)."""
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


# --- Services ----------------------------------------------------------------------------


def can_edit_roster(user, hall_id) -> bool:
    if user.is_superuser or has_role(user, Role.DIRECTOR):
        return True
    employee = getattr(user, "employee", None)
    return has_role(user, Role.SHIFT_LEAD) and employee is not None and employee.hall_id == hall_id


def _check_range(start, end):
    if end < start:
        raise ValidationError(_("The last day is before the first day."))
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(_("Choose at most %(n)s days at a time.") % {"n": MAX_DAYS})


def roster_set_cells(*, actor, hall, cells: dict, reason: str = "", action="staff.roster.update"):
    """Set cells {(employee id, day): text}; all valid or nothing changes. Returns changed count."""
    if not can_edit_roster(actor, hall.pk):
        raise ValidationError(_("Only the hall's shift lead or a director can change its roster."))
    if not cells:
        return 0
    days = sorted({day for _employee, day in cells})
    _check_range(days[0], days[-1])
    shift_types = {s.code: s for s in hall_shift_types(hall.pk)}
    people = {e.pk: e for e in roster_people(hall.pk, days[0], days[-1])}
    parsed, errors = {}, []
    for (employee_id, day), text in cells.items():
        employee = people.get(employee_id)
        if employee is None:
            raise ValidationError(_("That person does not work in this hall."))
        try:
            parsed[employee_id, day] = parse_cell(text, shift_types)
        except ValidationError as exc:
            errors.append(f"{employee.name} {day:%m-%d}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_hall(hall.pk)
        on_leave = approved_leave_cells(
            {employee_id for employee_id, _day in parsed}, days[0], days[-1], lock=True
        )
        current = entries_by_cell(hall.pk, days[0], days[-1])
        changes = []
        for (employee_id, day), cell in sorted(parsed.items(), key=lambda i: (i[0][1], i[0][0])):
            before = cell_code(current.get((employee_id, day), []))
            after = _cell_text(cell)
            if before == after:
                continue
            changes.append(
                {
                    "employee_id": employee_id,
                    "employee": people[employee_id].name,
                    "date": day,
                    "from": before,
                    "to": after,
                }
            )
        if not changes:
            return 0
        _refuse_approved_leave(changes, on_leave)
        after_report = check_unlocked(
            actor=actor, hall_id=hall.pk, days={c["date"] for c in changes}, reason=reason
        )
        changed_keys = [
            key
            for key, cell in parsed.items()
            if cell_code(current.get(key, [])) != _cell_text(cell)
        ]
        stale = [e.pk for key in changed_keys for e in current.get(key, [])]
        RosterEntry.objects.filter(pk__in=stale).delete()
        # Someone moved between halls keeps one plan per day: drop their other hall's cell.
        keys = set(changed_keys)
        elsewhere = (
            RosterEntry.objects.filter(
                employee_id__in={e for e, _d in keys}, date__range=(days[0], days[-1])
            )
            .exclude(hall=hall)
            .values_list("pk", "employee_id", "date")
        )
        RosterEntry.objects.filter(pk__in=[pk for pk, e, d in elsewhere if (e, d) in keys]).delete()
        RosterEntry.objects.bulk_create(
            [
                RosterEntry(
                    hall=hall,
                    employee_id=employee_id,
                    date=day,
                    kind=cell.kind,
                    shift_type=shift,
                    leave_type=cell.leave_type,
                )
                for (employee_id, day) in changed_keys
                for cell in [parsed[employee_id, day]]
                if not cell.empty
                for shift in (cell.shifts or [None])
            ]
        )
        audit_record(
            actor=actor,
            action=action,
            obj=hall,
            summary=_("Roster: %(n)s cells changed") % {"n": len(changes)}
            + ((_(" (after reporting: %(reason)s)") % {"reason": reason}) if after_report else ""),
            changes={"cells": changes, "reason": reason},
        )
    return len(changes)


def _refuse_approved_leave(changes, on_leave):
    """An approved leave and the roster must never disagree: its days change only by
    withdrawing the leave (which frees them and gives back any 调休 it used)."""
    leaves = {}
    for change in changes:
        leave = on_leave.get((change["employee_id"], change["date"]))
        if leave is not None:
            leaves.setdefault(leave.pk, (leave, []))[1].append(change["date"])
    if not leaves:
        return
    raise ValidationError(
        [
            _(
                "%(name)s %(days)s: approved %(type)s (%(start)s – %(end)s) covers these days. "
                "Withdraw the approved leave on its page first, then change the roster."
            )
            % {
                "name": leave.employee.name,
                "days": "、".join(f"{d:%m-%d}" for d in sorted(days)),
                "type": leave.get_leave_type_display(),
                "start": f"{leave.start:%Y-%m-%d}",
                "end": f"{leave.end:%Y-%m-%d}",
            }
            for leave, days in leaves.values()
        ]
    )


def _cell_text(cell: Cell) -> str:
    if cell.empty:
        return ""
    if cell.kind == RosterKind.REST:
        return REST_CODE
    if cell.kind == RosterKind.LEAVE:
        return LEAVE_CODES[cell.leave_type]
    return "+".join(s.code for s in cell.shifts)


def _plan_from(hall, source_days, target_days):
    """Cells copying `source_days[i]` to `target_days[i]`; leave in a target is kept, and so is
    every day of an approved leave (a rest day inside it too)."""
    span = (min(source_days + target_days), max(source_days + target_days))
    current = entries_by_cell(hall.pk, *span)
    people = roster_people(hall.pk, *span)
    on_leave = approved_leave_cells([e.pk for e in people], *span)
    cells = {}
    for employee in people:
        for source, target in zip(source_days, target_days, strict=True):
            target_entries = current.get((employee.pk, target), [])
            if target_entries and target_entries[0].kind == RosterKind.LEAVE:
                continue
            if (employee.pk, target) in on_leave:
                continue
            source_entries = current.get((employee.pk, source), [])
            if source_entries and source_entries[0].kind == RosterKind.LEAVE:
                continue  # leave is personal, it does not repeat
            cells[employee.pk, target] = cell_code(source_entries)
    return cells


def roster_copy_week(*, actor, hall, week_start: date) -> int:
    """Copy the previous week's shifts and rest days onto the week starting `week_start`."""
    target = days_between(week_start, week_start + timedelta(days=6))
    source = [d - timedelta(days=7) for d in target]
    return roster_set_cells(
        actor=actor, hall=hall, cells=_plan_from(hall, source, target), action="staff.roster.copy"
    )


def roster_repeat_pattern(*, actor, hall, pattern_start: date, pattern_end: date, until: date):
    """Repeat the days `pattern_start`..`pattern_end` (a rotation) up to `until`."""
    _check_range(pattern_start, pattern_end)
    if until <= pattern_end:
        raise ValidationError(_("Repeat the pattern up to a day after its last day."))
    _check_range(pattern_start, until)
    pattern = days_between(pattern_start, pattern_end)
    target = days_between(pattern_end + timedelta(days=1), until)
    source = [pattern[n % len(pattern)] for n in range(len(target))]
    return roster_set_cells(
        actor=actor, hall=hall, cells=_plan_from(hall, source, target), action="staff.roster.repeat"
    )


def snapshots(cells) -> dict:
    """{day: {employee id as text: code}} of the non-empty cells, as a publication keeps them."""
    by_day = defaultdict(dict)
    for (employee_id, day), entries in cells.items():
        if entries:
            by_day[day][str(employee_id)] = cell_code(entries)
    return by_day


def roster_publish(*, actor, hall, start: date, end: date) -> int:
    """Publish the hall's roster for the days: its people see them on their home page."""
    if not can_edit_roster(actor, hall.pk):
        raise ValidationError(_("Only the hall's shift lead or a director can publish its roster."))
    _check_range(start, end)
    with transaction.atomic():
        # The hall's lock keeps the roster still while its snapshot is taken.
        lock_hall(hall.pk)
        done = set(
            RosterPublication.objects.select_for_update()
            .filter(hall=hall, date__range=(start, end))
            .values_list("date", flat=True)
        )
        new = [d for d in days_between(start, end) if d not in done]
        current = snapshots(entries_by_cell(hall.pk, start, end)) if new else {}
        RosterPublication.objects.bulk_create(
            [
                RosterPublication(
                    hall=hall, date=d, published_by=actor, snapshot=current.get(d, {})
                )
                for d in new
            ]
        )
        if new:
            audit_record(
                actor=actor,
                action="staff.roster.publish",
                obj=hall,
                summary=_("Roster published for %(start)s – %(end)s")
                % {"start": start, "end": end},
                changes={"days": new},
            )
    return len(new)


def roster_republish(*, actor, hall, start: date, end: date) -> int:
    """Publish again the days of the range changed since their publication; returns how many.

    Until then their people keep seeing the version published before (see my roster)."""
    if not can_edit_roster(actor, hall.pk):
        raise ValidationError(_("Only the hall's shift lead or a director can publish its roster."))
    _check_range(start, end)
    with transaction.atomic():
        lock_hall(hall.pk)
        publications = list(
            RosterPublication.objects.select_for_update()
            .filter(hall=hall, date__range=(start, end))
            .order_by("date")
        )
        current = snapshots(entries_by_cell(hall.pk, start, end))
        now, changed, cells = timezone.now(), [], []
        for publication in publications:
            before, after = publication.snapshot, current.get(publication.date, {})
            if before == after:
                continue
            for key in sorted(set(before) | set(after), key=int):
                if before.get(key, "") != after.get(key, ""):
                    cells.append(
                        {
                            "employee_id": int(key),
                            "date": publication.date,
                            "from": before.get(key, ""),
                            "to": after.get(key, ""),
                        }
                    )
            publication.snapshot, publication.published_by = after, actor
            publication.published_at = now
            changed.append(publication)
        if not changed:
            raise ValidationError(_("Nothing has changed on these days since they were published."))
        RosterPublication.objects.bulk_update(changed, ["snapshot", "published_by", "published_at"])
        names = dict(
            Employee.objects.filter(pk__in={c["employee_id"] for c in cells}).values_list(
                "pk", "name"
            )
        )
        for cell in cells:
            cell["employee"] = names.get(cell["employee_id"], "")
        audit_record(
            actor=actor,
            action="staff.roster.republish",
            obj=hall,
            summary=_("Roster re-published: %(n)s changed cells on %(days)s days")
            % {"n": len(cells), "days": len(changed)},
            changes={"days": [p.date for p in changed], "cells": cells},
        )
    return len(changed)
