"""Duty reads."""

from django.utils import timezone

from ..models import DutyAssignment


def missed_duties(hall_ids):
    """Past duties nobody ticked off, for the halls (None: all)."""
    queryset = DutyAssignment.objects.filter(date__lt=timezone.localdate(), done_at__isnull=True)
    if hall_ids is not None:
        queryset = queryset.filter(hall_id__in=hall_ids)
    return queryset
