"""Every state change of the safety app: validated, locked, all-or-nothing and audited."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.access import employee_of, hall_ids_for
from staff.audit import audit_record
from staff.models import Employee, Hall

from .models import (
    AlarmDrill,
    ClosingCheck,
    ContactKind,
    CorrectiveAction,
    EmergencyContact,
    GroupPosition,
    HallSafetyOfficer,
    Incident,
    IncidentKind,
    IncidentPerson,
    IncidentStatus,
    IncidentStep,
    PersonRole,
    ResponseStep,
    SafetyGroupMember,
    phone_validator,
)
from .rules import checklist_for, drill_grace_end, handles_hall, is_director, month_last_day


def _require_director(actor):
    if not is_director(actor):
        raise PermissionDenied


def _require_handler(actor, hall_id):
    if not handles_hall(actor, hall_id):
        raise PermissionDenied


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _check_phone(phone: str) -> str:
    phone = (phone or "").strip()
    try:
        phone_validator(phone)
    except ValidationError as exc:
        raise ValidationError(
            _(
                "“%(phone)s” is not a valid phone number: use digits only, e.g. 110, 2332770 or "
                "0724-2332770."
            )
            % {"phone": phone}
        ) from exc
    return phone


# --- Emergency contacts and the safety group (director) -----------------------------------------


def contact_save(
    *, actor, contact=None, hall=None, kind, name, phone, sort_order=0
) -> EmergencyContact:
    """Create or change an emergency number; only the director edits them."""
    _require_director(actor)
    phone = _check_phone(phone)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the name of the contact."))
    if kind not in ContactKind.values:
        raise ValidationError(_("Choose the kind of contact."))
    duplicates = EmergencyContact.objects.filter(hall=hall, name=name)
    if contact is not None:
        duplicates = duplicates.exclude(pk=contact.pk)
    if duplicates.exists():
        raise ValidationError(
            _("There is already a contact named “%(name)s” here.") % {"name": name}
        )
    try:
        with transaction.atomic():
            contact = _contact_write(actor, contact, hall, kind, name, phone, sort_order)
    except IntegrityError as exc:
        raise ValidationError(
            _("There is already a contact named “%(name)s” here.") % {"name": name}
        ) from exc
    return contact


def _contact_write(actor, contact, hall, kind, name, phone, sort_order) -> EmergencyContact:
    """Inside the caller's transaction: create or update, then audit."""
    if contact is None:
        contact = EmergencyContact.objects.create(
            hall=hall, kind=kind, name=name, phone=phone, sort_order=sort_order
        )
        before, action = {}, "safety.contact.create"
    else:
        contact = EmergencyContact.objects.select_for_update().get(pk=contact.pk)
        before = {"name": contact.name, "phone": contact.phone, "kind": contact.kind}
        action = "safety.contact.update"
        contact.hall, contact.kind, contact.name = hall, kind, name
        contact.phone, contact.sort_order = phone, sort_order
        contact.save(update_fields=["hall", "kind", "name", "phone", "sort_order"])
    audit_record(
        actor=actor,
        action=action,
        obj=contact,
        summary=_("Emergency contact %(name)s: %(phone)s") % {"name": name, "phone": phone},
        changes={"before": before, "name": name, "phone": phone, "kind": kind},
    )
    return contact


def contact_delete(*, actor, contact: EmergencyContact) -> None:
    _require_director(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="safety.contact.delete",
            obj=contact,
            summary=_("Emergency contact removed: %(contact)s") % {"contact": contact},
            changes={"name": contact.name, "phone": contact.phone},
        )
        contact.delete()


def group_member_save(
    *, actor, employee: Employee, position: str, duties: str = "", sort_order: int = 0
) -> SafetyGroupMember:
    """Put `employee` into the safety group (or change their position and duties)."""
    _require_director(actor)
    if position not in GroupPosition.values:
        raise ValidationError(_("Choose the position in the safety group."))
    try:
        with transaction.atomic():
            return _group_member_write(actor, employee, position, duties.strip(), sort_order)
    except IntegrityError as exc:
        # Two directors naming two leaders at once: the one-leader constraint decides.
        raise ValidationError(
            _("The safety group already has a leader; change that first.")
        ) from exc


