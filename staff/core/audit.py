"""The one audit trail of the project. Services call `audit_record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ..models import AuditEntry


def audit_record(*, actor, action: str, obj, summary: str = "", changes=None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`.

    Must run inside the caller's `transaction.atomic()` so that the change and its record are
    committed, or rolled back, together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        summary=str(summary)[:500],
        changes=_jsonable(changes or {}),
    )


def history_for(obj):
    """The audit entries of `obj`, newest first, with their actors in the same query."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        .select_related("actor__employee")
        .order_by("-at", "-id")
    )


def _jsonable(value):
    """Decimals, dates and model instances become strings so the entry stays plain JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
