"""Safety of the halls: one module per feature; every model is importable from here.

contacts (emergency numbers), group (safety leadership group, hall safety officers), incidents
(incidents, response steps, corrective actions), drills (monthly alarm drills and their
calendar), closing (the after-closing check). The rules come from the center's 安全管理规定 and
安全应急预案 (see /work/shared/reference).
"""

from .closing import ClosingCheck
from .contacts import ContactKind, EmergencyContact, phone_validator
from .drills import (
    DONE,
    DUE,
    LATE,
    MISSED,
    OVERDUE,
    UPCOMING,
    AlarmDrill,
    drill_grace_end,
    drill_status,
    drill_window_start,
    month_last_day,
    previous_month,
)
from .group import GroupPosition, HallSafetyOfficer, SafetyGroupMember
from .incidents import (
    INCIDENT_TRANSITIONS,
    CorrectiveAction,
    Incident,
    IncidentKind,
    IncidentPerson,
    IncidentStatus,
    IncidentStep,
    PersonRole,
    ResponseStep,
    checklist_for,
    leadership_delay_limit_minutes,
)

__all__ = [
    "DONE",
    "DUE",
    "INCIDENT_TRANSITIONS",
    "LATE",
    "MISSED",
    "OVERDUE",
    "UPCOMING",
    "AlarmDrill",
    "ClosingCheck",
    "ContactKind",
    "CorrectiveAction",
    "EmergencyContact",
    "GroupPosition",
    "HallSafetyOfficer",
    "Incident",
    "IncidentKind",
    "IncidentPerson",
    "IncidentStatus",
    "IncidentStep",
    "PersonRole",
    "ResponseStep",
    "SafetyGroupMember",
    "checklist_for",
    "drill_grace_end",
    "drill_status",
    "drill_window_start",
    "leadership_delay_limit_minutes",
    "month_last_day",
    "phone_validator",
    "previous_month",
]