def _group_member_write(actor, employee, position, duties, sort_order) -> SafetyGroupMember:
    """Inside the caller's transaction: one leader only, then create or update, then audit."""
    if position == GroupPosition.LEADER:
        other = (
            SafetyGroupMember.objects.select_for_update()
            .select_related("employee")
            .filter(position=GroupPosition.LEADER)
            .exclude(employee=employee)
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("%(name)s already leads the safety group; change that first.")
                % {"name": other.employee.name}
            )
    member, created = SafetyGroupMember.objects.select_for_update().get_or_create(
        employee=employee,
        defaults={"position": position, "duties": duties, "sort_order": sort_order},
    )
    if not created:
        member.position, member.duties, member.sort_order = position, duties, sort_order
        member.save(update_fields=["position", "duties", "sort_order"])
    audit_record(
        actor=actor,
        action="safety.group.save",
        obj=member,
        summary=_("Safety group: %(name)s as %(position)s")
        % {"name": employee.name, "position": member.get_position_display()},
        changes={"position": position, "duties": duties},
    )
    return member


def group_member_remove(*, actor, member: SafetyGroupMember) -> None:
    _require_director(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="safety.group.remove",
            obj=member,
            summary=_("Left the safety group: %(name)s") % {"name": member.employee.name},
        )
        member.delete()


def officer_set(*, actor, hall: Hall, employee: Employee | None) -> None:
    """Make `employee` the hall's safety officer; None goes back to the shift lead (default)."""
    _require_director(actor)
    if employee is not None and (employee.hall_id != hall.pk or not employee.is_active):
        raise ValidationError(_("The safety officer must be an active employee of the hall."))
    with transaction.atomic():
        Hall.objects.select_for_update().get(pk=hall.pk)
        if employee is None:
            HallSafetyOfficer.objects.filter(hall=hall).delete()
            summary = _("Safety officer of %(hall)s: the shift lead") % {"hall": hall}
        else:
            HallSafetyOfficer.objects.update_or_create(hall=hall, defaults={"employee": employee})
            summary = _("Safety officer of %(hall)s: %(name)s") % {
                "hall": hall,
                "name": employee.name,
            }
        audit_record(
            actor=actor,
            action="safety.officer.set",
            obj=hall,
            summary=summary,
            changes={"employee": employee.pk if employee else None},
        )


# --- Incidents ------------------------------------------------------------------------------------


def incident_report(
    *,
    actor,
    hall: Hall,
    kind: str,
    occurred_at: datetime,
    description: str,
    injured_count: int = 0,
    police_called: bool = False,
    police_case_number: str = "",
    people=(),
) -> Incident:
    """Anyone may report an incident; `people` is a list of (name, role) pairs."""
    now = timezone.now()
    own_halls = hall_ids_for(actor)
    if own_halls and hall.pk not in own_halls:
        # Staff of a hall report for their hall; people without one (liaisons) for any hall.
        raise PermissionDenied
    if kind not in IncidentKind.values:
        raise ValidationError(_("Choose the type of incident."))
    if occurred_at > now:
        raise ValidationError(
            _("The incident cannot have happened in the future (%(when)s).")
            % {"when": _local(occurred_at)}
        )
    if not (description or "").strip():
        raise ValidationError(_("Describe what happened."))
    if injured_count is None or injured_count < 0:
        raise ValidationError(_("The number of injured cannot be negative."))
    if police_case_number.strip() and not police_called:
        raise ValidationError(_("A police case number means the police were called: tick it."))
    for _name, role in people:
        if role not in PersonRole.values:
            raise ValidationError(_("Choose the role of each person involved."))
    with transaction.atomic():
        incident = Incident.objects.create(
            hall=hall,
            kind=kind,
            occurred_at=occurred_at,
            reported_by=actor,
            reported_at=now,
            description=description.strip(),
            injured_count=injured_count,
            police_called=police_called,
            police_case_number=police_case_number.strip(),
        )
        IncidentPerson.objects.bulk_create(
            IncidentPerson(incident=incident, name=name.strip(), role=role)
            for name, role in people
            if name.strip()
        )
        audit_record(
            actor=actor,
            action="safety.incident.report",
            obj=incident,
            summary=_("Incident reported: %(incident)s") % {"incident": incident},
            changes={
                "kind": kind,
                "occurred_at": occurred_at,
                "injured_count": injured_count,
                "police_called": police_called,
            },
        )
    return incident


