"""Leave requests: asked by the employee, decided by the shift lead or, for shift leads and lobby
managers, by a director. An approval that takes a day below minimum staffing needs a reason."""

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import employee_of
from ..core.audit import audit_record
from ..core.calendar import days_between
from ..core.locks import lock_hall
from ..models import Hall, LeaveRequest, LeaveStatus, LeaveType, RosterEntry, RosterKind
from ..models.rosters import LEAVE_CODES, cell_code
from ..rules import may_decide_leave, needs_director
from ..selectors.attendance import compensatory_balance, reported_months
from ..selectors.leave import pending_compensatory_days, staffing_shortfalls
from .attendance import check_unlocked

# Maternity leave is the longest the regulations of the country give (98 days and more).
MAX_LEAVE_DAYS = 190


def _check_compensatory(employee, days: int, exclude=None):
    balance = compensatory_balance(employee)["balance"]
    available = balance - pending_compensatory_days(employee, exclude)
    if days > available:
        raise ValidationError(
            _("Only %(n)s compensatory days are available (balance less pending requests).")
            % {"n": max(available, 0)}
        )


def leave_request(
    *, actor, leave_type: str, start: date, end: date, reason: str = ""
) -> LeaveRequest:
    employee = employee_of(actor)
    if employee is None or employee.hall_id is None:
        raise ValidationError(_("Only hall staff request leave here."))
    if leave_type not in LeaveType.values:
        raise ValidationError(_("Choose a leave type."))
    if end < start:
        raise ValidationError(_("The last day is before the first day."))
    if (end - start).days >= MAX_LEAVE_DAYS:
        raise ValidationError(_("A request covers at most %(n)s days.") % {"n": MAX_LEAVE_DAYS})
    locked = reported_months(employee.hall_id, days_between(start, end))
    if locked:
        raise ValidationError(
            _("%(months)s has been reported and is locked: leave cannot be requested for it.")
            % {"months": "、".join(f"{m:%Y-%m}" for m in sorted(locked))}
        )
    with transaction.atomic():
        lock_hall(employee.hall_id)
        overlapping = LeaveRequest.objects.filter(
            employee=employee,
            status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
            start__lte=end,
            end__gte=start,
        )
        if overlapping.exists():
            raise ValidationError(_("You already have a leave request for some of these days."))
        if leave_type == LeaveType.COMPENSATORY:
            _check_compensatory(employee, (end - start).days + 1)
        leave = LeaveRequest.objects.create(
            employee=employee, leave_type=leave_type, start=start, end=end, reason=reason.strip()
        )
        audit_record(
            actor=actor,
            action="staff.leave.request",
            obj=leave,
            summary=_("Leave requested: %(leave)s") % {"leave": leave},
            changes={"type": leave_type, "start": start, "end": end},
        )
    return leave


def leave_decide(
    *, actor, leave: LeaveRequest, approve: bool, note: str = "", override_reason: str = ""
) -> LeaveRequest:
    if not may_decide_leave(actor, leave):
        if needs_director(leave.employee):
            raise ValidationError(
                _("Leave of shift leads and lobby managers is decided by a director.")
            )
        raise ValidationError(_("Only the hall's shift lead or a director can decide this leave."))
    with transaction.atomic():
        lock_hall(leave.employee.hall_id)
        leave = (
            LeaveRequest.objects.select_for_update()
            .select_related("employee__user")
            .get(pk=leave.pk)
        )
        if leave.status != LeaveStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if approve:
            _approve(actor, leave, override_reason.strip())
        leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
        leave.decided_by, leave.decided_at = actor, timezone.now()
        leave.decision_note = note.strip()
        leave.override_reason = override_reason.strip() if approve else ""
        leave.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "override_reason"]
        )
        audit_record(
            actor=actor,
            action="staff.leave.approve" if approve else "staff.leave.reject",
            obj=leave,
            summary=(_("Approved") if approve else _("Rejected"))
            + (f": {leave.decision_note}" if leave.decision_note else ""),
            changes={"override_reason": leave.override_reason, "note": leave.decision_note},
        )
    return leave


def _approve(actor, leave, override_reason):
    employee = leave.employee
    days = days_between(leave.start, leave.end)
    if reported_months(employee.hall_id, days):
        raise ValidationError(_("The month has been reported and is locked."))
    if leave.leave_type == LeaveType.COMPENSATORY:
        _check_compensatory(employee, len(days), exclude=leave)
    gaps = staffing_shortfalls(leave)
    if gaps and not override_reason:
        listed = "; ".join(
            f"{day:%m-%d} {shift.name} "
            + "、".join(
                _("%(role)s short by %(n)s") % {"role": label, "n": n} for label, n in missing
            )
            for day, shift, missing in gaps[:5]
        )
        raise ValidationError(
            _(
                "Approving takes these shifts below minimum staffing: %(gaps)s. "
                "Give a reason to approve anyway."
            )
            % {"gaps": listed}
        )
    existing = (
        RosterEntry.objects.select_for_update(of=("self",))
        .order_by()
        .select_related("shift_type")
        .filter(employee=employee, date__range=(leave.start, leave.end))
    )
    before = defaultdict(list)
    for entry in existing:
        before[entry.date].append(entry)
    rest_days = {e.date for e in existing if e.kind == RosterKind.REST}
    existing.exclude(kind=RosterKind.REST).delete()
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(
                hall_id=employee.hall_id,
                employee=employee,
                date=day,
                kind=RosterKind.LEAVE,
                leave_type=leave.leave_type,
            )
            for day in days
            if day not in rest_days
        ]
    )
    code = LEAVE_CODES[leave.leave_type]
    _audit_roster_cells(
        actor,
        leave,
        _("Roster: leave approved for %(name)s") % {"name": employee.name},
        [
            (day, cell_code(before[day]), code)
            for day in days
            if day not in rest_days and cell_code(before[day]) != code
        ],
    )


