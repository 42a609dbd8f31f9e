"""Every state change of the safety app: validated, locked, all-or-nothing and audited.

One module per feature (contacts, group, incidents, drills, closing). Callers use
`from safety import services` and `services.<entity>_<verb>(actor=..., ...)`.
"""

from .closing import closing_check_record
from .contacts import contact_delete, contact_save
from .drills import drill_record
from .group import group_member_remove, group_member_save, officer_set
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
