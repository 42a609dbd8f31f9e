"""Roster changes: cells typed or imported, copied, repeated; publication; shift types and
minimum staffing.

All or nothing: every typed cell is checked before anything is written, and the hall's row
is locked while its roster changes (`staff.core.locks.lock_hall`).
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.audit import audit_record
from ..core.calendar import days_between
from ..core.locks import lock_hall
from ..core.text_encoding import EncodingRefused, decode_text
from ..models import (
    Employee,
    MinimumStaffing,
    RosterEntry,
    RosterKind,
    RosterPublication,
    ShiftType,
    StaffingRole,
)
from ..models.rosters import LEAVE_BY_CODE, LEAVE_CODES, RESERVED_CODES, REST_CODE, cell_code
from ..rules import may_edit_roster
from ..selectors.rosters import (
    approved_leave_cells,
    entries_by_cell,
    hall_shift_types,
    roster_people,
    snapshots,
)
from .attendance import check_unlocked

SEPARATORS = re.compile(r"[\s+,，、/]+")
# Longest range one save, copy or pattern may touch.
MAX_DAYS = 93


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


def _check_range(start, end):
    if end < start:
        raise ValidationError(_("The last day is before the first day."))
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(_("Choose at most %(n)s days at a time.") % {"n": MAX_DAYS})


def roster_set_cells(*, actor, hall, cells: dict, reason: str = "", action="staff.roster.update"):
    """Set cells {(employee id, day): text}; all valid or nothing changes. Returns changed count."""
    if not may_edit_roster(actor, hall.pk):
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


def roster_publish(*, actor, hall, start: date, end: date) -> int:
    """Publish the hall's roster for the days: its people see them on their home page."""
    if not may_edit_roster(actor, hall.pk):
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
    if not may_edit_roster(actor, hall.pk):
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


# --- Shift types and minimum staffing -------------------------------------------------------


def _check_may_edit_shifts(actor, hall_id):
    if not may_edit_roster(actor, hall_id):
        raise ValidationError(_("Only the hall's shift lead or a director can change its shifts."))


def check_shift_code(code: str) -> str:
    """A shift type's code as typed in roster cells: not 休 or a leave code, no separator.

    Refused here, not only by the form: a shift coded 休 would make every rest day a shift
    (`parse_cell` reads the reserved codes first) and 早+午 could never be typed."""
    code = (code or "").strip()
    if not code or code in RESERVED_CODES or SEPARATORS.search(code):
        raise ValidationError(
            _("Choose another code: 休 and the leave codes are reserved, no separators.")
        )
    return code


def shift_type_save(*, actor, hall, data) -> ShiftType:
    """Create a shift type, or update the active one with the same code."""
    _check_may_edit_shifts(actor, hall.pk)
    data = {**data, "code": check_shift_code(data.get("code"))}
    with transaction.atomic():
        # A new code has no row to lock: the hall's row serialises two leads adding it at once,
        # so the only database refusal left below is the start/end check.
        lock_hall(hall.pk)
        shift = ShiftType.objects.filter(hall=hall, code=data["code"]).first()
        try:
            if shift is None:
                shift = ShiftType.objects.create(hall=hall, **data)
            else:
                for name, value in data.items():
                    setattr(shift, name, value)
                shift.is_active = True
                shift.save(update_fields=[*data, "is_active"])
        except IntegrityError as exc:
            raise ValidationError(_("The shift must end after it starts.")) from exc
        audit_record(
            actor=actor,
            action="staff.shift_type.save",
            obj=shift,
            summary=str(shift),
            changes=data,
        )
    return shift


def shift_type_deactivate(*, actor, hall, shift_type_id) -> None:
    _check_may_edit_shifts(actor, hall.pk)
    with transaction.atomic():
        shift = ShiftType.objects.select_for_update().filter(hall=hall, pk=shift_type_id).first()
        if shift is None:
            raise ValidationError(_("No such shift type in this hall."))
        shift.is_active = False
        shift.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.shift_type.retire", obj=shift, summary=str(shift))


def minimum_set(*, actor, shift_type, role, count) -> None:
    """Set (or with 0 remove) the minimum number of `role` on `shift_type`."""
    _check_may_edit_shifts(actor, shift_type.hall_id)
    with transaction.atomic():
        # Two leads setting the same minimum at once: the shift type's row orders them.
        ShiftType.objects.select_for_update().get(pk=shift_type.pk)
        if count:
            MinimumStaffing.objects.update_or_create(
                shift_type=shift_type, role=role, defaults={"count": count}
            )
        else:
            MinimumStaffing.objects.filter(shift_type=shift_type, role=role).delete()
        audit_record(
            actor=actor,
            action="staff.minimum.set",
            obj=shift_type,
            summary=_("Minimum staffing %(role)s: %(n)s")
            % {"role": StaffingRole(role).label, "n": count},
            changes={"role": role, "count": count},
        )


# --- Import from a CSV file -----------------------------------------------------------------
# 工号, 日期, 安排 (employee number, date, cell code). Excel in China saves CSV as GBK unless
# told otherwise, so both UTF-8 (with or without BOM) and GBK are read, and nothing else
# (staff.core.text_encoding: a Big5 or Shift-JIS file is refused, not read as GBK mojibake).
# Every bad line is reported with its number and nothing is saved.

IMPORT_MAX_BYTES = 1_000_000


def _import_text(raw: bytes) -> str:
    try:
        return decode_text(raw)[0]
    except EncodingRefused as refused:
        raise ValidationError(refused.message) from None


def roster_import_csv(*, actor, hall, upload) -> int:
    raw = upload.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is too large (at most 1 MB)."))
    lines = list(csv.reader(io.StringIO(_import_text(raw))))
    people = dict(
        Employee.objects.filter(hall=hall, is_active=True).values_list("employee_no", "pk")
    )
    cells, errors = {}, []
    for number, line in enumerate(lines, start=1):
        if not any(cell.strip() for cell in line):
            continue
        if number == 1 and line[0].strip() in ("工号", "employee_no"):
            continue  # header
        if len(line) < 3:
            errors.append(_("Line %(n)s: expected employee number, date and plan.") % {"n": number})
            continue
        employee_no, day_text, code = (cell.strip() for cell in line[:3])
        employee_id = people.get(employee_no)
        if employee_id is None:
            errors.append(
                _("Line %(n)s: no employee number %(no)s in this hall.")
                % {"n": number, "no": employee_no}
            )
            continue
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors.append(
                _("Line %(n)s: “%(text)s” is not a date like 2026-03-01.")
                % {"n": number, "text": day_text}
            )
            continue
        if (employee_id, day) in cells:
            errors.append(_("Line %(n)s: the same person and day twice.") % {"n": number})
            continue
        cells[employee_id, day] = code
    if errors:
        raise ValidationError(errors)
    if not cells:
        raise ValidationError(_("The file has no roster lines."))
    return roster_set_cells(actor=actor, hall=hall, cells=cells, action="staff.roster.import")