def _lock_open_incident(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == IncidentStatus.CLOSED:
        raise ValidationError(_("The incident is closed and can no longer be changed."))
    return locked


def incident_add_person(
    *, actor, incident: Incident, name: str, role: str, phone: str = "", note: str = ""
) -> IncidentPerson:
    """The reporter or a handler of the hall adds somebody involved."""
    if incident.reported_by_id != actor.pk:
        _require_handler(actor, incident.hall_id)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the name of the person involved."))
    if role not in PersonRole.values:
        raise ValidationError(_("Choose the role of each person involved."))
    if phone.strip():
        phone = _check_phone(phone)
    with transaction.atomic():
        incident = _lock_open_incident(incident)
        person = IncidentPerson.objects.create(
            incident=incident, name=name, role=role, phone=phone.strip(), note=note.strip()
        )
        audit_record(
            actor=actor,
            action="safety.incident.person",
            obj=incident,
            summary=_("Person involved: %(person)s") % {"person": person},
            changes={"name": name, "role": role},
        )
    return person


def incident_tick_step(*, actor, incident: Incident, step: str, done_at: datetime) -> IncidentStep:
    """Tick one response step with the time it was done (the reporter or a handler)."""
    if incident.reported_by_id != actor.pk:
        _require_handler(actor, incident.hall_id)
    if step not in checklist_for(incident.kind, incident.injured_count):
        raise ValidationError(_("This step is not on the checklist of this incident."))
    label = ResponseStep(step).label
    if done_at < incident.occurred_at:
        raise ValidationError(
            _("“%(step)s” cannot be done at %(done)s, before the incident occurred at %(at)s.")
            % {"step": label, "done": _local(done_at), "at": _local(incident.occurred_at)}
        )
    if done_at > timezone.now():
        raise ValidationError(
            _("“%(step)s” cannot be ticked with a time in the future.") % {"step": label}
        )
    with transaction.atomic():
        incident = _lock_open_incident(incident)
        if incident.steps.filter(step=step).exists():
            raise ValidationError(_("“%(step)s” is already ticked.") % {"step": label})
        ticked = IncidentStep.objects.create(
            incident=incident, step=step, done_at=done_at, ticked_by=actor
        )
        audit_record(
            actor=actor,
            action="safety.incident.step",
            obj=incident,
            summary=_("%(step)s at %(when)s") % {"step": label, "when": _local(done_at)},
            changes={"step": step, "done_at": done_at},
        )
    return ticked


_TRANSITIONS = {
    IncidentStatus.REPORTED: {IncidentStatus.HANDLING},
    IncidentStatus.HANDLING: {IncidentStatus.RESOLVED},
    IncidentStatus.RESOLVED: {IncidentStatus.CLOSED, IncidentStatus.HANDLING},
    IncidentStatus.CLOSED: set(),
}


def incident_transition(*, actor, incident: Incident, to: str) -> Incident:
    """reported → handling → resolved → closed (a resolved incident may go back to handling)."""
    _require_handler(actor, incident.hall_id)
    with transaction.atomic():
        incident = _lock_open_incident(incident)
        before = incident.status
        if to not in _TRANSITIONS[IncidentStatus(before)]:
            raise ValidationError(
                _("An incident that is “%(from)s” cannot become “%(to)s”.")
                % {"from": incident.get_status_display(), "to": IncidentStatus(to).label}
            )
        if to == IncidentStatus.RESOLVED:
            ticked = set(incident.steps.values_list("step", flat=True))
            missing = [
                str(ResponseStep(step).label)
                for step in checklist_for(incident.kind, incident.injured_count)
                if step not in ticked
            ]
            if missing:
                raise ValidationError(
                    _("Tick every response step before resolving; missing: %(steps)s.")
                    % {"steps": "、".join(missing)}
                )
        fields = ["status"]
        if to == IncidentStatus.CLOSED:
            if not incident.follow_up_summary.strip():
                raise ValidationError(_("Write the follow-up summary before closing."))
            open_actions = incident.actions.filter(done_at__isnull=True).count()
            if open_actions:
                raise ValidationError(
                    _("%(count)s corrective action(s) are not done yet: close them first.")
                    % {"count": open_actions}
                )
            incident.closed_at = timezone.now()
            fields.append("closed_at")
        incident.status = to
        incident.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="safety.incident.transition",
            obj=incident,
            summary=_("Status: %(from)s → %(to)s")
            % {"from": IncidentStatus(before).label, "to": incident.get_status_display()},
            changes={"status": [before, to]},
        )
    return incident


