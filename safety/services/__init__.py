"""Every state change of the safety app: validated, locked, all-or-nothing and audited.

Callers use `from safety import services` and `services.<entity>_<verb>(actor=..., ...)`.
"""

from .contacts import (
    contact_delete,
    contact_save,
    group_member_remove,
    group_member_save,
    officer_set,
)
from .drills import closing_check_record, drill_record
from .incidents import (
    action_add,
    action_complete,
    incident_add_person,
    incident_correct,
    incident_report,
    incident_tick_step,
    incident_transition,
    incident_update_notes,
)

__all__ = [
    "action_add",
    "action_complete",
    "closing_check_record",
    "contact_delete",
    "contact_save",
    "drill_record",
    "group_member_remove",
    "group_member_save",
    "incident_add_person",
    "incident_correct",
    "incident_report",
    "incident_tick_step",
    "incident_transition",
    "incident_update_notes",
    "officer_set",
]
