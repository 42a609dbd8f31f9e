"""The staff app's models: the core's (`core`: halls, departments, employees, the audit trail,
the working calendar) and one module per HR feature.

Every model is importable from `staff.models` as before.
"""

from .attendance import AttendanceRecord, AttendanceReport
from .core import (
    AuditEntry,
    CalendarSource,
    DayKind,
    Department,
    Employee,
    Hall,
    WorkCalendarDay,
    WorkCalendarYear,
)
from .duty import DutyAssignment, DutyKind
from .leave import LeaveRequest, LeaveStatus, LeaveType
from .penalties import Penalty, PenaltyKind
from .rosters import (
    MinimumStaffing,
    RosterEntry,
    RosterKind,
    RosterPublication,
    ShiftType,
    StaffingRole,
)

__all__ = [
    "AttendanceRecord",
    "AttendanceReport",
    "AuditEntry",
    "CalendarSource",
    "DayKind",
    "Department",
    "DutyAssignment",
    "DutyKind",
    "Employee",
    "Hall",
    "LeaveRequest",
    "LeaveStatus",
    "LeaveType",
    "MinimumStaffing",
    "Penalty",
    "PenaltyKind",
    "RosterEntry",
    "RosterKind",
    "RosterPublication",
    "ShiftType",
    "StaffingRole",
    "WorkCalendarDay",
    "WorkCalendarYear",
]