def incident_correct(
    *,
    actor,
    incident: Incident,
    kind: str,
    occurred_at: datetime,
    injured_count: int,
    description: str,
) -> Incident:
    """A handler corrects what was reported in haste: type, time, injured, description."""
    _require_handler(actor, incident.hall_id)
    if kind not in IncidentKind.values:
        raise ValidationError(_("Choose the type of incident."))
    if occurred_at > timezone.now():
        raise ValidationError(
            _("The incident cannot have happened in the future (%(when)s).")
            % {"when": _local(occurred_at)}
        )
    if injured_count is None or injured_count < 0:
        raise ValidationError(_("The number of injured cannot be negative."))
    if not (description or "").strip():
        raise ValidationError(_("Describe what happened."))
    with transaction.atomic():
        incident = _lock_open_incident(incident)
        first_step = incident.steps.order_by("done_at").first()
        if first_step is not None and first_step.done_at < occurred_at:
            raise ValidationError(
                _("“%(step)s” was done at %(done)s: the incident cannot have occurred later.")
                % {"step": first_step.get_step_display(), "done": _local(first_step.done_at)}
            )
        new = {
            "kind": kind,
            "occurred_at": occurred_at,
            "injured_count": injured_count,
            "description": description.strip(),
        }
        changes = {
            field: [getattr(incident, field), value]
            for field, value in new.items()
            if getattr(incident, field) != value
        }
        if not changes:
            return incident
        for field in changes:
            setattr(incident, field, new[field])
        incident.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="safety.incident.correct",
            obj=incident,
            summary=_("Report corrected: %(fields)s")
            % {"fields": "、".join(str(Incident._meta.get_field(f).verbose_name) for f in changes)},
            changes=changes,
        )
    return incident


def incident_update_notes(
    *,
    actor,
    incident: Incident,
    follow_up_summary: str,
    commendations: str,
    accountability: str,
    police_called: bool,
    police_case_number: str,
) -> Incident:
    """The handler's notes: follow-up, commendations and accountability (应急预案 七), police."""
    _require_handler(actor, incident.hall_id)
    if police_case_number.strip() and not police_called:
        raise ValidationError(_("A police case number means the police were called: tick it."))
    with transaction.atomic():
        incident = _lock_open_incident(incident)
        new = {
            "follow_up_summary": follow_up_summary.strip(),
            "commendations": commendations.strip(),
            "accountability": accountability.strip(),
            "police_called": police_called,
            "police_case_number": police_case_number.strip(),
        }
        changes = {
            field: [getattr(incident, field), value]
            for field, value in new.items()
            if getattr(incident, field) != value
        }
        if not changes:
            return incident
        for field, value in new.items():
            setattr(incident, field, value)
        incident.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="safety.incident.notes",
            obj=incident,
            summary=_("Notes changed: %(fields)s")
            % {"fields": "、".join(str(Incident._meta.get_field(f).verbose_name) for f in changes)},
            changes=changes,
        )
    return incident


# --- Corrective actions -------------------------------------------------------------------------


def action_add(
    *, actor, incident=None, drill=None, description: str, owner: Employee, due_date: date
) -> CorrectiveAction:
    source = incident or drill
    _require_handler(actor, source.hall_id)
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the corrective action."))
    if due_date < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    if not owner.is_active:
        raise ValidationError(_("The owner must be an active employee."))
    with transaction.atomic():
        if incident is not None:
            _lock_open_incident(incident)
        action = CorrectiveAction.objects.create(
            incident=incident,
            drill=drill,
            description=description,
            owner=owner,
            due_date=due_date,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="safety.action.add",
            obj=source,
            summary=_("Corrective action for %(owner)s by %(due)s: %(text)s")
            % {"owner": owner.name, "due": due_date, "text": description},
            changes={"action": action.pk, "owner": owner.pk, "due_date": due_date},
        )
    return action


