from django import template

from staff.core.audit import history_for

register = template.Library()


@register.inclusion_tag("staff/_history.html")
def object_history(obj):
    """`{% object_history ledger %}`: the audit trail of one object (one query)."""
    return {"entries": history_for(obj)}