def _audit_roster_cells(actor, leave, summary, cells):
    """The hall's roster history shows the cells a leave decision wrote or freed, like any
    other roster change, so edits since publication name who made them and when."""
    if not cells:
        return
    employee = leave.employee
    audit_record(
        actor=actor,
        action="staff.roster.leave",
        obj=Hall.objects.get(pk=employee.hall_id),
        summary=summary,
        changes={
            "leave": leave.pk,
            "cells": [
                {
                    "employee_id": employee.pk,
                    "employee": employee.name,
                    "date": day,
                    "from": before,
                    "to": after,
                }
                for day, before, after in cells
            ],
        },
    )


def leave_cancel(*, actor, leave: LeaveRequest) -> LeaveRequest:
    """The employee withdraws a request that is still waiting."""
    with transaction.atomic():
        leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        me = employee_of(actor)
        if me is None or me.pk != leave.employee_id:
            raise ValidationError(_("Only the person who asked can withdraw a request."))
        if leave.status != LeaveStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        leave.status = LeaveStatus.CANCELLED
        leave.save(update_fields=["status"])
        audit_record(actor=actor, action="staff.leave.cancel", obj=leave, summary=_("Withdrawn"))
    return leave


def leave_revoke(
    *, actor, leave: LeaveRequest, reason: str, from_day: date | None = None
) -> LeaveRequest:
    """Withdraw an approved leave (撤销) from `from_day` to its end; by default from today, or
    from its first day if it has not started.

    The roster cells it wrote are freed (empty, to be planned again) and any 调休 they used is
    given back, since the balance counts the 调 cells. So days already past cannot be
    withdrawn: they were taken, and giving their 调休 back would credit time off that was used
    (a wrong past day is an attendance correction). From its first day the leave becomes
    "withdrawn after approval"; from a later day it is shortened to end the day before.
    """
    if not may_decide_leave(actor, leave):
        raise ValidationError(
            _("Only the shift lead or director who decides this leave can withdraw it.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing the approved leave."))
    with transaction.atomic():
        lock_hall(leave.employee.hall_id)
        leave = (
            LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("employee__user")
            .get(pk=leave.pk)
        )
        if leave.status != LeaveStatus.APPROVED:
            raise ValidationError(_("Only an approved leave can be withdrawn."))
        today = timezone.localdate()
        if leave.end < today:
            raise ValidationError(
                _("This leave is over: its days were taken. Correct the attendance instead.")
            )
        earliest = max(leave.start, today)
        first = from_day or earliest
        if not earliest <= first <= leave.end:
            raise ValidationError(
                _("Choose a day from %(start)s to %(end)s: days already past were taken.")
                % {"start": f"{earliest:%Y-%m-%d}", "end": f"{leave.end:%Y-%m-%d}"}
            )
        days = days_between(first, leave.end)
        after_report = check_unlocked(
            actor=actor, hall_id=leave.employee.hall_id, days=days, reason=reason
        )
        freed = (
            RosterEntry.objects.select_for_update()
            .order_by("date")
            .filter(
                employee_id=leave.employee_id,
                date__in=days,
                kind=RosterKind.LEAVE,
                leave_type=leave.leave_type,
            )
        )
        freed_days = list(freed.values_list("date", flat=True))
        freed.delete()
        old_end = leave.end
        whole = first == leave.start
        if whole:
            leave.status = LeaveStatus.REVOKED
        else:
            leave.end = first - timedelta(days=1)
        leave.save(update_fields=["status", "end"])
        code = LEAVE_CODES[leave.leave_type]
        summary = (
            _("Withdrawn after approval: %(reason)s")
            if whole
            else _("Shortened to end on %(end)s: %(reason)s")
        ) % {"reason": reason, "end": f"{leave.end:%Y-%m-%d}"}
        audit_record(
            actor=actor,
            action="staff.leave.revoke" if whole else "staff.leave.shorten",
            obj=leave,
            summary=summary + (_(" (after reporting)") if after_report else ""),
            changes={
                "reason": reason,
                "from_day": first,
                "end": [old_end, leave.end],
                "status": leave.status,
                "freed_days": freed_days,
            },
        )
        _audit_roster_cells(
            actor,
            leave,
            _("Roster: leave of %(name)s withdrawn, %(n)s days freed")
            % {"name": leave.employee.name, "n": len(freed_days)},
            [(day, code, "") for day in freed_days],
        )
    return leave