def action_complete(*, actor, action: CorrectiveAction) -> CorrectiveAction:
    """The owner or a handler of the hall marks a corrective action done."""
    source = action.incident or action.drill
    owner_user_id = action.owner.user_id
    if actor.pk != owner_user_id:
        _require_handler(actor, source.hall_id)
    with transaction.atomic():
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.done_at is not None:
            raise ValidationError(_("This corrective action is already done."))
        if action.incident_id:
            _lock_open_incident(action.incident)
        action.done_at, action.done_by = timezone.now(), actor
        action.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor,
            action="safety.action.done",
            obj=source,
            summary=_("Corrective action done: %(text)s") % {"text": action.description},
            changes={"action": action.pk},
        )
    return action


# --- Alarm drills and closing checks -------------------------------------------------------------


def drill_record(
    *,
    actor,
    hall: Hall,
    year: int,
    month: int,
    held_at: datetime,
    run_by: Employee,
    alarm_worked: bool,
    response_seconds: int,
    problems: str = "",
) -> AlarmDrill:
    """Record the month's alarm drill of a hall: once per month, held in it or just after."""
    _require_handler(actor, hall.pk)
    if not 1 <= month <= 12:
        raise ValidationError(_("Choose a month from 1 to 12."))
    held_on = timezone.localtime(held_at).date()
    if held_at > timezone.now():
        raise ValidationError(_("A drill cannot be recorded before it was held."))
    if held_on < date(year, month, 1) or held_on > drill_grace_end(year, month):
        raise ValidationError(
            _("A drill for %(year)s-%(month)02d must be held between %(first)s and %(last)s.")
            % {
                "year": year,
                "month": month,
                "first": date(year, month, 1),
                "last": drill_grace_end(year, month),
            }
        )
    if response_seconds is None or response_seconds < 0:
        raise ValidationError(_("The response time cannot be negative."))
    if run_by.hall_id not in (hall.pk, None):
        raise ValidationError(_("The drill must be run by an employee of the hall."))
    duplicate = _("The drill of %(hall)s for %(year)s-%(month)02d is already recorded.") % {
        "hall": hall,
        "year": year,
        "month": month,
    }
    try:
        with transaction.atomic():
            Hall.objects.select_for_update().get(pk=hall.pk)
            if AlarmDrill.objects.filter(hall=hall, year=year, month=month).exists():
                raise ValidationError(duplicate)
            drill = AlarmDrill.objects.create(
                hall=hall,
                year=year,
                month=month,
                held_at=held_at,
                run_by=run_by,
                alarm_worked=alarm_worked,
                response_seconds=response_seconds,
                problems=problems.strip(),
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="safety.drill.record",
                obj=drill,
                summary=_("Alarm drill held at %(when)s, late: %(late)s")
                % {"when": _local(held_at), "late": held_on > month_last_day(year, month)},
                changes={
                    "held_at": held_at,
                    "alarm_worked": alarm_worked,
                    "response_seconds": response_seconds,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return drill


def closing_check_record(
    *, actor, hall: Hall, on: date, items: dict[str, bool], note: str = ""
) -> ClosingCheck:
    """Record the after-closing check of a hall for a day; an item left undone needs a note."""
    _require_handler(actor, hall.pk)
    if on > timezone.localdate():
        raise ValidationError(_("A closing check cannot be recorded for a future day."))
    if set(items) != set(ClosingCheck.ITEMS):
        raise ValidationError(_("Answer every item of the closing checklist."))
    note = (note or "").strip()
    if not all(items.values()) and not note:
        raise ValidationError(_("Some items are not done: explain why in the note."))
    employee = employee_of(actor)
    if employee is None:
        raise ValidationError(_("Only an employee can sign a closing check."))
    duplicate = _("The closing check of %(hall)s for %(day)s is already recorded.") % {
        "hall": hall,
        "day": on,
    }
    try:
        with transaction.atomic():
            Hall.objects.select_for_update().get(pk=hall.pk)
            if ClosingCheck.objects.filter(hall=hall, date=on).exists():
                raise ValidationError(duplicate)
            check = ClosingCheck.objects.create(
                hall=hall, date=on, note=note, checked_by=employee, **items
            )
            audit_record(
                actor=actor,
                action="safety.closing.record",
                obj=check,
                summary=_("Closing check of %(day)s") % {"day": on},
                changes={**items, "note": note},
            )
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return check
