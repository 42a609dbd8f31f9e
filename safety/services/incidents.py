"""Incidents from report to closing, and their corrective actions."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.core.audit import audit_record
from staff.models import Employee, Hall

from ..models import (
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
)
from ..rules import (
    may_add_action,
    may_complete_action,
    may_handle_incident,
    may_report_incident,
    may_tick_steps,
)
from .contacts import check_phone


def local_time(moment: datetime) -> str:
    """A time as messages show it: local, to the minute."""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def lock_open_incident(incident: Incident) -> Incident:
    """The incident locked for the change, or a refusal once it is closed."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == IncidentStatus.CLOSED:
        raise ValidationError(_("The incident is closed and can no longer be changed."))
    return locked


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
    if not may_report_incident(actor, hall):
        raise PermissionDenied
    if kind not in IncidentKind.values:
        raise ValidationError(_("Choose the type of incident."))
    if occurred_at > now:
        raise ValidationError(
            _("The incident cannot have happened in the future (%(when)s).")
            % {"when": local_time(occurred_at)}
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


def incident_add_person(
    *, actor, incident: Incident, name: str, role: str, phone: str = "", note: str = ""
) -> IncidentPerson:
    """The reporter or a handler of the hall adds somebody involved."""
    if not may_tick_steps(actor, incident):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the name of the person involved."))
    if role not in PersonRole.values:
        raise ValidationError(_("Choose the role of each person involved."))
    if phone.strip():
        phone = check_phone(phone)
    with transaction.atomic():
        incident = lock_open_incident(incident)
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
    if not may_tick_steps(actor, incident):
        raise PermissionDenied
    if step not in checklist_for(incident.kind, incident.injured_count):
        raise ValidationError(_("This step is not on the checklist of this incident."))
    label = ResponseStep(step).label
    if done_at < incident.occurred_at:
        raise ValidationError(
            _("“%(step)s” cannot be done at %(done)s, before the incident occurred at %(at)s.")
            % {"step": label, "done": local_time(done_at), "at": local_time(incident.occurred_at)}
        )
    if done_at > timezone.now():
        raise ValidationError(
            _("“%(step)s” cannot be ticked with a time in the future.") % {"step": label}
        )
    with transaction.atomic():
        incident = lock_open_incident(incident)
        if incident.steps.filter(step=step).exists():
            raise ValidationError(_("“%(step)s” is already ticked.") % {"step": label})
        ticked = IncidentStep.objects.create(
            incident=incident, step=step, done_at=done_at, ticked_by=actor
        )
        audit_record(
            actor=actor,
            action="safety.incident.step",
            obj=incident,
            summary=_("%(step)s at %(when)s") % {"step": label, "when": local_time(done_at)},
            changes={"step": step, "done_at": done_at},
        )
    return ticked


def incident_transition(*, actor, incident: Incident, to: str) -> Incident:
    """reported → handling → resolved → closed (a resolved incident may go back to handling)."""
    if not may_handle_incident(actor, incident):
        raise PermissionDenied
    with transaction.atomic():
        incident = lock_open_incident(incident)
        before = incident.status
        if to not in INCIDENT_TRANSITIONS[IncidentStatus(before)]:
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
    if not may_handle_incident(actor, incident):
        raise PermissionDenied
    if kind not in IncidentKind.values:
        raise ValidationError(_("Choose the type of incident."))
    if occurred_at > timezone.now():
        raise ValidationError(
            _("The incident cannot have happened in the future (%(when)s).")
            % {"when": local_time(occurred_at)}
        )
    if injured_count is None or injured_count < 0:
        raise ValidationError(_("The number of injured cannot be negative."))
    if not (description or "").strip():
        raise ValidationError(_("Describe what happened."))
    with transaction.atomic():
        incident = lock_open_incident(incident)
        first_step = incident.steps.order_by("done_at").first()
        if first_step is not None and first_step.done_at < occurred_at:
            raise ValidationError(
                _("“%(step)s” was done at %(done)s: the incident cannot have occurred later.")
                % {"step": first_step.get_step_display(), "done": local_time(first_step.done_at)}
            )
        new = {
            "kind": kind,
            "occurred_at": occurred_at,
            "injured_count": injured_count,
            "description": description.strip(),
        }
        changes = _save_changed(incident, new)
        if not changes:
            return incident
        audit_record(
            actor=actor,
            action="safety.incident.correct",
            obj=incident,
            summary=_("Report corrected: %(fields)s") % {"fields": _field_names(changes)},
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
    if not may_handle_incident(actor, incident):
        raise PermissionDenied
    if police_case_number.strip() and not police_called:
        raise ValidationError(_("A police case number means the police were called: tick it."))
    with transaction.atomic():
        incident = lock_open_incident(incident)
        new = {
            "follow_up_summary": follow_up_summary.strip(),
            "commendations": commendations.strip(),
            "accountability": accountability.strip(),
            "police_called": police_called,
            "police_case_number": police_case_number.strip(),
        }
        changes = _save_changed(incident, new)
        if not changes:
            return incident
        audit_record(
            actor=actor,
            action="safety.incident.notes",
            obj=incident,
            summary=_("Notes changed: %(fields)s") % {"fields": _field_names(changes)},
            changes=changes,
        )
    return incident


def _save_changed(incident: Incident, new: dict) -> dict:
    """Save the fields of `new` that differ; {field: [before, after]} of those."""
    changes = {
        name: [getattr(incident, name), value]
        for name, value in new.items()
        if getattr(incident, name) != value
    }
    for name in changes:
        setattr(incident, name, new[name])
    if changes:
        incident.save(update_fields=list(changes))
    return changes


def _field_names(changes: dict) -> str:
    return "、".join(str(Incident._meta.get_field(name).verbose_name) for name in changes)


# --- Corrective actions -------------------------------------------------------------------------


def action_add(
    *, actor, incident=None, drill=None, description: str, owner: Employee, due_date: date
) -> CorrectiveAction:
    source = incident or drill
    if not may_add_action(actor, source):
        raise PermissionDenied
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the corrective action."))
    if due_date < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    if not owner.is_active:
        raise ValidationError(_("The owner must be an active employee."))
    if owner.hall_id != source.hall_id:
        # The form offers only the hall's staff; a tampered id must not give another hall's
        # employee a task (and a view of this hall's incident through the action list).
        raise ValidationError(_("The owner must work in the hall of the incident or drill."))
    with transaction.atomic():
        if incident is not None:
            lock_open_incident(incident)
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
    if not may_complete_action(actor, action):
        raise PermissionDenied
    with transaction.atomic():
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.done_at is not None:
            raise ValidationError(_("This corrective action is already done."))
        if action.incident_id:
            lock_open_incident(action.incident)
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
