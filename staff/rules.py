"""Who may do what in the HR features. Views and templates ask here; services enforce the same.

Each rule is `may_<verb>(user, ...) -> bool`; scope (which halls, which objects) is the core's
(`staff.core.access`), these rules decide the actions on what is in scope.
"""

from .core.access import Role, employee_of, has_role, is_center_wide
from .models import LeaveStatus

# Everyone on a hall's staff, and the office and director above them.
ATTENDANCE_ROLES = (Role.DIRECTOR, Role.OFFICE, Role.LOBBY_MANAGER, Role.SHIFT_LEAD, Role.CASHIER)
HALL_MANAGERS = (Role.SHIFT_LEAD, Role.LOBBY_MANAGER, Role.OFFICE, Role.DIRECTOR)
# Who enters and confirms the working calendar's holidays and make-up working days.
CALENDAR_ROLES = (Role.DIRECTOR, Role.OFFICE)


def _director(user) -> bool:
    return user.is_superuser or has_role(user, Role.DIRECTOR)


def _my_hall(user, hall_id) -> bool:
    me = employee_of(user)
    return me is not None and hall_id is not None and me.hall_id == hall_id


def may_see_hall_people(user) -> bool:
    """Shift leads, lobby managers, office and director see the people of their halls."""
    return is_center_wide(user) or has_role(user, Role.SHIFT_LEAD, Role.LOBBY_MANAGER)


# --- rosters --------------------------------------------------------------------------------


def may_edit_roster(user, hall_id) -> bool:
    """The hall's shift lead edits its roster, shift types and minimums; a director any hall's."""
    return _director(user) or (has_role(user, Role.SHIFT_LEAD) and _my_hall(user, hall_id))


# --- leave ----------------------------------------------------------------------------------


def needs_director(employee) -> bool:
    """Shift leads and lobby managers have their leave decided by a director.

    Reads the groups through `groups.all()` so that a list prefetching
    `employee__user__groups` decides every row without a query each.
    """
    names = {group.name for group in employee.user.groups.all()}
    return bool(names & {Role.SHIFT_LEAD, Role.LOBBY_MANAGER})


def may_decide_leave(user, leave) -> bool:
    """A director decides any leave; the hall's shift lead that of the hall's other staff."""
    if _director(user):
        return True
    me = employee_of(user)
    if me is None or me.pk == leave.employee_id or needs_director(leave.employee):
        return False
    return has_role(user, Role.SHIFT_LEAD) and me.hall_id == leave.employee.hall_id


def may_revoke_leave(user, leave) -> bool:
    """Whoever may decide a leave may withdraw it once approved."""
    return leave.status == LeaveStatus.APPROVED and may_decide_leave(user, leave)


def may_cancel_leave(user, leave) -> bool:
    """The person who asked withdraws a request that is still waiting."""
    me = employee_of(user)
    return leave.status == LeaveStatus.PENDING and me is not None and me.pk == leave.employee_id


# --- duty -----------------------------------------------------------------------------------


def may_assign_duty(user, hall_id) -> bool:
    """The hall's lobby manager assigns its duty; a director any hall's."""
    return _director(user) or (has_role(user, Role.LOBBY_MANAGER) and _my_hall(user, hall_id))


# --- attendance -----------------------------------------------------------------------------


def may_see_attendance(user) -> bool:
    return user.is_superuser or has_role(user, *ATTENDANCE_ROLES)


def may_export_attendance(user) -> bool:
    """The 考勤表 lists people: for those who see the hall's people."""
    return user.is_superuser or may_see_hall_people(user)


def may_correct_attendance(user, employee) -> bool:
    """The shift lead of the person's hall, or a director."""
    if _director(user):
        return True
    return has_role(user, Role.SHIFT_LEAD) and _my_hall(user, employee.hall_id)


def may_report_attendance(user) -> bool:
    """The office reports (locks) a finished month; a director may too."""
    return user.is_superuser or has_role(user, Role.OFFICE, Role.DIRECTOR)


def may_change_reported_month(user) -> bool:
    """Only a director changes a reported month (with a reason)."""
    return _director(user)


# --- penalties ------------------------------------------------------------------------------


def may_see_penalties(user) -> bool:
    """Everyone but a department's liaison (who works for another department)."""
    others = [role for role in Role.values if role != Role.DEPARTMENT_LIAISON]
    return user.is_superuser or has_role(user, *others)


def may_record_penalty(user) -> bool:
    return user.is_superuser or has_role(user, Role.OFFICE, Role.DIRECTOR)


# --- the working calendar -------------------------------------------------------------------


def may_edit_calendar(user) -> bool:
    return user.is_superuser or has_role(user, *CALENDAR_ROLES)
